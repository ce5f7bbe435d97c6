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
    public func periodTotals(start: Day, end: Day, asOf: Day) throws -> [Int64: AreaTotals] {
        let through = min(end, asOf)
        if through < start { return [:] }
        let periodID = try read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM period WHERE start = ? AND end = ?", arguments: [start.number, end.number])
        } ?? write { db in try Store.registerPeriod(db, start: start.number, end: end.number) }
        return try read { db in
            let totals = try Store.totals(db, sql: """
                SELECT area_id, sessions, last_day, \(Store.metricColumns) FROM period_total WHERE period_id = ?
                """, arguments: [periodID])
            let last = totals.values.compactMap(\.lastDay).max()
            guard let last, last > through else { return totals }
            return try Store.totalsBetween(db, from: start.number, to: through.number)
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
    /// `area_month`, partial months from the sessions themselves.
    static func totalsBetween(_ db: Database, from: Int, to: Int) throws -> [Int64: AreaTotals] {
        let first = Day(number: from), last = Day(number: to)
        let sessionsSQL = """
            SELECT s.area_id, count(*), max(s.day), \(Metric.allCases.map { "sum(s.\($0.code))" }.joined(separator: ", "))
            FROM session s WHERE s.day BETWEEN ? AND ?
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            GROUP BY s.area_id
            """
        func monthStart(_ m: Int) -> Int { Day(year: 1970 + m / 12, month: m % 12 + 1, day: 1)!.number }
        let firstMonth = first.monthIndex, lastMonth = last.monthIndex
        // Whole months strictly inside the range, plus the end months when they are whole.
        let wholeFrom = from == monthStart(firstMonth) ? firstMonth : firstMonth + 1
        let wholeTo = to == monthStart(lastMonth + 1) - 1 ? lastMonth : lastMonth - 1
        var out: [Int64: AreaTotals] = [:]
        func merge(_ part: [Int64: AreaTotals]) {
            for (area, t) in part { out[area, default: AreaTotals()].add(t) }
        }
        if wholeFrom <= wholeTo {
            merge(try monthTotals(db, from: wholeFrom, to: wholeTo))
            if wholeFrom > firstMonth { merge(try totals(db, sql: sessionsSQL, arguments: [from, monthStart(wholeFrom) - 1])) }
            if wholeTo < lastMonth { merge(try totals(db, sql: sessionsSQL, arguments: [monthStart(wholeTo + 1), to])) }
        } else {
            merge(try totals(db, sql: sessionsSQL, arguments: [from, to]))
        }
        return out
    }

    /// Sums `area_month` over months `from`…`to` per area. Aggregated here rather than by a SQL
    /// GROUP BY, which would sort millions of buckets at national scale; read through the C API.
    static func monthTotals(_ db: Database, from: Int, to: Int) throws -> [Int64: AreaTotals] {
        let statement = try db.makeStatement(sql: """
            SELECT area_id, sessions, last_day, \(metricColumns) FROM area_month WHERE month BETWEEN ? AND ?
            """)
        let stmt = statement.sqliteStatement
        sqlite3_bind_int64(stmt, 1, Int64(from))
        sqlite3_bind_int64(stmt, 2, Int64(to))
        defer { sqlite3_reset(stmt) }
        let width = MetricValues.width
        var slotOf: [Int64: Int] = [:]
        var areas: [Int64] = []
        var sessions: [Int] = []
        var lastDay: [Int] = []
        var sums: [Int] = []
        var recorded: [Bool] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            let area = sqlite3_column_int64(stmt, 0)
            let slot: Int
            if let s = slotOf[area] { slot = s } else {
                slot = areas.count
                slotOf[area] = slot
                areas.append(area)
                sessions.append(0)
                lastDay.append(Int.min)
                sums.append(contentsOf: repeatElement(0, count: width))
                recorded.append(contentsOf: repeatElement(false, count: width))
            }
            sessions[slot] += Int(sqlite3_column_int64(stmt, 1))
            lastDay[slot] = max(lastDay[slot], Int(sqlite3_column_int64(stmt, 2)))
            for i in 0..<width where sqlite3_column_type(stmt, Int32(3 + i)) != SQLITE_NULL {
                sums[slot * width + i] += Int(sqlite3_column_int64(stmt, Int32(3 + i)))
                recorded[slot * width + i] = true
            }
        }
        var out: [Int64: AreaTotals] = [:]
        out.reserveCapacity(areas.count)
        for (slot, area) in areas.enumerated() {
            var metrics = MetricValues()
            for i in 0..<width where recorded[slot * width + i] { metrics.values[i] = sums[slot * width + i] }
            out[area] = AreaTotals(sessions: sessions[slot], metrics: metrics, lastDay: Day(number: lastDay[slot]))
        }
        return out
    }

    /// Reads rows of `area_id, sessions, last_day, <metrics…>` into totals by area id.
    static func totals(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Int64: AreaTotals] {
        var out: [Int64: AreaTotals] = [:]
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            var metrics = MetricValues()
            for i in 0..<MetricValues.width { metrics.values[i] = row[3 + i] }
            out[row[0]] = AreaTotals(sessions: row[1], metrics: metrics, lastDay: (row[2] as Int?).map(Day.init(number:)))
        }
        return out
    }
}
