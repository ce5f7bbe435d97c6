import Dispatch
import Foundation
import Logging
import PostgresNIO

/// A PostgreSQL workspace's connection: postgres-nio's `PostgresClient` (a pool) running for as
/// long as the value lives, with blocking calls for the command line.
///
/// Opening first makes one plain connection and fails fast with a `PostgresError` that says what
/// is wrong (no server, wrong password, no such database): the pool alone retries for ever on a
/// server that does not answer. The same connection then checks and migrates the schema, under
/// an advisory lock so that two processes opening a new database do not both create it.
public final class PostgresWorkspace: Sendable {
    /// Where it is; its description hides the password.
    public let location: PostgresLocation
    /// Whether opening created the workspace (an empty database, with `create`).
    public let created: Bool
    /// The pool every query goes through.
    let client: PostgresClient
    private let runner: Task<Void, Never>

    /// An arbitrary key for `pg_advisory_xact_lock`, taken while migrating ("OUTR").
    static let migrationLock: Int64 = 0x4F55_5452

    private init(location: PostgresLocation, client: PostgresClient, created: Bool) {
        self.location = location
        self.created = created
        self.client = client
        let client = client
        runner = Task { await client.run() }
    }

    deinit { runner.cancel() }

    /// Opens the workspace at `location`. With `create`, an empty database becomes a new
    /// workspace; without it, an empty one is an error that says how to create it. A database
    /// holding other tables, or written by a newer Outreach, is refused untouched.
    /// `connections` is the pool's size: a command needs few, a server more.
    public static func open(_ location: PostgresLocation, create: Bool = false, connections: Int = 8) async throws -> PostgresWorkspace {
        let connection = try await connect(location)
        let created: Bool
        do {
            created = try await migrate(connection, location: location, create: create)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
        return PostgresWorkspace(location: location,
                                 client: PostgresClient(configuration: clientConfiguration(location, connections: connections)),
                                 created: created)
    }

    /// Runs `body` with the pool, translating every error.
    func run<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        do { return try await body(client) } catch { throw PostgresWorkspace.translate(error, location: location) }
    }

    /// A logger that writes nothing: queries carry personal data, and errors are translated.
    static let quiet = Logger(label: "outreach.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` in one transaction on a pooled connection: committed when it returns,
    /// rolled back when it throws, so a write is all or nothing.
    ///
    /// A serialization failure or a deadlock (SQLSTATE 40001, 40P01), which PostgreSQL may
    /// answer to any of several writers, is retried from the start (up to 20 times, after a
    /// short random pause) and never shown to the user; so is `Retry`, which `body` throws when
    /// a concurrent writer changed what it read. Every other error is translated.
    /// `isolation` is the transaction's mode (`REPEATABLE READ READ ONLY` for a consistent read).
    func transaction<T: Sendable>(_ isolation: String = "READ COMMITTED",
                                  _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation)"), logger: Self.quiet)
                    do {
                        let value = try await body(connection)
                        try await connection.query("COMMIT", logger: Self.quiet)
                        return value
                    } catch {
                        // A query on a connection that is gone never answers (postgres-nio 1.33);
                        // its transaction ended with it.
                        if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: Self.quiet) }
                        throw error
                    }
                }
            } catch {
                if attempt < 20, Self.isRetryable(error) || error is Retry {
                    try await Task.sleep(nanoseconds: UInt64.random(in: 1_000_000...(5_000_000 * UInt64(attempt))))
                    continue
                }
                throw PostgresWorkspace.translate(error, location: location)
            }
        }
    }

    /// Runs `body` on a pooled connection with no transaction around it: for work whose every
    /// statement stands alone (one statement is its own snapshot and is all or nothing), in a
    /// round trip each rather than three more for BEGIN and COMMIT. Serialization failures and
    /// deadlocks are retried as `transaction` retries them; every other error is translated.
    func single<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in try await body(connection) }
            } catch {
                if attempt < 20, Self.isRetryable(error) {
                    try await Task.sleep(nanoseconds: UInt64.random(in: 1_000_000...(5_000_000 * UInt64(attempt))))
                    continue
                }
                throw PostgresWorkspace.translate(error, location: location)
            }
        }
    }

    /// A consistent read: one `REPEATABLE READ READ ONLY` transaction.
    func read<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction("REPEATABLE READ, READ ONLY", body)
    }

    /// Thrown inside `transaction` to run it again from the start (a concurrent writer changed
    /// what the attempt read).
    struct Retry: Error {}

    /// Whether `error` is PostgreSQL asking to run the transaction again.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// The workspace's stable id, created by `init`.
    public func workspaceID() async throws -> String {
        try await run { client in
            let rows = try await client.query("SELECT id FROM workspace")
            for try await id in rows.decode(String.self) { return id }
            return ""
        }
    }

    // MARK: - Connecting

    /// The probing connection's settings. `sslmode=require` never falls back to plain text: a
    /// TLS context that cannot be made is an error (only `prefer` may go without).
    static func connectionConfiguration(_ location: PostgresLocation) throws -> PostgresConnection.Configuration {
        var config: PostgresConnection.Configuration
        switch location.endpoint {
        case .socket:
            config = .init(unixSocketPath: location.socketPath ?? "", username: location.user,
                           password: location.password, database: location.database)
        case let .tcp(host, port):
            let tls: PostgresConnection.Configuration.TLS
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = (try? .prefer(.init(configuration: .makeClientConfiguration()))) ?? .disable
            case .require: tls = .require(try .init(configuration: .makeClientConfiguration()))
            }
            config = .init(host: host, port: port, username: location.user, password: location.password,
                           database: location.database, tls: tls)
        }
        config.options.connectTimeout = .seconds(Int64(location.connectTimeout))
        return config
    }

    static func clientConfiguration(_ location: PostgresLocation, connections: Int = 8) -> PostgresClient.Configuration {
        var config: PostgresClient.Configuration
        switch location.endpoint {
        case .socket:
            config = .init(unixSocketPath: location.socketPath ?? "", username: location.user,
                           password: location.password, database: location.database)
        case let .tcp(host, port):
            let tls: PostgresClient.Configuration.TLS
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(.makeClientConfiguration())
            case .require: tls = .require(.makeClientConfiguration())
            }
            config = .init(host: host, port: port, username: location.user, password: location.password,
                           database: location.database, tls: tls)
        }
        config.options.connectTimeout = .seconds(Int64(location.connectTimeout))
        config.options.maximumConnections = max(1, connections)
        return config
    }

    /// One plain connection, or the reason there is none.
    static func connect(_ location: PostgresLocation) async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: try connectionConfiguration(location), id: 1,
                                                        logger: Logger(label: "outreach.postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
        } catch {
            throw translate(error, location: location)
        }
    }

    /// The migrations applied to the database at `location`, oldest first, read without changing
    /// anything (for `outreach --version`); empty when it is not a workspace yet.
    public static func appliedMigrations(_ location: PostgresLocation) async throws -> [String] {
        let connection = try await connect(location)
        do {
            var names: [String] = []
            var present = false
            let exists = try await connection.query("SELECT to_regclass('outreach_migration') IS NOT NULL", logger: quiet)
            for try await value in exists.decode(Bool.self) { present = value }
            if present {
                for try await name in try await connection.query(
                    "SELECT name FROM outreach_migration ORDER BY applied, name", logger: quiet).decode(String.self) {
                    names.append(name)
                }
            }
            try? await connection.close()
            return names
        } catch {
            try? await connection.close()
            throw translate(error, location: location)
        }
    }

    // MARK: - Migrating

    /// Checks what the database holds and applies the migrations it lacks, in one transaction;
    /// whether it created the workspace.
    @discardableResult
    static func migrate(_ connection: PostgresConnection, location: PostgresLocation, create: Bool) async throws -> Bool {
        let logger = Logger(label: "outreach.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        do {
            try await connection.query("BEGIN", logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            var tables = Set<String>()
            for try await name in try await connection.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", logger: logger).decode(String.self) {
                tables.insert(name)
            }
            var applied: [String] = []
            if tables.contains("outreach_migration") {
                for try await name in try await connection.query(
                    "SELECT name FROM outreach_migration ORDER BY applied, name", logger: logger).decode(String.self) {
                    applied.append(name)
                }
                let known = Set(PostgresSchema.migrations.map(\.name))
                if let unknown = applied.first(where: { !known.contains($0) }) {
                    throw PostgresError.newerVersion(location.masked, migration: unknown)
                }
            } else if !tables.isEmpty {
                throw PostgresError.notAWorkspace(location.masked)
            } else if !create {
                throw PostgresError.noWorkspace(location.masked)
            } else {
                try await connection.query("""
                    CREATE TABLE outreach_migration (
                        name TEXT PRIMARY KEY,
                        applied TEXT NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                    )
                    """, logger: logger)
            }
            let done = Set(applied)
            let fresh = applied.isEmpty
            for migration in PostgresSchema.migrations where !done.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO outreach_migration (name) VALUES (\(migration.name))", logger: logger)
            }
            if fresh {
                try await connection.query("INSERT INTO workspace (id) VALUES (\(UUID().uuidString.lowercased()))", logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
            return fresh
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw translate(error, location: location)
        }
    }

    // MARK: - Errors

    /// Maps any error met while using the database at `location` to one a user can act on.
    static func translate(_ error: any Error, location: PostgresLocation) -> any Error {
        // The workspace's own answers (a session already voided, an unknown area …) pass as
        // they are, thrown from inside a transaction too; so do PostgresErrors.
        if error is any UserFacingError { return error }
        let uri = location.masked
        guard let psql = error as? PSQLError else {
            if error is CancellationError { return PostgresError.connectionLost(uri) }
            // A COPY whose connection closed fails with postgres-nio's older error type.
            if case .connectionClosed? = error as? PostgresNIO.PostgresError { return PostgresError.connectionLost(uri) }
            return PostgresError.unreachable(uri, address: address(location))
        }
        if let state = psql.serverInfo?[.sqlState] {
            switch state {
            case "28P01", "28000": return PostgresError.authentication(uri, user: location.user)
            case "3D000": return PostgresError.noDatabase(uri, database: location.database)
            case "42501": return PostgresError.permission(uri)
            case "57P01", "57P02", "57P03", "08000", "08003", "08006": return PostgresError.connectionLost(uri)
            default:
                if state.hasPrefix("53") { return PostgresError.serverResources(uri) }
                if state.hasPrefix("08") { return PostgresError.unreachable(uri, address: address(location)) }
                return PostgresError.unexpected(uri, sqlState: state)
            }
        }
        switch psql.code {
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return PostgresError.connectionLost(uri)
        default:
            return PostgresError.unreachable(uri, address: address(location))
        }
    }

    /// Where the server was looked for, for messages: `host:port` or the socket file.
    static func address(_ location: PostgresLocation) -> String {
        switch location.endpoint {
        case let .tcp(host, port): "\(host):\(port)"
        case .socket: location.socketPath ?? ""
        }
    }
}
