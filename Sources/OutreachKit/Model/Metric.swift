/// The built-in metrics: counts logged in a session (SPEC.md, "Built-in metrics").
public enum Metric: String, CaseIterable, Codable, Sendable {
    case eidL2 = "eid_l2"
    case bankAccount = "bank_account"
    case ewallet
    case leaflets
    case dvcGuided = "dvc_guided"
    case householdsVisited = "households_visited"
    case peopleReached = "people_reached"
    case smartphoneSetup = "smartphone_setup"

    /// The code used in CSV headers, campaign files and database columns.
    public var code: String { rawValue }

    /// Position in `allCases`, the order of metric columns everywhere.
    public var index: Int {
        switch self {
        case .eidL2: return 0
        case .bankAccount: return 1
        case .ewallet: return 2
        case .leaflets: return 3
        case .dvcGuided: return 4
        case .householdsVisited: return 5
        case .peopleReached: return 6
        case .smartphoneSetup: return 7
        }
    }

    /// The metric with this code, if it is built in.
    public init?(code: String) { self.init(rawValue: code) }

    /// Every built-in code, comma-separated, for messages.
    public static let codeList = allCases.map(\.code).joined(separator: ", ")
}

/// Counts of every built-in metric, each `nil` when not recorded.
public struct MetricValues: Hashable, Codable, Sendable {
    /// Values in `Metric.allCases` order.
    public var values: [Int?]

    /// Number of built-in metrics.
    public static let width = Metric.allCases.count

    public init() { values = Array(repeating: nil, count: MetricValues.width) }

    public init(_ pairs: [Metric: Int]) {
        self.init()
        for (m, v) in pairs { values[m.index] = v }
    }

    public subscript(metric: Metric) -> Int? {
        get { values[metric.index] }
        set { values[metric.index] = newValue }
    }

    /// Adds `other`, keeping "not recorded" only where both are unrecorded. Never traps: a sum
    /// that does not fit stays at `Int.max` (the store's readers check the totals they read, so
    /// sums of them fit; `addChecked` throws instead).
    public mutating func add(_ other: MetricValues) {
        for i in values.indices {
            if let v = other.values[i] { values[i] = (values[i] ?? 0).addingClamped(v) }
        }
    }

    /// Adds `other`, throwing `CountOverflow` (naming the metric) when a sum does not fit.
    public mutating func addChecked(_ other: MetricValues) throws(CountOverflow) {
        for i in values.indices {
            if let v = other.values[i] { values[i] = try (values[i] ?? 0).addingCount(v, Metric.allCases[i].code) }
        }
    }

    /// Whether no metric is recorded.
    public var isEmpty: Bool { values.allSatisfy { $0 == nil } }
}

/// Live (non-voided) session totals of one area: number of sessions, sum of each metric, and
/// the last day with a session.
public struct AreaTotals: Hashable, Sendable {
    public var sessions: Int
    public var metrics: MetricValues
    public var lastDay: Day?

    public init(sessions: Int = 0, metrics: MetricValues = MetricValues(), lastDay: Day? = nil) {
        self.sessions = sessions
        self.metrics = metrics
        self.lastDay = lastDay
    }

    /// Adds another area's or month's totals.
    public mutating func add(_ other: AreaTotals) {
        sessions = sessions.addingClamped(other.sessions)
        metrics.add(other.metrics)
        if let d = other.lastDay, lastDay == nil || d > lastDay! { lastDay = d }
    }

    /// Adds another area's or month's totals, throwing `CountOverflow` when a sum does not fit.
    public mutating func addChecked(_ other: AreaTotals) throws(CountOverflow) {
        sessions = try sessions.addingCount(other.sessions, "sessions")
        try metrics.addChecked(other.metrics)
        if let d = other.lastDay, lastDay == nil || d > lastDay! { lastDay = d }
    }
}
