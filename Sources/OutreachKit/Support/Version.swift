import Foundation
import GRDB

/// The versions `outreach --version` reports: the tool's, the workspace schema's and the bundle
/// format's. The tool's version is kept here, once.
public enum OutreachVersion {
    /// The version of Outreach.
    public static let tool = "0.12.0"

    /// The workspace schema this build creates and upgrades to: the number of migrations it knows.
    public static var schema: Int { Schema.migrator.migrations.count }

    /// The bundle format this build writes and reads.
    public static var bundleFormat: Int { BundleHeader.currentVersion }
}

extension Store {
    /// The schema version of the workspace at `path` (the number of migrations applied to it,
    /// which is above `OutreachVersion.schema` for a newer Outreach's workspace), read without
    /// writing anything and without creating a file; nil when there is no file at `path`.
    /// - Throws: `StoreError` when the file is not a readable Outreach workspace.
    public static func schemaVersion(ofWorkspaceAt path: String) throws -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw StoreError.cannotOpen(path: path, reason: .isFolder) }
        guard info.st_size > 0 else { throw StoreError.noWorkspace(path: path) }
        var config = Configuration()
        config.readonly = true
        config.label = "outreach"
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            return try queue.read { db -> Int in
                let app = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                guard app == applicationID, try db.tableExists("grdb_migrations") else {
                    throw StoreError.notAWorkspace(path: path)
                }
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") ?? 0
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.translate(error, path: path)
        }
    }
}
