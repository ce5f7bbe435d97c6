import Foundation

/// Trees as of a date and the dated changes, above the storage seam: the same for both engines.
extension WorkspaceStore {
    /// The tree in force on `day` and where the sessions of units not in it are counted, when the
    /// workspace has any dated history; nil when every tree is today's (then `areaTree` is it).
    public func datedTree(on day: Day) async throws -> DatedTree? {
        guard try await hasDatedAreas() else { return nil }
        return try await areaHistory().tree(on: day)
    }

    /// The tree in force on `day`: dated when the workspace has history, else today's.
    public func tree(on day: Day) async throws -> AreaTree {
        if let dated = try await datedTree(on: day) { return dated.tree }
        return try await areaTree(addingRoot: nil)
    }

    /// Applies a dated change worked out by `make` (one of `AreaChanges`' operations) against
    /// the history, all or nothing, with `basis` recorded; returns the plan applied.
    public func changeAreas(basis: String?, _ make: @escaping @Sendable (AreaChanges) throws -> AreaChangePlan) async throws -> AreaChangePlan {
        let recorder = Recorder.current
        return try await changeAreas { history in
            try make(AreaChanges(history: history, basis: basis, actor: recorder.name, stamp: recorder.stamp()))
        }
    }
}
