/// A validation rule of a campaign (`rules:` in its file), DHIS2-style: `left op right` over
/// metric codes and area attributes, checked on each session or on each unit's totals over the
/// campaign.
public struct ValidationRule: Equatable, Sendable {
    /// The id, unique in the campaign (`eid-not-above-reached`).
    public var id: String
    /// The rule as written (`eid_l2 <= people_reached`).
    public var text: String
    public var left: RuleExpression
    public var op: ComparisonOperator
    public var right: RuleExpression
    public var scope: RuleScope
    public var severity: RuleSeverity
    public var missing: MissingValues
    /// What people read when the rule is broken, in Vietnamese.
    public var message: String
    public var messageEnglish: String?

    public init(id: String, text: String, left: RuleExpression, op: ComparisonOperator, right: RuleExpression,
                scope: RuleScope = .session, severity: RuleSeverity = .warning, missing: MissingValues = .skip,
                message: String, messageEnglish: String? = nil) {
        self.id = id
        self.text = text
        self.left = left
        self.op = op
        self.right = right
        self.scope = scope
        self.severity = severity
        self.missing = missing
        self.message = message
        self.messageEnglish = messageEnglish
    }

    /// A rule read from its text; throws the syntax error of `RuleParser`.
    public init(id: String, rule text: String, scope: RuleScope = .session, severity: RuleSeverity = .warning,
                missing: MissingValues = .skip, message: String, messageEnglish: String? = nil) throws(RuleParser.SyntaxError) {
        let (l, op, r) = try RuleParser.parse(text)
        self.init(id: id, text: text, left: l, op: op, right: r, scope: scope, severity: severity, missing: missing,
                  message: message, messageEnglish: messageEnglish)
    }

    /// The message in `language` (the Vietnamese one when there is no English one).
    public func message(_ language: Language) -> String {
        language == .en ? messageEnglish ?? message : message
    }

    /// Every name either side uses, each once.
    public var names: [String] {
        var out = left.names
        for n in right.names where !out.contains(n) { out.append(n) }
        return out
    }

    /// The outcome over values given by name (nil: missing): nil when the rule is not evaluated
    /// (a missing value under `missing: skip`, a division by zero), else both sides and whether
    /// the rule holds.
    public func check(_ value: (String) -> Double?) -> RuleOutcome? {
        let zero = missing == .zero
        func fill(_ name: String) -> Double? { zero ? value(name) ?? 0 : value(name) }
        guard let l = left.evaluate(fill), let r = right.evaluate(fill) else { return nil }
        return RuleOutcome(left: l, right: r, holds: op.holds(l, r))
    }
}

/// Both sides of a rule as evaluated, and whether it holds.
public struct RuleOutcome: Equatable, Sendable {
    public var left: Double
    public var right: Double
    public var holds: Bool
}

/// What a rule is checked on.
public enum RuleScope: String, CaseIterable, Equatable, Sendable, Codable {
    /// Each session's counts, and its hamlet's attributes.
    case session
    /// Each unit's totals over the campaign period, rolled up the tree, and its attributes
    /// summed up the tree as coverage does.
    case cumulative
}

/// How much a broken rule matters.
public enum RuleSeverity: String, CaseIterable, Equatable, Sendable, Codable {
    /// Said, never refused (the default).
    case warning
    /// Refuses a session at entry; `validate` exits with status 1.
    case error
}

/// What a missing value does to a rule.
public enum MissingValues: String, CaseIterable, Equatable, Sendable, Codable {
    /// The rule is not evaluated (the default).
    case skip
    /// A missing value counts as 0.
    case zero
}

/// Checks of the names a rule uses, as a campaign file is read.
public enum RuleCheck {
    /// What is wrong with the names or the arithmetic of `rule`, given the campaign's metrics.
    public enum Problem: Equatable, Sendable {
        /// A name that is neither a metric nor an attribute; `near` the likely one.
        case unknownName(String, near: String?)
        /// Only attributes and numbers: the rule checks the areas file, not the work.
        case noMetric
        /// A division by a constant zero.
        case divisionByZero
    }

    /// The problems of `left op right` given the metric codes known to the campaign.
    public static func problems(_ left: RuleExpression, _ right: RuleExpression, metrics: [String]) -> [Problem] {
        var out: [Problem] = []
        var names = left.names
        for n in right.names where !names.contains(n) { names.append(n) }
        for n in names where !metrics.contains(n) && !AreaAttributes.names.contains(n) {
            out.append(.unknownName(n, near: Spelling.suggestion(for: n, among: metrics + AreaAttributes.names)))
        }
        if out.isEmpty, !names.contains(where: metrics.contains) { out.append(.noMetric) }
        if dividesByZero(left) || dividesByZero(right) { out.append(.divisionByZero) }
        return out
    }

    private static func dividesByZero(_ e: RuleExpression) -> Bool {
        switch e {
        case .number, .name, .slot: return false
        case .negate(let x): return dividesByZero(x)
        case .binary(let a, let op, let b): return (op == .divide && b.isConstantZero) || dividesByZero(a) || dividesByZero(b)
        }
    }
}
