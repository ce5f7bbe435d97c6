/// Which hamlets reported for a period, and on time: per unit from the start down to the
/// hamlets, rolled up the tree as sums (the reporting rate is derived last; rates never add).
///
/// A hamlet is expected to report when a team covers it during the period: a team attached to
/// the hamlet, or to the commune (ward, town, special zone) above it, that was formed by the
/// period's end and was not inactive since before its start. It reported when it has a live
/// session dated in the period; on time when the first of them was recorded by the deadline
/// (the period's end plus the campaign's `report_deadline_days`, a day in Vietnam time).
///
/// Pure: built from the tree, the teams and each area's own activity in the period.
public struct CompletenessReport: Equatable, Sendable {
    /// One unit: its own figures when a hamlet, its hamlets' summed otherwise.
    public struct Row: Equatable, Sendable {
        public var code: String
        public var name: String
        public var kind: AreaLevel
        /// The parent's name without its prefix, for hamlets (their names repeat).
        public var within: String?
        /// Levels below the report's start (the start is 0).
        public var depth: Int
        /// Hamlets expected to report (with a team covering them in the period).
        public var expected: Int
        /// Of those, the hamlets with at least one live session dated in the period.
        public var reported: Int
        /// Of those, the hamlets whose first session was recorded by the deadline.
        public var onTime: Int
        /// Reported after the deadline.
        public var late: Int

        public init(code: String, name: String, kind: AreaLevel, within: String? = nil, depth: Int,
                    expected: Int = 0, reported: Int = 0, onTime: Int = 0, late: Int = 0) {
            self.code = code
            self.name = name
            self.kind = kind
            self.within = within
            self.depth = depth
            self.expected = expected
            self.reported = reported
            self.onTime = onTime
            self.late = late
        }

        /// Expected hamlets with no session in the period.
        public var never: Int { expected - reported }
        /// Reported out of expected; nil when none was expected.
        public var rate: Double? { expected == 0 ? nil : Double(reported) / Double(expected) }
        /// On time out of expected; nil when none was expected.
        public var onTimeRate: Double? { expected == 0 ? nil : Double(onTime) / Double(expected) }

        /// Adds another unit's figures (a child's, when rolling up).
        mutating func add(_ other: Row) {
            expected += other.expected
            reported += other.reported
            onTime += other.onTime
            late += other.late
        }
    }

    public var campaign: String
    public var campaignName: String
    /// The period reported on.
    public var period: Period
    /// The days whose sessions count: the period, within the campaign's dates.
    public var from: Day
    public var through: Day
    /// The last day (Vietnam time) a first report counts as on time.
    public var deadline: Day
    /// The unit the report starts from; its row is the first and holds the totals.
    public var startCode: String
    public var startName: String
    /// Every unit from the start down to the hamlets, in tree order (siblings by code).
    public var rows: [Row]

    /// The start's row: the totals.
    public var total: Row { rows[0] }

    /// Builds the report for `period` of `campaign` from `start` (a tree index).
    ///
    /// `activity` holds each area's own live sessions dated in the period (within the
    /// campaign), by area id; only hamlets' count.
    public init(campaign: Campaign, period: Period, tree: AreaTree, start: Int, teams: [Team],
                activity: [Int64: ReportingActivity]) {
        self.campaign = campaign.id
        self.campaignName = campaign.name
        self.period = period
        self.from = max(period.start, campaign.start)
        self.through = min(period.end, campaign.end)
        self.deadline = period.end.adding(days: campaign.closing.reportDeadlineDays)
        self.startCode = tree.nodes[start].code
        self.startName = tree.nodes[start].name
        let duty = ReportingDuty(tree: tree, start: start, teams: teams, from: period.start, through: period.end)
        let walk = tree.preorder(from: [start])
        var position = [Int32](repeating: -1, count: tree.nodes.count)
        var rows: [Row] = []
        rows.reserveCapacity(walk.count)
        for (p, visit) in walk.enumerated() {
            let node = tree.nodes[visit.index]
            position[visit.index] = Int32(p)
            var row = Row(code: node.code, name: node.name, kind: node.level, depth: visit.depth)
            if node.level == .hamlet {
                row.within = node.parent.map { tree.nodes[$0].name.withoutAdministrativePrefix }
                if duty.isExpected(visit.index) {
                    row.expected = 1
                    if let seen = activity[node.id], seen.sessions > 0 {
                        row.reported = 1
                        if seen.onTime(deadline: deadline) { row.onTime = 1 } else { row.late = 1 }
                    }
                }
            }
            rows.append(row)
        }
        // Children come after their parent in the walk: summing backwards rolls every unit up.
        for p in rows.indices.dropFirst().reversed() {
            guard let parent = tree.nodes[walk[p].index].parent, position[parent] >= 0 else { continue }
            rows[Int(position[parent])].add(rows[p])
        }
        self.rows = rows
    }
}

/// Which team is expected to report for each hamlet over some days: its own team active then
/// (Project 06 first, then by code), else one of the commune above it.
///
/// Kept as an index into the teams per tree node: a national tree has 100,000 hamlets and
/// 200,000 teams, whose copies would cost more than the rest of the report.
public struct ReportingDuty: Sendable {
    private let teams: [Team]
    /// Per tree index, the position of its team in `teams`, or -1.
    private var chosen: [Int32]

    /// The duties of the hamlets under `start` (a tree index) over `from`…`through`.
    public init(tree: AreaTree, start: Int, teams: [Team], from: Day, through: Day) {
        self.teams = teams
        chosen = Array(repeating: -1, count: tree.nodes.count)
        // Whether team a comes before team b: Project 06 first, then by code.
        func before(_ a: Int32, _ b: Int32) -> Bool {
            let (x, y) = (teams[Int(a)], teams[Int(b)])
            if (x.kind == .project06) != (y.kind == .project06) { return x.kind == .project06 }
            return x.code < y.code
        }
        var communes: [Int: Int32] = [:]
        for k in teams.indices where teams[k].isActive(from: from, through: through) {
            guard let i = tree.index(of: teams[k].areaCode) else { continue }
            let level = tree.nodes[i].level
            let team = Int32(k)
            if level == .hamlet {
                if chosen[i] < 0 || before(team, chosen[i]) { chosen[i] = team }
            } else if level.isCommuneLevel {
                if let held = communes[i], before(held, team) { continue }
                communes[i] = team
            }
        }
        // A commune's team covers the hamlets of its subtree that have no team of their own.
        let own = chosen
        for (commune, team) in communes where tree.isInSubtree(commune, of: start) || tree.isInSubtree(start, of: commune) {
            for visit in tree.preorder(from: [commune]) where tree.nodes[visit.index].level == .hamlet && own[visit.index] < 0 {
                let held = chosen[visit.index]
                if held < 0 || before(team, held) { chosen[visit.index] = team }
            }
        }
    }

    /// Whether a team covers the hamlet `index`.
    public func isExpected(_ index: Int) -> Bool { chosen[index] >= 0 }

    /// The team expected to report for the hamlet `index`, nil when none covers it.
    public func team(of index: Int) -> Team? {
        let k = chosen[index]
        return k < 0 ? nil : teams[Int(k)]
    }
}

extension Team {
    /// Whether the team could report at some time from `from` to `through`: formed by then (or
    /// on an unknown day), and not inactive since before `from` (an inactive team without a day
    /// counts as inactive throughout).
    public func isActive(from: Day, through: Day) -> Bool {
        if let formed, formed > through { return false }
        if status == .inactive {
            guard let since = inactiveSince else { return false }
            return since >= from
        }
        return true
    }
}
