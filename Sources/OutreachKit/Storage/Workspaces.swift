import Foundation

/// Opening a workspace by what `--db` or `OUTREACH_DB` names: a `postgresql://` URI opens the
/// PostgreSQL engine, anything else is an SQLite file's path.
public enum Workspaces {
    /// Opens the workspace at `location`. With `create`, a missing one is created.
    /// `singleConnection` is SQLite's one-writer mode for imports and merges (ignored by PostgreSQL,
    /// whose pool serves every command).
    /// `connections`: the size of PostgreSQL's pool (a server's is larger than a command's).
    public static func open(_ location: String, create: Bool = false, singleConnection: Bool = false,
                            connections: Int = 8) async throws -> any WorkspaceStore {
        if PostgresLocation.isURI(location) {
            return try await PostgresWorkspace.open(try PostgresLocation(uri: location), create: create, connections: connections)
        }
        return try Store.open(path: location, create: create, singleConnection: singleConnection)
    }
}
