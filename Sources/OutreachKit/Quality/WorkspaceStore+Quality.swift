import Foundation

/// What `outreach outliers` found and stored.
public struct OutlierRun: Sendable {
    public var flags: [OutlierFlag]
    /// How many of them were new follow-ups.
    public var added: Int
    /// How many values were beyond the threshold, listed or not (`OutlierDetection.maxResults`).
    public var outliersFound = 0
    public var maxResults = 0
    /// The stored follow-up of each flag (by session, kind and metric).
    public var followUps: [FollowUp] {
        didSet { index = OutlierRun.index(followUps) }
    }
    private var index: [String: FollowUp]

    public init(flags: [OutlierFlag], added: Int, followUps: [FollowUp]) {
        self.flags = flags
        self.added = added
        self.followUps = followUps
        index = OutlierRun.index(followUps)
    }

    /// The follow-up a flag is stored as.
    public func followUp(of flag: OutlierFlag) -> FollowUp? { index[OutlierRun.key(flag)] }

    private static func key(_ f: OutlierFlag) -> String { "\(f.session)|\(f.kind.rawValue)|\(f.metric)" }
    private static func index(_ list: [FollowUp]) -> [String: FollowUp] {
        Dictionary(list.map { (key($0.flag), $0) }, uniquingKeysWith: { a, _ in a })
    }
}

extension WorkspaceStore {
    /// The part of the tree `campaign`'s checks under `under` (its scope by default) read, and
    /// its start's index there (nil: the whole tree).
    func qualityTree(_ campaign: Campaign, under: String?) async throws -> (tree: AreaTree, code: String?, start: Int?) {
        let code = campaign.startCode(under: under)
        let tree: AreaTree
        if let code {
            guard let around = try await areaTree(around: code, addingRoot: nil) else { throw AreaLookupError.unknownCode(code) }
            tree = around
        } else {
            tree = try await areaTree(addingRoot: nil)
        }
        return (tree, code, code.flatMap { tree.index(of: $0) })
    }

    /// Finds the outliers, duplicates and bursts of `campaign`'s sessions under `under` and stores
    /// each as a follow-up (once).
    public func outliers(campaign: Campaign, under: String?, detection: OutlierDetection, asOf: Day) async throws -> OutlierRun {
        let (tree, code, _) = try await qualityTree(campaign, under: under)
        let metrics = Metric.allCases.map(\.code) + campaign.extraMetrics
        let sessions = try await qualitySessions(tree: tree, under: code, from: campaign.start, through: min(campaign.end, asOf),
                                                 metrics: metrics)
        let (flags, found) = detection.strongestFlags(sessions, outlierMetrics: Array(metrics.indices))
        let added = try await recordFollowUps(flags)
        let stored = try await followUps(FollowUpQuery(under: code))
        var run = OutlierRun(flags: flags, added: added, followUps: stored)
        run.outliersFound = found
        run.maxResults = detection.maxResults
        return run
    }

    /// Per-team quality and the recognition table of `campaign` under `under`, over `period`
    /// (the campaign up to `asOf` when nil).
    public func teamQuality(campaign: Campaign, under: String?, period: Period?, asOf: Day) async throws -> TeamQualityReport {
        let campaign = campaign.withWorkspaceTargets(try await areaTargets(campaign: campaign.id))
        let from = max(period?.start ?? campaign.start, campaign.start)
        let through = min(period?.end ?? campaign.end, campaign.end, asOf)
        let (tree, code, start) = try await qualityTree(campaign, under: under)
        // The teams (221,000 nationally) and the follow-ups are read while the sessions are scanned.
        async let teamsRead = teams()
        async let marksRead = followUpMarks(under: code)
        let sessions = try await qualitySessions(tree: tree, under: code, from: from, through: through,
                                                 metrics: TeamQualityReport.metrics(campaign))
        let marks = try await marksRead
        // A team of a unit merged away works under the unit it went into.
        let read = try await teamsRead
        let teams = try await datedTree(on: through)?.placing(read) ?? read
        return TeamQualityReport(campaign: campaign, tree: tree, start: start, teams: teams, sessions: sessions,
                                 marks: marks, from: from, through: through)
    }
}
