import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing
@testable import OutreachKit

/// The running totals on PostgreSQL (kept by the triggers of "pg2-totals") and what coverage and
/// the district report read from them, held to SQLite's `Store` on the same data: the sessions
/// are logged and voided through `Store`, then copied into PostgreSQL with plain INSERTs (as an
/// import or a merge writes them), in several statements, around the first coverage read.
@Suite("Running totals and coverage on PostgreSQL", .enabled(if: PostgresTestServer.available))
struct PostgresTotalsTests {
    static let today = Day(parsing: "2026-12-31")!
    static let declared = ["home_visits"]

    /// A district of three communes of four hamlets, with adults and households.
    static func sqlite() throws -> Store {
        let store = try Store.inMemory()
        var rows = [AreaRow(line: 2, code: "D", name: "Huyện Thử", level: .district)]
        for c in 1...3 {
            rows.append(AreaRow(line: rows.count + 2, code: "C\(c)", name: "Xã \(c)", level: .commune, parentCode: "D"))
            for h in 1...4 {
                rows.append(AreaRow(line: rows.count + 2, code: "C\(c)-\(h)", name: "Thôn \(h)", level: .hamlet, parentCode: "C\(c)",
                                    attributes: AreaAttributes(adults: 40 + (c * 7 + h * 13) % 300, households: 20 + c * h)))
            }
        }
        _ = try store.importAreas(rows, file: "areas.csv", on: Day(parsing: "2025-01-01")!)
        return store
    }

    /// A deterministic generator.
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// Logs `count` random sessions through `store`: some metrics not recorded, some with the
    /// campaign metric; hamlet C3-4 only ever gets sessions without `leaflets`.
    static func log(_ store: Store, count: Int, _ random: inout Random) throws {
        let first = Day(parsing: "2025-03-01")!
        for _ in 0..<count {
            let area = "C\(1 + random.next(3))-\(1 + random.next(4))"
            var metrics = MetricValues()
            if random.next(4) != 0 { metrics[.eidL2] = random.next(8) }
            if random.next(3) == 0 { metrics[.bankAccount] = random.next(5) }
            if random.next(2) == 0, area != "C3-4" { metrics[.leaflets] = random.next(40) }
            var counts: [String: Int] = [:]
            if random.next(3) == 0 { counts["home_visits"] = random.next(6) }
            if metrics.isEmpty && counts.isEmpty { metrics[.eidL2] = 0 }
            _ = try store.logSession(NewSession(day: first.adding(days: random.next(640)), area: area, metrics: metrics,
                                                campaignCounts: counts),
                                     today: today, campaignMetrics: declared)
        }
    }

    /// Copies what `store` holds and `pg` does not yet into `pg`, with INSERTs of `batch` rows:
    /// areas, sessions, their campaign counts, then voids (the triggers keep the totals).
    static func copy(_ store: Store, to pg: PostgresWorkspace, batch: Int = 37) async throws {
        var statements: [String] = []
        func literal(_ value: DatabaseValue) -> String {
            switch value.storage {
            case .null: return "NULL"
            case .int64(let i): return String(i)
            case .double(let d): return String(d)
            case .string(let s): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
            case .blob(let data): return "'\\x" + data.map { String(format: "%02x", $0) }.joined() + "'::bytea"
            }
        }
        func inserts(_ table: String, _ columns: String, _ sql: String) throws {
            let rows = try store.read { db in try Row.fetchAll(db, sql: sql) }
            for start in stride(from: 0, to: rows.count, by: batch) {
                let values = rows[start..<min(start + batch, rows.count)].map { row in
                    "(" + row.databaseValues.map(literal).joined(separator: ", ") + ")"
                }
                statements.append("INSERT INTO \(table) (\(columns)) VALUES \(values.joined(separator: ", ")) ON CONFLICT DO NOTHING")
            }
        }
        let areaColumns = "id, code, name, level, local_kind, parent_id, population, adults, working_age, households, search_key"
        try inserts("area", areaColumns, "SELECT \(areaColumns) FROM area ORDER BY id")
        let metricColumns = Metric.allCases.map(\.code).joined(separator: ", ")
        try inserts("session", "id, uuid, day, area_id, \(metricColumns)", "SELECT id, uuid, day, area_id, \(metricColumns) FROM session ORDER BY id")
        try inserts("session_metric", "session_id, metric, value", "SELECT session_id, metric, value FROM session_metric ORDER BY session_id")
        try inserts("session_void", "session_id, day, reason", "SELECT session_id, day, reason FROM session_void ORDER BY session_id")
        for sql in statements { try await execute(pg, sql) }
    }

    static func execute(_ pg: PostgresWorkspace, _ sql: String) async throws {
        try await pg.transaction { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresWorkspace.quiet)
        }
    }

    /// Voids every `step`-th live session of `store`, and every session of C2-2 recording
    /// `leaflets` (so that it is recorded there no more), and its latest session.
    static func void(_ store: Store, step: Int) throws {
        let live = try store.sessions(SessionQuery())
        for (i, entry) in live.enumerated() where i % step == 0 {
            try store.voidSession(entry.id, reason: "nhập trùng", on: today)
        }
        let more = try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT lower(hex(uuid)) FROM session s JOIN area a ON a.id = s.area_id
                WHERE a.code = 'C2-2' AND s.leaflets IS NOT NULL AND s.id NOT IN (SELECT session_id FROM session_void)
                """)
        }
        for id in more { try store.voidSession(id, reason: "sai thôn", on: today) }
        if let latest = try store.read({ db in
            try String.fetchOne(db, sql: """
                SELECT lower(hex(uuid)) FROM session s JOIN area a ON a.id = s.area_id
                WHERE a.code = 'C1-1' AND s.id NOT IN (SELECT session_id FROM session_void) ORDER BY s.day DESC LIMIT 1
                """)
        }) {
            try store.voidSession(latest, reason: "sai ngày", on: today)
        }
    }

    static let builtIn = Campaign(
        id: "tt", name: "Thanh toán", scope: "D", start: Day(parsing: "2025-04-10")!, end: Day(parsing: "2026-10-20")!,
        indicators: [
            Indicator(id: "epay", label: "Tài khoản", numerator: ["bank_account", "leaflets"], denominator: "adults", target: .share(0.5)),
            Indicator(id: "eid", label: "VNeID", numerator: ["eid_l2"], denominator: "adults", target: .share(0.8), rollUp: .mean),
        ])

    static let own = Campaign(
        id: "tham", name: "Thăm hộ", scope: "all", start: Day(parsing: "2025-03-15")!, end: Day(parsing: "2026-12-31")!,
        indicators: [
            Indicator(id: "visits", label: "Hộ được thăm", numerator: ["home_visits"], denominator: "households", target: .share(0.6)),
            Indicator(id: "mixed", label: "Thăm và VNeID", numerator: ["home_visits", "eid_l2"], denominator: "adults", target: .share(0.6)),
        ],
        extraMetrics: declared)

    static let asOfDays = ["2025-03-01", "2025-04-10", "2025-04-30", "2025-05-01", "2025-09-17", "2026-02-28", "2026-03-01",
                           "2026-10-19", "2026-10-20", "2026-12-31"]

    /// Every read of this part on both engines, compared.
    static func expectSame(_ store: Store, _ pg: PostgresWorkspace, _ context: String) async throws {
        let labels = Labels(.vi)
        for campaign in [builtIn, own] {
            for asOf in asOfDays {
                for under in [nil, "C2", "C3-4"] as [String?] {
                    let options = CoverageReport.Options(asOf: Day(parsing: asOf)!, under: under)
                    let a = try await store.coverageReport(campaign: campaign, options: options).rendered(as: .csv, labels: labels)
                    let b = try await pg.coverageReport(campaign: campaign, options: options).rendered(as: .csv, labels: labels)
                    #expect(a == b, "\(context): coverage of \(campaign.id) as of \(asOf) under \(under ?? "-")")
                }
            }
        }
        // With the whole tree read by the caller (the district report's way).
        let whole = try await pg.areaTree(addingRoot: nil)
        let options = CoverageReport.Options(asOf: Day(parsing: "2026-05-05")!, under: "C1")
        let a = try await store.coverageReport(campaign: builtIn, options: options, wholeTree: try store.areaTree(addingRoot: nil))
        let b = try await pg.coverageReport(campaign: builtIn, options: options, wholeTree: whole)
        #expect(try a.rendered(as: .csv, labels: labels) == b.rendered(as: .csv, labels: labels), "\(context): over a whole tree")

        let ids: [Int64] = [2, 3, 4, 8, 15, 16]
        for asOf in asOfDays {
            let day = Day(parsing: asOf)!
            for areas in [nil, ids] as [[Int64]?] {
                let a = try store.periodTotals(start: builtIn.start, end: builtIn.end, asOf: day, areas: areas)
                let b = try await pg.periodTotals(start: builtIn.start, end: builtIn.end, asOf: day, areas: areas)
                #expect(a == b, "\(context): period totals as of \(asOf), areas \(areas?.description ?? "all")")
            }
            #expect(try store.lastSessionDays(areas: Array(1...17), through: day)
                    == (try await pg.lastSessionDays(areas: Array(1...17), through: day)), "\(context): last days through \(asOf)")
        }
        for areas in [nil, ids] as [[Int64]?] {
            let a = try store.dailyTotals(areas: areas, from: builtIn.start, through: today)
            let b = try await pg.dailyTotals(areas: areas, from: builtIn.start, through: today)
            #expect(a == b, "\(context): daily totals, areas \(areas?.description ?? "all")")
            #expect(!a.isEmpty)
        }
    }

    /// Each running table against its recomputation from the live sessions: rows that differ.
    static func differences(_ pg: PostgresWorkspace) async throws -> [String: Int] {
        let metrics = Metric.allCases.map(\.code)
        let sums = metrics.map { "sum(s.\($0))::bigint" }.joined(separator: ", ")
        let columns = metrics.joined(separator: ", ")
        let live = "NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)"
        let checks = [
            "area_month": ("SELECT outreach_month(s.day), s.area_id, count(*)::bigint, \(sums), max(s.day) FROM session s WHERE \(live) GROUP BY 1, 2",
                           "SELECT month, area_id, sessions, \(columns), last_day FROM area_month"),
            "period_total": ("""
                SELECT p.id, s.area_id, count(*)::bigint, \(sums), max(s.day) FROM session s
                JOIN period p ON s.day BETWEEN p.start AND p."end" WHERE \(live) GROUP BY 1, 2
                """, "SELECT period_id, area_id, sessions, \(columns), last_day FROM period_total"),
            "area_month_metric": ("""
                SELECT m.metric, outreach_month(s.day), s.area_id, sum(m.value)::bigint FROM session s
                JOIN session_metric m ON m.session_id = s.id WHERE \(live) GROUP BY 1, 2, 3
                """, "SELECT metric, month, area_id, value FROM area_month_metric"),
        ]
        var out: [String: Int] = [:]
        for (table, (recomputed, kept)) in checks {
            out[table] = try await pg.read { connection in
                let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                    SELECT count(*) FROM ((\(recomputed) EXCEPT \(kept)) UNION ALL (\(kept) EXCEPT \(recomputed))) x
                    """), logger: PostgresWorkspace.quiet)
                for try await n in rows.decode(Int64.self) { return Int(n) }
                return -1
            }
        }
        return out
    }

    @Test("coverage, period and daily totals and last days equal SQLite's, before and after more sessions and voids",
          arguments: [UInt64(3), 11])
    func parity(seed: UInt64) async throws {
        let store = try Self.sqlite()
        let pg = try await PostgresWorkspace.open(try await PostgresTestServer.freshDatabase(), create: true)
        var random = Random(state: seed)
        try Self.log(store, count: 150, &random)
        try await Self.copy(store, to: pg)
        // The periods are registered here, on both engines, before the rest arrives.
        try await Self.expectSame(store, pg, "first sessions")
        try Self.log(store, count: 120, &random)
        try Self.void(store, step: 9)
        try await Self.copy(store, to: pg, batch: 23)
        try await Self.expectSame(store, pg, "after voids")
        #expect(try await Self.differences(pg) == ["area_month": 0, "period_total": 0, "area_month_metric": 0])
    }

    @Test("a void takes away the session's counts, its 'recorded' and its last day, as on SQLite")
    func voids() async throws {
        let store = try Self.sqlite()
        let pg = try await PostgresWorkspace.open(try await PostgresTestServer.freshDatabase(), create: true)
        let period = (start: Day(parsing: "2026-01-01")!, end: Day(parsing: "2026-12-31")!)
        // Registered first on both, so that the triggers (not the build) keep the totals.
        _ = try store.periodTotals(start: period.start, end: period.end, asOf: Self.today)
        try await Self.copy(store, to: pg)
        _ = try await pg.periodTotals(start: period.start, end: period.end, asOf: Self.today, areas: nil)
        let a = try store.logSession(NewSession(day: Day(parsing: "2026-03-05")!, area: "C1-1", metrics: MetricValues([.eidL2: 4])),
                                     today: Self.today)
        let b = try store.logSession(NewSession(day: Day(parsing: "2026-03-20")!, area: "C1-1",
                                                metrics: MetricValues([.eidL2: 2, .leaflets: 0]), campaignCounts: ["home_visits": 0]),
                                     today: Self.today, campaignMetrics: Self.declared)
        try await Self.copy(store, to: pg)
        let hamlet = try store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM area WHERE code = 'C1-1'") } ?? 0
        let before = try await pg.periodTotals(start: period.start, end: period.end, asOf: Self.today, areas: nil)
        #expect(before[hamlet] == AreaTotals(sessions: 2, metrics: MetricValues([.eidL2: 6, .leaflets: 0]), lastDay: Day(parsing: "2026-03-20")!))
        try store.voidSession(b.id, reason: "nhập trùng", on: Self.today)
        try await Self.copy(store, to: pg)
        let after = try await pg.periodTotals(start: period.start, end: period.end, asOf: Self.today, areas: nil)
        #expect(after[hamlet] == AreaTotals(sessions: 1, metrics: MetricValues([.eidL2: 4]), lastDay: Day(parsing: "2026-03-05")!))
        #expect(after == (try store.periodTotals(start: period.start, end: period.end, asOf: Self.today)))
        try store.voidSession(a.id, reason: "nhập trùng", on: Self.today)
        try await Self.copy(store, to: pg)
        #expect(try await pg.periodTotals(start: period.start, end: period.end, asOf: Self.today, areas: nil).isEmpty)
        #expect(try await Self.differences(pg) == ["area_month": 0, "period_total": 0, "area_month_metric": 0])
        let rows = try await pg.read { connection in
            var n = 0
            for try await count in try await connection.query(
                "SELECT (SELECT count(*) FROM area_month) + (SELECT count(*) FROM period_total) + (SELECT count(*) FROM area_month_metric)",
                logger: PostgresWorkspace.quiet).decode(Int64.self) { n = Int(count) }
            return n
        }
        #expect(rows == 0, "buckets without live sessions are gone, as on SQLite")
    }

    @Test("after concurrent writers (sessions, counts, voids, a period registered meanwhile) the totals equal a recomputation")
    func concurrentWriters() async throws {
        let store = try Self.sqlite()
        let pg = try await PostgresWorkspace.open(try await PostgresTestServer.freshDatabase(), create: true)
        try await Self.copy(store, to: pg)
        let first = try await pg.periodID(start: Day(parsing: "2025-06-01")!, end: Day(parsing: "2026-06-30")!)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<6 {
                group.addTask {
                    var random = Random(state: UInt64(100 + writer))
                    var mine: [Int64] = []
                    for round in 0..<12 {
                        let rows = (0..<(1 + random.next(15))).map { _ in
                            let metrics = Metric.allCases.map { _ in random.next(3) == 0 ? "NULL" : String(random.next(9)) }
                            // Few areas and months: the writers meet in the same buckets.
                            return "(uuid_send(gen_random_uuid()), \(20_100 + random.next(200)), \(3 + random.next(4)), \(metrics.joined(separator: ", ")))"
                        }
                        let voids = mine.filter { _ in random.next(6) == 0 }
                        mine.removeAll { voids.contains($0) }
                        let added = try await pg.transaction { connection in
                            var ids: [Int64] = []
                            for try await id in try await connection.query(PostgresQuery(unsafeSQL: """
                                INSERT INTO session (uuid, day, area_id, \(Metric.allCases.map(\.code).joined(separator: ", ")))
                                VALUES \(rows.joined(separator: ", ")) RETURNING id
                                """), logger: PostgresWorkspace.quiet).decode(Int64.self) { ids.append(id) }
                            try await connection.query(PostgresQuery(unsafeSQL: """
                                INSERT INTO session_metric (session_id, metric, value)
                                SELECT id, 'home_visits', id % 4 FROM unnest(ARRAY[\(ids.map(String.init).joined(separator: ","))]::bigint[]) AS id
                                WHERE id % 3 <> 0
                                """), logger: PostgresWorkspace.quiet)
                            if !voids.isEmpty {
                                try await connection.query(PostgresQuery(unsafeSQL: """
                                    INSERT INTO session_void (session_id, day, reason)
                                    SELECT id, 20500, 'test' FROM unnest(ARRAY[\(voids.map(String.init).joined(separator: ","))]::bigint[]) AS id
                                    """), logger: PostgresWorkspace.quiet)
                            }
                            return ids
                        }
                        mine += added
                        if writer == 0 && round == 5 {
                            // A period registered while the others write.
                            _ = try await pg.periodID(start: Day(parsing: "2025-01-15")!, end: Day(parsing: "2025-08-10")!)
                        }
                    }
                }
            }
            group.addTask { _ = try await pg.periodID(start: Day(parsing: "2025-01-15")!, end: Day(parsing: "2025-08-10")!) }
            try await group.waitForAll()
        }
        #expect(try await pg.periodID(start: Day(parsing: "2025-06-01")!, end: Day(parsing: "2026-06-30")!) == first)
        #expect(try await Self.differences(pg) == ["area_month": 0, "period_total": 0, "area_month_metric": 0])
        let counts = try await pg.read { connection in
            var out: [Int64] = []
            for try await (periods, sessions) in try await connection.query(
                "SELECT (SELECT count(*) FROM period), (SELECT count(*) FROM session)", logger: PostgresWorkspace.quiet
            ).decode((Int64, Int64).self) { out = [periods, sessions] }
            return out
        }
        #expect(counts.first == 2)
        #expect((counts.last ?? 0) > 50)
        // Rebuilt from the sessions, they are the same.
        try await pg.rebuildTotals()
        #expect(try await Self.differences(pg) == ["area_month": 0, "period_total": 0, "area_month_metric": 0])
    }
}
