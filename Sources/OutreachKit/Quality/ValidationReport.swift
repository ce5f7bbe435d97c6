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
    /// The breaches of `campaign`'s session rules by `sessions` (live ones), whose hamlets
    /// `tree` holds: the checks of a scan (`SessionRuleScan`) over a list. By date, then row.
    public static func sessionViolations(_ campaign: Campaign, sessions: [ScannedSession], tree: AreaTree) -> [Violation] {
        let scan = SessionRuleScan(campaign, tree: tree)
        var state = SessionRuleScan.State(scan)
        for s in sessions { scan.check(s, &state) }
        return scan.violations(state)
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

/// The session rules of a campaign compiled for a scan of sessions (`WorkspaceStore.scanSessions`):
/// each session's counts of the metrics the rules name, and its hamlet's attributes from the tree,
/// in a table of numbers the rules read by place. Pure and `Sendable`: the engine calls `check`
/// on each session as it reads it, and only breaches are kept.
public struct SessionRuleScan: Sendable {
    /// The metrics the session rules name, in the order a scan reads them (`SessionScan.metrics`).
    public let metrics: [String]
    private let rules: [ValidationRule]
    private let compiled: [(left: RuleExpression, right: RuleExpression, zero: Bool)]
    private let tree: AreaTree
    /// Each tree node's attributes in `AreaAttributes.names` order (NaN: not set); empty when no
    /// rule names one.
    private let attributes: [Double]
    private let width: Int

    /// One rule broken by one session, numbers only until the report is made.
    struct Breach: Sendable {
        var session: ScannedSession
        var rule: Int
        var left: Double
        var right: Double
    }

    /// What a scan carries from session to session: the breaches so far and the value tables,
    /// reused.
    public struct State: Sendable {
        var breaches: [Breach] = []
        var raw: [Double]
        var zeroed: [Double]

        public init(_ scan: SessionRuleScan) {
            raw = [Double](repeating: .nan, count: scan.width)
            zeroed = raw
        }
    }

    public init(_ campaign: Campaign, tree: AreaTree) {
        rules = campaign.rules.filter { $0.scope == .session }
        var metrics: [String] = []
        for rule in rules {
            for n in rule.names where !AreaAttributes.names.contains(n) && !metrics.contains(n) { metrics.append(n) }
        }
        self.metrics = metrics
        var places: [String: Int] = [:]
        for (i, code) in metrics.enumerated() { places[code] = i }
        for (i, name) in AreaAttributes.names.enumerated() { places[name] = metrics.count + i }
        width = metrics.count + AreaAttributes.names.count
        compiled = rules.map { ($0.left.resolved(places), $0.right.resolved(places), $0.missing == .zero) }
        self.tree = tree
        if rules.contains(where: { $0.names.contains(where: AreaAttributes.names.contains) }) {
            var table = [Double](repeating: .nan, count: tree.nodes.count * AreaAttributes.names.count)
            for (i, node) in tree.nodes.enumerated() {
                for (k, name) in AreaAttributes.names.enumerated() {
                    if let v = node.attributes[name] { table[i * AreaAttributes.names.count + k] = Double(v) }
                }
            }
            attributes = table
        } else {
            attributes = []
        }
    }

    /// Whether there is any session rule to check.
    public var isEmpty: Bool { rules.isEmpty }

    /// Checks one session, keeping its breaches in `state`.
    public func check(_ s: ScannedSession, _ state: inout State) {
        let m = metrics.count
        for i in 0..<m { state.raw[i] = s.values[i].map(Double.init) ?? .nan }
        let n = AreaAttributes.names.count
        if !attributes.isEmpty, let at = tree.index(ofID: s.area) {
            for k in 0..<n { state.raw[m + k] = attributes[at * n + k] }
        } else {
            for k in 0..<n { state.raw[m + k] = .nan }
        }
        for i in 0..<width { state.zeroed[i] = state.raw[i].isNaN ? 0 : state.raw[i] }
        var found: [Breach] = []
        state.raw.withUnsafeBufferPointer { r in
            state.zeroed.withUnsafeBufferPointer { z in
                for (i, c) in compiled.enumerated() {
                    let values = c.zero ? z : r
                    let l = c.left.evaluate(values), rv = c.right.evaluate(values)
                    guard l.isFinite, rv.isFinite, !rules[i].op.holds(l, rv) else { continue }
                    found.append(Breach(session: s, rule: i, left: l, right: rv))
                }
            }
        }
        if !found.isEmpty { state.breaches += found }
    }

    /// The breaches kept in `state` as violations, by date, then the order the sessions were
    /// stored in, then the rules' order; each names its hamlet by the tree.
    public func violations(_ state: State) -> [Violation] {
        state.breaches.sorted { ($0.session.day, $0.session.row, $0.rule) < ($1.session.day, $1.session.row, $1.rule) }.map { b in
            let node = tree.index(ofID: b.session.area).map { tree.nodes[$0] }
            return Violation(unit: node?.code ?? "", unitName: node?.name ?? "", session: b.session.id, date: b.session.day,
                             outcome: RuleOutcome(left: b.left, right: b.right, holds: false), rule: rules[b.rule])
        }
    }
}
