import Foundation
import PostgresNIO

// `sessions import` on PostgreSQL: COPY into a staging table, applied in one transaction.
extension PostgresWorkspace {
    public func importSessions(file path: String, name: String?, today: Day, campaignMetrics: [String], problemLimit: Int,
                               corrections: LikelyCorrections, progress: ImportProgress?) async throws -> SessionImportSummary {
        throw PostgresError.commandNotYet(location.masked)
    }
}
