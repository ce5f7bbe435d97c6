import GRDB
import GRDBSQLite

extension Store {
    /// Each area's own live sessions dated `from`…`through` (only `areas` when given): one
    /// `GROUP BY` over the period's days (indexes `session(day)`, `session(area_id, day)`).
    /// The recorded time is `session.recorded`, else the import's `imported` stamp.
    public func reportingActivity(from: Day, through: Day, areas: [Int64]?) throws -> [Int64: ReportingActivity] {
        if through < from { return [:] }
        if let areas, areas.isEmpty { return [:] }
        let filter = areas.map { " AND s.area_id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
        let sql = """
            SELECT s.area_id, count(*), min(s.day), max(s.day),
                   min(coalesce(s.recorded, CAST(strftime('%s', i.imported) AS INTEGER))),
                   sum(s.recorded IS NULL AND i.imported IS NULL)
            FROM session s LEFT JOIN import_file i ON i.id = s.import_id
            WHERE s.day BETWEEN ? AND ?\(filter)
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            GROUP BY s.area_id
            """
        return try read { db in
            var out: [Int64: ReportingActivity] = [:]
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: [from.number, through.number])
            while let row = try cursor.next() {
                let recorded: Int? = row[4]
                out[row[0]] = ReportingActivity(sessions: row[1], firstDay: Day(number: row[2]), lastDay: Day(number: row[3]),
                                                firstRecorded: recorded.map { Timestamp(secondsSince1970: $0) },
                                                unrecorded: row[5] ?? 0)
            }
            return out
        }
    }
}
