extension WorkspaceStore {
    /// The validation report of `campaign` under `under` (default: its scope) over the campaign
    /// period, narrowed to `period` when given: the live sessions of the window for its session
    /// rules, each unit's totals over the window for its cumulative rules.
    public func validationReport(campaign: Campaign, under: String?, period: Period?) async throws -> ValidationReport {
        var start = campaign.start, end = campaign.end
        if let period {
            start = Swift.max(start, period.start)
            end = Swift.min(end, period.end)
        }
        var report = ValidationReport(campaign: campaign.id, start: start, end: end, ruleCount: campaign.rules.count, violations: [])
        guard !campaign.rules.isEmpty, start <= end else { return report }
        // The totals of the metrics the cumulative rules name, through coverage's reading.
        var window = campaign
        window.start = start
        window.end = end
        var counted = campaign.rules.filter { $0.scope == .cumulative }.flatMap(\.names)
            .filter { !AreaAttributes.names.contains($0) }
        if counted.isEmpty { counted = [Metric.eidL2.code] }
        window.indicators = [Indicator(id: "rules", label: "rules", numerator: Array(Set(counted)).sorted(), denominator: nil,
                                       target: .count(0))]
        let inputs = try await coverageInputs(campaign: window, options: CoverageReport.Options(asOf: end, under: under),
                                              countryName: Campaign.wholeTreeName, wholeTree: nil)
        let tree = inputs.tree
        let startCode = campaign.startCode(under: under)
        let starts = startCode.flatMap { tree.index(of: $0) }.map { [$0] }
        let rules = SessionRuleScan(campaign, tree: tree)
        if !rules.isEmpty {
            // One pass over the window's live sessions, reading only the counts the rules name.
            let scan = SessionScan(under: startCode, from: start, through: end, metrics: rules.metrics)
            let state = try await scanSessions(scan, into: SessionRuleScan.State(rules)) { state, session in
                rules.check(session, &state)
            }
            report.violations += rules.violations(state)
        }
        report.violations += Validation.cumulativeViolations(campaign, tree: tree, totals: inputs.totals, starts: starts)
        return report
    }
}
