/// Renders `sessions list`.
public enum SessionListing {
    /// The sessions in `format`. The table shows the first 8 characters of each id (enough for
    /// `sessions void`) and only the metric columns that hold a value, in the language of
    /// `labels`; CSV and JSON keep ISO dates and the metric codes. Metrics campaigns declare
    /// follow the built-in ones when any listed session has them: in the table under their label
    /// (`metricNames`, from the campaign files; the code when a campaign gives none), in CSV by code.
    public static func render(_ sessions: [SessionEntry], as format: OutputFormat, labels: Labels,
                              metricNames: [String: MetricName] = [:]) throws -> String {
        let campaignCodes = Set(sessions.flatMap(\.metrics.keys)).filter { Metric(code: $0) == nil }.sorted()
        let codes = Metric.allCases.map(\.code) + campaignCodes
        switch format {
        case .table:
            let used = Metric.allCases.filter { metric in sessions.contains { $0.metrics[metric.code] != nil } }
            let columns = [TableColumn(labels["sessions.col.id"]), TableColumn(labels["sessions.col.date"]),
                           TableColumn(labels["sessions.col.area"]), TableColumn(labels["sessions.col.team"])]
                + used.map { TableColumn(metricTitle($0, labels), rightAligned: true) }
                + campaignCodes.map { TableColumn((metricNames[$0]?.text(labels.language) ?? $0).uppercased(), rightAligned: true) }
                + [TableColumn(labels["sessions.col.status"]), TableColumn(labels["sessions.col.notes"])]
            let shown = used.map(\.code) + campaignCodes
            return TextTable.render(columns, sessions.map { s in
                [String(s.id.prefix(8)), labels.date(s.date), s.area, s.team ?? ""]
                    + shown.map { s.metrics[$0].map(labels.count) ?? "" }
                    + [status(s, labels), s.notes ?? ""]
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

    /// A metric's column title: `TỜ RƠI` (vi), `LEAFLETS` (en).
    static func metricTitle(_ metric: Metric, _ labels: Labels) -> String {
        switch metric {
        case .eidL2: labels["sessions.col.eid_l2"]
        case .bankAccount: labels["sessions.col.bank_account"]
        case .ewallet: labels["sessions.col.ewallet"]
        case .leaflets: labels["sessions.col.leaflets"]
        case .dvcGuided: labels["sessions.col.dvc_guided"]
        case .householdsVisited: labels["sessions.col.households_visited"]
        case .peopleReached: labels["sessions.col.people_reached"]
        case .smartphoneSetup: labels["sessions.col.smartphone_setup"]
        }
    }

    private static func status(_ s: SessionEntry, _ labels: Labels) -> String {
        guard let v = s.voided else { return labels["sessions.status.live"] }
        let voided = labels("sessions.status.voided", ["date": labels.date(v.date), "reason": v.reason])
        guard let replacement = v.replacedBy else { return voided }
        return voided + labels("sessions.status.replaced", ["id": String(replacement.prefix(8))])
    }
}
