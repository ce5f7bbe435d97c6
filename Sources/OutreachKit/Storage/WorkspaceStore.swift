import Foundation

/// The engine a workspace is kept in.
public enum StorageEngine: String, Sendable, CaseIterable {
    /// One SQLite file: a commune's laptop, the default.
    case sqlite
    /// A PostgreSQL database: a province or the country, written by many processes at once.
    case postgresql
}

/// The storage seam: every domain operation a command or the server asks of a workspace, the
/// same for both engines.
///
/// `Store` (SQLite, `Storage/SQLite/`) and `PostgresWorkspace` (`Storage/PostgreSQL/`) implement
/// it. What is computed from what they read — roll-up and coverage, the district report, the
/// structure and team listings, the leaflet stock, the demo — is written once above it
/// (`WorkspaceStore+Reports.swift`, `Store+Demo.swift`), so both engines give the same figures.
///
/// Every requirement is `async`: PostgreSQL is reached through postgres-nio's pool. SQLite's
/// synchronous methods satisfy them as they are.
public protocol WorkspaceStore: AnyObject, Sendable {
    /// Which engine keeps it.
    var engine: StorageEngine { get }
    /// Where it is, for messages: the file's path, or the URI with its password hidden.
    var displayLocation: String { get }
    /// The workspace's stable id, made by `init`.
    func workspaceID() async throws -> String
    /// A value that differs once anything has been committed to the workspace since it was read,
    /// or nil when the engine cannot tell cheaply: what the server's cache of dashboards is keyed on.
    func changeStamp() async throws -> String?

    // MARK: Areas

    /// Adds and updates areas from an area file's rows (renames and moves dated `day`).
    func importAreas(_ rows: [AreaRow], file: String, on day: Day) async throws -> AreaImportSummary
    /// The whole area tree, with an added root above the provinces when `root` is given.
    func areaTree(addingRoot root: (code: String, name: String)?) async throws -> AreaTree
    /// The part of the tree from the country down to `code` and everything under it; nil for
    /// an unknown code.
    func areaTree(around code: String, addingRoot root: (code: String, name: String)?) async throws -> AreaTree?
    /// Areas whose name or code matches `query`, best first.
    func findAreas(_ query: String, limit: Int) async throws -> [AreaMatch]

    // MARK: Areas through time (`HistorySQL`; the rules are in `AreaChanges`)

    /// Every unit's versions and the tree's dated changes.
    func areaHistory() async throws -> AreaHistory
    /// Whether any unit has a dated version or an end (without, every tree is today's).
    func hasDatedAreas() async throws -> Bool
    /// Works out a dated change from the history (`make`) and applies it, all or nothing, in
    /// one transaction; returns the plan applied (empty: nothing to change).
    func changeAreas(_ make: @Sendable (AreaHistory) throws -> AreaChangePlan) async throws -> AreaChangePlan

    // MARK: Teams and members

    func importTeams(_ rows: [TeamRow], file: String, on day: Day) async throws -> RosterImportSummary
    func addTeam(_ team: Team, on day: Day) async throws
    /// Every team, by code.
    func teams() async throws -> [Team]
    /// Every team's code by its database id (`ScannedSession.team`).
    func teamCodes() async throws -> [Int64: String]
    func importMembers(_ rows: [MemberRow], file: String) async throws -> RosterImportSummary
    func addMember(_ member: Member) async throws -> (id: StableID, warnings: [Warning])
    /// The members of one team (every member when nil).
    func members(ofTeam code: String?) async throws -> [Member]
    /// Members of each team on `day`, by team code.
    func memberCounts(on day: Day) async throws -> [String: Int]

    // MARK: Sessions

    /// Records one session (or its replacement of `replacing`, voided with `reason`).
    func logSession(_ session: NewSession, today: Day, replacing: String?, reason: String?,
                    campaignMetrics: [String]) async throws -> LoggedSession
    /// Voids a live session; returns its full id.
    func voidSession(_ id: String, reason: String, on day: Day) async throws -> String
    /// Sessions matching `query`, as `sessions list` shows them.
    func sessions(_ query: SessionQuery) async throws -> [SessionEntry]
    /// Folds the live sessions `scan` selects into `initial` with `fold`, one at a time in no
    /// particular order, reading only their ids, days, areas, teams and the counts `scan.metrics`
    /// names: what `validate` runs over a whole country without a `SessionEntry` per session.
    /// `fold` starts again from `initial` when the engine retries its read.
    func scanSessions<State: Sendable>(_ scan: SessionScan, into initial: State,
                                       _ fold: @Sendable (inout State, ScannedSession) -> Void) async throws -> State
    /// Imports a sessions file, all or nothing.
    func importSessions(file path: String, name: String?, today: Day, campaignMetrics: [String], problemLimit: Int,
                        corrections: LikelyCorrections, progress: ImportProgress?) async throws -> SessionImportSummary

    // MARK: Totals

    /// The tree a coverage report of `campaign` is built on (the part around its start, or
    /// `wholeTree` when given) and each of its areas' own totals of the metrics it counts.
    func coverageInputs(campaign: Campaign, options: CoverageReport.Options, countryName: String,
                        wholeTree: AreaTree?) async throws -> CoverageInputs
    /// Live session totals per area id (own, not rolled up) dated `start`…min(`end`, `asOf`).
    func periodTotals(start: Day, end: Day, asOf: Day, areas: [Int64]?) async throws -> [Int64: AreaTotals]
    /// Live sessions summed per day over `areas` (every area when nil).
    func dailyTotals(areas: [Int64]?, from: Day, through: Day) async throws -> [Day: AreaTotals]
    /// The day of each area's last live session up to `through`; areas with none are absent.
    func lastSessionDays(areas: [Int64], through: Day) async throws -> [Int64: Day]
    /// Each area's own live sessions dated `from`…`through` (only `areas`, by id, when given;
    /// every area when nil): how many, the first and last day, and when the earliest of them was
    /// recorded. Areas without one are absent. What completeness and the chase list are built on.
    func reportingActivity(from: Day, through: Day, areas: [Int64]?) async throws -> [Int64: ReportingActivity]

    // MARK: Leaflets

    func receiveLeaflets(into code: String, quantity: Int, on day: Day, batch: String?, id: UUID) async throws -> LeafletRecord
    func allocateLeaflets(from fromCode: String, to toCode: String, quantity: Int, on day: Day, batch: String?,
                          allowNegative: Bool, id: UUID) async throws -> LeafletRecord
    /// Every leaflet move dated up to `day` (all when nil).
    func leafletMoves(through day: Day?) async throws -> [LeafletMove]
    /// Leaflets handed out in live sessions up to `day`, by area code; only in `areas` (ids)
    /// when given.
    func leafletsHandedOut(through day: Day?, areas: [Int64]?) async throws -> [String: Int]

    // MARK: Bundles

    func exportBundle(to path: String, name: String?, scope: BundleScope, now: Date) async throws -> BundleHeader
    func mergeBundle(file path: String, name: String?, today: Day, now: Date, setAsideConflicts: Bool) async throws -> MergeSummary

    // MARK: Accounts (`outreach serve`; SQL shared in `AccountSQL`)

    /// Stores a new account; `AccountError.exists` when the name is taken.
    func insertAccount(_ account: Account, passwordHash: String?) async throws
    /// Every account, by name.
    func accounts() async throws -> [Account]
    /// The account `name` and its password's bcrypt hash.
    func accountCredentials(named name: String) async throws -> (Account, passwordHash: String?)?
    /// The account whose token has this SHA-256 digest.
    func account(tokenDigest: String) async throws -> Account?
    func updateAccount(named name: String, _ change: AccountChange) async throws
    /// The server's secret for signing its cookies: made on first use, the same for every
    /// process serving the workspace.
    func serverSecret() async throws -> String

    // MARK: Closing the month (`ClosingSQL`; the rules are in `Approvals` and `LockRules`)

    /// Every approval row, of one period when given.
    func approvalRows(period: Period?) async throws -> [ApprovalRow]
    /// Sets the state of `area`'s figures for `period`, with an audit row, when it is still
    /// `expected` (`ApprovalError.changedMeanwhile` otherwise).
    func setApproval(area: String, period: Period, state: ApprovalRow.State, reason: String?,
                     expected: ApprovalRow.State) async throws
    /// The audit rows `query` asks for, oldest first.
    func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry]

    // MARK: Targets set in the workspace (`TargetSQL`; the rules are in `AreaTargetRules`)

    /// The per-area targets set in the workspace, of one campaign (every campaign when nil), by
    /// campaign, area code and indicator.
    func areaTargets(campaign: String?) async throws -> [AreaTarget]
    /// Sets or clears (`target` nil, with a reason) the target of one area and indicator of a
    /// campaign, with an audit row (old → new, who, why); nothing is written when it is already so.
    func changeAreaTarget(_ request: AreaTargetRequest) async throws -> AreaTargetChange

    // MARK: Data quality (`FollowUpSQL`; the detection is `OutlierDetection`, above the seam)

    /// Stores flags as follow-ups, each once (a flag already stored, resolved or not, is kept as it
    /// is); returns how many were new.
    func recordFollowUps(_ flags: [OutlierFlag]) async throws -> Int
    /// The follow-ups `query` asks for, oldest first, with the state of their sessions.
    func followUps(_ query: FollowUpQuery) async throws -> [FollowUp]
    /// Each follow-up's session and whether it is open, under `under` (everywhere when nil).
    func followUpMarks(under: String?) async throws -> [FollowUpMark]
    /// Marks an open follow-up as checked and correct, with the reason; audited.
    func resolveFollowUp(_ id: Int64, reason: String) async throws -> FollowUp

    /// Where areas' denominators come from, by area id (areas whose file named a source).
    func areaSources() async throws -> [Int64: AreaSource]

    // MARK: Care

    /// The product's invariants, each passed or named.
    func check() async throws -> WorkspaceCheck
    /// Rebuilds what `check` found repairable.
    func repair() async throws -> RepairSummary
    /// A consistent copy of the workspace in `path`.
    func backup(to path: String, overwrite: Bool) async throws -> BackupSummary
}

/// What a coverage report is built from: the tree and each area's own totals.
public struct CoverageInputs: Sendable {
    public var tree: AreaTree
    public var totals: OwnTotals
    public init(tree: AreaTree, totals: OwnTotals) {
        self.tree = tree
        self.totals = totals
    }
}

extension CoverageInputs {
    /// The tree a coverage report of `campaign` is built on and its areas' own totals, read
    /// through the engine's `tree`, `around` and `totals` (the period totals of the counted
    /// metrics over the given area ids, every area when nil; nil before the period starts):
    /// `wholeTree` when the caller has read it, else the part of the tree around the start, else
    /// the whole tree, read side by side with the totals.
    static func gather(campaign: Campaign, options: CoverageReport.Options, countryName: String, wholeTree: AreaTree?,
                       tree: @escaping @Sendable ((code: String, name: String)?) async throws -> AreaTree,
                       around: (String, (code: String, name: String)?) async throws -> AreaTree?,
                       totals: @escaping @Sendable (_ metrics: [Metric], _ campaignMetrics: [String], _ areas: [Int64]?) async throws -> DenseTotals?)
        async throws -> CoverageInputs {
        let (metrics, campaignMetrics) = campaign.countedMetrics(indicator: options.indicator)
        let root = campaign.coversWholeTree ? (code: Campaign.wholeTreeScope, name: countryName) : nil
        // The report starts there: only that subtree's totals (and its part of the tree) are needed.
        let startCode = campaign.startCode(under: options.under)
        let chosen: AreaTree
        let sums: DenseTotals?
        if let wholeTree, let placement = options.placement {
            // A dated tree: every area's totals, those of units not in it counted where they went.
            chosen = wholeTree
            sums = try await totals(metrics, campaignMetrics, nil).map { var folded = $0; folded.fold(placement); return folded }
        } else if let wholeTree {
            chosen = wholeTree
            let start = startCode.flatMap { wholeTree.index(of: $0) }
            sums = try await totals(metrics, campaignMetrics, start.map { wholeTree.preorder(from: [$0]).map { wholeTree.nodes[$0.index].id } })
        } else if let startCode, let part = try await around(startCode, root) {
            chosen = part
            sums = try await totals(metrics, campaignMetrics, part.nodes.map(\.id).filter { $0 != 0 })
        } else {
            async let whole = tree(root)
            async let all = totals(metrics, campaignMetrics, nil)
            (chosen, sums) = (try await whole, try await all)
        }
        return CoverageInputs(tree: chosen, totals: sums?.own(for: chosen) ?? OwnTotals(count: chosen.nodes.count))
    }
}

extension WorkspaceStore {
    /// Leaflets handed out in live sessions up to `day`, by area code, in every area.
    public func leafletsHandedOut(through day: Day?) async throws -> [String: Int] {
        try await leafletsHandedOut(through: day, areas: nil)
    }
}

extension Campaign {
    /// The built-in metrics and the campaign's own metrics the chosen indicators count, in
    /// the order they first appear.
    public func countedMetrics(indicator: String?) -> (metrics: [Metric], campaignMetrics: [String]) {
        let chosen = indicator.map { id in indicators.filter { $0.id == id } } ?? indicators
        var metrics: [Metric] = []
        var campaignMetrics: [String] = []
        for indicator in chosen {
            for code in indicator.numerator {
                if let m = Metric(code: code) {
                    if !metrics.contains(m) { metrics.append(m) }
                } else if !campaignMetrics.contains(code) {
                    campaignMetrics.append(code)
                }
            }
        }
        return (metrics, campaignMetrics)
    }

    /// The code a report of this campaign starts from (`under`, or the campaign's scope), nil
    /// for the whole tree.
    public func startCode(under: String?) -> String? {
        under ?? (coversWholeTree ? nil : scope)
    }
}
