import Yams

extension CampaignFile {
    /// The keys of a validation rule under `rules:`.
    public static let ruleKeys = ["id", "rule", "scope", "severity", "missing", "message", "message_en"]
}

extension CampaignReader {
    /// The validation rules under `rules:`, each checked against the campaign's metrics
    /// (`metrics`: built-in and declared) and the area attributes; every problem names its line.
    mutating func readRules(_ node: Node, metrics: [String]) -> [ValidationRule] {
        if node.isNull { return [] }
        guard case .sequence(let items) = node else {
            add(node, Phrase("rules.problem.not_a_list", parts: ["kind": .kind(of: node)]))
            return []
        }
        var out: [ValidationRule] = []
        var lines: [String: Int] = [:]
        for (n, item) in items.enumerated() {
            let (rule, id) = readRule(item, number: n + 1, metrics: metrics)
            guard let id else { continue }
            if let first = lines[id] {
                add(item, Phrase("rules.problem.id_twice", ["id": id], counts: ["line": first]))
                continue
            }
            lines[id] = item.mark?.line ?? 1
            if let rule { out.append(rule) }
        }
        return out
    }

    /// One rule (nil when it has problems) and its id.
    mutating func readRule(_ node: Node, number: Int, metrics: [String]) -> (ValidationRule?, String?) {
        let before = problems.count
        let fields = self.fields(node, of: Phrase("rules.what.rule"), CampaignFile.ruleKeys)
        guard case .mapping = node else { return (nil, nil) }
        let id = fields["id"].flatMap { readID($0.value, key: .fileKey("id"), example: "eid-not-above-reached") }
        context = id.map { Phrase("rules.problem.in_rule", ["id": $0]) }
            ?? Phrase("rules.problem.in_rule.number", counts: ["number": number])
        defer { context = nil }
        for key in ["id", "rule", "message"] where fields[key] == nil && !misspelt.contains(key) {
            add(node, Phrase("rules.problem.missing", ["key": key]))
        }
        let message = fields["message"].flatMap { string($0.value, key: .fileKey("message")) }
        let english = fields["message_en"].flatMap { string($0.value, key: .fileKey("message_en")) }
        let scope = word(fields["scope"]?.value, key: "scope", default: RuleScope.session)
        let severity = word(fields["severity"]?.value, key: "severity", default: RuleSeverity.warning)
        let missing = word(fields["missing"]?.value, key: "missing", default: MissingValues.skip)

        var parsed: (left: RuleExpression, op: ComparisonOperator, right: RuleExpression, text: String)? = nil
        if let ruleNode = fields["rule"]?.value, let text = string(ruleNode, key: .fileKey("rule")) {
            do {
                let (l, op, r) = try RuleParser.parse(text)
                let found = RuleCheck.problems(l, r, metrics: metrics)
                for problem in found { add(ruleNode, problem.phrase(text: text, metrics: metrics)) }
                if found.isEmpty { parsed = (l, op, r, text) }
            } catch {
                add(ruleNode, error.phrase(text: text))
            }
        }
        guard problems.count == before, let id, let message, let scope, let severity, let missing, let parsed else {
            return (nil, id)
        }
        return (ValidationRule(id: id, text: parsed.text, left: parsed.left, op: parsed.op, right: parsed.right, scope: scope,
                               severity: severity, missing: missing, message: message, messageEnglish: english), id)
    }

    /// One of the words of `W` under `key` (`scope: session`), its default when absent; nil after a problem.
    mutating func word<W: RawRepresentable & CaseIterable>(_ node: Node?, key: String, default value: W) -> W?
    where W.RawValue == String {
        guard let node else { return value }
        guard let text = string(node, key: .fileKey(key)) else { return nil }
        if let w = W(rawValue: text) { return w }
        add(node, Phrase("rules.problem.word", ["key": key, "word": text,
                                                "words": W.allCases.map(\.rawValue).joined(separator: " | ")]))
        return nil
    }
}

extension RuleParser.SyntaxError {
    /// What to tell the user: the rule as written, where it goes wrong, and why.
    func phrase(text: String) -> Phrase {
        let values = ["rule": text]
        let why: Phrase
        switch kind {
        case .unexpectedCharacter(let c): why = Phrase("rules.syntax.character", ["text": c])
        case .unexpectedEnd: why = Phrase("rules.syntax.end")
        case .expectedOperand(let t): why = Phrase("rules.syntax.operand", ["text": t])
        case .unclosedParenthesis: why = Phrase("rules.syntax.unclosed")
        case .unexpected(let t): why = Phrase("rules.syntax.unexpected", ["text": t])
        case .noComparison: why = Phrase("rules.syntax.no_comparison")
        case .secondComparison(let t): why = Phrase("rules.syntax.second_comparison", ["text": t])
        case .badComparison(let t): why = Phrase("rules.syntax.bad_comparison", ["text": t])
        case .badNumber(let t): why = Phrase("rules.syntax.number", ["text": t])
        }
        return Phrase("rules.problem.syntax", values, counts: ["position": position], parts: ["why": why])
    }
}

extension RuleCheck.Problem {
    /// What to tell the user about the rule `text`.
    func phrase(text: String, metrics: [String]) -> Phrase {
        let names = ["rule": text, "codes": metrics.joined(separator: ", "),
                     "attributes": AreaAttributes.names.joined(separator: ", ")]
        switch self {
        case let .unknownName(name, near?):
            return Phrase("rules.problem.unknown_name.near", names.merging(["name": name, "near": near]) { $1 })
        case let .unknownName(name, nil):
            return Phrase("rules.problem.unknown_name", names.merging(["name": name]) { $1 })
        case .noMetric:
            return Phrase("rules.problem.no_metric", names)
        case .divisionByZero:
            return Phrase("rules.problem.division_by_zero", ["rule": text])
        }
    }
}
