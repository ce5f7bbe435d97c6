import Foundation
import GRDB
import PostgresNIO
import Testing
@testable import OutreachKit

/// Bundles between the engines: a workspace built on SQLite travels to PostgreSQL and back
/// unchanged, merges the same way on both, and checks the same.
@Suite("Bundles on PostgreSQL", .enabled(if: PostgresTestServer.available))
struct PostgresBundleTests {
    static let today = Day(year: 2026, month: 11, day: 20)!
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let tables = ["area", "area_change", "team", "member", "session", "session_void", "session_metric", "leaflet_move",
                         "bundle_merge", "merge_conflict"]

    /// The demo district on SQLite (areas, teams, members, thousands of sessions, leaflet
    /// moves), with a session voided, one replaced, and a campaign count.
    static func demoStore(in lab: BundleLab) async throws -> Store {
        let tree = try AreaFile.read(try CSVReader(path: DemoFiles.tree))
        let demo = DemoDistrict(tree: tree, period: Day(year: 2026, month: 1, day: 1)!...Day(year: 2026, month: 12, day: 31)!,
                                quarterStart: Day(year: 2026, month: 10, day: 1)!, today: today)
        let files = DemoFiles(folder: lab.dir.path)
        for (path, text) in [(files.hamlets, demo.hamlets), (files.teams, demo.teams), (files.members, demo.members),
                             (files.sessions, demo.sessions)] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        let store = try Store.inMemory()
        try await store.loadDemo(demo, files: files, today: today)
        let first = try store.logSession(NewSession(day: Day(year: 2026, month: 11, day: 2)!, area: "16282-01",
                                                    metrics: MetricValues([.eidL2: 7, .leaflets: 3]), notes: "Họp thôn"), today: today)
        _ = try store.logSession(NewSession(day: Day(year: 2026, month: 11, day: 2)!, area: "16282-01",
                                        metrics: MetricValues([.eidL2: 9, .leaflets: 3])), today: today,
                             replacing: first.id, reason: "nhập sai")
        let second = try store.logSession(NewSession(day: Day(year: 2026, month: 11, day: 3)!, area: "16282-02",
                                                     metrics: MetricValues([.eidL2: 4]), campaignCounts: ["qr_payments": 5]),
                                          today: today, campaignMetrics: ["qr_payments"])
        _ = try store.logSession(NewSession(day: Day(year: 2026, month: 11, day: 4)!, area: "16282-03",
                                            metrics: MetricValues([.eidL2: 2]), campaignCounts: ["qr_payments": 1]),
                                 today: today, campaignMetrics: ["qr_payments"])
        _ = try store.voidSession(second.id, reason: "trùng", on: today)
        return store
    }

    static func freshPostgres() async throws -> PostgresWorkspace {
        try await PostgresWorkspace.open(try await PostgresTestServer.freshDatabase(), create: true)
    }

    static func merge(_ path: String, into store: any WorkspaceStore, setAside: Bool = false) async throws -> MergeSummary {
        try await store.mergeBundle(file: path, name: "b.bundle", today: today, now: Date(), setAsideConflicts: setAside)
    }

    static func export(_ store: any WorkspaceStore, to path: String, scope: BundleScope = BundleScope(includePhones: true)) async throws
        -> BundleHeader {
        try await store.exportBundle(to: path, name: nil, scope: scope, now: now)
    }

    static func counts(_ store: Store) throws -> [Int] {
        try tables.map { try BundleLab.count(store, $0) }
    }

    static func counts(_ pg: PostgresWorkspace) async throws -> [Int] {
        var out: [Int] = []
        for table in tables {
            out.append(try await pg.read { connection in
                for try await n in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"),
                                                              logger: PostgresWorkspace.quiet).decode(Int.self) { return n }
                return 0
            })
        }
        return out
    }

    @Test("a workspace goes from SQLite to PostgreSQL and back unchanged: the same records, counts, reports")
    func roundTrip() async throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let sqlite = try await Self.demoStore(in: lab)
        let fromSQLite = try await Self.export(sqlite, to: lab.path("sqlite.bundle"))
        #expect(fromSQLite.counts.sessions > 3000 && fromSQLite.counts.voids == 2 && fromSQLite.counts.sessionMetrics >= 2)
        #expect(fromSQLite.counts.leafletMoves > 0 && fromSQLite.counts.members > 1000)

        let pg = try await Self.freshPostgres()
        let summary = try await Self.merge(lab.path("sqlite.bundle"), into: pg)
        let c = fromSQLite.counts
        let added: [Int] = [summary.areas.new, summary.teams.new, summary.members.new, summary.sessions.new, summary.voids.new,
                            summary.sessionMetrics.new, summary.leafletMoves.new]
        #expect(added == Array(c.values.prefix(7)))
        #expect(summary.previousMerge == nil && summary.notes.isEmpty && summary.warnings.isEmpty)

        // The same bundle back out of PostgreSQL: the same body, byte for byte.
        let fromPostgres = try await Self.export(pg, to: lab.path("pg.bundle"))
        #expect(fromPostgres.contentDigest == fromSQLite.contentDigest)
        #expect(fromPostgres.counts.data == fromSQLite.counts.data)
        #expect(try BundleLab.records(lab.path("pg.bundle")).filter(BundleLab.isData) == BundleLab.records(lab.path("sqlite.bundle")).filter(BundleLab.isData))

        // … and into a fresh SQLite workspace, which exports it the same again.
        let back = try Store.inMemory()
        _ = try await Self.merge(lab.path("pg.bundle"), into: back)
        #expect(try await Self.export(back, to: lab.path("back.bundle")).contentDigest == fromSQLite.contentDigest)
        let sqliteCounts = try Self.counts(sqlite).prefix(8)
        #expect(try await Array(Self.counts(pg).prefix(8)) == Array(sqliteCounts))

        // Scopes export the same on both engines.
        for scope in [BundleScope(under: "16282"), BundleScope(since: Day(year: 2026, month: 11, day: 1)!),
                      BundleScope(under: "16282-01", since: Day(year: 2026, month: 6, day: 1)!, includePhones: true)] {
            let a = try await Self.export(sqlite, to: lab.path("a.bundle"), scope: scope)
            let b = try await Self.export(pg, to: lab.path("b.bundle"), scope: scope)
            #expect(a.contentDigest == b.contentDigest, "scope \(scope)")
            #expect(a.counts.data == b.counts.data, "scope \(scope)")
        }

        // The reports of both: PostgreSQL's running totals were kept by the merge itself.
        let campaign = try CampaignCatalog(directory: campaignsFolder).campaign("de-an-06")
        let options = CoverageReport.Options(asOf: Self.today, indicator: campaign.indicators.first?.id, level: .kind(.commune))
        let expectedCoverage = try await sqlite.coverageReport(campaign: campaign, options: options).rendered(as: .csv, labels: Labels(.en))
        // Bundles do not carry when a session was recorded, so a merged copy cannot tell late from
        // on time: the reports are compared without their completeness block.
        var sqliteReport = try await sqlite.districtReport(campaign: campaign, under: nil, asOf: Self.today)
        sqliteReport.completeness = nil
        #expect(try await pg.check().passed)
        #expect(try await pg.coverageReport(campaign: campaign, options: options).rendered(as: .csv, labels: Labels(.en))
            == expectedCoverage)
        var pgReport = try await pg.districtReport(campaign: campaign, under: nil, asOf: Self.today)
        pgReport.completeness = nil
        #expect(pgReport.markdown(labels: Labels(.en)) == sqliteReport.markdown(labels: Labels(.en)))
    }

    @Test("merging the same bundle twice changes nothing and names the first merge")
    func twice() async throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let sqlite = try await Self.demoStore(in: lab)
        let header = try await Self.export(sqlite, to: lab.path("sqlite.bundle"))
        let pg = try await Self.freshPostgres()
        _ = try await Self.merge(lab.path("sqlite.bundle"), into: pg)
        let before = try await Self.counts(pg)
        let again = try await Self.merge(lab.path("sqlite.bundle"), into: pg)
        #expect(again.previousMerge != nil)
        #expect(again.added == 0)
        let c = header.counts
        let present: [Int] = [again.areas.present, again.teams.present, again.members.present, again.sessions.present,
                              again.voids.present, again.sessionMetrics.present, again.leafletMoves.present]
        #expect(present == Array(c.values.prefix(7)))
        #expect(try await Self.counts(pg) == before)
        // As SQLite says of the same second merge.
        let twiceOnSQLite = try Store.inMemory()
        _ = try await Self.merge(lab.path("sqlite.bundle"), into: twiceOnSQLite)
        var expected = try await Self.merge(lab.path("sqlite.bundle"), into: twiceOnSQLite)
        expected.previousMerge = again.previousMerge
        #expect(again == expected)
    }

    /// A bundle with a session both workspaces hold under the same id with other counts, and a
    /// new area (which a refused merge must not bring in).
    static func conflicting(_ lab: BundleLab, session: String) throws -> String {
        try lab.handMade("conflict.bundle", [
            #"["area","16282-99","Thôn Mới","hamlet",null,"16282",null,null,null,null,""]"#,
            #"["session","\#(session)","2026-11-02","16282-01",null,null,99,null,null,3,null,null,null,null,"Họp thôn",null,null,null]"#,
        ])
    }

    @Test("a conflicting bundle is refused whole, with SQLite's words; set aside, it merges as on SQLite")
    func conflict() async throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let sqlite = try BundleLab.seeded()
        let id = try BundleLab.log(sqlite, "16282-01", "2026-11-02", eid: 7, leaflets: 3, notes: "Họp thôn")
        try lab.export(sqlite, "base.bundle", scope: BundleScope(includePhones: true))
        let pg = try await Self.freshPostgres()
        _ = try await Self.merge(lab.path("base.bundle"), into: pg)
        let path = try Self.conflicting(lab, session: id)
        let before = try await Self.counts(pg)

        var refusedOnSQLite: MergeRefused? = nil
        do { _ = try await Self.merge(path, into: sqlite) } catch let error as MergeRefused { refusedOnSQLite = error }
        let expected = try #require(refusedOnSQLite)
        await #expect(throws: expected) { try await Self.merge(path, into: pg) }
        #expect(try await Self.counts(pg) == before)

        let onSQLite = try await Self.merge(path, into: sqlite, setAside: true)
        let onPostgres = try await Self.merge(path, into: pg, setAside: true)
        #expect(onPostgres == onSQLite)
        #expect(onPostgres.sessions.setAside == 1 && onPostgres.areas.new == 1)
    }

    @Test("copies that changed the same rows merge into PostgreSQL as into SQLite: renames, voids, replacements, teams, members by name",
          arguments: [("a", "b", true), ("b", "a", false), ("a", "c", false), ("c", "a", true), ("b", "c", true)])
    func copiesMergeAlike(into target: String, from source: String, phones: Bool) async throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (a, b, c) = try threeCopies(lab)
        let stores = ["a": a, "b": b, "c": c]
        let here = try #require(stores[target]), there = try #require(stores[source])
        let pg = try await Self.freshPostgres()
        _ = try await Self.export(here, to: lab.path("here.bundle"))
        _ = try await Self.merge(lab.path("here.bundle"), into: pg)
        let path = lab.path("there.bundle")
        _ = try await Self.export(there, to: path, scope: BundleScope(includePhones: phones))

        var onSQLite = try await Self.merge(path, into: here)
        var onPostgres = try await Self.merge(path, into: pg)
        // SQLite's copy may have merged this very bundle before; PostgreSQL's has not.
        onSQLite.previousMerge = nil
        onPostgres.previousMerge = nil
        #expect(onPostgres == onSQLite)
        // A has merged all of B's work before; every other pair brings something new.
        #expect(onSQLite.added > 0 || (target, source) == ("a", "b"))
        let after = (sqlite: try await Self.export(here, to: lab.path("sqlite-after.bundle")),
                     pg: try await Self.export(pg, to: lab.path("pg-after.bundle")))
        #expect(after.pg.contentDigest == after.sqlite.contentDigest)
        #expect(after.pg.counts.data == after.sqlite.counts.data)
    }

    @Test("a session voided differently in two copies, one replacing it, merges both ways as on SQLite", arguments: [false, true])
    func twoVoids(reversed: Bool) async throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let x = try BundleLab.seeded()
        let id = try x.logSession(NewSession(day: Day(parsing: "2026-11-02")!, area: "16282-01", metrics: MetricValues([.eidL2: 5]),
                                             campaignCounts: ["qr_payments": 2]), today: BundleLab.today, campaignMetrics: ["qr_payments"]).id
        let y = try Store.inMemory()
        try BundleLab.merge(try lab.export(x, "base.bundle", scope: BundleScope(includePhones: true)), into: y)
        _ = try x.voidSession(id, reason: "trùng", on: Day(parsing: "2026-11-10")!)
        let replacement = try y.logSession(NewSession(day: Day(parsing: "2026-11-02")!, area: "16282-01", metrics: MetricValues([.eidL2: 6]),
                                                      campaignCounts: ["qr_payments": 3]), today: BundleLab.today, replacing: id,
                                           reason: "sai số", campaignMetrics: ["qr_payments"])
        _ = try y.logSession(NewSession(day: Day(parsing: "2026-11-04")!, area: "16282-02", metrics: MetricValues([.eidL2: 1])),
                             today: BundleLab.today)
        let (here, there) = reversed ? (y, x) : (x, y)
        let pg = try await Self.freshPostgres()
        _ = try await Self.export(here, to: lab.path("here.bundle"))
        _ = try await Self.merge(lab.path("here.bundle"), into: pg)
        let path = lab.path("there.bundle")
        _ = try await Self.export(there, to: path)
        let onSQLite = try await Self.merge(path, into: here)
        let onPostgres = try await Self.merge(path, into: pg)
        #expect(onPostgres == onSQLite)
        #expect(onSQLite.voids.updated + onSQLite.voids.setAside == 1)
        #expect(!replacement.id.isEmpty)
        #expect(try await Self.export(pg, to: lab.path("pg-after.bundle")).contentDigest
            == (try await Self.export(here, to: lab.path("sqlite-after.bundle"))).contentDigest)
    }

    @Test("a bundle of format 1 (sessions without row keys) merges as on SQLite")
    func formatOne() async throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let path = try lab.handMade("v1.bundle", [
            #"["area","404","Huyện Nông Cống","district",null,null,null,null,null,null,""]"#,
            #"["area","16282","Xã Tân Phúc","commune",null,"404",null,null,null,null,""]"#,
            #"["session","0b6c1a3e-5f2d-4c8e-9a7b-1d2e3f405162","2026-11-02","16282",null,null,4,null,null,null,null,null,null,null,null,null,null,null]"#,
            #"["session","0b6c1a3e-5f2d-4c8e-9a7b-1d2e3f405163","2026-11-03","16282",null,null,5,null,null,null,null,null,null,null,null,"2026-11-04","trùng","0b6c1a3e-5f2d-4c8e-9a7b-1d2e3f405162"]"#,
        ], version: 1)
        let sqlite = try Store.inMemory()
        let pg = try await Self.freshPostgres()
        let expected = try await Self.merge(path, into: sqlite)
        #expect(try await Self.merge(path, into: pg) == expected)
        #expect(expected.sessions.new == 2 && expected.voids.new == 1)
        #expect(try await Self.export(pg, to: lab.path("a")).contentDigest == (try await Self.export(sqlite, to: lab.path("b"))).contentDigest)
    }

    @Test("check names the same items as SQLite's, finds totals not kept, and repair rebuilds them")
    func checkAndRepair() async throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let sqlite = try await Self.demoStore(in: lab)
        _ = try await Self.export(sqlite, to: lab.path("sqlite.bundle"))
        let pg = try await Self.freshPostgres()
        _ = try await Self.merge(lab.path("sqlite.bundle"), into: pg)
        // The merge's own inserts kept the running totals: nothing to repair.
        let checked = try await pg.check()
        #expect(checked.passed, "\(checked.items.filter { $0.status != .ok }.map(\.detail))")
        let onSQLite = try sqlite.check()
        let shared = ["sessions", "area tree", "row keys", "session counts", "monthly totals", "campaign period totals",
                      "campaign metric totals", "leaflet stock"]
        for name in shared {
            #expect(checked.items.first { $0.name == name } == onSQLite.items.first { $0.name == name }, "\(name)")
        }
        #expect(checked.items.map(\.name) == ["references", "schema", "triggers", "sessions", "area tree", "voids"] + shared.dropFirst(2))

        // A total gone wrong is found, named as SQLite names it, and repaired.
        try await pg.transaction { connection in
            try await connection.query("UPDATE area_month SET sessions = sessions + 1 WHERE month = (SELECT max(month) FROM area_month)",
                                       logger: PostgresWorkspace.quiet)
        }
        let damaged = try await pg.check()
        #expect(damaged.items.first { $0.name == "monthly totals" }?.status == .problem)
        #expect(damaged.repairable)
        #expect(try await pg.repair().totals > 0)
        #expect(try await pg.check() == checked)

        // A chain of replacements that loops back leaves nothing counted: named, and only a backup or new figures help.
        try await pg.transaction { connection in
            try await connection.query("""
                UPDATE session_void SET replaced_by = session_id
                WHERE session_id = (SELECT min(session_id) FROM session_void WHERE replaced_by IS NOT NULL)
                """, logger: PostgresWorkspace.quiet)
        }
        let looping = try await pg.check()
        #expect(looping.items.first { $0.name == "voids" }?.status == .problem)
        #expect(!looping.repairable)
    }
}
