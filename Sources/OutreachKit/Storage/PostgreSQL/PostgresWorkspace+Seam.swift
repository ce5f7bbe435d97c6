/// The PostgreSQL engine behind the storage seam. The operations live in the files beside
/// this one, by concern (areas and rosters, sessions, the sessions import, totals, bundles).
extension PostgresWorkspace: WorkspaceStore {
    public var engine: StorageEngine { .postgresql }
    public var displayLocation: String { location.masked }
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
