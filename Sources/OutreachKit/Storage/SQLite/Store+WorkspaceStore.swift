import Foundation
import GRDB

/// The SQLite engine behind the storage seam: `Store`'s synchronous methods are the seam's
/// operations as they are.
extension Store: WorkspaceStore {
    public var engine: StorageEngine { .sqlite }
    public var displayLocation: String { path }

    /// `PRAGMA data_version` on a connection of its own (`CommitCounter`): nil in memory and
    /// for a workspace opened for reading only.
    public func changeStamp() throws -> String? {
        guard let commits else { return nil }
        return try guarded { try commits.stamp() }
    }
}

/// A connection to the workspace file that never writes and only asks `PRAGMA data_version`:
/// SQLite answers a different number on one connection whenever another connection (this
/// process's pool, or another process) has committed since it last asked. So one connection
/// kept for the purpose counts every commit; a pool's readers could not (each counts apart,
/// and not its own). A commune's dashboard took 80 ms to build on a 1M-session province and
/// needed a cache keyed on it (the budget is 50 ms). Opened at the first question.
final class CommitCounter: @unchecked Sendable {
    private let lock = NSLock()
    private let path: String
    private var queue: DatabaseQueue?

    init(path: String) { self.path = path }

    func stamp() throws -> String? {
        try lock.withLock {
            if queue == nil {
                var config = Configuration()
                config.busyMode = .timeout(30)
                config.label = "outreach.commits"
                queue = try DatabaseQueue(path: path, configuration: config)
            }
            return try queue?.inDatabase { try Int.fetchOne($0, sql: "PRAGMA data_version") }.map(String.init)
        }
    }
}
