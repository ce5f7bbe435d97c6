extension CoverageReport {
    /// The report in `format`. Tables and Markdown speak to people in the language of `labels`
    /// (coverage as `96,6%`, dates as `20/11/2026`, "n/a" without a denominator, "no data" apart
    /// from 0, flags for over 100 % and means); CSV and JSON carry the figures (coverage as a
    /// fraction, ISO dates, English codes) whatever the language.
    ///
    /// A national report has over 100,000 rows, so every format is written into one byte buffer
    /// (the shared `TextTable`, `CSVWriter` and `JSONEncoder` take seconds there); the output is
    /// the same as theirs, which the tests check. The words are looked up once per report.
    public func rendered(as format: CoverageFormat, labels: Labels) throws -> String {
        String(decoding: try renderedBytes(as: format, labels: labels), as: UTF8.self)
    }

    /// The same, as UTF-8 bytes to write out as they are (no 13 MB string to make and check).
    public func renderedBytes(as format: CoverageFormat, labels: Labels) throws -> [UInt8] {
        switch format {
        case .table: return table(CoverageWording(labels, metricNames: metricNames)).bytes
        case .csv: return csv().bytes
        case .json: return rows.isEmpty ? Array(try JSONOutput.render(JSONReport(self)).utf8) : json().bytes
        case .md: return markdown(CoverageWording(labels, metricNames: metricNames)).bytes
        }
    }

    /// The tree the figures roll up under, and what became of targets set on units not in it.
    public func treeLines(_ l: Labels) -> [String] {
        var lines: [String] = []
        if let treeDay { lines.append(l("web.dashboard.tree_of", ["date": l.date(treeDay)])) }
        for t in targetsElsewhere {
            lines.append(l(t.now == nil ? "history.target_gone" : "history.target_elsewhere",
                           ["code": t.code, "name": "\(t.code) \(t.name)" + (t.until.map { " (" + l("history.until", ["date": l.date($0)]) + ")" } ?? ""),
                            "now": t.now ?? ""]))
        }
        return lines
    }

    /// Each indicator with the range of its rows (its total last).
    var sections: [(indicator: Indicator, rows: Range<Int>)] {
        var out: [(Indicator, Range<Int>)] = []
        var start = 0
        for indicator in indicators {
            var end = start
            while end < rows.count, rows[end].indicator == indicator.id { end += 1 }
            out.append((indicator, start..<end))
            start = end
        }
        return out
    }

    private func table(_ w: CoverageWording) -> CoverageText {
        var out = CoverageText()
        out.line(w.title(self))
        if let note = w.selection(self) { out.line(note) }
        for line in treeLines(w.labels) { out.line(line) }
        for (indicator, range) in sections {
            out.line("")
            out.line(w.heading(indicator))
            let areaRows = rows[range].filter { !$0.isTotal }
            if behindOnly, areaRows.isEmpty { out.line(w.noneBehind) }
            let base = areaRows.map(\.depth).min() ?? 0
            let columns = w.columns.enumerated().map { i, title in
                TableColumn((i == 4 ? w.denominatorTitle(indicator) : title).uppercased(), rightAligned: (3...6).contains(i))
            }
            // A national table has 111,000 rows: its cells are made in two halves at once.
            let parts = split(range, into: reportThreads(rows: range.count))
            let chunks = parallelMap(parts.count) { k -> TableCells in
                let part = parts[k]
                var cache = w.cellCache()
                var cells = TableCells(columns: columns.count, lines: part.count, indentColumn: 1)
                for row in rows[part] {
                    cells.startLine(indent: sort == .tree && !row.isTotal ? 2 * (row.depth - base) : 0)
                    cells.add(row.code)
                    cells.add(w.name(row, sort: sort))
                    cells.add(row.isTotal ? "" : cache.kind(row))
                    cells.add(w.value(row.value))
                    cells.add(w.denominator(row.denominator))
                    cells.add(w.coverage(row))
                    cells.add(cache.target(row.target))
                    cells.add(w.status(row.status))
                    cells.add(w.flags(row))
                }
                return cells
            }
            out.table(columns, chunks: chunks)
        }
        return out
    }

    private func markdown(_ w: CoverageWording) -> CoverageText {
        var out = CoverageText()
        out.line("# " + markdownEscaped(w.markdownTitle(self)))
        out.line("")
        out.line(markdownEscaped(w.markdownIntro(self)))
        if let note = w.selection(self) {
            out.line("")
            out.line(note)
        }
        var cache = w.cellCache()
        for (indicator, range) in sections {
            out.line("")
            out.line("## " + markdownEscaped("\(indicator.id): \(w.indicatorLabel(indicator))"))
            out.line("")
            out.line(markdownEscaped(w.definition(indicator)) + ".")
            out.line("")
            let areaRows = rows[range].filter { !$0.isTotal }
            if behindOnly, areaRows.isEmpty {
                out.line(w.noneBehind)
                out.line("")
            }
            let base = areaRows.map(\.depth).min() ?? 0
            let header = w.columns.enumerated().map { i, title in i == 4 ? w.denominatorTitle(indicator) : title }
            out.line("| " + header.map(markdownEscaped).joined(separator: " | ") + " |")
            out.line("| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |")
            for row in rows[range] {
                let indent = sort == .tree && !row.isTotal ? String(repeating: "\u{00A0}\u{00A0}", count: row.depth - base) : ""
                let name = markdownEscaped(w.name(row, sort: sort))
                var cells = [row.code, row.isTotal ? "" : cache.kind(row), w.value(row.value),
                             w.denominator(row.denominator), w.coverage(row), cache.target(row.target),
                             w.status(row.status), w.flags(row)].map(markdownEscaped)
                cells.insert(row.isTotal ? "**\(name)**" : indent + name, at: 1)
                out.line("| " + cells.joined(separator: " | ") + " |")
            }
        }
        return out
    }

    private func csv() -> CoverageText {
        var out = CoverageText()
        out.csvRecord(Machine.csvHeader)
        let asOf = self.asOf.iso
        for row in rows {
            out.csvRecord([campaign, asOf, row.indicator, row.code, row.name, row.isTotal ? Machine.totalKind : row.kind.rawValue,
                           String(row.depth), row.value.map(String.init) ?? "", row.denominator.map(String.init) ?? "",
                           row.coverage.map(Machine.fraction) ?? "", Machine.target(row.target), row.status.rawValue,
                           String(row.over), String(row.coverageIsMean), String(row.leftOut)])
        }
        return out
    }

    /// `"key" : [{"areas", "asOf", ["indicator",] "source"}, …]` after a comma; nothing when empty.
    private func sources(_ out: inout CoverageText, _ key: String, _ list: [(areas: Int, source: AreaSource?, indicator: String?)]) {
        guard !list.isEmpty else { return }
        out.raw(",\n  \"\(key)\" : [")
        for (i, s) in list.enumerated() {
            out.raw(i == 0 ? "\n    {\n      \"areas\" : " : ",\n    {\n      \"areas\" : ")
            out.raw(String(s.areas))
            out.raw(",\n      \"asOf\" : ")
            if let day = s.source?.asOf { out.jsonString(day.iso) } else { out.raw("null") }
            if let indicator = s.indicator {
                out.raw(",\n      \"indicator\" : ")
                out.jsonString(indicator)
            }
            out.raw(",\n      \"source\" : ")
            if let name = s.source?.source { out.jsonString(name) } else { out.raw("null") }
            out.raw("\n    }")
        }
        out.raw("\n  ]")
    }

    /// The JSON document as `JSONOutput` writes `JSONReport` (pretty, sorted keys, slashes
    /// unescaped), written directly.
    private func json() -> CoverageText {
        var out = CoverageText()
        out.raw("{\n  \"asOf\" : ")
        out.jsonString(asOf.iso)
        // Which figures include a baseline: {"areas", "asOf", "indicator", "source"} per source.
        sources(&out, "baselineSources", baselineSources.map { ($0.areas, $0.source, $0.indicator) })
        out.raw(",\n  \"campaign\" : ")
        out.jsonString(campaign)
        // Where the denominators come from: {"areas", "asOf", "source"} per source (nulls for none).
        sources(&out, "denominatorSources", denominatorSources.map { ($0.areas, $0.source, nil) })
        out.raw(",\n  \"rows\" : [\n")
        for (i, row) in rows.enumerated() {
            out.raw(i == 0 ? "    {\n      \"code\" : " : ",\n    {\n      \"code\" : ")
            out.jsonString(row.code)
            out.raw(",\n      \"coverage\" : ")
            out.raw(row.coverage.map(CoverageText.jsonNumber) ?? "null")
            out.raw(",\n      \"denominator\" : ")
            out.raw(row.denominator.map(String.init) ?? "null")
            out.raw(",\n      \"depth\" : ")
            out.raw(String(row.depth))
            out.raw(",\n      \"indicator\" : ")
            out.jsonString(row.indicator)
            out.raw(",\n      \"kind\" : ")
            out.jsonString(row.isTotal ? Machine.totalKind : row.kind.rawValue)
            out.raw(",\n      \"leftOut\" : ")
            out.raw(String(row.leftOut))
            out.raw(",\n      \"name\" : ")
            out.jsonString(row.name)
            out.raw(",\n      \"status\" : ")
            out.jsonString(row.status.rawValue)
            out.raw(",\n      \"target\" : ")
            switch row.target {
            case let .share(share): out.raw(CoverageText.jsonNumber(share))
            case let .count(count): out.raw(String(count))
            }
            out.raw(",\n      \"targetOrigin\" : ")
            out.jsonString(row.targetOrigin.rawValue)
            out.raw(",\n      \"value\" : ")
            out.raw(row.value.map(String.init) ?? "null")
            out.raw("\n    }")
        }
        out.raw("\n  ]")
        if !targetsElsewhere.isEmpty {
            // Per-area targets set on units not in the tree: {"code", "name", "now", "until"}.
            out.raw(",\n  \"targetsElsewhere\" : [")
            for (i, t) in targetsElsewhere.enumerated() {
                out.raw(i == 0 ? "\n    {\n      \"code\" : " : ",\n    {\n      \"code\" : ")
                out.jsonString(t.code)
                out.raw(",\n      \"name\" : ")
                out.jsonString(t.name)
                out.raw(",\n      \"now\" : ")
                if let now = t.now { out.jsonString(now) } else { out.raw("null") }
                out.raw(",\n      \"until\" : ")
                if let until = t.until { out.jsonString(until.iso) } else { out.raw("null") }
                out.raw("\n    }")
            }
            out.raw("\n  ]")
        }
        if let treeDay {
            // The day of the tree the figures roll up under (a workspace with dated history).
            out.raw(",\n  \"tree\" : ")
            out.jsonString(treeDay.iso)
        }
        out.raw("\n}\n")
        return out
    }

    /// The JSON document: `{"campaign", "asOf", "rows": [...]}`.
    struct JSONReport: Encodable {
        var campaign: String
        var asOf: String
        var rows: [JSONRow]

        init(_ report: CoverageReport) {
            campaign = report.campaign
            asOf = report.asOf.iso
            rows = report.rows.map(JSONRow.init)
        }
    }

    /// One row with exactly the documented keys; missing figures are `null`, never left out.
    struct JSONRow: Encodable {
        var row: Row

        enum CodingKeys: String, CodingKey {
            case code, name, kind, depth, indicator, value, denominator, coverage, target, targetOrigin, status, leftOut
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(row.code, forKey: .code)
            try c.encode(row.name, forKey: .name)
            try c.encode(row.isTotal ? Machine.totalKind : row.kind.rawValue, forKey: .kind)
            try c.encode(row.depth, forKey: .depth)
            try c.encode(row.indicator, forKey: .indicator)
            try c.encode(row.value, forKey: .value)
            try c.encode(row.denominator, forKey: .denominator)
            try c.encode(row.coverage, forKey: .coverage)
            switch row.target {
            case let .share(share): try c.encode(share, forKey: .target)
            case let .count(count): try c.encode(count, forKey: .target)
            }
            try c.encode(row.targetOrigin.rawValue, forKey: .targetOrigin)
            try c.encode(row.status.rawValue, forKey: .status)
            try c.encode(row.leftOut, forKey: .leftOut)
        }
    }

    /// The machine side of the report (CSV and JSON): English codes and `.` decimals, in every
    /// language.
    enum Machine {
        static let totalKind = "total"
        static let csvHeader = ["campaign", "as_of", "indicator", "code", "name", "kind", "depth", "value", "denominator",
                                "coverage", "target", "status", "over", "coverage_is_mean", "left_out"]

        /// Four decimals: 0.96551 → "0.9655".
        static func fraction(_ share: Double) -> String {
            let n = Int(saturating: (share * 10_000).rounded())
            let sign = n < 0 ? "-" : ""
            let decimals = String(abs(n) % 10_000)
            return "\(sign)\(abs(n) / 10_000)." + String(repeating: "0", count: 4 - decimals.count) + decimals
        }

        /// A share target as a fraction with four decimals, a count as an integer.
        static func target(_ target: Target) -> String {
            switch target {
            case let .share(share): return fraction(share)
            case let .count(count): return String(count)
            }
        }
    }

    /// Text with Markdown's special characters escaped, on one line (as the district report's).
    func markdownEscaped(_ text: String) -> String { MarkdownText.escape(text) }
}

/// UTF-8 output built in one buffer: fast for reports of 100,000 rows.
struct CoverageText {
    private(set) var bytes: [UInt8] = []

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func line(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(0x0A)
    }

    /// Aligned columns two spaces apart, as `TextTable.render` lays them out: a header line,
    /// then one line per `columns.count` cells; trailing spaces trimmed. `indents` (one per
    /// line) puts that many spaces before the cell of `indentColumn`, as if they were part of it.
    mutating func table(_ columns: [TableColumn], _ cells: [String], indents: [Int]? = nil, indentColumn: Int = 0) {
        var chunk = TableCells(columns: columns.count, lines: cells.count / columns.count, indentColumn: indentColumn)
        for line in 0..<cells.count / columns.count {
            chunk.addLine(Array(cells[line * columns.count..<(line + 1) * columns.count]), indent: indents?[line] ?? 0)
        }
        table(columns, chunks: [chunk])
    }

    /// The same table, its lines given in consecutive chunks: the chunks are written on
    /// separate threads, then joined.
    mutating func table(_ columns: [TableColumn], chunks: [TableCells]) {
        var widths = columns.map { TableCells.width($0.title) }
        for part in chunks { for c in widths.indices { widths[c] = max(widths[c], part.columnWidths[c]) } }
        let rightAligned = columns.map(\.rightAligned)
        var header = TableCells(columns: columns.count)
        header.addLine(columns.map(\.title))
        bytes += header.written(rightAligned: rightAligned, widths: widths)
        let written = parallelMap(chunks.count) { c in chunks[c].written(rightAligned: rightAligned, widths: widths) }
        bytes.reserveCapacity(bytes.count + written.reduce(0) { $0 + $1.count })
        for part in written { bytes += part }
    }

    /// One CSV record, as `CSVWriter` writes every record.
    mutating func csvRecord(_ fields: [String]) {
        CSVWriter.record(fields, into: &bytes)
    }

    /// A JSON string literal as `JSONEncoder` writes it with `.withoutEscapingSlashes`.
    mutating func jsonString(_ text: String) {
        JSONText.string(text, into: &bytes)
    }

    /// A finite number as `JSONEncoder` writes a `Double`: the shortest form, without `.0`.
    static func jsonNumber(_ value: Double) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
