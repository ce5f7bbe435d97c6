extension DistrictReport {
    /// The team structure as sentences: "29/29 xã, phường, thị trấn có Tổ công tác Đề án 06
    /// (319 thành viên)", one per level and kind of team.
    public func structureLines(labels: Labels) -> [String] {
        let words = ReportWording(self, labels: labels)
        return structure.lines.map { line in
            labels("report.structure.sentence", ["units": "\(line.withTeam)/\(line.units)", "what": words.structureLine(line),
                                                 "members": words.members(line.members)])
        }
    }
}

/// The words both renderings of the district report share, from the `report.*` labels.
struct ReportWording {
    let l: Labels
    let report: DistrictReport

    init(_ report: DistrictReport, labels: Labels) {
        self.report = report
        self.l = labels
    }

    // MARK: The heading block

    /// The issuing body in upper case, its name set in bold over one or two lines ("ỦY BAN
    /// NHÂN DÂN" / "HUYỆN NÔNG CỐNG"); for a hamlet, the commune's committee above it.
    var issuer: (upper: String?, name: [String]) {
        let place = report.place
        let body = report.signature.issuer
        if let issuing = report.issuingBody {
            return (nil, [body ?? l["report.issuer.committee"], issuing.name.uppercased()])
        }
        switch place.level {
        case .country:
            return (nil, [body ?? l["report.issuer.summary"]])
        case .hamlet:
            return ((body ?? l["report.issuer.committee"]) + " " + (place.parentName ?? "").uppercased(), [place.name.uppercased()])
        default:
            return (nil, [body ?? l["report.issuer.committee"], place.name.uppercased()])
        }
    }

    /// The lines over the signature: "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH" by default; a
    /// whole-country summary without an issuer is signed by its author ("NGƯỜI LẬP BÁO CÁO").
    var signerLines: [String] {
        let signature = report.signature
        if report.place.level == .country, signature.issuer == nil {
            return [signature.title ?? l["report.sign.title"]]
        }
        let body = signature.issuer ?? l["report.issuer.committee"]
        return [l("report.sign.on_behalf", ["body": body]), signature.title ?? l["report.sign.chair"]]
    }

    /// The recipients under "Nơi nhận": the office above (none for a province or the country),
    /// and the archive.
    var recipientLines: [String] {
        var lines: [String] = []
        if let parent = report.place.parentName, report.place.level != .province, report.place.level != .country {
            lines.append(l("report.sign.upper", ["area": ReportWording.inText(parent)]))
        }
        lines.append(l["report.sign.archive"])
        return lines
    }

    /// "Đã nhận (1)", "Đã phát (2)", "Còn lại (3) = (1) − (2)": the leaflet table's columns.
    var leafletHeader: [String] {
        [l["report.col.unit"], l["report.col.received"] + " (1)", l["report.col.handed_out"] + " (2)",
         l["report.col.on_hand"] + " " + l["report.leaflets.formula"]]
    }

    /// A line of the leaflet table: a unit below, or the area's own line ("… (giữ lại)").
    func leafletLineName(_ line: DistrictReport.LeafletLine) -> String {
        line.code == report.place.code ? l("report.leaflets.kept", ["area": line.name]) : line.name
    }

    /// How the area's own line was worked out, when it passed leaflets on.
    var leafletKeptNote: String? {
        guard let own = report.leaflets.rows.first(where: { $0.code == report.place.code }), own.passedOn != 0 else { return nil }
        return l("report.leaflets.kept_note", ["area": own.name, "received": l.count(own.received), "passedOn": l.count(own.passedOn),
                                               "kept": l.count(own.received - own.passedOn)])
    }

    /// Notes under a unit table: which rows left units without a denominator out of their ratio.
    func leftOutNotes(_ rows: [CoverageReport.Row]) -> [String] {
        rows.filter { $0.leftOut > 0 }.map { row in
            let name = row.isTotal ? l("report.total", ["area": ReportWording.inText(row.name)]) : row.name
            return l.counted(row.leftOut, one: l["report.units.left_out.one"], other: l["report.units.left_out.other"],
                             ["area": name])
        }
    }

    /// "Nông Cống, ngày 20 tháng 11 năm 2026": the place without its prefix, the report's day.
    var placeAndDate: String {
        let date = l.longDate(report.asOf)
        guard report.place.level != .country else { return date.prefix(1).uppercased() + date.dropFirst() }
        return l("date.placed", ["place": (report.issuingBody ?? report.place).name.withoutAdministrativePrefix, "date": date])
    }

    /// The campaign's name in the report's language.
    var campaignName: String {
        l.language == .en ? report.campaign.nameEnglish ?? report.campaign.name : report.campaign.name
    }

    var subject: String { l("report.subject", ["campaign": campaignName]) }

    var figuresUpTo: String { l("report.figures_up_to", ["date": l.date(report.asOf)]) }

    /// "Huyện Nông Cống" in running text: the prefix in lower case ("huyện Nông Cống").
    var areaInText: String { ReportWording.inText(report.place.name) }

    static func inText(_ name: String) -> String {
        name.prefix(1).lowercased() + name.dropFirst()
    }

    var intro: String {
        l("report.intro", ["date": l.date(report.asOf), "elapsed": l.percent(report.elapsedShare),
                           "start": l.date(report.campaign.start), "end": l.date(report.campaign.end),
                           "area": report.place.level == .country ? l["report.country"] : areaInText])
    }

    // MARK: Indicators

    func indicatorLabel(_ indicator: Indicator) -> String {
        l.language == .en ? indicator.labelEnglish ?? indicator.label : indicator.label
    }

    /// "90%" or "6.000".
    func target(_ target: Target) -> String {
        switch target {
        case let .share(share): return l.targetPercent(share)
        case let .count(count): return l.count(count)
        }
    }

    /// "People aged 15+ … (target 90% by 31/12/2026)".
    func indicatorHeading(_ indicator: Indicator) -> String {
        l("report.indicator.heading", ["label": indicatorLabel(indicator), "target": target(indicator.target),
                                       "end": l.date(report.campaign.end)])
    }

    /// A row's measure: coverage for a share target ("62,3%", "n/a"), the value for a count.
    func measure(_ row: CoverageReport.Row, _ indicator: Indicator) -> String {
        guard let value = row.value else { return l["report.dash"] }
        if case .count = indicator.target, indicator.denominator == nil { return l.count(value) }
        return row.coverage.map { l.percent($0) } ?? l["report.not_applicable"]
    }

    func value(_ value: Int?) -> String { value.map(l.count) ?? l["report.dash"] }

    func denominatorName(_ indicator: Indicator) -> String {
        switch indicator.denominator {
        case "population": return l["report.denominator.population"]
        case "adults": return l["report.denominator.adults"]
        case "working_age": return l["report.denominator.working_age"]
        case "households": return l["report.denominator.households"]
        default: return l["report.denominator.none"]
        }
    }

    func status(_ status: CoverageReport.Status) -> String {
        switch status {
        case .met: return l["report.status.met"]
        case .onTrack: return l["report.status.on_track"]
        case .behind: return l["report.status.behind"]
        case .noData: return l["report.status.no_data"]
        case .noDenominator: return l["report.status.no_denominator"]
        }
    }

    /// The CSS class of a status's colour.
    static func tone(_ status: CoverageReport.Status) -> String {
        switch status {
        case .met: return "met"
        case .onTrack: return "on-track"
        case .behind: return "behind"
        case .noData, .noDenominator: return "no-data"
        }
    }

    /// A unit's name, with the commune for a hamlet (hamlet names repeat).
    func unitName(_ row: CoverageReport.Row) -> String {
        row.within.map { l("report.unit_within", ["name": row.name, "within": $0]) } ?? row.name
    }

    // MARK: Teams

    func levelName(_ level: StructureReport.Level) -> String {
        switch level {
        case .province: return l["report.level.province"]
        case .district: return l["report.level.district"]
        case .commune: return l["report.level.commune"]
        case .hamlet: return l["report.level.hamlet"]
        }
    }

    func teamName(_ kind: TeamKind) -> String {
        switch kind {
        case .project06: return l["report.team.project06"]
        case .digital: return l["report.team.digital"]
        case .volunteer: return l["report.team.volunteer"]
        }
    }

    /// "đơn vị cấp xã có Tổ công tác Đề án 06".
    func structureLine(_ line: StructureReport.Line) -> String {
        l("report.structure.line", ["level": levelName(line.level), "team": teamName(line.kind)])
    }

    func members(_ n: Int) -> String {
        n == 1 ? l["report.members.one"] : l("report.members", ["count": l.count(n)])
    }

    // MARK: Metrics

    func metricName(_ metric: Metric) -> String {
        switch metric {
        case .eidL2: return l["report.metric.eid_l2"]
        case .bankAccount: return l["report.metric.bank_account"]
        case .ewallet: return l["report.metric.ewallet"]
        case .leaflets: return l["report.metric.leaflets"]
        case .dvcGuided: return l["report.metric.dvc_guided"]
        case .householdsVisited: return l["report.metric.households_visited"]
        case .peopleReached: return l["report.metric.people_reached"]
        case .smartphoneSetup: return l["report.metric.smartphone_setup"]
        }
    }

    // MARK: Progress

    /// Sentences under a progress chart: where the line stands, and what the rest of the
    /// period needs.
    func progressNote(_ indicator: Indicator, _ progress: DistrictReport.Progress) -> [String] {
        guard let last = progress.points.last, let total = report.total(of: indicator), total.value != nil else {
            return [l["report.progress.none"]]
        }
        var out: [String] = []
        if case .share = indicator.target, let denominator = progress.denominator {
            out.append(l("report.progress.now_share", ["date": l.date(last.day), "coverage": measure(total, indicator),
                                                       "value": l.count(last.value), "denominator": l.count(denominator)]))
        } else {
            out.append(l("report.progress.now_count", ["date": l.date(last.day), "value": l.count(last.value)]))
        }
        let recent = progress.points.suffix(5)
        if recent.count == 5, let first = recent.first {
            out.append(l("report.progress.recent", ["perWeek": l.count((last.value - first.value + 2) / 4)]))
        }
        let targetText = target(indicator.target)
        guard let needed = DistrictReport.stillNeeded(total), needed > 0 else {
            out.append(l("report.progress.met", ["target": targetText]))
            return out
        }
        if report.asOf >= report.campaign.end {
            out.append(l("report.progress.ended", ["end": l.date(report.campaign.end), "needed": l.count(needed)]))
        } else {
            let weeks = max(1, (report.campaign.end.number - report.asOf.number + 6) / 7)
            out.append(l("report.progress.needed", ["needed": l.count(needed), "weeks": String(weeks),
                                                     "perWeek": l.count((needed + weeks - 1) / weeks),
                                                     "target": targetText, "end": l.date(report.campaign.end)]))
        }
        return out
    }

    /// The pace the target needs on `day`, in the indicator's measure (a share or a count).
    func pace(_ indicator: Indicator, on day: Day) -> Double {
        let share = report.campaign.elapsedShare(on: day)
        switch indicator.target {
        case let .share(s): return s * share
        case let .count(c): return Double(c) * share
        }
    }

    /// Month names for the chart's axis, January first.
    var monthNames: [String] { l["report.chart.months"].split(separator: ",").map { String($0) } }

    /// Section numbers, as Vietnamese documents write them.
    static let roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
}
