import Foundation

/// Live sessions as numbers, what the quality checks (outliers, team quality) work on: a session
/// is a position, its area and team are small keys, its counts sit in one flat array. Built from
/// a scan of the workspace (`WorkspaceStore.qualitySessions`), so a whole country's million
/// sessions cost no `String` and no dictionary each, or from listed sessions (`init(_:metrics:)`).
public struct QualitySessions: Sendable {
    /// The metric codes whose counts are kept, in order.
    public let metrics: [String]
    /// How many sessions.
    public private(set) var count = 0
    var days: [Int32] = []
    /// The area key of each session (an index into `areaCodes`).
    var areas: [Int32] = []
    /// The team key of each session (an index into `teamCodes`), -1 for none.
    var teams: [Int32] = []
    /// `count` × `metrics.count` counts; -1 where nothing was recorded.
    var values: [Int32] = []
    /// By area key: the code, the name and the commune's area key (-1: none).
    var areaCodes: [String] = []
    var areaNames: [String] = []
    var communes: [Int32] = []
    /// By team key.
    var teamCodes: [String] = []
    private var ids: IDs

    private enum IDs: Sendable {
        /// The 16 bytes of each session's UUID, as two big-endian halves.
        case uuids(high: [UInt64], low: [UInt64])
        case strings([String])
    }

    /// The value of metric `m` (a position in `metrics`) in session `i`; nil when not recorded.
    @inline(__always)
    func value(_ i: Int, _ m: Int) -> Int? {
        let v = values[i * metrics.count + m]
        return v < 0 ? nil : Int(v)
    }

    /// The id of session `i`, as listings show it.
    func id(_ i: Int) -> String {
        switch ids {
        case let .uuids(high, low): return SessionID.format(ScannedSession.bytes(high: high[i], low: low[i]))
        case let .strings(list): return list[i]
        }
    }

    /// Whether session `i`'s id sorts before session `j`'s (as their text does).
    @inline(__always)
    func idBefore(_ i: Int, _ j: Int) -> Bool {
        switch ids {
        case let .uuids(high, low): return (high[i], low[i]) < (high[j], low[j])
        case let .strings(list): return list[i] < list[j]
        }
    }

    /// The position of each session whose id is one of `wanted`.
    func positions(of wanted: Set<String>) -> [Int: String] {
        var out: [Int: String] = [:]
        if wanted.isEmpty { return out }
        switch ids {
        case let .uuids(high, low):
            struct Key: Hashable { var high: UInt64, low: UInt64 }
            var keys: [Key: String] = [:]
            for text in wanted {
                guard let uuid = UUID(uuidString: text) else { continue }
                let (h, l) = withUnsafeBytes(of: uuid.uuid) { ScannedSession.halves($0.baseAddress!) }
                keys[Key(high: h, low: l)] = text
            }
            for i in 0..<count { if let text = keys[Key(high: high[i], low: low[i])] { out[i] = text } }
        case let .strings(list):
            for (i, text) in list.enumerated() where wanted.contains(text) { out[i] = text }
        }
        return out
    }

    /// The key of `value` in `list` (appended when new), through `keys`.
    static func key<K: Hashable>(_ value: K, _ keys: inout [K: Int32], _ list: inout [K]) -> Int32 {
        if let k = keys[value] { return k }
        let k = Int32(list.count)
        keys[value] = k
        list.append(value)
        return k
    }

    /// Per session: whether a follow-up names it, and how many of them are open.
    func followUpCounts(_ marks: [FollowUpMark]) -> (flagged: [Bool], open: [Int32]) {
        var flagged = [Bool](repeating: false, count: count), open = [Int32](repeating: 0, count: count)
        guard !marks.isEmpty, case let .uuids(high, low) = ids else { return (flagged, open) }
        struct Key: Hashable { var high: UInt64, low: UInt64 }
        var byKey: [Key: (open: Int32, any: Bool)] = [:]
        for m in marks {
            let k = Key(high: m.uuidHigh, low: m.uuidLow)
            var v = byKey[k] ?? (0, false)
            v.any = true
            if m.open { v.open += 1 }
            byKey[k] = v
        }
        for i in 0..<count {
            guard let v = byKey[Key(high: high[i], low: low[i])] else { continue }
            flagged[i] = v.any
            open[i] = v.open
        }
        return (flagged, open)
    }

    /// Listed sessions (voided ones left out), each area's commune given by `commune` (a code).
    public init(_ sessions: [SessionEntry], metrics: [String], commune: (String) -> String? = { _ in nil }) {
        self.metrics = metrics
        ids = .strings([])
        let live = sessions.filter { $0.voided == nil }
        var areaKeys: [String: Int32] = [:], teamKeys: [String: Int32] = [:]
        func areaKey(_ code: String, _ name: String) -> Int32 {
            if let k = areaKeys[code] { return k }
            let k = Int32(areaCodes.count)
            areaKeys[code] = k
            areaCodes.append(code)
            areaNames.append(name)
            communes.append(-1)
            return k
        }
        var strings: [String] = []
        for s in live {
            let a = areaKey(s.area, s.areaName)
            if let c = commune(s.area) { communes[Int(a)] = areaKey(c, c) }
            let t = s.team.map { QualitySessions.key($0, &teamKeys, &teamCodes) } ?? -1
            days.append(Int32(s.date.number))
            areas.append(a)
            teams.append(t)
            for m in metrics { values.append(s.metrics[m].map { Int32(clamping: $0) } ?? -1) }
            strings.append(s.id)
        }
        count = live.count
        ids = .strings(strings)
    }

    /// Empty, for a scan over `tree` (area keys are the tree's indexes).
    init(metrics: [String], tree: AreaTree) {
        self.metrics = metrics
        areaCodes = tree.nodes.map(\.code)
        areaNames = tree.nodes.map(\.name)
        communes = [Int32](repeating: -1, count: tree.nodes.count)
        for (i, node) in tree.nodes.enumerated() where node.level == .hamlet {
            if let c = tree.ancestors(of: i).first(where: { tree.nodes[$0].level.isCommuneLevel }) { communes[i] = Int32(c) }
        }
        ids = .uuids(high: [], low: [])
    }

    /// What a scan folds sessions into: the columns, and the teams' ids met so far.
    struct Scan: Sendable {
        var sessions: QualitySessions
        let tree: AreaTree
        var high: [UInt64] = []
        var low: [UInt64] = []
        var teamKeys: [Int64: Int32] = [:]
        var teamIDs: [Int64] = []

        /// Keeps one scanned session (its area must be in the tree).
        mutating func add(_ s: ScannedSession) {
            guard let area = tree.index(ofID: s.area) else { return }
            let t = s.team.map { QualitySessions.key($0, &teamKeys, &teamIDs) } ?? -1
            high.append(s.uuidHigh)
            low.append(s.uuidLow)
            sessions.days.append(Int32(s.day.number))
            sessions.areas.append(Int32(area))
            sessions.teams.append(t)
            for v in s.values { sessions.values.append(v.map { Int32(clamping: $0) } ?? -1) }
            sessions.count += 1
        }

        /// The sessions, each team named by `codes` (by id).
        func finished(teamCodes codes: [Int64: String]) -> QualitySessions {
            var out = sessions
            out.ids = .uuids(high: high, low: low)
            out.teamCodes = teamIDs.map { codes[$0] ?? "" }
            return out
        }
    }
}

extension WorkspaceStore {
    /// The live sessions under the tree's node `start` (the whole tree when nil) dated
    /// `from`…`through`, with the counts of `metrics`, read in one scan.
    func qualitySessions(tree: AreaTree, under code: String?, from: Day, through: Day, metrics: [String]) async throws -> QualitySessions {
        let empty = QualitySessions.Scan(sessions: QualitySessions(metrics: metrics, tree: tree), tree: tree)
        guard from <= through else { return empty.finished(teamCodes: [:]) }
        let scan = try await scanSessions(SessionScan(under: code, from: from, through: through, metrics: metrics), into: empty) { state, s in
            state.add(s)
        }
        return scan.finished(teamCodes: scan.teamIDs.isEmpty ? [:] : try await teamCodes())
    }
}
