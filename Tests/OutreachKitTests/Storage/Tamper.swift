import GRDB
@testable import OutreachKit

/// Runs raw SQL on a workspace, the way damage, a bug, an older version or another program would
/// write it, without the product's checks (foreign keys off for the statement).
func tamper(_ store: Store, _ sql: String) throws {
    try store.writer.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        try db.execute(sql: sql)
        try db.execute(sql: "PRAGMA foreign_keys = ON")
    }
}
