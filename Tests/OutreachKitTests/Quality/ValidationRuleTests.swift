import Testing
@testable import OutreachKit

@Suite("Validation rules: expressions, comparisons, missing values")
struct ValidationRuleTests {
    func rule(_ text: String, missing: MissingValues = .skip) throws -> ValidationRule {
        try ValidationRule(id: "r", rule: text, missing: missing, message: "m")
    }

    @Test("arithmetic follows precedence and parentheses")
    func arithmetic() throws {
        let e = try RuleParser.parseExpression("eid_l2 + bank_account * 2 - (adults - 10) / 4")
        let values: [String: Double] = ["eid_l2": 3, "bank_account": 5, "adults": 50]
        let value: Double? = e.evaluate { values[$0] }
        #expect(value == 3.0, "3 + 5 * 2 - (50 - 10) / 4")
        #expect(try RuleParser.parseExpression("-eid_l2 + 0.5").evaluate { _ in 2 } == -1.5)
        #expect(e.names == ["eid_l2", "bank_account", "adults"])
    }

    @Test("each comparison operator", arguments: [
        ("eid_l2 == 5", true), ("eid_l2 != 5", false), ("eid_l2 < 5", false), ("eid_l2 <= 5", true),
        ("eid_l2 > 5", false), ("eid_l2 >= 5", true), ("eid_l2 < 6", true), ("eid_l2 > 4", true), ("eid_l2 != 4", true),
    ])
    func operators(text: String, holds: Bool) throws {
        #expect(try rule(text).check { $0 == "eid_l2" ? 5 : nil }?.holds == holds)
    }

    @Test("missing: skip leaves the rule unchecked; missing: zero counts 0")
    func missing() throws {
        let values: [String: Double] = ["eid_l2": 4]
        #expect(try rule("eid_l2 <= people_reached").check { values[$0] } == nil)
        let zero = try #require(try rule("eid_l2 <= people_reached", missing: .zero).check { values[$0] })
        #expect(zero == RuleOutcome(left: 4, right: 0, holds: false))
        #expect(try rule("eid_l2 <= people_reached / smartphone_setup", missing: .zero).check { values[$0] } == nil,
                "a division by a zero value is not checked")
    }

    @Test("syntax errors say where", arguments: [
        ("eid_l2 <=", RuleParser.SyntaxError(kind: .unexpectedEnd, position: 10)),
        ("eid_l2 people_reached", RuleParser.SyntaxError(kind: .unexpected("people_reached"), position: 8)),
        ("(eid_l2 <= 3", RuleParser.SyntaxError(kind: .unclosedParenthesis, position: 1)),
        ("eid_l2 % 3 < 1", RuleParser.SyntaxError(kind: .unexpectedCharacter("%"), position: 8)),
        ("eid_l2 + 3", RuleParser.SyntaxError(kind: .noComparison, position: 11)),
        ("1 < eid_l2 < 3", RuleParser.SyntaxError(kind: .secondComparison("<"), position: 12)),
        ("eid_l2 = 3", RuleParser.SyntaxError(kind: .badComparison("="), position: 8)),
        ("eid_l2 < 1.2.3", RuleParser.SyntaxError(kind: .badNumber("1.2.3"), position: 10)),
        ("eid_l2 < * 3", RuleParser.SyntaxError(kind: .expectedOperand("*"), position: 10)),
    ])
    func syntax(text: String, error: RuleParser.SyntaxError) {
        #expect(throws: error) { try RuleParser.parse(text) }
    }

    @Test("type checks: unknown names with the nearest, no metric, division by a literal 0")
    func types() throws {
        let metrics = Metric.allCases.map(\.code)
        let (l, _, r) = try RuleParser.parse("eid_l3 <= adultz")
        #expect(RuleCheck.problems(l, r, metrics: metrics) == [.unknownName("eid_l3", near: "eid_l2"), .unknownName("adultz", near: "adults")])
        let (a, _, b) = try RuleParser.parse("adults <= population")
        #expect(RuleCheck.problems(a, b, metrics: metrics) == [.noMetric])
        let (c, _, d) = try RuleParser.parse("eid_l2 / (1 - 1) <= 3")
        #expect(RuleCheck.problems(c, d, metrics: metrics) == [.divisionByZero])
    }
}

@Suite("Validation rules in campaign files")
struct CampaignRulesTests {
    static let head = """
        version: 1
        id: t
        name: Thử
        scope: "404"
        period: {start: 2026-01-01, end: 2026-12-31}
        indicators:
          - {id: e, label: E, numerator: eid_l2, denominator: adults, target: 90%}
        metrics: [dvc_submitted]

        """

    func problems(_ rules: String) -> [String] {
        do {
            _ = try CampaignFile.parse(Self.head + rules, file: "t.yaml")
            return []
        } catch let rejected as ImportRejected {
            return rejected.problems.map { "\($0.line): \($0.text)" }
        } catch { return ["\(error)"] }
    }

    @Test("rules are read with their defaults, declared metrics allowed")
    func reads() throws {
        let campaign = try CampaignFile.parse(Self.head + """
            rules:
              - id: a
                rule: eid_l2 + dvc_submitted <= people_reached * 2
                message: Vượt
              - id: b
                rule: eid_l2 <= adults
                scope: cumulative
                severity: error
                missing: zero
                message: Vượt người lớn
                message_en: Above adults
            """, file: "t.yaml")
        #expect(campaign.rules.map(\.id) == ["a", "b"])
        #expect(campaign.rules[0].scope == .session && campaign.rules[0].severity == .warning && campaign.rules[0].missing == .skip)
        #expect(campaign.rules[1].scope == .cumulative && campaign.rules[1].severity == .error && campaign.rules[1].missing == .zero)
        #expect(campaign.rules[1].message(.en) == "Above adults" && campaign.rules[0].message(.en) == "Vượt")
    }

    @Test("problems name the line of the rule: syntax, unknown names, words, ids")
    func problemsWithLines() {
        let found = problems("""
            rules:
              - id: a
                rule: eid_l2 <=
                message: x
              - id: b
                rule: eid_l3 <= adults
                message: x
              - id: c
                rule: eid_l2 / 0 <= 1
                scope: daily
                message: x
              - id: a
                rule: eid_l2 <= 1
                message: x
            """)
        #expect(found.count == 5, "\(found)")
        #expect(found.contains { $0.hasPrefix("11: rule \"a\": \"eid_l2 <=\" cannot be read at character 10") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("14: rule \"b\": in \"eid_l3 <= adults\", \"eid_l3\"") && $0.contains("\"eid_l2\"") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("17: rule \"c\": \"eid_l2 / 0 <= 1\" divides by zero") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("18: rule \"c\": scope \"daily\" is not one of session | cumulative") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("20: the rule id \"a\" is used twice (first on line 10)") }, "\(found)")
    }
}
