import Foundation
import PostgresNIO

// Logging, voiding and listing sessions on PostgreSQL.
extension PostgresWorkspace {
    public func logSession(_ session: NewSession, today: Day, replacing: String?, reason: String?,
                           campaignMetrics: [String]) async throws -> LoggedSession {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func voidSession(_ id: String, reason: String, on day: Day) async throws -> String {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func sessions(_ query: SessionQuery) async throws -> [SessionEntry] {
        throw PostgresError.commandNotYet(location.masked)
    }
}
