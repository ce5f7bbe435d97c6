import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing
@testable import OutreachKit

/// Areas, teams, members and leaflets through both engines: the same input gives the same
/// summaries, errors, trees and reports on SQLite (the reference) and on PostgreSQL.
@Suite("Areas, teams, members and leaflets on PostgreSQL", .enabled(if: PostgresTestServer.available))
struct PostgresRosterTests {
    static let sampleFolder = areasFolder.deletingLastPathComponent().appendingPathComponent("sample")

    /// An in-memory SQLite store and a new PostgreSQL workspace, with its location.
    static func engines() async throws -> (sqlite: Store, postgres: PostgresWorkspace, location: PostgresLocation) {
        let location = try await PostgresTestServer.freshDatabase()
        return (try Store.inMemory(), try await PostgresWorkspace.open(location, create: true), location)
    }

    static func areaRows(_ folder: URL, _ name: String) throws -> [AreaRow] {
        try AreaFile.read(CSVReader(path: folder.appendingPathComponent(name).path, name: name))
    }

    /// Nông Cống's areas and the sample's hamlets.
    static func district() throws -> (areas: [AreaRow], hamlets: [AreaRow]) {
        (try areaRows(areasFolder, "nong_cong.csv"), try areaRows(sampleFolder, "hamlets.csv"))
    }

    /// What `body` returns, or its error as text (every error of these operations is Equatable
    /// and prints its cases and values).
    static func outcome<T>(_ body: () async throws -> T) async -> String {
        do { return "ok: \(try await body())" } catch { return "error: \(error)" }
    }

    /// Runs `body` on both engines and expects the same outcome; returns it.
    @discardableResult
    static func same<T>(_ sqlite: Store, _ postgres: PostgresWorkspace, sourceLocation: SourceLocation = #_sourceLocation,
                        _ body: (any WorkspaceStore) async throws -> T) async -> String {
        let a = await outcome { try await body(sqlite) }
        let b = await outcome { try await body(postgres) }
        #expect(a == b, sourceLocation: sourceLocation)
        return a
    }

    /// A dictionary's entries by key, so that two print alike.
    static func sorted(_ counts: [String: Int]) -> [String] {
        counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// Expects the two trees to have the same nodes (ids, codes, names, levels, parents,
    /// denominators), in the same order, with the same children and roots.
    static func expectSame(_ a: AreaTree?, _ b: AreaTree?, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a?.nodes == b?.nodes, sourceLocation: sourceLocation)
        #expect(a?.children == b?.children, sourceLocation: sourceLocation)
        #expect(a?.roots == b?.roots, sourceLocation: sourceLocation)
    }

    /// The tree's history, as `code|day|change|old name|old parent code`, in the order written.
    static let historySQL = """
        SELECT a.code || '|' || CAST(c.day AS TEXT) || '|' || c.change || '|' || coalesce(c.old_name, '') || '|'
            || coalesce(p.code, '')
        FROM area_change c JOIN area a ON a.id = c.area_id LEFT JOIN area p ON p.id = c.old_parent_id ORDER BY c.id
        """

    /// Every area as `code|name|level|kind|parent|population|search key`, by code.
    static let areasSQL = """
        SELECT a.code || '|' || a.name || '|' || a.level || '|' || coalesce(a.local_kind, '') || '|' || coalesce(p.code, '')
            || '|' || coalesce(CAST(a.population AS TEXT), '') || '|' || a.search_key
        FROM area a LEFT JOIN area p ON p.id = a.parent_id ORDER BY a.code
        """

    static func strings(_ store: Store, _ sql: String) throws -> [String] {
        try store.read { db in try String.fetchAll(db, sql: sql) }
    }

    static func strings(_ location: PostgresLocation, _ sql: String) async throws -> [String] {
        let connection = try await PostgresWorkspace.connect(location)
        do {
            var out: [String] = []
            for try await s in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test"))
                .decode(String.self) { out.append(s) }
            try await connection.close()
            return out
        } catch {
            try? await connection.close()
            throw error
        }
    }

    // MARK: Areas

    @Test("Importing Nông Cống and its hamlets: the same summaries, trees, search and rows")
    func areasParity() async throws {
        let (sqlite, postgres, location) = try await Self.engines()
        let (areas, hamlets) = try Self.district()
        // Hamlets first: their parents are in the second file, so the first one is refused.
        let refused = await Self.same(sqlite, postgres) { try await $0.importAreas(hamlets, file: "hamlets.csv", on: reformDay) }
        #expect(refused.contains("is neither in this file nor in the workspace"))
        #expect(await Self.same(sqlite, postgres) { try await $0.importAreas(areas, file: "nong_cong.csv", on: reformDay) }
                == "ok: \(AreaImportSummary(added: 31))")
        #expect(await Self.same(sqlite, postgres) { try await $0.importAreas(hamlets, file: "hamlets.csv", on: reformDay) }
                == "ok: \(AreaImportSummary(added: 6))")
        #expect(await Self.same(sqlite, postgres) { try await $0.importAreas(areas + hamlets, file: "all.csv", on: reformDay) }
                == "ok: \(AreaImportSummary(unchanged: 37))")

        Self.expectSame(try await sqlite.areaTree(addingRoot: nil), try await postgres.areaTree(addingRoot: nil))
        #expect(try await postgres.areaTree(addingRoot: nil).nodes.count == 37)
        Self.expectSame(try await sqlite.areaTree(addingRoot: ("VN", "Việt Nam")), try await postgres.areaTree(addingRoot: ("VN", "Việt Nam")))
        for code in ["16282", "404", "16285-02", "38"] {
            Self.expectSame(try await sqlite.areaTree(around: code, addingRoot: nil), try await postgres.areaTree(around: code, addingRoot: nil))
        }
        let around = try #require(try await postgres.areaTree(around: "16282", addingRoot: nil))
        #expect(around.nodes.map(\.code) == ["38", "404", "16282", "16282-01", "16282-02", "16282-03", "16282-04"])
        #expect(try await postgres.areaTree(around: "nope", addingRoot: nil) == nil)
        #expect(try Self.strings(sqlite, Self.areasSQL) == (try await Self.strings(location, Self.areasSQL)))

        for query in ["tan phuc", "Tân Phúc", "thon", "Thôn 1", "16282", "dong", "Đông Hòa", "a\\b", "%", "_", "  ", "xã"] {
            for limit in [3, 20] {
                await Self.same(sqlite, postgres) { try await $0.findAreas(query, limit: limit) }
            }
        }
        #expect(try await postgres.findAreas("dong hoa", limit: 5).first?.path == "Thôn Đông Hòa — Tân Thọ — Nông Cống — Thanh Hóa")
    }

    @Test("A rename and a move are recorded in the tree's history, as on SQLite")
    func renameAndMove() async throws {
        let (sqlite, postgres, location) = try await Self.engines()
        let (areas, hamlets) = try Self.district()
        for store in [sqlite, postgres] as [any WorkspaceStore] {
            _ = try await store.importAreas(areas + hamlets, file: "all.csv", on: reformDay)
        }
        var changed = hamlets
        changed[0].name = "Thôn Một"                 // renamed
        changed[1].parentCode = "16285"               // moved
        changed[2].name = "Thôn Phúc Lâm Mới"         // renamed and moved
        changed[2].parentCode = "16279"
        changed[3].attributes.population = 999        // updated only
        changed.append(AreaRow(line: 8, code: "16285-03", name: "Thôn Mới", level: .hamlet, localKind: "thôn", parentCode: "16285"))
        changed.append(AreaRow(line: 9, code: "16285-04", name: "Thôn Con", level: .hamlet, localKind: "thôn", parentCode: "16285-03"))
        changed[5].parentCode = "16285-03"             // moved under an area new in this file
        let day = Day(year: 2026, month: 1, day: 15)!
        #expect(await Self.same(sqlite, postgres) { try await $0.importAreas(changed, file: "hamlets.csv", on: day) }
                == "ok: \(AreaImportSummary(added: 2, updated: 5, unchanged: 1, renamed: 2, moved: 3))")
        let history = try Self.strings(sqlite, Self.historySQL)
        #expect(history == [
            "16282-01|\(day.number)|rename|Thôn 1|",
            "16282-02|\(day.number)|move||16282",
            "16282-03|\(day.number)|rename|Thôn Phúc Lâm|",
            "16282-03|\(day.number)|move||16282",
            "16285-02|\(day.number)|move||16285",
        ])
        #expect(try await Self.strings(location, Self.historySQL) == history)
        #expect(try Self.strings(sqlite, Self.areasSQL) == (try await Self.strings(location, Self.areasSQL)))
        Self.expectSame(try await sqlite.areaTree(addingRoot: nil), try await postgres.areaTree(addingRoot: nil))
        await Self.same(sqlite, postgres) { try await $0.findAreas("thon mot", limit: 20) }
    }

    @Test("Bad area files are refused with the same problems, and nothing is written")
    func badAreaFiles() async throws {
        let (sqlite, postgres, location) = try await Self.engines()
        let (areas, _) = try Self.district()
        for store in [sqlite, postgres] as [any WorkspaceStore] {
            _ = try await store.importAreas(areas, file: "nong_cong.csv", on: reformDay)
        }
        let before = try await Self.strings(location, Self.areasSQL)
        let files: [String] = [
            // an unknown parent, twice
            "16282-01,Thôn 1,thôn,16282\n16282-02,Thôn 2,thôn,99999\n16282-03,Thôn 3,thôn,88888\n",
            // a cycle in the file
            "A,Thôn A,thôn,B\nB,Thôn B,thôn,A\nC,Thôn C,thôn,16282\n",
            // a cycle through the workspace: the district under one of its communes
            "404,Huyện Nông Cống,district,16282\n",
            // a good row beside a bad one: nothing of it is kept
            "16282-09,Thôn 9,thôn,16282\n16282-10,Thôn 10,thôn,nowhere\n",
        ]
        for text in files {
            let rows = try readAreas(areasHeader + text)
            let outcome = await Self.same(sqlite, postgres) { try await $0.importAreas(rows, file: "bad.csv", on: reformDay) }
            #expect(outcome.hasPrefix("error: "))
        }
        #expect(try await Self.strings(location, Self.areasSQL) == before)
        #expect(try await Self.strings(location, "SELECT CAST(count(*) AS TEXT) FROM area_change") == ["0"])
    }

    // MARK: Teams and members

    /// The sample's teams and members, as read from `Resources/sample/`.
    static func sampleRosters() throws -> (teams: [TeamRow], members: [MemberRow]) {
        let teams = try TeamFile.read(CSVReader(path: sampleFolder.appendingPathComponent("teams.csv").path, name: "teams.csv"))
        let members = try MemberFile.read(CSVReader(path: sampleFolder.appendingPathComponent("members.csv").path, name: "members.csv"))
        return (teams.rows, members.rows)
    }

    @Test("Teams and members of the sample: the same summaries, listings, counts and reports")
    func rostersParity() async throws {
        let (sqlite, postgres, _) = try await Self.engines()
        let (areas, hamlets) = try Self.district()
        let (teams, members) = try Self.sampleRosters()
        // Members before their teams, teams before their areas: refused alike.
        #expect(await Self.same(sqlite, postgres) { try await $0.importMembers(members, file: "members.csv") }.contains("does not exist"))
        #expect(await Self.same(sqlite, postgres) { try await $0.importTeams(teams, file: "teams.csv", on: importDay) }.contains("does not exist"))
        for store in [sqlite, postgres] as [any WorkspaceStore] {
            _ = try await store.importAreas(areas + hamlets, file: "all.csv", on: reformDay)
        }
        #expect(await Self.same(sqlite, postgres) { try await $0.importTeams(teams, file: "teams.csv", on: importDay) }
                == "ok: \(RosterImportSummary(added: 4))")
        #expect(await Self.same(sqlite, postgres) { try await $0.importMembers(members, file: "members.csv") }
                == "ok: \(RosterImportSummary(added: 8))")
        await Self.same(sqlite, postgres) { try await $0.importTeams(teams, file: "teams.csv", on: importDay) }
        await Self.same(sqlite, postgres) { try await $0.importMembers(members, file: "members.csv") }
        await Self.same(sqlite, postgres) { try await $0.teams() }
        await Self.same(sqlite, postgres) { try await $0.members(ofTeam: nil) }
        await Self.same(sqlite, postgres) { try await $0.members(ofTeam: "P06-16282") }
        await Self.same(sqlite, postgres) { try await $0.members(ofTeam: "NOPE") }
        for day in [Day(year: 2022, month: 3, day: 31)!, importDay] {
            await Self.same(sqlite, postgres) { try await Self.sorted($0.memberCounts(on: day)) }
        }

        // A changed teams file: one renamed, one made inactive, one new; inactive days kept.
        var changed = teams
        changed[0].team.name = "Tổ ĐA06 Tân Phúc (mới)"
        changed[1].team.status = .inactive
        changed.append(TeamRow(line: 6, team: Team(code: "DIG-16285", name: "Tổ công nghệ số Tân Thọ", kind: .digital, areaCode: "16285")))
        #expect(await Self.same(sqlite, postgres) { try await $0.importTeams(changed, file: "teams.csv", on: importDay) }
                == "ok: \(RosterImportSummary(added: 1, updated: 2, unchanged: 2))")
        await Self.same(sqlite, postgres) { try await $0.importTeams(changed, file: "teams.csv", on: importDay.adding(days: 3)) }
        await Self.same(sqlite, postgres) { try await $0.teams() }

        // The leader hands over: the old one leaves and a new one leads, in one file.
        let handover = try readMembersText(membersHeader + """
            P06-16282,Lê Văn Hùng,0912345678,leader,2022-03-15,2026-10-01
            P06-16282,Đỗ Thị Mai,0388 123 456,leader,2022-03-15,
            P06-16282,Người Mới,,member,2026-10-01,

            """).rows
        #expect(await Self.same(sqlite, postgres) { try await $0.importMembers(handover, file: "members.csv") }.hasPrefix("ok: "))
        await Self.same(sqlite, postgres) { try await $0.members(ofTeam: nil) }
        // A second current leader, in the file against the workspace.
        let second = try readMembersText(membersHeader + "P06-16282,Hoàng Văn Tú,,leader,2022-04-01,\n").rows
        #expect(await Self.same(sqlite, postgres) { try await $0.importMembers(second, file: "members.csv") }.hasPrefix("error: "))

        // Adding one by one: the same errors and warnings.
        let team = Team(code: "TN-16285", name: "Đội thanh niên Tân Thọ", kind: .volunteer, areaCode: "16285",
                        leader: "Ai Đó", status: .inactive)
        await Self.same(sqlite, postgres) { try await $0.addTeam(team, on: importDay) }
        #expect(await Self.same(sqlite, postgres) { try await $0.addTeam(team, on: importDay) }.contains("teamExists"))
        var elsewhere = team
        elsewhere.code = "TN-X"
        elsewhere.areaCode = "99999"
        #expect(await Self.same(sqlite, postgres) { try await $0.addTeam(elsewhere, on: importDay) }.contains("unknownArea"))
        let leader = Member(teamCode: "TN-16285", name: "Trần Thị Hoa", phone: Phone(digits: "0912000222"), role: .leader)
        #expect(await Self.same(sqlite, postgres) { try await $0.addMember(leader) }.contains("Ai Đó"))
        #expect(await Self.same(sqlite, postgres) { try await $0.addMember(leader) }.contains("memberExists"))
        #expect(await Self.same(sqlite, postgres) {
            try await $0.addMember(Member(teamCode: "TN-16285", name: "Người Khác", role: .leader))
        }.contains("secondLeader"))
        #expect(await Self.same(sqlite, postgres) {
            try await $0.addMember(Member(teamCode: "TN-16285", name: "Sớm", joined: importDay, left: reformDay))
        }.contains("leftBeforeJoined"))
        #expect(await Self.same(sqlite, postgres) { try await $0.addMember(Member(teamCode: "NOPE", name: "A")) }.contains("unknownTeam"))
        await Self.same(sqlite, postgres) { try await $0.members(ofTeam: "TN-16285") }

        for under in [nil, "404", "16282"] as [String?] {
            await Self.same(sqlite, postgres) { try await $0.structureReport(under: under, asOf: importDay) }
            for kind in [nil, TeamKind.project06] {
                await Self.same(sqlite, postgres) {
                    try await $0.teamListing(under: under, kind: kind, asOf: importDay).rendered(as: .csv, labels: Labels(.vi))
                }
            }
        }
    }

    @Test("The Nông Cống district's 230 teams and 1,329 members: the same structure and team listing")
    func districtReports() async throws {
        let (sqlite, postgres, _) = try await Self.engines()
        let data = try NongCong()
        let teams = data.teams.enumerated().map { TeamRow(line: $0.offset + 2, team: $0.element) }
        let members = data.members.enumerated().map { MemberRow(line: $0.offset + 2, member: $0.element) }
        await Self.same(sqlite, postgres) { try await $0.importAreas(data.rows, file: "areas.csv", on: reformDay) }
        await Self.same(sqlite, postgres) { try await $0.importTeams(teams, file: "teams.csv", on: importDay) }
        await Self.same(sqlite, postgres) { try await $0.importMembers(members, file: "members.csv") }
        for under in [nil, "404"] as [String?] {
            let report = await Self.same(sqlite, postgres) {
                try await $0.structureReport(under: under, asOf: NongCong.asOf).rendered(as: .table, labels: Labels(.vi))
            }
            #expect(report.contains("29/29"))
            await Self.same(sqlite, postgres) {
                try await $0.teamListing(under: under, kind: nil, asOf: NongCong.asOf).rendered(as: .json, labels: Labels(.en))
            }
        }
        #expect(try await postgres.memberCounts(on: NongCong.asOf).values.reduce(0, +) == 1_329)
    }

    // MARK: Leaflets

    @Test("Leaflet receipts and allocations: the same records, refusals, shortfalls, moves and stock")
    func leafletsParity() async throws {
        let (sqlite, postgres, _) = try await Self.engines()
        let (areas, hamlets) = try Self.district()
        for store in [sqlite, postgres] as [any WorkspaceStore] {
            _ = try await store.importAreas(areas + hamlets, file: "all.csv", on: reformDay)
        }
        let d1 = Day(year: 2026, month: 9, day: 1)!, d2 = d1.adding(days: 10), d3 = d1.adding(days: 20)
        var n = 0
        func id() -> UUID {
            n += 1
            return UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))!
        }
        let steps: [(any WorkspaceStore, UUID) async throws -> LeafletRecord] = [
            { try await $0.receiveLeaflets(into: "404", quantity: 6000, on: d1, batch: "  Đợt  1 ", id: $1) },
            { try await $0.receiveLeaflets(into: "404", quantity: 0, on: d1, batch: nil, id: $1) },
            { try await $0.receiveLeaflets(into: "nope", quantity: 10, on: d1, batch: nil, id: $1) },
            { try await $0.allocateLeaflets(from: "404", to: "16282", quantity: 2500, on: d2, batch: "Đợt 1", allowNegative: false, id: $1) },
            { try await $0.allocateLeaflets(from: "16282", to: "16282-01", quantity: 500, on: d3, batch: nil, allowNegative: false, id: $1) },
            { try await $0.allocateLeaflets(from: "16282", to: "16282", quantity: 5, on: d3, batch: nil, allowNegative: false, id: $1) },
            { try await $0.allocateLeaflets(from: "16282", to: "16285", quantity: 5, on: d3, batch: nil, allowNegative: false, id: $1) },
            { try await $0.allocateLeaflets(from: "16282", to: "404", quantity: 5, on: d3, batch: nil, allowNegative: false, id: $1) },
            { try await $0.allocateLeaflets(from: "404", to: "nope", quantity: 5, on: d3, batch: nil, allowNegative: false, id: $1) },
            // More than the district has from d1 on: refused, naming the day it runs short.
            { try await $0.allocateLeaflets(from: "404", to: "16285", quantity: 4000, on: d1, batch: nil, allowNegative: false, id: $1) },
            { try await $0.allocateLeaflets(from: "404", to: "16285", quantity: 4000, on: d1, batch: nil, allowNegative: true, id: $1) },
            { try await $0.allocateLeaflets(from: "404", to: "16285-01", quantity: 1, on: d3, batch: nil, allowNegative: false, id: $1) },
            { try await $0.allocateLeaflets(from: "16282", to: "16282-02", quantity: 2001, on: d3, batch: nil, allowNegative: false, id: $1) },
        ]
        for step in steps {
            let uuid = id()
            await Self.same(sqlite, postgres) { try await step($0, uuid) }
        }
        for day in [nil, d1, d2, d3] as [Day?] {
            await Self.same(sqlite, postgres) { try await $0.leafletMoves(through: day) }
            await Self.same(sqlite, postgres) { try await Self.sorted($0.leafletsHandedOut(through: day)) }
        }
        for under in [nil, "404", "16282"] as [String?] {
            await Self.same(sqlite, postgres) { try await $0.leafletStock(under: under, asOf: d3) }
            await Self.same(sqlite, postgres) { try await $0.leafletStock(under: under, asOf: d2) }
        }
        #expect(try await postgres.leafletMoves(through: nil).count == 4)
    }

    @Test("Leaflets handed out are summed from live sessions up to the day, and count against the stock")
    func handedOut() async throws {
        let (_, postgres, location) = try await Self.engines()
        let (areas, hamlets) = try Self.district()
        _ = try await postgres.importAreas(areas + hamlets, file: "all.csv", on: reformDay)
        let d1 = Day(year: 2026, month: 9, day: 1)!
        _ = try await postgres.receiveLeaflets(into: "16282", quantity: 100, on: d1, batch: nil, id: UUID())
        func session(_ area: String, _ day: Day, _ leaflets: Int?) -> String {
            """
            INSERT INTO session (uuid, day, area_id, leaflets)
            SELECT decode(md5(random()::text), 'hex'), \(day.number), id, \(leaflets.map(String.init) ?? "NULL") FROM area WHERE code = '\(area)'
            """
        }
        for statement in [session("16282", d1.adding(days: 1), 30), session("16282", d1.adding(days: 5), 20),
                          session("16282", d1.adding(days: 5), nil), session("16285-01", d1.adding(days: 2), 7),
                          session("16282", d1.adding(days: 6), 40)] {
            try await PostgresTestServer.sql(location, statement)
        }
        // The last one is voided.
        try await PostgresTestServer.sql(location, """
            INSERT INTO session_void (session_id, day, reason) SELECT max(id), \(d1.adding(days: 7).number), 'nhầm' FROM session
            """)
        #expect(try await postgres.leafletsHandedOut(through: nil) == ["16282": 50, "16285-01": 7])
        #expect(try await postgres.leafletsHandedOut(through: d1.adding(days: 2)) == ["16282": 30, "16285-01": 7])
        #expect(try await postgres.leafletsHandedOut(through: d1) == [:])
        // 100 in, 50 handed out by day 5: 60 cannot go on day 0, 50 can.
        await #expect(throws: LeafletError.notEnough(from: "16282", name: "Xã Tân Phúc", quantity: 60, onHand: 50,
                                                     day: d1.adding(days: 5), allocationDay: d1)) {
            try await postgres.allocateLeaflets(from: "16282", to: "16282-01", quantity: 60, on: d1, batch: nil,
                                                allowNegative: false, id: UUID())
        }
        let record = try await postgres.allocateLeaflets(from: "16282", to: "16282-01", quantity: 50, on: d1, batch: nil,
                                                         allowNegative: false, id: UUID())
        #expect(record.from?.onHand == 0)
        #expect(record.to.onHand == 50)
    }

    @Test("Two allocations from one stock at once: only one spends it")
    func concurrentAllocations() async throws {
        let (_, postgres, location) = try await Self.engines()
        let other = try await PostgresWorkspace.open(location)
        let (areas, _) = try Self.district()
        _ = try await postgres.importAreas(areas, file: "nong_cong.csv", on: reformDay)
        let day = Day(year: 2026, month: 9, day: 1)!
        for round in 0..<8 {
            _ = try await postgres.receiveLeaflets(into: "404", quantity: 100, on: day, batch: "round \(round)", id: UUID())
            async let a = Self.outcome {
                try await postgres.allocateLeaflets(from: "404", to: "16282", quantity: 60, on: day, batch: nil,
                                                    allowNegative: false, id: UUID()).from?.onHand
            }
            async let b = Self.outcome {
                try await other.allocateLeaflets(from: "404", to: "16285", quantity: 60, on: day, batch: nil,
                                                 allowNegative: false, id: UUID()).from?.onHand
            }
            let outcomes = await [a, b]
            #expect(outcomes.filter { $0 == "ok: Optional(40)" }.count == 1, "round \(round): \(outcomes)")
            #expect(outcomes.filter { $0.contains("notEnough") }.count == 1, "round \(round): \(outcomes)")
            // What is left goes to a third commune, so the next round starts from nothing.
            _ = try await postgres.allocateLeaflets(from: "404", to: "16279", quantity: 40, on: day, batch: nil,
                                                    allowNegative: false, id: UUID())
        }
        #expect(try await postgres.leafletMoves(through: nil).count == 8 * 3)
        #expect(try await postgres.leafletStock(under: "404", asOf: day).rows.first { $0.code == "404" }?.onHand == 0)
    }
}
