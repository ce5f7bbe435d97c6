/// The monthly report a district (or commune, or province) office sends up: headline figures,
/// coverage per unit against the target, progress week by week against the pace the target
/// needs, the hamlets furthest behind, the leaflet stock and the units that have gone quiet.
///
/// The model holds figures only; `html(labels:)` and `markdown(labels:)` put them into words
/// in either language. Its coverage is a `CoverageReport` built as `outreach coverage` builds
/// it, so the two always agree; its team lines are a `StructureReport` and its stock a
/// `LeafletStock`, as the `structure` and `leaflets stock` commands print them.
public struct DistrictReport: Sendable {
    /// An area the report names.
    public struct Place: Equatable, Sendable {
        public var code: String
        public var name: String
        public var level: AreaLevel
        /// The name of the area above ("Tỉnh Thanh Hóa"), when there is one.
        public var parentName: String?

        public init(code: String, name: String, level: AreaLevel, parentName: String? = nil) {
            self.code = code
            self.name = name
            self.level = level
            self.parentName = parentName
        }
    }

    /// One indicator's value, summed over the report's area, week by week.
    public struct Progress: Equatable, Sendable {
        /// The cumulative value at the end of a day.
        public struct Point: Equatable, Sendable {
            public var day: Day
            public var value: Int
        }

        /// The indicator's id.
        public var indicator: String
        /// Baselines of the numerator metrics under the area: the value before the first session.
        public var baseline: Int
        /// The value at the end of each week of the period (weeks counted from its first day),
        /// the last one on the report's day (or the period's last day, if earlier).
        public var points: [Point]
        /// The area's denominator, as the coverage report has it.
        public var denominator: Int?
    }

    /// A unit where sessions happen that has logged none in the last `quietDays` days.
    public struct QuietUnit: Equatable, Sendable {
        public var code: String
        public var name: String
        /// The parent's name without its prefix, for hamlets (their names repeat).
        public var within: String?
        /// The last live session up to the report's day, or nil for none ever.
        public var lastSession: Day?
        /// The unit's own active Project 06 team (else any active team of it), and its leader.
        public var team: String?
        public var leader: String?
    }

    /// The leaflets of one unit below the report's area, its whole subtree counted.
    public struct LeafletLine: Equatable, Sendable {
        public var code: String
        public var name: String
        /// Leaflets passed into the unit from above (or received from outside the tree).
        public var received: Int
        /// Handed out in the sessions of the unit and of every unit below it.
        public var handedOut: Int
        /// On hand in the unit and every unit below it.
        public var onHand: Int
        /// Some unit of the subtree handed out or passed on more than it received.
        public var over: Bool
    }

    /// A unit counts as quiet after this many days without a session.
    public static let quietDays = 14

    /// The campaign reported on.
    public var campaign: Campaign
    /// The area the report is about.
    public var place: Place
    /// The body that issues the report when it is not the place's own committee: from 1 July
    /// 2025 there is no district level, so a district's report is issued by its province's
    /// committee (`AreaLevel.twoLevelSince`).
    public var issuingBody: Place?
    /// The last day whose sessions count.
    public var asOf: Day
    /// Every area under `place`, in tree order, per indicator, with a total row each.
    public var coverage: CoverageReport
    /// Teams and members on `asOf`, by level and kind.
    public var structure: StructureReport
    /// Each unit's own leaflet stock on `asOf`.
    public var leaflets: LeafletStock
    /// Units directly below `place` with leaflet activity, their subtrees summed.
    public var leafletLines: [LeafletLine]
    /// Live sessions under `place` dated from the campaign's start to `asOf` (within the period).
    public var sessions: Int
    /// Every built-in metric summed over those sessions; nil where none recorded it.
    public var metricTotals: MetricValues
    /// One line per indicator, in campaign order.
    public var progress: [Progress]
    /// Units where sessions happen under `place` (its hamlets, else its lowest units).
    public var sessionUnits: Int
    /// Those of them without a session in the last `quietDays` days, longest quiet first.
    public var quiet: [QuietUnit]
    /// Who issues and signs the report (not a figure: the CLI sets it from `report`'s options).
    public var signature = ReportSignature()
    /// Which hamlets reported for the last period that ended by `asOf` (`outreach completeness`);
    /// nil while none has.
    public var completeness: CompletenessReport?
    /// The teams' quality and recognition, and the open follow-ups (`teams quality`,
    /// `followups list`), when the report was asked with them.
    public var quality: TeamQualityReport?
    public var openFollowUps: [FollowUp] = []

    /// Builds the report from what the store read.
    ///
    /// - Parameters:
    ///   - tree: the whole tree (with the country root for a whole-tree campaign); `start` indexes it.
    ///   - coverage: the campaign's coverage under `start`, every area listed.
    ///   - daily: live session totals per day under `start`, over the period up to `asOf`.
    ///   - units: tree indexes of the units where sessions happen (`sessionUnits(tree:start:)`).
    ///   - lastDays: the last session day of each unit, by area id (absent: none).
    ///   - teams: every team, to name who follows up a quiet unit.
    public init(campaign: Campaign, tree: AreaTree, start: Int, coverage: CoverageReport, structure: StructureReport,
                leaflets: LeafletStock, daily: [Day: AreaTotals], units: [Int], lastDays: [Int64: Day], teams: [Team]) {
        let node = tree.nodes[start]
        self.campaign = campaign
        self.place = Place(code: node.code, name: node.name, level: node.level,
                           parentName: node.parent.map { tree.nodes[$0].name })
        if coverage.asOf >= AreaLevel.twoLevelSince {
            // The law in force on the report's date: no district committee issues or receives it.
            let province = tree.ancestors(of: start).first { tree.nodes[$0].level == .province }
            if node.level == .district, let province {
                issuingBody = Place(code: tree.nodes[province].code, name: tree.nodes[province].name, level: .province)
            }
            if let p = node.parent, tree.nodes[p].level == .district {
                place.parentName = province.map { tree.nodes[$0].name }
            }
        }
        self.asOf = coverage.asOf
        self.coverage = coverage
        self.structure = structure
        self.leaflets = leaflets
        self.leafletLines = DistrictReport.leafletLines(leaflets, start: node.code)

        var totals = AreaTotals()
        for t in daily.values { totals.add(t) }
        self.sessions = totals.sessions
        self.metricTotals = totals.metrics

        // Baselines of every area under the start, per metric.
        let subtree = tree.preorder(from: [start])
        var baselines: [String: Int] = [:]
        for (i, _) in subtree {
            for (metric, value) in campaign.baselines[tree.nodes[i].code] ?? [:] { baselines[metric, default: 0] += value }
        }
        let days = daily.keys.sorted()
        let through = min(coverage.asOf, campaign.end)
        self.progress = coverage.indicators.map { indicator in
            let baseline = indicator.numerator.reduce(0) { $0 + (baselines[$1] ?? 0) }
            let metrics = indicator.numerator.compactMap(Metric.init(code:))
            var points: [Progress.Point] = []
            var value = baseline
            var next = 0
            var weekEnd = campaign.start.adding(days: 6)
            while through >= campaign.start {
                let end = min(weekEnd, through)
                while next < days.count, days[next] <= end {
                    let m = daily[days[next]]!.metrics
                    value += metrics.reduce(0) { $0 + (m[$1] ?? 0) }
                    next += 1
                }
                points.append(.init(day: end, value: value))
                if end == through { break }
                weekEnd = weekEnd.adding(days: 7)
            }
            let total = coverage.rows.first { $0.isTotal && $0.indicator == indicator.id }
            return Progress(indicator: indicator.id, baseline: baseline, points: points, denominator: total?.denominator)
        }

        // Units without a recent session, with the team that should follow them up.
        var teamOf: [String: Team] = [:]
        for team in teams.sorted(by: { ($0.kind, $0.code) < ($1.kind, $1.code) }) where team.isActive(on: coverage.asOf) {
            if teamOf[team.areaCode] == nil { teamOf[team.areaCode] = team }
        }
        let cutoff = coverage.asOf.adding(days: -(DistrictReport.quietDays - 1))
        var quiet: [(unit: QuietUnit, order: Int)] = []
        for (order, i) in units.enumerated() {
            let unit = tree.nodes[i]
            let last = lastDays[unit.id]
            if let last, last >= cutoff { continue }
            let team = teamOf[unit.code]
            quiet.append((QuietUnit(code: unit.code, name: unit.name,
                                    within: unit.level == .hamlet ? unit.parent.map { tree.nodes[$0].name.withoutAdministrativePrefix } : nil,
                                    lastSession: last, team: team?.code, leader: team?.leader), order))
        }
        quiet.sort { a, b in
            let (x, y) = (a.unit.lastSession?.number ?? Int.min, b.unit.lastSession?.number ?? Int.min)
            return x != y ? x < y : a.order < b.order
        }
        self.sessionUnits = units.count
        self.quiet = quiet.map(\.unit)
    }

    /// The units where sessions happen under `start`: its hamlets, or when it has none, its
    /// lowest units. In tree order.
    public static func sessionUnits(tree: AreaTree, start: Int) -> [Int] {
        let visits = tree.preorder(from: [start])
        let hamlets = visits.filter { tree.nodes[$0.index].level == .hamlet }.map(\.index)
        if !hamlets.isEmpty { return hamlets }
        return visits.filter { tree.children[$0.index].isEmpty }.map(\.index)
    }

    // MARK: Figures the renderers share

    /// The indicator's total row (the area itself).
    public func total(of indicator: Indicator) -> CoverageReport.Row? {
        coverage.rows.first { $0.isTotal && $0.indicator == indicator.id }
    }

    /// The rows of the units directly below the area, in tree order.
    public func unitRows(of indicator: Indicator) -> [CoverageReport.Row] {
        coverage.rows.filter { !$0.isTotal && $0.depth == 1 && $0.indicator == indicator.id }
    }

    /// Hamlets behind their share target, furthest from it first (ties in tree order): at most
    /// `limit`. Empty for a count target, which applies to the whole area, not to each hamlet.
    public func furthestBehind(_ indicator: Indicator, limit: Int = 10) -> [CoverageReport.Row] {
        guard case .share = indicator.target else { return [] }
        let rows = coverage.rows.enumerated().filter { _, row in
            !row.isTotal && row.indicator == indicator.id && row.kind == .hamlet && row.status == .behind
        }
        func gap(_ row: CoverageReport.Row) -> Double {
            guard case let .share(share) = row.target else { return 0 }
            return share - (row.coverage ?? 0)
        }
        return rows.sorted { a, b in
            let (ga, gb) = (gap(a.element), gap(b.element))
            return ga != gb ? ga > gb : a.offset < b.offset
        }.prefix(limit).map(\.element)
    }

    /// How many more (people, households …) a row needs to reach its share target; nil for a
    /// count target or without a denominator.
    public static func stillNeeded(_ row: CoverageReport.Row) -> Int? {
        guard case let .share(share) = row.target, let denominator = row.denominator else {
            if case let .count(count) = row.target { return max(0, count - (row.value ?? 0)) }
            return nil
        }
        let goal = Int(saturating: (share * Double(denominator) - 1e-9).rounded(.up))
        return max(0, goal - (row.value ?? 0))
    }

    /// Share of the period elapsed on the report's day.
    public var elapsedShare: Double { coverage.elapsedShare }

    /// The leaflet table as arithmetic a reader can check: one line per unit below the area,
    /// then the area's own line, each with received − handed out = on hand, so each column
    /// sums to the total line (`leafletTotal`).
    ///
    /// A line's "received" is what came into its subtree, net of what the subtree passed on to
    /// units outside it; the area's own line is what it kept (received − passed on).
    public var leafletTable: [LeafletLine] {
        var lines = leafletLines
        if let own = leaflets.rows.first(where: { $0.code == place.code }) {
            lines.append(LeafletLine(code: own.code, name: own.name, received: own.received - own.passedOn,
                                     handedOut: own.handedOut, onHand: own.onHand, over: own.flag == .over))
        }
        return lines
    }

    /// The column sums of `leafletTable`.
    public var leafletTotal: LeafletLine {
        let lines = leafletTable
        return LeafletLine(code: place.code, name: place.name, received: lines.reduce(0) { $0 + $1.received },
                           handedOut: lines.reduce(0) { $0 + $1.handedOut }, onHand: lines.reduce(0) { $0 + $1.onHand },
                           over: lines.contains { $0.over })
    }

    /// Sums each top unit's subtree of a stock report (rows in tree order, with depths); a
    /// line's received is its subtree's receipts net of what the subtree passed on.
    static func leafletLines(_ stock: LeafletStock, start: String) -> [LeafletLine] {
        var lines: [LeafletLine] = []
        var childDepth: Int? = nil
        for row in stock.rows {
            if row.code == start { childDepth = row.depth + 1; continue }
            guard let depth = childDepth ?? (stock.under == nil ? 0 : nil) else { continue }
            if row.depth == depth {
                lines.append(LeafletLine(code: row.code, name: row.name, received: 0, handedOut: 0, onHand: 0, over: false))
            }
            guard row.depth >= depth, !lines.isEmpty else { continue }
            lines[lines.count - 1].received += row.received - row.passedOn
            lines[lines.count - 1].handedOut += row.handedOut
            lines[lines.count - 1].onHand += row.onHand
            if row.flag == .over { lines[lines.count - 1].over = true }
        }
        return lines
    }
}

/// Who issues and signs a district report. Unset fields take the People's Committee style:
/// "ỦY BAN NHÂN DÂN / HUYỆN …" in the heading, "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" over the
/// signature (a whole-country summary: "NGƯỜI LẬP BÁO CÁO").
public struct ReportSignature: Equatable, Sendable {
    /// The issuing body ("BAN CHỈ ĐẠO ĐỀ ÁN 06"): the heading's first line, above the area's
    /// name, and the body the signer signs for ("TM. BAN CHỈ ĐẠO ĐỀ ÁN 06").
    public var issuer: String?
    /// The signer's title ("CHỦ TỊCH", "PHÓ CHỦ TỊCH", "TRƯỞNG BAN").
    public var title: String?
    /// The signer's name, under the space left for the signature and seal.
    public var name: String?

    public init(issuer: String? = nil, title: String? = nil, name: String? = nil) {
        func given(_ text: String?) -> String? {
            let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed?.isEmpty == false ? trimmed : nil
        }
        self.issuer = given(issuer)
        self.title = given(title)
        self.name = given(name)
    }
}
