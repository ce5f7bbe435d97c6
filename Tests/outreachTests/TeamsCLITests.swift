import Foundation
import Testing

/// Files shaped like the Nông Cống district: 201 hamlets, a Project 06 team in each of the 29
/// communes (11 members each) and in each hamlet (5 members, 6 in the first five).
struct DistrictFiles {
    var hamlets = "code,name,kind,parent_code\n"
    var teams = "code;name;kind;area_code;leader;leader_phone;formed;status\r\n"
    var members = "team,name,phone,role,joined,left\n"

    init() throws {
        let areas = try String(contentsOfFile: CLI.resource("areas/nong_cong.csv"), encoding: .utf8)
        let communes = areas.split(separator: "\n").dropFirst(3).map { String($0.split(separator: ",")[0]) }
        var hamletIndex = 0
        for (c, commune) in communes.enumerated() {
            teams += "P06-\(commune);Tổ công tác Đề án 06 \(commune);project06;\(commune);Trưởng \(commune);;01/03/2023;\r\n"
            for m in 1...11 {
                members += "P06-\(commune),\(m == 1 ? "Trưởng \(commune)" : "Thành viên \(m)"),,\(m == 1 ? "leader" : "member"),,\n"
            }
            for n in 1...(c < 27 ? 7 : 6) {
                let code = "\(commune)-0\(n)"
                hamlets += "\(code),Thôn \(n),thôn,\(commune)\n"
                teams += "P06-\(code);Tổ Đề án 06 thôn \(n);project06;\(code);;;01/03/2023;\r\n"
                for m in 1...(hamletIndex < 5 ? 6 : 5) { members += "P06-\(code),Thành viên \(m),,,,\n" }
                hamletIndex += 1
            }
        }
    }
}

@Suite("The teams, members and structure commands, end to end")
struct TeamsCLITests {
    /// A workspace with the Nông Cống tree and its hamlets.
    func district(_ cli: CLI) throws {
        try cli.run("init", "--db", "w.sqlite")
        #expect(try cli.run("areas", "import", CLI.resource("areas/nong_cong.csv"), "--db", "w.sqlite").status == 0)
        let files = try DistrictFiles()
        let hamlets = try cli.run("areas", "import", try cli.write("hamlets.csv", files.hamlets), "--db", "w.sqlite")
        #expect(hamlets.stdout.hasSuffix("201 areas — 201 added, 0 updated, 0 unchanged.\n"))
    }

    @Test("imports the district's teams and members and prints 29/29 and 201/201, counting nothing twice on re-import")
    func districtStructure() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try district(cli)
        let files = try DistrictFiles()
        let teams = try cli.write("teams.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(files.teams.utf8))
        let members = try cli.write("members.csv", files.members)
        let t1 = try cli.run("teams", "import", teams, "--db", "w.sqlite")
        #expect(t1.status == 0)
        #expect(t1.stdout == "\(teams): 230 teams — 230 added, 0 updated, 0 unchanged.\n")
        let m1 = try cli.run("members", "import", members, "--db", "w.sqlite")
        #expect(m1.stdout == "\(members): 1,329 members — 1,329 added, 0 updated, 0 unchanged.\n")
        #expect(m1.stderr.isEmpty)
        let expected = """
            Team structure of Huyện Nông Cống on 20 Nov 2026
            Communes with an active Project 06 team: 29/29 (319 members)
            Hamlets with an active Project 06 team: 201/201 (1,010 members)

            """
        let s1 = try cli.run("structure", "--under", "404", "--as-of", "20/11/2026", "--db", "w.sqlite")
        #expect(s1.status == 0)
        #expect(s1.stdout == expected)
        #expect(try cli.run("teams", "import", teams, "--db", "w.sqlite").stdout == "\(teams): 230 teams — 0 added, 0 updated, 230 unchanged.\n")
        #expect(try cli.run("members", "import", members, "--db", "w.sqlite").stdout == "\(members): 1,329 members — 0 added, 0 updated, 1,329 unchanged.\n")
        #expect(try cli.run("structure", "--under", "404", "--as-of", "2026-11-20", "--db", "w.sqlite").stdout == expected)
        let before = try cli.run("structure", "--under", "404", "--as-of", "2023-02-28", "--db", "w.sqlite")
        #expect(before.stdout.contains("Communes with an active Project 06 team: 0/29 (0 members)"))
    }

    @Test("an inactive commune team makes 28/29 and names the commune")
    func inactiveTeam() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try district(cli)
        let files = try DistrictFiles()
        let inactive = files.teams.replacingOccurrences(
            of: "P06-16282;Tổ công tác Đề án 06 16282;project06;16282;Trưởng 16282;;01/03/2023;\r\n",
            with: "P06-16282;Tổ công tác Đề án 06 16282;project06;16282;Trưởng 16282;;01/03/2023;inactive\r\n")
        #expect(inactive != files.teams)
        try cli.run("teams", "import", try cli.write("teams.csv", inactive), "--db", "w.sqlite")
        try cli.run("members", "import", try cli.write("members.csv", files.members), "--db", "w.sqlite")
        let today = try cli.run("structure", "--under", "404", "--db", "w.sqlite")
        #expect(today.stdout.contains("""
            Communes with an active Project 06 team: 28/29 (308 members)
              without one (1): Xã Tân Phúc
            Hamlets with an active Project 06 team: 201/201 (1,010 members)

            """))
        let csv = try cli.run("structure", "--under", "404", "--format", "csv", "--db", "w.sqlite")
        #expect(csv.stdout.contains("commune,project06,28,29,28,308,Xã Tân Phúc,16282\n"))
        let listed = try cli.run("teams", "list", "--under", "16282", "--format", "csv", "--db", "w.sqlite")
        let rows = listed.stdout.split(separator: "\n")
        #expect(rows.count == 1 + 1 + 7)
        #expect(rows[1].hasPrefix("P06-16282,Tổ công tác Đề án 06 16282,project06,16282,Xã Tân Phúc,Trưởng 16282,,2023-03-01,inactive,"))
    }

    @Test("lists phones masked unless --show-phones, and never prints one whole in a warning or an error")
    func phonesAreMasked() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try district(cli)
        let teams = try cli.write("teams.csv", """
            code,name,kind,area_code,leader,leader_phone
            P06-16282,Tổ ĐA06 Tân Phúc,project06,16282,Lê Văn An,+84 91 234 5678
            DIG-16282,Tổ CNS Tân Phúc,digital,16282,Trần Thị Bình,0168 123 4567

            """)
        let imported = try cli.run("teams", "import", teams, "--db", "w.sqlite")
        #expect(imported.status == 0)
        #expect(imported.stderr == "warning: \(teams):3: column \"leader_phone\": phone 0168***567 is an 11-digit number from before the 2018 change; it was stored as 0381***567, its new 10-digit form (0168 → 038). Write the new form in the file.\n")
        let listed = try cli.run("teams", "list", "--db", "w.sqlite")
        #expect(listed.stdout.contains("0912***678"))
        #expect(listed.stdout.contains("0381***567"))
        #expect(!listed.stdout.contains("0912345678"))
        #expect(!listed.stdout.contains("0381234567"))
        let shown = try cli.run("teams", "list", "--show-phones", "--format", "json", "--db", "w.sqlite")
        #expect(shown.stdout.contains("\"leaderPhone\" : \"0912345678\""))
        #expect(shown.stdout.contains("\"leaderPhone\" : \"0381234567\""))

        let added = try cli.run("members", "add", "--team", "P06-16282", "--name", "Lê Văn An", "--phone", "091.234.5678",
                                "--role", "leader", "--joined", "01/03/2023", "--db", "w.sqlite")
        #expect(added.status == 0)
        #expect(added.stdout == "Added Lê Văn An to team P06-16282 as leader.\n")
        let members = try cli.run("members", "list", "--team", "P06-16282", "--db", "w.sqlite")
        #expect(members.stdout == """
            TEAM       NAME       PHONE       ROLE    JOINED      LEFT
            P06-16282  Lê Văn An  0912***678  leader  1 Mar 2023

            """)
        let csv = try cli.run("members", "list", "--show-phones", "--format", "csv", "--db", "w.sqlite")
        #expect(csv.stdout == "team,name,phone,role,joined,left\nP06-16282,Lê Văn An,0912345678,leader,2023-03-01,\n")

        let bad = try cli.run("members", "add", "--team", "P06-16282", "--name", "Ngô Thị Dung", "--phone", "0243 987 6543", "--db", "w.sqlite")
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("error: --phone: phone 0243***543 is a landline number."))
        #expect(!bad.stderr.contains("9876543"))
        let badFile = try cli.write("members.csv", "team,name,phone\nP06-16282,Ngô Thị Dung,0612 345 678\n")
        let rejected = try cli.run("members", "import", badFile, "--db", "w.sqlite")
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("\(badFile):2: column \"phone\": phone 0612***678 does not start with a mobile prefix"))
        #expect(!rejected.stderr.contains("0612345678") && !rejected.stderr.contains("0612 345 678"))
    }

    @Test("a file with bad rows imports nothing and names every row")
    func badRows() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try district(cli)
        let teams = try cli.write("teams.csv", """
            code,name,kind,area_code,formed
            P1,Tổ 1,project06,16282,31/02/2024
            P2,Tổ 2,project6,16282,
            P3,Tổ 3,volunteer,99999,

            """)
        let result = try cli.run("teams", "import", teams, "--db", "w.sqlite")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            error: \(teams):2: column "formed": "31/02/2024" is not a date. Write YYYY-MM-DD or DD/MM/YYYY (31/02 and other impossible days are refused).
            \(teams):3: column "kind": "project6" is not a kind of team. Write project06, digital or volunteer.
            \(teams): nothing was imported (2 problems). Fix the rows above and import the file again.

            """)
        let areaOnly = try cli.write("teams2.csv", "code,name,kind,area_code\nP1,Tổ 1,project06,16282\nP3,Tổ 3,volunteer,99999\n")
        let unknown = try cli.run("teams", "import", areaOnly, "--db", "w.sqlite")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("\(areaOnly):3: column \"area_code\": area \"99999\" does not exist."))
        #expect(try cli.run("teams", "list", "--db", "w.sqlite").stdout == "CODE  NAME  KIND  AREA  LEADER  PHONE  FORMED  STATUS  MEMBERS\n")
        let twoLeaders = try cli.write("members.csv", "team,name,role\nP1,Lê Văn An,leader\nP1,Trần Thị Bình,leader\n")
        try cli.run("teams", "import", try cli.write("ok.csv", "code,name,kind,area_code\nP1,Tổ 1,project06,16282\n"), "--db", "w.sqlite")
        let leaders = try cli.run("members", "import", twoLeaders, "--db", "w.sqlite")
        #expect(leaders.status == 1)
        #expect(leaders.stderr.contains("\(twoLeaders):3: column \"role\": team \"P1\" would have two current leaders: Lê Văn An (on line 2) and Trần Thị Bình."))
        #expect(try cli.run("members", "list", "--db", "w.sqlite").stdout == "TEAM  NAME  PHONE  ROLE  JOINED  LEFT\n")
    }

    @Test("adds teams and members one at a time, refusing a second leader and unknown codes")
    func addCommands() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try district(cli)
        let team = try cli.run("teams", "add", "--code", "P06-16282", "--name", "Tổ ĐA06 Tân Phúc", "--kind", "project06",
                               "--area", "16282", "--leader", "Lê Văn An", "--leader-phone", "0912-345-678",
                               "--formed", "2023-03-01", "--db", "w.sqlite")
        #expect(team.status == 0)
        #expect(team.stdout == "Added team P06-16282 (Tổ ĐA06 Tân Phúc), project06, to area 16282.\n")
        let again = try cli.run("teams", "add", "--code", "P06-16282", "--name", "X", "--kind", "digital", "--area", "16282", "--db", "w.sqlite")
        #expect(again.status == 1)
        #expect(again.stderr.hasPrefix("error: team \"P06-16282\" already exists; nothing was changed."))
        let noArea = try cli.run("teams", "add", "--code", "X1", "--name", "X", "--kind", "digital", "--area", "999", "--db", "w.sqlite")
        #expect(noArea.stderr.hasPrefix("error: team \"X1\": there is no area with code \"999\"."))
        let badDate = try cli.run("teams", "add", "--code", "X2", "--name", "X", "--kind", "digital", "--area", "16282",
                                  "--formed", "31/02/2024", "--db", "w.sqlite")
        #expect(badDate.stderr == "error: --formed \"31/02/2024\": month 2 of 2024 has only 29 days. Write a date such as 2026-11-20 or 20/11/2026.\n")
        #expect(try cli.run("members", "add", "--team", "P06-16282", "--name", "Lê Văn An", "--role", "leader", "--db", "w.sqlite").status == 0)
        let second = try cli.run("members", "add", "--team", "P06-16282", "--name", "Trần Thị Bình", "--role", "leader", "--db", "w.sqlite")
        #expect(second.status == 1)
        #expect(second.stderr.hasPrefix("error: team \"P06-16282\" already has a current leader, Lê Văn An, so Trần Thị Bình cannot be added as leader."))
        let unknownTeam = try cli.run("members", "add", "--team", "P9", "--name", "Ngô Thị Dung", "--db", "w.sqlite")
        #expect(unknownTeam.stderr.hasPrefix("error: there is no team with code \"P9\"."))
        let inactive = try cli.run("teams", "add", "--code", "V1", "--name", "Đội TN", "--kind", "volunteer", "--area", "16279",
                                   "--status", "inactive", "--db", "w.sqlite")
        #expect(inactive.status == 0)
        let listed = try cli.run("teams", "list", "--kind", "volunteer", "--format", "csv", "--db", "w.sqlite")
        #expect(listed.stdout.split(separator: "\n").count == 2)
        #expect(listed.stdout.contains(",inactive,"))
        let structure = try cli.run("structure", "--under", "16282", "--as-of", "20/11/2026", "--db", "w.sqlite")
        #expect(structure.stdout == """
            Team structure of Xã Tân Phúc on 20 Nov 2026
            Communes with an active Project 06 team: 1/1 (1 member)
            Hamlets with an active Project 06 team: 0/7 (0 members)
              without one (7): Thôn 1 — Tân Phúc, Thôn 2 — Tân Phúc, Thôn 3 — Tân Phúc, Thôn 4 — Tân Phúc, Thôn 5 — Tân Phúc, Thôn 6 — Tân Phúc, Thôn 7 — Tân Phúc

            """)
        let badUnder = try cli.run("structure", "--under", "999", "--db", "w.sqlite")
        #expect(badUnder.status == 1)
        #expect(badUnder.stderr.hasPrefix("error: there is no area with code \"999\"."))
    }
}
