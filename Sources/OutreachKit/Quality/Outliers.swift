import Foundation

/// A session's figure far from the usual, an exact duplicate, or a burst of a team's sessions in
/// one day: what `outreach outliers` flags and stores as a follow-up. A flag never changes a
/// figure: the session counts until someone voids or replaces it.
public struct OutlierFlag: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A metric's value far from the hamlet's and the commune's usual values (robust score).
        case outlier
        /// The same day, hamlet, team and counts as an earlier live session.
        case duplicate
        /// One of a team's sessions on a day it logged implausibly many.
        case burst
    }

    public var kind: Kind
    public var session: String
    public var day: Day
    public var area: String
    public var areaName: String
    public var team: String?
    /// The metric (outliers), else "".
    public var metric: String
    public var value: Int?
    /// The hamlet's and the commune's medians of the metric (outliers).
    public var hamletMedian: Double?
    public var communeMedian: Double?
    /// The robust score against the hamlet's and the commune's values (outliers).
    public var score: Double?
    /// The earlier session this one repeats (duplicates), or the team's sessions that day (bursts).
    public var other: String?
    public var count: Int?
}

/// Finds outliers, duplicates and bursts among live sessions, with nothing but the sessions and
/// the tree (pure). The score is DHIS2's modified z-score: 0.6745 × (x − median) ÷ MAD, with the
/// mean absolute deviation (× 1.2533) when the MAD is 0, over the hamlet's sessions and over the
/// commune's; a value is flagged when both scores reach the threshold (3.0 by default, DHIS2's),
/// and the commune's alone when the hamlet has fewer than `minimumSessions`. Only values above
/// the usual are flagged: a small count is common in the field, an impossible one is the worry.
public struct OutlierDetection: Sendable {
    public var threshold: Double
    /// Fewer sessions than this in a hamlet: it is compared with its commune only.
    public var minimumSessions: Int
    /// A team's sessions in one day above this count are a burst.
    public var burst: Int
    /// At most this many outliers are listed and kept for follow-up, the strongest first
    /// (DHIS2's outlier detection returns 500 by default); 0: every one. Duplicates and bursts
    /// are always all kept.
    public var maxResults: Int

    public init(threshold: Double = 3.0, minimumSessions: Int = 5, burst: Int = 12, maxResults: Int = 500) {
        self.threshold = threshold
        self.minimumSessions = minimumSessions
        self.burst = burst
        self.maxResults = maxResults
    }

    /// `flags` with only the `maxResults` strongest outliers (by score, then date and session),
    /// in their order; and how many outliers there were in all.
    public func strongest(_ flags: [OutlierFlag]) -> (flags: [OutlierFlag], outliers: Int) {
        let outliers = flags.filter { $0.kind == .outlier }
        guard maxResults > 0, outliers.count > maxResults else { return (flags, outliers.count) }
        let kept = Set(outliers.sorted { ($0.score ?? 0, $1.day, $1.session) > ($1.score ?? 0, $0.day, $0.session) }
            .prefix(maxResults).map { "\($0.session)|\($0.metric)" })
        return (flags.filter { $0.kind != .outlier || kept.contains("\($0.session)|\($0.metric)") }, outliers.count)
    }

    /// The flags among `sessions` (live ones; voided ones are left out), `commune` naming each
    /// hamlet's commune code; in session date order, then by kind.
    public func flags(_ sessions: [SessionEntry], commune: (String) -> String?, metrics: [String]) -> [OutlierFlag] {
        // Duplicates compare every count a session holds, outliers only those of `metrics`.
        var all = metrics
        for code in Set(sessions.flatMap(\.metrics.keys)).sorted() where !all.contains(code) { all.append(code) }
        return flags(QualitySessions(sessions, metrics: all, commune: commune), outlierMetrics: Array(metrics.indices))
    }

    /// The flags among `q`'s sessions, outliers among the metrics at `outlierMetrics` (positions
    /// in `q.metrics`); in session date order, then by kind. Sessions are grouped by sorting their
    /// positions (by area, by commune, by day), never through a dictionary per session.
    public func flags(_ q: QualitySessions, outlierMetrics: [Int]) -> [OutlierFlag] {
        let (outliers, others) = found(q, outlierMetrics: outlierMetrics)
        return Self.ordered(outliers.map { $0.flag(q) } + others)
    }

    /// The same with only the `maxResults` strongest outliers (as `strongest(_:)` keeps them),
    /// and how many outliers there were in all. Only the flags kept are made: a whole country
    /// can have half a million outliers.
    public func strongestFlags(_ q: QualitySessions, outlierMetrics: [Int]) -> (flags: [OutlierFlag], outliers: Int) {
        var (outliers, others) = found(q, outlierMetrics: outlierMetrics)
        let count = outliers.count
        if maxResults > 0, count > maxResults {
            outliers.sort { a, b in
                if a.score != b.score { return a.score > b.score }
                if q.days[a.session] != q.days[b.session] { return q.days[a.session] < q.days[b.session] }
                return q.idBefore(a.session, b.session)
            }
            outliers.removeSubrange(maxResults...)
        }
        return (Self.ordered(outliers.map { $0.flag(q) } + others), count)
    }

    /// An outlier as numbers, made into a flag only when it is kept.
    struct Candidate {
        var session: Int
        var metric: Int
        var value: Int
        var hamletMedian: Double?
        var communeMedian: Double
        var score: Double

        func flag(_ q: QualitySessions) -> OutlierFlag {
            var f = OutlierDetection.flag(.outlier, session, q)
            f.metric = q.metrics[metric]
            f.value = value
            f.hamletMedian = hamletMedian
            f.communeMedian = communeMedian
            f.score = score
            return f
        }
    }

    /// Flag `kind` on session `i` of `q`.
    static func flag(_ kind: OutlierFlag.Kind, _ i: Int, _ q: QualitySessions) -> OutlierFlag {
        let a = Int(q.areas[i]), t = Int(q.teams[i])
        return OutlierFlag(kind: kind, session: q.id(i), day: Day(number: Int(q.days[i])), area: q.areaCodes[a],
                           areaName: q.areaNames[a], team: t >= 0 ? q.teamCodes[t] : nil, metric: "")
    }

    /// `flags` in session date order, then by kind, session and metric.
    static func ordered(_ flags: [OutlierFlag]) -> [OutlierFlag] {
        func rank(_ k: OutlierFlag.Kind) -> Int { OutlierFlag.Kind.allCases.firstIndex(of: k) ?? 0 }
        return flags.sorted { ($0.day, rank($0.kind), $0.session, $0.metric) < ($1.day, rank($1.kind), $1.session, $1.metric) }
    }

    /// The outliers among `q`'s sessions, as numbers, and the duplicates and bursts, as flags.
    func found(_ q: QualitySessions, outlierMetrics: [Int]) -> (outliers: [Candidate], others: [OutlierFlag]) {
        let n = q.count
        let areaCount = q.areaCodes.count
        var outliers: [Candidate] = []
        var out: [OutlierFlag] = []
        func flag(_ kind: OutlierFlag.Kind, _ i: Int) -> OutlierFlag { Self.flag(kind, i, q) }
        // Positions grouped by area key, and by the commune key of their area.
        let byArea = Self.group(n, keys: areaCount) { Int(q.areas[$0]) }
        let byCommune = Self.group(n, keys: areaCount) { Int(q.communes[Int(q.areas[$0])]) }
        for m in outlierMetrics {
            func values(_ group: ArraySlice<Int32>) -> [Double] { group.compactMap { q.value(Int($0), m).map(Double.init) } }
            var communeStats = [Robust?](repeating: nil, count: areaCount)
            for c in 0..<areaCount where byCommune.start[c] < byCommune.start[c + 1] {
                let v = values(byCommune.positions[byCommune.start[c]..<byCommune.start[c + 1]])
                if !v.isEmpty { communeStats[c] = Robust(v) }
            }
            // A hamlet's figures are summed up only when one of its values stands out in its commune.
            var hamletStats = [Robust?](repeating: nil, count: areaCount)
            var hamletDone = [Bool](repeating: false, count: areaCount)
            for i in 0..<n {
                let a = Int(q.areas[i]), c = Int(q.communes[a])
                guard c >= 0, let v = q.value(i, m), let cs = communeStats[c], let cz = cs.score(Double(v)), cz >= threshold else { continue }
                if !hamletDone[a] {
                    hamletDone[a] = true
                    let own = values(byArea.positions[byArea.start[a]..<byArea.start[a + 1]])
                    if !own.isEmpty { hamletStats[a] = Robust(own) }
                }
                let hs = hamletStats[a]
                var score = cz
                if let hs, hs.count >= minimumSessions {
                    guard let hz = hs.score(Double(v)), hz >= threshold else { continue }
                    score = min(hz, cz)
                }
                outliers.append(Candidate(session: i, metric: m, value: v, hamletMedian: hs?.median, communeMedian: cs.median,
                                          score: (score * 10).rounded() / 10))
            }
        }
        // Per day: exact duplicates (the same hamlet, team and counts as a session with a smaller
        // id) and bursts (every session of a team on a day it logged more than `burst`).
        let minDay = q.days.min().map(Int.init) ?? 0, maxDay = q.days.max().map(Int.init) ?? -1
        let byDay = Self.group(n, keys: max(0, maxDay - minDay + 1)) { Int(q.days[$0]) - minDay }
        let w = q.metrics.count
        for d in 0..<max(0, maxDay - minDay + 1) where byDay.start[d] < byDay.start[d + 1] {
            let day = byDay.positions[byDay.start[d]..<byDay.start[d + 1]].map(Int.init)
            let sorted = day.sorted { i, j in
                if q.areas[i] != q.areas[j] { return q.areas[i] < q.areas[j] }
                if q.teams[i] != q.teams[j] { return q.teams[i] < q.teams[j] }
                for k in 0..<w where q.values[i * w + k] != q.values[j * w + k] { return q.values[i * w + k] < q.values[j * w + k] }
                return q.idBefore(i, j)
            }
            var first = -1
            for (k, i) in sorted.enumerated() {
                if k > 0, first >= 0, q.areas[i] == q.areas[first], q.teams[i] == q.teams[first],
                   (0..<w).allSatisfy({ q.values[i * w + $0] == q.values[first * w + $0] }) {
                    var f = flag(.duplicate, i)
                    f.other = q.id(first)
                    out.append(f)
                } else {
                    first = i
                }
            }
            var perTeam: [Int32: Int] = [:]
            for i in day where q.teams[i] >= 0 { perTeam[q.teams[i], default: 0] += 1 }
            for i in day where q.teams[i] >= 0 {
                guard let c = perTeam[q.teams[i]], c > burst else { continue }
                var f = flag(.burst, i)
                f.count = c
                out.append(f)
            }
        }
        return (outliers, out)
    }

    /// Positions 0..<n grouped by `key` (0..<keys; a negative key leaves the position out): a
    /// counting sort, the positions of key k at `positions[start[k]..<start[k + 1]]`, in order.
    static func group(_ n: Int, keys: Int, _ key: (Int) -> Int) -> (start: [Int], positions: [Int32]) {
        var start = [Int](repeating: 0, count: keys + 1)
        for i in 0..<n { let k = key(i); if k >= 0 { start[k + 1] += 1 } }
        for k in 0..<keys { start[k + 1] += start[k] }
        var next = start
        var positions = [Int32](repeating: 0, count: start[keys])
        for i in 0..<n {
            let k = key(i)
            guard k >= 0 else { continue }
            positions[next[k]] = Int32(i)
            next[k] += 1
        }
        return (start, positions)
    }
}

/// The median and the spread of a set of values, for robust scores.
struct Robust {
    let count: Int
    let median: Double
    /// 0.6745 ÷ MAD, or 1 ÷ (1.2533 × mean absolute deviation) when the MAD is 0; nil when every
    /// value is the same.
    let scale: Double?

    init(_ values: [Double]) {
        count = values.count
        let middle = Robust.median(values)
        median = middle
        let deviations = values.map { abs($0 - middle) }
        let mad = Robust.median(deviations)
        if mad > 0 {
            scale = 0.6745 / mad
        } else {
            let mean = deviations.reduce(0, +) / Double(max(1, deviations.count))
            scale = mean > 0 ? 1 / (1.2533 * mean) : nil
        }
    }

    func score(_ x: Double) -> Double? { scale.map { (x - median) * $0 } }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
