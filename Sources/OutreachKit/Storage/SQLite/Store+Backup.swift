#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB

/// What `outreach backup` copied.
public struct BackupSummary: Equatable, Sendable {
    public var path: String
    public var bytes: Int
    public var sessions: Int
}

/// A backup that cannot be made; nothing was written under the backup's name.
public enum BackupError: Error, Equatable, Sendable, UserFacingError {
    case exists(path: String)
    case notAWorkspace(path: String)
    case sameFile(path: String)
    /// The copy cannot be written there, for `reason`.
    case cannotWrite(path: String, reason: FileProblem)
    /// The finished copy failed SQLite's check, so it was removed.
    case copyFailedCheck(path: String)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String {
        switch self {
        case let .exists(path): labels("backup.error.exists", ["path": path])
        case let .notAWorkspace(path): labels("backup.error.not_a_workspace", ["path": path])
        case let .sameFile(path): labels("backup.error.same_file", ["path": path])
        case let .cannotWrite(path, reason): labels("backup.error.cannot_write", ["path": path, "reason": reason.text(labels)])
        case let .copyFailedCheck(path): labels("backup.error.copy_failed_check", ["path": path])
        }
    }
}

extension Store {
    /// Copies the workspace to `path` with SQLite's online backup, from one consistent snapshot
    /// while other processes keep writing. The copy is made under a temporary name (permissions
    /// 0600), checked, and renamed into place, so `path` never holds half a backup.
    ///
    /// An existing file is replaced only with `overwrite`, and only when it is an Outreach workspace.
    public func backup(to path: String, overwrite: Bool = false) throws -> BackupSummary {
        var info = stat(), mine = stat()
        if stat(path, &info) == 0 {
            if stat(self.path, &mine) == 0 && info.st_dev == mine.st_dev && info.st_ino == mine.st_ino {
                throw BackupError.sameFile(path: path)
            }
            guard overwrite else { throw BackupError.exists(path: path) }
            let head = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 16) }
            if head != Data("SQLite format 3\0".utf8) { throw BackupError.notAWorkspace(path: path) }
        }
        PartialFiles.removeStale(for: path)
        let temporary = PartialFiles.name(for: path)
        let fd = SystemCalls.open(temporary, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        guard fd >= 0 else { throw BackupError.cannotWrite(path: path, reason: FileProblem(errno: errno, creating: true)) }
        close(fd)
        func cleanUp() { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) } }
        do {
            let copy = try DatabaseQueue(path: temporary)
            try writer.backup(to: copy)
            let (ok, sessions) = try copy.writeWithoutTransaction { db -> (Bool, Int) in
                // The copy is a file on its own: no write-ahead log next to it.
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                return (check == ["ok"], try Int.fetchOne(db, sql: "SELECT count(*) FROM session") ?? 0)
            }
            try copy.close()
            guard ok else { throw BackupError.copyFailedCheck(path: path) }
            let sync = SystemCalls.open(temporary, O_RDONLY)
            if sync >= 0 { fsync(sync); close(sync) }
            guard rename(temporary, path) == 0 else {
                throw BackupError.cannotWrite(path: path, reason: FileProblem(errno: errno, creating: true))
            }
            var done = stat()
            _ = stat(path, &done)
            return BackupSummary(path: path, bytes: Int(done.st_size), sessions: sessions)
        } catch let error as BackupError {
            cleanUp()
            throw error
        } catch {
            cleanUp()
            if let db = error as? DatabaseError, db.resultCode == .SQLITE_FULL {
                throw BackupError.cannotWrite(path: path, reason: .diskFull)
            }
            if let db = error as? DatabaseError, [.SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM].contains(db.resultCode) {
                throw BackupError.cannotWrite(path: path, reason: .cannotCreate)
            }
            throw StoreError.translate(error, path: self.path)
        }
    }
}

