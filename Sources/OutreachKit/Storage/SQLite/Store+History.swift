import Foundation
import GRDB

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
            let insert = try db.makeStatement(sql: HistorySQL.insertStep)
            let by = plan.audit.first?.actor ?? Recorder.current.name
            let stamp = plan.audit.first?.stamp ?? Recorder.current.stamp()
            for (seq, step) in plan.steps.enumerated() {
                try insert.execute(arguments: Store.arguments(step.values(seq: seq, by: by, stamp: stamp)))
            }
            for sql in HistorySQL.apply { try db.execute(sql: sql) }
            try db.execute(sql: "DROP TABLE temp.area_step")
            for entry in plan.audit { try Store.audit(db, entry) }
            return plan
        }
    }

    static func areaHistory(_ db: Database) throws -> AreaHistory {
        func day(_ n: Int?) -> Day? { n.map(Day.init(number:)) }
        var pending: [Int64: [AreaHistory.Version]] = [:]
        for r in try Row.fetchAll(db, sql: HistorySQL.versions) {
            pending[r[0], default: []].append(AreaHistory.Version(
                name: r[1], level: AreaLevel(rawValue: r[2]) ?? .hamlet, localKind: r[3], parentID: r[4],
                attributes: AreaAttributes(population: r[5], adults: r[6], workingAge: r[7], households: r[8]),
                from: day(r[9]), to: day(r[10])))
        }
        var units: [AreaHistory.Unit] = []
        let cursor = try Row.fetchCursor(db, sql: HistorySQL.areas)
        while let r = try cursor.next() {
            let id: Int64 = r[0]
            let current = AreaHistory.Version(
                name: r[2], level: AreaLevel(rawValue: r[3]) ?? .hamlet, localKind: r[4], parentID: r[5],
                attributes: AreaAttributes(population: r[6], adults: r[7], workingAge: r[8], households: r[9]),
                from: day(r[10]), to: day(r[11]))
            units.append(AreaHistory.Unit(id: id, code: r[1], versions: (pending[id] ?? []) + [current]))
        }
        let changes = try Row.fetchAll(db, sql: HistorySQL.changes).map { r in
            AreaHistory.Change(areaID: r[0], day: Day(number: r[1]), kind: r[2], oldName: r[3], oldParentID: r[4],
                               otherID: r[5], basis: r[6], by: r[7], recorded: r[8])
        }
        return AreaHistory(units: units, changes: changes)
    }
}
