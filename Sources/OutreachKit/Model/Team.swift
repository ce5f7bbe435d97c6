/// The kinds of team SPEC.md names.
public enum TeamKind: String, CaseIterable, Codable, Sendable, Comparable {
    /// Tổ công tác Đề án 06: Project 06 working group, at commune or hamlet level.
    case project06
    /// Tổ công nghệ số cộng đồng: community digital technology team.
    case digital
    /// Đội tình nguyện: e.g. youth-union volunteers.
    case volunteer

    /// Reads a kind as written in a file or on the command line: the code in any case, with or
    /// without spaces, dashes or underscores (`Project 06`, `project_06`).
    public init?(parsing text: String) {
        let key = text.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" }
        self.init(rawValue: key)
    }

    public static func < (a: TeamKind, b: TeamKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Every code, for messages: "project06, digital or volunteer".
    public static let codeList = "project06, digital or volunteer"
}

/// Whether a team is working.
public enum TeamStatus: String, CaseIterable, Codable, Sendable {
    case active, inactive

    /// Reads `active` or `inactive` in any case.
    public init?(parsing text: String) { self.init(rawValue: text.lowercased()) }
}

/// A member's role in a team: at most one current leader per team.
public enum MemberRole: String, CaseIterable, Codable, Sendable {
    case leader, member

    /// Reads `leader` or `member` in any case.
    public init?(parsing text: String) { self.init(rawValue: text.lowercased()) }
}

/// A team: a Project 06 working group, a community digital team or a volunteer team, attached
/// to one area.
public struct Team: Equatable, Sendable {
    /// Unique code, chosen by the commune.
    public var code: String
    public var name: String
    public var kind: TeamKind
    /// The area the team belongs to (usually a commune or a hamlet).
    public var areaCode: String
    /// The leader's name as the teams file gives it (the members file may also name one).
    public var leader: String?
    public var leaderPhone: Phone?
    /// The day the team was set up, when known.
    public var formed: Day?
    public var status: TeamStatus
    /// The day an inactive team stopped working (the import day when nobody said).
    public var inactiveSince: Day?

    public init(code: String, name: String, kind: TeamKind, areaCode: String, leader: String? = nil,
                leaderPhone: Phone? = nil, formed: Day? = nil, status: TeamStatus = .active,
                inactiveSince: Day? = nil) {
        self.code = code
        self.name = name
        self.kind = kind
        self.areaCode = areaCode
        self.leader = leader
        self.leaderPhone = leaderPhone
        self.formed = formed
        self.status = status
        self.inactiveSince = inactiveSince
    }

    /// Whether the team was working on `day`: formed by then (or formed on an unknown day), and
    /// not yet inactive. An inactive team without a date counts as inactive on every day.
    public func isActive(on day: Day) -> Bool {
        if let formed, formed > day { return false }
        if status == .inactive {
            guard let since = inactiveSince else { return false }
            return since > day
        }
        return true
    }
}

/// A member of a team.
///
/// A member is identified by team, name and phone: importing the same person twice updates
/// them, it never adds them again. `id` is derived from those three, so it is stable.
public struct Member: Equatable, Sendable {
    public var teamCode: String
    /// NFC, trimmed, inner white space collapsed.
    public var name: String
    public var phone: Phone?
    public var role: MemberRole
    public var joined: Day?
    public var left: Day?

    /// `name` is normalised (NFC, trimmed, single spaces).
    public init(teamCode: String, name: String, phone: Phone? = nil, role: MemberRole = .member,
                joined: Day? = nil, left: Day? = nil) {
        self.teamCode = teamCode
        self.name = Member.canonicalName(name)
        self.phone = phone
        self.role = role
        self.joined = joined
        self.left = left
    }

    /// The member's stable id: a hash of "team code|name|phone".
    public var id: StableID { StableID.derived(from: "\(teamCode)|\(name)|\(phone?.digits ?? "")") }

    /// Whether the member belonged to the team on `day`: joined by then (or on an unknown day)
    /// and not left on or before it.
    public func isCurrent(on day: Day) -> Bool {
        if let joined, joined > day { return false }
        if let left, left <= day { return false }
        return true
    }

    /// Whether this member is the team's leader now: a leader without a day of leaving.
    public var isCurrentLeader: Bool { role == .leader && left == nil }

    /// A name as stored: NFC, trimmed, runs of white space made one space.
    public static func canonicalName(_ text: String) -> String {
        TextFolding.normalizedName(text).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

/// One row of a teams file, validated but not yet checked against the workspace.
public struct TeamRow: Equatable, Sendable {
    /// Physical line in the file.
    public var line: Int
    public var team: Team

    public init(line: Int, team: Team) {
        self.line = line
        self.team = team
    }
}

/// One row of a members file, validated but not yet checked against the workspace.
public struct MemberRow: Equatable, Sendable {
    /// Physical line in the file.
    public var line: Int
    public var member: Member

    public init(line: Int, member: Member) {
        self.line = line
        self.member = member
    }
}

/// A team or member named on the command line that cannot be added as asked.
public enum TeamError: Error, Equatable, Sendable, UserFacingError {
    case unknownTeam(String)
    case unknownArea(team: String, area: String)
    case teamExists(String)
    case memberExists(team: String, name: String)
    case secondLeader(team: String, leader: String, newcomer: String)
    case leftBeforeJoined(name: String)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String {
        switch self {
        case let .unknownTeam(code): labels("teams.error.unknown_team", ["code": code])
        case let .unknownArea(team, area): labels("teams.error.unknown_area", ["team": team, "area": area])
        case let .teamExists(code): labels("teams.error.team_exists", ["code": code])
        case let .memberExists(team, name): labels("members.error.member_exists", ["team": team, "name": name])
        case let .secondLeader(team, leader, newcomer):
            labels("members.error.second_leader", ["team": team, "leader": leader, "newcomer": newcomer])
        case let .leftBeforeJoined(name): labels("members.error.left_before_joined", ["name": name])
        }
    }
}
