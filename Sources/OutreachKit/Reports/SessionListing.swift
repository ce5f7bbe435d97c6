/// Renders `sessions list`.
public enum SessionListing {
    /// The sessions in `format`. The table shows the first 8 characters of each id (enough for
    /// `sessions void`) and only the metric columns that hold a value.
    public static func render(_ sessions: [SessionEntry], as format: OutputFormat) throws -> String {
        let codes = Metric.allCases.map(\.code)
        switch format {
        case .table:
            let used = codes.filter { code in sessions.contains { $0.metrics[code] != nil } }
            let columns = [TableColumn("ID"), TableColumn("DATE"), TableColumn("AREA"), TableColumn("TEAM")]
                + used.map { TableColumn($0.uppercased(), rightAligned: true) } + [TableColumn("STATUS"), TableColumn("NOTES")]
            return TextTable.render(columns, sessions.map { s in
                [String(s.id.prefix(8)), s.date.iso, s.area, s.team ?? ""]
                    + used.map { s.metrics[$0].map(String.init) ?? "" }
                    + [status(s), s.notes ?? ""]
            })
        case .csv:
            return CSVWriter.render(
                header: ["id", "date", "area", "team", "logged_by"] + codes + ["notes", "voided", "void_reason", "replaced_by"],
                rows: sessions.map { s in
                    [s.id, s.date.iso, s.area, s.team ?? "", s.loggedBy ?? ""] + codes.map { s.metrics[$0].map(String.init) ?? "" }
                        + [s.notes ?? "", s.voided?.date.iso ?? "", s.voided?.reason ?? "", s.voided?.replacedBy ?? ""]
                })
        case .json:
            return try JSONOutput.render(sessions)
        }
    }

    private static func status(_ s: SessionEntry) -> String {
        guard let v = s.voided else { return "live" }
        let replaced = v.replacedBy.map { ", replaced by \($0.prefix(8))" } ?? ""
        return "voided \(v.date.iso): \(v.reason)\(replaced)"
    }
}
