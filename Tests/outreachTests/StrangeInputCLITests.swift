import Foundation
import GRDB
import Testing

/// A workspace `w.sqlite` with a commune and two hamlets.
private func workspace(_ cli: CLI, _ db: String = "w.sqlite") throws {
    try #require(try cli.run("init", "--db", db).status == 0)
    let areas = try cli.write("areas-ok.csv", """
        code,name,kind,parent_code
        16282,Xã Tân Phúc,commune,
        16282-01,Thôn 1,thôn,16282
        16282-02,Thôn 2,thôn,16282
        """)
    let r = try cli.run("areas", "import", areas, "--db", db)
    try #require(r.status == 0, "\(r.stderr)")
}

@Suite("Input that is not what it seems, end to end")
struct StrangeInputCLITests {
    @Test("a NUL byte in an areas or sessions cell is refused with line and column; nothing is stored")
    func nulBytes() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try workspace(cli)
        try cli.write("areas.csv", bytes: Array("code,name,kind,parent_code\n16282-03,Thôn".utf8) + [0] + Array(" Ba,thôn,16282\n".utf8))
        let a = try cli.run("areas", "import", "areas.csv", "--db", "w.sqlite")
        #expect(a.status == 1)
        #expect(a.stderr.contains("areas.csv:2") && a.stderr.contains("name") && a.stderr.contains("byte NUL"), "\(a.stderr)")
        let list = try cli.run("areas", "list", "--format", "csv", "--db", "w.sqlite")
        #expect(!list.stdout.contains("16282-03"))
        try cli.write("sessions.csv", bytes: Array("date,area,eid_l2,notes\n2026-11-03,16282-01,4,gọi".utf8) + [0] + Array("x\n".utf8))
        let s = try cli.run("sessions", "import", "sessions.csv", "--db", "w.sqlite")
        #expect(s.status == 1)
        #expect(s.stderr.contains("sessions.csv:2") && s.stderr.contains("notes") && s.stderr.contains("byte NUL"), "\(s.stderr)")
    }

    @Test("a UTF-16 file without a byte-order mark is recognised and explained, in Vietnamese and English")
    func utf16() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try workspace(cli)
        let text = "code,name,kind,parent_code\n16282-03,Thôn Ba,thôn,16282\n"
        try cli.write("le.csv", bytes: text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        try cli.write("be.csv", bytes: text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        let vi = try cli.run("areas", "import", "le.csv", "--db", "w.sqlite")
        #expect(vi.status == 1)
        #expect(vi.stderr.contains("le.csv: tệp được lưu dạng văn bản UTF-16 (UTF-16 LE"), "\(vi.stderr)")
        #expect(vi.stderr.contains("CSV UTF-8 (Comma delimited)"))
        let en = try cli.run("areas", "import", "be.csv", "--db", "w.sqlite", "--lang", "en")
        #expect(en.status == 1)
        #expect(en.stderr.contains("be.csv: the file is UTF-16 text (UTF-16 BE"), "\(en.stderr)")
        #expect(en.stderr.contains("File > Save As"))
    }

    @Test("Windows-1258 bytes are named by line and column, with no garbage quoted back")
    func otherEncoding() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try workspace(cli)
        try cli.write("s.csv", bytes: Array("date,area,team,eid_l2\n2026-11-03,16282-01,,4\n2026-11-04,16282-02,T".utf8) + [0xF4, 0xD2]
                      + Array(",3\n".utf8))
        let r = try cli.run("sessions", "import", "s.csv", "--db", "w.sqlite")
        #expect(r.status == 1)
        #expect(r.stderr.contains("s.csv:3") && r.stderr.contains("team") && r.stderr.contains("Windows-1258"), "\(r.stderr)")
        #expect(!r.stderr.contains("\u{FFFD}"))
    }

    @Test("CSV output writes a formula-shaped team name as text")
    func formulaInjection() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try workspace(cli)
        let teams = try cli.write("teams.csv", """
            code,name,kind,area_code
            T1,"=HYPERLINK(""http://x"")",digital,16282
            +T2,@tổ,volunteer,16282

            """)
        let imported = try cli.run("teams", "import", teams, "--db", "w.sqlite")
        try #require(imported.status == 0, "\(imported.stderr)")
        let list = try cli.run("teams", "list", "--format", "csv", "--db", "w.sqlite")
        #expect(list.status == 0)
        #expect(list.stdout.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "\(list.stdout)")
        #expect(list.stdout.contains("'+T2,'@tổ,"), "\(list.stdout)")
        for line in list.stdout.split(separator: "\n") {
            for cell in line.split(separator: ",", omittingEmptySubsequences: false) {
                #expect(!["=", "+", "@"].contains(cell.first.map(String.init) ?? ""), "\(line)")
            }
        }
    }

    @Test("a campaign table outside the campaign folder is refused and nothing of it is shown")
    func tableOutside() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try FileManager.default.createDirectory(at: cli.dir.appendingPathComponent("Campaigns"), withIntermediateDirectories: true)
        try cli.write("secret.csv", "area,indicator,target\nSECRET-LINE,eid-l2,50%\n")
        let campaign = """
            version: 1
            id: t
            name: Thử
            scope: "16282"
            period: {start: 2026-01-01, end: 2026-12-31}
            indicators:
              - id: eid-l2
                label: Kích hoạt
                numerator: [eid_l2]
                denominator: adults
                target: 90%
            targets: ../secret.csv
            baselines: /etc/passwd

            """
        try cli.write("Campaigns/t.yaml", campaign)
        let r = try cli.run("campaigns", "check", "Campaigns/t.yaml")
        #expect(r.status == 1)
        #expect(r.stderr.components(separatedBy: "is outside the campaign file's folder").count == 3, "\(r.stderr)")
        #expect(!r.stderr.contains("SECRET-LINE") && !r.stderr.contains("root:"))
    }

    @Test("a bundle stamped in the future is refused by merge; nothing is merged")
    func futureStamp() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try workspace(cli, "a.sqlite")
        try workspace(cli, "b.sqlite")
        do {
            try cli.execute("a.sqlite", "UPDATE area SET name = 'Thôn Một' WHERE code = '16282-01'")
            try cli.execute("a.sqlite", TestEngine.isPostgreSQL
                ? "ALTER TABLE area DISABLE TRIGGER USER; UPDATE area SET revised = '2999-01-01T00:00:00.000Z' WHERE code = '16282-01'; ALTER TABLE area ENABLE TRIGGER USER"
                : "UPDATE area SET revised = '2999-01-01T00:00:00.000Z' WHERE code = '16282-01'")
        }
        try #require(try cli.run("export", "--out", "a.bundle", "--db", "a.sqlite").status == 0)
        let r = try cli.run("merge", "a.bundle", "--db", "b.sqlite")
        #expect(r.status == 1)
        #expect(r.stderr.contains("a.bundle:") && r.stderr.contains("revision stamp 2999-01-01T00:00:00.000Z is more than a day after"),
                "\(r.stderr)")
        let list = try cli.run("areas", "list", "--format", "csv", "--db", "b.sqlite")
        #expect(list.stdout.contains("Thôn 1") && !list.stdout.contains("Thôn Một"))
    }

    @Test("phone and citizen-ID numbers in notes are masked by log and import, which say so")
    func maskedNotes() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try workspace(cli)
        let log = try cli.run("log", "--area", "16282-01", "--date", "2026-11-03", "--eid-l2", "3",
                              "--notes", "gọi chị Lan 0912 345 678", "--db", "w.sqlite")
        #expect(log.status == 0)
        #expect(log.stderr.contains("Đã che 1 số CCCD hoặc số điện thoại"), "\(log.stderr)")
        try cli.write("s.csv", """
            date,area,eid_l2,notes
            2026-11-04,16282-02,2,CCCD 038012345612 và 0388.123.456
            2026-11-05,16282-02,1,họp thôn

            """)
        let imported = try cli.run("sessions", "import", "s.csv", "--db", "w.sqlite", "--lang", "en")
        #expect(imported.status == 0)
        #expect(imported.stderr.contains("s.csv: 2 citizen-ID or phone numbers in the notes were masked"), "\(imported.stderr)")
        let list = try cli.run("sessions", "list", "--format", "csv", "--db", "w.sqlite")
        #expect(list.stdout.contains("gọi chị Lan 0912****78"))
        #expect(list.stdout.contains("CCCD 0380******12 và 0388****56"))
        #expect(!list.stdout.contains("345 678") && !list.stdout.contains("038012345612"))
    }
}
