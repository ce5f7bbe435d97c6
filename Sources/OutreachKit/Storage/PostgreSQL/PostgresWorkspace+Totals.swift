import Foundation
import PostgresNIO

// Running totals and what coverage and the district report read on PostgreSQL.
extension PostgresWorkspace {
    public func coverageInputs(campaign: Campaign, options: CoverageReport.Options, countryName: String,
                               wholeTree: AreaTree?) async throws -> CoverageInputs {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func periodTotals(start: Day, end: Day, asOf: Day, areas: [Int64]?) async throws -> [Int64: AreaTotals] {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func dailyTotals(areas: [Int64]?, from: Day, through: Day) async throws -> [Day: AreaTotals] {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func lastSessionDays(areas: [Int64], through: Day) async throws -> [Int64: Day] {
        throw PostgresError.commandNotYet(location.masked)
    }
}
