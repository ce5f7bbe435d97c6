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

    /// The message in the language of `labels`; nil for the messages that carry an English
    /// reason or record text from deeper down (cannot read, damaged, bad record, cannot write),
    /// which are shown in English.
    public func message(in labels: Labels) -> String? {
        switch self {
        case let .notABundle(file):
            labels("bundle.error.not_a_bundle", ["file": file])
        case let .newerVersion(file, version):
            labels("bundle.error.newer_version", ["file": file, "version": String(version), "current": String(BundleHeader.currentVersion)])
        case let .truncated(file, 0, _):
            labels("bundle.error.truncated_header", ["file": file])
        case let .truncated(file, expected, actual):
            labels("bundle.error.truncated", ["file": file, "expected": labels.count(expected), "actual": labels.count(actual),
                                              "share": expected > 0 ? " (\(actual * 100 / expected)%)" : ""])
        case let .wouldOverwrite(file):
            labels("bundle.error.would_overwrite", ["file": file])
        case let .unknownArea(code):
            labels("bundle.error.unknown_area", ["code": code])
        case .cannotRead, .damaged, .badRecord, .cannotWrite:
            nil
        }
    }

    public var message: String {
        switch self {
        case let .cannotRead(file, reason):
            return "\(file): cannot be read (\(reason)). Check the path; nothing was changed."
        case let .damaged(file, reason):
            return "\(file): the bundle is damaged: \(reason). It was changed or corrupted after it was exported. Ask the sender to export it again; nothing was changed."
        case let .badRecord(file, line, text):
            return "\(file):\(line): \(text). The bundle was not made by `outreach export`, or by a faulty one; ask the sender to export it again. Nothing was changed."
        case let .cannotWrite(file, reason):
            return "\(file): the bundle cannot be written (\(reason)). Check the folder and its permissions; no bundle was written."
        case .notABundle, .newerVersion, .truncated, .wouldOverwrite, .unknownArea:
            return message(in: Labels(.en)) ?? ""
        }
    }
}
