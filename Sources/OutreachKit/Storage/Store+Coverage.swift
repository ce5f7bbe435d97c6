import GRDB
import GRDBSQLite

extension Store {
    /// Live session totals per area (the session's own area, not rolled up) for the sessions
    /// dated from `start` to the earlier of `end` and `asOf`, by area id.
    ///
    /// The period's running totals are built on first use (one pass over its sessions through
    /// the day index) and kept current by every write afterwards, so "as of today" reads one
    /// row per area whatever the number of sessions. An as-of day before the period's last
    /// session is answered from the monthly totals of the whole months and the sessions of the
    /// partial months at each end.
    ///
    /// With `areas`, only those areas are read (a report under one commune).
    public func periodTotals(start: Day, end: Day, asOf: Day, areas: [Int64]? = nil) throws -> [Int64: AreaTotals] {
        let filter = areas.map { " AND area_id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
        let through = min(end, asOf)
        if through < start { return [:] }
        let periodID = try read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM period WHERE start = ? AND end = ?", arguments: [start.number, end.number])
        } ?? write { db in try Store.registerPeriod(db, start: start.number, end: end.number) }
        return try read { db in
            let maxID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM area") ?? 0
            var dense = DenseTotals(size: Int(maxID) + 1)
            try dense.add(db, sql: """
                SELECT area_id, sessions, last_day, \(Store.metricColumns) FROM period_total WHERE period_id BETWEEN ? AND ?\(filter)
                """, Int(periodID), Int(periodID))
            let totals = dense.dictionary()
            let last = totals.values.compactMap(\.lastDay).max()
            guard let last, last > through else { return totals }
            return try Store.totalsBetween(db, from: start.number, to: through.number, filter: filter)
        }
    }

    /// The metric columns, comma-separated, in `Metric.allCases` order.
    static let metricColumns = Metric.allCases.map(\.code).joined(separator: ", ")

    /// Adds a period and builds its totals from the live sessions; returns its id. Idempotent
    /// under concurrent writers (the period is unique).
    static func registerPeriod(_ db: Database, start: Int, end: Int) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM period WHERE start = ? AND end = ?", arguments: [start, end]) {
            return id
        }
        try db.execute(sql: "INSERT INTO period (start, end) VALUES (?, ?)", arguments: [start, end])
        let id = db.lastInsertedRowID
        let totals = try totalsBetween(db, from: start, to: end)
        let statement = try db.makeStatement(sql: """
            INSERT INTO period_total (period_id, area_id, sessions, \(metricColumns), last_day)
            VALUES (?, ?, ?, \(Metric.allCases.map { _ in "?" }.joined(separator: ", ")), ?)
            """)
        for area in totals.keys.sorted() {
            let t = totals[area]!
            var args: [(any DatabaseValueConvertible)?] = [id, area, t.sessions]
            for v in t.metrics.values { args.append(v) }
            args.append(t.lastDay?.number)
            try statement.execute(arguments: StatementArguments(args))
        }
        return id
    }

    /// Totals of live sessions dated `from`…`to` (day numbers, inclusive): whole months from
    /// `area_month`, partial months from the sessions themselves (through the day index).
    ///
    /// Summed in Swift into arrays indexed by area id (ids are dense), rather than by SQL
    /// GROUP BYs that would sort millions of buckets or sessions at national scale.
    static func totalsBetween(_ db: Database, from: Int, to: Int, filter: String = "") throws -> [Int64: AreaTotals] {
        let first = Day(number: from), last = Day(number: to)
        func monthStart(_ m: Int) -> Int { Day(year: 1970 + m / 12, month: m % 12 + 1, day: 1)!.number }
        let firstMonth = first.monthIndex, lastMonth = last.monthIndex
        // Whole months inside the range (the end months too when they are whole).
        let wholeFrom = from == monthStart(firstMonth) ? firstMonth : firstMonth + 1
        let wholeTo = to == monthStart(lastMonth + 1) - 1 ? lastMonth : lastMonth - 1
        let maxID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM area") ?? 0
        var sums = DenseTotals(size: Int(maxID) + 1)
        let columns = Metric.allCases.map(\.code).joined(separator: ", ")
        let monthSQL = "SELECT area_id, sessions, last_day, \(columns) FROM area_month WHERE month BETWEEN ? AND ?\(filter)"
        let sessionSQL = """
            SELECT s.area_id, 1, s.day, \(Metric.allCases.map { "s.\($0.code)" }.joined(separator: ", "))
            FROM session s WHERE s.day BETWEEN ? AND ?\(filter.replacingOccurrences(of: "area_id", with: "s.area_id"))
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            """
        if wholeFrom <= wholeTo {
            try sums.add(db, sql: monthSQL, wholeFrom, wholeTo)
            if wholeFrom > firstMonth { try sums.add(db, sql: sessionSQL, from, monthStart(wholeFrom) - 1) }
            if wholeTo < lastMonth { try sums.add(db, sql: sessionSQL, monthStart(wholeTo + 1), to) }
        } else {
            try sums.add(db, sql: sessionSQL, from, to)
        }
        return sums.dictionary()
    }

}

/// Totals per area id in flat arrays (area ids are dense), filled from query rows of
/// `area_id, sessions, day, <metrics…>` read through the C API.
struct DenseTotals {
    private var sessions: [Int]
    private var lastDay: [Int]
    private var sums: [Int]
    private var recorded: [Bool]
    private static let width = MetricValues.width

    init(size: Int) {
        sessions = Array(repeating: 0, count: size)
        lastDay = Array(repeating: Int.min, count: size)
        sums = Array(repeating: 0, count: size * DenseTotals.width)
        recorded = Array(repeating: false, count: size * DenseTotals.width)
    }

    mutating func add(_ db: Database, sql: String, _ a: Int, _ b: Int) throws {
        let statement = try db.makeStatement(sql: sql)
        let stmt = statement.sqliteStatement
        sqlite3_bind_int64(stmt, 1, Int64(a))
        sqlite3_bind_int64(stmt, 2, Int64(b))
        defer { sqlite3_reset(stmt) }
        let width = DenseTotals.width
        try sessions.withUnsafeMutableBufferPointer { sessions in
        try lastDay.withUnsafeMutableBufferPointer { lastDay in
        try sums.withUnsafeMutableBufferPointer { sums in
        try recorded.withUnsafeMutableBufferPointer { recorded in
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                let area = Int(sqlite3_column_int64(stmt, 0))
                guard area >= 0, area < sessions.count else { continue }
                sessions[area] += Int(sqlite3_column_int64(stmt, 1))
                let day = Int(sqlite3_column_int64(stmt, 2))
                if day > lastDay[area] { lastDay[area] = day }
                let base = area * width
                for i in 0..<width where sqlite3_column_type(stmt, Int32(3 + i)) != SQLITE_NULL {
                    sums[base + i] += Int(sqlite3_column_int64(stmt, Int32(3 + i)))
                    recorded[base + i] = true
                }
            }
        } } } }
    }

    /// The areas with at least one session.
    func dictionary() -> [Int64: AreaTotals] {
        var out: [Int64: AreaTotals] = [:]
        let width = DenseTotals.width
        for area in sessions.indices where sessions[area] > 0 {
            var metrics = MetricValues()
            for i in 0..<width where recorded[area * width + i] { metrics.values[i] = sums[area * width + i] }
            out[Int64(area)] = AreaTotals(sessions: sessions[area], metrics: metrics, lastDay: Day(number: lastDay[area]))
        }
        return out
    }
}
