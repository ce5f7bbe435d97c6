/// The hamlets a commune or district officer should call: those with a team working today (their
/// own, or their commune's) that never reported in the campaign, have been silent for more than
/// some days, or are behind pace on the campaign's first indicator; each with its team, leader
/// and phone.
///
/// Ordered by how far behind: never reported first, then the longest silent, then the widest
/// gap to the target. Pure: built from the tree, the teams, each hamlet's activity in the
/// campaign and the coverage report; "today" is a parameter.
public struct ChaseList: Equatable, Sendable {
    /// Why a hamlet is on the list.
    public enum Reason: Equatable, Sendable {
        /// No live session since the campaign started.
        case never
        /// The last live session was `days` days before today.
        case silent(days: Int)
        /// Reporting, but behind pace: `coverage` (a share, or a count for a count target) against `target`.
        case behind(coverage: Double, target: Target, gap: Double)
    }

    /// One hamlet to chase.
    public struct Line: Equatable, Sendable {
        public var code: String
        public var name: String
        /// The area above (usually the commune), with its prefix: "Xã Tân Phúc".
        public var within: String?
        public var reason: Reason
        /// The last live session in the campaign, up to today.
        public var lastSession: Day?
        /// The team expected to report for it.
        public var team: String
        public var teamName: String
        /// The team's leader (`leader` of the teams file, else its current member with role leader).
        public var leader: String?
        public var phone: Phone?
    }

    public var campaign: String
    public var campaignName: String
    public var today: Day
    /// Days without a session after which a hamlet counts as silent.
    public var silentDays: Int
    public var startCode: String
    public var startName: String
    public var lines: [Line]

    /// Builds the list under `start` (a tree index).
    ///
    /// - Parameters:
    ///   - activity: each area's own live sessions from the campaign's start to today, by area id.
    ///   - coverage: the coverage report of the campaign's first indicator on `today` (its hamlet
    ///     rows with status `behind` are behind pace); nil for none.
    ///   - members: the teams' members, to find a leader a team does not name.
    public init(campaign: Campaign, tree: AreaTree, start: Int, teams: [Team], members: [Member],
                activity: [Int64: ReportingActivity], coverage: CoverageReport?, today: Day, silentDays: Int) {
        self.campaign = campaign.id
        self.campaignName = campaign.name
        self.today = today
        self.silentDays = silentDays
        self.startCode = tree.nodes[start].code
        self.startName = tree.nodes[start].name
        // The teams working today (the campaign's last day once it is over) are the ones to call.
        let through = min(today, campaign.end)
        let duty = ReportingDuty(tree: tree, start: start, teams: teams, from: through, through: through)
        var behind: [String: CoverageReport.Row] = [:]
        if let coverage, let first = coverage.indicators.first {
            for row in coverage.rows where row.indicator == first.id && !row.isTotal && row.kind == .hamlet && row.status == .behind {
                behind[row.code] = row
            }
        }
        var leaders: [String: Member] = [:]
        for member in members where member.isCurrentLeader && member.isCurrent(on: today) { leaders[member.teamCode] = member }
        var found: [(line: Line, order: Int)] = []
        for (order, visit) in tree.preorder(from: [start]).enumerated() {
            let node = tree.nodes[visit.index]
            guard node.level == .hamlet, let team = duty.team(of: visit.index) else { continue }
            let seen = activity[node.id].flatMap { $0.sessions > 0 ? $0 : nil }
            let reason: Reason
            if let seen {
                let days = today.number - seen.lastDay.number
                if days > silentDays {
                    reason = .silent(days: days)
                } else if let row = behind[node.code], let measure = ChaseList.measure(row) {
                    reason = .behind(coverage: measure, target: row.target, gap: ChaseList.gap(measure, row.target))
                } else {
                    continue
                }
            } else {
                reason = .never
            }
            let leader = team.leader == nil ? leaders[team.code] : nil
            found.append((Line(code: node.code, name: node.name, within: node.parent.map { tree.nodes[$0].name }, reason: reason,
                               lastSession: seen?.lastDay, team: team.code, teamName: team.name,
                               leader: team.leader ?? leader?.name, phone: team.leaderPhone ?? leader?.phone), order))
        }
        lines = found.sorted { a, b in
            let (ka, kb) = (ChaseList.rank(a.line.reason), ChaseList.rank(b.line.reason))
            return ka != kb ? ka < kb : a.order < b.order
        }.map(\.line)
    }

    /// The sort key of a reason: its group, then how far behind (larger first).
    static func rank(_ reason: Reason) -> SortKey {
        switch reason {
        case .never: SortKey(group: 0, behind: 0)
        case let .silent(days): SortKey(group: 1, behind: Double(days))
        case let .behind(_, _, gap): SortKey(group: 2, behind: gap)
        }
    }

    struct SortKey: Comparable {
        var group: Int
        var behind: Double
        static func < (a: SortKey, b: SortKey) -> Bool { a.group != b.group ? a.group < b.group : a.behind > b.behind }
    }

    /// A behind row's measure in its target's units: the coverage for a share, the value for a count.
    static func measure(_ row: CoverageReport.Row) -> Double? {
        switch row.target {
        case .share: row.coverage
        case .count: row.value.map(Double.init)
        }
    }

    /// How far short of its target a measure is, as a share of the target (0.4: 40 % of it to go).
    static func gap(_ measure: Double, _ target: Target) -> Double {
        let goal = target.number
        return goal > 0 ? (goal - measure) / goal : 0
    }
}
