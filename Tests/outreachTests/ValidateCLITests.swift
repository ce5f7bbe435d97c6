import Foundation
import Testing

@Suite("Validation rules end to end: validate, and entry-time checks on log and import")
struct ValidateCLITests {
    /// A commune with two hamlets (Thôn 1: 100 adults, 40 households), a campaign with a session
    /// warning, a session error and two cumulative rules, and three sessions.
    static func workspace() throws -> CLI {
        let cli = try CLI()
        try cli.write("areas.csv", """
            code,name,kind,parent_code,adults,households
            404,Huyện Nông Cống,district,,,
            16282,Xã Tân Phúc,commune,404,,
            16282-01,Thôn 1,hamlet,16282,100,40
            16282-02,Thôn 2,hamlet,16282,50,

            """)
        try cli.write("sessions.csv", """
            date,area,eid_l2,people_reached,households_visited
            2026-11-03,16282-01,30,20,25
            2026-11-10,16282-01,80,90,30
            2026-12-01,16282-02,5,,

            """)
        try FileManager.default.createDirectory(at: cli.dir.appendingPathComponent("Campaigns"), withIntermediateDirectories: true)
        try cli.write("Campaigns/thu.yaml", """
            version: 1
            id: thu
            name: Thử
            scope: "16282"
            period: {start: 2026-10-01, end: 2026-12-31}
            indicators:
              - {id: e, label: E, numerator: eid_l2, denominator: adults, target: 90%}
            rules:
              - id: eid-not-above-reached
                rule: eid_l2 <= people_reached
                message: Kích hoạt nhiều hơn số người được tiếp cận
                message_en: More activations than people reached
              - id: eid-limit
                rule: eid_l2 <= 500
                severity: error
                message: Quá 500 tài khoản một buổi
                message_en: Over 500 accounts in one session
              - id: eid-not-above-adults
                rule: eid_l2 <= adults
                scope: cumulative
                message: Cộng dồn vượt số người lớn
                message_en: Cumulative activations above adults
              - id: visits-not-above-households
                rule: households_visited <= households
                scope: cumulative
                missing: zero
                message: Số hộ đến thăm vượt số hộ
                message_en: Households visited above households

            """)
        for args in [["init"], ["areas", "import", "areas.csv"]] {
            let r = try cli.run(args + ["--db", "w.sqlite"])
            try #require(r.status == 0, "\(args): \(r.stderr)")
        }
        return cli
    }

    func run(_ cli: CLI, _ args: [String]) throws -> CLI.Result {
        try cli.run(args + ["--campaigns", cli.path("Campaigns"), "--db", "w.sqlite"])
    }

    @Test("import warns on session rules; validate lists session and cumulative breaches with exit 0 for warnings")
    func validateWarnings() throws {
        let cli = try Self.workspace()
        defer { cli.cleanUp() }
        let imported = try run(cli, ["sessions", "import", "sessions.csv", "--lang", "en"])
        try #require(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("sessions.csv:2: rule eid-not-above-reached (thu): More activations than people reached (eid_l2 <= people_reached: 30 against 20)"),
                "\(imported.stderr)")
        let r = try run(cli, ["validate", "--campaign", "thu", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(report["violations"] as? [[String: Any]])
        let summary = rows.map { "\($0["rule"]!) \($0["unit"]!) \($0["left"]!) \($0["right"]!)" }
        #expect(summary == ["eid-not-above-reached 16282-01 30 20", "visits-not-above-households 16282 55 40",
                            "eid-not-above-adults 16282-01 110 100", "visits-not-above-households 16282-01 55 40"],
                "sessions first; then the tree: the commune's households are its hamlets' sum, 115 of 150 adults is fine: \(summary)")
        #expect(rows.first?["session"] is String && rows.first?["date"] as? String == "2026-11-03")

        let november = try run(cli, ["validate", "--campaign", "thu", "--period", "2026-12", "--format", "csv"])
        #expect(november.status == 0)
        #expect(!november.stdout.contains("eid-not-above-reached"), "the breaching session is of November: \(november.stdout)")
        let table = try run(cli, ["validate", "--campaign", "thu", "--under", "16282-02"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Không có quy tắc nào bị vi phạm."), "\(table.stdout)")
    }

    @Test("an error rule refuses a logged session (exit 1, the rule and both values) and a whole import; validate exits 1")
    func errorRule() throws {
        let cli = try Self.workspace()
        defer { cli.cleanUp() }
        let refused = try run(cli, ["log", "--area", "16282-01", "--date", "2026-11-05", "--eid-l2", "600", "--lang", "en"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Refused by rule eid-limit of campaign thu: Over 500 accounts in one session (eid_l2 <= 500: 600 against 500)"),
                "\(refused.stderr)")
        let warned = try run(cli, ["log", "--area", "16282-01", "--date", "2026-11-05", "--eid-l2", "9", "--people-reached", "3"])
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("quy tắc eid-not-above-reached (thu): Kích hoạt nhiều hơn số người được tiếp cận"), "\(warned.stderr)")
        let outside = try run(cli, ["log", "--area", "16282-01", "--date", "2027-01-05", "--eid-l2", "600"])
        #expect(outside.status == 0, "after the campaign period the rule does not apply: \(outside.stderr)")

        try cli.write("big.csv", "date,area,eid_l2\n2026-11-03,16282-01,700\n2026-11-04,16282-02,4\n2026-11-05,16282-02,900\n")
        let imported = try run(cli, ["sessions", "import", "big.csv", "--lang", "en"])
        #expect(imported.status != 0)
        #expect(imported.stderr.contains("big.csv:2") && imported.stderr.contains("big.csv:4") && imported.stderr.contains("eid-limit"),
                "\(imported.stderr)")
        #expect(!imported.stderr.contains("big.csv:3"))

        // An error breach stored before the rule existed: validate exits 1.
        try cli.write("ok.csv", "date,area,eid_l2\n2026-11-03,16282-01,700\n")
        try FileManager.default.createDirectory(at: cli.dir.appendingPathComponent("none"), withIntermediateDirectories: true)
        #expect(try cli.run(["sessions", "import", "ok.csv", "--campaigns", cli.path("none"), "--db", "w.sqlite"]).status == 0)
        let v = try run(cli, ["validate", "--campaign", "thu", "--format", "csv"])
        #expect(v.status == 1)
        #expect(v.stdout.contains("eid-limit"))
    }

    @Test("validate reads a declared metric's counts, leaves voided sessions out and keeps to --under")
    func declaredMetric() throws {
        let cli = try Self.workspace()
        defer { cli.cleanUp() }
        try FileManager.default.createDirectory(at: cli.dir.appendingPathComponent("Declared"), withIntermediateDirectories: true)
        try cli.write("Declared/dvc.yaml", """
            version: 1
            id: dvc
            name: Hồ sơ
            scope: "16282"
            period: {start: 2026-10-01, end: 2026-12-31}
            metrics: [dvc_submitted]
            indicators:
              - {id: d, label: D, numerator: dvc_submitted, denominator: none, target: 100}
            rules:
              - id: filed-not-above-reached
                rule: dvc_submitted <= people_reached
                message: Hồ sơ nhiều hơn số người
                message_en: More dossiers than people

            """)
        func declared(_ args: [String]) throws -> CLI.Result {
            try cli.run(args + ["--campaigns", cli.path("Declared"), "--db", "w.sqlite", "--lang", "en"])
        }
        var ids: [String] = []
        for (area, day, filed) in [("16282-01", "2026-11-03", 9), ("16282-02", "2026-11-04", 7), ("16282-01", "2026-11-05", 8)] {
            let r = try declared(["log", "--area", area, "--date", day, "--metric", "dvc_submitted=\(filed)", "--people-reached", "4"])
            try #require(r.status == 0, "\(r.stderr)")
            ids.append(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: .whitespaces).last ?? "")
        }
        #expect(try cli.run(["sessions", "void", ids[2], "--reason", "nhập nhầm", "--db", "w.sqlite"]).status == 0)
        let all = try declared(["validate", "--campaign", "dvc", "--format", "csv"])
        #expect(all.status == 0, "\(all.stderr)")
        let lines = all.stdout.split(separator: "\n").dropFirst()
        #expect(lines.count == 2 && lines.allSatisfy { $0.contains("filed-not-above-reached") }, "\(all.stdout)")
        #expect(lines.first?.contains("16282-01") == true && lines.last?.contains("16282-02") == true, "by date: \(all.stdout)")
        #expect(!all.stdout.contains(",8,"), "the voided session is not checked: \(all.stdout)")
        let one = try declared(["validate", "--campaign", "dvc", "--under", "16282-02", "--format", "csv"])
        #expect(one.stdout.split(separator: "\n").count == 2 && one.stdout.contains("16282-02,"), "\(one.stdout)")
    }

    @Test("an import checks a rule naming working_age against the hamlet's working-age people")
    func workingAgeAtImport() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.write("areas.csv", """
            code,name,kind,parent_code,working_age
            16282,Xã Tân Phúc,commune,,
            16282-01,Thôn 1,hamlet,16282,60

            """)
        try FileManager.default.createDirectory(at: cli.dir.appendingPathComponent("Campaigns"), withIntermediateDirectories: true)
        try cli.write("Campaigns/lao-dong.yaml", """
            version: 1
            id: lao-dong
            name: Thử
            scope: "16282"
            period: {start: 2026-10-01, end: 2026-12-31}
            indicators:
              - {id: s, label: S, numerator: smartphone_setup, denominator: working_age, target: 80%}
            rules:
              - id: setup-not-above-working-age
                rule: smartphone_setup <= working_age
                severity: error
                message: Vượt số người trong độ tuổi lao động
                message_en: Above the working-age people

            """)
        for args in [["init"], ["areas", "import", "areas.csv"]] {
            try #require(try cli.run(args + ["--db", "w.sqlite"]).status == 0)
        }
        try cli.write("s.csv", "date,area,smartphone_setup\n2026-11-03,16282-01,50\n2026-11-04,16282-01,75\n")
        let r = try run(cli, ["sessions", "import", "s.csv", "--lang", "en"])
        #expect(r.status != 0, "75 people helped in a hamlet of 60 working-age people is refused: \(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("s.csv:3") && r.stderr.contains("setup-not-above-working-age") && !r.stderr.contains("s.csv:2"),
                "\(r.stderr)")
    }

    @Test("campaigns check names the line of a rule with a problem")
    func check() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try cli.write("bad.yaml", """
            version: 1
            id: bad
            name: Thử
            scope: "404"
            period: {start: 2026-10-01, end: 2026-12-31}
            indicators:
              - {id: e, label: E, numerator: eid_l2, denominator: adults, target: 90%}
            rules:
              - id: r
                rule: eid_l2 <= peple_reached
                message: x

            """)
        let r = try cli.run("campaigns", "check", "bad.yaml")
        #expect(r.status == 1)
        #expect((r.stdout + r.stderr).contains("bad.yaml:10: rule \"r\": in \"eid_l2 <= peple_reached\", \"peple_reached\" is neither a metric nor an area attribute. Did you mean \"people_reached\"?"),
                "\(r.stdout)\(r.stderr)")
    }
}
