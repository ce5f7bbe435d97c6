import Foundation

/// Per-team quality of the figures, and a fair recognition table ("khen thưởng"), from the
/// campaign's live sessions, the teams, the tree and the follow-ups (pure).
public struct TeamQualityReport: Sendable, Equatable {
    public struct Line: Sendable, Equatable, Codable {
        public var team: String
        public var name: String
        public var area: String
        public var sessions: Int
        public var daysActive: Int
        public var peopleReached: Int
        public var activations: Int
        /// Activations per person reached (nil without people reached).
        public var activationsPerReached: Double?
        public var householdsVisited: Int
        /// The team's hamlets and those it held a session in.
        public var hamlets: Int
        public var hamletsCovered: Int
        /// Sessions with a follow-up (any state), and open follow-ups.
        public var flaggedSessions: Int
        public var openFollowUps: Int

        public var coveredShare: Double? { hamlets > 0 ? Double(hamletsCovered) / Double(hamlets) : nil }
        public var flaggedShare: Double? { sessions > 0 ? Double(flaggedSessions) / Double(sessions) : nil }
    }

    /// A team's progress on its own hamlets, counting only data without an open follow-up:
    /// the indicator's value over the target's share of each hamlet's denominator, summed.
    public struct Recognition: Sendable, Equatable, Codable {
        public var rank: Int
        public var team: String
        public var name: String
        public var value: Int
        /// Σ target × denominator over the team's hamlets.
        public var expected: Double
        public var progress: Double?
        /// Sessions left out because a follow-up on them is open.
        public var setAside: Int
    }

    public var campaign: String
    public var indicator: String?
    public var from: Day
    public var through: Day
    public var lines: [Line]
    public var recognition: [Recognition]

    /// The metrics the report reads: people reached, activations, households visited and the
    /// numerator of the campaign's recognition indicator.
    public static func metrics(_ campaign: Campaign) -> [String] {
        var out = ["people_reached", "eid_l2", "households_visited"]
        for code in recognitionIndicator(campaign)?.numerator ?? [] where !out.contains(code) { out.append(code) }
        return out
    }

    /// The first indicator with a denominator and a share as its target: what teams are ranked on.
    static func recognitionIndicator(_ campaign: Campaign) -> Indicator? {
        campaign.indicators.first { $0.denominator != nil && { if case .share = $0.target { true } else { false } }($0) }
    }

    /// Builds the report over `sessions` dated `from`…`through` under the part of the tree `tree`
    /// starts at (`start`), for the teams whose area is there.
    public init(campaign: Campaign, tree: AreaTree, start: Int?, teams: [Team], sessions: [SessionEntry], followUps: [FollowUp],
                from: Day, through: Day) {
        let live = sessions.filter { $0.date >= from && $0.date <= through }
        self.init(campaign: campaign, tree: tree, start: start, teams: teams,
                  sessions: QualitySessions(live, metrics: Self.metrics(campaign)), followUps: followUps, from: from, through: through)
    }

    /// The same over sessions as numbers (`QualitySessions`, holding at least `metrics(campaign)`).
    public init(campaign: Campaign, tree: AreaTree, start: Int?, teams: [Team], sessions q: QualitySessions, followUps: [FollowUp],
                from: Day, through: Day) {
        // The follow-ups of each session (by position): any, and open ones.
        let named = q.positions(of: Set(followUps.map(\.flag.session)))
        let openCounts = Dictionary(grouping: followUps.filter { $0.state == .open }, by: \.flag.session).mapValues(\.count)
        var flagged = [Bool](repeating: false, count: q.count)
        var open = [Int32](repeating: 0, count: q.count)
        for (i, id) in named {
            flagged[i] = true
            open[i] = Int32(openCounts[id] ?? 0)
        }
        self.init(campaign: campaign, tree: tree, start: start, teams: teams, sessions: q, flagged: flagged, open: open,
                  from: from, through: through)
    }

    /// The same with the follow-ups read as marks (`WorkspaceStore.followUpMarks`).
    public init(campaign: Campaign, tree: AreaTree, start: Int?, teams: [Team], sessions q: QualitySessions, marks: [FollowUpMark],
                from: Day, through: Day) {
        let (flagged, open) = q.followUpCounts(marks)
        self.init(campaign: campaign, tree: tree, start: start, teams: teams, sessions: q, flagged: flagged, open: open,
                  from: from, through: through)
    }

    /// `flagged` and `open`: per session position, whether a follow-up names it and how many are open.
    init(campaign: Campaign, tree: AreaTree, start: Int?, teams: [Team], sessions q: QualitySessions, flagged: [Bool], open: [Int32],
         from: Day, through: Day) {
        self.campaign = campaign.id
        self.from = from
        self.through = through
        let indicator = Self.recognitionIndicator(campaign)
        self.indicator = indicator?.id
        let visits = tree.preorder(from: start.map { [$0] } ?? tree.roots)
        // Each unit's subtree is a run of the preorder: from its position to `end`. A national
        // run (221,000 teams) then walks no subtree and makes no set per team.
        let nodeCount = tree.nodes.count
        var position = [Int32](repeating: -1, count: nodeCount)
        for (p, v) in visits.enumerated() { position[v.index] = Int32(p) }
        var end = [Int32](repeating: 0, count: nodeCount)
        for v in visits.reversed() {
            var e = position[v.index] + 1
            for c in tree.children[v.index] where position[c] >= 0 { e = max(e, end[c]) }
            end[v.index] = e
        }
        let isHamlet = visits.map { tree.nodes[$0.index].level == .hamlet }
        var hamletsBefore = [Int32](repeating: 0, count: visits.count + 1)
        for p in visits.indices { hamletsBefore[p + 1] = hamletsBefore[p] + (isHamlet[p] ? 1 : 0) }
        // Each session's area as a unit of the tree (-1: not in it).
        let areaNode = q.areaCodes.map { Int32(tree.index(of: $0) ?? -1) }
        let byTeam = OutlierDetection.group(q.count, keys: q.teamCodes.count) { Int(q.teams[$0]) }
        var teamKeys: [String: Int] = [:]
        for (k, code) in q.teamCodes.enumerated() where teamKeys[code] == nil { teamKeys[code] = k }
        func metric(_ code: String) -> Int? { q.metrics.firstIndex(of: code) }
        let reachedAt = metric("people_reached"), eidAt = metric("eid_l2"), visitedAt = metric("households_visited")
        let numerator = (indicator?.numerator ?? []).compactMap(metric)
        // What each hamlet is expected to reach: the target's share of its denominator.
        var expectedAt: [Double?] = []
        if let indicator, let attribute = indicator.denominator {
            expectedAt = visits.indices.map { p in
                guard isHamlet[p] else { return nil }
                let node = tree.nodes[visits[p].index]
                guard let denominator = node.attributes[attribute],
                      case let .share(share) = campaign.effectiveTarget(indicator, area: node.code).target else { return nil }
                return share * Double(denominator)
            }
        }
        var lines: [Line] = []
        var recognition: [Recognition] = []
        var placed: [(order: Int32, team: Int, node: Int)] = []
        for (t, team) in teams.enumerated() {
            guard let i = tree.index(of: team.areaCode), position[i] >= 0 else { continue }
            placed.append((position[i], t, i))
        }
        placed.sort { a, b in a.order != b.order ? a.order < b.order : teams[a.team].code < teams[b.team].code }
        lines.reserveCapacity(placed.count)
        var seenBy = [Int32](repeating: -1, count: nodeCount)
        var days: [Int32] = []
        for (n, (order, t, i)) in placed.enumerated() {
            let code = teams[t].code, name = teams[t].name
            let from = Int(order), to = Int(end[i])
            let own = teamKeys[code].map { k in byTeam.positions[byTeam.start[k]..<byTeam.start[k + 1]] } ?? []
            func sum(_ m: Int?) -> Int { m.map { m in own.reduce(0) { $0 + (q.value(Int($1), m) ?? 0) } } ?? 0 }
            let reached = sum(reachedAt)
            let activations = sum(eidAt)
            // The team's hamlets it held a session in, each once.
            var covered = 0
            days.removeAll(keepingCapacity: true)
            var flaggedCount = 0, openCount = 0
            for s in own {
                let s = Int(s)
                days.append(q.days[s])
                if flagged[s] { flaggedCount += 1 }
                openCount += Int(open[s])
                let node = Int(areaNode[Int(q.areas[s])])
                guard node >= 0, seenBy[node] != Int32(n) else { continue }
                let p = Int(position[node])
                if p >= from, p < to, isHamlet[p] {
                    seenBy[node] = Int32(n)
                    covered += 1
                }
            }
            days.sort()
            var daysActive = 0
            for (k, d) in days.enumerated() where k == 0 || days[k - 1] != d { daysActive += 1 }
            lines.append(Line(team: code, name: name, area: teams[t].areaCode, sessions: own.count,
                              daysActive: daysActive,
                              peopleReached: reached, activations: activations,
                              activationsPerReached: reached > 0 ? Double(activations) / Double(reached) : nil,
                              householdsVisited: sum(visitedAt), hamlets: Int(hamletsBefore[to] - hamletsBefore[from]),
                              hamletsCovered: covered, flaggedSessions: flaggedCount, openFollowUps: openCount))
            if indicator != nil {
                var value = 0, clean = 0
                for s in own where open[Int(s)] == 0 {
                    clean += 1
                    for m in numerator { value += q.value(Int(s), m) ?? 0 }
                }
                var expected = 0.0
                for p in from..<to { if let e = expectedAt[p] { expected += e } }
                recognition.append(Recognition(rank: 0, team: code, name: name, value: value, expected: expected,
                                               progress: expected > 0 ? Double(value) / expected : nil,
                                               setAside: own.count - clean))
            }
        }
        recognition.sort { a, b in
            switch (a.progress, b.progress) {
            case let (x?, y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.team < b.team
            }
        }
        for i in recognition.indices { recognition[i].rank = i + 1 }
        self.lines = lines
        self.recognition = recognition
    }
}

extension DistrictReport {
    /// "12 mục cần kiểm tra (8 bất thường, 3 trùng, 1 dồn dập); 1,2% buổi bị gắn cờ."
    public func qualitySummary(_ l: Labels) -> String {
        let byKind = Dictionary(grouping: openFollowUps, by: \.flag.kind).mapValues(\.count)
        let kinds = OutlierFlag.Kind.allCases.compactMap { k in byKind[k].map { "\(l.count($0)) \(l["quality.kind." + k.rawValue])" } }
        let sessions = quality?.lines.reduce(0) { $0 + $1.sessions } ?? 0
        let flagged = quality?.lines.reduce(0) { $0 + $1.flaggedSessions } ?? 0
        return l("report.quality.summary", ["open": l.count(openFollowUps.count), "kinds": kinds.isEmpty ? "–" : kinds.joined(separator: ", "),
                                            "share": sessions > 0 ? l.percent(Double(flagged) / Double(sessions)) : "–"])
    }
}
