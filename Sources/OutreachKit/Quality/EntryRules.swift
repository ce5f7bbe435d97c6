/// The session rules of one campaign as checked when a session is entered (`log`, `sessions
/// import`, the web form and the API): only sessions in the campaign's scope and period.
public struct EntryRules: Sendable, Equatable {
    public var campaign: String
    /// The code of the scope's root (`all` for the whole tree).
    public var scope: String
    public var start: Day
    public var end: Day
    /// The campaign's rules of `scope: session`, in file order.
    public var rules: [ValidationRule]

    public init(campaign: Campaign) {
        self.campaign = campaign.id
        self.scope = campaign.scope
        self.start = campaign.start
        self.end = campaign.end
        self.rules = campaign.rules.filter { $0.scope == .session }
    }

    /// The entry rules of the campaigns that have session rules.
    public static func of(_ campaigns: [Campaign]) -> [EntryRules] {
        campaigns.map(EntryRules.init).filter { !$0.rules.isEmpty }
    }

    /// Whether these rules apply on `day` (the area is checked by the caller, through `covers`).
    func applies(on day: Day) -> Bool { start <= day && day <= end }

    /// Whether the scope is the whole tree (no area needs looking up).
    var coversWholeTree: Bool { scope == Campaign.wholeTreeScope }
}

/// A session rule broken by a session being entered.
public struct BrokenRule: Equatable, Sendable {
    public var campaign: String
    public var rule: ValidationRule
    public var outcome: RuleOutcome

    /// The warning people read (`eid-not-above-reached`: the message, both sides); `file` and
    /// `line` for an import.
    func warning(file: String? = nil, line: Int? = nil) -> Warning {
        Warning(file: file, line: line, phrase("rules.entry.warning"))
    }

    /// The sentence of `key` (placeholders `{id}`, `{campaign}`, `{rule}`, `{left}`, `{right}`,
    /// `{message}`).
    func phrase(_ key: String) -> Phrase {
        var p = Phrase(key, ["id": rule.id, "campaign": campaign, "rule": rule.text,
                             "left": RuleValue.text(outcome.left), "right": RuleValue.text(outcome.right)])
        p.texts["message"] = [.vi: rule.message, .en: rule.message(.en)]
        return p
    }
}

/// Numbers of rules as people and files read them: whole numbers without a decimal point, others
/// with up to two decimals (`.`, as in the rule's text).
public enum RuleValue {
    public static func text(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        let s = String(format: "%.2f", x)
        var t = Substring(s)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }
}

extension [EntryRules] {
    /// The rules broken by a session dated `day` whose values `value` gives by name (nil:
    /// missing); `covers` says whether the session's area lies under a scope code. The same
    /// rule in several campaigns over the session is one finding (the first campaign's).
    func broken(day: Day, covers: (String) -> Bool, value: (String) -> Double?) -> [BrokenRule] {
        var out: [BrokenRule] = []
        var seen = Set<String>()
        for set in self where set.applies(on: day) && (set.coversWholeTree || covers(set.scope)) {
            for rule in set.rules {
                if let outcome = rule.check(value), !outcome.holds, seen.insert(rule.text + "|" + rule.severity.rawValue).inserted {
                    out.append(BrokenRule(campaign: set.campaign, rule: rule, outcome: outcome))
                }
            }
        }
        return out
    }
}

/// A session refused at entry because it breaks `error` rules.
public struct RuleRefusal: Error, Equatable, Sendable, UserFacingError {
    public var broken: [BrokenRule]

    public var message: String { phrases.map(\.english).joined(separator: "\n") }

    public func message(in labels: Labels) -> String? { phrases.map { $0.text(labels) }.joined(separator: "\n") }

    /// One sentence per rule broken.
    public var phrases: [Phrase] { broken.map { $0.phrase("rules.entry.refused") } }
}

extension NewSession {
    /// The value of `name` in this session in `area` (nil: not recorded, or not known).
    func ruleValue(_ name: String, area: AreaFacts) -> Double? {
        if let m = Metric(code: name) { return metrics[m].map(Double.init) }
        switch name {
        case "population": return area.population.map(Double.init)
        case "adults": return area.adults.map(Double.init)
        case "households": return area.households.map(Double.init)
        case "working_age": return area.workingAge.map(Double.init)
        default: return campaignCounts[name].map(Double.init)
        }
    }
}

/// Rules ready to be checked on many rows: each side's names resolved to places in a row of
/// values (`RuleSlots`), each scope to an area id.
struct CompiledRules {
    struct Item {
        var campaign: String
        var rule: ValidationRule
        var left: RuleExpression
        var right: RuleExpression
        /// The scope's area id; nil for the whole tree.
        var scopeID: Int64?
        var start: Int
        var end: Int
    }
    private(set) var items: [Item] = []
    let slots: RuleSlots

    /// The rules of `sets` over rows laid out by `slots`; `scopeID` finds a scope's area (a
    /// scope the workspace does not have covers no session).
    init(_ sets: [EntryRules], slots: RuleSlots, scopeID: (String) -> Int64?) {
        self.slots = slots
        for set in sets {
            var id: Int64? = nil
            if !set.coversWholeTree {
                guard let found = scopeID(set.scope) else { continue }
                id = found
            }
            for rule in set.rules {
                items.append(Item(campaign: set.campaign, rule: rule, left: rule.left.resolved(slots.places),
                                  right: rule.right.resolved(slots.places), scopeID: id, start: set.start.number, end: set.end.number))
            }
        }
    }

    var isEmpty: Bool { items.isEmpty }

    /// The rules broken by a row dated `day` (a day number) with values `raw` (NaN: missing) and
    /// the same with 0 for missing (`zeroed`); `within` says whether the row's area lies under
    /// an area id.
    @inline(__always)
    func broken(day: Int, within: (Int64) -> Bool, raw: UnsafeBufferPointer<Double>, zeroed: UnsafeBufferPointer<Double>,
                _ found: (Item, RuleOutcome) -> Void) {
        // The same rule in several campaigns over the row is one finding (the first campaign's).
        var seen: Set<String>? = nil
        for item in items where item.start <= day && day <= item.end {
            let values = item.rule.missing == .zero ? zeroed : raw
            let l = item.left.evaluate(values), r = item.right.evaluate(values)
            guard l.isFinite, r.isFinite, !item.rule.op.holds(l, r) else { continue }
            if let scope = item.scopeID, !within(scope) { continue }
            if seen == nil { seen = [] }
            guard seen!.insert(item.rule.text + "|" + item.rule.severity.rawValue).inserted else { continue }
            found(item, RuleOutcome(left: l, right: r, holds: false))
        }
    }
}

/// Where each name's value sits in a row of values: the built-in metrics (by `Metric.index`),
/// the area attributes (in `AreaAttributes.names` order), then the campaign metrics given.
struct RuleSlots {
    let places: [String: Int]
    let width: Int
    static let attributesAt = MetricValues.width

    init(campaignMetrics: [String]) {
        var places: [String: Int] = [:]
        for m in Metric.allCases { places[m.code] = m.index }
        for (i, name) in AreaAttributes.names.enumerated() { places[name] = RuleSlots.attributesAt + i }
        let metricsAt = RuleSlots.attributesAt + AreaAttributes.names.count
        for (i, code) in campaignMetrics.enumerated() { places[code] = metricsAt + i }
        self.places = places
        width = metricsAt + campaignMetrics.count
    }

    /// The place of the first campaign metric.
    var campaignMetricsAt: Int { RuleSlots.attributesAt + AreaAttributes.names.count }
}
