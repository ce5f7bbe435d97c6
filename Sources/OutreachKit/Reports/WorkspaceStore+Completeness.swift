/// Completeness and the chase list, built once above the storage seam from the tree, the teams
/// and `reportingActivity`: both engines give the same figures.
extension WorkspaceStore {
    /// Which hamlets under `code` (the campaign's scope when nil) reported for `period`, and on
    /// time. `countryName` names the row added above the provinces for a whole-tree campaign.
    public func completenessReport(campaign: Campaign, period: Period, under code: String?,
                                   countryName: String = Campaign.wholeTreeName, treeDay: Day? = nil) async throws -> CompletenessReport {
        // The tree and the teams (200,000 of them nationally) are read side by side.
        async let teams = self.teams()
        let (tree, dated, campaign, start) = try await campaignStart(campaign, under: code, countryName: countryName,
                                                                    on: treeDay ?? min(period.end, campaign.end))
        let read = try await teams
        return try await completenessReport(campaign: campaign, period: period, tree: tree, start: start,
                                            teams: dated?.placing(read) ?? read)
    }

    /// The same from a tree and teams the caller has read (the district report's).
    func completenessReport(campaign: Campaign, period: Period, tree: AreaTree, start: Int, teams: [Team]) async throws
        -> CompletenessReport {
        let from = max(period.start, campaign.start), through = min(period.end, campaign.end)
        let activity = try await reportingActivity(from: from, through: through, areas: Self.hamletIDs(tree, start))
        return CompletenessReport(campaign: campaign, period: period, tree: tree, start: start, teams: teams, activity: activity)
    }

    /// The hamlets under `code` (the campaign's scope when nil) to chase on `today`: never
    /// reported in the campaign, silent for more than `silentDays` days, or behind pace on the
    /// campaign's first indicator (as `outreach coverage` finds it).
    public func chaseList(campaign: Campaign, under code: String?, today: Day, silentDays: Int,
                          countryName: String = Campaign.wholeTreeName, treeDay: Day? = nil) async throws -> ChaseList {
        guard silentDays >= 1 else { throw CompletenessError.badDays(silentDays) }
        async let teamsRead = self.teams()
        let (tree, dated, campaign, start) = try await campaignStart(campaign, under: code, countryName: countryName, on: treeDay ?? today)
        let through = min(today, campaign.end)
        let activity = through < campaign.start ? [:]
            : try await reportingActivity(from: campaign.start, through: through, areas: Self.hamletIDs(tree, start))
        var coverage: CoverageReport? = nil
        if let first = campaign.indicators.first {
            var options = CoverageReport.Options(asOf: today, indicator: first.id, under: tree.nodes[start].code, level: .kind(.hamlet),
                                                 tree: treeDay)
            options.placement = dated?.placement  // the tree read above: coverage reads no history again
            coverage = try await coverageReport(campaign: campaign, options: options, countryName: countryName, wholeTree: tree)
        }
        let read = try await teamsRead
        let teams = dated?.placing(read) ?? read
        // Members are read only when a team names no leader itself.
        let members = teams.contains { $0.leader == nil } ? try await self.members(ofTeam: nil) : []
        return ChaseList(campaign: campaign, tree: tree, start: start, teams: teams, members: members, activity: activity,
                         coverage: coverage, today: today, silentDays: silentDays)
    }

    /// The whole tree in force on `day` (under a country root for a campaign over the whole
    /// tree), the campaign with its scope as a unit of that tree, and the index the report starts
    /// from: `under`, or the scope; a code not in that tree is read as the unit standing for it.
    private func campaignStart(_ campaign: Campaign, under code: String?, countryName: String, on day: Day) async throws
        -> (tree: AreaTree, dated: DatedTree?, campaign: Campaign, start: Int) {
        let root = campaign.coversWholeTree ? (code: Campaign.wholeTreeScope, name: countryName) : nil
        guard let dated = try await datedTree(on: day) else {
            let tree = try await areaTree(addingRoot: root)
            return (tree, nil, campaign, try Self.reportStart(campaign: campaign, under: code, in: tree))
        }
        let tree = root.map(dated.tree.addingRoot) ?? dated.tree
        var campaign = campaign
        if !campaign.coversWholeTree { campaign.scope = dated.resolve(campaign.scope) }
        return (tree, dated, campaign, try Self.reportStart(campaign: campaign, under: code.map(dated.resolve), in: tree))
    }

    /// The index the report starts from: `under`, which must lie in the campaign's scope, or the scope.
    static func reportStart(campaign: Campaign, under code: String?, in tree: AreaTree) throws -> Int {
        guard let scope = tree.index(of: campaign.scope) else {
            throw CoverageError.scopeNotFound(campaign: campaign.id, scope: campaign.scope)
        }
        guard let code else { return scope }
        guard let i = tree.index(of: code) else { throw CompletenessError.unknownArea(code) }
        guard tree.isInSubtree(i, of: scope) else {
            throw CompletenessError.outsideScope(code: code, campaign: campaign.id, scope: campaign.scope)
        }
        return i
    }

    /// The ids of the hamlets under `start`; nil (every area) from the country root added above
    /// a whole-tree campaign's provinces.
    static func hamletIDs(_ tree: AreaTree, _ start: Int) -> [Int64]? {
        if tree.nodes[start].level == .country { return nil }
        return tree.preorder(from: [start]).compactMap { tree.nodes[$0.index].level == .hamlet ? tree.nodes[$0.index].id : nil }
    }
}
