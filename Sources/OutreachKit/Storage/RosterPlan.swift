import Foundation

/// A team row as stored.
struct StoredTeam: Sendable {
    var id: Int64
    var team: Team

    /// Every team with its area's code, in the column order both engines decode.
    static let selectSQL = """
        SELECT t.id, t.code, t.name, t.kind, a.code, t.leader, t.leader_phone, t.formed, t.status, t.inactive_since
        FROM team t JOIN area a ON a.id = t.area_id
        """

    /// The team of a stored row's columns.
    static func team(code: String, name: String, kind: String, areaCode: String, leader: String?, leaderPhone: String?,
                     formed: Int?, status: String, inactiveSince: Int?) -> Team {
        Team(code: code, name: name, kind: TeamKind(rawValue: kind) ?? .project06, areaCode: areaCode,
             leader: leader, leaderPhone: leaderPhone.flatMap(Phone.init(digits:)),
             formed: formed.map(Day.init(number:)), status: TeamStatus(rawValue: status) ?? .active,
             inactiveSince: inactiveSince.map(Day.init(number:)))
    }
}

/// A member row as stored.
struct StoredMember: Sendable {
    var id: Int64
    var member: Member

    /// Every member with their team's code, in the column order both engines decode; `filter`
    /// is a `WHERE` clause or empty.
    static func selectSQL(_ filter: String = "") -> String {
        """
        SELECT m.id, m.uuid, t.code, m.name, m.phone, m.role, m.joined, m."left"
        FROM member m JOIN team t ON t.id = m.team_id \(filter)
        """
    }

    /// Members of each team on day `$1` (joined by then, not yet left): team code and count.
    static let countsSQL = """
        SELECT t.code, count(*) FROM member m JOIN team t ON t.id = m.team_id
        WHERE (m.joined IS NULL OR m.joined <= $1) AND (m."left" IS NULL OR m."left" > $1)
        GROUP BY t.code
        """

    /// The member of a stored row's columns, keyed by the stored uuid (their derived id when
    /// the stored one is not 16 bytes).
    static func member(uuid: [UInt8], teamCode: String, name: String, phone: String?, role: String, joined: Int?,
                       left: Int?) -> (key: StableID, member: Member) {
        let member = Member(teamCode: teamCode, name: name, phone: phone.flatMap(Phone.init(digits:)),
                            role: MemberRole(rawValue: role) ?? .member,
                            joined: joined.map(Day.init(number:)), left: left.map(Day.init(number:)))
        return (StableID(bytes: uuid) ?? member.id, member)
    }

    /// Members in listing order: by team code, the current leader first, then in the order they
    /// were added.
    static func listed(_ stored: some Sequence<StoredMember>) -> [Member] {
        stored.sorted { a, b in
            if a.member.teamCode != b.member.teamCode { return a.member.teamCode < b.member.teamCode }
            if a.member.isCurrentLeader != b.member.isCurrentLeader { return a.member.isCurrentLeader }
            return a.id < b.id
        }.map(\.member)
    }
}

/// What a teams import will write, worked out before any SQL (both engines use it).
///
/// New codes are added, known ones updated with the file's values. A team imported as
/// inactive keeps the day it became inactive when the workspace knows it, else gets `day`; an
/// active one has none. Unknown areas reject the whole file.
struct TeamImportPlan {
    enum Step {
        case insert(Team)
        case update(Team, id: Int64)
    }

    private(set) var steps: [Step] = []
    private(set) var summary = RosterImportSummary()

    init(rows: [TeamRow], file: String, on day: Day, areaExists: (String) -> Bool,
         existing: [String: StoredTeam]) throws {
        var problems = DiagnosticList(file: file)
        for row in rows where !areaExists(row.team.areaCode) {
            problems.add(line: row.line, column: "area_code", Phrase("areas.error.not_found", ["area": row.team.areaCode]))
        }
        try problems.check()
        for row in rows {
            var team = row.team
            let old = existing[team.code]
            if team.status == .inactive {
                team.inactiveSince = old?.team.status == .inactive ? (old?.team.inactiveSince ?? day) : day
            } else {
                team.inactiveSince = nil
            }
            guard let old else {
                steps.append(.insert(team))
                summary.added += 1
                continue
            }
            if old.team == team {
                summary.unchanged += 1
                continue
            }
            steps.append(.update(team, id: old.id))
            summary.updated += 1
        }
    }

    /// The team `team` as `teams add` stores it on `day`, or the `TeamError` that refuses it.
    /// A team added as inactive without a day becomes inactive on `day`.
    static func adding(_ team: Team, on day: Day, areaKnown: Bool, codeTaken: Bool) throws -> Team {
        guard areaKnown else { throw TeamError.unknownArea(team: team.code, area: team.areaCode) }
        if codeTaken { throw TeamError.teamExists(team.code) }
        var team = team
        team.inactiveSince = team.status == .inactive ? (team.inactiveSince ?? day) : nil
        return team
    }
}

/// What a members import will write, worked out before any SQL (both engines use it).
///
/// A member is known by team, name and phone: a known member's role and dates are updated,
/// nobody is added twice. Unknown teams, and a second current leader of a team (in the file or
/// in the workspace), reject the whole file.
struct MemberImportPlan {
    enum Step {
        case insert(Member, teamID: Int64)
        case update(Member, id: Int64)
    }

    /// Rows that stop being a current leader first: the one-leader index holds after every statement.
    private(set) var steps: [Step] = []
    private(set) var summary = RosterImportSummary()

    init(rows: [MemberRow], file: String, teams: [String: StoredTeam], existing: [StableID: StoredMember]) throws {
        var problems = DiagnosticList(file: file)
        for row in rows where teams[row.member.teamCode] == nil {
            problems.add(line: row.line, column: "team", Phrase("members.error.unknown_team", ["team": row.member.teamCode]))
        }
        try problems.check()
        let inFile = Set(rows.map(\.member.id))
        var storedLeader: [String: Member] = [:]
        for (id, stored) in existing where stored.member.isCurrentLeader && !inFile.contains(id) {
            storedLeader[stored.member.teamCode] = stored.member
        }
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
        let ordered = rows.sorted { !$0.member.isCurrentLeader && $1.member.isCurrentLeader }
        for row in ordered {
            let member = row.member
            guard let old = existing[member.id] else {
                steps.append(.insert(member, teamID: teams[member.teamCode]!.id))
                summary.added += 1
                continue
            }
            if old.member == member {
                summary.unchanged += 1
                continue
            }
            steps.append(.update(member, id: old.id))
            summary.updated += 1
        }
    }

    /// The warnings of adding `member` to `team` (nil: no such team) whose members are
    /// `existing`, or the `TeamError` that refuses it: an unknown team, a person already in
    /// the team, a second current leader, a day of leaving before joining.
    static func adding(_ member: Member, team: StoredTeam?, existing: [StableID: StoredMember]) throws -> [Warning] {
        guard let team else { throw TeamError.unknownTeam(member.teamCode) }
        if let joined = member.joined, let left = member.left, left < joined {
            throw TeamError.leftBeforeJoined(name: member.name)
        }
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
        return warnings
    }
}
