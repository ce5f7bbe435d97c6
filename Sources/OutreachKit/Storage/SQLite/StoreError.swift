#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
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
    /// The workspace is on read-only media (a write-protected USB stick, a read-only folder):
    /// it can be read, not written.
    case readOnlyMedium(path: String)
    case diskFull(path: String)
    case damaged(path: String)
    /// The disk failed to read or write (a failing disk, a USB stick pulled out).
    case ioError(path: String)
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
        case let .readOnlyMedium(path): labels("store.error.read_only_medium", ["path": path])
        case let .diskFull(path): labels("store.error.disk_full", ["path": path])
        case let .damaged(path): labels("store.error.damaged", ["path": path])
        case let .ioError(path): labels("store.error.io", ["path": path])
        case let .unexpected(path, code): labels("store.error.unexpected", ["path": path, "code": String(code)])
        }
    }

    /// Maps any error thrown while using the database at `path` to one a user can act on.
    ///
    /// Every code SQLite gives for the disk, the file or a lock says so in words, extended
    /// codes included (`SQLITE_IOERR_SHMSIZE`, 4874, is a disk full when the `-shm` file is
    /// made): the disk is asked whether it is full or read-only.
    static func translate(_ error: any Error, path: String) -> any Error {
        guard let db = error as? DatabaseError else { return error }
        switch db.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError.busy(path: path)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return Store.isReadOnlyMedium(path: path) ? StoreError.readOnlyMedium(path: path) : StoreError.readOnly(path: path)
        case .SQLITE_FULL: return StoreError.diskFull(path: path)
        case .SQLITE_NOTADB:
            // A file that starts as SQLite but is not a database: cut short or overwritten.
            return startsAsSQLite(path) ? StoreError.damaged(path: path) : StoreError.notAWorkspace(path: path)
        case .SQLITE_CORRUPT, .SQLITE_FORMAT: return StoreError.damaged(path: path)
        case .SQLITE_IOERR:
            if db.extendedResultCode == .SQLITE_IOERR_SHORT_READ { return StoreError.damaged(path: path) }
            return diskState(path) ?? StoreError.ioError(path: path)
        case .SQLITE_CANTOPEN:
            return diskState(path) ?? StoreError.cannotOpen(path: path, reason: .sqliteCannotOpen)
        default: return StoreError.unexpected(path: path, code: db.extendedResultCode.rawValue)
        }
    }

    /// `readOnlyMedium` or `diskFull` when the disk holding `path` is read-only or has no
    /// space left; nil otherwise.
    static func diskState(_ path: String) -> StoreError? {
        if Store.isReadOnlyMedium(path: path) { return .readOnlyMedium(path: path) }
        let folder = (path as NSString).deletingLastPathComponent
        var fs = statvfs()
        if statvfs(folder.isEmpty ? "." : folder, &fs) == 0 && fs.f_bavail == 0 { return .diskFull(path: path) }
        return nil
    }

    /// Whether the file at `path` begins with SQLite's magic text.
    private static func startsAsSQLite(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 16)) == Data("SQLite format 3\0".utf8)
    }
}
