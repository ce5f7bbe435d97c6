/// The PostgreSQL engine behind the storage seam. The operations live in the files beside
/// this one, by concern (areas and rosters, sessions, the sessions import, totals, bundles).
extension PostgresWorkspace: WorkspaceStore {
    public var engine: StorageEngine { .postgresql }
    public var displayLocation: String { location.masked }

    /// The server's current snapshot (`xmin:xmax:in-progress ids`): a transaction that writes
    /// takes an id, which moves `xmax`, and leaves the in-progress list when it ends, so any commit
    /// since the stamp was read changes it. Transaction ids are the cluster's, so a write to
    /// another database changes it too: a cache keyed on it is dropped more often than needed,
    /// never kept too long.
    public func changeStamp() async throws -> String? {
        try await single { connection in
            for try await stamp in try await connection.query("SELECT pg_current_snapshot()::text", logger: Self.quiet).decode(String.self) {
                return stamp
            }
            return nil
        }
    }
}

extension PostgresWorkspace {
    /// A backup is PostgreSQL's own: `pg_dump` in its custom format (`PostgresBackup`).
    public func backup(to path: String, overwrite: Bool) async throws -> BackupSummary {
        let location = self.location
        let summary = try PostgresBackup.run(location, to: path, overwrite: overwrite)
        let sessions = try await transaction { connection in
            for try await n in try await connection.query("SELECT count(*) FROM session", logger: Self.quiet).decode(Int.self) {
                return n
            }
            return 0
        }
        return BackupSummary(path: summary.path, bytes: summary.bytes, sessions: sessions)
    }
}
