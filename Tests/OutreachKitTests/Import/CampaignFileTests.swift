import Foundation
import Testing
@testable import OutreachKit

/// The repository's Campaigns folder.
let campaignsFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Campaigns").path

/// A valid campaign; the tests change one line of it. Line numbers: 1 version, 2 id, 3 name,
/// 4 scope, 5 period, 6 indicators, 7 `- id`, 8 label, 9 numerator, 10 denominator, 11 target.
let baseCampaign = """
    version: 1
    id: test
    name: Chiến dịch thử
    scope: "404"
    period: {start: 2026-01-01, end: 2026-12-31}
    indicators:
      - id: eid-l2
        label: Kích hoạt định danh điện tử mức 2
        numerator: [eid_l2]
        denominator: adults
        target: 90%

    """

/// The base campaign with `old` replaced by `new` (which must occur).
func campaignText(_ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    #expect(baseCampaign.contains(old), "the base campaign has no \"\(old)\"", sourceLocation: sourceLocation)
    return baseCampaign.replacingOccurrences(of: old, with: new)
}

/// Parses `text` as `test.yaml`, with `tables` as the files next to it.
func parseCampaign(_ text: String, file: String = "test.yaml", tables: [String: String] = [:]) throws -> Campaign {
    try CampaignFile.parse(text, file: file) { path in
        guard let table = tables[path] else { throw CampaignError.cannotRead(file: path, reason: .noSuchFile) }
        return Array(table.utf8)
    }
}

/// The problems that parsing `text` reports, as printed in `language` (`file:line: text`);
/// empty (and an issue) when it parses. Each problem must have a label, so that it can be
/// written in either language.
func campaignProblems(_ text: String, tables: [String: String] = [:], language: Language = .en,
                      sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    do {
        _ = try parseCampaign(text, tables: tables)
        Issue.record("the campaign was accepted", sourceLocation: sourceLocation)
        return []
    } catch let rejected as ImportRejected {
        let unlabelled = rejected.problems.filter { $0.phrase == nil }.map(\.text)
        #expect(unlabelled.isEmpty, "problems without a label: \(unlabelled)", sourceLocation: sourceLocation)
        return rejected.problems.map { $0.description(Labels(language)) }
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return []
    }
}

@Suite("Reading campaign files")
struct CampaignFileTests {
    @Test("the shipped campaigns are the five expected ones, and each of them reads")
    func shippedCampaignsRead() throws {
        let catalog = CampaignCatalog(directory: campaignsFolder)
        #expect(try catalog.ids() == ["de-an-06", "example", "thanh-phu", "thanh-toan-dien-tu", "to-cong-nghe-so"])
        for id in try catalog.ids() {
            let campaign = try catalog.campaign(id)
            #expect(campaign.id == id)
            #expect(!campaign.indicators.isEmpty)
        }
        let (all, rejected) = try catalog.all()
        #expect(all.map(\.id) == ["de-an-06", "example", "thanh-phu", "thanh-toan-dien-tu", "to-cong-nghe-so"])
        #expect(rejected.isEmpty)
    }

    @Test("Project 06 counts level-2 activations over adults in Nông Cống, aiming at 90%")
    func projectSix() throws {
        let c = try CampaignCatalog(directory: campaignsFolder).campaign("de-an-06")
        #expect(c.scope == "38")
        #expect(c.start == Day(year: 2026, month: 1, day: 1))
        #expect(c.end == Day(year: 2026, month: 12, day: 31))
        let eid = try #require(c.indicator("eid-l2"))
        #expect(eid.numerator == ["eid_l2"])
        #expect(eid.denominator == "adults")
        #expect(eid.target == .share(0.9))
        #expect(eid.milestones.map(\.day.iso) == ["2026-03-31", "2026-06-30", "2026-09-30"])
        #expect(eid.rollUp == .ratio)
    }

    @Test("the e-payment campaign sums bank accounts and e-wallets over adults: 50% by 2025, 80% by 2030")
    func ePayment() throws {
        let c = try CampaignCatalog(directory: campaignsFolder).campaign("thanh-toan-dien-tu")
        #expect(c.scope == "38")
        #expect(c.end == Day(year: 2030, month: 12, day: 31))
        #expect(c.indicators.count == 1)
        let e = c.indicators[0]
        #expect(e.numerator == ["bank_account", "ewallet"])
        #expect(e.denominator == "adults")
        #expect(e.target == .share(0.8))
        #expect(e.milestones == [Milestone(day: Day(year: 2025, month: 12, day: 31)!, target: .share(0.5))])
    }

    @Test("the digital-team campaign counts the district's 6,000 leaflets and leaflets per household")
    func digitalTeams() throws {
        let c = try CampaignCatalog(directory: campaignsFolder).campaign("to-cong-nghe-so")
        let leaflets = try #require(c.indicator("leaflets"))
        #expect(leaflets.numerator == ["leaflets"])
        #expect(leaflets.denominator == nil)
        #expect(leaflets.target == .count(6000))
        let perHousehold = try #require(c.indicator("leaflets-per-household"))
        #expect(perHousehold.numerator == ["leaflets"])
        #expect(perHousehold.denominator == "households")
        let guided = try #require(c.indicator("dvc-guided"))
        #expect(guided.numerator == ["dvc_guided"])
    }

    @Test("the example reads whole: every key, Vietnamese dates, per-area targets and baselines")
    func example() throws {
        let c = try CampaignCatalog(directory: campaignsFolder).campaign("example")
        #expect(c.id == "example")
        #expect(c.name == "Ví dụ — kế hoạch chuyển đổi số tại xã Tân Phúc")
        #expect(c.nameEnglish == "Example — digital outreach in Tân Phúc commune")
        #expect(c.scope == "16282")
        #expect(c.start == Day(year: 2026, month: 11, day: 1))
        #expect(c.end == Day(year: 2026, month: 12, day: 31))
        #expect(c.extraMetrics == ["dvc_submitted"])
        #expect(c.indicators.map(\.id) == ["eid-l2", "e-payment", "smartphone", "dvc-submitted"])
        #expect(c.indicators[0] == Indicator(
            id: "eid-l2", label: "Người từ đủ 15 tuổi trở lên kích hoạt định danh điện tử mức 2",
            labelEnglish: "Adults with a level-2 VNeID account", numerator: ["eid_l2"], denominator: "adults",
            target: .share(0.85), milestones: [Milestone(day: Day(year: 2026, month: 11, day: 30)!, target: .share(0.5))],
            rollUp: .ratio))
        #expect(c.indicators.map(\.rollUp) == [.ratio, .all, .mean, .ratio])
        #expect(c.indicators[2].numerator == ["smartphone_setup"])
        #expect(c.indicators[3].denominator == nil)
        #expect(c.indicators[3].target == .count(200))
        #expect(c.areaTargets["eid-l2"] == ["16282-01": .share(0.9), "16282-02": .share(0.85),
                                            "16282-03": .share(0.8), "16282-04": .share(0.75)])
        #expect(c.areaTargets["dvc-submitted"] == ["16282-01": .count(60), "16282-02": .count(50),
                                                   "16282-03": .count(60), "16282-04": .count(30)])
        #expect(c.baselines == ["16282-01": ["eid_l2": 412, "bank_account": 95], "16282-02": ["eid_l2": 350],
                                "16282-03": ["eid_l2": 530, "bank_account": 140], "16282-04": ["eid_l2": 268]])
    }

    @Test("baselines take source and as_of: kept per row, counted per indicator and source; a bad as_of names the file, line and column")
    func baselineSources() throws {
        let text = campaignText("indicators:", "baselines: b.csv\nindicators:")
        let c = try parseCampaign(text, tables: ["b.csv": """
            area,metric,value,source,as_of
            404-01,eid_l2,412,Công an xã Tân Phúc,30/10/2026
            404-02,eid_l2,350,Công an xã Tân Phúc,2026-10-30
            404-03,eid_l2,530,,
            404-03,bank_account,140,Ngân hàng,

            """])
        #expect(c.baselines["404-03"] == ["eid_l2": 530, "bank_account": 140])
        #expect(c.baselineSources["404-01"]?["eid_l2"] == AreaSource(source: "Công an xã Tân Phúc", asOf: Day(year: 2026, month: 10, day: 30)))
        #expect(c.baselineSources["404-03"]?["eid_l2"] == nil && c.baselineSources["404-03"]?["bank_account"] == AreaSource(source: "Ngân hàng", asOf: nil))
        let summary = BaselineSource.summary(c)
        #expect(summary.map { "\($0.indicator) \($0.source?.source ?? "-") \($0.areas)" } == ["eid-l2 Công an xã Tân Phúc 2", "eid-l2 - 1"])
        #expect(BaselineSource.summary(c, counts: { $0 == "404-03" }).map(\.areas) == [1])
        #expect(BaselineSource.text(summary, Labels(.vi))
            == "Số liệu ban đầu được cộng vào: chỉ số eid-l2 (Công an xã Tân Phúc (30/10/2026): 2 đơn vị; chưa ghi nguồn: 1 đơn vị).")
        #expect(BaselineSource.rows(c, Labels(.vi)) == "Công an xã Tân Phúc (30/10/2026): 2 dòng; Ngân hàng: 1 dòng; chưa ghi nguồn: 1 dòng")
        #expect(BaselineSource.summary(try parseCampaign(baseCampaign)).isEmpty)

        let bad = ["b.csv": "area,metric,value,as_of\n404-01,eid_l2,412,31/02/2026\n"]
        #expect(campaignProblems(text, tables: bad) == [
            "b.csv:2: column \"as_of\": \"31/02/2026\" is not a date. Write YYYY-MM-DD or DD/MM/YYYY (31/02 and other impossible days are refused).",
        ])
        #expect(campaignProblems(text, tables: bad, language: .vi) == [
            "b.csv:2: cột \"as_of\": \"31/02/2026\" không phải là ngày. Ghi YYYY-MM-DD hoặc DD/MM/YYYY (ngày không có thật như 31/02 bị từ chối).",
        ])
    }

    @Test("the example documents every key of the format")
    func exampleDocumentsEveryKey() throws {
        let text = try String(contentsOfFile: campaignsFolder + "/example.yaml", encoding: .utf8)
        let keys = CampaignFile.campaignKeys + CampaignFile.periodKeys + CampaignFile.indicatorKeys
        for key in keys {
            #expect(text.range(of: "\n\(key):") != nil || text.range(of: " \(key):") != nil, "example.yaml does not use \(key)")
        }
    }

    @Test("reads the base campaign, and codes as written: 01 stays 01, quoted or not")
    func codesAsWritten() throws {
        let c = try parseCampaign(baseCampaign)
        #expect(c == Campaign(id: "test", name: "Chiến dịch thử", scope: "404",
                              start: Day(year: 2026, month: 1, day: 1)!, end: Day(year: 2026, month: 12, day: 31)!,
                              indicators: [Indicator(id: "eid-l2", label: "Kích hoạt định danh điện tử mức 2",
                                                     numerator: ["eid_l2"], denominator: "adults", target: .share(0.9))]))
        #expect(try parseCampaign(campaignText("scope: \"404\"", "scope: 01")).scope == "01")
        #expect(try parseCampaign(campaignText("scope: \"404\"", "scope: '0004'")).scope == "0004")
    }

    @Test("reads UTF-8 bytes with a byte-order mark, and refuses other bytes")
    func bytes() throws {
        let c = try CampaignFile.parse([0xEF, 0xBB, 0xBF] + Array(baseCampaign.utf8), file: "test.yaml")
        #expect(c.id == "test")
        #expect(throws: ImportRejected(file: "x.yaml", problems: [Diagnostic(file: "x.yaml", line: 1, "the file is not UTF-8 text. Save it as UTF-8.")])) {
            try CampaignFile.parse([0x76, 0xFF, 0xFE, 0x0A], file: "x.yaml")
        }
    }

    @Test("reads targets as shares or counts, by the indicator's denominator", arguments: [
        ("90%", true, Target.share(0.9)), ("96,6%", true, .share(0.966)), ("0.85", true, .share(0.85)),
        ("1", true, .share(1)), ("0", true, .share(0)), ("100 %", true, .share(1)),
        ("6000", false, .count(6000)), ("6.000", false, .count(6000)), ("1,010", false, .count(1010)), ("0", false, .count(0)),
    ] as [(String, Bool, Target)])
    func targets(text: String, hasDenominator: Bool, expected: Target) throws {
        let target = try CampaignFile.target(text, hasDenominator: hasDenominator).get()
        switch (target, expected) {
        case let (.share(a), .share(b)): #expect(abs(a - b) < 1e-12)
        default: #expect(target == expected)
        }
    }

    @Test("writes targets back as the file does")
    func targetText() {
        #expect(Target.share(0.9).fileText == "90%")
        #expect(Target.share(0.966).fileText == "96.6%")
        #expect(Target.share(1).fileText == "100%")
        #expect(Target.count(6000).fileText == "6000")
    }

    @Test("reports each mistake with its line and what to do", arguments: [
        ("target: 90%", "target: 150%",
         "test.yaml:11: indicator \"eid-l2\": target \"150%\" is over 100%. A share is from 0% to 100%."),
        ("target: 90%", "target: 90",
         "test.yaml:11: indicator \"eid-l2\": target \"90\" is not a share. With a denominator the target is a percentage (90%) or a fraction from 0 to 1 (0.9); for a count, set denominator: none."),
        ("target: 90%", "target: -5%",
         "test.yaml:11: indicator \"eid-l2\": target \"-5%\" is negative. A target is 0 or more."),
        ("target: 90%", "target: lots",
         "test.yaml:11: indicator \"eid-l2\": target \"lots\" is not a share. With a denominator the target is a percentage (90%) or a fraction from 0 to 1 (0.9); for a count, set denominator: none."),
        ("target: 90%", "target: abc%",
         "test.yaml:11: indicator \"eid-l2\": target \"abc%\" is not a percentage. Write it as 90% or 96.6%."),
        ("denominator: adults\n    target: 90%", "denominator: none\n    target: 50%",
         "test.yaml:11: indicator \"eid-l2\": target \"50%\" is a share, but the indicator has no denominator. Set denominator to population, adults, working_age, households, or give a count such as 6000."),
        ("denominator: adults\n    target: 90%", "denominator: none\n    target: 0.5",
         "test.yaml:11: indicator \"eid-l2\": target \"0.5\" is a share, but the indicator has no denominator. Set denominator to population, adults, working_age, households, or give a count such as 6000."),
        ("denominator: adults\n    target: 90%", "denominator: none\n    target: -3",
         "test.yaml:11: indicator \"eid-l2\": target \"-3\" is negative. A target is 0 or more."),
        ("denominator: adults\n    target: 90%", "denominator: none\n    target: 12.5",
         "test.yaml:11: indicator \"eid-l2\": target \"12.5\" is not a whole number. Write a count such as 12 or 1.010."),
        ("denominator: adults\n    target: 90%", "denominator: none\n    target: lots",
         "test.yaml:11: indicator \"eid-l2\": target \"lots\" is not a number. Write a count such as 12 or 1.010."),
        ("denominator: adults", "denominator: adult",
         "test.yaml:10: indicator \"eid-l2\": denominator \"adult\" is not an area attribute; did you mean \"adults\"? Write population, adults, working_age, households, or none for a count."),
        ("denominator: adults", "denominator: people",
         "test.yaml:10: indicator \"eid-l2\": denominator \"people\" is not an area attribute. Write population, adults, working_age, households, or none for a count."),
        ("target: 90%", "target: 90%\n    rollup: ration",
         "test.yaml:12: indicator \"eid-l2\": rollup \"ration\" is not a roll-up mode; did you mean \"ratio\"? Write ratio (sum of values over sum of denominators, the default), mean (the mean of the units' coverage) or all (met only when every unit meets the target)."),
        ("target: 90%", "target: 90%\n    rollup: average",
         "test.yaml:12: indicator \"eid-l2\": rollup \"average\" is not a roll-up mode. Write ratio (sum of values over sum of denominators, the default), mean (the mean of the units' coverage) or all (met only when every unit meets the target)."),
        ("denominator: adults\n    target: 90%", "denominator: none\n    target: 10\n    rollup: mean",
         "test.yaml:12: indicator \"eid-l2\": rollup: mean averages the units' coverage, which needs a denominator. Use ratio or all for a count."),
        ("numerator: [eid_l2]", "numerator: [bank_acount]",
         "test.yaml:9: indicator \"eid-l2\": \"bank_acount\" is not a metric; did you mean \"bank_account\"? Use a built-in metric (eid_l2, bank_account, ewallet, leaflets, dvc_guided, households_visited, people_reached, smartphone_setup) or declare it under metrics:."),
        ("numerator: [eid_l2]", "numerator: [eid_l2, eid_l2]",
         "test.yaml:9: indicator \"eid-l2\": \"eid_l2\" is listed twice in the numerator, so it would count twice. Remove one."),
        ("numerator: [eid_l2]", "numerator: []",
         "test.yaml:9: indicator \"eid-l2\": the numerator is empty. List the metrics whose counts are summed, e.g. [bank_account, ewallet]."),
        ("period: {start: 2026-01-01, end: 2026-12-31}", "period: {start: 2026-12-31, end: 2026-01-01}",
         "test.yaml:5: the period ends on 1 Jan 2026, before it starts on 31 Dec 2026. Check the dates; end is the last day, included."),
        ("period: {start: 2026-01-01, end: 2026-12-31}", "period: {start: 31/02/2026, end: 2026-12-31}",
         "test.yaml:5: start \"31/02/2026\" is not a date. Write YYYY-MM-DD or DD/MM/YYYY."),
        ("period: {start: 2026-01-01, end: 2026-12-31}", "period: {start: 2026-01-01}",
         "test.yaml:5: the period has no end. Write period: {start: YYYY-MM-DD, end: YYYY-MM-DD}."),
        ("period: {start: 2026-01-01, end: 2026-12-31}", "period: 2026",
         "test.yaml:5: the period must be a mapping of keys (start, end), not a single value."),
        ("target: 90%", "target: 90%\n    milestones: {2027-03-31: 50%}",
         "test.yaml:12: indicator \"eid-l2\": milestone 31 Mar 2027 is outside the period 1 Jan 2026 – 31 Dec 2026. Move it into the period, or fix the date."),
        ("target: 90%", "target: 90%\n    milestones: {2026-06-30: 50%, 30/06/2026: 60%}",
         "test.yaml:12: indicator \"eid-l2\": milestone 30 Jun 2026 is given twice (first on line 12). Keep one."),
        ("target: 90%", "target: 90%\n    milestones: {2026-06-30: 5000}",
         "test.yaml:12: indicator \"eid-l2\": milestone 30 Jun 2026: target \"5000\" is not a share. With a denominator the target is a percentage (90%) or a fraction from 0 to 1 (0.9); for a count, set denominator: none."),
        ("target: 90%", "target: 90%\n    milestones: [50%]",
         "test.yaml:12: indicator \"eid-l2\": milestones must be a mapping of dates to targets, such as {2026-06-30: 60%, 2026-09-30: 75%}, not a list."),
        ("id: test", "id: Test 1",
         "test.yaml:2: id \"Test 1\" may hold only lower-case letters a–z, digits, \"-\" and \"_\" (it is typed on the command line), e.g. de-an-06."),
        ("name: Chiến dịch thử", "name:",
         "test.yaml:3: name has no value. Write it after the colon."),
        ("scope: \"404\"\n", "",
         "test.yaml:1: the campaign has no \"scope\". Add scope: \"<code of the area the campaign covers>\"."),
        ("scope: \"404\"", "scope: [404]",
         "test.yaml:4: scope must be a single value, not a list."),
        ("indicators:", "metrics: [eid_l2]\nindicators:",
         "test.yaml:6: \"eid_l2\" is a built-in metric. Remove it from metrics; list only new metrics there."),
        ("indicators:", "metrics: [notes]\nindicators:",
         "test.yaml:6: \"notes\" is a column of sessions.csv and cannot name a metric. Choose another code."),
        ("indicators:", "metrics: [Zalo-Group]\nindicators:",
         "test.yaml:6: metric \"Zalo-Group\" may hold only lower-case letters a–z, digits and \"_\", starting with a letter (it becomes a column of sessions.csv), e.g. dvc_submitted."),
        ("indicators:\n  - id: eid-l2\n    label: Kích hoạt định danh điện tử mức 2\n    numerator: [eid_l2]\n    denominator: adults\n    target: 90%\n",
         "indicators: []\n",
         "test.yaml:6: indicators is empty. A campaign needs at least one indicator."),
        ("    label: Kích hoạt định danh điện tử mức 2\n", "",
         "test.yaml:7: indicator \"eid-l2\": no label. Add label: <what it measures, in Vietnamese>."),
        ("  - id: eid-l2", "  - id: EID",
         "test.yaml:7: the indicator's id \"EID\" may hold only lower-case letters a–z, digits, \"-\" and \"_\" (it is typed on the command line), e.g. eid-l2."),
        ("name: Chiến dịch thử", "name: Thử\nname: Lại",
         "test.yaml:3: the key \"name\" is given twice in the same mapping. Keep one of each."),
        ("id: test", "id: test\n\tname2: x",
         "test.yaml:3: this is not valid YAML: found a tab character that violates indentation (while scanning a plain scalar on line 2). Check the indentation (spaces, not tabs), the colon after each key, and the quotes."),
    ] as [(String, String, String)])
    func mistakes(old: String, new: String, expected: String) {
        #expect(campaignProblems(campaignText(old, new)) == [expected])
    }

    @Test("a second indicator with the same id is refused, naming the first one's line")
    func duplicateIndicator() {
        let text = baseCampaign + "  - id: eid-l2\n    label: Lại\n    numerator: eid_l2\n    denominator: adults\n    target: 0.5\n"
        #expect(campaignProblems(text) == [
            "test.yaml:12: indicator id \"eid-l2\" is already used on line 7. Give each indicator its own id.",
        ])
    }

    @Test("a file with three mistakes gets three messages, each with its line")
    func threeMistakes() {
        let text = """
            version: 1
            id: test
            name: Chiến dịch thử
            scope: "404"
            period: {start: 2026-01-01, end: 2026-12-31}
            indicators:
              - id: eid-l2
                label: Kích hoạt định danh mức 2
                numerater: [eid_l2]
                denominator: adults
                target: 150%
              - id: leaflets
                label: Tờ rơi
                numerator: [leaflets]
                denominator: none
                target: 6000
                milestones: {2027-03-31: 3000}

            """
        #expect(campaignProblems(text) == [
            "test.yaml:9: \"numerater\" is not a key of an indicator; did you mean \"numerator\"?",
            "test.yaml:11: indicator \"eid-l2\": target \"150%\" is over 100%. A share is from 0% to 100%.",
            "test.yaml:17: indicator \"leaflets\": milestone 31 Mar 2027 is outside the period 1 Jan 2026 – 31 Dec 2026. Move it into the period, or fix the date.",
        ])
        #expect(campaignProblems(text, language: .vi) == [
            "test.yaml:9: \"numerater\" không phải là khóa của chỉ số; có phải ý bạn là \"numerator\"?",
            "test.yaml:11: chỉ số \"eid-l2\": chỉ tiêu \"150%\" vượt quá 100%. Tỷ lệ chỉ từ 0% đến 100%.",
            "test.yaml:17: chỉ số \"leaflets\": mốc 31/03/2027 nằm ngoài kỳ kế hoạch 01/01/2026 – 31/12/2026. Đưa mốc vào trong kỳ, hoặc sửa lại ngày.",
        ])
    }

    @Test("problems read in Vietnamese: keys and codes as written, kinds of value, line numbers, the indicator's place, tables")
    func vietnamese() {
        #expect(campaignProblems(campaignText("scope: \"404\"", "scope: [404]"), language: .vi) == [
            "test.yaml:4: khóa \"scope\" phải là một giá trị đơn, không phải một danh sách.",
        ])
        #expect(campaignProblems(campaignText("  - id: eid-l2\n", "  - \n"), language: .vi) == [
            "test.yaml:8: chỉ số thứ 1: thiếu khóa \"id\". Thêm id: <một id ngắn, ví dụ eid-l2>.",
        ])
        #expect(campaignProblems(campaignText("target: 90%", "target: 90%\n    milestones: {2026-06-30: 95%, 2026-06-30: 96%}"),
                                 language: .vi) == [
            "test.yaml:12: khóa \"2026-06-30\" được ghi hai lần trong cùng một nhóm khóa. Chỉ giữ một.",
        ])
        #expect(campaignProblems(campaignText("target: 90%", "target: 90%\n    milestones: {2026-06-30: 1.5}"), language: .vi) == [
            "test.yaml:12: chỉ số \"eid-l2\": chỉ tiêu của mốc 30/06/2026 \"1.5\" không phải là tỷ lệ. Khi có mẫu số, chỉ tiêu là tỷ lệ phần trăm (90%) hoặc phân số từ 0 đến 1 (0,9); nếu là số lượng, đặt denominator: none.",
        ])
        #expect(campaignProblems(campaignText("indicators:", "metrics: [dvc_submitted, dvc_submitted]\nindicators:"), language: .vi) == [
            "test.yaml:6: số liệu ghi nhận \"dvc_submitted\" được khai báo hai lần (lần đầu ở dòng 6). Xóa một lần khai báo.",
        ])
        let tables = campaignText("indicators:", "targets: t.csv\nbaselines: b.csv\nindicators:")
        #expect(campaignProblems(tables, tables: ["t.csv": "area,indicator,target\n404-01,eid-l3,85%\n404-02,eid-l2,-5%\n"],
                                 language: .vi) == [
            "test.yaml:7: khóa \"baselines\": không đọc được \"b.csv\" (không có tệp này). Đường dẫn tính từ thư mục chứa tệp kế hoạch.",
            "t.csv:2: cột \"indicator\": \"eid-l3\" không phải là chỉ số của kế hoạch; có phải ý bạn là \"eid-l2\"? Các chỉ số của kế hoạch: eid-l2.",
            "t.csv:3: cột \"target\": \"-5%\" là số âm. Chỉ tiêu phải từ 0 trở lên.",
        ])
    }

    @Test("a broken quote on a table's header line is named once, at its line and column")
    func tableHeaderQuote() {
        let text = campaignText("indicators:", "targets: t.csv\nindicators:")
        #expect(campaignProblems(text, tables: ["t.csv": "\n\"area,indicator,target\n404,eid-l2,90%\n"]) == [
            "t.csv:2: column 1: a quoted field is never closed, so it swallows the rest of the file. Add the closing \" or remove the opening one.",
        ])
    }

    @Test("an unknown key is refused at every level, with the nearest key when there is one")
    func unknownKeys() {
        #expect(campaignProblems(campaignText("name:", "nmae:")) == [
            "test.yaml:3: \"nmae\" is not a key of a campaign; did you mean \"name\"?",
        ])
        #expect(campaignProblems(campaignText("id: test", "id: test\ncolour: red")) == [
            "test.yaml:3: \"colour\" is not a key of a campaign. The keys are: version, id, name, name_en, scope, period, metrics, indicators, targets, baselines, approval, lock_after_days, report_deadline_days, rules.",
        ])
        #expect(campaignProblems(campaignText("end: 2026", "ends: 2026")) == [
            "test.yaml:5: \"ends\" is not a key of the period; did you mean \"end\"?",
        ])
        #expect(campaignProblems(campaignText("target: 90%", "target: 90%\n    roll_up: mean")) == [
            "test.yaml:12: \"roll_up\" is not a key of an indicator; did you mean \"rollup\"?",
        ])
        #expect(campaignProblems(campaignText("label:", "Label:")) == [
            "test.yaml:8: \"Label\" is not a key of an indicator; did you mean \"label\"?",
        ])
    }

    @Test("the version is required, first, and not newer than this build reads")
    func versions() {
        #expect(campaignProblems(campaignText("version: 1\n", "")) == [
            "test.yaml:1: the file has no version. Make `version: 1` its first line.",
        ])
        #expect(campaignProblems(campaignText("version: 1\nid: test\n", "id: test\nversion: 1\n")) == [
            "test.yaml:2: version must be the first key of the file. Move `version: 1` to the top.",
        ])
        #expect(campaignProblems(campaignText("version: 1", "version: one")) == [
            "test.yaml:1: version \"one\" is not a format version. Write `version: 1`.",
        ])
        // A newer file's other keys are not judged: they may well be valid in its version.
        #expect(campaignProblems(campaignText("version: 1\nid: test", "version: 2\nid: test\nsources: [QĐ 06]")) == [
            "test.yaml:1: this file is written in version 2 of the campaign format, newer than this Outreach reads (version 1). Update Outreach, or rewrite the file for version 1.",
        ])
    }

    @Test("an empty file, or one that is not a mapping, is refused")
    func notAMapping() {
        #expect(campaignProblems("") == [
            "test.yaml:1: the file is empty. Start it with `version: 1`; the README section \"Campaigns\" shows the format.",
        ])
        #expect(campaignProblems("- version: 1\n") == [
            "test.yaml:1: a campaign file is a mapping of keys (version:, id:, name: …), not a list or a single value.",
        ])
    }

    @Test("the id must match the file name when one is expected")
    func idMatchesFile() throws {
        #expect(throws: ImportRejected(file: "Campaigns/other.yaml", problems: [
            Diagnostic(file: "Campaigns/other.yaml", line: 2, "id \"test\" differs from the file name \"other.yaml\"; commands find a campaign by its file name. Rename the file to test.yaml, or write id: other."),
        ])) {
            try CampaignFile.parse(baseCampaign, file: "Campaigns/other.yaml", expectedID: "other")
        }
        #expect(CampaignFile.expectedID(forFile: "Campaigns/de-an-06.yaml") == "de-an-06")
        #expect(CampaignFile.expectedID(forFile: "x.yml") == "x")
        #expect(CampaignFile.expectedID(forFile: "notes.txt") == nil)
    }

    @Test("per-area targets and baselines are read from the tables the campaign names")
    func tables() throws {
        let text = campaignText("indicators:", "targets: t.csv\nbaselines: b.csv\nindicators:")
        let c = try parseCampaign(text, tables: ["t.csv": "area,indicator,target\n404-01,eid-l2,85%\n404-02,eid-l2,0.7\n",
                                                 "b.csv": "Area;Metric;Value\n404-01;eid_l2;1.010\n404-01;ewallet;0\n"])
        #expect(c.areaTargets == ["eid-l2": ["404-01": .share(0.85), "404-02": .share(0.7)]])
        #expect(c.baselines == ["404-01": ["eid_l2": 1010, "ewallet": 0]])
    }

    @Test("problems in the tables are reported with the table's name, line and column")
    func tableProblems() {
        let text = campaignText("indicators:", "targets: t.csv\nbaselines: b.csv\nindicators:")
        let problems = campaignProblems(text, tables: [
            "t.csv": "area,indicator,target\n404-01,eid-l3,85%\n404-02,eid-l2,150%\n404-03,eid-l2,90%\n404-03,eid-l2,80%\n,eid-l2,1\n404-04,eid-l2,\n",
            "b.csv": "area,metric,value\n404-01,eidl2,3\n404-02,eid_l2,-4\n404-03,eid_l2,\n404-04,eid_l2,5\n404-04,eid_l2,6\n",
        ])
        #expect(problems == [
            "t.csv:2: column \"indicator\": \"eid-l3\" is not an indicator of the campaign; did you mean \"eid-l2\"? Its indicators: eid-l2.",
            "t.csv:3: column \"target\": \"150%\" is over 100%. A share is from 0% to 100%.",
            "t.csv:5: area \"404-03\" already has a target for \"eid-l2\" on line 4. Keep one row.",
            "t.csv:6: column \"area\": the area is empty. Give the code of the area the target is assigned to.",
            "t.csv:7: column \"target\": the target is empty. Write a share (85% or 0.85) or a count.",
            "b.csv:2: column \"metric\": \"eidl2\" is not a metric; did you mean \"eid_l2\"? Use a built-in metric (eid_l2, bank_account, ewallet, leaflets, dvc_guided, households_visited, people_reached, smartphone_setup) or one the campaign declares.",
            "b.csv:3: column \"value\": \"-4\" is negative. Counts are whole numbers from 0 up.",
            "b.csv:4: column \"value\": the value is empty. Write the count before the campaign started (0 if none).",
            "b.csv:6: area \"404-04\" already has a baseline for \"eid_l2\" on line 5. Keep one row.",
        ])
    }

    @Test("a never-closed quote in a table joins the problems of the rows before it, in line order")
    func tableBrokenQuote() {
        let text = campaignText("indicators:", "targets: t.csv\nindicators:")
        #expect(campaignProblems(text, tables: ["t.csv": "area,indicator,target\n404-01,eid-l3,85%\n404-02,\"eid-l2,90%\n404-03,eid-l2,80%\n"]) == [
            "t.csv:2: column \"indicator\": \"eid-l3\" is not an indicator of the campaign; did you mean \"eid-l2\"? Its indicators: eid-l2.",
            "t.csv:3: column \"indicator\": a quoted field is never closed, so it swallows the rest of the file. Add the closing \" or remove the opening one.",
        ])
    }

    @Test("a table with a wrong header, an empty table, or a missing one is a problem of its own")
    func tableShape() {
        let text = campaignText("indicators:", "targets: t.csv\nbaselines: missing.csv\nindicators:")
        #expect(campaignProblems(text, tables: ["t.csv": "area,indicatr,target\n"]) == [
            "test.yaml:7: baselines: cannot read \"missing.csv\" (no such file). The path is relative to the campaign file's folder.",
            "t.csv:1: unknown column \"indicatr\" (column 2). Accepted columns: area, indicator, target.",
            "t.csv:1: the required column \"indicator\" is missing. The header must name area, indicator, target.",
        ])
        let empty = campaignText("indicators:", "targets: t.csv\nindicators:")
        #expect(campaignProblems(empty, tables: ["t.csv": ""]) == [
            "t.csv:1: the file is empty. Its first line must be the header area,indicator,target.",
        ])
    }

    @Test("a target table's rows are read by the kind of their indicator: share or count")
    func tableTargetKinds() {
        let text = campaignText("indicators:", "targets: t.csv\nindicators:")
            + "  - id: leaflets\n    label: Tờ rơi\n    numerator: leaflets\n    denominator: none\n    target: 6000\n"
        #expect(campaignProblems(text, tables: ["t.csv": "area,indicator,target\n404-01,leaflets,20%\n404-01,eid-l2,300\n"]) == [
            "t.csv:2: column \"target\": \"20%\" is a share, but the indicator has no denominator. Set denominator to population, adults, working_age, households, or give a count such as 6000.",
            "t.csv:3: column \"target\": \"300\" is not a share. With a denominator the target is a percentage (90%) or a fraction from 0 to 1 (0.9); for a count, set denominator: none.",
        ])
    }

    @Test("a table next to a campaign in a folder is named with that folder")
    func tableNames() {
        #expect(CampaignFile.tableName("t.csv", nextTo: "Campaigns/x.yaml") == "Campaigns/t.csv")
        #expect(CampaignFile.tableName("t.csv", nextTo: "x.yaml") == "t.csv")
        #expect(CampaignFile.tableName("/data/t.csv", nextTo: "Campaigns/x.yaml") == "/data/t.csv")
    }

    @Test("declared metrics may be counted and given baselines")
    func declaredMetrics() throws {
        let text = campaignText("indicators:", "metrics: [dvc_submitted]\nbaselines: b.csv\nindicators:")
            .replacingOccurrences(of: "numerator: [eid_l2]", with: "numerator: [eid_l2, dvc_submitted]")
        let c = try parseCampaign(text, tables: ["b.csv": "area,metric,value\n404,dvc_submitted,7\n"])
        #expect(c.extraMetrics == ["dvc_submitted"])
        #expect(c.indicators[0].numerator == ["eid_l2", "dvc_submitted"])
        #expect(c.baselines == ["404": ["dvc_submitted": 7]])
    }

    @Test("area codes the workspace lacks, and those outside the scope, are found for a warning")
    func areasAgainstTree() {
        let tree = AreaTree(nodes: [
            .init(id: 1, code: "404", name: "Huyện Nông Cống", level: .district),
            .init(id: 2, code: "16282", name: "Xã Tân Phúc", level: .commune, parent: 0),
            .init(id: 3, code: "16282-01", name: "Thôn 1", level: .hamlet, parent: 1),
            .init(id: 4, code: "405", name: "Huyện khác", level: .district),
        ])
        var c = Campaign(id: "t", name: "T", scope: "16282", start: Day(number: 0), end: Day(number: 1), indicators: [],
                         areaTargets: ["eid-l2": ["16282-01": .share(0.9), "16282-09": .share(0.9), "405": .share(0.5)]],
                         baselines: ["404": ["eid_l2": 1], "16282": ["eid_l2": 2]])
        #expect(c.unknownAreas(in: tree) == ["16282-09"])
        #expect(c.areasOutsideScope(in: tree) == ["404", "405"])
        c.scope = "999"
        #expect(c.unknownAreas(in: tree) == ["16282-09", "999"])
        #expect(c.areasOutsideScope(in: tree) == [])
    }
}

@Suite("The campaign catalog")
struct CampaignCatalogTests {
    @Test("an unknown id lists the campaigns there are, with the nearest one")
    func unknownID() throws {
        let catalog = CampaignCatalog(directory: "Campaigns")
        let error = CampaignError.unknownCampaign(id: "de-an-6", directory: "Campaigns", available: ["de-an-06", "example"])
        #expect(error.message == "there is no campaign \"de-an-6\" in Campaigns; did you mean \"de-an-06\"? Campaigns there: de-an-06, example. See them with `outreach campaigns list`.")
        #expect(CampaignError.unknownCampaign(id: "x", directory: "C", available: []).message
            == "there is no campaign \"x\" in C. The folder holds no campaign files. Add C/x.yaml (see the README, \"Campaigns\"), or choose another folder with --campaigns DIR.")
        #expect(catalog.path(of: "x") == "Campaigns/x.yaml")
        let real = CampaignCatalog(directory: campaignsFolder)
        #expect(throws: CampaignError.unknownCampaign(id: "../README", directory: campaignsFolder,
                                                      available: try real.ids())) {
            try real.campaign("../README")
        }
    }

    @Test("the catalog's errors in Vietnamese: an unknown id with the nearest one, a missing folder, a file that cannot be read")
    func vietnameseErrors() throws {
        let vi = Labels(.vi)
        #expect(CampaignError.unknownCampaign(id: "de-an-6", directory: "Campaigns", available: ["de-an-06", "example"]).message(in: vi)
            == "không có kế hoạch \"de-an-6\" trong Campaigns; có phải ý bạn là \"de-an-06\"? Các kế hoạch có trong thư mục: de-an-06, example. Xem bằng `outreach campaigns list`.")
        #expect(CampaignError.noDirectory("C").message(in: vi)
            == "thư mục kế hoạch C không tồn tại. Dùng --campaigns THƯ_MỤC, đặt OUTREACH_CAMPAIGNS, hoặc chạy lệnh ở nơi có thư mục Campaigns.")
        let folder = CampaignError.cannotRead(file: "c.yaml", reason: .isFolder)
        #expect(folder.message(in: vi) == "c.yaml: không đọc được (đây là một thư mục, không phải tệp). Kiểm tra đường dẫn và quyền đọc tệp.")
        #expect(folder.message == "c.yaml: cannot be read (it is a folder). Check the path and that you may read it.")
        // The system's own words stay as they are, introduced in the reader's language.
        #expect(CampaignError.cannotRead(file: "C", reason: .other("Permission denied")).message(in: vi)
            == "C: không đọc được (hệ thống báo: Permission denied). Kiểm tra đường dẫn và quyền đọc tệp.")
        #expect(CampaignError.cannotRead(file: "C", reason: .other("Permission denied")).message
            == "C: cannot be read (Permission denied). Check the path and that you may read it.")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("campaigns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("x.yaml"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: CampaignError.cannotRead(file: dir.path + "/x.yaml", reason: .isFolder)) {
            try CampaignCatalog.load(file: dir.path + "/x.yaml")
        }
        #expect(throws: CampaignError.cannotRead(file: dir.path + "/y.yaml", reason: .noSuchFile)) {
            try CampaignCatalog.load(file: dir.path + "/y.yaml")
        }
    }

    @Test("a missing folder is an error that says where to look")
    func missingFolder() {
        #expect(throws: CampaignError.noDirectory("/nonexistent/Campaigns")) {
            try CampaignCatalog(directory: "/nonexistent/Campaigns").ids()
        }
    }

    @Test("a folder's broken file is set apart from the campaigns that read")
    func brokenFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("campaigns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(baseCampaign.utf8).write(to: dir.appendingPathComponent("test.yaml"))
        try Data(baseCampaign.replacingOccurrences(of: "target: 90%", with: "target: 2").utf8).write(to: dir.appendingPathComponent("bad.yaml"))
        try Data("not a campaign".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        let catalog = CampaignCatalog(directory: dir.path)
        #expect(try catalog.ids() == ["bad", "test"])
        let (all, rejected) = try catalog.all()
        #expect(all.map(\.id) == ["test"])
        #expect(rejected.map { $0.problems.map(\.line) } == [[2, 11]])
        let error = try #require(throws: CampaignError.self) { try catalog.campaign("bad") }
        #expect(error.message(in: Labels(.vi)) == """
            \(dir.path)/bad.yaml:2: id "test" khác tên tệp "bad.yaml"; các lệnh tìm kế hoạch theo tên tệp. Đổi tên tệp thành test.yaml, hoặc ghi id: bad.
            \(dir.path)/bad.yaml:11: chỉ số "eid-l2": chỉ tiêu "2" không phải là tỷ lệ. Khi có mẫu số, chỉ tiêu là tỷ lệ phần trăm (90%) hoặc phân số từ 0 đến 1 (0,9); nếu là số lượng, đặt denominator: none.
            \(dir.path)/bad.yaml: không dùng được kế hoạch này (2 lỗi). Sửa tệp; `outreach campaigns check \(dir.path)/bad.yaml` sẽ kiểm tra lại.
            """)
    }

    @Test("suggestions allow one edit in a short word and a third of a longer one")
    func spelling() {
        #expect(Spelling.distance("numerater", "numerator") == 1)
        #expect(Spelling.distance("nmae", "name") == 1)
        #expect(Spelling.distance("", "abc") == 3)
        #expect(Spelling.suggestion(for: "rollup", among: ["roll_up", "ratio"]) == "roll_up")
        #expect(Spelling.suggestion(for: "xyz", among: ["id", "name"]) == nil)
        #expect(Spelling.suggestion(for: "anything", among: []) == nil)
    }
}
