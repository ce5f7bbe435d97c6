import Foundation

/// A session to be logged by hand (`outreach log`).
public struct NewSession: Equatable, Sendable {
    public var day: Day
    public var area: String
    public var team: String?
    public var loggedBy: String?
    public var metrics: MetricValues
    /// Counts of metrics campaigns declare (`metrics:` in a campaign file), by code.
    public var campaignCounts: [String: Int]
    public var notes: String?
    /// The id the session is to be stored under, when the sender made it (a web form opened, an
    /// API client): sent twice, it is stored once (`SessionLog.log`). A new random id when nil.
    public var id: UUID?

    public init(day: Day, area: String, team: String? = nil, loggedBy: String? = nil,
                metrics: MetricValues = MetricValues(), campaignCounts: [String: Int] = [:], notes: String? = nil,
                id: UUID? = nil) {
        self.id = id
        self.day = day
        self.area = area
        self.team = team
        self.loggedBy = loggedBy
        self.metrics = metrics
        self.campaignCounts = campaignCounts
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
    /// Counts by metric code: the built-in metrics and those campaigns declare, as recorded.
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
    /// One session, by its full id.
    public var id: UUID?
    public var includeVoided = false
    /// At most this many, the latest first (all, oldest first, when nil).
    public var latest: Int?

    public init(under: String? = nil, from: Day? = nil, to: Day? = nil, team: String? = nil, includeVoided: Bool = false,
                id: UUID? = nil, latest: Int? = nil) {
        self.id = id
        self.latest = latest
        self.under = under
        self.from = from
        self.to = to
        self.team = team
        self.includeVoided = includeVoided
    }
}

extension SessionQuery {
    /// The ORDER BY (and LIMIT) both engines list sessions in: by day, or the latest logged first.
    var orderSQL: String {
        latest.map { "ORDER BY s.id DESC LIMIT \(max(0, $0))" } ?? "ORDER BY s.day, s.id"
    }
}

/// The result of logging one session.
public struct LoggedSession: Equatable, Sendable {
    /// The new session's id.
    public var id: String
    /// The session it replaced (now voided), for `--replaces`.
    public var replaced: String?
    public var warnings: [Warning]
    /// Citizen-ID and phone numbers masked in the notes (`PersonalData`).
    public var maskedNumbers = 0
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
    /// A count of a metric that is neither built in nor declared by a campaign (`accepted`).
    case unknownMetric(String, accepted: [String])
    /// A count (of the metric with this code) below 0 or above `SessionCount.maximum`.
    case countOutOfRange(String, Int)
    /// A session is already stored under the id the sender chose (`NewSession.id`).
    case idTaken(String)
    /// A session is stored under that id with other figures.
    case idConflict(String)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String {
        switch self {
        case let .unknownArea(code): labels("sessions.error.unknown_area", ["code": code])
        case let .unknownTeam(code): labels("sessions.error.no_team", ["code": code])
        case let .unknownSession(id): labels("sessions.error.unknown_session", ["id": id])
        case let .ambiguousSession(prefix, count):
            labels("sessions.error.ambiguous", ["prefix": prefix, "count": labels.count(count)])
        case let .alreadyVoided(id, day, reason):
            labels("sessions.error.already_voided", ["id": id, "date": labels.date(day), "reason": reason])
        case .emptyReason: labels["sessions.error.empty_reason"]
        case .nothingRecorded: labels["sessions.error.nothing_recorded"]
        case let .unknownMetric(code, accepted):
            labels(accepted.isEmpty ? "sessions.error.unknown_metric.none" : "sessions.error.unknown_metric",
                   ["code": code, "accepted": accepted.joined(separator: ", ")])
        case let .idTaken(id), let .idConflict(id): labels("sessions.error.id_conflict", ["id": id])
        case let .countOutOfRange(code, value):
            labels("sessions.error.count_out_of_range", ["code": code, "value": labels.count(value),
                                                         "max": labels.count(SessionCount.maximum)])
        }
    }
}
