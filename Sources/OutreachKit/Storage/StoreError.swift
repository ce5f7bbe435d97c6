import GRDB

/// Problems opening or writing a workspace, in words a user can act on.
///
/// Raw SQLite messages never reach a user: every database error is translated here, at the
/// storage boundary.
public enum StoreError: Error, Equatable, Sendable, UserFacingError {
    case noWorkspace(path: String)
    case notAWorkspace(path: String)
    case newerVersion(path: String)
    case cannotOpen(path: String, reason: String)
    case busy(path: String)
    case readOnly(path: String)
    case diskFull(path: String)
    case damaged(path: String)
    case unexpected(path: String, code: Int32)

    public var message: String {
        switch self {
        case let .noWorkspace(path):
            return "\(path): no workspace here. Create one with `outreach init --db \(path)`, or name another with --db or OUTREACH_DB."
        case let .notAWorkspace(path):
            return "\(path): this file is not an Outreach workspace, and it was left untouched. Name another file with --db, or move this one away and run `outreach init`."
        case let .newerVersion(path):
            return "\(path): this workspace was written by a newer version of Outreach. Update Outreach to open it; nothing was changed."
        case let .cannotOpen(path, reason):
            return "\(path): cannot be opened (\(reason)). Check the path and its permissions."
        case let .busy(path):
            return "\(path): the workspace stayed busy with another writer for too long. Try again in a moment."
        case let .readOnly(path):
            return "\(path): the workspace cannot be written (read-only file or folder). Check its permissions."
        case let .diskFull(path):
            return "\(path): the disk is full, so nothing was written. Free some space and try again."
        case let .damaged(path):
            return "\(path): the workspace file is damaged. Restore it from a backup (`outreach backup`)."
        case let .unexpected(path, code):
            return "\(path): the database refused the operation (SQLite code \(code)); nothing was written. Run the command again; if it keeps failing, report it with this code."
        }
    }

    /// Maps any error thrown while using the database at `path` to one a user can act on.
    static func translate(_ error: any Error, path: String) -> any Error {
        guard let db = error as? DatabaseError else { return error }
        switch db.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError.busy(path: path)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: return StoreError.readOnly(path: path)
        case .SQLITE_FULL: return StoreError.diskFull(path: path)
        case .SQLITE_NOTADB: return StoreError.notAWorkspace(path: path)
        case .SQLITE_CORRUPT: return StoreError.damaged(path: path)
        case .SQLITE_CANTOPEN: return StoreError.cannotOpen(path: path, reason: "SQLite cannot open it")
        default: return StoreError.unexpected(path: path, code: db.extendedResultCode.rawValue)
        }
    }
}
