import Foundation

extension ValidationReport {
    /// The report as `format`: a table or Markdown for people (in the language of `l`), CSV and
    /// JSON for machines (ISO dates, `.` decimals, English keys, both messages).
    public func rendered(as format: CoverageFormat, labels l: Labels) throws -> String {
        switch format {
        case .table, .md: return text(markdown: format == .md, l)
        case .csv: return CSVWriter.render(header: Self.csvHeader, rows: violations.map { $0.csvRow(start: start, end: end) })
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(JSONReport(self)), as: UTF8.self) + "\n"
        }
    }

    static let csvHeader = ["unit", "name", "session", "date", "start", "end", "rule", "scope", "severity", "left", "right",
                            "expression", "message", "message_en"]

    private func text(markdown: Bool, _ l: Labels) -> String {
        let title = Phrase("rules.report.title", ["campaign": campaign], days: ["start": start, "end": end]).text(l)
        if ruleCount == 0 { return Phrase("rules.report.no_rules", ["campaign": campaign]).text(l) + "\n" }
        if violations.isEmpty { return (markdown ? "# " : "") + title + "\n\n" + l["rules.report.none"] + "\n" }
        let columns = ["rules.column.unit", "rules.column.name", "rules.column.session", "rules.column.when",
                       "rules.column.left", "rules.column.right", "rules.column.rule", "rules.column.severity",
                       "rules.column.message"].map { l[$0] }
        let period = l.date(start) + "–" + l.date(end)
        let rows = violations.map { v in
            [v.unit, v.unitName, v.session.map { String($0.prefix(8)) } ?? "", v.date.map(l.date) ?? period,
             RuleValue.text(v.left), RuleValue.text(v.right), v.rule, l["rules.severity." + v.severity.rawValue],
             l.language == .en ? v.messageEnglish ?? v.message : v.message]
        }
        let errors = violations.filter { $0.severity == .error }.count
        let summary = Phrase("rules.report.summary", counts: ["count": violations.count, "errors": errors,
                                                               "warnings": violations.count - errors]).text(l)
        if markdown {
            func cells(_ r: [String]) -> String {
                "| " + r.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
            }
            var out = "# \(title)\n\n" + cells(columns) + cells(columns.map { _ in "---" })
            for r in rows { out += cells(r) }
            return out + "\n" + summary + "\n"
        }
        let right: Set<Int> = [4, 5]
        return title + "\n\n" + TextTable.render(columns.enumerated().map { TableColumn($1, rightAligned: right.contains($0)) }, rows)
            + "\n" + summary + "\n"
    }

    private struct JSONReport: Encodable {
        var campaign: String
        var start: String
        var end: String
        var errors: Int
        var warnings: Int
        var violations: [JSONViolation]

        init(_ r: ValidationReport) {
            campaign = r.campaign
            start = r.start.description
            end = r.end.description
            errors = r.violations.filter { $0.severity == .error }.count
            warnings = r.violations.count - errors
            violations = r.violations.map(JSONViolation.init)
        }
    }

    private struct JSONViolation: Encodable {
        var unit: String
        var name: String
        var session: String?
        var date: String?
        var rule: String
        var expression: String
        var scope: String
        var severity: String
        var left: Double
        var right: Double
        var message: String
        var message_en: String?

        init(_ v: Violation) {
            unit = v.unit; name = v.unitName; session = v.session; date = v.date?.description
            rule = v.rule; expression = v.ruleText; scope = v.scope.rawValue; severity = v.severity.rawValue
            left = v.left; right = v.right; message = v.message; message_en = v.messageEnglish
        }
    }
}

extension Violation {
    /// The CSV cells; a cumulative breach names the window (`start`, `end`) it was summed over.
    func csvRow(start: Day, end: Day) -> [String] {
        let window = session == nil ? [start.description, end.description] : ["", ""]
        return [unit, unitName, session ?? "", date?.description ?? ""] + window + [rule, scope.rawValue, severity.rawValue,
         RuleValue.text(left), RuleValue.text(right), ruleText, message, messageEnglish ?? ""]
    }
}
