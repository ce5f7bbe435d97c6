import Foundation
import GRDB

extension RowKeyContent {
    /// The columns `ofStored` reads, on `session s` joined by `storedJoins`.
    static var storedColumns: String {
        "s.day, a.code, t.code, s.logged_by, " + Metric.allCases.map { "s.\($0.code)" }.joined(separator: ", ") + """
            , s.notes, (SELECT group_concat(m.metric || char(31) || m.value, char(30)) FROM session_metric m WHERE m.session_id = s.id)
            """
    }
    static let storedJoins = "FROM session s JOIN area a ON a.id = s.area_id LEFT JOIN team t ON t.id = s.team_id"

    /// The content of a stored session, from the `storedColumns` of `row` starting at `at`.
    static func ofStored(_ row: Row, at: Int) -> RowKeyContent {
        let width = Metric.allCases.count
        let campaign = SessionImport.storedCounts(row[at + 5 + width]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return of(day: row[at], area: row[at + 1], team: row[at + 2], loggedBy: row[at + 3],
                  metrics: (0..<width).map { row[at + 4 + $0] }, campaign: campaign, notes: row[at + 4 + width])
    }

    /// Gives a row key to every session imported from a row without id before migration 6 (an id
    /// of the version 8 layout on a session that came from a file), counting identical sessions
    /// of the same file in id order, which was the file's order. A key already taken (the same
    /// sheet imported twice, re-saved: the double counting keys now prevent) stays with the
    /// first session; `outreach check` names the others.
    static func fillKeys(_ db: Database) throws {
        let update = try db.makeStatement(sql: "UPDATE OR IGNORE session SET row_key = ? WHERE id = ?")
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT s.id, s.uuid, s.import_id, \(storedColumns) \(storedJoins)
            WHERE s.import_id IS NOT NULL ORDER BY s.import_id, s.id
            """)
        var file: Int64 = -1
        var seen: [UInt64: Int] = [:]
        while let row = try cursor.next() {
            guard RowKey.isDerivedLayout([UInt8](row[1] as Data)) else { continue }
            let importID: Int64 = row[2]
            if importID != file { file = importID; seen.removeAll(keepingCapacity: true) }
            let digest = ofStored(row, at: 3).digest()
            let fingerprint = RowKey.fingerprint(digest)
            let occurrence = seen[fingerprint, default: 0]
            seen[fingerprint] = occurrence + 1
            try update.execute(arguments: [Data(RowKey.key(digest, occurrence: occurrence)), row[0] as Int64])
        }
    }
}
