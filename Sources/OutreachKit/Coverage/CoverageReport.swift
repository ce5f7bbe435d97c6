import Foundation

/// How a coverage report is printed.
public enum CoverageFormat: String, CaseIterable, Sendable {
    /// Aligned columns for people: one table per indicator.
    case table
    /// RFC 4180 CSV with a header line: ISO dates, `.` decimals, coverage as a fraction.
    case csv
    /// `{"campaign", "asOf", "rows": [...]}` with sorted keys.
    case json
    /// Markdown tables, for a shareable report.
    case md
}

/// Coverage of a campaign's indicators per area, rolled up the tree (SPEC.md, "Coverage
/// semantics"): one row per area per indicator, in tree order, and a total row per indicator.
///
/// Pure: built from a campaign, the tree and each area's own live session totals; the caller
/// picks which sessions count (not voided, in the period, up to `asOf`).
///
/// Rules beyond SPEC.md, in one place:
/// - An area's own value is the sum of the indicator's numerator metrics over its own sessions,
///   plus its baselines; "no data" (nil) when none of them is recorded. Built-in metrics and the
///   metrics the campaign declares (`metrics:`, logged in `session_metric`) count alike: each is
///   a column of `OwnTotals`, and a metric without a column there counts through baselines only.
/// - The target of an area is the one set in the workspace for it (`outreach targets set`), else
///   its per-area target when the campaign file assigns one, else the indicator's. A share target is compared with coverage, a count target with the value.
/// - `met`: the final target is reached. `on track`: the measure reaches the target × the
///   elapsed share of the period, or the target of the last milestone on or before `asOf` when
///   that is higher (milestones apply to areas on the indicator's target; an area with its own
///   target uses the elapsed share only). `no data`: no value, or a share target and no
///   coverage because of a denominator of 0. `no denominator`: a value, a share target and no
///   denominator. Otherwise `behind`.
/// - A unit with a value and no denominator is left out of its parent's ratio when the parent's
///   denominator is its children's sum (`rollUp(_:_:)`); rows say how many units they left out.
/// - Roll-up `mean`: an area with children gets the mean coverage of those children that have
///   one (`coverageIsMean`); values and denominators are still sums. Roll-up `all`: an area
///   with children is `met` when all of them are, `no data` when none has data, `behind` when
///   any is behind or has no data, `on track` otherwise.
/// - Totals: without a level filter, the start area's own row; with one, the sum of the listed
///   areas' values and denominators (an area inside another listed one is not counted twice),
///   against the indicator's target; under `mean` its coverage is the mean of theirs, under
///   `all` its status combines theirs; listed areas with a value and no denominator are left
///   out of it as a parent leaves them out. The total is computed before `behindOnly` drops
///   rows, and is always shown. `behindOnly` keeps the rows `behind` and those with `no data`
///   (never logged): both need a visit.
public struct CoverageReport: Equatable, Sendable {
    /// How an area stands against its target.
    public enum Status: String, CaseIterable, Codable, Sendable {
        case met
        case onTrack = "on track"
        case behind
        case noData = "no data"
        /// A value but no denominator, under a share target: no ratio to judge, and left out of
        /// the parent's ratio when the parent's denominator is its children's sum.
        case noDenominator = "no denominator"
    }

    /// Row order within an indicator (the total row stays last).
    public enum Sort: String, CaseIterable, Sendable {
        /// Parents before children, siblings by code.
        case tree
        /// Lowest coverage first; rows without coverage last; ties in tree order.
        case coverage
        /// By name, accents folded; ties in tree order.
        case name
        /// By area code.
        case code
    }

    /// Which areas are listed: one kind of area, or one depth below the start.
    public enum LevelFilter: Equatable, Sendable, CustomStringConvertible {
        /// Areas of this level; `.commune` stands for every commune-level kind (ward, town,
        /// special zone too).
        case kind(AreaLevel)
        /// Areas this many levels below the start (0 is the start itself).
        case depth(Int)

        /// Reads `--level`: a number (a depth) or a kind in English or Vietnamese.
        public init?(parsing text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let n = Int(trimmed) {
                guard n >= 0 else { return nil }
                self = .depth(n)
                return
            }
            guard let parsed = AreaLevel.parse(trimmed, hasParent: true) else { return nil }
            self = .kind(parsed.level)
        }

        /// Whether an area of `level`, `depth` levels below the start, is listed.
        public func matches(_ level: AreaLevel, depth: Int) -> Bool {
            switch self {
            case let .kind(kind): return kind == .commune ? level.isCommuneLevel : level == kind
            case let .depth(d): return depth == d
            }
        }

        /// "commune-level areas", "areas 2 levels below": for the report's heading.
        public var description: String {
            switch self {
            case let .kind(kind): return kind == .commune ? "commune-level areas" : "\(kind.rawValue) areas"
            case let .depth(d): return "areas \(d) level\(d == 1 ? "" : "s") below"
            }
        }
    }

    /// What to report.
    public struct Options: Equatable, Sendable {
        /// The last day that counts; the elapsed share of the period is taken on it.
        public var asOf: Day
        /// One indicator's id, or nil for all of them.
        public var indicator: String?
        /// Code of the start area (nil: the campaign's scope). It must lie in the scope.
        public var under: String?
        /// Only areas of this kind or depth (nil: every area under the start).
        public var level: LevelFilter?
        /// Only rows whose status is `behind` or `no data` (never logged), and the total.
        public var behindOnly: Bool
        /// Row order within each indicator.
        public var sort: Sort
        /// The day whose tree the report rolls up under (nil: the tree in force on `asOf`).
        public var tree: Day?
        /// Where the sessions of units not in that tree are counted (set when the tree is dated).
        var placement: [Int64: Int64]?

        /// The day of the tree the report is built on.
        public var treeDay: Day { tree ?? asOf }

        /// Options with the defaults of `outreach coverage`: every indicator, the whole scope.
        public init(asOf: Day, indicator: String? = nil, under: String? = nil, level: LevelFilter? = nil,
                    behindOnly: Bool = false, sort: Sort = .tree, tree: Day? = nil) {
            self.tree = tree
            self.asOf = asOf
            self.indicator = indicator
            self.under = under
            self.level = level
            self.behindOnly = behindOnly
            self.sort = sort
        }
    }

    /// One area and one indicator, or an indicator's total.
    public struct Row: Equatable, Sendable {
        /// The area's code (the start's, for a total).
        public var code: String
        /// The area's name (the start's, for a total).
        public var name: String
        /// The area's level (`total` in CSV and JSON for a total row).
        public var kind: AreaLevel
        /// The local word for the level (ấp, bản, tổ dân phố …) when the area list gave one.
        public var localKind: String?
        /// The parent's name without its prefix, for hamlets (their names repeat).
        public var within: String?
        /// Levels below the start (the start is 0; totals are 0).
        public var depth: Int
        /// The indicator's id.
        public var indicator: String
        /// Numerator sum with baselines, or nil for "no data" (not 0).
        public var value: Int?
        /// Nil when no denominator is known ("n/a").
        public var denominator: Int?
        /// value / denominator (1 = 100 %, never clamped), the mean of the children's coverage
        /// under roll-up `mean`, or nil.
        public var coverage: Double?
        /// The target this area is measured against.
        public var target: Target
        /// Where `target` comes from: set in the workspace, the campaign file's per-area table, or
        /// the indicator.
        public var targetOrigin: TargetOrigin
        /// How the area stands against `target` on the report's day.
        public var status: Status
        /// Coverage above 100 %: shown and flagged, not clamped.
        public var over: Bool
        /// The coverage is a mean of the children's coverage (roll-up `mean`), not a ratio.
        public var coverageIsMean: Bool
        /// The indicator's total row.
        public var isTotal: Bool
        /// For a total over a level filter: how many areas it sums.
        public var summedAreas: Int?
        /// Units below (or, for a filtered total, listed areas) with a value and no denominator,
        /// kept out of both sides of this row's ratio.
        public var leftOut: Int

        /// A row as the report builds it.
        public init(code: String, name: String, kind: AreaLevel, localKind: String? = nil, within: String? = nil, depth: Int,
                    indicator: String, value: Int?, denominator: Int?, coverage: Double?, target: Target,
                    targetOrigin: TargetOrigin = .indicator, status: Status,
                    over: Bool = false, coverageIsMean: Bool = false, isTotal: Bool = false, summedAreas: Int? = nil,
                    leftOut: Int = 0) {
            self.code = code
            self.name = name
            self.kind = kind
            self.localKind = localKind
            self.within = within
            self.depth = depth
            self.indicator = indicator
            self.value = value
            self.denominator = denominator
            self.coverage = coverage
            self.target = target
            self.targetOrigin = targetOrigin
            self.status = status
            self.over = over
            self.coverageIsMean = coverageIsMean
            self.isTotal = isTotal
            self.summedAreas = summedAreas
            self.leftOut = leftOut
        }
    }

    /// The campaign's id.
    public var campaign: String
    /// Where the denominators of the report's areas come from (`source`, `as_of` of the areas
    /// files), with how many areas each; empty when no file named one.
    public var denominatorSources: [DenominatorSource] = []
    /// The baselines counted in the report's indicators, by indicator and source (see
    /// `BaselineSource.summary`); empty when the campaign has none under the start.
    public var baselineSources: [BaselineSource] = []
    /// The day whose tree the figures roll up under, when the workspace has dated history.
    public var treeDay: Day?
    /// Per-area targets set on units that are not in that tree, and the unit they are now part of.
    public var targetsElsewhere: [TargetElsewhere] = []

    /// A per-area target set on a unit not in the report's tree.
    public struct TargetElsewhere: Equatable, Sendable, Codable {
        public var code: String
        public var name: String
        /// Its last day, when it has ended.
        public var until: Day?
        /// The unit of the report's tree that stands for it ("29194 Xã Đại Điền").
        public var now: String?
    }
    /// The campaign's Vietnamese name.
    public var campaignName: String
    /// The names of the metrics the campaign declares with a label, by code.
    public var metricNames: [String: MetricName]
    /// First and last day of the campaign's period.
    public var periodStart: Day
    public var periodEnd: Day
    /// The last day whose sessions count.
    public var asOf: Day
    /// Share of the period elapsed on `asOf` (0…1).
    public var elapsedShare: Double
    /// The start area's code and name.
    public var startCode: String
    public var startName: String
    /// The options the rows were chosen and ordered by.
    public var level: LevelFilter?
    public var behindOnly: Bool
    public var sort: Sort
    /// The indicators reported, in campaign order.
    public var indicators: [Indicator]
    /// For each indicator in turn: its rows, then its total row.
    public var rows: [Row]

    /// Builds the report.
    ///
    /// `ownTotals` maps a tree index to the live session totals of that area itself (not its
    /// subtree), for the sessions that count: not voided, dated from the campaign's start to
    /// `options.asOf`. Areas outside the start's subtree are ignored.
    public init(campaign: Campaign, tree: AreaTree, ownTotals: [Int: AreaTotals], options: Options) throws {
        try self.init(campaign: campaign, tree: tree, ownTotals: OwnTotals(count: tree.nodes.count, ownTotals), options: options)
    }

    /// Builds the report from own totals by tree index (see the other initializer).
    public init(campaign: Campaign, tree: AreaTree, ownTotals: OwnTotals, options: Options) throws {
        let indicators: [Indicator]
        if let id = options.indicator {
            guard let indicator = campaign.indicator(id) else {
                throw CoverageError.unknownIndicator(campaign: campaign.id, indicator: id, known: campaign.indicators.map(\.id))
            }
            indicators = [indicator]
        } else {
            indicators = campaign.indicators
        }
        guard let scope = tree.index(of: campaign.scope) else {
            throw CoverageError.scopeNotFound(campaign: campaign.id, scope: campaign.scope)
        }
        // Every sum below (roll-ups, totals) is a sum of some of these: once they all fit
        // together, none can overflow.
        var baselines = 0
        for values in campaign.baselines.values {
            for (metric, v) in values { baselines = try baselines.addingCount(Int(exactly: v.magnitude) ?? Int.max, metric) }
        }
        try ownTotals.checkSums(adding: baselines)
        var start = scope
        if let code = options.under {
            guard let i = tree.index(of: code) else { throw CoverageError.unknownArea(code) }
            guard tree.isInSubtree(i, of: scope) else {
                throw CoverageError.outsideScope(code: code, name: tree.nodes[i].name, campaign: campaign.id,
                                                 scope: campaign.scope, scopeName: tree.nodes[scope].name)
            }
            start = i
        }
        self.campaign = campaign.id
        self.campaignName = campaign.name
        self.metricNames = campaign.metricNames
        self.periodStart = campaign.start
        self.periodEnd = campaign.end
        self.asOf = options.asOf
        self.elapsedShare = campaign.elapsedShare(on: options.asOf)
        self.startCode = tree.nodes[start].code
        self.startName = tree.nodes[start].name
        self.level = options.level
        self.behindOnly = options.behindOnly
        self.sort = options.sort
        self.indicators = indicators

        let layout = Layout(tree: tree, start: start, level: options.level)
        // Rows are made straight into the report's array (two threads for a national report):
        // 111,000 rows copied from parts would cost as much again.
        var sections: [Range<Int>] = []
        let elapsedShare = self.elapsedShare
        var rows = [Row](unsafeUninitializedCapacity: indicators.count * (layout.listedCount + 1)) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            for indicator in indicators {
                let computed = Computation(indicator: indicator, campaign: campaign, tree: tree, layout: layout,
                                           ownTotals: ownTotals, asOf: options.asOf, elapsedShare: elapsedShare)
                let first = count
                count += computed.initializeAreaRows(at: base + count, behindOnly: options.behindOnly)
                sections.append(first..<count)
                (base + count).initialize(to: computed.totalRow())
                count += 1
            }
        }
        if options.sort != .tree {
            for section in sections { CoverageReport.sort(&rows[section], by: options.sort) }
        }
        self.rows = rows
    }

    /// Stable sort of one indicator's area rows (they arrive in tree order).
    static func sort(_ rows: inout ArraySlice<Row>, by sort: Sort) {
        let base = rows.startIndex
        let order: [Int]
        switch sort {
        case .tree:
            return
        case .coverage:
            order = rows.indices.sorted { a, b in
                switch (rows[a].coverage, rows[b].coverage) {
                case let (x?, y?): return x != y ? x < y : a < b
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a < b
                }
            }
        case .name:
            let keys = rows.map { TextFolding.fold($0.name) }
            order = rows.indices.sorted { a, b in
                let (ka, kb) = (keys[a - base], keys[b - base])
                if ka != kb { return ka < kb }
                if rows[a].name != rows[b].name { return rows[a].name < rows[b].name }
                return a < b
            }
        case .code:
            order = rows.indices.sorted { a, b in rows[a].code != rows[b].code ? rows[a].code < rows[b].code : a < b }
        }
        let sorted = order.map { rows[$0] }
        rows.replaceSubrange(rows.indices, with: sorted)
    }
}

/// A coverage request that cannot be answered, and what to do instead.
public enum CoverageError: Error, Equatable, Sendable, UserFacingError {
    /// `--indicator` names no indicator of the campaign.
    case unknownIndicator(campaign: String, indicator: String, known: [String])
    /// The campaign's scope is not an area of the workspace.
    case scopeNotFound(campaign: String, scope: String)
    /// `--under` names no area.
    case unknownArea(String)
    /// `--under` names an area outside the campaign's scope.
    case outsideScope(code: String, name: String, campaign: String, scope: String, scopeName: String)

    /// What went wrong and what to do, for the command line.
    public var message: String {
        switch self {
        case let .unknownIndicator(campaign, indicator, known):
            return "campaign \"\(campaign)\" has no indicator \"\(indicator)\". Use one of: \(known.joined(separator: ", ")) (`outreach campaigns show \(campaign)` lists them)."
        case let .scopeNotFound(campaign, scope):
            return "the scope of campaign \"\(campaign)\" is area \"\(scope)\", which is not in the workspace. Import it with `outreach areas import`, or fix `scope:` in Campaigns/\(campaign).yaml."
        case let .unknownArea(code):
            return "there is no area with code \"\(code)\". Look it up with `outreach areas find NAME`."
        case let .outsideScope(code, name, campaign, scope, scopeName):
            return "\(name) (\(code)) is outside the scope of campaign \"\(campaign)\", \(scopeName) (\(scope)). Give --under an area in that scope (`outreach areas list --under \(scope)` lists them), or leave it out."
        }
    }
}

extension AreaAttributes {
    /// A reader of the attribute called `name` (nil for an unknown name), chosen once per report.
    static func reader(_ name: String) -> @Sendable (AreaAttributes) -> Int? {
        switch name {
        case "population": return { $0.population }
        case "adults": return { $0.adults }
        case "working_age": return { $0.workingAge }
        case "households": return { $0.households }
        default: return { _ in nil }
        }
    }
}

extension Target {
    /// The target as a number: a share (0.5) or a count.
    var number: Double {
        switch self {
        case let .share(s): return s
        case let .count(n): return Double(n)
        }
    }

    func isSameKind(as other: Target) -> Bool {
        switch (self, other) {
        case (.share, .share), (.count, .count): return true
        default: return false
        }
    }
}

extension CoverageReport {
    /// The walk from the start and which of its positions are listed; shared by the indicators.
    struct Layout {
        let walk: TreeWalk
        /// Listed by the level filter (every position without one).
        let listed: [Bool]
        /// Listed, with no listed ancestor: the areas a filtered total sums.
        let topListed: [Bool]
        /// Positions with children.
        let hasChildren: [Bool]
        /// Whether a level filter chose the listed areas.
        let isFiltered: Bool
        /// Number of listed positions.
        let listedCount: Int
        /// Position of each tree index in the walk, or -1 outside the start's subtree.
        private let positions: [Int32]

        /// Position of the area with tree index `index`, or -1 when it is not under the start.
        func position(of index: Int) -> Int { positions.indices.contains(index) ? Int(positions[index]) : -1 }

        init(tree: AreaTree, start: Int, level: LevelFilter?) {
            walk = TreeWalk(tree, from: [start])
            isFiltered = level != nil
            var positions = [Int32](repeating: -1, count: tree.nodes.count)
            for (position, index) in walk.indexes.enumerated() { positions[index] = Int32(position) }
            self.positions = positions
            let n = walk.count
            var listed = [Bool](repeating: level == nil, count: n)
            var topListed = [Bool](repeating: false, count: n)
            var covered = [Bool](repeating: false, count: n)
            var hasChildren = [Bool](repeating: false, count: n)
            for position in 0..<n {
                let p = walk.parents[position]
                if p >= 0 {
                    hasChildren[p] = true
                    covered[position] = covered[p] || listed[p]
                }
                if let level { listed[position] = level.matches(tree.nodes[walk.indexes[position]].level, depth: walk.depths[position]) }
                topListed[position] = listed[position] && !covered[position]
            }
            self.listed = listed
            self.listedCount = level == nil ? n : listed.reduce(0) { $0 + ($1 ? 1 : 0) }
            self.topListed = topListed
            self.hasChildren = hasChildren
        }
    }

    /// One indicator's figures over a layout, by position.
    struct Computation {
        let indicator: Indicator
        let tree: AreaTree
        let layout: Layout
        /// Rolled tallies.
        let tallies: [Tally]
        /// Per-area targets by position (nil: the indicator's).
        let ownTargets: [Target?]
        /// Where each position's target comes from.
        let origins: [TargetOrigin]
        let coverages: [Double?]
        let statuses: [Status]
        /// The on-track bar of areas on the indicator's target.
        let indicatorThreshold: Double

        init(indicator: Indicator, campaign: Campaign, tree: AreaTree, layout: Layout, ownTotals: OwnTotals,
             asOf: Day, elapsedShare: Double) {
            self.indicator = indicator
            self.tree = tree
            self.layout = layout
            let walk = layout.walk
            let n = walk.count

            // Own tallies.
            let columns = indicator.numerator.compactMap { ownTotals.column(of: $0) }
            var baselines: [Int: Int] = [:]
            for (code, values) in campaign.baselines {
                guard let i = tree.index(of: code) else { continue }
                var sum: Int?
                for metric in indicator.numerator { if let v = values[metric] { sum = (sum ?? 0).addingClamped(v) } }
                if let sum { baselines[i] = sum }
            }
            var own = [Tally](repeating: Tally(), count: n)
            for position in 0..<n where walk.indexes[position] < ownTotals.count {
                own[position].value = ownTotals.sum(at: walk.indexes[position], of: columns)
            }
            for (index, b) in baselines {
                let position = layout.position(of: index)
                if position >= 0 { own[position].value = (own[position].value ?? 0).addingClamped(b) }
            }
            if let attribute = indicator.denominator {
                let read = AreaAttributes.reader(attribute)
                for position in 0..<n { own[position].denominator = read(tree.nodes[walk.indexes[position]].attributes) }
            }
            let tallies = rollUp(walk, own)
            self.tallies = tallies

            // Targets and on-track thresholds.
            // The campaign file's per-area targets, then those set in the workspace over them.
            var ownTargets = [Target?](repeating: nil, count: n)
            var origins = [TargetOrigin](repeating: .indicator, count: n)
            for (targets, origin) in [(campaign.areaTargets, TargetOrigin.campaignFile), (campaign.workspaceTargets, .workspace)] {
                for (code, target) in targets[indicator.id] ?? [:] {
                    guard let i = tree.index(of: code) else { continue }
                    let position = layout.position(of: i)
                    if position >= 0 {
                        ownTargets[position] = target
                        origins[position] = origin
                    }
                }
            }
            self.ownTargets = ownTargets
            self.origins = origins
            let lastMilestone = indicator.milestones.last { $0.day <= asOf && $0.target.isSameKind(as: indicator.target) }
            indicatorThreshold = max(indicator.target.number * elapsedShare, lastMilestone?.target.number ?? 0)

            // Coverage: ratios, or means of the children's coverage.
            var coverages = tallies.map(\.coverage)
            if indicator.rollUp == .mean {
                var sums = [Double](repeating: 0, count: n)
                var counts = [Int](repeating: 0, count: n)
                var position = n - 1
                while position >= 0 {
                    if layout.hasChildren[position] { coverages[position] = counts[position] > 0 ? sums[position] / Double(counts[position]) : nil }
                    let p = walk.parents[position]
                    if p >= 0, let c = coverages[position] {
                        sums[p] += c
                        counts[p] += 1
                    }
                    position -= 1
                }
            }
            self.coverages = coverages

            // Status.
            var statuses = [Status](repeating: .noData, count: n)
            for position in 0..<n {
                let target = ownTargets[position] ?? indicator.target
                let threshold = ownTargets[position] == nil ? indicatorThreshold : target.number * elapsedShare
                statuses[position] = Computation.status(value: tallies[position].value, denominator: tallies[position].denominator,
                                                        coverage: coverages[position], target: target, threshold: threshold)
            }
            if indicator.rollUp == .all {
                var children = [StatusCount](repeating: StatusCount(), count: n)
                var position = n - 1
                while position >= 0 {
                    if layout.hasChildren[position] { statuses[position] = children[position].combined }
                    let p = walk.parents[position]
                    if p >= 0 { children[p].add(statuses[position]) }
                    position -= 1
                }
            }
            self.statuses = statuses
        }

        /// Status of a measure against a target: `threshold` is the on-track bar, in the
        /// target's units.
        static func status(value: Int?, denominator: Int?, coverage: Double?, target: Target, threshold: Double) -> Status {
            guard let value else { return .noData }
            let measure: Double
            switch target {
            case let .share(share):
                guard let coverage else { return denominator == nil ? .noDenominator : .noData }
                if coverage >= share { return .met }
                measure = coverage
            case let .count(count):
                if value >= count { return .met }
                measure = Double(value)
            }
            return measure >= threshold ? .onTrack : .behind
        }

        /// Appends the listed areas' rows (only those behind with `behindOnly`), in tree order.
        ///
        /// A national walk (over 100,000 rows) is built in two halves on two threads.
        /// Initialises the rows of the listed areas (only those behind with `behindOnly`) in tree
        /// order from `base`; returns how many. A national report's rows are made in two halves
        /// at once, each into its own part of the memory.
        func initializeAreaRows(at base: UnsafeMutablePointer<Row>, behindOnly: Bool) -> Int {
            let parts = split(0..<layout.walk.count, into: reportThreads(rows: layout.walk.count))
            var offsets = [0]
            for part in parts.dropLast() {
                offsets.append(offsets.last! + part.count { shown($0, behindOnly: behindOnly) })
            }
            return parallelMap(parts.count) { k in
                initializeAreaRows(in: parts[k], at: base + offsets[k], behindOnly: behindOnly)
            }.reduce(0, +)
        }

        private func shown(_ position: Int, behindOnly: Bool) -> Bool {
            layout.listed[position] && (!behindOnly || statuses[position] == .behind || statuses[position] == .noData)
        }

        private func initializeAreaRows(in positions: Range<Int>, at base: UnsafeMutablePointer<Row>, behindOnly: Bool) -> Int {
            // Hamlets share their parent's short name: work it out once per parent.
            var withinCache: (parent: Int, name: String?) = (-1, nil)
            var count = 0
            for position in positions where shown(position, behindOnly: behindOnly) {
                let index = layout.walk.indexes[position]
                var within: String?
                if tree.nodes[index].level == .hamlet, let parent = tree.nodes[index].parent {
                    if withinCache.parent != parent { withinCache = (parent, tree.nodes[parent].name.withoutAdministrativePrefix) }
                    within = withinCache.name
                }
                (base + count).initialize(to: row(at: position, within: within))
                count += 1
            }
            return count
        }

        /// The row of the area at `position`.
        func row(at position: Int, within: String?) -> Row {
            let node = tree.nodes[layout.walk.indexes[position]]
            let coverage = coverages[position]
            return Row(code: node.code, name: node.name, kind: node.level, localKind: node.localKind, within: within,
                       depth: layout.walk.depths[position], indicator: indicator.id, value: tallies[position].value,
                       denominator: tallies[position].denominator, coverage: coverage,
                       target: ownTargets[position] ?? indicator.target, targetOrigin: origins[position], status: statuses[position],
                       over: (coverage ?? 0) > 1, coverageIsMean: indicator.rollUp == .mean && layout.hasChildren[position],
                       leftOut: tallies[position].leftOut)
        }

        /// The start's row as a total, or with a level filter the sum of the listed areas.
        func totalRow() -> Row {
            let startNode = tree.nodes[layout.walk.indexes[0]]
            guard layout.isFiltered else {
                var total = self.row(at: 0, within: nil)
                total.isTotal = true
                return total
            }
            var listed = ChildSums()
            var summed = 0
            var coverageSum = 0.0
            var coverageCount = 0
            var children = StatusCount()
            for position in 0..<layout.walk.count where layout.topListed[position] {
                listed.add(tallies[position], whole: tallies[position].value)
                summed += 1
                if let c = coverages[position] {
                    coverageSum += c
                    coverageCount += 1
                }
                children.add(statuses[position])
            }
            let sum = listed.tally(own: Tally()).tally
            let coverage: Double?
            let status: Status
            switch indicator.rollUp {
            case .ratio:
                coverage = sum.coverage
                status = Computation.status(value: sum.value, denominator: sum.denominator, coverage: coverage,
                                            target: indicator.target, threshold: indicatorThreshold)
            case .mean:
                coverage = coverageCount > 0 ? coverageSum / Double(coverageCount) : nil
                status = Computation.status(value: sum.value, denominator: sum.denominator, coverage: coverage,
                                            target: indicator.target, threshold: indicatorThreshold)
            case .all:
                coverage = sum.coverage
                status = children.combined
            }
            return Row(code: startNode.code, name: startNode.name, kind: startNode.level, depth: 0, indicator: indicator.id,
                       value: sum.value, denominator: sum.denominator, coverage: coverage, target: indicator.target,
                       status: status, over: (coverage ?? 0) > 1, coverageIsMean: indicator.rollUp == .mean,
                       isTotal: true, summedAreas: summed, leftOut: sum.leftOut)
        }
    }

    /// Children's statuses, for roll-up `all`.
    struct StatusCount {
        var count = 0
        var met = 0
        var noData = 0
        var behind = 0

        mutating func add(_ status: Status) {
            count += 1
            switch status {
            case .met: met += 1
            case .noData, .noDenominator: noData += 1
            case .behind: behind += 1
            case .onTrack: break
            }
        }

        /// `met` when all are met, `no data` when none has data (or there are none), `behind`
        /// when any is behind or without data, `on track` otherwise. A child without a
        /// denominator counts as one without data: it cannot be judged.
        var combined: Status {
            if count == 0 || noData == count { return .noData }
            if met == count { return .met }
            if behind > 0 || noData > 0 { return .behind }
            return .onTrack
        }
    }
}

/// A source of denominators and the number of a report's areas that take theirs from it (nil
/// source: areas whose file named none).
public struct DenominatorSource: Sendable, Equatable {
    public var source: AreaSource?
    public var areas: Int

    /// Counts the sources of the areas of `ids` (every source named, then the areas without one).
    public static func summary(_ ids: [Int64], sources: [Int64: AreaSource]) -> [DenominatorSource] {
        guard !sources.isEmpty else { return [] }
        var counts: [AreaSource: Int] = [:]
        var none = 0
        for id in ids {
            if let s = sources[id] { counts[s, default: 0] += 1 } else { none += 1 }
        }
        var out = counts.map { DenominatorSource(source: $0.key, areas: $0.value) }
            .sorted { ($0.areas, $0.source?.source ?? "") > ($1.areas, $1.source?.source ?? "") }
        if none > 0 { out.append(DenominatorSource(source: nil, areas: none)) }
        return out
    }

    /// "Công an xã (01/10/2026): 7 đơn vị; chưa ghi nguồn: 3 đơn vị".
    public static func text(_ list: [DenominatorSource], _ l: Labels) -> String {
        l("provenance.sentence", ["sources": list.map { s in
            l("provenance.item", ["source": s.source?.text(l) ?? l["provenance.none"], "count": l.count(s.areas)])
        }.joined(separator: "; ")])
    }
}
