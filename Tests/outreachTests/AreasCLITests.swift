import Foundation
import GRDB
import Testing

@Suite("The areas commands, end to end")
struct AreasCLITests {
    @Test("init creates a private workspace file, and a second init changes nothing", .sqliteFile)
    func initCreatesWorkspace() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        let first = try cli.run("init", "--db", "w.sqlite")
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("Created workspace w.sqlite"))
        let attributes = try FileManager.default.attributesOfItem(atPath: cli.path("w.sqlite"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try cli.run("init", "--db", "w.sqlite")
        #expect(second.status == 0)
        #expect(second.stdout == "w.sqlite is already a workspace; nothing changed.\n")
    }

    @Test("the workspace comes from --db, else OUTREACH_DB, else ./outreach.sqlite", .sqliteFile)
    func workspaceLocation() throws {
        var cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        #expect(try cli.run("init").status == 0)
        #expect(FileManager.default.fileExists(atPath: cli.path("outreach.sqlite")))
        cli.environment["OUTREACH_DB"] = cli.path("env.sqlite")
        #expect(try cli.run("init").status == 0)
        #expect(FileManager.default.fileExists(atPath: cli.path("env.sqlite")))
        let imported = try cli.run("areas", "import", CLI.resource("areas/nong_cong.csv"))
        #expect(imported.status == 0)
        let listed = try cli.run("areas", "list", "--db", "outreach.sqlite")
        #expect(listed.stdout == "CODE  NAME  KIND  CHILDREN\n")
    }

    @Test("the country imports, lists 34 provinces at depth 1, and finds Xã Ia Mơ without accents")
    func countryTree() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try cli.run("init", "--db", "w.sqlite")
        let file = CLI.resource("areas/vn_units_2025.csv")
        let imported = try cli.run("areas", "import", file, "--db", "w.sqlite")
        #expect(imported.status == 0)
        #expect(imported.stdout == "\(file): 3,355 areas — 3,355 added, 0 updated, 0 unchanged.\n")
        let provinces = try cli.run("areas", "list", "--depth", "1", "--db", "w.sqlite")
        let lines = provinces.stdout.split(separator: "\n")
        #expect(lines.count == 35)
        #expect(lines.dropFirst().allSatisfy { $0.contains("province") })
        let found = try cli.run("areas", "find", "ia mo", "--db", "w.sqlite")
        #expect(found.status == 0)
        #expect(found.stdout.contains("23938  Xã Ia Mơ — Gia Lai  commune"))
        let again = try cli.run("areas", "import", file, "--db", "w.sqlite")
        #expect(again.stdout == "\(file): 3,355 areas — 0 added, 0 updated, 3,355 unchanged.\n")
    }

    @Test("a spreadsheet's copy (semicolons, byte-order mark, CRLF) imports to the identical tree")
    func spreadsheetCopy() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        let original = try String(contentsOfFile: CLI.resource("areas/nong_cong.csv"), encoding: .utf8)
        let excel = original.split(separator: "\n").map { $0.replacingOccurrences(of: ",", with: ";") }
            .joined(separator: "\r\n") + "\r\n"
        let path = try cli.write("excel.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(excel.utf8))
        try cli.run("init", "--db", "a.sqlite")
        try cli.run("init", "--db", "b.sqlite")
        #expect(try cli.run("areas", "import", CLI.resource("areas/nong_cong.csv"), "--db", "a.sqlite").status == 0)
        #expect(try cli.run("areas", "import", path, "--db", "b.sqlite").status == 0)
        let a = try cli.run("areas", "list", "--format", "csv", "--db", "a.sqlite")
        let b = try cli.run("areas", "list", "--format", "csv", "--db", "b.sqlite")
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.split(separator: "\n").count == 32)
        let district = try cli.run("areas", "list", "--under", "404", "--depth", "0", "--db", "b.sqlite")
        #expect(district.stdout == "CODE  NAME             KIND      CHILDREN\n404   Huyện Nông Cống  district        29\n")
    }

    @Test("a file with one broken row imports nothing and names the row")
    func brokenRow() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try cli.run("init", "--db", "w.sqlite")
        let path = try cli.write("areas.csv", """
            code,name,kind,parent_code,population
            38,Tỉnh Thanh Hóa,province,,
            404,Huyện Nông Cống,district,38,1.2
            16279,Thị trấn Nông Cống,town,404,
            """)
        let result = try cli.run("areas", "import", path, "--db", "w.sqlite")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            error: \(path):3: column "population": "1.2" is not a whole number. Write a count such as 12 or 1.010.
            \(path): nothing was imported (1 problem). Fix the rows above and import the file again.

            """)
        #expect(try cli.run("areas", "list", "--db", "w.sqlite").stdout == "CODE  NAME  KIND  CHILDREN\n")
    }

    @Test("unknown parents, duplicate codes and cycles are reported together, by line")
    func treeErrors() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try cli.run("init", "--db", "w.sqlite")
        let dup = try cli.write("dup.csv", "code,name,kind,parent_code\n1,A,province,\n2,B,commune,1\n2,C,commune,1\n")
        let r1 = try cli.run("areas", "import", dup, "--db", "w.sqlite")
        #expect(r1.status == 1)
        #expect(r1.stderr.contains("\(dup):4: column \"code\": code \"2\" is already used on line 3."))
        let parent = try cli.write("parent.csv", "code,name,kind,parent_code\n1,A,province,\n2,B,commune,9\n")
        let r2 = try cli.run("areas", "import", parent, "--db", "w.sqlite")
        #expect(r2.stderr.contains("\(parent):3: column \"parent_code\": parent \"9\" is neither in this file nor in the workspace."))
        let cycle = try cli.write("cycle.csv", "code,name,kind,parent_code\n1,A,province,\n2,B,district,3\n3,C,commune,2\n")
        let r3 = try cli.run("areas", "import", cycle, "--db", "w.sqlite")
        #expect(r3.status == 1)
        #expect(r3.stderr.contains("\(cycle):3: column \"parent_code\": parents form a cycle"))
        #expect(r3.stderr.contains("(lines 3, 4)"))
        #expect(try cli.run("areas", "list", "--db", "w.sqlite").stdout == "CODE  NAME  KIND  CHILDREN\n")
    }

    @Test("files that are not workspaces are refused and left untouched", .sqliteFile)
    func notAWorkspace() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        let text = try cli.write("notes.txt", "just some notes\n")
        let r1 = try cli.run("areas", "list", "--db", text)
        #expect(r1.status == 1)
        #expect(r1.stderr.contains("is not an Outreach workspace, and it was left untouched"))
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "just some notes\n")
        let r2 = try cli.run("init", "--db", text)
        #expect(r2.status == 1)
        let missing = try cli.run("areas", "list", "--db", "nowhere.sqlite")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no workspace here. Create one with `outreach init --db nowhere.sqlite`"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("nowhere.sqlite")))
        for result in [r1, r2, missing] { #expect(!result.stderr.contains("SQLite error")) }
    }

    @Test("a workspace from a newer version is refused", .sqliteFile)
    func newerVersion() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try cli.run("init", "--db", "w.sqlite")
        let db = try DatabaseQueue(path: cli.path("w.sqlite"))
        try db.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99 from the future')") }
        try db.close()
        let result = try cli.run("areas", "list", "--db", "w.sqlite")
        #expect(result.status == 1)
        #expect(result.stderr.contains("written by a newer version of Outreach"))
    }

    @Test("unknown codes and searches without matches say what to do")
    func lookups() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try cli.run("init", "--db", "w.sqlite")
        try cli.run("areas", "import", CLI.resource("areas/nong_cong.csv"), "--db", "w.sqlite")
        let under = try cli.run("areas", "list", "--under", "999", "--db", "w.sqlite")
        #expect(under.status == 1)
        #expect(under.stderr == "error: there is no area with code \"999\". Look it up with `outreach areas find NAME`, or import it with `outreach areas import`.\n")
        let none = try cli.run("areas", "find", "zzz", "--db", "w.sqlite")
        #expect(none.status == 1)
        let json = try cli.run("areas", "find", "tan phuc", "--format", "json", "--db", "w.sqlite")
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.first?["code"] as? String == "16282")
        #expect(decoded?.first?["path"] as? String == "Xã Tân Phúc — Nông Cống — Thanh Hóa")
    }
}
