import Foundation
import GRDB
import Testing
@testable import OutreachKit

private func status(_ check: WorkspaceCheck, _ name: String) -> WorkspaceCheck.Status? {
    check.items.first { $0.name == name }?.status
}

/// A workspace with sessions, a void, a campaign period's totals and leaflets.
private func busy() throws -> Store {
    let store = try BundleLab.seeded()
    let first = try BundleLab.log(store, "16282-01", "2026-11-03", eid: 24, leaflets: 100)
    try BundleLab.log(store, "16282-02", "2026-10-05", eid: 17)
    try store.voidSession(first, reason: "duplicate", on: BundleLab.today)
    try BundleLab.log(store, "16282-01", "2026-11-04", eid: 2, leaflets: 50)
    _ = try store.periodTotals(start: Day(parsing: "2026-10-01")!, end: Day(parsing: "2026-12-31")!, asOf: BundleLab.today)
    _ = try store.receiveLeaflets(into: "16282", quantity: 100, on: Day(parsing: "2026-10-01")!)
    _ = try store.allocateLeaflets(from: "16282", to: "16282-01", quantity: 100, on: Day(parsing: "2026-10-02")!)
    return store
}

@Suite("outreach check: SQLite's integrity check and the product's invariants")
struct CheckTests {
    @Test("a workspace built by the product passes, with every item checked")
    func passes() throws {
        let check = try busy().check()
        #expect(check.passed)
        #expect(check.items.map(\.name) == ["SQLite integrity", "references", "schema", "sessions", "area tree", "row keys",
                                            "session counts", "monthly totals", "campaign period totals", "campaign metric totals",
                                            "leaflet stock"])
        #expect(check.items.allSatisfy { $0.status == .ok })
    }

    @Test("stored totals that differ from the sessions are found, and --repair rebuilds them", arguments: [
        "UPDATE area_month SET eid_l2 = eid_l2 + 1 WHERE month = (SELECT min(month) FROM area_month)",
        "DELETE FROM area_month WHERE month = (SELECT min(month) FROM area_month)",
        "UPDATE period_total SET sessions = 9",
        "INSERT INTO area_month (area_id, month, sessions, last_day) VALUES (1, 600, 1, 18000)",
    ])
    func totals(sql: String) throws {
        let store = try busy()
        try tamper(store, sql)
        let check = try store.check()
        #expect(!check.passed)
        #expect(check.repairable)
        let wrong = check.items.first { $0.status == .problem }
        #expect(wrong?.advice == "Run `outreach check --repair` to rebuild the running totals from the sessions.")
        _ = try store.repair()
        #expect(try store.check().passed)
    }

    @Test("a session in an area that does not exist fails the check, and only a backup helps")
    func orphanSession() throws {
        let store = try busy()
        try tamper(store, "INSERT INTO session (uuid, day, area_id, eid_l2) VALUES (randomblob(16), 20400, 999, 1)")
        let check = try store.check()
        #expect(status(check, "sessions") == .problem)
        #expect(status(check, "references") == .problem)
        #expect(!check.repairable)
        #expect(check.items.first { $0.name == "sessions" }?.advice == Store.restoreAdvice)
    }

    @Test("a missing index or trigger is found and re-created")
    func schema() throws {
        let store = try busy()
        try tamper(store, "DROP INDEX session_uuid; DROP TRIGGER session_never_deleted")
        let check = try store.check()
        #expect(check.items.first { $0.name == "schema" }?.detail == "missing: session_never_deleted, session_uuid")
        #expect(try store.repair().schemaObjects == ["session_never_deleted", "session_uuid"])
        #expect(try store.check().passed)
    }

    @Test("parents that form a cycle fail the check")
    func cycle() throws {
        let store = try busy()
        try tamper(store, "UPDATE area SET parent_id = (SELECT id FROM area WHERE code = '16282-01') WHERE code = '16282'")
        let check = try store.check()
        #expect(status(check, "area tree") == .problem)
        #expect(check.items.first { $0.name == "area tree" }?.detail.contains("16282 → 16282-01") == true)
    }

    @Test("stock below zero fails only where no allocation allowed it; handing out too many is a warning")
    func leaflets() throws {
        let store = try busy()
        _ = try store.allocateLeaflets(from: "404", to: "16285", quantity: 10, on: Day(parsing: "2026-10-03")!, allowNegative: true)
        _ = try BundleLab.log(store, "16282-02", "2026-11-06", eid: 1, leaflets: 30)
        let allowed = try store.check()
        #expect(allowed.passed)
        #expect(allowed.items.last?.status == .warning)
        #expect(allowed.items.last?.detail == "1 unit below zero through allocations recorded with --allow-negative; 1 unit handed out more leaflets than they received (flagged \"over\" by `outreach leaflets stock`)")
        // Two copies passed on the same 100 leaflets: merged, the commune is 100 short.
        try tamper(store, """
            INSERT INTO leaflet_move (uuid, day, from_area_id, to_area_id, quantity)
            SELECT randomblob(16), 20395, (SELECT id FROM area WHERE code = '16282'), (SELECT id FROM area WHERE code = '16282-02'), 100
            """)
        let short = try store.check()
        #expect(!short.passed)
        #expect(short.items.last?.detail == "1 unit passed on more leaflets than they received, and no allocation allowed it: 16282 has -100 on \(Labels(.en).date(Day(number: 20395)))")
    }

    @Test("a merge keeps the totals equal to the sessions")
    func afterMerge() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let source = try busy()
        let target = try BundleLab.seeded()
        _ = try target.periodTotals(start: Day(parsing: "2026-11-01")!, end: Day(parsing: "2026-11-30")!, asOf: BundleLab.today)
        try BundleLab.log(target, "16282-01", "2026-11-04", eid: 7)
        try BundleLab.merge(lab.export(source, "s.bundle"), into: target)
        #expect(try target.check().passed)
    }
}
