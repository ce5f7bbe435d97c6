import Foundation
import PostgresNIO

// Bundles (export, merge) and care (check, repair, backup) on PostgreSQL.
extension PostgresWorkspace {
    public func exportBundle(to path: String, name: String?, scope: BundleScope, now: Date) async throws -> BundleHeader {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func mergeBundle(file path: String, name: String?, today: Day, now: Date, setAsideConflicts: Bool) async throws -> MergeSummary {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func check() async throws -> WorkspaceCheck {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func repair() async throws -> RepairSummary {
        throw PostgresError.commandNotYet(location.masked)
    }
}
