#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB

/// The workspace database: the one type that owns the GRDB connection.
///
/// A file workspace uses WAL mode (readers never block the writer), foreign keys, and a busy
/// timeout so that several `outreach log` processes can write at once. The schema is created
/// and upgraded by named migrations on open. Files are created with permissions 0600: they
/// hold names and phone numbers.
public final class Store: Sendable {
    /// The connection (a pool for files, a queue in memory).
    public let writer: any DatabaseWriter
    /// The path as the user named it, for messages; ":memory:" in memory.
    public let path: String

    /// `PRAGMA application_id` of every Outreach workspace ("OUTR").
    static let applicationID: Int32 = 0x4F55_5452

    private init(writer: any DatabaseWriter, path: String) {
        self.writer = writer
        self.path = path
    }

    /// A fresh workspace in memory, with every migration applied: for tests.
    public static func inMemory() throws -> Store {
        let queue = try DatabaseQueue(configuration: configuration())
        let store = Store(writer: queue, path: ":memory:")
        try store.guarded { try Schema.migrator.migrate(queue) }
        return store
    }

    /// Opens the workspace at `path`. With `create`, a missing or empty file becomes a new
    /// workspace; without it, a missing file is an error that says how to create one.
    ///
    /// A file that is not an Outreach workspace, or one written by a newer version, is refused
    /// untouched.
    ///
    /// With `singleConnection`, the workspace is opened through one connection (a queue, not a
    /// pool): bulk imports use it to switch the file to a rollback journal for their duration.
    public static func open(path: String, create: Bool = false, singleConnection: Bool = false) throws -> Store {
        let url = URL(fileURLWithPath: path)
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists && (info.st_mode & S_IFMT) == S_IFDIR {
            throw StoreError.cannotOpen(path: path, reason: .isFolder)
        }
        if !exists {
            guard create else { throw StoreError.noWorkspace(path: path) }
            let fd = SystemCalls.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            guard fd >= 0 else {
                throw StoreError.cannotOpen(path: path, reason: FileProblem(errno: errno, creating: true))
            }
            close(fd)
        } else if info.st_size > 0 {
            try checkHeader(url: url, path: path)
        } else if !create {
            throw StoreError.noWorkspace(path: path)
        }
        let connection: any DatabaseWriter
        do {
            if singleConnection {
                connection = try DatabaseQueue(path: path, configuration: configuration())
            } else {
                connection = try DatabasePool(path: path, configuration: configuration())
            }
        } catch {
            throw StoreError.translate(error, path: path)
        }
        let store = Store(writer: connection, path: path)
        try store.guarded {
            let state = try connection.read { db -> (Int32, Int) in
                let app = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                return (app, tables)
            }
            if state.0 != applicationID && state.1 > 0 { throw StoreError.notAWorkspace(path: path) }
            if state.0 == applicationID {
                if try connection.read({ try Schema.migrator.hasBeenSuperseded($0) }) {
                    throw StoreError.newerVersion(path: path)
                }
            }
            try Schema.migrator.migrate(connection)
            if singleConnection {
                // A queue keeps the file's journal mode: make sure a new file starts in WAL too.
                _ = try connection.writeWithoutTransaction { try String.fetchOne($0, sql: "PRAGMA journal_mode = WAL") }
            }
        }
        return store
    }

    /// Whether a workspace file exists at `path` (for `init`, which must not re-create one).
    public static func isWorkspace(path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_size > 0
    }

    private static func checkHeader(url: URL, path: String) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: FileProblem(error))
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if head != Data("SQLite format 3\0".utf8) { throw StoreError.notAWorkspace(path: path) }
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        config.label = "outreach"
        return config
    }

    /// Runs `body`, translating database errors into `StoreError`s.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw StoreError.translate(error, path: path) }
    }

    /// A write transaction; everything in `body` is committed together or not at all.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try guarded { try writer.write(body) }
    }

    /// A read of a consistent snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try guarded { try writer.read(body) }
    }

    /// The workspace's stable id, created by `init`.
    public func workspaceID() throws -> String {
        try read { db in try String.fetchOne(db, sql: "SELECT id FROM workspace") ?? "" }
    }
}
