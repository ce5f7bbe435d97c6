import GRDB

/// Problems opening or writing a workspace, in words a user can act on.
///
/// Raw SQLite messages never reach a user: every database error is translated here, at the
/// storage boundary.
public enum StoreError: Error, Equatable, Sendable, UserFacingError {
    case noWorkspace(path: String)
    case notAWorkspace(path: String)
    case newerVersion(path: String)
    /// The file cannot be opened or created, for `reason`.
    case cannotOpen(path: String, reason: FileProblem)
    case busy(path: String)
    case readOnly(path: String)
    case diskFull(path: String)
    case damaged(path: String)
    case unexpected(path: String, code: Int32)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String {
        switch self {
        case let .noWorkspace(path): labels("store.error.no_workspace", ["path": path])
        case let .notAWorkspace(path): labels("store.error.not_a_workspace", ["path": path])
        case let .newerVersion(path): labels("store.error.newer_version", ["path": path])
        case let .cannotOpen(path, reason): labels("store.error.cannot_open", ["path": path, "reason": reason.text(labels)])
        case let .busy(path): labels("store.error.busy", ["path": path])
        case let .readOnly(path): labels("store.error.read_only", ["path": path])
        case let .diskFull(path): labels("store.error.disk_full", ["path": path])
        case let .damaged(path): labels("store.error.damaged", ["path": path])
        case let .unexpected(path, code): labels("store.error.unexpected", ["path": path, "code": String(code)])
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
        case .SQLITE_CANTOPEN: return StoreError.cannotOpen(path: path, reason: .sqliteCannotOpen)
        default: return StoreError.unexpected(path: path, code: db.extendedResultCode.rawValue)
        }
    }
}
