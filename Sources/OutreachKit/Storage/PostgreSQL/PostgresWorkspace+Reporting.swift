import Foundation
import PostgresNIO

extension PostgresWorkspace {
    /// Each area's own live sessions dated `from`…`through` (only `areas` when given), as
    /// `Store.reportingActivity`: one `GROUP BY` over the period's days.
    public func reportingActivity(from: Day, through: Day, areas: [Int64]?) async throws -> [Int64: ReportingActivity] {
        if through < from { return [:] }
        if let areas, areas.isEmpty { return [:] }
        var binds = PostgresBindings()
        binds.append(from.number)
        binds.append(through.number)
        var filter = ""
        if let areas {
            binds.append(areas)
            filter = " AND s.area_id = ANY($3)"
        }
        let sql = """
            SELECT s.area_id::bigint, count(*)::bigint, min(s.day)::bigint, max(s.day)::bigint,
                   min(coalesce(s.recorded, extract(epoch FROM i.imported::timestamptz)::bigint))::bigint,
                   count(*) FILTER (WHERE s.recorded IS NULL AND i.imported IS NULL)::bigint
            FROM session s LEFT JOIN import_file i ON i.id = s.import_id
            WHERE s.day BETWEEN $1 AND $2\(filter)
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            GROUP BY s.area_id
            """
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await read { connection in
            var out: [Int64: ReportingActivity] = [:]
            for try await row in try await connection.query(query, logger: Self.quiet) {
                let cells = try Self.integers(row)
                guard let area = cells[0] else { continue }
                out[Int64(area)] = ReportingActivity(sessions: cells[1] ?? 0, firstDay: Day(number: cells[2] ?? 0),
                                                     lastDay: Day(number: cells[3] ?? 0),
                                                     firstRecorded: cells[4].map { Timestamp(secondsSince1970: $0) },
                                                     unrecorded: cells[5] ?? 0)
            }
            return out
        }
    }
}
