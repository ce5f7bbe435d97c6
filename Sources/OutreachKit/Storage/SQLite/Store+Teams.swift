import Foundation
import GRDB
import GRDBSQLite

/// What a teams or members import did.
public struct RosterImportSummary: Equatable, Sendable {
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    /// Notices found against the workspace (a leader who differs from the teams file).
    public var warnings: [Warning] = []

    public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0, warnings: [Warning] = []) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.warnings = warnings
    }
}

extension Store {
    // MARK: Teams

    /// Imports validated rows of a teams file, all or nothing.
    ///
    /// New codes are added, known ones updated with the file's values. A team imported as
    /// inactive keeps the day it became inactive when the workspace knows it, else gets `day`;
    /// an active one has none. Unknown areas reject the whole file.
    public func importTeams(_ rows: [TeamRow], file: String, on day: Day) throws -> RosterImportSummary {
        try write { db in
            let areaIDs = try Store.areaIDs(db)
            let stored = try Store.storedTeams(db)
            let plan = try TeamImportPlan(rows: rows, file: file, on: day, areaExists: { areaIDs[$0] != nil }, existing: stored)
            for step in plan.steps {
                switch step {
                case let .insert(team):
                    try Store.insert(team, areaID: areaIDs[team.areaCode]!, db)
                case let .update(team, id):
                    try db.execute(sql: """
                        UPDATE team SET name = ?, kind = ?, area_id = ?, leader = ?, leader_phone = ?, formed = ?,
                            status = ?, inactive_since = ? WHERE id = ?
                        """, arguments: [team.name, team.kind.rawValue, areaIDs[team.areaCode]!, team.leader,
                                         team.leaderPhone?.digits, team.formed?.number, team.status.rawValue,
                                         team.inactiveSince?.number, id])
                }
            }
            for entry in RosterAudit.teams(plan, existing: stored, file: file) { try Store.audit(db, entry) }
            return plan.summary
        }
    }

    /// Adds one team. A team added as inactive without a day becomes inactive on `day`.
    /// Throws `TeamError` when the code is taken or the area does not exist.
    public func addTeam(_ team: Team, on day: Day) throws {
        try write { db in
            let areaID = try Store.areaIDs(db)[team.areaCode]
            let team = try TeamImportPlan.adding(team, on: day, areaKnown: areaID != nil,
                                                 codeTaken: try Store.storedTeams(db)[team.code] != nil)
            try Store.insert(team, areaID: areaID!, db)
            try Store.audit(db, RosterAudit.team(team))
        }
    }

    /// Every team's code by its id, through the C API (200,000 teams nationally).
    public func teamCodes() throws -> [Int64: String] {
        try read { db in
            let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM team") ?? 0
            var out: [Int64: String] = [:]
            out.reserveCapacity(n)
            try db.makeStatement(sql: "SELECT id, code FROM team").forEachRawRow(db) { stmt in
                out[sqlite3_column_int64(stmt, 0)] = String(cString: sqlite3_column_text(stmt, 1))
            }
            return out
        }
    }

    /// Every team, by code.
    public func teams() throws -> [Team] {
        // Straight into an array (codes are unique): a national workspace has 200,000 teams.
        try read { db in
            var teams: [Team] = []
            let cursor = try Row.fetchCursor(db, sql: StoredTeam.selectSQL)
            while let row = try cursor.next() {
                teams.append(StoredTeam.team(code: row[1], name: row[2], kind: row[3], areaCode: row[4], leader: row[5],
                                             leaderPhone: row[6], formed: row[7], status: row[8], inactiveSince: row[9]))
            }
            teams.sort { $0.code < $1.code }
            return teams
        }
    }

    // MARK: Members

    /// Imports validated rows of a members file, all or nothing.
    ///
    /// A member is known by team, name and phone: a known member's role and dates are updated,
    /// nobody is added twice. Unknown teams, and a second current leader of a team (in the
    /// file or in the workspace), reject the whole file.
    public func importMembers(_ rows: [MemberRow], file: String) throws -> RosterImportSummary {
        try write { db in
            let teams = try Store.storedTeams(db)
            let stored = try Store.storedMembers(db)
            let plan = try MemberImportPlan(rows: rows, file: file, teams: teams, existing: stored)
            for step in plan.steps {
                switch step {
                case let .insert(member, teamID):
                    try Store.insert(member, teamID: teamID, db)
                case let .update(member, id):
                    try db.execute(sql: "UPDATE member SET role = ?, joined = ?, left = ? WHERE id = ?",
                                   arguments: [member.role.rawValue, member.joined?.number, member.left?.number, id])
                }
            }
            for entry in RosterAudit.members(plan, existing: stored, file: file) { try Store.audit(db, entry) }
            return plan.summary
        }
    }

    /// Adds one member and returns their id, with a warning when they lead a team whose
    /// teams-file leader is someone else. Throws `TeamError` for an unknown team, a person
    /// already in the team, a second current leader, or a day of leaving before joining.
    @discardableResult
    public func addMember(_ member: Member) throws -> (id: StableID, warnings: [Warning]) {
        try write { db in
            let team = try Store.storedTeams(db)[member.teamCode]
            let existing = try team.map { try Store.storedMembers(db, teamID: $0.id) } ?? [:]
            let warnings = try MemberImportPlan.adding(member, team: team, existing: existing)
            try Store.insert(member, teamID: team!.id, db)
            try Store.audit(db, RosterAudit.member(member))
            return (member.id, warnings)
        }
    }

    /// The members of one team (every team when nil), in team code order, the leader first,
    /// then in the order they were added. Throws `TeamError.unknownTeam` for an unknown code.
    public func members(ofTeam code: String? = nil) throws -> [Member] {
        try read { db in
            let teams = try Store.storedTeams(db)
            var teamID: Int64? = nil
            if let code {
                guard let team = teams[code] else { throw TeamError.unknownTeam(code) }
                teamID = team.id
            }
            return StoredMember.listed(try Store.storedMembers(db, teamID: teamID).values)
        }
    }

    /// Members of each team on `day` (joined by then, not yet left), by team code. Teams without
    /// members are absent.
    public func memberCounts(on day: Day) throws -> [String: Int] {
        try read { db in try Store.memberCounts(db, day) }
    }

    // MARK: Rows

    private static func memberCounts(_ db: Database, _ day: Day) throws -> [String: Int] {
        let rows = try Row.fetchAll(db, sql: StoredMember.countsSQL, arguments: [day.number])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as String, $0[1] as Int) })
    }

    private static func areaIDs(_ db: Database) throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT code, id FROM area")
        while let row = try cursor.next() { ids[row[0]] = row[1] }
        return ids
    }

    private static func storedTeams(_ db: Database) throws -> [String: StoredTeam] {
        var teams: [String: StoredTeam] = [:]
        let cursor = try Row.fetchCursor(db, sql: StoredTeam.selectSQL)
        while let row = try cursor.next() {
            let team = StoredTeam.team(code: row[1], name: row[2], kind: row[3], areaCode: row[4], leader: row[5],
                                       leaderPhone: row[6], formed: row[7], status: row[8], inactiveSince: row[9])
            teams[team.code] = StoredTeam(id: row[0], team: team)
        }
        return teams
    }

    /// Stored members by their stable id, of one team or of all.
    private static func storedMembers(_ db: Database, teamID: Int64? = nil) throws -> [StableID: StoredMember] {
        var members: [StableID: StoredMember] = [:]
        let cursor = try Row.fetchCursor(db, sql: StoredMember.selectSQL(teamID == nil ? "" : "WHERE m.team_id = \(teamID!)"))
        while let row = try cursor.next() {
            let (key, member) = StoredMember.member(uuid: [UInt8](row[1] as Data), teamCode: row[2], name: row[3], phone: row[4],
                                                    role: row[5], joined: row[6], left: row[7])
            members[key] = StoredMember(id: row[0], member: member)
        }
        return members
    }

    private static func insert(_ team: Team, areaID: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO team (code, name, kind, area_id, leader, leader_phone, formed, status, inactive_since)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [team.code, team.name, team.kind.rawValue, areaID, team.leader, team.leaderPhone?.digits,
                             team.formed?.number, team.status.rawValue, team.inactiveSince?.number])
    }

    private static func insert(_ member: Member, teamID: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO member (uuid, team_id, name, phone, role, joined, left) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [member.id.data, teamID, member.name, member.phone?.digits, member.role.rawValue,
                             member.joined?.number, member.left?.number])
    }
}
