import Foundation
import GRDB
import GRDBSQLite

extension AreaFactsTable {
    /// Every area of the workspace: one pass over the `area` table through the C API (no
    /// `Row`, no `String` per area).
    init(_ db: Database) throws {
        let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM area") ?? 0
        self.init(capacity: n)
        var parents: [Int64] = [], communeLevel: [Bool] = []
        parents.reserveCapacity(n)
        communeLevel.reserveCapacity(n)
        let levels = AreaLevel.allCases.filter(\.isCommuneLevel).map { "'\($0.rawValue)'" }.joined(separator: ",")
        let statement = try db.makeStatement(sql: """
            SELECT id, code, coalesce(parent_id, 0), level IN (\(levels)), adults, population, households, working_age
            FROM area ORDER BY id
            """)
        func count(_ stmt: OpaquePointer, _ column: Int32) -> Int? {
            sqlite3_column_type(stmt, column) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(stmt, column))
        }
        try statement.forEachRawRow(db) { stmt in
            add(id: sqlite3_column_int64(stmt, 0),
                code: UnsafeBufferPointer(start: sqlite3_column_text(stmt, 1), count: Int(sqlite3_column_bytes(stmt, 1))),
                adults: count(stmt, 4), population: count(stmt, 5), households: count(stmt, 6), workingAge: count(stmt, 7))
            parents.append(sqlite3_column_int64(stmt, 2))
            communeLevel.append(sqlite3_column_int(stmt, 3) != 0)
        }
        resolveCommunes(parents: parents, communeLevel: communeLevel)
    }
}

extension TeamFactsTable {
    /// Every team of the workspace, with its commune from `areas`.
    init(_ db: Database, areas: AreaFactsTable) throws {
        let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM team") ?? 0
        self.init(capacity: n)
        let statement = try db.makeStatement(sql: "SELECT id, code, area_id, status = 'active' FROM team")
        try statement.forEachRawRow(db) { stmt in
            add(id: sqlite3_column_int64(stmt, 0),
                code: UnsafeBufferPointer(start: sqlite3_column_text(stmt, 1), count: Int(sqlite3_column_bytes(stmt, 1))),
                commune: areas.commune(ofID: sqlite3_column_int64(stmt, 2)), active: sqlite3_column_int(stmt, 3) != 0)
        }
    }
}

extension Statement {
    /// Steps through every row, handing `body` the raw SQLite statement to read columns from
    /// (no `Row`, no `String`: for tables of a hundred thousand rows read in one go).
    func forEachRawRow(_ db: Database, _ body: (OpaquePointer) throws -> Void) throws {
        let stmt = sqliteStatement
        defer { sqlite3_reset(stmt) }
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            try body(stmt)
        }
    }
}
