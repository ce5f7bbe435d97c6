import Testing
@testable import OutreachKit

@Suite("Validation over sessions and over totals rolled up the tree, and the rules checked at entry")
struct ValidationTests {
    /// A commune (no attributes of its own) with two hamlets.
    static let tree = AreaTree(nodes: [
        .init(id: 1, code: "16282", name: "Xã Tân Phúc", level: .commune),
        .init(id: 2, code: "16282-01", name: "Thôn 1", level: .hamlet, parent: 0, attributes: AreaAttributes(adults: 100, households: 40)),
        .init(id: 3, code: "16282-02", name: "Thôn 2", level: .hamlet, parent: 0, attributes: AreaAttributes(adults: 50)),
    ])

    static func campaign(_ rules: [ValidationRule]) -> Campaign {
        Campaign(id: "thu", name: "Thử", scope: "16282", start: Day(year: 2026, month: 10, day: 1)!,
                 end: Day(year: 2026, month: 12, day: 31)!, indicators: [], extraMetrics: ["dvc_submitted"], rules: rules)
    }

    @Test("cumulative rules see each unit's rolled-up totals and attributes summed up the tree; missing: zero and skip")
    func cumulative() throws {
        let rules = [try ValidationRule(id: "adults", rule: "eid_l2 <= adults * 0.9", scope: .cumulative, message: "a"),
                     try ValidationRule(id: "households", rule: "households_visited <= households", scope: .cumulative,
                                        missing: .zero, message: "h")]
        var totals = OwnTotals(count: 3)
        var one = MetricValues(), two = MetricValues()
        one[.eidL2] = 95
        one[.householdsVisited] = 30
        two[.eidL2] = 40
        two[.householdsVisited] = 20
        totals.set(1, one)
        totals.set(2, two)
        let found = Validation.cumulativeViolations(Self.campaign(rules), tree: Self.tree, totals: totals)
        #expect(found.map { "\($0.rule) \($0.unit) \(RuleValue.text($0.left)) \(RuleValue.text($0.right))" } == [
            "households 16282 50 40",   // the commune's households are its hamlets' (40 + none)
            "adults 16282-01 95 90",
            "households 16282-02 20 0",  // no households: 0 with missing: zero
        ])
        #expect(found.allSatisfy { $0.session == nil && $0.scope == .cumulative })
    }

    @Test("session rules read the session's counts (declared metrics too) and its hamlet's attributes, by date then row")
    func sessions() throws {
        let rules = [try ValidationRule(id: "reached", rule: "eid_l2 + dvc_submitted <= people_reached", message: "r"),
                     try ValidationRule(id: "adults", rule: "eid_l2 <= adults", severity: .error, message: "a")]
        let day = Day(year: 2026, month: 11, day: 3)!
        let scan = SessionRuleScan(Self.campaign(rules), tree: Self.tree)
        #expect(scan.metrics == ["eid_l2", "dvc_submitted", "people_reached"], "only the metrics the rules name are read")
        func session(_ row: Int64, area: Int64, _ counts: [String: Int], on date: Day = day) -> ScannedSession {
            ScannedSession(row: row, uuidHigh: 0, uuidLow: UInt64(row), day: date, area: area, team: nil,
                           values: scan.metrics.map { counts[$0] })
        }
        // Read out of order, as a scan reads them: reported by date, then by row.
        let sessions = [
            session(3, area: 3, ["eid_l2": 70], on: day.adding(days: 1)),
            session(2, area: 3, ["eid_l2": 60]),
            session(1, area: 2, ["eid_l2": 5, "dvc_submitted": 3, "people_reached": 7]),
        ]
        let found = Validation.sessionViolations(Self.campaign(rules), sessions: sessions, tree: Self.tree)
        #expect(found.map { "\($0.rule) \($0.unit) \($0.session!.suffix(1)) \(RuleValue.text($0.left)) \(RuleValue.text($0.right))" } == [
            "reached 16282-01 1 8 7", "adults 16282-02 2 60 50", "adults 16282-02 3 70 50",
        ])
        #expect(found[0].session == "00000000-0000-0000-0000-000000000001" && found[0].unitName == "Thôn 1")
        #expect(ValidationReport(campaign: "thu", start: day, end: day, ruleCount: 2, violations: found).hasErrors)
        #expect(!ValidationReport(campaign: "thu", start: day, end: day, ruleCount: 2, violations: Array(found.prefix(1))).hasErrors)
    }

    @Test("entry rules apply only in the campaign's period and scope; errors and warnings apart")
    func entry() throws {
        let rules = [try ValidationRule(id: "cap", rule: "eid_l2 <= 500", severity: .error, message: "c", messageEnglish: "cap"),
                     try ValidationRule(id: "total", rule: "eid_l2 <= adults", scope: .cumulative, message: "t")]
        let sets = EntryRules.of([Self.campaign(rules)])
        #expect(sets.count == 1 && sets[0].rules.map(\.id) == ["cap"], "only session rules are checked at entry")
        let inside = Day(year: 2026, month: 11, day: 3)!, after = Day(year: 2027, month: 1, day: 3)!
        let value: (String) -> Double? = { $0 == "eid_l2" ? 600 : nil }
        #expect(sets.broken(day: inside, covers: { $0 == "16282" }, value: value).map(\.rule.id) == ["cap"])
        #expect(sets.broken(day: after, covers: { $0 == "16282" }, value: value).isEmpty)
        #expect(sets.broken(day: inside, covers: { _ in false }, value: value).isEmpty)
        let refusal = RuleRefusal(broken: sets.broken(day: inside, covers: { _ in true }, value: value))
        #expect(refusal.message == "Refused by rule cap of campaign thu: cap (eid_l2 <= 500: 600 against 500). Nothing was recorded; correct the counts, or ask whoever keeps the campaign file.")
    }
}
