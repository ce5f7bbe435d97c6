import GRDB
import GRDBSQLite

/// Reads counts and totals from the database without trapping.
///
/// A running total is an INTEGER column, but SQLite turns an integer sum that overflows into a
/// REAL (a workspace of an older version that accepted `--eid-l2 9223372036854775807` twice),
/// and converting that to `Int` traps. Every total read goes through here: a value that is not
/// an integer throws `CountOverflow`, which tells the user to run `outreach check` (it names the
/// table and `--repair` rebuilds it).
enum StoredCount {
    /// The integer in column `i` of the current row of `stmt`, nil for NULL.
    @inline(__always)
    static func column(_ stmt: OpaquePointer?, _ i: Int32, _ what: @autoclosure () -> String) throws(CountOverflow) -> Int? {
        switch sqlite3_column_type(stmt, i) {
        case SQLITE_NULL: return nil
        case SQLITE_INTEGER: return Int(sqlite3_column_int64(stmt, i))
        default: throw CountOverflow(what())
        }
    }

    /// The integer in column `i` of `row`, nil for NULL.
    static func value(_ row: Row, _ i: Int, _ what: @autoclosure () -> String) throws(CountOverflow) -> Int? {
        switch (row[i] as DatabaseValue).storage {
        case .null: return nil
        case .int64(let n): return Int(n)
        default: throw CountOverflow(what())
        }
    }

    /// The same, where NULL cannot be (a count of sessions): NULL reads as 0.
    static func required(_ row: Row, _ i: Int, _ what: @autoclosure () -> String) throws(CountOverflow) -> Int {
        try value(row, i, what()) ?? 0
    }
}
