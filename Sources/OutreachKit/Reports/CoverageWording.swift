/// Every word the coverage table and Markdown print, in one language.
///
/// Built once per report: the fixed words (statuses, kinds, "n/a", flags) are looked up here,
/// not once per row, because a national report has 111,000 rows.
struct CoverageWording {
    let labels: Labels
    /// Column titles as written in Markdown (the table upper-cases them); the fifth is the
    /// denominator's, replaced per indicator.
    let columns: [String]
    let noneBehind: String
    /// The words of the levels, in `AreaLevel.allCases` order.
    private let kinds: [String]
    private let met, onTrack, behind, noData, noDenominator: String
    private let notApplicable: String
    private let over, mean, overAndMean: String
    private let total: String

    /// The names of the campaign's declared metrics, shown instead of their codes.
    let metricNames: [String: MetricName]

    init(_ labels: Labels, metricNames: [String: MetricName] = [:]) {
        self.labels = labels
        self.metricNames = metricNames
        columns = [labels["coverage.col.code"], labels["coverage.col.name"], labels["coverage.col.kind"],
                   labels["coverage.col.value"], labels["coverage.col.denominator"], labels["coverage.col.coverage"],
                   labels["coverage.col.target"], labels["coverage.col.status"], labels["coverage.col.flags"]]
        noneBehind = labels["coverage.none_behind"]
        kinds = AreaLevel.allCases.map(labels.kind)
        met = labels.status(.met)
        onTrack = labels.status(.onTrack)
        behind = labels.status(.behind)
        noData = labels.status(.noData)
        noDenominator = labels.status(.noDenominator)
        notApplicable = labels["coverage.not_applicable"]
        over = labels["coverage.flag.over"]
        mean = labels["coverage.flag.mean"]
        overAndMean = over + ", " + mean
        total = labels["coverage.total"]
    }

    // MARK: The lines above the tables

    /// "Tiến độ Chiến dịch … (epay) tại Huyện Nông Cống (404) đến ngày 20/11/2026: …".
    func title(_ r: CoverageReport) -> String {
        labels("coverage.title", ["campaign": r.campaignName, "id": r.campaign, "area": r.startName, "code": r.startCode,
                                  "date": labels.date(r.asOf), "elapsed": labels.percent(r.elapsedShare),
                                  "start": labels.date(r.periodStart), "end": labels.date(r.periodEnd)])
    }

    func markdownTitle(_ r: CoverageReport) -> String {
        labels("coverage.md.title", ["campaign": r.campaignName, "id": r.campaign])
    }

    func markdownIntro(_ r: CoverageReport) -> String {
        labels("coverage.md.intro", ["area": r.startName, "code": r.startCode, "date": labels.date(r.asOf),
                                     "elapsed": labels.percent(r.elapsedShare), "start": labels.date(r.periodStart),
                                     "end": labels.date(r.periodEnd)])
    }

    /// Which rows are shown, when not all of them.
    func selection(_ r: CoverageReport) -> String? {
        var parts: [String] = []
        if let level = r.level { parts.append(labels("coverage.selection.level", ["what": listed(level)])) }
        if r.behindOnly { parts.append(labels["coverage.selection.behind"]) }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// "các đơn vị cấp xã", "hamlet areas", "areas 2 levels below".
    private func listed(_ level: CoverageReport.LevelFilter) -> String {
        switch level {
        case .kind(.commune): return labels["coverage.level.commune"]
        case let .kind(kind): return labels("coverage.level.kind", ["kind": labels.kind(kind)])
        case let .depth(d):
            return labels.counted(d, one: labels["coverage.level.depth.one"], other: labels["coverage.level.depth.other"])
        }
    }

    /// The indicator's label in the report's language (the Vietnamese one when a campaign has
    /// no English label).
    func indicatorLabel(_ indicator: Indicator) -> String {
        labels.language == .en ? indicator.labelEnglish ?? indicator.label : indicator.label
    }

    /// "epay: Tỷ lệ … — bank_account + ewallet trên người từ 15 tuổi trở lên, chỉ tiêu 50%, …".
    func heading(_ indicator: Indicator) -> String {
        "\(indicator.id): \(indicatorLabel(indicator)) — \(definition(indicator))"
    }

    /// What the indicator counts, its target and milestones, and how it rolls up.
    func definition(_ indicator: Indicator) -> String {
        let numerator = indicator.numerator.map { metricNames[$0]?.text(labels.language) ?? $0 }.joined(separator: " + ")
        let target = self.target(indicator.target)
        var text = indicator.denominator.map {
            labels("coverage.definition.share", ["numerator": numerator, "denominator": denominatorName($0), "target": target])
        } ?? labels("coverage.definition.count", ["numerator": numerator, "target": target])
        if !indicator.milestones.isEmpty {
            let list = indicator.milestones.map {
                labels("coverage.milestone", ["target": self.target($0.target), "date": labels.date($0.day)])
            }
            text += " (" + labels("coverage.milestones", ["list": list.joined(separator: ", ")]) + ")"
        }
        let mode: String
        switch indicator.rollUp {
        case .ratio: mode = labels["coverage.rollup.ratio"]
        case .mean: mode = labels["coverage.rollup.mean"]
        case .all: mode = labels["coverage.rollup.all"]
        }
        return text + ", " + mode
    }

    /// A denominator as a sentence names it: "người từ 15 tuổi trở lên", "adults".
    private func denominatorName(_ attribute: String) -> String {
        switch attribute {
        case "population": labels["coverage.denominator.population"]
        case "adults": labels["coverage.denominator.adults"]
        case "working_age": labels["coverage.denominator.working_age"]
        case "households": labels["coverage.denominator.households"]
        default: attribute
        }
    }

    /// The denominator's column title: "Từ 15 tuổi", "Adults"; "Mẫu số" without one.
    func denominatorTitle(_ indicator: Indicator) -> String {
        switch indicator.denominator {
        case "population": labels["coverage.col.population"]
        case "adults": labels["coverage.col.adults"]
        case "working_age": labels["coverage.col.working_age"]
        case "households": labels["coverage.col.households"]
        case let other?: other
        case nil: columns[4]
        }
    }

    // MARK: Cells

    func name(_ row: CoverageReport.Row, sort: CoverageReport.Sort) -> String {
        if row.isTotal {
            return row.summedAreas.map {
                labels.counted($0, one: labels["coverage.total_of.one"], other: labels["coverage.total_of.other"])
            } ?? total
        }
        if sort != .tree, let within = row.within { return "\(row.name) — \(within)" }
        return row.name
    }

    func kind(_ level: AreaLevel) -> String {
        switch level {
        case .province: kinds[0]
        case .district: kinds[1]
        case .commune: kinds[2]
        case .ward: kinds[3]
        case .town: kinds[4]
        case .specialZone: kinds[5]
        case .hamlet: kinds[6]
        case .country: kinds[7]
        }
    }

    /// A value, or "-" for no data (never 0).
    func value(_ value: Int?) -> String { value.map(labels.count) ?? "-" }

    func denominator(_ denominator: Int?) -> String { denominator.map(labels.count) ?? notApplicable }

    /// "96,6%", "n/a" without a ratio, "no data" without a value.
    func coverage(_ row: CoverageReport.Row) -> String {
        guard row.value != nil else { return noData }
        return row.coverage.map { labels.percent($0) } ?? notApplicable
    }

    /// "50%", "92,5%" or a count.
    func target(_ target: Target) -> String { labels.target(target) }

    /// Remembers the last target's and local kind's text: rows of an indicator mostly share one
    /// target, and the hamlets of a district one local word.
    func cellCache() -> CellCache { CellCache(wording: self) }

    struct CellCache {
        let wording: CoverageWording
        private var lastTarget: (target: Target, text: String)?
        private var lastKind: (level: AreaLevel, local: String, text: String)?

        init(wording: CoverageWording) { self.wording = wording }

        mutating func target(_ target: Target) -> String {
            if let lastTarget, lastTarget.target == target { return lastTarget.text }
            let text = wording.target(target)
            lastTarget = (target, text)
            return text
        }

        /// The row's kind as `areas list` shows it: the local word when the area list gave one
        /// (`ấp`; `hamlet (ấp)` in English), else the level's word.
        mutating func kind(_ row: CoverageReport.Row) -> String {
            guard let local = row.localKind, !local.isEmpty else { return wording.kind(row.kind) }
            if let lastKind, lastKind.level == row.kind, lastKind.local == local { return lastKind.text }
            let text = wording.labels.kind(row.kind, local: local)
            lastKind = (row.kind, local, text)
            return text
        }
    }

    func status(_ status: CoverageReport.Status) -> String {
        switch status {
        case .met: met
        case .onTrack: onTrack
        case .behind: behind
        case .noData: noData
        case .noDenominator: noDenominator
        }
    }

    /// "vượt 100%", "trung bình", and how many units the row's ratio left out.
    func flags(_ row: CoverageReport.Row) -> String {
        let flags: String
        switch (row.over, row.coverageIsMean) {
        case (true, true): flags = overAndMean
        case (true, false): flags = over
        case (false, true): flags = mean
        case (false, false): flags = ""
        }
        guard row.leftOut > 0 else { return flags }
        let note = leftOut(row.leftOut)
        return flags.isEmpty ? note : flags + ", " + note
    }

    /// "không tính 2 đơn vị không có mẫu số": units kept out of a ratio for want of a denominator.
    func leftOut(_ count: Int) -> String {
        labels.counted(count, one: labels["coverage.flag.left_out.one"], other: labels["coverage.flag.left_out.other"])
    }
}
