import Foundation
import Testing

@Suite("The completeness and chase commands, end to end")
struct CompletenessCLITests {
    /// Today in Vietnam (UTC+7), as the commands read it.
    static var today: DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        return calendar.dateComponents([.year, .month, .day], from: Date())
    }

    static var currentMonth: String { String(format: "%04d-%02d", today.year!, today.month!) }
    static var todayISO: String { String(format: "%04d-%02d-%02d", today.year!, today.month!, today.day!) }
    /// The month before the current one: the last ended period of a monthly campaign.
    static var lastMonth: String {
        let (y, m) = (today.year!, today.month!)
        return m == 1 ? String(format: "%04d-12", y - 1) : String(format: "%04d-%02d", y, m - 1)
    }

    /// A district with two communes and four hamlets: Tân Phúc's three hamlets are covered by the
    /// commune's team; Thôn Tân Thọ has no team. Sessions of June 2025 are imported today (so
    /// they were recorded long after their deadline): Thôn 1 and Thôn Tân Thọ.
    static func workspace() throws -> CLI {
        let cli = try CLI()
        try cli.write("areas.csv", """
            code,name,kind,parent_code,adults
            38,Tỉnh Thanh Hóa,province,,
            404,Huyện Nông Cống,district,38,
            16282,Xã Tân Phúc,commune,404,
            16285,Xã Tân Thọ,commune,404,
            16282-01,Thôn 1,hamlet,16282,800
            16282-02,Thôn 2,hamlet,16282,700
            16282-03,Thôn Phúc Lâm,hamlet,16282,900
            16285-01,Thôn Tân Thọ,hamlet,16285,1000

            """)
        try cli.write("teams.csv", """
            code,name,kind,area_code,leader,leader_phone,formed
            P06-16282,Tổ công tác Đề án 06 Xã Tân Phúc,project06,16282,Lê Văn Hùng,0912 345 678,2024-12-01

            """)
        try cli.write("sessions.csv", """
            date,area,team,eid_l2
            2025-06-10,16282-01,P06-16282,20
            2025-06-20,16285-01,,15

            """)
        try FileManager.default.createDirectory(at: cli.dir.appendingPathComponent("Campaigns"), withIntermediateDirectories: true)
        try cli.write("Campaigns/thu.yaml", """
            version: 1
            id: thu
            name: Thử nghiệm báo cáo
            scope: "404"
            period:
              start: 2025-01-01
              end: 2030-12-31
            report_deadline_days: 5
            indicators:
              - id: eid-l2
                label: Định danh mức 2
                numerator: [eid_l2]
                denominator: adults
                target: 90%

            """)
        for args in [["init"], ["areas", "import", "areas.csv"], ["teams", "import", "teams.csv"], ["sessions", "import", "sessions.csv"]] {
            let r = try cli.run(args + ["--db", "w.sqlite"])
            try #require(r.status == 0, "\(args): \(r.stderr)")
        }
        return cli
    }

    func run(_ cli: CLI, _ args: [String]) throws -> CLI.Result {
        try cli.run(args + ["--campaigns", cli.path("Campaigns"), "--db", "w.sqlite"])
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("a past month: hamlets expected, reported, late (imported after the deadline) and never, summed up to the district")
    func pastMonth() throws {
        let cli = try Self.workspace()
        defer { cli.cleanUp() }
        let r = try run(cli, ["completeness", "--campaign", "thu", "--period", "2025-06", "--format", "json"])
        try #require(r.status == 0, "\(r.stderr)")
        let report = try json(r.stdout)
        #expect(report["period"] as? String == "2025-06")
        #expect(report["deadline"] as? String == "2025-07-05")
        let rows = try #require(report["rows"] as? [[String: Any]])
        func row(_ code: String) throws -> [String: Any] { try #require(rows.first { $0["code"] as? String == code }) }
        let district = try row("404")
        #expect(district["expected"] as? Int == 3, "Thôn Tân Thọ has no team")
        #expect(district["reported"] as? Int == 1 && district["late"] as? Int == 1 && district["onTime"] as? Int == 0)
        #expect(district["never"] as? Int == 2)
        #expect(try row("16285-01")["reported"] as? Int == 0, "a hamlet without a team is not counted, sessions or not")
        #expect(try row("16282-01")["late"] as? Int == 1)
        #expect(rows.map { $0["code"] as? String } == ["404", "16282", "16282-01", "16282-02", "16282-03", "16285", "16285-01"])

        let table = try run(cli, ["completeness", "--campaign", "thu", "--period", "2025-06", "--under", "16282"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("tháng 6/2025") || table.stdout.contains("06/2025"))
        #expect(table.stdout.contains("1/3 thôn đã báo cáo (33,3%)"))
        let english = try run(cli, ["completeness", "--campaign", "thu", "--period", "2025-Q2", "--under", "16282", "--lang", "en"])
        #expect(english.stdout.contains("1/3 hamlets reported (33.3%)"), "\(english.stdout)")
    }

    @Test("the current month: a session logged today and one imported today are on time; CSV rows per unit")
    func currentMonth() throws {
        let cli = try Self.workspace()
        defer { cli.cleanUp() }
        let logged = try run(cli, ["log", "--area", "16282-03", "--date", Self.todayISO, "--eid-l2", "4"])
        try #require(logged.status == 0, "\(logged.stderr)")
        try cli.write("today.csv", "date,area,eid_l2\n\(Self.todayISO),16282-02,3\n")
        let imported = try cli.run(["sessions", "import", "today.csv", "--db", "w.sqlite"])
        try #require(imported.status == 0, "\(imported.stderr)")
        let r = try run(cli, ["completeness", "--campaign", "thu", "--period", Self.currentMonth, "--under", "16282", "--format", "csv"])
        try #require(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.first?.prefix(11) == ["code", "name", "kind", "within", "depth", "expected", "reported", "on_time", "late", "never", "rate"])
        let commune = try #require(lines.first { $0.first == "16282" })
        #expect(Array(commune[5...9]) == ["3", "2", "2", "0", "1"])
        #expect(commune[10] == "0.6667")
    }

    @Test("without --period, the last month that has ended")
    func defaultPeriod() throws {
        let cli = try Self.workspace()
        defer { cli.cleanUp() }
        let r = try run(cli, ["completeness", "--campaign", "thu", "--format", "json"])
        try #require(r.status == 0, "\(r.stderr)")
        #expect(try json(r.stdout)["period"] as? String == Self.lastMonth)
    }

    @Test("a bad period, a period outside the campaign, an unknown --under and an unknown campaign are errors naming what to fix",
          arguments: [(["--period", "2025-13"], "--period"), (["--period", "2024-12"], "--period"), (["--under", "99999"], "--under"),
                      (["--under", "99999", "--lang", "en"], "--under")] as [([String], String)])
    func errors(args: [String], option: String) throws {
        let cli = try Self.workspace()
        defer { cli.cleanUp() }
        let r = try run(cli, ["completeness", "--campaign", "thu"] + args)
        #expect(r.status != 0)
        #expect(r.stderr.contains(option), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let unknown = try run(cli, ["chase", "--campaign", "khong-co"])
        #expect(unknown.status != 0 && unknown.stderr.contains("khong-co"))
        let days = try run(cli, ["chase", "--campaign", "thu", "--days", "0"])
        #expect(days.status != 0 && days.stderr.contains("--days"))
    }

    @Test("chase: never reported first, then silent longest; phones masked unless --include-phones; CSV and JSON")
    func chase() throws {
        let cli = try Self.workspace()
        defer { cli.cleanUp() }
        let logged = try run(cli, ["log", "--area", "16282-02", "--date", Self.todayISO, "--eid-l2", "700"])
        try #require(logged.status == 0, "\(logged.stderr)")
        let r = try run(cli, ["chase", "--campaign", "thu", "--days", "14"])
        try #require(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(r.stdout)")
        #expect(lines.first?.contains("Thử nghiệm báo cáo") == true)
        #expect(lines[1].hasPrefix("• Thôn Phúc Lâm (xã Tân Phúc) — chưa báo cáo lần nào — Tổ công tác Đề án 06 Xã Tân Phúc, tổ trưởng Lê Văn Hùng 0912***678"))
        #expect(lines[2].hasPrefix("• Thôn 1 (xã Tân Phúc) — im lặng "))
        #expect(!r.stdout.contains("Thôn 2") && !r.stdout.contains("Tân Thọ"), "reported today; no team")
        let phones = try run(cli, ["chase", "--campaign", "thu", "--include-phones"])
        #expect(phones.stdout.contains("0912345678") && !r.stdout.contains("0912345678"))
        let csv = try run(cli, ["chase", "--campaign", "thu", "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").first.map(String.init) } == ["16282-03", "16282-01"])
        let list = try json(try run(cli, ["chase", "--campaign", "thu", "--format", "json", "--under", "16282"]).stdout)
        let hamlets = try #require(list["hamlets"] as? [[String: Any]])
        #expect(hamlets.map { $0["reason"] as? String } == ["never", "silent"])
        #expect(hamlets.last?["lastSession"] as? String == "2025-06-10")
    }

    @Test("--help of both commands, in Vietnamese and English, with an example", arguments: ["completeness", "chase"])
    func help(command: String) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let vi = try cli.run(command, "--help")
        #expect(vi.status == 0 && vi.stdout.contains("--campaign") && vi.stdout.contains("outreach \(command) --campaign"))
        let en = try cli.run(command, "--help", "--lang", "en")
        #expect(en.status == 0 && en.stdout.contains("Example:"))
    }
}
