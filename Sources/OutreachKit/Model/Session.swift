/// A session to be logged by hand (`outreach log`).
public struct NewSession: Equatable, Sendable {
    public var day: Day
    public var area: String
    public var team: String?
    public var loggedBy: String?
    public var metrics: MetricValues
    public var notes: String?

    public init(day: Day, area: String, team: String? = nil, loggedBy: String? = nil,
                metrics: MetricValues = MetricValues(), notes: String? = nil) {
        self.day = day
        self.area = area
        self.team = team
        self.loggedBy = loggedBy
        self.metrics = metrics
        self.notes = notes
    }
}

/// A stored session, as listed.
public struct SessionEntry: Equatable, Sendable, Codable {
    /// The session's UUID, lower-case.
    public var id: String
    public var date: Day
    public var area: String
    public var areaName: String
    public var team: String?
    public var loggedBy: String?
    public var metrics: [String: Int]
    public var notes: String?
    /// Set when the session was voided.
    public var voided: VoidInfo?

    /// Why and when a session was voided, and which session replaced it.
    public struct VoidInfo: Equatable, Sendable, Codable {
        public var date: Day
        public var reason: String
        public var replacedBy: String?
    }
}

/// Filters of `sessions list`.
public struct SessionQuery: Sendable {
    public var under: String?
    public var from: Day?
    public var to: Day?
    public var team: String?
    public var includeVoided = false

    public init(under: String? = nil, from: Day? = nil, to: Day? = nil, team: String? = nil, includeVoided: Bool = false) {
        self.under = under
        self.from = from
        self.to = to
        self.team = team
        self.includeVoided = includeVoided
    }
}

/// The result of logging one session.
public struct LoggedSession: Equatable, Sendable {
    /// The new session's id.
    public var id: String
    /// The session it replaced (now voided), for `--replaces`.
    public var replaced: String?
    public var warnings: [Warning]
}

/// Problems with sessions named on the command line.
public enum SessionError: Error, Equatable, Sendable, UserFacingError {
    case unknownArea(String)
    case unknownTeam(String)
    case unknownSession(String)
    case ambiguousSession(String, matches: Int)
    case alreadyVoided(String, on: Day, reason: String)
    case emptyReason
    case nothingRecorded

    public var message: String {
        switch self {
        case let .unknownArea(code):
            return "area \"\(code)\" does not exist. Find its code with `outreach areas find NAME`, or import it with `outreach areas import`."
        case let .unknownTeam(code):
            return "team \"\(code)\" does not exist. See the teams with `outreach teams list`, or add it with `outreach teams add`."
        case let .unknownSession(id):
            return "no session has the id \"\(id)\". List sessions with `outreach sessions list` and copy the id from there."
        case let .ambiguousSession(prefix, count):
            return "\(count) sessions have ids starting with \"\(prefix)\". Give more characters of the id."
        case let .alreadyVoided(id, day, reason):
            return "session \(id) was already voided on \(day.iso) (\(reason)). Nothing changed."
        case .emptyReason:
            return "a void needs a reason. Say why with --reason \"…\" (for example \"duplicate of the March sheet\")."
        case .nothingRecorded:
            return "the session records no count. Give at least one, such as --eid-l2 12 or --leaflets 40."
        }
    }
}
