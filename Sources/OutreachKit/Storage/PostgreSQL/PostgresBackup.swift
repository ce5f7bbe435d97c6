import Foundation

/// A backup of a PostgreSQL workspace: PostgreSQL's own tool, `pg_dump`, in its custom format
/// (`pg_restore` reads it back), run with the password in its environment, never its arguments.
public enum PostgresBackup {
    /// What a backup wrote.
    public struct Summary: Equatable, Sendable {
        public var path: String
        public var bytes: Int
    }

    /// Where `pg_dump` is: on `PATH`, else in Debian's `/usr/lib/postgresql/N/bin` (newest first);
    /// nil when PostgreSQL's client programs are missing.
    public static func pgDump(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let manager = FileManager.default
        var folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let versions = try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            folders += versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
                .map { "/usr/lib/postgresql/\($0)/bin" }
        }
        return folders.map { $0 + "/pg_dump" }.first { manager.isExecutableFile(atPath: $0) }
    }

    /// Writes a dump of the workspace at `location` to `path`, all or nothing: into a
    /// `.partial-` file beside it, renamed when `pg_dump` succeeded. An existing file is kept
    /// unless `overwrite`.
    public static func run(_ location: PostgresLocation, to path: String, overwrite: Bool = false,
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Summary {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) && !overwrite { throw PostgresBackupError.exists(path: path) }
        guard let tool = pgDump(environment: environment) else { throw PostgresBackupError.noPgDump(uri: location.masked) }
        let url = URL(fileURLWithPath: path)
        let partial = url.deletingLastPathComponent().appendingPathComponent(".partial-\(UUID().uuidString)-\(url.lastPathComponent)")
        defer { try? manager.removeItem(at: partial) }
        // The destination is tried before pg_dump starts: a missing or read-only folder is named
        // as SQLite's backup names it, not as pg_dump's failure.
        do { try Data().write(to: partial) } catch { throw PostgresBackupError.cannotWrite(path: path, reason: FileProblem(error, creating: true)) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format=custom", "--no-password", "--file=\(partial.path)"] + connectionArguments(location)
        var env = environment
        if let password = location.password { env["PGPASSWORD"] = password }
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw PostgresBackupError.noPgDump(uri: location.masked) }
        _ = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresBackupError.failed(uri: location.masked, status: process.terminationStatus)
        }
        do {
            if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
            try manager.moveItem(at: partial, to: url)
        } catch {
            throw PostgresBackupError.cannotWrite(path: path, reason: FileProblem(error))
        }
        let bytes = ((try? manager.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        return Summary(path: path, bytes: bytes)
    }

    /// `pg_dump`'s connection options for `location` (no password: that goes in PGPASSWORD).
    static func connectionArguments(_ location: PostgresLocation) -> [String] {
        var args = ["--username=\(location.user)", "--dbname=\(location.database)"]
        switch location.endpoint {
        case let .tcp(host, port): args += ["--host=\(host)", "--port=\(port)"]
        case let .socket(folder, port): args += ["--host=\(folder)", "--port=\(port)"]
        }
        return args
    }
}

/// Why a PostgreSQL backup was not made.
public enum PostgresBackupError: Error, Equatable, Sendable, UserFacingError {
    case exists(path: String)
    case noPgDump(uri: String)
    case failed(uri: String, status: Int32)
    case cannotWrite(path: String, reason: FileProblem)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String {
        switch self {
        case let .exists(path): labels("backup.error.exists", ["path": path])
        case let .noPgDump(uri): labels("postgres.backup.no_pg_dump", ["uri": uri])
        case let .failed(uri, status): labels("postgres.backup.failed", ["uri": uri, "status": String(status)])
        case let .cannotWrite(path, reason): labels("backup.error.cannot_write", ["path": path, "reason": reason.text(labels)])
        }
    }
}
