/// A campaign: a period, a scope in the tree, and indicators with targets (SPEC.md, "Coverage
/// semantics"). Read from `Campaigns/<id>.yaml` by `CampaignFile`.
public struct Campaign: Equatable, Sendable {
    /// The id, as in the file name `Campaigns/<id>.yaml`.
    public var id: String
    /// The Vietnamese name.
    public var name: String
    /// The English name, when given.
    public var nameEnglish: String?
    /// Code of the area the campaign covers (the root of its subtree).
    public var scope: String
    /// First day of the period.
    public var start: Day
    /// Last day of the period, inclusive.
    public var end: Day
    public var indicators: [Indicator]
    /// Metrics the campaign declares beyond the built-in ones.
    public var extraMetrics: [String]
    /// Targets a commune assigns to each hamlet: indicator id → area code → target. They
    /// override the indicator's target for that area.
    public var areaTargets: [String: [String: Target]]
    /// Targets set in the workspace for this campaign (`outreach targets set`): indicator id →
    /// area code → target. They override `areaTargets` and the indicator's target; empty until
    /// a report reads them (`withWorkspaceTargets`).
    public var workspaceTargets: [String: [String: Target]] = [:]
    /// Counts before the campaign started: area code → metric code → value.
    public var baselines: [String: [String: Int]]
    /// Where baselines come from, by area code and metric: the `source` and `as_of` of the
    /// baselines file's rows that name them.
    public var baselineSources: [String: [String: AreaSource]]
    /// The names people read of the declared metrics that give them (`metrics:` entries with a
    /// `label`), by code.
    public var metricNames: [String: MetricName]
    /// How its figures are closed: the approval period, the self-closing delay, the reporting
    /// deadline.
    public var closing: ClosingRules
    /// Validation rules checked on sessions and on totals (`rules:`), in file order.
    public var rules: [ValidationRule]

    public init(id: String, name: String, nameEnglish: String? = nil, scope: String, start: Day, end: Day,
                indicators: [Indicator], extraMetrics: [String] = [], areaTargets: [String: [String: Target]] = [:],
                baselines: [String: [String: Int]] = [:], baselineSources: [String: [String: AreaSource]] = [:], metricNames: [String: MetricName] = [:],
                closing: ClosingRules = ClosingRules(), rules: [ValidationRule] = []) {
        self.closing = closing
        self.rules = rules
        self.id = id
        self.name = name
        self.nameEnglish = nameEnglish
        self.scope = scope
        self.start = start
        self.end = end
        self.indicators = indicators
        self.extraMetrics = extraMetrics
        self.areaTargets = areaTargets
        self.baselines = baselines
        self.baselineSources = baselineSources
        self.metricNames = metricNames
    }

    /// What people read for the metric `code`: a declared metric's label in the language of
    /// `labels` (the Vietnamese one when it has no English one), else the code itself.
    public func metricName(_ code: String, _ labels: Labels) -> String {
        metricNames[code]?.text(labels.language) ?? code
    }

    /// The scope word for a campaign over every area of the workspace.
    public static let wholeTreeScope = "all"
    /// The name of the country row above the provinces in a whole-tree campaign's report.
    public static let wholeTreeName = "Cả nước"

    /// Whether the campaign covers every area (`scope: all`).
    public var coversWholeTree: Bool { scope == Campaign.wholeTreeScope }

    /// The indicator with this id.
    public func indicator(_ id: String) -> Indicator? { indicators.first { $0.id == id } }

    /// Share of the period elapsed on `day` (0 before the start, 1 from the end on).
    public func elapsedShare(on day: Day) -> Double {
        if day < start { return 0 }
        if day >= end { return 1 }
        return Double(day.number - start.number + 1) / Double(end.number - start.number + 1)
    }
}

/// Numerator metrics over a denominator, with a target.
public struct Indicator: Equatable, Sendable {
    public var id: String
    /// The Vietnamese label.
    public var label: String
    public var labelEnglish: String?
    /// Metric codes whose counts are summed.
    public var numerator: [String]
    /// The area attribute that is the denominator (`population`, `adults`, `working_age`,
    /// `households`), or nil for an absolute count.
    public var denominator: String?
    public var target: Target
    /// Intermediate targets, by day, in day order.
    public var milestones: [Milestone]
    public var rollUp: RollUpMode

    public init(id: String, label: String, labelEnglish: String? = nil, numerator: [String], denominator: String?,
                target: Target, milestones: [Milestone] = [], rollUp: RollUpMode = .ratio) {
        self.id = id
        self.label = label
        self.labelEnglish = labelEnglish
        self.numerator = numerator
        self.denominator = denominator
        self.target = target
        self.milestones = milestones
        self.rollUp = rollUp
    }
}

/// A goal: a share of the denominator (0.5 = 50 %) or an absolute count.
public enum Target: Equatable, Sendable {
    case share(Double)
    case count(Int)
}

/// A dated intermediate target.
public struct Milestone: Equatable, Sendable {
    public var day: Day
    public var target: Target

    public init(day: Day, target: Target) {
        self.day = day
        self.target = target
    }
}

/// How an indicator's figures combine up the tree.
public enum RollUpMode: String, CaseIterable, Equatable, Sendable {
    /// Sum numerators and denominators, then divide (the default; percentages never add).
    case ratio
    /// The mean of the children's coverage (each unit counts the same).
    case mean
    /// A parent meets its target only when all its units do.
    case all
}

/// What people call a metric a campaign declares: a Vietnamese label and, optionally, an English one.
public struct MetricName: Equatable, Sendable {
    public var label: String
    public var labelEnglish: String?

    public init(label: String, labelEnglish: String? = nil) {
        self.label = label
        self.labelEnglish = labelEnglish
    }

    /// The label in `language`; the Vietnamese one when there is no English one.
    public func text(_ language: Language) -> String {
        language == .en ? labelEnglish ?? label : label
    }
}
