/// A bundle that cannot be exported or merged, in words a user can act on. Nothing was changed
/// when one of these is thrown.
public enum BundleError: Error, Equatable, Sendable, UserFacingError {
    /// The file cannot be read (missing, a folder, no permission).
    case cannotRead(file: String, reason: FileProblem)
    /// The file does not start with a bundle header.
    case notABundle(file: String)
    /// Written by a newer version of Outreach.
    case newerVersion(file: String, version: Int)
    /// Shorter than its header says (`expected` 0: cut inside the header): cut off while being
    /// copied or sent.
    case truncated(file: String, expected: Int, actual: Int)
    /// The records do not match the checksum in the header, or there is more than it announces.
    case damaged(file: String, reason: Damage)
    /// A record that cannot be read although the checksum matched (not made by `outreach export`).
    case badRecord(file: String, line: Int, text: String)
    /// `--out` names a file that exists and is not a bundle (the workspace itself, a spreadsheet …).
    case wouldOverwrite(file: String)
    /// The bundle cannot be written.
    case cannotWrite(file: String, reason: FileProblem)
    /// The header would not fit in the bytes reserved for it (`limit`): a fault of Outreach.
    case headerTooLong(file: String, limit: Int)
    /// `--under` names no area.
    case unknownArea(String)

    /// The message in the language of `labels`; nil for a bad record, whose text comes in
    /// English from the record reader and is shown in English.
    public func message(in labels: Labels) -> String? {
        switch self {
        case let .cannotRead(file, reason):
            labels("bundle.error.cannot_read", ["file": file, "reason": reason.text(labels)])
        case let .damaged(file, reason):
            labels("bundle.error.damaged", ["file": file, "reason": reason.phrase.text(labels)])
        case let .cannotWrite(file, reason):
            labels("bundle.error.cannot_write", ["file": file, "reason": reason.text(labels)])
        case let .headerTooLong(file, limit):
            labels("bundle.error.header_too_long", ["file": file, "limit": labels.count(limit)])
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
        case .badRecord:
            nil
        }
    }

    public var message: String {
        if case let .badRecord(file, line, text) = self {
            return "\(file):\(line): \(text). The bundle was not made by `outreach export`, or by a faulty one; ask the sender to export it again. Nothing was changed."
        }
        return message(in: Labels(.en)) ?? ""
    }
}

extension BundleError {
    /// How a bundle whose length and checksum were checked turns out damaged.
    public enum Damage: Equatable, Sendable {
        /// The header has no valid format version.
        case headerVersion
        /// The header lacks a field.
        case headerField
        /// The header has no count of the records named `kind` (a key of the header's `counts`).
        case headerCount(kind: String)
        /// The header lists other columns for the records named `kind` than format `version` has.
        case headerColumns(kind: String, version: Int)
        /// The header's scope is not valid.
        case headerScope
        /// The file has `bytes` more than its header announces.
        case extraBytes(Int)
        /// The records do not match the checksum in the header.
        case checksum
        /// The file holds other numbers of records than its header counts.
        case recordCounts

        /// The damage in words any language can write.
        public var phrase: Phrase {
            switch self {
            case .headerVersion: Phrase("bundle.damage.header_version")
            case .headerField: Phrase("bundle.damage.header_field")
            case let .headerCount(kind): Phrase("bundle.damage.header_count", ["kind": kind])
            case let .headerColumns(kind, version): Phrase("bundle.damage.header_columns", ["kind": kind, "version": String(version)])
            case .headerScope: Phrase("bundle.damage.header_scope")
            case let .extraBytes(n):
                n == 1 ? Phrase("bundle.damage.extra_bytes.one", counts: ["count": n])
                       : Phrase("bundle.damage.extra_bytes.other", counts: ["count": n])
            case .checksum: Phrase("bundle.damage.checksum")
            case .recordCounts: Phrase("bundle.damage.record_counts")
            }
        }
    }
}
