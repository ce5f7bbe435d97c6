/// A source of an indicator's baselines and how many units of a report take theirs from it (nil
/// source: rows of the baselines file that name none): which figures include a baseline, and
/// where it came from.
public struct BaselineSource: Sendable, Equatable {
    public var indicator: String
    public var source: AreaSource?
    public var areas: Int

    public init(indicator: String, source: AreaSource?, areas: Int) {
        self.indicator = indicator
        self.source = source
        self.areas = areas
    }

    /// The baselines `campaign` adds to each of `indicators` (its own by default) in the units
    /// `counts` keeps: per indicator in the campaign's order, every source named (most units
    /// first), then the units whose rows name none. A unit counts once per source of its
    /// numerator metrics' rows.
    public static func summary(_ campaign: Campaign, indicators: [Indicator]? = nil,
                               counts: (String) -> Bool = { _ in true }) -> [BaselineSource] {
        guard !campaign.baselines.isEmpty else { return [] }
        var out: [BaselineSource] = []
        for indicator in indicators ?? campaign.indicators {
            var tally: [AreaSource: Int] = [:]
            var none = 0
            for (area, values) in campaign.baselines where counts(area) {
                var named: Set<AreaSource> = []
                var unnamed = false
                for metric in indicator.numerator where values[metric] != nil {
                    if let s = campaign.baselineSources[area]?[metric] { named.insert(s) } else { unnamed = true }
                }
                for s in named { tally[s, default: 0] += 1 }
                if unnamed { none += 1 }
            }
            out += tally.map { BaselineSource(indicator: indicator.id, source: $0.key, areas: $0.value) }
                .sorted { ($0.areas, $1.source?.source ?? "", $1.source?.asOf?.number ?? 0)
                    > ($1.areas, $0.source?.source ?? "", $0.source?.asOf?.number ?? 0) }
            if none > 0 { out.append(BaselineSource(indicator: indicator.id, source: nil, areas: none)) }
        }
        return out
    }

    /// "Báo cáo Công an xã (30/10/2026): 3 đơn vị; chưa ghi nguồn: 1 đơn vị" (one indicator's).
    public static func sources(_ list: [BaselineSource], _ l: Labels) -> String {
        list.map { s in l("provenance.item", ["source": s.source?.text(l) ?? l["provenance.none"], "count": l.count(s.areas)]) }
            .joined(separator: "; ")
    }

    /// "Số liệu ban đầu được cộng vào: chỉ số eid-l2 (Báo cáo Công an xã (30/10/2026): 3 đơn vị)."
    public static func text(_ list: [BaselineSource], _ l: Labels) -> String {
        var order: [String] = []
        for s in list where !order.contains(s.indicator) { order.append(s.indicator) }
        return l("provenance.baseline.sentence", ["indicators": order.map { id in
            l("provenance.baseline.indicator", ["id": id, "sources": sources(list.filter { $0.indicator == id }, l)])
        }.joined(separator: "; ")])
    }

    /// The baselines file's rows by source, for `campaigns show`: "Báo cáo Công an xã
    /// (30/10/2026): 4 dòng; chưa ghi nguồn: 2 dòng".
    public static func rows(_ campaign: Campaign, _ l: Labels) -> String {
        var tally: [AreaSource: Int] = [:]
        var none = 0
        for (area, values) in campaign.baselines {
            for metric in values.keys {
                if let s = campaign.baselineSources[area]?[metric] { tally[s, default: 0] += 1 } else { none += 1 }
            }
        }
        var parts = tally.sorted { ($0.value, $1.key.source ?? "") > ($1.value, $0.key.source ?? "") }
            .map { l("provenance.baseline.rows", ["source": $0.key.text(l), "count": l.count($0.value)]) }
        if none > 0 { parts.append(l("provenance.baseline.rows", ["source": l["provenance.none"], "count": l.count(none)])) }
        return parts.joined(separator: "; ")
    }
}
