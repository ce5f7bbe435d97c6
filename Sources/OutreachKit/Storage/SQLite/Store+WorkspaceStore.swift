/// The SQLite engine behind the storage seam: `Store`'s synchronous methods are the seam's
/// operations as they are.
extension Store: WorkspaceStore {
    public var engine: StorageEngine { .sqlite }
    public var displayLocation: String { path }
}
