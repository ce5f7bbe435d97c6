import Foundation
import NIOCore
import PostgresNIO

// Areas through time on PostgreSQL (`HistorySQL`; the rules are in `AreaChanges`). The steps are
// sent with COPY into a temporary table, then applied set by set, as on SQLite.
extension PostgresWorkspace {
    public func areaHistory() async throws -> AreaHistory {
        try await read { connection in try await Self.areaHistory(connection) }
    }

    public func hasDatedAreas() async throws -> Bool {
        try await read { connection in
            try await Self.closingRows(connection, HistorySQL.anyDated, []) { $0[0].int ?? 0 }.first ?? 0 > 0
        }
    }

    public func changeAreas(_ make: @Sendable (AreaHistory) throws -> AreaChangePlan) async throws -> AreaChangePlan {
        try await transaction { connection in
            try await connection.query("LOCK TABLE area IN SHARE ROW EXCLUSIVE MODE", logger: Self.quiet)
            let plan = try make(try await Self.areaHistory(connection))
            guard !plan.isEmpty else { return plan }
            try await connection.query(PostgresQuery(unsafeSQL: HistorySQL.pgStepTable), logger: Self.quiet)
            try await connection.query(PostgresQuery(unsafeSQL: HistorySQL.stepIndex), logger: Self.quiet)
            let by = plan.audit.first?.actor ?? Recorder.current.name
            let stamp = plan.audit.first?.stamp ?? Recorder.current.stamp()
            var rows = CopyText()
            for (seq, step) in plan.steps.enumerated() {
                for value in step.values(seq: seq, by: by, stamp: stamp) {
                    switch value {
                    case let .text(t): rows.add(t)
                    case let .int(n): rows.add(n)
                    case let .double(d): rows.add(d.map { String($0) })
                    case .bytes: rows.null()
                    }
                }
                rows.endRow()
            }
            try await rows.copy(into: "area_step", HistorySQL.stepColumns, connection)
            try await connection.query("ANALYZE area_step", logger: Self.quiet)
            for sql in HistorySQL.apply { try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.quiet) }
            for entry in plan.audit { try await Self.audit(connection, entry) }
            return plan
        }
    }

    static func areaHistory(_ connection: PostgresConnection) async throws -> AreaHistory {
        func day(_ n: Int?) -> Day? { n.map(Day.init(number:)) }
        var pending: [Int64: [AreaHistory.Version]] = [:]
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: HistorySQL.versions), logger: quiet) {
            var c = row.makeIterator()
            let id = Int64(c.next()?.int ?? 0)
            pending[id, default: []].append(AreaHistory.Version(
                name: c.next()?.text ?? "", level: AreaLevel(rawValue: c.next()?.text ?? "") ?? .hamlet, localKind: c.next()?.text,
                parentID: c.next()?.int.map(Int64.init),
                attributes: AreaAttributes(population: c.next()?.int, adults: c.next()?.int, workingAge: c.next()?.int,
                                           households: c.next()?.int),
                from: day(c.next()?.int), to: day(c.next()?.int)))
        }
        var units: [AreaHistory.Unit] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: HistorySQL.areas), logger: quiet) {
            var c = row.makeIterator()
            let id = Int64(c.next()?.int ?? 0)
            let code = c.next()?.text ?? ""
            let current = AreaHistory.Version(
                name: c.next()?.text ?? "", level: AreaLevel(rawValue: c.next()?.text ?? "") ?? .hamlet, localKind: c.next()?.text,
                parentID: c.next()?.int.map(Int64.init),
                attributes: AreaAttributes(population: c.next()?.int, adults: c.next()?.int, workingAge: c.next()?.int,
                                           households: c.next()?.int),
                from: day(c.next()?.int), to: day(c.next()?.int))
            units.append(AreaHistory.Unit(id: id, code: code, versions: (pending[id] ?? []) + [current]))
        }
        var changes: [AreaHistory.Change] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: HistorySQL.changes), logger: quiet) {
            var c = row.makeIterator()
            changes.append(AreaHistory.Change(
                areaID: Int64(c.next()?.int ?? 0), day: Day(number: c.next()?.int ?? 0), kind: c.next()?.text ?? "",
                oldName: c.next()?.text, oldParentID: c.next()?.int.map(Int64.init), otherID: c.next()?.int.map(Int64.init),
                basis: c.next()?.text, by: c.next()?.text, recorded: c.next()?.text))
        }
        return AreaHistory(units: units, changes: changes)
    }
}
