import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// Reads `text` as a teams file called `name`.
func readTeamsText(_ text: String, name: String = "teams.csv") throws -> (rows: [TeamRow], warnings: [Warning]) {
    try TeamFile.read(CSVReader(bytes: Array(text.utf8), name: name))
}

/// Reads `text` as a members file called `name`.
func readMembersText(_ text: String, name: String = "members.csv") throws -> (rows: [MemberRow], warnings: [Warning]) {
    try MemberFile.read(CSVReader(bytes: Array(text.utf8), name: name))
}

let teamsHeader = "code,name,kind,area_code,leader,leader_phone,formed,status\n"
let membersHeader = "team,name,phone,role,joined,left\n"
let importDay = Day(year: 2026, month: 11, day: 20)!

extension Store {
    @discardableResult
    func importTeamsText(_ text: String, file: String = "teams.csv", on day: Day = importDay) throws -> RosterImportSummary {
        try importTeams(readTeamsText(text, name: file).rows, file: file, on: day)
    }

    @discardableResult
    func importMembersText(_ text: String, file: String = "members.csv") throws -> RosterImportSummary {
        try importMembers(readMembersText(text, name: file).rows, file: file)
    }

    /// Every stored team as `code|name|kind|area|leader|phone|formed|status|inactive_since`, by code.
    func teamSnapshot() throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT t.code || '|' || t.name || '|' || t.kind || '|' || a.code || '|' || coalesce(t.leader, '') || '|'
                    || coalesce(t.leader_phone, '') || '|' || coalesce(t.formed, '') || '|' || t.status || '|'
                    || coalesce(t.inactive_since, '')
                FROM team t JOIN area a ON a.id = t.area_id ORDER BY t.code
                """)
        }
    }

    /// Every stored member as `team|name|phone|role|joined|left`, by team and name.
    func memberSnapshot() throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT t.code || '|' || m.name || '|' || coalesce(m.phone, '') || '|' || m.role || '|'
                    || coalesce(m.joined, '') || '|' || coalesce(m.left, '')
                FROM member m JOIN team t ON t.id = m.team_id ORDER BY t.code, m.name
                """)
        }
    }
}

@Suite("Teams and members: files, storage and identity")
struct TeamsTests {
    let store: Store

    init() throws {
        store = try Store.inMemory()
        try store.importAreas(text: areasHeader + """
            38,Tỉnh Thanh Hóa,province,
            404,Huyện Nông Cống,district,38
            16279,Thị trấn Nông Cống,town,404
            16282,Xã Tân Phúc,commune,404
            16282-01,Thôn 1,thôn,16282

            """)
    }

    static let day1 = Day(year: 2023, month: 3, day: 1)!

    // MARK: Reading teams files

    @Test("reads every column of a teams file, normalising phones, kinds and dates")
    func readsTeams() throws {
        let (rows, warnings) = try readTeamsText("""
            Code;Name;Kind;Area_Code;Leader;Leader_Phone;Formed;Status
            P06-16282;Tổ công tác Đề án 06 xã Tân Phúc;Project 06;16282;Lê  Văn An;+84 91 234 5678;01/03/2023;
            DIG-16279;Tổ công nghệ số;DIGITAL;16279;;;2023-03-01;Inactive

            """)
        #expect(warnings.isEmpty)
        #expect(rows == [
            TeamRow(line: 2, team: Team(code: "P06-16282", name: "Tổ công tác Đề án 06 xã Tân Phúc", kind: .project06,
                                        areaCode: "16282", leader: "Lê Văn An", leaderPhone: Phone(digits: "0912345678"),
                                        formed: Self.day1, status: .active)),
            TeamRow(line: 3, team: Team(code: "DIG-16279", name: "Tổ công nghệ số", kind: .digital, areaCode: "16279",
                                        formed: Self.day1, status: .inactive)),
        ])
    }

    @Test("reports every bad cell of a teams file with its line and column, phones masked")
    func badTeamRows() throws {
        let error = rosterRejection {
            try readTeamsText(teamsHeader + """
                P1,Tổ 1,project06,16282,,0912 345 67,,
                ,Tổ 2,team,16282,,,31/02/2024,
                P1,Tổ 3,volunteer,,,,,closed
                P4,,digital,16279,,+1 212 555 0100,,

                """)
        }
        let advice = "Write a mobile number of 10 digits starting with 0, such as 0912 345 678 (+84, spaces, dots and dashes are accepted)."
        #expect(error == ImportRejected(file: "teams.csv", problems: [
            Diagnostic(file: "teams.csv", line: 2, column: "leader_phone", "phone 0912***567 has 9 digits. \(advice)"),
            Diagnostic(file: "teams.csv", line: 3, column: "formed", "\"31/02/2024\" is not a date. Write YYYY-MM-DD or DD/MM/YYYY (31/02 and other impossible days are refused)."),
            Diagnostic(file: "teams.csv", line: 3, column: "code", "the code is empty. Give every team a code that is unique in the workspace (for example P06-16282)."),
            Diagnostic(file: "teams.csv", line: 3, column: "kind", "\"team\" is not a kind of team. Write project06, digital or volunteer."),
            Diagnostic(file: "teams.csv", line: 4, column: "code", "team \"P1\" is already on line 2. Each team takes one row; remove or renumber one of them."),
            Diagnostic(file: "teams.csv", line: 4, column: "area_code", "the area code is empty. Give the code of the commune or hamlet the team works for."),
            Diagnostic(file: "teams.csv", line: 4, column: "status", "\"closed\" is not a status. Write active or inactive, or leave the cell empty (active)."),
            Diagnostic(file: "teams.csv", line: 5, column: "leader_phone", "phone +1212***100 is not a Vietnamese number (+84). \(advice)"),
            Diagnostic(file: "teams.csv", line: 5, column: "name", "the name is empty. Give the team its name."),
        ]))
        #expect(error.map { !$0.message.contains("091234567") && !$0.message.contains("2125550100") } == true)
    }

    @Test("warns about an old 11-digit phone, naming its new form, and stores the new form")
    func oldPhoneInTeams() throws {
        let text = teamsHeader + "P1,Tổ 1,project06,16282,Lê Văn An,0168 123 4567,,\n"
        let (rows, warnings) = try readTeamsText(text)
        #expect(rows.first?.team.leaderPhone?.digits == "0381234567")
        #expect(warnings.map(\.description) == [
            "teams.csv:2: column \"leader_phone\": phone 0168***567 is an 11-digit number from before the 2018 change; it was stored as 0381***567, its new 10-digit form (0168 → 038). Write the new form in the file.",
        ])
        try store.importTeamsText(text)
        #expect(try store.teamSnapshot() == ["P1|Tổ 1|project06|16282|Lê Văn An|0381234567||active|"])
    }

    @Test("refuses an unknown column, listing the accepted ones")
    func unknownTeamColumn() {
        let error = rosterRejection { try readTeamsText("code,name,kind,area_code,phone\n") }
        #expect(error?.problems.first?.text == "unknown column \"phone\" (column 5). Accepted columns: code, name, kind, area_code, leader, leader_phone, formed, status.")
    }

    // MARK: Storing teams

    @Test("adds teams, reports a second import as unchanged, and updates changed teams by code")
    func importAndReimportTeams() throws {
        let text = teamsHeader + """
            P06-16282,Tổ ĐA06 Tân Phúc,project06,16282,Lê Văn An,0912345678,01/03/2023,
            P06-16282-01,Tổ ĐA06 Thôn 1,project06,16282-01,,,,

            """
        #expect(try store.importTeamsText(text) == RosterImportSummary(added: 2))
        let before = try store.teamSnapshot()
        #expect(try store.importTeamsText(text) == RosterImportSummary(unchanged: 2))
        #expect(try store.teamSnapshot() == before)
        let changed = teamsHeader + """
            P06-16282,Tổ ĐA06 xã Tân Phúc,project06,16282,Trần Thị Bình,0987654321,01/03/2023,
            P06-16282-01,Tổ ĐA06 Thôn 1,project06,16282-01,,,,

            """
        #expect(try store.importTeamsText(changed) == RosterImportSummary(updated: 1, unchanged: 1))
        #expect(try store.teamSnapshot() == [
            "P06-16282|Tổ ĐA06 xã Tân Phúc|project06|16282|Trần Thị Bình|0987654321|\(Self.day1.number)|active|",
            "P06-16282-01|Tổ ĐA06 Thôn 1|project06|16282-01||||active|",
        ])
        #expect(try store.count("team") == 2)
    }

    @Test("refuses teams of unknown areas, naming every line, and writes nothing")
    func unknownArea() throws {
        let error = rejection {
            try store.importTeamsText(teamsHeader + "P1,Tổ 1,project06,16282,,,,\nP2,Tổ 2,project06,99999,,,,\nP3,Tổ 3,digital,1628,,,,\n")
        }
        let advice = "does not exist. Import it with `outreach areas import`, or fix the code."
        #expect(error == ImportRejected(file: "teams.csv", problems: [
            Diagnostic(file: "teams.csv", line: 3, column: "area_code", "area \"99999\" \(advice)"),
            Diagnostic(file: "teams.csv", line: 4, column: "area_code", "area \"1628\" \(advice)"),
        ]))
        #expect(try store.count("team") == 0)
    }

    @Test("dates an inactive team from the import day, keeps that day on re-import, and clears it when active again")
    func inactiveSince() throws {
        let inactive = teamsHeader + "V1,Đội TN,volunteer,16279,,,01/03/2023,inactive\n"
        try store.importTeamsText(inactive, on: importDay)
        #expect(try store.teams().first?.inactiveSince == importDay)
        #expect(try store.importTeamsText(inactive, on: importDay.adding(days: 30)) == RosterImportSummary(unchanged: 1))
        #expect(try store.teams().first?.inactiveSince == importDay)
        try store.importTeamsText(teamsHeader + "V1,Đội TN,volunteer,16279,,,01/03/2023,active\n", on: importDay.adding(days: 40))
        let team = try #require(try store.teams().first)
        #expect(team.status == .active)
        #expect(team.inactiveSince == nil)
    }

    @Test("adds one team, refusing a taken code and an unknown area")
    func addTeam() throws {
        try store.addTeam(Team(code: "P1", name: "Tổ 1", kind: .project06, areaCode: "16282", status: .inactive), on: importDay)
        #expect(try store.teams() == [Team(code: "P1", name: "Tổ 1", kind: .project06, areaCode: "16282", status: .inactive, inactiveSince: importDay)])
        #expect(throws: TeamError.teamExists("P1")) {
            try store.addTeam(Team(code: "P1", name: "Tổ khác", kind: .digital, areaCode: "16279"), on: importDay)
        }
        #expect(throws: TeamError.unknownArea(team: "P2", area: "999")) {
            try store.addTeam(Team(code: "P2", name: "Tổ 2", kind: .digital, areaCode: "999"), on: importDay)
        }
        #expect(try store.count("team") == 1)
    }

    // MARK: Reading members files

    @Test("refuses two current leaders of one team, naming both lines and people")
    func twoLeadersInFile() throws {
        let error = rosterRejection {
            try readMembersText(membersHeader + """
                P1,Lê Văn An,0912345678,leader,,
                P1,Trần Thị Bình,,member,,
                P2,Phạm Văn Cường,,leader,,
                P1,Trần Thị Bình,0987654321,Leader,,

                """)
        }
        #expect(error == ImportRejected(file: "members.csv", problems: [
            Diagnostic(file: "members.csv", line: 5, column: "role", "team \"P1\" would have two current leaders: Lê Văn An (on line 2) and Trần Thị Bình. A team has one leader: make one of them a member, or give the earlier leader a left date."),
        ]))
    }

    @Test("accepts a leader who left and a new one in the same file")
    func leaderHandover() throws {
        let (rows, _) = try readMembersText(membersHeader + "P1,Lê Văn An,,leader,2023-03-01,2025-06-30\nP1,Trần Thị Bình,,leader,2025-07-01,\n")
        #expect(rows.map(\.member.isCurrentLeader) == [false, true])
    }

    @Test("reports bad member rows: the same person twice, unknown roles, dates out of order")
    func badMemberRows() {
        let error = rosterRejection {
            try readMembersText(membersHeader + """
                P1,Lê Văn An,0912345678,,,
                P1,Lê  Văn An ,+84 912 345 678,member,,
                P1,Trần Thị Bình,,chief,,
                P1,Phạm Văn Cường,,,2025-07-01,30/06/2025
                ,Ngô Thị Dung,,,,

                """)
        }
        #expect(error?.problems.map(\.description) == [
            "members.csv:3: Lê Văn An of team \"P1\" is already on line 2 (with the same phone). Remove one of the rows, or give each person their own phone number to tell them apart.",
            "members.csv:4: column \"role\": \"chief\" is not a role. Write leader or member, or leave the cell empty (member).",
            "members.csv:5: column \"left\": the member left (30 Jun 2025) before joining (1 Jul 2025). Fix one of the two dates.",
            "members.csv:6: column \"team\": the team code is empty. Give the code of the member's team (as in the teams file).",
        ])
    }

    // MARK: Storing members

    /// Two teams to attach members to.
    func importTwoTeams() throws {
        try store.importTeamsText(teamsHeader + "P1,Tổ ĐA06 Tân Phúc,project06,16282,Lê Văn An,,,\nP2,Tổ ĐA06 Thôn 1,project06,16282-01,,,,\n")
    }

    @Test("adds nobody twice when a members file is imported again, however names and phones are written")
    func membersReimport() throws {
        try importTwoTeams()
        let text = membersHeader + """
            P1,Lê Văn An,0912345678,leader,01/03/2023,
            P1,Trần Thị Bình,0987654321,,,
            P2,Trần Thị Bình,,,,

            """
        #expect(try store.importMembersText(text) == RosterImportSummary(added: 3))
        #expect(try store.importMembersText(text) == RosterImportSummary(unchanged: 3))
        // The same people, names decomposed (NFD), phones in other forms.
        let respelled = membersHeader + """
            P1,\("Lê Văn An".decomposedStringWithCanonicalMapping),+84 91 234 5678,leader,2023-03-01,
            P1,Trần  Thị Bình,098.765.4321,member,,
            P2,\("Trần Thị Bình".decomposedStringWithCanonicalMapping),,,,

            """
        #expect(try store.importMembersText(respelled, file: "again.csv") == RosterImportSummary(unchanged: 3))
        #expect(try store.count("member") == 3)
        #expect(try store.memberSnapshot() == [
            "P1|Lê Văn An|0912345678|leader|\(Self.day1.number)|",
            "P1|Trần Thị Bình|0987654321|member||",
            "P2|Trần Thị Bình||member||",
        ])
    }

    @Test("updates the role and dates of a known member")
    func memberUpdate() throws {
        try importTwoTeams()
        try store.importMembersText(membersHeader + "P1,Lê Văn An,0912345678,leader,,\nP1,Trần Thị Bình,,,,\n")
        let summary = try store.importMembersText(membersHeader + "P1,Lê Văn An,0912345678,member,,30/06/2025\nP1,Trần Thị Bình,,leader,01/07/2025,\n")
        #expect(summary == RosterImportSummary(updated: 2, warnings: [
            Warning(file: "members.csv", line: 3, "team \"P1\" has Lê Văn An as its leader in the teams file, but this row makes Trần Thị Bình its leader. Correct the leader column of the teams file or the role in this file."),
        ]))
        let handover = Day(year: 2025, month: 7, day: 1)!
        #expect(try store.memberSnapshot() == [
            "P1|Lê Văn An|0912345678|member||\(handover.number - 1)",
            "P1|Trần Thị Bình||leader|\(handover.number)|",
        ])
    }

    @Test("refuses a new leader while the workspace has a current one, naming that leader")
    func leaderInWorkspace() throws {
        try importTwoTeams()
        try store.importMembersText(membersHeader + "P1,Lê Văn An,0912345678,leader,,\n")
        let error = rejection { try store.importMembersText(membersHeader + "P1,Trần Thị Bình,,leader,,\nP2,Ngô Thị Dung,,leader,,\n", file: "new.csv") }
        #expect(error == ImportRejected(file: "new.csv", problems: [
            Diagnostic(file: "new.csv", line: 2, column: "role", "team \"P1\" would have two current leaders: Lê Văn An (already in the workspace) and Trần Thị Bình. A team has one leader: make one of them a member, or give the earlier leader a left date."),
        ]))
        #expect(try store.count("member") == 1)
    }

    @Test("refuses members of unknown teams and writes nothing")
    func unknownTeam() throws {
        try importTwoTeams()
        let error = rejection { try store.importMembersText(membersHeader + "P1,Lê Văn An,,,,\nP9,Trần Thị Bình,,,,\n") }
        #expect(error?.problems.map(\.description) == [
            "members.csv:3: column \"team\": team \"P9\" does not exist. Import it first with `outreach teams import` (or `outreach teams add`), or fix the code.",
        ])
        #expect(try store.count("member") == 0)
    }

    @Test("adds one member, refusing the same person, a second leader and an unknown team")
    func addMember() throws {
        try importTwoTeams()
        let an = Member(teamCode: "P1", name: "Lê Văn An", phone: Phone(digits: "0912345678"), role: .leader)
        let added = try store.addMember(an)
        #expect(added.id == an.id)
        #expect(added.warnings.isEmpty)
        #expect(throws: TeamError.memberExists(team: "P1", name: "Lê Văn An")) { try store.addMember(an) }
        #expect(throws: TeamError.secondLeader(team: "P1", leader: "Lê Văn An", newcomer: "Trần Thị Bình")) {
            try store.addMember(Member(teamCode: "P1", name: "Trần Thị Bình", role: .leader))
        }
        #expect(throws: TeamError.unknownTeam("P9")) { try store.addMember(Member(teamCode: "P9", name: "Ngô Thị Dung")) }
        let otherLeader = try store.addMember(Member(teamCode: "P2", name: "Ngô Thị Dung", role: .leader))
        #expect(otherLeader.warnings.isEmpty)
        #expect(try store.members(ofTeam: "P1") == [an])
        #expect(try store.members().map(\.name) == ["Lê Văn An", "Ngô Thị Dung"])
        #expect(throws: TeamError.unknownTeam("P9")) { try store.members(ofTeam: "P9") }
    }

    @Test("counts members on a day: joined by then and not yet left")
    func memberCounts() throws {
        try importTwoTeams()
        try store.importMembersText(membersHeader + """
            P1,A,,,01/01/2024,
            P1,B,,,,31/12/2024
            P1,C,,,01/01/2025,
            P2,D,,,,

            """)
        #expect(try store.memberCounts(on: Day(year: 2024, month: 6, day: 1)!) == ["P1": 2, "P2": 1])
        #expect(try store.memberCounts(on: Day(year: 2024, month: 12, day: 31)!) == ["P1": 1, "P2": 1])
        #expect(try store.memberCounts(on: Day(year: 2025, month: 1, day: 1)!) == ["P1": 2, "P2": 1])
    }

    // MARK: Stable ids

    @Test("derives a member's id from team, name and phone, the same on every run")
    func stableIDs() throws {
        let a = Member(teamCode: "P1", name: "Lê Văn An", phone: Phone(digits: "0912345678"))
        #expect(a.id == StableID.derived(from: "P1|Lê Văn An|0912345678"))
        #expect(a.id.uuidString == "c6af5315-52b3-8f80-9d4a-146ab6a4406f")
        #expect(a.id.bytes.count == 16)
        #expect(a.id.bytes[6] >> 4 == 8)
        #expect(Member(teamCode: "P1", name: "Lê Văn An").id != a.id)
        #expect(Member(teamCode: "P2", name: "Lê Văn An", phone: a.phone).id != a.id)
        #expect(StableID.derived(from: "") != StableID.derived(from: " "))
        var seen = Set<StableID>()
        for i in 0..<10_000 { seen.insert(StableID.derived(from: "P1|Thành viên \(i)|")) }
        #expect(seen.count == 10_000)
        #expect(StableID.random() != StableID.random())
        #expect(StableID.random().bytes[6] >> 4 == 4)
    }

    @Test("stores a member's id as a 16-byte blob")
    func storedID() throws {
        try importTwoTeams()
        let member = Member(teamCode: "P1", name: "Lê Văn An", phone: Phone(digits: "0912345678"))
        try store.addMember(member)
        let blob = try store.read { db in try Data.fetchOne(db, sql: "SELECT uuid FROM member") }
        #expect(blob == member.id.data)
        #expect(blob?.count == 16)
    }

    // MARK: Activity

    @Test("tells whether a team is active on a day", arguments: [
        (nil, TeamStatus.active, nil, 0, true),
        (10, .active, nil, 9, false),
        (10, .active, nil, 10, true),
        (nil, .inactive, 20, 19, true),
        (nil, .inactive, 20, 20, false),
        (nil, .inactive, nil, 0, false),
        (30, .inactive, 20, 25, false),
    ] as [(Int?, TeamStatus, Int?, Int, Bool)])
    func activity(formed: Int?, status: TeamStatus, since: Int?, day: Int, active: Bool) {
        let team = Team(code: "T", name: "T", kind: .project06, areaCode: "a", formed: formed.map(Day.init(number:)),
                        status: status, inactiveSince: since.map(Day.init(number:)))
        #expect(team.isActive(on: Day(number: day)) == active)
    }
}

/// The rejection that `body` throws (any result), or nil and a recorded issue.
func rosterRejection<T>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T) -> ImportRejected? {
    #expect(throws: ImportRejected.self, sourceLocation: sourceLocation) { _ = try body() }
}
