import Foundation

/// The reports, built once above the storage seam from what either engine reads: the same
/// code gives a commune's SQLite file and a province's PostgreSQL database the same figures.
extension WorkspaceStore {
    /// The coverage report of `campaign`, as `outreach coverage` prints it.
    ///
    /// `countryName` names the row added above the provinces for a campaign over the whole tree.
    public func coverageReport(campaign: Campaign, options: CoverageReport.Options,
                               countryName: String = Campaign.wholeTreeName) async throws -> CoverageReport {
        try await coverageReport(campaign: campaign, options: options, countryName: countryName, wholeTree: nil)
    }

    /// The same over `wholeTree` when the caller has already read it.
    func coverageReport(campaign: Campaign, options: CoverageReport.Options, countryName: String = Campaign.wholeTreeName,
                        wholeTree: AreaTree?) async throws -> CoverageReport {
        // The targets set in the workspace override the campaign file's.
        var campaign = campaign.withWorkspaceTargets(try await areaTargets(campaign: campaign.id))
        var options = options
        var wholeTree = wholeTree
        var dated: DatedTree? = nil
        if options.placement == nil, let read = try await datedTree(on: options.treeDay) {
            dated = read
            // Codes of units not in that tree start at the unit that stands for them.
            campaign.scope = campaign.coversWholeTree ? campaign.scope : read.resolve(campaign.scope)
            options.under = options.under.map(read.resolve)
            // A workspace with dated history: the tree of the chosen day, whatever the caller held.
            options.placement = read.placement
            wholeTree = campaign.coversWholeTree ? read.tree.addingRoot((code: Campaign.wholeTreeScope, name: countryName)) : read.tree
        }
        let inputs = try await coverageInputs(campaign: campaign, options: options, countryName: countryName, wholeTree: wholeTree)
        var report = try CoverageReport(campaign: campaign, tree: inputs.tree, ownTotals: inputs.totals, options: options)
        if options.placement != nil {
            report.treeDay = options.treeDay
            // Targets the commune set on a unit that is not in this tree say what became of them.
            let missing = Set(campaign.areaTargets.values.flatMap(\.keys)).filter { inputs.tree.index(of: $0) == nil }.sorted()
            if !missing.isEmpty {
                // The history already read, or (a caller gave the placement) read once here.
                let history = if let dated { dated.history } else { try await areaHistory() }
                let standsIn = dated?.standsIn ?? history.tree(on: options.treeDay).standsIn
                for code in missing {
                    guard let unit = history.unit(code: code) else { continue }
                    let now = standsIn[code].flatMap { c in inputs.tree.index(of: c).map { "\(c) \(inputs.tree.nodes[$0].name)" } }
                    report.targetsElsewhere.append(.init(code: code, name: unit.latest.name, until: unit.ended, now: now))
                }
            }
        }
        let sources = try await areaSources()
        if !sources.isEmpty, let start = inputs.tree.index(of: report.startCode) {
            // The lowest units hold the denominators; the units above sum them.
            let ids = inputs.tree.preorder(from: [start]).filter { inputs.tree.children[$0.index].isEmpty }.map { inputs.tree.nodes[$0.index].id }
            report.denominatorSources = DenominatorSource.summary(ids, sources: sources)
        }
        if !campaign.baselines.isEmpty, let start = inputs.tree.index(of: report.startCode) {
            let codes = Set(inputs.tree.preorder(from: [start]).map { inputs.tree.nodes[$0.index].code })
            let chosen = options.indicator.map { id in campaign.indicators.filter { $0.id == id } }
            report.baselineSources = BaselineSource.summary(campaign, indicators: chosen, counts: codes.contains)
        }
        return report
    }

    /// The district report of `campaign` under the area `code` (the campaign's scope when nil)
    /// on `asOf`: coverage built exactly as `outreach coverage` builds it, the team structure,
    /// the leaflet stock, the weekly progress and the units gone quiet.
    /// `areas`, when the caller holds it, is the tree the report is built on: the whole tree, or
    /// the part of it around `code` (`areaTree(around:)`, as `outreach serve` keeps per scope).
    /// With `quality`, it also holds the teams' quality, the recognition table and the open
    /// follow-ups (reading every session of the campaign under the unit).
    public func districtReport(campaign: Campaign, under code: String?, asOf: Day, areas given: AreaTree? = nil,
                               quality: Bool = false, treeDay: Day? = nil) async throws -> DistrictReport {
        // The whole tree, the teams and the leaflet moves are read once, for every part of the
        // report: coverage, structure and stock are built from them as their own commands build them.
        // With dated history, the tree is the one in force on `treeDay` (default: `asOf`).
        let dated = try await datedTree(on: treeDay ?? asOf)
        var campaign = campaign
        let code = code.map { dated?.resolve($0) ?? $0 }
        if let dated, !campaign.coversWholeTree { campaign.scope = dated.resolve(campaign.scope) }
        let areas: AreaTree
        if let dated { areas = dated.tree } else if let given { areas = given } else { areas = try await areaTree(addingRoot: nil) }
        let tree = campaign.coversWholeTree ? areas.addingRoot((code: Campaign.wholeTreeScope, name: Campaign.wholeTreeName)) : areas
        var options = CoverageReport.Options(asOf: asOf, under: code, tree: treeDay)
        options.placement = dated?.placement
        let coverage = try await coverageReport(campaign: campaign, options: options, wholeTree: tree)
        // Teams and leaflet moves of units not in this tree work at the unit standing for them.
        let allTeams = try await self.teams(), allMoves = try await leafletMoves(through: asOf)
        let teams = dated?.placing(allTeams) ?? allTeams
        let counts = try await memberCounts(on: asOf)
        let moves = dated?.placing(allMoves) ?? allMoves
        guard let start = tree.index(of: coverage.startCode) else { throw AreaLookupError.unknownCode(coverage.startCode) }
        let isRoot = tree.nodes[start].level == .country
        // The added root is the last node: every other index is the same in `areas`.
        let unit = isRoot ? nil : start
        var ids = isRoot ? nil : tree.preorder(from: [start]).map { tree.nodes[$0.index].id }
        if let placement = dated?.placement, let inside = ids.map(Set.init) {
            // Units not in the tree whose sessions are counted under the start.
            ids! += placement.filter { inside.contains($0.value) }.map(\.key)
        }
        let given = try await leafletsHandedOut(through: asOf, areas: ids)
        let handedOut = dated?.placing(given) ?? given
        let through = min(asOf, campaign.end)
        let daily = through < campaign.start ? [:] : try await dailyTotals(areas: ids, from: campaign.start, through: through)
        let units = DistrictReport.sessionUnits(tree: tree, start: start)
        let lastDays = try await lastSessionDays(areas: units.map { tree.nodes[$0].id }, through: asOf)
        let structure = StructureReport(tree: areas, start: unit, teams: teams, memberCounts: counts, asOf: asOf)
        let stock = LeafletStock(tree: areas, start: unit, moves: moves, handedOut: handedOut, asOf: asOf)
        var report = DistrictReport(campaign: campaign, tree: tree, start: start, coverage: coverage, structure: structure,
                                    leaflets: stock, daily: daily, units: units, lastDays: lastDays, teams: teams)
        if let treeDay, treeDay < AreaLevel.twoLevelSince, asOf >= AreaLevel.twoLevelSince, report.place.level == .district,
           let now = dated?.history.tree(on: asOf) {
            // A district of the old tree reported on after the reform: its province then is the
            // one its communes are in on the report's date.
            let id = tree.nodes[start].id
            if let i = now.tree.index(ofID: now.placement[id] ?? id),
               let p = ([i] + now.tree.ancestors(of: i)).first(where: { now.tree.nodes[$0].level == .province }) {
                report.issuingBody = DistrictReport.Place(code: now.tree.nodes[p].code, name: now.tree.nodes[p].name, level: .province)
            }
        }
        if let period = CompletenessReport.lastEndedPeriod(campaign: campaign, today: asOf) {
            report.completeness = try await completenessReport(campaign: campaign, period: period, tree: tree, start: start, teams: teams)
        }
        if quality {
            let under = isRoot ? nil : tree.nodes[start].code
            report.quality = try await teamQuality(campaign: campaign, under: under, period: nil, asOf: asOf)
            report.openFollowUps = try await followUps(FollowUpQuery(under: under, openOnly: true))
        }
        return report
    }

    /// The structure report from `under` (the whole tree when nil) on `asOf`. Throws
    /// `AreaLookupError.unknownCode` for an unknown start.
    public func structureReport(under code: String?, asOf: Day, treeDay: Day? = nil) async throws -> StructureReport {
        let dated = try await datedTree(on: treeDay ?? asOf)
        let tree = if let dated { dated.tree } else { try await areaTree(addingRoot: nil) }
        let start = try Self.start(code.map { dated?.resolve($0) ?? $0 }, in: tree)
        let teams = try await teams()
        return StructureReport(tree: tree, start: start, teams: dated?.placing(teams) ?? teams,
                               memberCounts: try await memberCounts(on: asOf), asOf: asOf)
    }

    /// The `teams list` report. Throws `AreaLookupError.unknownCode` for an unknown start.
    public func teamListing(under code: String?, kind: TeamKind?, asOf: Day) async throws -> TeamListing {
        let tree = try await areaTree(addingRoot: nil)
        let start = try Self.start(code, in: tree)
        return TeamListing(tree: tree, start: start, kind: kind, teams: try await teams(),
                           memberCounts: try await memberCounts(on: asOf), asOf: asOf)
    }

    /// The stock report under the unit `code` (the whole tree when nil) as of `asOf`.
    /// With dated history, the tree is the one in force on `asOf`, and moves of units not in it
    /// count at the unit standing for them.
    public func leafletStock(under code: String?, asOf: Day) async throws -> LeafletStock {
        let dated = try await datedTree(on: asOf)
        let tree = if let dated { dated.tree } else { try await areaTree(addingRoot: nil) }
        let start = try Self.start(code.map { dated?.resolve($0) ?? $0 }, in: tree)
        let moves = try await leafletMoves(through: asOf), handedOut = try await leafletsHandedOut(through: asOf)
        return LeafletStock(tree: tree, start: start, moves: dated?.placing(moves) ?? moves,
                            handedOut: dated?.placing(handedOut) ?? handedOut, asOf: asOf)
    }

    /// The index of `code` in `tree` (nil for the whole tree); an unknown code is an error.
    private static func start(_ code: String?, in tree: AreaTree) throws -> Int? {
        guard let code else { return nil }
        guard let i = tree.index(of: code) else { throw AreaLookupError.unknownCode(code) }
        return i
    }
}
