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

    /// Builds the report over `sessions` dated `from`…`through` under the part of the tree `tree`
    /// starts at (`start`), for the teams whose area is there.
    public init(campaign: Campaign, tree: AreaTree, start: Int?, teams: [Team], sessions: [SessionEntry], followUps: [FollowUp],
                from: Day, through: Day) {
        self.campaign = campaign.id
        self.from = from
        self.through = through
        let indicator = campaign.indicators.first { $0.denominator != nil && { if case .share = $0.target { true } else { false } }($0) }
        self.indicator = indicator?.id
        let visits = tree.preorder(from: start.map { [$0] } ?? tree.roots)
        let inScope = Set(visits.map(\.index))
        let live = sessions.filter { $0.voided == nil && $0.date >= from && $0.date <= through }
        let flagged = Set(followUps.map(\.flag.session))
        let open = Dictionary(grouping: followUps.filter { $0.state == .open }, by: \.flag.session)
        let byTeam = Dictionary(grouping: live.filter { $0.team != nil }, by: { $0.team! })
        var lines: [Line] = []
        var recognition: [Recognition] = []
        let order = Dictionary(uniqueKeysWithValues: visits.enumerated().map { ($1.index, $0) })
        let placed = teams.compactMap { team -> (Int, Team)? in
            guard let i = tree.index(of: team.areaCode), inScope.contains(i) else { return nil }
            return (order[i] ?? 0, team)
        }.sorted { ($0.0, $0.1.code) < ($1.0, $1.1.code) }
        for (_, team) in placed {
            guard let i = tree.index(of: team.areaCode) else { continue }
            let hamlets = tree.preorder(from: [i]).map(\.index).filter { tree.nodes[$0].level == .hamlet }
            let own = byTeam[team.code] ?? []
            func sum(_ code: String, _ list: [SessionEntry]) -> Int { list.reduce(0) { $0 + ($1.metrics[code] ?? 0) } }
            let reached = sum("people_reached", own)
            let activations = sum("eid_l2", own)
            let worked = Set(own.map(\.area))
            lines.append(Line(team: team.code, name: team.name, area: team.areaCode, sessions: own.count, daysActive: Set(own.map(\.date)).count,
                              peopleReached: reached, activations: activations,
                              activationsPerReached: reached > 0 ? Double(activations) / Double(reached) : nil,
                              householdsVisited: sum("households_visited", own), hamlets: hamlets.count,
                              hamletsCovered: hamlets.filter { worked.contains(tree.nodes[$0].code) }.count,
                              flaggedSessions: own.filter { flagged.contains($0.id) }.count,
                              openFollowUps: own.reduce(0) { $0 + (open[$1.id]?.count ?? 0) }))
            if let indicator, let attribute = indicator.denominator {
                let clean = own.filter { open[$0.id] == nil }
                let value = clean.reduce(0) { total, s in total + indicator.numerator.reduce(0) { $0 + (s.metrics[$1] ?? 0) } }
                var expected = 0.0
                for h in hamlets {
                    let node = tree.nodes[h]
                    guard let denominator = node.attributes[attribute] else { continue }
                    let target = campaign.effectiveTarget(indicator, area: node.code).target
                    if case let .share(share) = target { expected += share * Double(denominator) }
                }
                recognition.append(Recognition(rank: 0, team: team.code, name: team.name, value: value, expected: expected,
                                               progress: expected > 0 ? Double(value) / expected : nil,
                                               setAside: own.count - clean.count))
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
