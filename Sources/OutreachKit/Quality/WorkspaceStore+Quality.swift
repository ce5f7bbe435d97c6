import Foundation

/// What `outreach outliers` found and stored.
public struct OutlierRun: Sendable {
    public var flags: [OutlierFlag]
    /// How many of them were new follow-ups.
    public var added: Int
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
    /// The live sessions of `campaign` dated up to `asOf` under `under` (the campaign's scope by
    /// default), and the part of the tree around them.
    func campaignSessions(_ campaign: Campaign, under: String?, from: Day? = nil, through: Day? = nil,
                          asOf: Day) async throws -> (sessions: [SessionEntry], tree: AreaTree, start: Int?) {
        let code = campaign.startCode(under: under)
        let tree: AreaTree
        if let code {
            guard let around = try await areaTree(around: code, addingRoot: nil) else { throw AreaLookupError.unknownCode(code) }
            tree = around
        } else {
            tree = try await areaTree(addingRoot: nil)
        }
        let first = max(from ?? campaign.start, campaign.start), last = min(through ?? campaign.end, campaign.end, asOf)
        let sessions = first > last ? [] : try await self.sessions(SessionQuery(under: code, from: first, to: last))
        return (sessions, tree, code.flatMap { tree.index(of: $0) })
    }

    /// Finds the outliers, duplicates and bursts of `campaign`'s sessions under `under` and stores
    /// each as a follow-up (once).
    public func outliers(campaign: Campaign, under: String?, detection: OutlierDetection, asOf: Day) async throws -> OutlierRun {
        let (sessions, tree, _) = try await campaignSessions(campaign, under: under, asOf: asOf)
        var communes: [String: String] = [:]
        for (i, node) in tree.nodes.enumerated() where node.level == .hamlet {
            guard let c = tree.ancestors(of: i).first(where: { tree.nodes[$0].level.isCommuneLevel }) else { continue }
            communes[node.code] = tree.nodes[c].code
        }
        let metrics = Metric.allCases.map(\.code) + campaign.extraMetrics
        let flags = detection.flags(sessions, commune: { communes[$0] }, metrics: metrics)
        let added = try await recordFollowUps(flags)
        let stored = try await followUps(FollowUpQuery(under: campaign.startCode(under: under)))
        return OutlierRun(flags: flags, added: added, followUps: stored)
    }

    /// Per-team quality and the recognition table of `campaign` under `under`, over `period`
    /// (the campaign up to `asOf` when nil).
    public func teamQuality(campaign: Campaign, under: String?, period: Period?, asOf: Day) async throws -> TeamQualityReport {
        let campaign = campaign.withWorkspaceTargets(try await areaTargets(campaign: campaign.id))
        let from = max(period?.start ?? campaign.start, campaign.start)
        let through = min(period?.end ?? campaign.end, campaign.end, asOf)
        let (sessions, tree, start) = try await campaignSessions(campaign, under: under, from: from, through: through, asOf: asOf)
        let followUps = try await followUps(FollowUpQuery(under: campaign.startCode(under: under)))
        return TeamQualityReport(campaign: campaign, tree: tree, start: start, teams: try await teams(), sessions: sessions,
                                 followUps: followUps, from: from, through: through)
    }
}
