import GRDB
import GRDBSQLite

extension Store {
    /// The area `areaID` and every unit above it, nearest first (`ClosingSQL.chain`).
    static func areaChain(_ db: Database, _ areaID: Int64) throws -> [AreaLink] {
        try Row.fetchAll(db, sql: ClosingSQL.chain, arguments: [areaID]).map { AreaLink(id: $0[0], code: $0[1]) }
    }

    /// Folds the live sessions `scan` selects, stepped through the C API (`SessionScanSQL`): a
    /// whole country's million sessions without a GRDB row or a `String` per session.
    public func scanSessions<State: Sendable>(_ scan: SessionScan, into initial: State,
                                              _ fold: @Sendable (inout State, ScannedSession) -> Void) throws -> State {
        try read { db in
            var root: Int64? = nil
            if let under = scan.under {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM area WHERE code = ?", arguments: [under]) else {
                    throw SessionError.unknownArea(under)
                }
                root = id
            }
            var state = initial
            guard scan.from <= scan.through else { return state }
            let statement = try db.makeStatement(sql: SessionScanSQL.select(scan, under: root != nil, parameter: { "?\($0)" }))
            var arguments: [(any DatabaseValueConvertible)?] = root.map { [$0] } ?? []
            arguments += [scan.from.number, scan.through.number]
            arguments += SessionScanSQL.campaignMetrics(scan).map { $0 }
            try statement.setArguments(StatementArguments(arguments))
            let stmt = statement.sqliteStatement
            defer { sqlite3_reset(stmt) }
            var session = ScannedSession(row: 0, uuidHigh: 0, uuidLow: 0, day: Day(number: 0), area: 0, team: nil,
                                         values: [Int?](repeating: nil, count: scan.metrics.count))
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                session.row = sqlite3_column_int64(stmt, 0)
                if sqlite3_column_bytes(stmt, 1) == 16, let blob = sqlite3_column_blob(stmt, 1) {
                    (session.uuidHigh, session.uuidLow) = ScannedSession.halves(blob)
                }
                session.day = Day(number: Int(sqlite3_column_int64(stmt, 2)))
                session.area = sqlite3_column_int64(stmt, 3)
                session.team = sqlite3_column_type(stmt, 4) == SQLITE_NULL ? nil : sqlite3_column_int64(stmt, 4)
                for i in 0..<scan.metrics.count {
                    let column = Int32(5 + i)
                    session.values[i] = sqlite3_column_type(stmt, column) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(stmt, column))
                }
                fold(&state, session)
            }
            return state
        }
    }
}

/// The SELECT of a session scan, the same on both engines but for how a parameter is written.
enum SessionScanSQL {
    /// The campaign metrics (those not built in) of `scan`, in its order: read from
    /// `session_metric`, each bound as a parameter after the root and the two days.
    static func campaignMetrics(_ scan: SessionScan) -> [String] {
        scan.metrics.filter { Metric(code: $0) == nil }
    }

    /// Columns: row id, uuid, day, area id, team id, then `scan.metrics`. Numbered parameters
    /// (`parameter(n)`): the root's id (when `under`), the first and the last day, then each
    /// campaign metric's code.
    /// Over the whole tree the day is not looked up through its index (`+s.day`): reading the
    /// table in order beats a million look-ups in day order.
    static func select(_ scan: SessionScan, under: Bool, parameter: (Int) -> String) -> String {
        var next = 0
        func p() -> String { next += 1; return parameter(next) }
        let root = under ? "CAST(\(p()) AS BIGINT)" : ""
        let (from, through) = (p(), p())
        let columns = scan.metrics.map { code -> String in
            if Metric(code: code) != nil { return "s.\(code)" }
            return "(SELECT m.value FROM session_metric m WHERE m.session_id = s.id AND m.metric = CAST(\(p()) AS TEXT))"
        }
        let with = under ? "WITH RECURSIVE sub(id) AS (SELECT \(root) UNION ALL SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id) " : ""
        return """
            \(with)SELECT s.id, s.uuid, s.day, s.area_id, s.team_id\(columns.map { ", " + $0 }.joined())
            FROM session s
            WHERE \(under ? "s.area_id IN (SELECT id FROM sub) AND s.day" : "+s.day") BETWEEN \(from) AND \(through)
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            """
    }
}
