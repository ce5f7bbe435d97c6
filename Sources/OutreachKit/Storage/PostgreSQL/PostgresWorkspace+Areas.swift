import Foundation
import PostgresNIO

// Areas, teams, members, leaflets and search on PostgreSQL.
extension PostgresWorkspace {
    public func importAreas(_ rows: [AreaRow], file: String, on day: Day) async throws -> AreaImportSummary {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func areaTree(addingRoot root: (code: String, name: String)?) async throws -> AreaTree {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func areaTree(around code: String, addingRoot root: (code: String, name: String)?) async throws -> AreaTree? {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func findAreas(_ query: String, limit: Int) async throws -> [AreaMatch] {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func importTeams(_ rows: [TeamRow], file: String, on day: Day) async throws -> RosterImportSummary {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func addTeam(_ team: Team, on day: Day) async throws {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func teams() async throws -> [Team] {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func importMembers(_ rows: [MemberRow], file: String) async throws -> RosterImportSummary {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func addMember(_ member: Member) async throws -> (id: StableID, warnings: [Warning]) {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func members(ofTeam code: String?) async throws -> [Member] {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func memberCounts(on day: Day) async throws -> [String: Int] {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func receiveLeaflets(into code: String, quantity: Int, on day: Day, batch: String?, id: UUID) async throws -> LeafletRecord {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func allocateLeaflets(from fromCode: String, to toCode: String, quantity: Int, on day: Day, batch: String?,
                                 allowNegative: Bool, id: UUID) async throws -> LeafletRecord {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func leafletMoves(through day: Day?) async throws -> [LeafletMove] {
        throw PostgresError.commandNotYet(location.masked)
    }
    public func leafletsHandedOut(through day: Day?) async throws -> [String: Int] {
        throw PostgresError.commandNotYet(location.masked)
    }
}
