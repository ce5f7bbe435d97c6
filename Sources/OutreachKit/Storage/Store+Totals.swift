import GRDB

extension Store {
    /// Live session totals per area (the session's own area, not rolled up), by area id, from
    /// the monthly running totals; with `through`, months after that day's month are left out.
    public func areaTotals(throughMonthOf day: Day? = nil) throws -> [Int64: AreaTotals] {
        try read { db in try Store.areaTotals(db, throughMonth: day?.monthIndex) }
    }

    static func areaTotals(_ db: Database, throughMonth: Int? = nil) throws -> [Int64: AreaTotals] {
        let columns = Metric.allCases.map { "sum(\($0.code))" }.joined(separator: ", ")
        let filter = throughMonth.map { "WHERE month <= \($0)" } ?? ""
        var out: [Int64: AreaTotals] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT area_id, sum(sessions), max(last_day), \(columns) FROM area_month \(filter) GROUP BY area_id
            """)
        while let row = try rows.next() {
            var metrics = MetricValues()
            for i in 0..<Metric.allCases.count { metrics.values[i] = row[3 + i] }
            out[row[0]] = AreaTotals(sessions: row[1], metrics: metrics, lastDay: (row[2] as Int?).map(Day.init(number:)))
        }
        return out
    }

    /// Recomputes the monthly totals of `areaID` for `month` from its live sessions (after a void).
    static func recomputeMonth(_ db: Database, areaID: Int64, month: Int) throws {
        let first = Day(year: 1970 + month / 12, month: month % 12 + 1, day: 1)!
        let next = Day(year: 1970 + (month + 1) / 12, month: (month + 1) % 12 + 1, day: 1)!
        let sums = Metric.allCases.map { "sum(s.\($0.code))" }.joined(separator: ", ")
        try db.execute(sql: "DELETE FROM area_month WHERE area_id = ? AND month = ?", arguments: [areaID, month])
        try db.execute(sql: """
            INSERT INTO area_month (area_id, month, sessions, \(Metric.allCases.map(\.code).joined(separator: ", ")), last_day)
            SELECT ?, ?, count(*), \(sums), max(s.day) FROM session s
            WHERE s.area_id = ? AND s.day >= ? AND s.day < ?
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            HAVING count(*) > 0
            """, arguments: [areaID, month, areaID, first.number, next.number])
    }
}
