import Foundation
import Testing
@testable import OutreachKit

/// Data shaped like the Nông Cống district's reports: the 29 commune-level units of
/// `Resources/areas/nong_cong.csv`, 201 hamlets (7 in each of the first 27 communes, 6 in the
/// last two), a Project 06 team in every commune (11 members each: 319) and in every hamlet
/// (5 members each, 6 in the first five hamlets: 1,010).
struct NongCong {
    var rows: [AreaRow]
    var teams: [Team]
    var members: [Member]
    var communes: [AreaRow]
    var hamlets: [AreaRow]

    static let formed = Day(year: 2023, month: 3, day: 1)!
    static let asOf = Day(year: 2026, month: 11, day: 20)!

    init() throws {
        let file = areasFolder.appendingPathComponent("nong_cong.csv").path
        let district = try AreaFile.read(CSVReader(path: file, name: "nong_cong.csv"))
        communes = district.filter { $0.level.isCommuneLevel }
        var hamlets: [AreaRow] = []
        for (c, commune) in communes.enumerated() {
            for n in 1...(c < 27 ? 7 : 6) {
                hamlets.append(AreaRow(line: 0, code: "\(commune.code)-\(n < 10 ? "0" : "")\(n)", name: "Thôn \(n)",
                                       level: .hamlet, localKind: "thôn", parentCode: commune.code))
            }
        }
        self.hamlets = hamlets
        rows = district + hamlets
        teams = []
        members = []
        for commune in communes {
            let code = "P06-\(commune.code)"
            teams.append(Team(code: code, name: "Tổ ĐA06 \(commune.name)", kind: .project06, areaCode: commune.code, formed: Self.formed))
            for m in 1...11 { members.append(Member(teamCode: code, name: "Thành viên \(m)", joined: Self.formed)) }
        }
        for (h, hamlet) in hamlets.enumerated() {
            let code = "P06-\(hamlet.code)"
            teams.append(Team(code: code, name: "Tổ ĐA06 \(hamlet.name)", kind: .project06, areaCode: hamlet.code, formed: Self.formed))
            for m in 1...(h < 5 ? 6 : 5) { members.append(Member(teamCode: code, name: "Thành viên \(m)")) }
        }
    }

    /// The tree of `rows`, built in memory (parents before children in the file).
    var tree: AreaTree {
        var index: [String: Int] = [:]
        var nodes: [AreaTree.Node] = []
        for (i, row) in rows.enumerated() {
            index[row.code] = i
            nodes.append(AreaTree.Node(id: Int64(i + 1), code: row.code, name: row.name, level: row.level,
                                       localKind: row.localKind, parent: row.parentCode.flatMap { index[$0] }))
        }
        return AreaTree(nodes: nodes)
    }

    func report(under code: String? = "404", asOf: Day = NongCong.asOf) -> StructureReport {
        let tree = self.tree
        return StructureReport(tree: tree, start: code.flatMap { tree.index(of: $0) }, teams: teams, members: members, asOf: asOf)
    }

    /// Makes the team with `code` inactive since `day`.
    mutating func deactivate(_ code: String, since day: Day) {
        let i = teams.firstIndex { $0.code == code }!
        teams[i].status = .inactive
        teams[i].inactiveSince = day
    }
}

@Suite("The structure report")
struct StructureReportTests {
    @Test("states the district's structure as its reports do: 29/29 communes, 201/201 hamlets")
    func districtShape() throws {
        let data = try NongCong()
        #expect(data.communes.count == 29)
        #expect(data.hamlets.count == 201)
        let report = data.report()
        #expect(try report.rendered(as: .table, labels: Labels(.vi)) == """
            Cơ cấu các tổ tại Huyện Nông Cống ngày 20/11/2026
            29/29 xã có tổ Đề án 06 (319 thành viên)
            201/201 thôn có tổ Đề án 06 (1.010 thành viên)

            """)
        #expect(try report.rendered(as: .table, labels: Labels(.en)) == """
            Team structure of Huyện Nông Cống on 20 Nov 2026
            Communes with an active Project 06 team: 29/29 (319 members)
            Hamlets with an active Project 06 team: 201/201 (1,010 members)

            """)
        #expect(report.lines.map(\.teams) == [29, 201])
        #expect(report.lines.allSatisfy { $0.withoutTeam.isEmpty })
    }

    @Test("counts 28/29 and names the commune whose team is inactive, without its members")
    func oneInactiveCommune() throws {
        var data = try NongCong()
        data.deactivate("P06-16282", since: Day(year: 2026, month: 10, day: 1)!)
        let report = data.report()
        #expect(try report.rendered(as: .table, labels: Labels(.en)) == """
            Team structure of Huyện Nông Cống on 20 Nov 2026
            Communes with an active Project 06 team: 28/29 (308 members)
              without one (1): Xã Tân Phúc
            Hamlets with an active Project 06 team: 201/201 (1,010 members)

            """)
        #expect(report.lines[0].withoutTeam == [StructureReport.Unit(code: "16282", name: "Xã Tân Phúc")])
    }

    @Test("counts a team that became inactive after the day asked for")
    func inactiveLater() throws {
        var data = try NongCong()
        data.deactivate("P06-16282", since: Day(year: 2026, month: 10, day: 1)!)
        let before = data.report(asOf: Day(year: 2026, month: 9, day: 30)!)
        #expect(before.lines[0].withTeam == 29)
        #expect(before.lines[0].members == 319)
        let onTheDay = data.report(asOf: Day(year: 2026, month: 10, day: 1)!)
        #expect(onTheDay.lines[0].withTeam == 28)
    }

    @Test("leaves out teams not yet formed and members not yet joined or already gone")
    func asOfDates() throws {
        var data = try NongCong()
        let later = Day(year: 2026, month: 12, day: 1)!
        let i = data.teams.firstIndex { $0.code == "P06-16279-01" }!
        data.teams[i].formed = later
        data.members.append(Member(teamCode: "P06-16279", name: "Người mới", joined: later))
        data.members.append(Member(teamCode: "P06-16279", name: "Người cũ", joined: NongCong.formed, left: NongCong.asOf))
        data.members.append(Member(teamCode: "P06-16279", name: "Người ở lại", left: later))
        let report = data.report()
        #expect(report.lines[0].members == 320)
        #expect(report.lines[1].withTeam == 200)
        #expect(report.lines[1].members == 1004)
        #expect(report.lines[1].withoutTeam == [StructureReport.Unit(code: "16279-01", name: "Thôn 1", within: "Nông Cống")])
        let text = try report.rendered(as: .table, labels: Labels(.en))
        #expect(text.contains("Hamlets with an active Project 06 team: 200/201 (1,004 members)\n  without one (1): Thôn 1 — Nông Cống\n"))
        let inDecember = data.report(asOf: later)
        #expect(inDecember.lines[0].members == 320)
        #expect(inDecember.lines[1].withTeam == 201)
    }

    @Test("from a commune: the commune itself, where its team is attached, and its hamlets")
    func underCommune() throws {
        let data = try NongCong()
        let report = data.report(under: "16282")
        #expect(report.start == StructureReport.Unit(code: "16282", name: "Xã Tân Phúc"))
        #expect(report.lines.map { "\($0.level) \($0.withTeam)/\($0.units) \($0.members)" } == ["commune 1/1 11", "hamlet 7/7 35"])
    }

    @Test("from the top of the tree: the province and district levels without teams are listed below the root only")
    func wholeTree() throws {
        let data = try NongCong()
        let report = data.report(under: nil)
        #expect(report.start == nil)
        #expect(report.lines.map { "\($0.level) \($0.kind) \($0.withTeam)/\($0.units)" } == [
            "district project06 0/1", "commune project06 29/29", "hamlet project06 201/201",
        ])
        #expect(report.lines[0].withoutTeam.map(\.name) == ["Huyện Nông Cống"])
        #expect(try report.rendered(as: .table, labels: Labels(.en)).hasPrefix("Team structure of every area on 20 Nov 2026\nDistricts with an active Project 06 team: 0/1 (0 members)\n  without one (1): Huyện Nông Cống\n"))
    }

    @Test("reports other kinds at the levels where they have teams, naming the units without one")
    func otherKinds() throws {
        var data = try NongCong()
        for commune in data.communes.prefix(27) {
            data.teams.append(Team(code: "VOL-\(commune.code)", name: "Đội TN", kind: .volunteer, areaCode: commune.code))
            data.members.append(Member(teamCode: "VOL-\(commune.code)", name: "Đoàn viên"))
        }
        data.teams.append(Team(code: "DIG-16282-01", name: "Tổ CNS", kind: .digital, areaCode: "16282-01"))
        let report = data.report()
        #expect(report.lines.map { "\($0.level) \($0.kind)" } == [
            "commune project06", "commune volunteer", "hamlet project06", "hamlet digital",
        ])
        let text = try report.rendered(as: .table, labels: Labels(.en))
        let missing = data.communes.suffix(2).map(\.name).joined(separator: ", ")
        #expect(text.contains("Communes with an active volunteer team: 27/29 (27 members)\n  without one (2): \(missing)\n"))
        #expect(text.contains("Hamlets with an active community digital technology team: 1/201 (0 members)\n  without one (200): Thôn 1 — Nông Cống, Thôn 2 — Nông Cống,"))
    }

    @Test("groups wards, towns and special zones with communes")
    func communeLevel() throws {
        let data = try NongCong()
        #expect(data.communes.contains { $0.level == .town })
        #expect(StructureReport.Level(.town) == .commune)
        #expect(StructureReport.Level(.ward) == .commune)
        #expect(StructureReport.Level(.specialZone) == .commune)
        #expect(data.report().lines[0].units == 29)
    }

    @Test("renders one CSV row per level and kind")
    func csv() throws {
        var data = try NongCong()
        data.deactivate("P06-16282", since: NongCong.formed)
        data.deactivate("P06-16279", since: NongCong.formed)
        #expect(try data.report().rendered(as: .csv, labels: Labels(.en)) == """
            level,team_kind,units_with_team,units,active_teams,members,without_team,without_team_codes
            commune,project06,27,29,27,297,"Thị trấn Nông Cống; Xã Tân Phúc",16279 16282
            hamlet,project06,201,201,201,1010,,

            """)
    }

    @Test("renders the model as JSON with sorted keys")
    func json() throws {
        var data = try NongCong()
        data.deactivate("P06-16282-07", since: NongCong.formed)
        let json = try data.report().rendered(as: .json, labels: Labels(.en))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["asOf"] as? String == "2026-11-20")
        let lines = try #require(object["lines"] as? [[String: Any]])
        #expect(lines.map { $0["withTeam"] as? Int } == [29, 200])
        #expect(lines.map { $0["units"] as? Int } == [29, 201])
        let missing = try #require(lines[1]["withoutTeam"] as? [[String: String]])
        #expect(missing == [["code": "16282-07", "name": "Thôn 7", "within": "Tân Phúc"]])
        #expect(json.contains("\"kind\" : \"project06\",\n      \"level\" : \"hamlet\""))
    }

    @Test("says so when there are no areas")
    func empty() throws {
        let report = StructureReport(tree: AreaTree(nodes: []), start: nil, teams: [], members: [], asOf: NongCong.asOf)
        #expect(report.lines.isEmpty)
        #expect(try report.rendered(as: .table, labels: Labels(.en)) == "Team structure of every area on 20 Nov 2026\nThere are no areas here. Import them with `outreach areas import`.\n")
        #expect(try report.rendered(as: .table, labels: Labels(.vi)) == "Cơ cấu các tổ tại toàn bộ địa bàn ngày 20/11/2026\nChưa có địa bàn nào. Nhập danh sách địa bàn bằng `outreach areas import`.\n")
    }

    @Test("gives the same report from the workspace as from memory")
    func fromStore() async throws {
        var data = try NongCong()
        data.deactivate("P06-16282", since: Day(year: 2026, month: 10, day: 1)!)
        let store = try Store.inMemory()
        _ = try store.importAreas(data.rows, file: "areas.csv", on: NongCong.formed)
        for team in data.teams { try store.addTeam(team, on: NongCong.formed) }
        let rows = data.members.enumerated().map { MemberRow(line: $0.offset + 2, member: $0.element) }
        _ = try store.importMembers(rows, file: "members.csv")
        let stored = try await store.structureReport(under: "404", asOf: NongCong.asOf)
        #expect(stored == data.report())
        #expect(stored.lines[0].withTeam == 28)
        await #expect(throws: AreaLookupError.unknownCode("999")) { try await store.structureReport(under: "999", asOf: NongCong.asOf) }
    }
}
