/// A bundle that cannot be exported or merged, in words a user can act on. Nothing was changed
/// when one of these is thrown.
public enum BundleError: Error, Equatable, Sendable, UserFacingError {
    /// The file cannot be read (missing, a folder, no permission).
    case cannotRead(file: String, reason: String)
    /// The file does not start with a bundle header.
    case notABundle(file: String)
    /// Written by a newer version of Outreach.
    case newerVersion(file: String, version: Int)
    /// Shorter than its header says (`expected` 0: cut inside the header): cut off while being
    /// copied or sent.
    case truncated(file: String, expected: Int, actual: Int)
    /// The records do not match the checksum in the header, or there is more than it announces.
    case damaged(file: String, reason: String)
    /// A record that cannot be read although the checksum matched (not made by `outreach export`).
    case badRecord(file: String, line: Int, text: String)
    /// `--out` names a file that exists and is not a bundle (the workspace itself, a spreadsheet …).
    case wouldOverwrite(file: String)
    /// The bundle cannot be written.
    case cannotWrite(file: String, reason: String)
    /// `--under` names no area.
    case unknownArea(String)

    public var message: String {
        switch self {
        case let .cannotRead(file, reason):
            return "\(file): cannot be read (\(reason)). Check the path; nothing was changed."
        case let .notABundle(file):
            return "\(file): this is not an Outreach bundle (it does not start with a bundle header), so nothing was merged. Merge files made by `outreach export`; import spreadsheets with `outreach sessions import` or `outreach areas import`."
        case let .newerVersion(file, version):
            return "\(file): this bundle was written by a newer version of Outreach (bundle format \(version); this version reads format \(BundleHeader.currentVersion)). Update Outreach and merge it again; nothing was changed."
        case let .truncated(file, 0, _):
            return "\(file): the bundle is incomplete: it ends inside its header. It was cut off while being copied or sent. Ask for the file again, or copy it again, then merge it; nothing was changed."
        case let .truncated(file, expected, actual):
            let share = expected > 0 ? " (\(actual * 100 / expected)%)" : ""
            return "\(file): the bundle is incomplete: its header announces \(expected) bytes of records but only \(actual) are there\(share). It was cut off while being copied or sent. Ask for the file again, or copy it again, then merge it; nothing was changed."
        case let .damaged(file, reason):
            return "\(file): the bundle is damaged: \(reason). It was changed or corrupted after it was exported. Ask the sender to export it again; nothing was changed."
        case let .badRecord(file, line, text):
            return "\(file):\(line): \(text). The bundle was not made by `outreach export`, or by a faulty one; ask the sender to export it again. Nothing was changed."
        case let .wouldOverwrite(file):
            return "\(file): this file exists and is not an Outreach bundle, so it was left untouched. Choose another name with --out."
        case let .cannotWrite(file, reason):
            return "\(file): the bundle cannot be written (\(reason)). Check the folder and its permissions; no bundle was written."
        case let .unknownArea(code):
            return "area \"\(code)\" does not exist. Find its code with `outreach areas find NAME`."
        }
    }
}
