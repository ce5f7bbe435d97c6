import GRDB

extension Store {
    /// Recomputes, from its live sessions, every running total that a session of `areaID` on
    /// `day` counts in: its month (built-in and campaign metrics), and each registered campaign
    /// period containing the day.
    static func recomputeTotals(_ db: Database, areaID: Int64, day: Int) throws {
        let month = Day(number: day).monthIndex
        let first = Day(year: 1970 + month / 12, month: month % 12 + 1, day: 1)!
        let next = Day(year: 1970 + (month + 1) / 12, month: (month + 1) % 12 + 1, day: 1)!
        try recompute(db, table: "area_month", group: "month", key: month, areaID: areaID, from: first.number, to: next.number - 1)
        for p in try PeriodRange.all(db) where p.start <= day && day <= p.end {
            try recompute(db, table: "period_total", group: "period_id", key: Int(p.id), areaID: areaID, from: p.start, to: p.end)
        }
        // The campaign metrics any session of the month recorded there, voided or not: no
        // other bucket of the area and month can exist.
        let range: StatementArguments = [areaID, first.number, next.number - 1]
        let metrics = try String.fetchAll(db, sql: """
            SELECT DISTINCT m.metric FROM session s JOIN session_metric m ON m.session_id = s.id
            WHERE s.area_id = ? AND s.day BETWEEN ? AND ?
            """, arguments: range)
        for metric in metrics {
            try db.execute(sql: "DELETE FROM area_month_metric WHERE metric = ? AND month = ? AND area_id = ?",
                           arguments: [metric, month, areaID])
            try db.execute(sql: """
                INSERT INTO area_month_metric (metric, month, area_id, value)
                SELECT ?, ?, ?, sum(m.value) FROM session s JOIN session_metric m ON m.session_id = s.id AND m.metric = ?
                WHERE s.area_id = ? AND s.day BETWEEN ? AND ?
                  AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
                HAVING count(*) > 0
                """, arguments: [metric, month, areaID, metric] + range)
        }
    }

    private static func recompute(_ db: Database, table: String, group: String, key: Int, areaID: Int64, from: Int, to: Int) throws {
        let codes = Metric.allCases.map(\.code)
        try db.execute(sql: "DELETE FROM \(table) WHERE \(group) = ? AND area_id = ?", arguments: [key, areaID])
        try db.execute(sql: """
            INSERT INTO \(table) (area_id, \(group), sessions, \(codes.joined(separator: ", ")), last_day)
            SELECT ?, ?, count(*), \(codes.map { "sum(s.\($0))" }.joined(separator: ", ")), max(s.day) FROM session s
            WHERE s.area_id = ? AND s.day BETWEEN ? AND ?
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            HAVING count(*) > 0
            """, arguments: [areaID, key, areaID, from, to])
    }
}
