import Foundation

/// What `sessions import` did with one file.
public struct SessionImportSummary: Equatable, Sendable {
    public var file: String
    /// Data rows read.
    public var rows = 0
    /// Sessions added.
    public var imported = 0
    /// Rows whose session id the workspace already had, with the same content.
    public var alreadyPresent = 0
    /// Set when this exact file was imported before (its SHA-256 is known): nothing was added.
    public var previousImport: String?
    /// Stored sessions voided and replaced by rows of the file (`LikelyCorrections.asCorrections`).
    public var corrected = 0
    /// Notices that did not stop the import (outliers, teams outside their commune), up to a limit.
    public var warnings: [Warning] = []
    /// How many warnings there were in all.
    public var warningCount = 0
    /// Citizen-ID and phone numbers masked in the notes of the file's rows (`PersonalData`).
    public var maskedNumbers = 0

    public init(file: String) { self.file = file }
}

/// Progress of a running import: bytes read, file size, rows so far.
public typealias ImportProgress = @Sendable (_ bytesRead: Int64, _ totalBytes: Int64?, _ rows: Int) -> Void

/// Facts about an area that session checks need.
struct AreaFacts {
    var id: Int64
    var communeID: Int64?
    var adults: Int?
    var population: Int?
    var households: Int?
    var workingAge: Int? = nil
}

/// Facts about a team that session checks need.
struct TeamFacts {
    var id: Int64
    var code: String
    var communeID: Int64?
    var active: Bool
}

/// What `sessions import` does with a likely correction: a row without id whose day, area and
/// team are those of a live session stored before the file (and not held unchanged by another
/// row of the file), but whose counts differ.
public enum LikelyCorrections: Sendable {
    /// Refuse the whole file, naming each such row and the stored session (the default).
    case refuse
    /// Import them as new sessions (`--as-new`).
    case asNew
    /// Void the stored session and link the row's session as its replacement
    /// (`--as-corrections`); `labels` write the void's reason.
    case asCorrections(Labels)
}

/// A row without id that looks like the correction of a stored session.
struct LikelyCorrection {
    var line: Int
    /// The row's new session (rowid).
    var session: Int64
    var area: Int64
    var day: Int
    /// The stored session (rowid), its id and the file it came from.
    var earlier: Int64
    var earlierID: String
    var earlierFile: String?

    /// Reports the likely corrections as `choice` says, and returns the replacements to make:
    /// with `--as-corrections`, each row must match exactly one stored session and each stored
    /// session one row; any other case is refused, since which session a row replaces is unclear.
    static func review(_ all: [LikelyCorrection], choice: LikelyCorrections,
                       into problems: inout DiagnosticList) -> [LikelyCorrection] {
        if case .asNew = choice { return [] }
        var byLine: [Int: [LikelyCorrection]] = [:]
        var rowsOf: [Int64: Set<Int>] = [:]
        for c in all {
            byLine[c.line, default: []].append(c)
            rowsOf[c.earlier, default: []].insert(c.line)
        }
        // At most three sessions named a row, then how many more.
        func named(_ list: [LikelyCorrection]) -> String {
            let names = list.prefix(3).map { c in c.earlierFile.map { "\(c.earlierID) (\($0))" } ?? c.earlierID }
            return names.joined(separator: ", ") + (list.count > 3 ? ", … (+\(list.count - 3))" : "")
        }
        var replacements: [LikelyCorrection] = []
        for line in byLine.keys.sorted() {
            let list = byLine[line]!
            switch choice {
            case .asNew:
                break
            case .refuse:
                problems.add(line: line, Phrase("sessions.error.likely_correction", ["sessions": named(list)]))
            case .asCorrections:
                if list.count == 1, rowsOf[list[0].earlier]?.count == 1 {
                    replacements.append(list[0])
                } else {
                    problems.add(line: line, Phrase("sessions.error.correction_ambiguous", ["sessions": named(list)]))
                }
            }
        }
        return replacements
    }
}

extension SessionImport {
    /// The columns a sessions file may have when it takes `campaignMetrics` (they come after the
    /// built-in metrics, before `notes`).
    static func columns(campaignMetrics: [String]) -> (required: [String], optional: [String]) {
        (["date", "area"], ["id", "team", "logged_by"] + Metric.allCases.map(\.code) + metricCodes(campaignMetrics) + ["notes"])
    }

    /// The codes of `campaignMetrics` that can be metric columns of a sessions file: each once,
    /// in the order given, without the built-in metrics and the file's other columns.
    static func metricCodes(_ campaignMetrics: [String]) -> [String] {
        var seen = Set(["date", "area", "id", "team", "logged_by", "notes"] + Metric.allCases.map(\.code))
        return campaignMetrics.filter { seen.insert($0).inserted }
    }

    /// A sessions file about to be imported, by either engine: its SHA-256 (a file that cannot
    /// be read is refused here, with the precise reason), and a way to open it at its first row
    /// with its header checked.
    struct SessionFile: Sendable {
        let path: String
        let display: String
        let digest: [UInt8]
        let columns: (required: [String], optional: [String])

        init(path: String, name: String?, campaignMetrics: [String]) throws {
            self.path = path
            display = name ?? path
            guard let hash = Checksum.sha256(ofFileAtPath: path) else {
                _ = try CSVReader(path: path, name: name ?? path)  // throws the precise reason
                throw CSVError.cannotOpen(file: name ?? path, reason: .readError)
            }
            digest = hash
            columns = SessionImport.columns(campaignMetrics: campaignMetrics)
        }

        /// The file from its first row, and its header.
        func open() throws -> (CSVReader, CSVHeader) {
            let reader = try CSVReader(path: path, name: display)
            let header = try CSVHeader(reader.header, file: display, line: reader.headerLine,
                                       required: columns.required, optional: columns.optional, takesCampaignMetrics: true)
            return (reader, header)
        }
    }
}
