import Foundation

extension CompletenessReport {
    /// The report in `format`: the table and Markdown speak to people in the language of
    /// `labels` (rates as `75,0%`, dates as `05/12/2026`); CSV and JSON carry the figures
    /// (rates as fractions, ISO dates, English codes) whatever the language. Written into one
    /// byte buffer: a national report has over 100,000 rows.
    public func renderedBytes(as format: CoverageFormat, labels l: Labels) throws -> [UInt8] {
        switch format {
        case .table: return table(l).bytes
        case .csv: return csv().bytes
        case .json: return Array(try JSONOutput.render(JSONReport(self)).utf8)
        case .md: return Array(markdown(l).utf8)
        }
    }

    /// The same as text.
    public func rendered(as format: CoverageFormat, labels: Labels) throws -> String {
        String(decoding: try renderedBytes(as: format, labels: labels), as: UTF8.self)
    }

    /// "Báo cáo số liệu tháng 11/2026 — Xã Tân Phúc — kế hoạch de-an-06".
    public func title(_ l: Labels) -> String {
        l("completeness.title", ["period": period.text(l), "area": startName, "campaign": campaign])
    }

    /// Which days count and the deadline, in a sentence.
    public func rule(_ l: Labels) -> String {
        l("completeness.rule", ["from": l.date(from), "through": l.date(through), "deadline": l.date(deadline)])
    }

    /// The totals in a sentence: "3/4 thôn đã báo cáo (75,0%): 2 đúng hạn, 1 muộn, 1 chưa báo cáo."
    public func summary(_ l: Labels) -> String {
        let t = total
        guard let rate = t.rate else { return l["completeness.summary.none"] }
        return l("completeness.summary", ["reported": l.count(t.reported), "expected": l.count(t.expected), "rate": l.percent(rate),
                                          "on_time": l.count(t.onTime), "late": l.count(t.late), "never": l.count(t.never)])
    }

    /// The column titles of the table and Markdown.
    static func columns(_ l: Labels) -> [TableColumn] {
        [TableColumn(l["completeness.col.code"]), TableColumn(l["completeness.col.name"]),
         TableColumn(l["completeness.col.expected"], rightAligned: true), TableColumn(l["completeness.col.reported"], rightAligned: true),
         TableColumn(l["completeness.col.on_time"], rightAligned: true), TableColumn(l["completeness.col.late"], rightAligned: true),
         TableColumn(l["completeness.col.never"], rightAligned: true), TableColumn(l["completeness.col.rate"], rightAligned: true)]
    }

    /// A row's figures as people read them, after its code and name.
    static func figures(_ row: Row, _ l: Labels) -> [String] {
        [l.count(row.expected), l.count(row.reported), l.count(row.onTime), l.count(row.late), l.count(row.never),
         row.rate.map { l.percent($0) } ?? l["completeness.rate.none"]]
    }

    private func table(_ l: Labels) -> CoverageText {
        var out = CoverageText()
        out.line(title(l))
        out.line(rule(l))
        out.line(summary(l))
        out.line("")
        let columns = Self.columns(l)
        var cells = TableCells(columns: columns.count, lines: rows.count, indentColumn: 1)
        for row in rows {
            cells.startLine(indent: 2 * row.depth)
            cells.add(row.code)
            cells.add(row.name)
            for figure in Self.figures(row, l) { cells.add(figure) }
        }
        out.table(columns, chunks: [cells])
        return out
    }

    static let csvHeader = ["code", "name", "kind", "within", "depth", "expected", "reported", "on_time", "late", "never", "rate",
                            "period", "deadline"]

    private func csv() -> CoverageText {
        var out = CoverageText()
        out.csvRecord(Self.csvHeader)
        let (p, d) = (period.description, deadline.iso)
        for row in rows {
            out.csvRecord([row.code, row.name, row.kind.rawValue, row.within ?? "", String(row.depth), String(row.expected),
                           String(row.reported), String(row.onTime), String(row.late), String(row.never),
                           row.rate.map { Labels.plain($0, digits: 4) } ?? "", p, d])
        }
        return out
    }

    private func markdown(_ l: Labels) -> String {
        var out = MarkdownText()
        out.line("# " + MarkdownText.escape(title(l)))
        out.line("")
        out.paragraph(rule(l))
        out.paragraph(summary(l))
        let columns = Self.columns(l)
        out.table(header: columns.map(\.title), align: columns.map { $0.rightAligned ? .right : .left },
                  rows: rows.map { row in
                      [row.code, String(repeating: "· ", count: row.depth) + row.name] + Self.figures(row, l)
                  })
        return out.text
    }

    private struct JSONReport: Encodable {
        var campaign: String
        var campaignName: String
        var period: String
        var from: Day
        var through: Day
        var deadline: Day
        var start: String
        var rows: [JSONRow]

        init(_ r: CompletenessReport) {
            (campaign, campaignName, period, from, through, deadline, start) =
                (r.campaign, r.campaignName, r.period.description, r.from, r.through, r.deadline, r.startCode)
            rows = r.rows.map { row in
                JSONRow(code: row.code, name: row.name, kind: row.kind.rawValue, within: row.within, depth: row.depth,
                        expected: row.expected, reported: row.reported, onTime: row.onTime, late: row.late, never: row.never,
                        rate: row.rate)
            }
        }
    }

    private struct JSONRow: Encodable {
        var code: String
        var name: String
        var kind: String
        var within: String?
        var depth: Int
        var expected: Int
        var reported: Int
        var onTime: Int
        var late: Int
        var never: Int
        var rate: Double?
    }
}
