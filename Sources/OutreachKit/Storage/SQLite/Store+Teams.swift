import Foundation
import GRDB

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
            var problems = DiagnosticList(file: file)
            for row in rows where areaIDs[row.team.areaCode] == nil {
                problems.add(line: row.line, column: "area_code", Phrase("areas.error.not_found", ["area": row.team.areaCode]))
            }
            try problems.check()
            let existing = try Store.storedTeams(db)
            var summary = RosterImportSummary()
            for row in rows {
                var team = row.team
                let old = existing[team.code]
                if team.status == .inactive {
                    team.inactiveSince = old?.team.status == .inactive ? (old?.team.inactiveSince ?? day) : day
                } else {
                    team.inactiveSince = nil
                }
                guard let old else {
                    try Store.insert(team, areaID: areaIDs[team.areaCode]!, db)
                    summary.added += 1
                    continue
                }
                if old.team == team {
                    summary.unchanged += 1
                    continue
                }
                try db.execute(sql: """
                    UPDATE team SET name = ?, kind = ?, area_id = ?, leader = ?, leader_phone = ?, formed = ?,
                        status = ?, inactive_since = ? WHERE id = ?
                    """, arguments: [team.name, team.kind.rawValue, areaIDs[team.areaCode]!, team.leader,
                                     team.leaderPhone?.digits, team.formed?.number, team.status.rawValue,
                                     team.inactiveSince?.number, old.id])
                summary.updated += 1
            }
            return summary
        }
    }

    /// Adds one team. A team added as inactive without a day becomes inactive on `day`.
    /// Throws `TeamError` when the code is taken or the area does not exist.
    public func addTeam(_ team: Team, on day: Day) throws {
        try write { db in
            guard let areaID = try Store.areaIDs(db)[team.areaCode] else {
                throw TeamError.unknownArea(team: team.code, area: team.areaCode)
            }
            if try Store.storedTeams(db)[team.code] != nil { throw TeamError.teamExists(team.code) }
            var team = team
            team.inactiveSince = team.status == .inactive ? (team.inactiveSince ?? day) : nil
            try Store.insert(team, areaID: areaID, db)
        }
    }

    /// Every team, by code.
    public func teams() throws -> [Team] {
        try read { db in try Store.storedTeams(db).values.map(\.team).sorted { $0.code < $1.code } }
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
            var problems = DiagnosticList(file: file)
            for row in rows where teams[row.member.teamCode] == nil {
                problems.add(line: row.line, column: "team", Phrase("members.error.unknown_team", ["team": row.member.teamCode]))
            }
            try problems.check()
            let existing = try Store.storedMembers(db)
            let inFile = Set(rows.map(\.member.id))
            var storedLeader: [String: Member] = [:]
            for (id, stored) in existing where stored.member.isCurrentLeader && !inFile.contains(id) {
                storedLeader[stored.member.teamCode] = stored.member
            }
            var summary = RosterImportSummary()
            for row in rows where row.member.isCurrentLeader {
                let member = row.member
                if let other = storedLeader[member.teamCode] {
                    problems.add(line: row.line, column: "role", MemberFile.secondLeader(
                        team: member.teamCode, earlier: other.name, line: nil, newcomer: member.name))
                }
                if let named = teams[member.teamCode]?.team.leader,
                   TextFolding.fold(named) != TextFolding.fold(member.name) {
                    summary.warnings.append(Warning(file: file, line: row.line, Phrase("members.warning.other_leader.file", ["team": member.teamCode, "named": named, "name": member.name])))
                }
            }
            try problems.check()
            // Rows that stop being a current leader first: the one-leader index holds after every statement.
            let ordered = rows.sorted { !$0.member.isCurrentLeader && $1.member.isCurrentLeader }
            for row in ordered {
                let member = row.member
                guard let old = existing[member.id] else {
                    try Store.insert(member, teamID: teams[member.teamCode]!.id, db)
                    summary.added += 1
                    continue
                }
                if old.member == member {
                    summary.unchanged += 1
                    continue
                }
                try db.execute(sql: "UPDATE member SET role = ?, joined = ?, left = ? WHERE id = ?",
                               arguments: [member.role.rawValue, member.joined?.number, member.left?.number, old.id])
                summary.updated += 1
            }
            return summary
        }
    }

    /// Adds one member and returns their id, with a warning when they lead a team whose
    /// teams-file leader is someone else. Throws `TeamError` for an unknown team, a person
    /// already in the team, a second current leader, or a day of leaving before joining.
    @discardableResult
    public func addMember(_ member: Member) throws -> (id: StableID, warnings: [Warning]) {
        try write { db in
            guard let team = try Store.storedTeams(db)[member.teamCode] else {
                throw TeamError.unknownTeam(member.teamCode)
            }
            if let joined = member.joined, let left = member.left, left < joined {
                throw TeamError.leftBeforeJoined(name: member.name)
            }
            let existing = try Store.storedMembers(db, teamID: team.id)
            if existing[member.id] != nil { throw TeamError.memberExists(team: member.teamCode, name: member.name) }
            var warnings: [Warning] = []
            if member.isCurrentLeader {
                if let leader = existing.values.first(where: { $0.member.isCurrentLeader }) {
                    throw TeamError.secondLeader(team: member.teamCode, leader: leader.member.name, newcomer: member.name)
                }
                if let named = team.team.leader, TextFolding.fold(named) != TextFolding.fold(member.name) {
                    warnings.append(Warning(Phrase("members.warning.other_leader.added", ["team": member.teamCode, "named": named, "name": member.name])))
                }
            }
            try Store.insert(member, teamID: team.id, db)
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
            let stored = try Store.storedMembers(db, teamID: teamID)
            return stored.values.sorted { a, b in
                if a.member.teamCode != b.member.teamCode { return a.member.teamCode < b.member.teamCode }
                if a.member.isCurrentLeader != b.member.isCurrentLeader { return a.member.isCurrentLeader }
                return a.id < b.id
            }.map(\.member)
        }
    }

    /// Members of each team on `day` (joined by then, not yet left), by team code. Teams without
    /// members are absent.
    public func memberCounts(on day: Day) throws -> [String: Int] {
        try read { db in try Store.memberCounts(db, day) }
    }

    // MARK: Rows

    private static func memberCounts(_ db: Database, _ day: Day) throws -> [String: Int] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT t.code, count(*) FROM member m JOIN team t ON t.id = m.team_id
            WHERE (m.joined IS NULL OR m.joined <= ?) AND (m.left IS NULL OR m.left > ?)
            GROUP BY t.code
            """, arguments: [day.number, day.number])
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
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT t.id, t.code, t.name, t.kind, a.code, t.leader, t.leader_phone, t.formed, t.status, t.inactive_since
            FROM team t JOIN area a ON a.id = t.area_id
            """)
        while let row = try cursor.next() {
            let team = Team(code: row[1], name: row[2], kind: TeamKind(rawValue: row[3]) ?? .project06, areaCode: row[4],
                            leader: row[5], leaderPhone: (row[6] as String?).flatMap(Phone.init(digits:)),
                            formed: (row[7] as Int?).map(Day.init(number:)),
                            status: TeamStatus(rawValue: row[8]) ?? .active,
                            inactiveSince: (row[9] as Int?).map(Day.init(number:)))
            teams[team.code] = StoredTeam(id: row[0], team: team)
        }
        return teams
    }

    /// Stored members by their stable id, of one team or of all.
    private static func storedMembers(_ db: Database, teamID: Int64? = nil) throws -> [StableID: StoredMember] {
        var members: [StableID: StoredMember] = [:]
        let filter = teamID == nil ? "" : "WHERE m.team_id = \(teamID!)"
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT m.id, m.uuid, t.code, m.name, m.phone, m.role, m.joined, m.left
            FROM member m JOIN team t ON t.id = m.team_id \(filter)
            """)
        while let row = try cursor.next() {
            let member = Member(teamCode: row[2], name: row[3], phone: (row[4] as String?).flatMap(Phone.init(digits:)),
                                role: MemberRole(rawValue: row[5]) ?? .member,
                                joined: (row[6] as Int?).map(Day.init(number:)), left: (row[7] as Int?).map(Day.init(number:)))
            let uuid = StableID(bytes: [UInt8](row[1] as Data)) ?? member.id
            members[uuid] = StoredMember(id: row[0], member: member)
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

/// A team row as stored.
private struct StoredTeam {
    var id: Int64
    var team: Team
}

/// A member row as stored.
private struct StoredMember {
    var id: Int64
    var member: Member
}
