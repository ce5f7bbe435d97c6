import Foundation
import GRDB
import Testing

/// A workspace with a small tree: a commune with two hamlets, and a second commune.
private func hamletWorkspace(_ cli: CLI) throws {
    try cli.run("init", "--db", "w.sqlite")
    let areas = try cli.write("areas.csv", """
        code,name,kind,parent_code,population,adults,households
        404,Huyện Nông Cống,district,,,,
        16282,Xã Tân Phúc,commune,404,,,
        16282-01,Thôn 1,thôn,16282,1200,900,320
        16282-02,Thôn 2,thôn,16282,800,600,210
        16285,Xã Tân Thọ,commune,404,,,
        16285-01,Thôn Đông,thôn,16285,500,380,140
        """)
    let r = try cli.run("areas", "import", areas, "--db", "w.sqlite")
    try #require(r.status == 0, "\(r.stderr)")
}

/// Live totals of one metric in the workspace, read from the monthly running totals.
private func total(_ cli: CLI, _ metric: String) throws -> Int {
    try cli.integer("w.sqlite", "SELECT coalesce(sum(\(metric)), 0) FROM area_month")
}

@Suite("Sessions: log, import, void and list, end to end")
struct SessionsCLITests {
    @Test("log prints the new id; dates take YYYY-MM-DD or DD/MM/YYYY; unknown areas are refused")
    func logOne() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try hamletWorkspace(cli)
        let a = try cli.run("log", "--area", "16282-01", "--date", "20/11/2026", "--eid-l2", "12", "--leaflets", "40", "--db", "w.sqlite")
        #expect(a.status == 0)
        #expect(a.stdout.range(of: #"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n$"#, options: .regularExpression) != nil)
        let b = try cli.run("log", "--area", "16282-02", "--date", "2026-11-19", "--eid-l2", "3", "--db", "w.sqlite")
        #expect(b.status == 0)
        #expect(try total(cli, "eid_l2") == 15)
        let list = try cli.run("sessions", "list", "--format", "csv", "--db", "w.sqlite")
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix(b.stdout.trimmingCharacters(in: .newlines) + ",2026-11-19,16282-02,"))
        #expect(lines[2].contains(",2026-11-20,16282-01,"))
        let bad = try cli.run("log", "--area", "99999", "--eid-l2", "1", "--db", "w.sqlite")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("area \"99999\" does not exist"))
        let nothing = try cli.run("log", "--area", "16282-01", "--db", "w.sqlite")
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("records no count"))
    }

    @Test("a count larger than the area holds is logged with a warning")
    func capacityWarning() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try hamletWorkspace(cli)
        let r = try cli.run("log", "--area", "16282-02", "--date", "2026-11-01", "--eid-l2", "700", "--db", "w.sqlite")
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: eid_l2 = 700 is more than the 600 adults for area \"16282-02\""))
        #expect(try total(cli, "eid_l2") == 700)
    }

    @Test("a team working outside its own commune, or an inactive team, gives a warning, not a silent pass")
    func teamWarnings() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try hamletWorkspace(cli)
        #expect(try cli.run("teams", "add", "--code", "P06-16282", "--name", "Tổ 06 Tân Phúc", "--kind", "project06",
                            "--area", "16282", "--db", "w.sqlite").status == 0)
        #expect(try cli.run("teams", "add", "--code", "TN-16285", "--name", "Đội TN Tân Thọ", "--kind", "volunteer",
                            "--area", "16285", "--status", "inactive", "--db", "w.sqlite").status == 0)
        let home = try cli.run("log", "--area", "16282-01", "--team", "P06-16282", "--eid-l2", "2", "--date", "2026-11-01", "--db", "w.sqlite")
        #expect(home.status == 0)
        #expect(home.stderr.isEmpty)
        let away = try cli.run("log", "--area", "16285-01", "--team", "P06-16282", "--eid-l2", "2", "--date", "2026-11-01", "--db", "w.sqlite")
        #expect(away.status == 0)
        #expect(away.stderr.contains("warning: team \"P06-16282\" works outside its own commune here (area \"16285-01\")."))
        let inactive = try cli.run("log", "--area", "16285-01", "--team", "TN-16285", "--eid-l2", "1", "--date", "2026-11-01", "--db", "w.sqlite")
        #expect(inactive.status == 0)
        #expect(inactive.stderr.contains("warning: team \"TN-16285\" is inactive."))
        let unknown = try cli.run("log", "--area", "16285-01", "--team", "NOPE", "--eid-l2", "1", "--db", "w.sqlite")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("team \"NOPE\" does not exist"))
        let file = try cli.write("s.csv", "date,area,team,eid_l2\n2026-11-02,16285-01,P06-16282,3\n")
        let imported = try cli.run("sessions", "import", file, "--db", "w.sqlite")
        #expect(imported.status == 0)
        #expect(imported.stderr.contains("warning: \(file):2: team \"P06-16282\" works outside its own commune here"))
        #expect(imported.stdout.contains("1 imported, 0 already present, 1 warning."))
    }

    @Test("a spreadsheet's file (semicolons, DD/MM/YYYY, BOM, grouped 1.010) imports once, however often it is imported")
    func spreadsheetImport() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try hamletWorkspace(cli)
        let text = "date;area;eid_l2;bank_account;leaflets;notes\r\n"
            + "01/10/2026;16282-01;10;;1.010;\"họp thôn; phát tờ rơi\"\r\n"
            + "2/10/2026;16282-02;5;2;;\r\n"
            + "15/10/2026;16285-01;7;0;30;\"dòng 1\r\ndòng 2\"\r\n"
        let file = try cli.write("excel.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let first = try cli.run("sessions", "import", file, "--db", "w.sqlite")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "\(file): 3 rows — 3 imported, 0 already present, 0 warnings.\n")
        let again = try cli.run("sessions", "import", file, "--db", "w.sqlite")
        #expect(again.status == 0)
        #expect(again.stdout.contains("already imported on"))
        #expect(try total(cli, "eid_l2") == 22)
        #expect(try total(cli, "leaflets") == 1040)
        #expect(try total(cli, "bank_account") == 2)
        let list = try cli.run("sessions", "list", "--under", "16282", "--format", "json", "--db", "w.sqlite")
        let rows = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 2)
        #expect(rows?.first?["notes"] as? String == "họp thôn; phát tờ rơi")
        let metrics = rows?.first?["metrics"] as? [String: Int]
        #expect(metrics == ["eid_l2": 10, "leaflets": 1010])
    }

    @Test("rows with ids are idempotent across different files, and other figures under a known id are refused")
    func idempotentByID() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try hamletWorkspace(cli)
        let id1 = "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a7b", id2 = "7a1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
        let a = try cli.write("a.csv", "id,date,area,eid_l2\n\(id1),2026-10-01,16282-01,4\n")
        let b = try cli.write("b.csv", "id,date,area,eid_l2\n\(id1),2026-10-01,16282-01,4\n\(id2),2026-10-02,16282-02,6\n")
        #expect(try cli.run("sessions", "import", a, "--db", "w.sqlite").status == 0)
        let rb = try cli.run("sessions", "import", b, "--db", "w.sqlite")
        #expect(rb.stdout == "\(b): 2 rows — 1 imported, 1 already present, 0 warnings.\n")
        #expect(try total(cli, "eid_l2") == 10)
        let c = try cli.write("c.csv", "id,date,area,eid_l2\n\(id1),2026-10-01,16282-01,9\n")
        let rc = try cli.run("sessions", "import", c, "--db", "w.sqlite")
        #expect(rc.status == 1)
        #expect(rc.stderr.contains("\(c):2: column \"id\": session \(id1) is already in the workspace with other figures."))
        #expect(try total(cli, "eid_l2") == 10)
    }

    @Test("void takes a session out of every total, keeps it in the history, and --replaces corrects in one step")
    func voidAndReplace() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try hamletWorkspace(cli)
        let id = try cli.run("log", "--area", "16282-01", "--date", "2026-11-02", "--eid-l2", "20", "--db", "w.sqlite")
            .stdout.trimmingCharacters(in: .newlines)
        try cli.run("log", "--area", "16282-01", "--date", "2026-11-03", "--eid-l2", "5", "--db", "w.sqlite")
        #expect(try total(cli, "eid_l2") == 25)
        let voided = try cli.run("sessions", "void", String(id.prefix(8)), "--reason", "counted twice", "--db", "w.sqlite")
        #expect(voided.status == 0)
        #expect(voided.stdout == "Voided session \(id).\n")
        #expect(try total(cli, "eid_l2") == 5)
        let twice = try cli.run("sessions", "void", id, "--reason", "again", "--db", "w.sqlite")
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("was already voided"))
        let live = try cli.run("sessions", "list", "--format", "csv", "--db", "w.sqlite")
        #expect(!live.stdout.contains(id))
        let all = try cli.run("sessions", "list", "--include-voided", "--format", "csv", "--db", "w.sqlite")
        #expect(all.stdout.contains("\(id),2026-11-02,16282-01,"))
        #expect(all.stdout.contains(",counted twice,"))

        let second = try cli.run("sessions", "list", "--format", "csv", "--db", "w.sqlite").stdout
            .split(separator: "\n")[1].split(separator: ",")[0]
        let fix = try cli.run("log", "--area", "16282-01", "--date", "2026-11-03", "--eid-l2", "8",
                              "--replaces", String(second), "--reason", "miscounted", "--db", "w.sqlite")
        #expect(fix.status == 0)
        #expect(fix.stderr.contains("Voided session \(second)"))
        #expect(try total(cli, "eid_l2") == 8)
        let history = try cli.run("sessions", "list", "--include-voided", "--format", "csv", "--db", "w.sqlite")
        #expect(history.stdout.contains(",miscounted,\(fix.stdout.trimmingCharacters(in: .newlines))"))
        // Nothing is ever deleted.
        #expect(try cli.integer("w.sqlite", "SELECT count(*) FROM session") == 3)
        #expect(throws: (any Error).self) { try cli.execute("w.sqlite", "DELETE FROM session") }
        #expect(try cli.integer("w.sqlite", "SELECT count(*) FROM session") == 3)
    }

    @Test("a file with bad rows imports nothing and names every bad row (gen.py --bad-rows)")
    func badRows() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gen.arguments = ["python3", CLI.packageRoot.appendingPathComponent("Benchmarks/gen.py").path, "--scale", "district",
                         "--sessions", "400", "--bad-rows", "8", "--quiet", "--out", cli.path("gen")]
        try gen.run()
        gen.waitUntilExit()
        try #require(gen.terminationStatus == 0, "needs python3 for Benchmarks/gen.py")
        try cli.run("init", "--db", "w.sqlite")
        #expect(try cli.run("areas", "import", cli.path("gen/areas.csv"), "--db", "w.sqlite").status == 0)
        let teams = try cli.run("teams", "import", cli.path("gen/teams.csv"), "--db", "w.sqlite")
        try #require(teams.status == 0, "\(teams.stderr)")
        let file = cli.path("gen/sessions_bad.csv")
        let result = try cli.run("sessions", "import", file, "--db", "w.sqlite")
        #expect(result.status == 1)
        let expected = try String(contentsOfFile: cli.path("gen/sessions_bad.expected.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let rejects = expected.filter { $0[4] == "reject" }
        #expect(rejects.count >= 8)
        for row in rejects {
            #expect(result.stderr.contains("\(file):\(row[1]):"), "line \(row[1]) (\(row[3])) is not named")
        }
        for row in expected where row[4] == "accept" {
            #expect(!result.stderr.contains("\(file):\(row[1]):"), "line \(row[1]) (\(row[3])) is valid")
        }
        #expect(result.stderr.contains("nothing was imported (\(rejects.count) problems)"))
        #expect(try total(cli, "eid_l2") == 0)
        let clean = try cli.run("sessions", "import", cli.path("gen/sessions.csv"), "--db", "w.sqlite")
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("400 rows — 400 imported"))
    }

    @Test("8 processes logging 50 sessions each at once all succeed, each session stored once")
    func manyWriters() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try hamletWorkspace(cli)
        let script = """
            for i in $(seq 50); do "\(CLI.binary.path)" log --area 16282-01 --date 2026-11-10 --eid-l2 1 --db '\(cli.shown("w.sqlite"))' >> ids-$1.txt || exit 1; done
            """
        let path = try cli.write("writer.sh", script)
        var processes: [Process] = []
        for n in 1...8 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = [path, String(n)]
            p.currentDirectoryURL = cli.dir
            try p.run()
            processes.append(p)
        }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        var ids = Set<String>()
        for n in 1...8 {
            let text = try String(contentsOfFile: cli.path("ids-\(n).txt"), encoding: .utf8)
            ids.formUnion(text.split(separator: "\n").map(String.init))
        }
        #expect(ids.count == 400)
        #expect(try cli.integer("w.sqlite", "SELECT count(*) FROM session") == 400)
        #expect(try total(cli, "eid_l2") == 400)
    }
}
