import Foundation
import Testing
@testable import OutreachKit

/// A district with three communes: Tân Phúc (three hamlets, covered by the commune's team), Tân
/// Thọ (two hamlets: one with its own team, one covered by a commune team that stopped during
/// the period) and Tân Ninh (one hamlet, whose teams stopped before the period or were formed
/// after it).
enum ReportingFixture {
    static func day(_ text: String) -> Day { Day(parsing: text)! }

    static let period = Period(year: 2026, month: 11)
    static let campaign = Campaign(
        id: "de-an-06", name: "Kích hoạt định danh điện tử mức 2", scope: "404", start: day("2026-01-01"), end: day("2026-12-31"),
        indicators: [Indicator(id: "eid-l2", label: "Định danh mức 2", numerator: ["eid_l2"], denominator: "adults", target: .share(0.9))],
        closing: ClosingRules(reportDeadlineDays: 5))

    /// Code, name, level, parent code, adults.
    static let areas: [(String, String, AreaLevel, String?, Int?)] = [
        ("38", "Tỉnh Thanh Hóa", .province, nil, nil), ("404", "Huyện Nông Cống", .district, "38", nil),
        ("16282", "Xã Tân Phúc", .commune, "404", nil), ("16285", "Xã Tân Thọ", .commune, "404", nil),
        ("16288", "Xã Tân Ninh", .commune, "404", nil),
        ("16282-01", "Thôn 1", .hamlet, "16282", 1000), ("16282-02", "Thôn 2", .hamlet, "16282", 1000),
        ("16282-03", "Thôn 3", .hamlet, "16282", 1000),
        ("16285-01", "Thôn Tân Thọ", .hamlet, "16285", 1000), ("16285-02", "Thôn Đông Hòa", .hamlet, "16285", 1000),
        ("16288-01", "Thôn Ninh", .hamlet, "16288", 1000),
    ]

    static var tree: AreaTree {
        var index: [String: Int] = [:]
        var nodes: [AreaTree.Node] = []
        for (i, a) in areas.enumerated() {
            index[a.0] = i
            nodes.append(AreaTree.Node(id: Int64(i + 1), code: a.0, name: a.1, level: a.2, parent: a.3.flatMap { index[$0] },
                                       attributes: AreaAttributes(adults: a.4)))
        }
        return AreaTree(nodes: nodes)
    }

    static func id(_ code: String) -> Int64 { Int64(areas.firstIndex { $0.0 == code }! + 1) }

    static let teams = [
        Team(code: "P06-16282", name: "Tổ Đề án 06 xã Tân Phúc", kind: .project06, areaCode: "16282", formed: day("2022-03-15")),
        Team(code: "CNS-16285-01", name: "Tổ công nghệ số Thôn Tân Thọ", kind: .digital, areaCode: "16285-01",
             leader: "Trần Văn Nam", leaderPhone: Phone(digits: "0356789012")),
        // Stopped during the period: it was still expected to report for it.
        Team(code: "P06-16285", name: "Tổ Đề án 06 xã Tân Thọ", kind: .project06, areaCode: "16285", status: .inactive,
             inactiveSince: day("2026-11-04")),
        // Stopped the day before the period, and formed the day after it: neither is expected.
        Team(code: "P06-16288", name: "Tổ Đề án 06 xã Tân Ninh", kind: .project06, areaCode: "16288", status: .inactive,
             inactiveSince: day("2026-10-31")),
        Team(code: "P06-16288-01", name: "Tổ Đề án 06 Thôn Ninh", kind: .project06, areaCode: "16288-01", formed: day("2026-12-01")),
    ]

    /// Seconds since 1970 at `hour`:00 Vietnam time on `date`.
    static func vietnam(_ date: String, hour: Int) -> Timestamp {
        Timestamp(secondsSince1970: day(date).number * 86_400 + (hour - 7) * 3600)
    }

    /// November's activity: Thôn 1 on time, Thôn 2 late, Thôn 3 silent; Thôn Tân Thọ at an
    /// unknown time (on time); Thôn Đông Hòa at 23:00 on the deadline (on time); Thôn Ninh has
    /// sessions but no team expected to report.
    static var activity: [Int64: ReportingActivity] {
        [id("16282-01"): ReportingActivity(sessions: 2, firstDay: day("2026-11-03"), lastDay: day("2026-11-20"),
                                           firstRecorded: vietnam("2026-12-01", hour: 9)),
         id("16282-02"): ReportingActivity(sessions: 1, firstDay: day("2026-11-05"), lastDay: day("2026-11-05"),
                                           firstRecorded: vietnam("2026-12-10", hour: 9)),
         id("16285-01"): ReportingActivity(sessions: 1, firstDay: day("2026-11-07"), lastDay: day("2026-11-07"), unrecorded: 1),
         id("16285-02"): ReportingActivity(sessions: 3, firstDay: day("2026-11-02"), lastDay: day("2026-11-28"),
                                           firstRecorded: vietnam("2026-12-05", hour: 23)),
         id("16288-01"): ReportingActivity(sessions: 4, firstDay: day("2026-11-02"), lastDay: day("2026-11-28"),
                                           firstRecorded: vietnam("2026-11-28", hour: 9))]
    }

    static func report(under code: String = "404", activity: [Int64: ReportingActivity] = activity, teams: [Team] = teams)
        -> CompletenessReport {
        let tree = self.tree
        return CompletenessReport(campaign: campaign, period: period, tree: tree, start: tree.index(of: code)!, teams: teams,
                                  activity: activity)
    }
}

@Suite("Completeness: which hamlets with an active team reported for a period, on time or late, summed up the tree")
struct CompletenessTests {
    typealias F = ReportingFixture

    static let teamCases: [(String?, String?, Bool)] = [("2026-11-01", nil, true), ("2026-10-31", nil, false),
                                                        (nil, "2026-11-30", true), (nil, "2026-12-01", false)]

    func row(_ report: CompletenessReport, _ code: String) throws -> CompletenessReport.Row {
        try #require(report.rows.first { $0.code == code })
    }

    @Test("a hamlet is expected when a team of its own or of its commune was active during the period")
    func expected() throws {
        let report = F.report()
        #expect(try row(report, "16282-03").expected == 1, "covered by the commune's team")
        #expect(try row(report, "16285-01").expected == 1, "its own team")
        #expect(try row(report, "16285-02").expected == 1, "a commune team that stopped during the period still covers it")
        #expect(try row(report, "16288-01").expected == 0, "teams inactive before the period or formed after it do not count")
        #expect(try row(report, "16288-01").reported == 0, "sessions of a hamlet nobody was expected to report for are not counted")
        #expect(try row(report, "16288").rate == nil, "no hamlet expected: no rate, never 0%")
    }

    @Test("reported, on time, late and never per hamlet; an unknown recorded time counts as on time")
    func perHamlet() throws {
        let report = F.report()
        let on = try row(report, "16282-01"), late = try row(report, "16282-02"), never = try row(report, "16282-03")
        #expect((on.reported, on.onTime, on.late, on.never) == (1, 1, 0, 0))
        #expect((late.reported, late.onTime, late.late, late.never) == (1, 0, 1, 0))
        #expect((never.reported, never.onTime, never.late, never.never) == (0, 0, 0, 1))
        #expect(try row(report, "16285-01").onTime == 1)
        #expect(try row(report, "16285-02").onTime == 1, "23:00 Vietnam time on the deadline is still on time")
        #expect(report.deadline == F.day("2026-12-05"))
    }

    @Test("a team whose inactive day falls in the period is active; one inactive since before it or formed after it is not",
          arguments: CompletenessTests.teamCases)
    func teamActivity(inactiveSince: String?, formed: String?, active: Bool) {
        let team = Team(code: "T", name: "T", kind: .project06, areaCode: "16282", formed: formed.map(F.day),
                        status: inactiveSince == nil ? .active : .inactive, inactiveSince: inactiveSince.map(F.day))
        #expect(team.isActive(from: F.period.start, through: F.period.end) == active)
    }

    @Test("the first report counts as on time up to the end of the deadline day in Vietnam time",
          arguments: [(23, "2026-12-05", true), (0, "2026-12-06", false), (6, "2026-12-06", false)] as [(Int, String, Bool)])
    func deadline(hour: Int, date: String, onTime: Bool) {
        let seen = ReportingActivity(sessions: 1, firstDay: F.day("2026-11-10"), lastDay: F.day("2026-11-10"),
                                     firstRecorded: F.vietnam(date, hour: hour))
        #expect(seen.onTime(deadline: F.day("2026-12-05")) == onTime)
    }

    @Test("every unit sums its hamlets' counts, and its rate is the ratio of the sums, not the mean of its children's rates")
    func rollUp() throws {
        let report = F.report()
        let tree = F.tree
        for row in report.rows where row.kind != .hamlet {
            let i = try #require(tree.index(of: row.code))
            let hamlets = report.rows.filter { h in h.kind == .hamlet && tree.isInSubtree(tree.index(of: h.code)!, of: i) }
            #expect(row.expected == hamlets.reduce(0) { $0 + $1.expected })
            #expect(row.reported == hamlets.reduce(0) { $0 + $1.reported })
            #expect(row.onTime == hamlets.reduce(0) { $0 + $1.onTime })
            #expect(row.late == hamlets.reduce(0) { $0 + $1.late })
            #expect(row.onTime + row.late == row.reported)
        }
        let district = try row(report, "404")
        #expect(district.expected == 5 && district.reported == 4)
        #expect(district.rate == 0.8)
        let communeRates = report.rows.filter { $0.depth == 1 }.compactMap(\.rate)
        #expect(communeRates.reduce(0, +) / Double(communeRates.count) != district.rate, "the mean of rates would differ here")
        #expect(report.total == district)
    }

    @Test("rows come in tree order from the start, with depths below it")
    func treeOrder() {
        let report = F.report(under: "16285")
        #expect(report.rows.map(\.code) == ["16285", "16285-01", "16285-02"])
        #expect(report.rows.map(\.depth) == [0, 1, 1])
        #expect(report.startName == "Xã Tân Thọ")
    }

    @Test("the table, CSV, JSON and Markdown carry the same figures; CSV and JSON are the same in every language")
    func renderings() throws {
        let report = F.report()
        let vi = Labels(.vi), en = Labels(.en)
        let table = try report.rendered(as: .table, labels: vi)
        #expect(table.contains("4/5 thôn đã báo cáo (80,0%)"))
        #expect(table.contains("66,7%"))
        #expect(try report.rendered(as: .table, labels: en).contains("4/5 hamlets reported (80.0%)"))
        let csv = try report.rendered(as: .csv, labels: vi)
        #expect(csv == (try report.rendered(as: .csv, labels: en)))
        let lines = csv.split(separator: "\n")
        #expect(lines.count == report.rows.count + 1)
        #expect(lines[1] == "404,Huyện Nông Cống,district,,0,5,4,3,1,1,0.8000,2026-11,2026-12-05")
        let json = try JSONSerialization.jsonObject(with: Data(try report.rendered(as: .json, labels: vi).utf8)) as? [String: Any]
        let rows = try #require(json?["rows"] as? [[String: Any]])
        #expect(rows.count == report.rows.count)
        #expect(rows.first?["reported"] as? Int == 4 && rows.first?["onTime"] as? Int == 3)
        #expect(json?["period"] as? String == "2026-11")
        let md = try report.rendered(as: .md, labels: vi)
        #expect(md.hasPrefix("# "))
        #expect(md.split(separator: "\n").filter { $0.hasPrefix("| ") }.count == report.rows.count + 2, "header, alignment, rows")
    }
}

@Suite("Completeness periods: --period read against the campaign, and the last ended period by default")
struct CompletenessPeriodTests {
    typealias F = ReportingFixture

    @Test("without --period, the last period of the campaign's approval kind that ended before today",
          arguments: [("2026-12-05", PeriodKind.month, "2026-11"), ("2026-12-01", .month, "2026-11"), ("2026-11-30", .month, "2026-10"),
                      ("2027-03-10", .month, "2026-12"), ("2026-12-05", .quarter, "2026-Q3"), ("2027-01-01", .quarter, "2026-Q4")])
    func lastEnded(today: String, kind: PeriodKind, expected: String) throws {
        var campaign = F.campaign
        campaign.closing.approval = kind
        #expect(try CompletenessReport.period(nil, campaign: campaign, today: F.day(today)).description == expected)
    }

    @Test("a campaign whose first period has not ended, a text that is no period and a period outside the campaign are errors")
    func errors() {
        #expect(throws: CompletenessError.noEndedPeriod(campaign: "de-an-06", start: F.day("2026-01-01"), first: "2026-01")) {
            try CompletenessReport.period(nil, campaign: F.campaign, today: F.day("2026-01-20"))
        }
        #expect(throws: CompletenessError.badPeriod("2026-13")) {
            try CompletenessReport.period("2026-13", campaign: F.campaign, today: F.day("2026-12-05"))
        }
        #expect(throws: CompletenessError.periodOutsideCampaign(period: "2027-01", campaign: "de-an-06", start: F.day("2026-01-01"),
                                                               end: F.day("2026-12-31"))) {
            try CompletenessReport.period("2027-01", campaign: F.campaign, today: F.day("2026-12-05"))
        }
        #expect(CompletenessError.badPeriod("x").message(in: Labels(.vi))?.contains("--period") == true)
    }
}

@Suite("The chase list: never reported first, then the longest silent, then the furthest behind pace; phones masked")
struct ChaseListTests {
    typealias F = ReportingFixture
    static let today = F.day("2026-12-05")

    func activity(_ last: [String: String]) -> [Int64: ReportingActivity] {
        var out: [Int64: ReportingActivity] = [:]
        for (code, date) in last {
            out[F.id(code)] = ReportingActivity(sessions: 1, firstDay: F.day("2026-02-01"), lastDay: F.day(date))
        }
        return out
    }

    /// Coverage on `today` with each hamlet's activations (1,000 adults each, target 90%).
    func coverage(_ activations: [String: Int]) throws -> CoverageReport {
        let tree = F.tree
        var own: [Int: AreaTotals] = [:]
        for (code, n) in activations {
            own[tree.index(of: code)!] = AreaTotals(sessions: 1, metrics: MetricValues([.eidL2: n]), lastDay: Self.today)
        }
        return try CoverageReport(campaign: F.campaign, tree: tree, ownTotals: own,
                                  options: .init(asOf: Self.today, indicator: "eid-l2", level: .kind(.hamlet)))
    }

    func list(members: [Member] = [], showLeaderFromMembers: Bool = true) throws -> ChaseList {
        let tree = F.tree
        // Thôn 3 never reported; Thôn 2 silent 21 days, Thôn Tân Thọ 30; Thôn Đông Hòa (10%) is
        // further behind pace than Thôn 1 (50%); Thôn Ninh has no team.
        // Tân Thọ's commune team stopped in November: Thôn Đông Hòa is chased through a volunteer team of its own.
        let volunteers = Team(code: "TN-16285-02", name: "Đội thanh niên Thôn Đông Hòa", kind: .volunteer, areaCode: "16285-02")
        return ChaseList(campaign: F.campaign, tree: tree, start: tree.index(of: "404")!, teams: F.teams + [volunteers], members: members,
                         activity: activity(["16282-01": "2026-12-03", "16282-02": "2026-11-14", "16285-01": "2026-11-05",
                                             "16285-02": "2026-12-04"]),
                         coverage: try coverage(["16282-01": 500, "16282-02": 950, "16285-01": 950, "16285-02": 100]),
                         today: Self.today, silentDays: 14)
    }

    @Test("ordered by how far behind: never, then days silent (most first), then the gap to the target (widest first)")
    func order() throws {
        let list = try list()
        // Thôn Ninh's own team was formed on 01/12: it is working today, so Thôn Ninh is chased.
        #expect(list.lines.map(\.code) == ["16282-03", "16288-01", "16285-01", "16282-02", "16285-02", "16282-01"])
        #expect(list.lines.map(\.reason).prefix(4) == [.never, .never, .silent(days: 30), .silent(days: 21)])
        guard case let .behind(coverage, _, gap) = list.lines[4].reason else { Issue.record("not behind"); return }
        #expect(coverage == 0.1)
        #expect(abs(gap - (0.9 - 0.1) / 0.9) < 1e-9)
        let stopped = ChaseList(campaign: F.campaign, tree: F.tree, start: F.tree.index(of: "16288")!,
                                teams: F.teams.filter { $0.code != "P06-16288-01" }, members: [], activity: [:], coverage: nil,
                                today: Self.today, silentDays: 14)
        #expect(stopped.lines.isEmpty, "a hamlet whose only team stopped before today is not chased")
    }

    @Test("a hamlet silent for exactly the given days is not silent yet")
    func silentBoundary() throws {
        let tree = F.tree
        let list = ChaseList(campaign: F.campaign, tree: tree, start: tree.index(of: "16282")!, teams: F.teams, members: [],
                             activity: activity(["16282-01": "2026-11-21", "16282-02": "2026-11-20", "16282-03": "2026-12-05"]),
                             coverage: nil, today: Self.today, silentDays: 14)
        #expect(list.lines.map(\.code) == ["16282-02"])
    }

    @Test("the leader is the team's own, else its current member with role leader; phones masked unless asked for")
    func leadersAndPhones() throws {
        let leader = Member(teamCode: "P06-16282", name: "Nguyễn Văn A", phone: Phone(digits: "0912345123"), role: .leader)
        let former = Member(teamCode: "P06-16282", name: "Lê Thị B", phone: Phone(digits: "0987000111"), role: .leader,
                            left: F.day("2026-06-01"))
        let list = try list(members: [former, leader])
        let thon3 = try #require(list.lines.first)
        #expect(thon3.leader == "Nguyễn Văn A")
        let text = try list.rendered(as: .text, labels: Labels(.vi))
        let lines = text.split(separator: "\n")
        #expect(lines.count == list.lines.count + 1)
        #expect(lines[0].contains("05/12/2026"))
        #expect(lines[1] == "• Thôn 3 (xã Tân Phúc) — chưa báo cáo lần nào — Tổ Đề án 06 xã Tân Phúc, tổ trưởng Nguyễn Văn A 0912***123")
        #expect(lines[3].hasPrefix("• Thôn Tân Thọ (xã Tân Thọ) — im lặng 30 ngày — Tổ công nghệ số Thôn Tân Thọ, tổ trưởng Trần Văn Nam"))
        #expect(!text.contains("0912345123") && !text.contains("0356789012"))
        let shown = try list.rendered(as: .text, labels: Labels(.vi), showPhones: true)
        #expect(shown.contains("0912345123") && shown.contains("0356789012"))
        for format in [ChaseFormat.csv, .json] {
            #expect(!(try list.rendered(as: format, labels: Labels(.vi))).contains("0912345123"))
            #expect(try list.rendered(as: format, labels: Labels(.vi), showPhones: true).contains("0912345123"))
        }
    }

    @Test("nothing to chase says so in a sentence")
    func empty() throws {
        let tree = F.tree
        let list = ChaseList(campaign: F.campaign, tree: tree, start: tree.index(of: "16282")!, teams: F.teams, members: [],
                             activity: activity(["16282-01": "2026-12-01", "16282-02": "2026-12-02", "16282-03": "2026-11-30"]),
                             coverage: nil, today: Self.today, silentDays: 14)
        #expect(list.lines.isEmpty)
        #expect(try list.rendered(as: .text, labels: Labels(.en)).contains("No hamlet to follow up"))
    }
}

@Suite("reportingActivity on SQLite: live sessions only, first and last day, recorded time or the import's")
struct ReportingActivityStoreTests {
    typealias F = ReportingFixture

    @Test("voided sessions and days outside the range are left out; the recorded time falls back to the import's, else unknown")
    func activity() throws {
        let store = try Store.inMemory()
        _ = try store.importAreas(F.areas.map { AreaRow(line: 1, code: $0.0, name: $0.1, level: $0.2, parentCode: $0.3) },
                                  file: "areas.csv", on: F.day("2026-01-01"))
        let today = F.day("2026-12-05")
        func log(_ date: String, _ area: String) throws -> String {
            try store.logSession(NewSession(day: F.day(date), area: area, metrics: MetricValues([.eidL2: 1])), today: today).id
        }
        _ = try log("2026-11-03", "16282-01")
        _ = try log("2026-11-20", "16282-01")
        _ = try log("2026-10-31", "16282-01")
        let voided = try log("2026-11-10", "16282-02")
        try store.voidSession(voided, reason: "nhầm", on: today)
        _ = try log("2026-11-12", "16285-01")
        _ = try log("2026-11-13", "16285-02")
        let stamp = F.vietnam("2026-12-02", hour: 10).secondsSince1970
        // Sessions logged before this version have no recorded time; one as `log` (recorded) and one
        // as an import (its time) of this version write them. Sessions are never edited otherwise.
        try tamper(store, """
            DROP TRIGGER session_never_edited;
            UPDATE session SET recorded = NULL;
            UPDATE session SET recorded = \(stamp) WHERE day = \(F.day("2026-11-12").number);
            INSERT INTO import_file (id, file_digest, name, rows, imported) VALUES (77, x'00', 'sessions.csv', 1, '2026-12-07T20:00:00Z');
            UPDATE session SET import_id = 77 WHERE day = \(F.day("2026-11-13").number);
            CREATE TRIGGER session_never_edited BEFORE UPDATE ON session BEGIN SELECT RAISE(ABORT, 'sessions are never edited'); END;
            """)
        let seen = try store.reportingActivity(from: F.period.start, through: F.period.end, areas: nil)
        let thon1 = try #require(seen[F.id("16282-01")])
        #expect(thon1.sessions == 2 && thon1.firstDay == F.day("2026-11-03") && thon1.lastDay == F.day("2026-11-20"))
        #expect(thon1.unrecorded == 2 && thon1.onTime(deadline: F.day("2026-11-01")))
        #expect(seen[F.id("16282-02")] == nil, "voided")
        #expect(seen[F.id("16285-01")]?.firstRecorded?.secondsSince1970 == stamp)
        #expect(seen[F.id("16285-01")]?.unrecorded == 0)
        let imported = try #require(seen[F.id("16285-02")])
        #expect(imported.firstRecorded == F.vietnam("2026-12-08", hour: 3), "20:00 UTC on 07/12 is 03:00 on 08/12 in Vietnam")
        #expect(!imported.onTime(deadline: F.day("2026-12-07")) && imported.onTime(deadline: F.day("2026-12-08")))
        let only = try store.reportingActivity(from: F.period.start, through: F.period.end, areas: [F.id("16285-01")])
        #expect(Set(only.keys) == [F.id("16285-01")])
    }
}

@Suite("The district report and the dashboard show reporting for the last period ended by the report's day")
struct DistrictCompletenessTests {
    @Test("the report's completeness is `outreach completeness` for the last ended month, in HTML and Markdown")
    func districtReport() async throws {
        let store = try DistrictReportTests.store()
        let report = try await DistrictReportTests.report(store)
        let completeness = try #require(report.completeness)
        #expect(completeness.period == Period(year: 2026, month: 10), "the report's day is 20/11/2026")
        let direct = try await store.completenessReport(campaign: DistrictReportTests.campaign, period: completeness.period, under: nil)
        #expect(completeness == direct)
        #expect(completeness.total.expected > 0)
        let l = Labels(.vi)
        #expect(report.markdown(labels: l).contains(MarkdownText.escape(completeness.summary(l))))
        #expect(report.html(labels: l).contains(completeness.summary(l)))
        #expect(report.html(labels: Labels(.en)).contains(completeness.summary(Labels(.en))))
        let page = WebPages.dashboard(labels: l, viewer: .init(name: "huyen", role: .viewer, csrf: "x"),
                                      .init(campaigns: [("de-an-06", "Đề án 06")], campaign: "de-an-06", under: "404", report: report, recent: []))
        #expect(page.contains(completeness.summary(l)), "the dashboard says it too")
    }
}
