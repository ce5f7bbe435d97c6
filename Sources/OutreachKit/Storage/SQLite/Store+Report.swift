import GRDB
import GRDBSQLite

extension Store {
    /// Live sessions summed per day, dated `from`…`through`, over the areas `areas` (every
    /// area when nil): what a weekly progress line is drawn from.
    public func dailyTotals(areas: [Int64]?, from: Day, through: Day) throws -> [Day: AreaTotals] {
        let filter = areas.map { " AND s.area_id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
        let sql = """
            SELECT s.day, count(*), \(Metric.allCases.map { "sum(s.\($0.code))" }.joined(separator: ", "))
            FROM session s WHERE s.day BETWEEN ? AND ?\(filter)
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            GROUP BY s.day
            """
        return try read { db in
            var out: [Day: AreaTotals] = [:]
            // Summed checked as they are read: once the whole period's totals fit, no sum of
            // some of its days (a week, the report's totals) can overflow.
            var all = AreaTotals()
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: [from.number, through.number])
            while let row = try cursor.next() {
                var metrics = MetricValues()
                for (i, metric) in Metric.allCases.enumerated() { metrics.values[i] = try StoredCount.value(row, 2 + i, metric.code) }
                let day = Day(number: row[0])
                let totals = AreaTotals(sessions: try StoredCount.required(row, 1, "sessions"), metrics: metrics, lastDay: day)
                try all.addChecked(totals)
                out[day] = totals
            }
            return out
        }
    }

    /// The day of the last live session up to `through` in each of `areas` (by area id); areas
    /// without one are absent. One index lookup per area.
    public func lastSessionDays(areas: [Int64], through: Day) throws -> [Int64: Day] {
        try read { db in
            let statement = try db.makeStatement(sql: """
                SELECT s.day FROM session s WHERE s.area_id = ? AND s.day <= ?
                  AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
                ORDER BY s.day DESC LIMIT 1
                """)
            var out: [Int64: Day] = [:]
            for id in areas {
                if let day = try Int.fetchOne(statement, arguments: [id, through.number]) { out[id] = Day(number: day) }
            }
            return out
        }
    }
}
