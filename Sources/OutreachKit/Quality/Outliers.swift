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

    public init(threshold: Double = 3.0, minimumSessions: Int = 5, burst: Int = 12) {
        self.threshold = threshold
        self.minimumSessions = minimumSessions
        self.burst = burst
    }

    /// The flags among `sessions` (live ones; voided ones are left out), `commune` naming each
    /// hamlet's commune code; in session date order, then by kind.
    public func flags(_ sessions: [SessionEntry], commune: (String) -> String?, metrics: [String]) -> [OutlierFlag] {
        let live = sessions.filter { $0.voided == nil }
        var out: [OutlierFlag] = []
        // Outliers, per metric.
        for metric in metrics {
            var byHamlet: [String: [Double]] = [:]
            var byCommune: [String: [Double]] = [:]
            for s in live {
                guard let v = s.metrics[metric] else { continue }
                byHamlet[s.area, default: []].append(Double(v))
                if let c = commune(s.area) { byCommune[c, default: []].append(Double(v)) }
            }
            let hamletStats = byHamlet.mapValues(Robust.init)
            let communeStats = byCommune.mapValues(Robust.init)
            for s in live {
                guard let v = s.metrics[metric], let c = commune(s.area), let cs = communeStats[c], let cz = cs.score(Double(v)),
                      cz >= threshold else { continue }
                let hs = hamletStats[s.area]
                var score = cz
                if let hs, hs.count >= minimumSessions {
                    guard let hz = hs.score(Double(v)), hz >= threshold else { continue }
                    score = min(hz, cz)
                }
                out.append(OutlierFlag(kind: .outlier, session: s.id, day: s.date, area: s.area, areaName: s.areaName, team: s.team,
                                       metric: metric, value: v, hamletMedian: hs?.median, communeMedian: cs.median,
                                       score: (score * 10).rounded() / 10))
            }
        }
        // Exact duplicates: the same day, hamlet, team and counts as an earlier session.
        var first: [String: String] = [:]
        for s in live.sorted(by: { ($0.date, $0.id) < ($1.date, $1.id) }) {
            let key = "\(s.date.number)|\(s.area)|\(s.team ?? "")|" + s.metrics.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            if let earlier = first[key] {
                out.append(OutlierFlag(kind: .duplicate, session: s.id, day: s.date, area: s.area, areaName: s.areaName, team: s.team,
                                       metric: "", other: earlier))
            } else {
                first[key] = s.id
            }
        }
        // Bursts: every session of a team on a day it logged more than `burst`.
        let byTeamDay = Dictionary(grouping: live.filter { $0.team != nil }, by: { "\($0.team!)|\($0.date.number)" })
        for (_, group) in byTeamDay where group.count > burst {
            for s in group {
                out.append(OutlierFlag(kind: .burst, session: s.id, day: s.date, area: s.area, areaName: s.areaName, team: s.team,
                                       metric: "", count: group.count))
            }
        }
        let order = Dictionary(uniqueKeysWithValues: OutlierFlag.Kind.allCases.enumerated().map { ($1, $0) })
        return out.sorted { ($0.day, order[$0.kind]!, $0.session, $0.metric) < ($1.day, order[$1.kind]!, $1.session, $1.metric) }
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
