/// The SQLite engine behind the storage seam: `Store`'s synchronous methods are the seam's
/// operations as they are.
extension Store: WorkspaceStore {
    public var engine: StorageEngine { .sqlite }
    public var displayLocation: String { path }

    /// None: an SQLite workspace's dashboard is built fast enough without a cache, and SQLite
    /// has no counter of the commits of every connection that one read could give.
    public func changeStamp() -> String? { nil }
}
