/// Every breach of a campaign's validation rules over a window of days (`outreach validate`):
/// session rules on each live session, cumulative rules on each unit's totals rolled up the tree.
public struct ValidationReport: Equatable, Sendable {
    public var campaign: String
    public var start: Day
    public var end: Day
    /// How many rules the campaign has.
    public var ruleCount: Int
    /// Session breaches by date (then session id), then cumulative breaches in tree order.
    public var violations: [Violation]

    public init(campaign: String, start: Day, end: Day, ruleCount: Int, violations: [Violation]) {
        self.campaign = campaign
        self.start = start
        self.end = end
        self.ruleCount = ruleCount
        self.violations = violations
    }

    /// Whether an `error` rule is broken (`validate` exits with status 1).
    public var hasErrors: Bool { violations.contains { $0.severity == .error } }
}

/// One rule broken by one session, or by one unit's totals.
public struct Violation: Equatable, Sendable {
    public var unit: String
    public var unitName: String
    /// The session (its id and date) for a session rule; nil for a cumulative one.
    public var session: String?
    public var date: Day?
    public var left: Double
    public var right: Double
    public var rule: String
    public var ruleText: String
    public var scope: RuleScope
    public var severity: RuleSeverity
    public var message: String
    public var messageEnglish: String?

    init(unit: String, unitName: String, session: String? = nil, date: Day? = nil, outcome: RuleOutcome, rule: ValidationRule) {
        self.unit = unit
        self.unitName = unitName
        self.session = session
        self.date = date
        self.left = outcome.left
        self.right = outcome.right
        self.rule = rule.id
        self.ruleText = rule.text
        self.scope = rule.scope
        self.severity = rule.severity
        self.message = rule.message
        self.messageEnglish = rule.messageEnglish
    }
}

/// The checks of `validate`, pure: the caller reads the sessions, the tree and the totals.
public enum Validation {
    /// The breaches of `campaign`'s session rules by `sessions` (live, in date order), whose
    /// hamlets' attributes `attributes` gives by area code.
    public static func sessionViolations(_ campaign: Campaign, sessions: [SessionEntry],
                                         attributes: (String) -> AreaAttributes?) -> [Violation] {
        let rules = campaign.rules.filter { $0.scope == .session }
        if rules.isEmpty { return [] }
        let slots = RuleSlots(campaignMetrics: campaign.extraMetrics)
        let compiled = rules.map { (rule: $0, left: $0.left.resolved(slots.places), right: $0.right.resolved(slots.places)) }
        var raw = [Double](repeating: .nan, count: slots.width)
        var zeroed = raw
        var out: [Violation] = []
        var lastArea = ""
        var lastAttributes: AreaAttributes? = nil
        for s in sessions {
            for i in raw.indices { raw[i] = .nan }
            for (code, value) in s.metrics { if let at = slots.places[code] { raw[at] = Double(value) } }
            if s.area != lastArea { lastArea = s.area; lastAttributes = attributes(s.area) }
            if let a = lastAttributes {
                for (i, name) in AreaAttributes.names.enumerated() { raw[RuleSlots.attributesAt + i] = a[name].map(Double.init) ?? .nan }
            }
            for i in raw.indices { zeroed[i] = raw[i].isNaN ? 0 : raw[i] }
            raw.withUnsafeBufferPointer { r in
                zeroed.withUnsafeBufferPointer { z in
                    for c in compiled {
                        let values = c.rule.missing == .zero ? z : r
                        let l = c.left.evaluate(values), rv = c.right.evaluate(values)
                        guard l.isFinite, rv.isFinite, !c.rule.op.holds(l, rv) else { continue }
                        out.append(Violation(unit: s.area, unitName: s.areaName, session: s.id, date: s.date,
                                             outcome: RuleOutcome(left: l, right: rv, holds: false), rule: c.rule))
                    }
                }
            }
        }
        return out
    }

    /// The breaches of `campaign`'s cumulative rules by the units of `tree` under `starts`
    /// (tree indexes), each with its own totals (`totals`) and its subtree's rolled up; an
    /// attribute is the unit's own, else the sum of its children's, as coverage rolls
    /// denominators. Tree order.
    public static func cumulativeViolations(_ campaign: Campaign, tree: AreaTree, totals: OwnTotals,
                                            starts: [Int]? = nil) -> [Violation] {
        let rules = campaign.rules.filter { $0.scope == .cumulative }
        if rules.isEmpty { return [] }
        let walk = TreeWalk(tree, from: starts)
        let metricNames = campaign.rules.flatMap(\.names).filter { !AreaAttributes.names.contains($0) }
        var names: [String] = []
        for n in metricNames where !names.contains(n) { names.append(n) }
        let columns = names.map { totals.column(of: $0) }
        let attributeCount = AreaAttributes.names.count
        // Per position: the rolled-up metric sums (nil: none recorded below) and attributes.
        var sums = [Int?](repeating: nil, count: walk.count * names.count)
        var attributes = [Int?](repeating: nil, count: walk.count * attributeCount)
        var childAttributes = [Int?](repeating: nil, count: walk.count * attributeCount)
        for p in stride(from: walk.count - 1, through: 0, by: -1) {
            let index = walk.indexes[p]
            for (k, column) in columns.enumerated() {
                guard let column, let own = totals.sum(at: index, of: [column]) else { continue }
                sums[p * names.count + k] = (sums[p * names.count + k] ?? 0).addingClamped(own)
            }
            let node = tree.nodes[index]
            for (k, name) in AreaAttributes.names.enumerated() {
                attributes[p * attributeCount + k] = node.attributes[name] ?? childAttributes[p * attributeCount + k]
            }
            let parent = walk.parents[p]
            guard parent >= 0 else { continue }
            for k in names.indices {
                if let v = sums[p * names.count + k] { sums[parent * names.count + k] = (sums[parent * names.count + k] ?? 0).addingClamped(v) }
            }
            for k in 0..<attributeCount {
                if let v = attributes[p * attributeCount + k] {
                    childAttributes[parent * attributeCount + k] = (childAttributes[parent * attributeCount + k] ?? 0) + v
                }
            }
        }
        var out: [Violation] = []
        for p in 0..<walk.count {
            let node = tree.nodes[walk.indexes[p]]
            if node.id == 0 && node.code == Campaign.wholeTreeScope { continue }
            func value(_ name: String) -> Double? {
                if let k = AreaAttributes.names.firstIndex(of: name) { return attributes[p * attributeCount + k].map(Double.init) }
                guard let k = names.firstIndex(of: name) else { return nil }
                return sums[p * names.count + k].map(Double.init)
            }
            for rule in rules {
                guard let outcome = rule.check(value), !outcome.holds else { continue }
                out.append(Violation(unit: node.code, unitName: node.name, outcome: outcome, rule: rule))
            }
        }
        return out
    }
}
