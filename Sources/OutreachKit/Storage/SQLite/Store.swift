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
    /// Whether the workspace was opened for reading only (read-only media: see
    /// `Store.isReadOnlyMedium(path:)`, or a full disk): every write fails with `writesFail`.
    public let isReadOnly: Bool
    /// What a write says when the workspace was opened for reading only.
    let writesFail: StoreError?
    /// Counts the commits of every connection (`changeStamp`); none in memory or read-only.
    let commits: CommitCounter?

    /// `PRAGMA application_id` of every Outreach workspace ("OUTR").
    static let applicationID: Int32 = 0x4F55_5452

    private init(writer: any DatabaseWriter, path: String, writesFail: StoreError? = nil) {
        self.writer = writer
        self.path = path
        self.isReadOnly = writesFail != nil
        self.writesFail = writesFail
        // In memory, or opened for reading only (read-only media, where a connection of its own
        // might not open), the dashboards are built every time.
        self.commits = path == ":memory:" || writesFail != nil ? nil : CommitCounter(path: path)
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
    ///
    /// A workspace on read-only media (`isReadOnlyMedium(path:)`), or any with `readOnly`, is
    /// opened for reading only: reports, listings, `check` and `backup` work, and a write says
    /// the medium is read-only.
    public static func open(path: String, create: Bool = false, singleConnection: Bool = false,
                            readOnly: Bool? = nil) throws -> Store {
        if PostgresLocation.isURI(path) {
            // A PostgreSQL workspace is opened by `Workspaces.open`, never as a file.
            throw PostgresError.notAFile(PostgresLocation.mask(path))
        }
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
        if exists && info.st_size > 0 && (readOnly ?? isReadOnlyMedium(path: path)) {
            return try openReadOnly(path: path)
        }
        do {
            return try openForWriting(path: path, singleConnection: singleConnection)
        } catch StoreError.diskFull(let path) where exists && info.st_size > 0 {
            // A disk already full: SQLite cannot make its `-shm` file there. The workspace can
            // still be read; a write says the disk is full.
            return try openReadOnly(path: path, writesFail: .diskFull(path: path))
        }
    }

    private static func openForWriting(path: String, singleConnection: Bool) throws -> Store {
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

    /// Whether the workspace at `path` can only be read: its disk is mounted read-only (a
    /// write-protected USB stick), or this user may not write the file or its folder (where
    /// SQLite keeps its `-wal` and `-shm` files). Such a workspace is opened for reading only.
    public static func isReadOnlyMedium(path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        let dir = folder.isEmpty ? "." : folder
        var fs = statvfs()
        if statvfs(dir, &fs) == 0 && (fs.f_flag & UInt(ST_RDONLY)) != 0 { return true }
        return access(path, W_OK) != 0 || access(dir, W_OK) != 0
    }

    /// Opens `path` for reading only, through one connection. Without a write-ahead log beside
    /// it the file is opened as immutable: SQLite then needs no `-shm` file, which a read-only
    /// folder cannot hold. A workspace that needs upgrading cannot be upgraded there.
    private static func openReadOnly(path: String, writesFail: StoreError? = nil) throws -> Store {
        var walInfo = stat()
        let hasLog = stat(path + "-wal", &walInfo) == 0 && walInfo.st_size > 0
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let escaped = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
        var config = configuration()
        config.readonly = true
        let connection: DatabaseQueue
        do {
            connection = try DatabaseQueue(path: "file:\(escaped)?mode=ro\(hasLog ? "" : "&immutable=1")", configuration: config)
        } catch {
            throw StoreError.translate(error, path: path)
        }
        let store = Store(writer: connection, path: path, writesFail: writesFail ?? .readOnlyMedium(path: path))
        try store.guarded {
            let (app, tables) = try connection.read { db -> (Int32, Int) in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0, try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
            }
            guard app == applicationID else { throw tables > 0 ? StoreError.notAWorkspace(path: path) : StoreError.noWorkspace(path: path) }
            if try connection.read({ try Schema.migrator.hasBeenSuperseded($0) }) { throw StoreError.newerVersion(path: path) }
            if !(try connection.read { try Schema.migrator.hasCompletedMigrations($0) }) {
                throw writesFail ?? StoreError.readOnlyMedium(path: path)
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
        if !head.starts(with: Data("SQLite format 3\0".utf8)) {
            // Only on this path is more read: the first megabyte, to tell damage from another file.
            try? handle.seek(toOffset: 0)
            let head = (try? handle.read(upToCount: 1 << 20)) ?? Data()
            throw looksDamaged(Array(head)) ? StoreError.damaged(path: path) : StoreError.notAWorkspace(path: path)
        }
    }

    /// Whether the first bytes (up to 1 MB) of a file that does not start as an SQLite database
    /// look like a workspace whose header was damaged: Outreach's application id still in place
    /// (bytes 68–71), most of SQLite's magic text, the first page's b-tree header right after
    /// the 100-byte file header (a table page: 0x05 or 0x0D) in a file of whole 512-byte pages,
    /// or the schema's `CREATE TABLE` text. A spreadsheet or a text file has none of these.
    static func looksDamaged(_ head: [UInt8]) -> Bool {
        guard head.count > 100 else { return false }
        if Array(head[68..<72]) == [0x4F, 0x55, 0x54, 0x52] { return true }
        if head.count % 512 == 0 && (head[100] == 0x05 || head[100] == 0x0D) { return true }
        let magic = Array("SQLite format 3\0".utf8)
        if zip(head.prefix(16), magic).filter({ $0 == $1 }).count >= 8 { return true }
        let needle = Array("CREATE TABLE".utf8)
        guard head.count >= needle.count else { return false }
        for i in 0...(head.count - needle.count) where head[i] == needle[0] {
            if Array(head[i..<i + needle.count]) == needle { return true }
        }
        return false
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
        do { return try body() } catch {
            let translated = StoreError.translate(error, path: path)
            if let writesFail, let store = translated as? StoreError, case .readOnly = store { throw writesFail }
            throw translated
        }
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
