/// Problems reaching or using a PostgreSQL workspace, in words a user can act on.
///
/// Raw server text never reaches a user, and neither does a password: every location is written
/// masked (`postgresql://user:***@host/db`).
public enum PostgresError: Error, Equatable, Sendable, UserFacingError {
    /// The `--db` URI cannot be read; `problem` names the part (`scheme`, `port`, `host`,
    /// `sslmode`, `encoding`, `several_hosts`, `connect_timeout`, `parameter:NAME`).
    case badURI(String, problem: String)
    /// Nothing answers at the address: the server is not running, or the host or port is wrong.
    case unreachable(String, address: String)
    /// The server refused the user name or the password.
    case authentication(String, user: String)
    /// The server has no database of that name.
    case noDatabase(String, database: String)
    /// The database holds tables but is not an Outreach workspace.
    case notAWorkspace(String)
    /// The database has no Outreach workspace yet (`outreach init` creates one).
    case noWorkspace(String)
    /// The workspace was written by a newer version of Outreach.
    case newerVersion(String, migration: String)
    /// The connection was lost mid-way; the transaction was rolled back.
    case connectionLost(String)
    /// The user may not do this in this database (SQLSTATE 42501).
    case permission(String)
    /// The server is short of disk, memory or connections (SQLSTATE class 53).
    case serverResources(String)
    /// A PostgreSQL address given where only an SQLite file can be opened (`Store.open`;
    /// `Workspaces.open` opens either).
    case notAFile(String)
    /// Anything else: the SQLSTATE code only, never the server's text.
    case unexpected(String, sqlState: String)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String {
        switch self {
        case let .badURI(uri, problem):
            let part = problem.hasPrefix("parameter:") ? labels("postgres.uri.parameter", ["name": String(problem.dropFirst(10))])
                                                       : labels["postgres.uri.\(problem)"]
            return labels("postgres.error.bad_uri", ["uri": uri, "problem": part])
        case let .unreachable(uri, address): return labels("postgres.error.unreachable", ["uri": uri, "address": address])
        case let .authentication(uri, user): return labels("postgres.error.authentication", ["uri": uri, "user": user])
        case let .noDatabase(uri, database): return labels("postgres.error.no_database", ["uri": uri, "database": database])
        case let .notAWorkspace(uri): return labels("postgres.error.not_a_workspace", ["uri": uri])
        case let .noWorkspace(uri): return labels("postgres.error.no_workspace", ["uri": uri])
        case let .newerVersion(uri, migration): return labels("postgres.error.newer_version", ["uri": uri, "migration": migration])
        case let .connectionLost(uri): return labels("postgres.error.connection_lost", ["uri": uri])
        case let .permission(uri): return labels("postgres.error.permission", ["uri": uri])
        case let .serverResources(uri): return labels("postgres.error.server_resources", ["uri": uri])
        case let .notAFile(uri): return labels("postgres.error.not_a_file", ["uri": uri])
        case let .unexpected(uri, state): return labels("postgres.error.unexpected", ["uri": uri, "code": state])
        }
    }
}
