/// Where each accepted column sits in a file's header.
///
/// Header names are case-insensitive and may come in any order; an unknown, repeated or
/// missing column is a diagnostic that lists the accepted names.
public struct CSVHeader: Sendable {
    /// Field index of each column present, by canonical name.
    public let positions: [String: Int]
    /// The header names in file order.
    public let names: [String]

    /// Maps `header` onto the required and optional columns. With `takesCampaignMetrics` (a
    /// sessions file, whose `optional` columns include the metrics campaigns declare), an
    /// unknown column's message also says that campaign metrics are declared in campaign files.
    public init(_ header: [String], file: String, line: Int, required: [String], optional: [String],
                takesCampaignMetrics: Bool = false) throws {
        var positions: [String: Int] = [:]
        var problems = DiagnosticList(file: file)
        let accepted = required + optional
        // Spreadsheets pad the header with empty cells after the last column: ignore those.
        let lastNamed = header.lastIndex { !$0.isEmpty } ?? -1
        for (i, raw) in header.enumerated() where i <= lastNamed {
            let name = raw.replacingOccurrences(of: " ", with: "_")
            guard accepted.contains(name) else {
                let values = ["name": raw, "position": String(i + 1), "accepted": accepted.joined(separator: ", ")]
                switch (name.isEmpty, !takesCampaignMetrics) {
                case (true, true): problems.add(line: line, Phrase("csv.error.empty_column", values))
                case (true, false): problems.add(line: line, Phrase("csv.error.empty_column.metrics", values))
                case (false, true): problems.add(line: line, Phrase("csv.error.unknown_column", values))
                case (false, false): problems.add(line: line, Phrase("csv.error.unknown_column.metrics", values))
                }
                continue
            }
            if positions[name] != nil {
                problems.add(line: line, Phrase("csv.error.duplicate_column", ["name": raw]))
                continue
            }
            positions[name] = i
        }
        for name in required where positions[name] == nil {
            problems.add(line: line, Phrase("csv.error.missing_column", ["name": name, "required": required.joined(separator: ", ")]))
        }
        try problems.check()
        self.positions = positions
        self.names = header
    }

    /// Field index of `column`, if the file has it.
    public subscript(column: String) -> Int? { positions[column] }
}

extension CSVRecord {
    /// Field `i` as trimmed NFC text, nil when the field is absent or blank; a diagnostic when it is not UTF-8.
    func text(_ i: Int?, column: String, into problems: inout DiagnosticList) -> String? {
        guard let i, i < count else { return nil }
        guard let s = string(i) else {
            problems.add(line: line(ofField: i), column: column, Phrase("csv.error.not_utf8"))
            return nil
        }
        let t = TextFolding.normalizedName(s)
        return t.isEmpty ? nil : t
    }

    /// Field `i` as a count (grouped digits accepted); nil when empty or absent.
    func count(_ i: Int?, column: String, into problems: inout DiagnosticList) -> Int? {
        guard let i, i < count else { return nil }
        switch CountParser.parse(bytes(i)) {
        case .success(let v): return v
        case .failure(let f):
            problems.add(line: line(ofField: i), column: column, f.phrase("\"\(string(i) ?? String(decoding: bytes(i), as: UTF8.self))\""))
            return nil
        }
    }

    /// Checks the number of cells against the header: missing cells are an error, extra cells
    /// only when they are not empty (spreadsheets pad rows with empty cells).
    func checkWidth(_ width: Int, into problems: inout DiagnosticList) -> Bool {
        if count < width {
            problems.add(line: line, Phrase("csv.error.missing_cells", ["count": String(count), "width": String(width)]))
            return false
        }
        if count > width {
            for i in width..<count where !isBlank(i) {
                problems.add(line: line, Phrase("csv.error.extra_cells", ["count": String(count), "width": String(width)]))
                return false
            }
        }
        return true
    }
}
