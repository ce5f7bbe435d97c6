import Foundation
import GRDB
import GRDBSQLite

// Areas through time on SQLite (`HistorySQL`; the rules are in `AreaChanges`).
extension Store {
    public func areaHistory() throws -> AreaHistory {
        try read { db in try Store.areaHistory(db) }
    }

    /// Whether the workspace has any dated history (cheap: trees are today's without it).
    public func hasDatedAreas() throws -> Bool {
        try read { db in try Int.fetchOne(db, sql: HistorySQL.anyDated) ?? 0 > 0 }
    }

    public func changeAreas(_ make: @Sendable (AreaHistory) throws -> AreaChangePlan) throws -> AreaChangePlan {
        try write { db in
            let plan = try make(try Store.areaHistory(db))
            guard !plan.isEmpty else { return plan }
            try db.execute(sql: "DROP TABLE IF EXISTS temp.area_step")
            try db.execute(sql: HistorySQL.stepTable)
            try db.execute(sql: HistorySQL.stepIndex)
            let by = plan.audit.first?.actor ?? Recorder.current.name
            let stamp = plan.audit.first?.stamp ?? Recorder.current.stamp()
            let insert = try Store.sharedStatement(db, HistorySQL.insertStep)
            for (seq, step) in plan.steps.enumerated() {
                try insert.execute(arguments: Store.arguments(step.values(seq: seq, by: by, stamp: stamp)))
            }
            for sql in HistorySQL.apply { try db.execute(sql: sql) }
            try db.execute(sql: "DROP TABLE temp.area_step")
            for entry in plan.audit { try Store.audit(db, entry) }
            return plan
        }
    }

    /// Read through the C API: a national workspace after a reform holds about 100,000 areas,
    /// 100,000 earlier versions and 120,000 dated changes, and every dated report starts here.
    static func areaHistory(_ db: Database) throws -> AreaHistory {
        func day(_ n: Int?) -> Day? { n.map(Day.init(number:)) }
        func rows(_ sql: String, _ body: (SQLiteColumns) -> Void) throws {
            let statement = try db.makeStatement(sql: sql)
            let c = SQLiteColumns(statement.sqliteStatement)
            defer { sqlite3_reset(c.stmt) }
            while try c.step(db) { body(c) }
        }
        func version(_ c: SQLiteColumns, from first: Int32) -> AreaHistory.Version {
            AreaHistory.Version(
                name: c.text(first) ?? "", level: AreaLevel(rawValue: c.text(first + 1) ?? "") ?? .hamlet, localKind: c.text(first + 2),
                parentID: c.int(first + 3).map(Int64.init),
                attributes: AreaAttributes(population: c.int(first + 4), adults: c.int(first + 5), workingAge: c.int(first + 6),
                                           households: c.int(first + 7)),
                from: day(c.int(first + 8)), to: day(c.int(first + 9)))
        }
        var pending: [Int64: [AreaHistory.Version]] = [:]
        try rows(HistorySQL.versions) { c in pending[Int64(c.int(0) ?? 0), default: []].append(version(c, from: 1)) }
        var units: [AreaHistory.Unit] = []
        try rows(HistorySQL.areas) { c in
            let id = Int64(c.int(0) ?? 0)
            let current = version(c, from: 2)
            units.append(AreaHistory.Unit(id: id, code: c.text(1) ?? "", versions: (pending[id] ?? []) + [current]))
        }
        var changes: [AreaHistory.Change] = []
        try rows(HistorySQL.changes) { c in
            changes.append(AreaHistory.Change(areaID: Int64(c.int(0) ?? 0), day: Day(number: c.int(1) ?? 0), kind: c.text(2) ?? "",
                                              oldName: c.text(3), oldParentID: c.int(4).map(Int64.init), otherID: c.int(5).map(Int64.init),
                                              basis: c.text(6), by: c.text(7), recorded: c.text(8)))
        }
        return AreaHistory(units: units, changes: changes)
    }
}
