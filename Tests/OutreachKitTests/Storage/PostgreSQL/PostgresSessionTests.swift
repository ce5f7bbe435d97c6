import Foundation
import GRDB
import PostgresNIO
import Testing
@testable import OutreachKit

/// A small province on both engines: the same rows inserted by the same SQL (areas and teams,
/// before their imports run on PostgreSQL), so that one sequence of writes can be compared.
enum SessionParity {
    /// Thanh Hóa › Nông Cống › two communes with one hamlet each; team T1 works in the first
    /// commune, T2 (inactive) in the second.
    static let seed = [
        "INSERT INTO area (code, name, level, search_key) VALUES ('38', 'Thanh Hóa', 'province', 'thanh hoa')",
        "INSERT INTO area (code, name, level, parent_id, search_key) VALUES ('404', 'Nông Cống', 'district', (SELECT id FROM area WHERE code = '38'), 'nong cong')",
        "INSERT INTO area (code, name, level, parent_id, search_key) VALUES ('16525', 'Xã Trung Chính', 'commune', (SELECT id FROM area WHERE code = '404'), 'xa trung chinh')",
        "INSERT INTO area (code, name, level, parent_id, search_key) VALUES ('16526', 'Xã Tế Lợi', 'commune', (SELECT id FROM area WHERE code = '404'), 'xa te loi')",
        "INSERT INTO area (code, name, level, parent_id, population, adults, households, search_key) VALUES ('16525-01', 'Thôn 1', 'hamlet', (SELECT id FROM area WHERE code = '16525'), 100, 60, 30, 'thon 1')",
        "INSERT INTO area (code, name, level, parent_id, population, adults, households, search_key) VALUES ('16526-01', 'Thôn Đông', 'hamlet', (SELECT id FROM area WHERE code = '16526'), 50, 30, 12, 'thon dong')",
        "INSERT INTO team (code, name, kind, area_id, status) VALUES ('T1', 'Tổ công nghệ số 1', 'digital', (SELECT id FROM area WHERE code = '16525'), 'active')",
        "INSERT INTO team (code, name, kind, area_id, status) VALUES ('T2', 'Đoàn thanh niên', 'volunteer', (SELECT id FROM area WHERE code = '16526'), 'inactive')",
    ]

    static func sqlite(_ extra: [String] = []) throws -> Store {
        let store = try Store.inMemory()
        try store.write { db in for statement in seed + extra { try db.execute(sql: statement) } }
        return store
    }

    static func postgres(_ extra: [String] = []) async throws -> PostgresWorkspace {
        let location = try await PostgresTestServer.freshDatabase()
        let workspace = try await PostgresWorkspace.open(location, create: true)
        for statement in seed + extra { try await PostgresTestServer.sql(location, statement) }
        return workspace
    }

    /// What a sequence did on one engine, as lines of text in which session ids are replaced by
    /// `#n`, the order the sequence made them (ids are random, so they differ between engines).
    struct Transcript {
        var lines: [String] = []
        var ids: [String] = []

        mutating func label(_ id: String) -> String {
            if let i = ids.firstIndex(of: id) { return "#\(i)" }
            ids.append(id)
            return "#\(ids.count - 1)"
        }

        /// `text` with every known id replaced by its label.
        func masked(_ text: String) -> String {
            ids.enumerated().reduce(text) { $0.replacingOccurrences(of: $1.element, with: "#\($1.offset)") }
        }

        mutating func record(_ what: String, _ body: () async throws -> String) async {
            do { lines.append(what + " → " + masked(try await body())) } catch {
                lines.append(what + " ✗ " + masked("\(error)") + " | " + masked((error as? any UserFacingError)?.message(in: Labels(.vi)) ?? ""))
            }
        }

        mutating func log(_ store: any WorkspaceStore, _ what: String, _ session: NewSession, today: Day,
                          replacing: String? = nil, reason: String? = nil, campaignMetrics: [String] = []) async {
            do {
                let logged = try await store.logSession(session, today: today, replacing: replacing, reason: reason,
                                                        campaignMetrics: campaignMetrics)
                let id = label(logged.id)
                lines.append("\(what) → \(id) replaced \(logged.replaced.map { masked($0) } ?? "-") warnings \(logged.warnings) masked \(logged.maskedNumbers)")
            } catch {
                lines.append(what + " ✗ " + masked("\(error)"))
            }
        }

        mutating func list(_ store: any WorkspaceStore, _ what: String, _ query: SessionQuery) async {
            let known = self
            await record(what) {
                try await store.sessions(query).map { entry in
                    var e = entry
                    e.id = known.masked(e.id)
                    if let replacedBy = e.voided?.replacedBy { e.voided?.replacedBy = known.masked(replacedBy) }
                    let json = JSONEncoder()
                    json.outputFormatting = [.sortedKeys]
                    return String(decoding: try json.encode(e), as: UTF8.self)
                }.joined(separator: "\n    ")
            }
        }
    }

    /// The running totals by area code, month and metric, one line a row, in SQL both engines run.
    static let totals = [
        "SELECT a.code || '|' || m.month || '|' || m.sessions || '|' || "
            + Metric.allCases.map { "COALESCE(CAST(m.\($0.code) AS TEXT), '-')" }.joined(separator: " || '|' || ")
            + " || '|' || m.last_day FROM area_month m JOIN area a ON a.id = m.area_id WHERE m.sessions > 0 ORDER BY a.code, m.month",
        "SELECT a.code || '|' || m.metric || '|' || m.month || '|' || m.value FROM area_month_metric m JOIN area a ON a.id = m.area_id "
            + "WHERE m.value > 0 ORDER BY a.code, m.metric, m.month",
    ]

    static let day = Day(year: 2026, month: 11, day: 2)!
    static let today = Day(year: 2026, month: 11, day: 10)!

    /// Logs, replaces, voids and lists, with every error case of these operations.
    static func script(_ store: any WorkspaceStore) async -> [String] {
        var t = Transcript()
        let metrics = ["zalo_oa", "vneid_dv"]
        await t.log(store, "plain", NewSession(day: day, area: "16525-01", team: "T1", loggedBy: "  Lê  Thị Hoa ",
                                                 metrics: MetricValues([.eidL2: 5, .leaflets: 20]),
                                                 notes: "gọi 0912345678 để hẹn"), today: today)
        await t.log(store, "warnings", NewSession(day: Day(year: 2026, month: 11, day: 20)!, area: "16525-01", team: "T2",
                                                    metrics: MetricValues([.eidL2: 70, .householdsVisited: 31, .peopleReached: 101])),
                    today: today)
        await t.log(store, "campaign", NewSession(day: day, area: "16526-01", metrics: MetricValues([.dvcGuided: 3]),
                                                    campaignCounts: ["zalo_oa": 4, "vneid_dv": 0]),
                    today: today, campaignMetrics: metrics)
        await t.log(store, "only campaign", NewSession(day: day.adding(days: 1), area: "16526", campaignCounts: ["zalo_oa": 2]),
                    today: today, campaignMetrics: metrics)
        await t.log(store, "nothing", NewSession(day: day, area: "16525-01"), today: today)
        await t.log(store, "unknown area", NewSession(day: day, area: "99999", metrics: MetricValues([.eidL2: 1])), today: today)
        await t.log(store, "unknown team", NewSession(day: day, area: "16525-01", team: "T9", metrics: MetricValues([.eidL2: 1])),
                    today: today)
        await t.log(store, "too many", NewSession(day: day, area: "16525-01", metrics: MetricValues([.eidL2: 1_000_000_001])),
                    today: today)
        await t.log(store, "undeclared", NewSession(day: day, area: "16525-01", campaignCounts: ["zalo_oa": 1]), today: today)
        await t.log(store, "undeclared, others declared", NewSession(day: day, area: "16525-01", campaignCounts: ["x": 1]),
                    today: today, campaignMetrics: metrics)
        let first = t.ids[0], second = t.ids[1]
        let correction = NewSession(day: day, area: "16525-01", team: "T1", metrics: MetricValues([.eidL2: 6]))
        await t.log(store, "replace, no reason", correction, today: today, replacing: first, reason: "  ")
        await t.log(store, "replace unknown", correction, today: today, replacing: "ffffffff-ffff-4fff-bfff-ffffffffffff",
                    reason: "sai số")
        await t.log(store, "replace", correction, today: today, replacing: "  " + first.uppercased() + " ", reason: " sai số ")
        await t.log(store, "replace again", correction, today: today, replacing: first, reason: "lần nữa")
        await t.record("void, no reason") { try await store.voidSession(second, reason: " ", on: today) }
        await t.record("void by prefix") { try await store.voidSession(String(second.prefix(13)), reason: "trùng", on: today) }
        await t.record("void again") { try await store.voidSession(second, reason: "trùng", on: today) }
        await t.record("void the replaced") { try await store.voidSession(first, reason: "x", on: today) }
        await t.record("void short prefix") { try await store.voidSession("abc", reason: "x", on: today) }
        await t.record("void not hex") { try await store.voidSession("xyz-123", reason: "x", on: today) }
        await t.record("void nobody") { try await store.voidSession("0000000", reason: "x", on: today) }
        await t.list(store, "live", SessionQuery())
        await t.list(store, "all", SessionQuery(includeVoided: true))
        await t.list(store, "under 16526", SessionQuery(under: "16526", includeVoided: true))
        await t.list(store, "under 404, from, to", SessionQuery(under: "404", from: day, to: day))
        await t.list(store, "team T1", SessionQuery(team: "T1", includeVoided: true))
        await t.list(store, "under unknown", SessionQuery(under: "1"))
        await t.list(store, "team unknown", SessionQuery(team: "T3"))
        return t.lines
    }
}

@Suite("Sessions on PostgreSQL: logged, voided and listed as on SQLite", .enabled(if: PostgresTestServer.available))
struct PostgresSessionTests {
    @Test("One sequence of logs, replacements, voids and lists gives the same results, warnings and errors on both engines")
    func parity() async throws {
        let store = try SessionParity.sqlite(), workspace = try await SessionParity.postgres()
        let sqlite = await SessionParity.script(store)
        let postgres = await SessionParity.script(workspace)
        #expect(postgres.count == sqlite.count)
        for (s, p) in zip(sqlite, postgres) { #expect(p == s) }
        // The sequence meets what it is meant to meet (on SQLite, the reference).
        let errors = sqlite.filter { $0.contains(" ✗ ") }.count
        #expect(errors == 17, "\(sqlite.joined(separator: "\n"))")
        #expect(sqlite.contains { $0.hasPrefix("replace →") && $0.contains("replaced #0") })
        #expect(sqlite.contains { $0.hasPrefix("void again ✗ alreadyVoided(\"#1\"") })
        #expect(sqlite.contains { $0.hasPrefix("plain →") && $0.hasSuffix("masked 1") })
        // The running totals (kept on PostgreSQL by the triggers of migration pg2-totals) hold
        // the live sessions as SQLite's do: the replaced and the voided left them.
        let triggers = try await workspace.read { connection in
            try await PostgresWorkspace.id(connection, "SELECT count(*) FROM outreach_migration WHERE name LIKE 'pg2-totals%'")
        }
        if triggers == 1 {
            for sql in SessionParity.totals {
                let expected = try store.read { try String.fetchAll($0, sql: sql) }
                let got = try await workspace.read { connection in
                    var lines: [String] = []
                    for try await line in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresWorkspace.quiet)
                        .decode(String.self) { lines.append(line) }
                    return lines
                }
                #expect(got == expected)
                #expect(!expected.isEmpty)
            }
        }
    }

    @Test("An id prefix shared by two sessions is ambiguous; the whole id, in any case or with braces, finds one")
    func prefixes() async throws {
        let a = "abcd0000000040008000000000000001", b = "abcd0000000040008000000000000002"
        func insert(blob: String) -> String {
            "INSERT INTO session (uuid, day, area_id, eid_l2) VALUES (\(blob), 20000, (SELECT id FROM area WHERE code = '16525-01'), 1)"
        }
        let sqlite = try SessionParity.sqlite([insert(blob: "X'\(a)'"), insert(blob: "X'\(b)'")])
        let postgres = try await SessionParity.postgres([insert(blob: "'\\x\(a)'::bytea"), insert(blob: "'\\x\(b)'::bytea")])
        for store in [sqlite as any WorkspaceStore, postgres] {
            await #expect(throws: SessionError.ambiguousSession("ABCD", matches: 2)) {
                try await store.voidSession("ABCD", reason: "x", on: SessionParity.today)
            }
            await #expect(throws: SessionError.ambiguousSession("abcd-0000", matches: 2)) {
                try await store.voidSession("abcd-0000", reason: "x", on: SessionParity.today)
            }
            let whole = "{ABCD0000-0000-4000-8000-000000000002}"
            #expect(try await store.voidSession(whole, reason: "x", on: SessionParity.today) == "abcd0000-0000-4000-8000-000000000002")
            #expect(try await store.voidSession("abcd0000000040008000000000000001", reason: "x", on: SessionParity.today)
                    == "abcd0000-0000-4000-8000-000000000001")
            await #expect(throws: SessionError.unknownSession("abce")) {
                try await store.voidSession("abce", reason: "x", on: SessionParity.today)
            }
        }
    }

    @Test("Ten concurrent voids of one session make one void; the nine others say it is already voided, with the winner's reason")
    func concurrentVoids() async throws {
        let workspace = try await SessionParity.postgres()
        let id = try await workspace.logSession(NewSession(day: SessionParity.day, area: "16525-01", metrics: MetricValues([.eidL2: 1])),
                                                today: SessionParity.today, replacing: nil, reason: nil, campaignMetrics: []).id
        let outcomes = await withTaskGroup(of: Result<String, any Error>.self) { group in
            for i in 0..<10 {
                group.addTask {
                    do { return .success(try await workspace.voidSession(id, reason: "lý do \(i)", on: SessionParity.today)) } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { (try? $0.get()) == id }.count == 1)
        let voided = try await workspace.sessions(SessionQuery(includeVoided: true))
        try #require(voided.count == 1)
        let reason = try #require(voided[0].voided?.reason)
        for case let .failure(error) in outcomes {
            #expect(error as? SessionError == .alreadyVoided(id, on: SessionParity.today, reason: reason))
        }
        #expect(outcomes.count == 10)
    }

    @Test("A replacement racing a void of the same session: one wins, and a lost replacement leaves no new session behind")
    func replaceRacesVoid() async throws {
        let workspace = try await SessionParity.postgres()
        for _ in 0..<5 {
            let id = try await workspace.logSession(NewSession(day: SessionParity.day, area: "16525-01", metrics: MetricValues([.eidL2: 1])),
                                                    today: SessionParity.today, replacing: nil, reason: nil, campaignMetrics: []).id
            let correction = NewSession(day: SessionParity.day, area: "16525-01", metrics: MetricValues([.eidL2: 2]))
            async let replaced = outcome { try await workspace.logSession(correction, today: SessionParity.today, replacing: id,
                                                                          reason: "sửa", campaignMetrics: []) }
            async let voided = outcome { try await workspace.voidSession(id, reason: "hủy", on: SessionParity.today) }
            let (r, v) = await (replaced, voided)
            switch (r, v) {
            case (.success, .failure(let error)): #expect(error as? SessionError == .alreadyVoided(id, on: SessionParity.today, reason: "sửa"))
            case (.failure(let error), .success): #expect(error as? SessionError == .alreadyVoided(id, on: SessionParity.today, reason: "hủy"))
            default: Issue.record("both or neither won: \(r), \(v)")
            }
        }
        let all = try await workspace.sessions(SessionQuery(includeVoided: true))
        let live = try await workspace.sessions(SessionQuery())
        #expect(all.count - live.count == 5)  // each first session voided once
        #expect(all.filter { $0.metrics["eid_l2"] == 2 }.count == live.count)  // every kept replacement is live
        #expect(all.count == 5 + live.count)
    }

    @Test("Fifty concurrent logs in one process: fifty sessions, fifty ids")
    func concurrentLogs() async throws {
        let workspace = try await SessionParity.postgres()
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<50 {
                group.addTask {
                    try await workspace.logSession(NewSession(day: SessionParity.day, area: i % 2 == 0 ? "16525-01" : "16526-01",
                                                              metrics: MetricValues([.eidL2: i])),
                                                   today: SessionParity.today, replacing: nil, reason: nil, campaignMetrics: []).id
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(ids).count == 50)
        let listed = try await workspace.sessions(SessionQuery())
        #expect(Set(listed.map(\.id)) == Set(ids))
        #expect(listed.map { $0.metrics["eid_l2"] ?? -1 }.sorted() == Array(0..<50))
    }
}

/// What `body` returned or threw.
private func outcome<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
