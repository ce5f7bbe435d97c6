extension DistrictReport {
    /// The report as one self-contained HTML page: inline CSS and SVG, no script, no font or
    /// image from anywhere; it reads on a phone and prints on A4. Well-formed XML as well.
    ///
    /// `notice`, when given, is set in a box under the title (the demo says its data is made up).
    public func html(labels: Labels, notice: String? = nil) -> String {
        var page = HTMLPage(self, labels: labels, notice: notice)
        return page.render()
    }

    /// The report's progress charts alone (inline SVG), with the CSS they need, for a page
    /// that shows them beside other things (the dashboard of `outreach serve`).
    public func progressCharts(labels: Labels) -> String {
        var page = HTMLPage(self, labels: labels, notice: nil)
        page.progress()
        let rules = ReportStyle.css.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { rule in
            [".progress-grid", ".line-chart", "svg.chart", ".chart", ".key", ".legend"].contains { rule.hasPrefix($0) }
        }
        return "<style>:root{--met:#1a7f37;--on-track:#1d5fa6;--behind:#c2410c;--no-data:#8a9099;--count:#475569;--target:#9f1239;--muted:#4b5563}"
            + rules.joined(separator: "") + "</style>" + page.w.text
    }
}

/// Writes the HTML page, section by section.
private struct HTMLPage {
    let report: DistrictReport
    let words: ReportWording
    let l: Labels
    let notice: String?
    var w = HTMLWriter()
    var section = 0

    init(_ report: DistrictReport, labels: Labels, notice: String?) {
        self.report = report
        self.l = labels
        self.notice = notice
        self.words = ReportWording(report, labels: labels)
    }

    mutating func render() -> String {
        w.raw("<!DOCTYPE html>\n")
        w.open("html", ["lang": l.language.rawValue])
        w.newline()
        w.open("head")
        w.void("meta", ["charset": "utf-8"])
        w.void("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
        w.element("title", [:], l["report.title"] + " — " + words.campaignName)
        w.open("style")
        w.raw(ReportStyle.css)
        w.close("style")
        w.close("head")
        w.newline()
        w.open("body")
        w.open("main", ["class": "page"])
        w.newline()
        heading()
        headline()
        units()
        progress()
        behind()
        leaflets()
        completeness()
        quality()
        for line in report.coverage.treeLines(l) { w.element("p", ["class": "note"], line) }
        if !report.coverage.denominatorSources.isEmpty {
            w.element("p", ["class": "note"], DenominatorSource.text(report.coverage.denominatorSources, l))
        }
        if !report.coverage.baselineSources.isEmpty {
            w.element("p", ["class": "note"], BaselineSource.text(report.coverage.baselineSources, l))
        }
        signature()
        w.close("main")
        w.close("body")
        w.close("html")
        w.newline()
        return w.text
    }

    // MARK: Heading block

    mutating func heading() {
        w.open("header", ["class": "doc-head"])
        w.open("div", ["class": "issuer"])
        let issuer = words.issuer
        w.open("p", ["class": "issuer-name"])
        if let upper = issuer.upper {
            w.element("span", [:], upper)
            w.void("br")
        }
        for (i, line) in issuer.name.enumerated() {
            if i > 0 { w.void("br") }
            w.element("span", ["class": "strong"], line)
        }
        w.close("p")
        w.element("p", ["class": "doc-number"], l["report.issuer.number"])
        w.close("div")
        w.open("div", ["class": "nation"])
        w.element("p", ["class": "nation-name"], l["report.nation"])
        w.open("p", ["class": "motto"])
        w.element("span", [:], l["report.motto"])
        w.close("p")
        w.element("p", ["class": "place-date"], words.placeAndDate)
        w.close("div")
        w.close("header")
        w.newline()
        w.open("div", ["class": "doc-title"])
        w.element("h1", [:], l["report.title"])
        w.element("p", ["class": "subject"], words.subject)
        w.element("p", ["class": "as-of"], "(" + words.figuresUpTo + ")")
        w.close("div")
        if let notice { w.element("p", ["class": "notice"], notice) }
        w.newline()
    }

    mutating func sectionHeading(_ key: String, id: String) {
        let number = section < ReportWording.roman.count ? ReportWording.roman[section] : String(section + 1)
        if section > 0 { w.close("section") }
        section += 1
        w.open("section", ["id": id, "class": section == 1 ? "first" : "break"])
        w.element("h2", [:], number + ". " + key)
        w.newline()
    }

    // MARK: I. Headline figures

    mutating func headline() {
        sectionHeading(l["report.section.headline"], id: "headline")
        w.element("p", [:], words.intro)
        w.open("div", ["class": "cards"])
        for indicator in report.coverage.indicators {
            guard let total = report.total(of: indicator) else { continue }
            let tone = ReportWording.tone(total.status)
            w.open("div", ["class": "card " + tone])
            w.element("p", ["class": "big"], words.measure(total, indicator))
            w.element("p", ["class": "what"], words.indicatorLabel(indicator))
            w.open("p", ["class": "detail"])
            if indicator.denominator != nil {
                w.write(words.value(total.value) + "/" + words.value(total.denominator) + " · ")
            }
            w.write(l("report.card.target", ["target": words.target(total.target)]) + " · ")
            w.element("span", ["class": "pill " + tone], words.status(total.status))
            w.close("p")
            w.close("div")
        }
        for line in report.structure.lines {
            w.open("div", ["class": "card team"])
            w.element("p", ["class": "big"], "\(line.withTeam)/\(line.units)")
            w.element("p", ["class": "what"], words.structureLine(line))
            w.element("p", ["class": "detail"], words.members(line.members))
            w.close("div")
        }
        w.open("div", ["class": "card team"])
        w.element("p", ["class": "big"], l.count(report.sessions))
        w.element("p", ["class": "what"], l["report.card.sessions"])
        w.element("p", ["class": "detail"], l("report.card.sessions_period", ["start": l.date(report.campaign.start),
                                                                              "date": l.date(min(report.asOf, report.campaign.end))]))
        w.close("div")
        w.close("div")
        w.newline()
        w.element("h3", [:], l("report.metrics.title", ["sessions": l.count(report.sessions)]))
        table(header: [l["report.col.metric"], l["report.col.total"]], numeric: [false, true], wrapFirst: true,
              rows: Metric.allCases.map { metric in
                  [words.metricName(metric), report.metricTotals[metric].map(l.count) ?? l["report.not_recorded"]]
              })
    }

    // MARK: II. Coverage per unit

    mutating func units() {
        sectionHeading(l["report.section.units"], id: "units")
        for (n, indicator) in report.coverage.indicators.enumerated() {
            let rows = report.unitRows(of: indicator)
            w.open("div", ["class": "indicator"])
            w.element("h3", [:], "\(n + 1). " + words.indicatorHeading(indicator))
            if rows.isEmpty {
                w.element("p", [:], l["report.units.none"])
                w.close("div")
                continue
            }
            let isShare = indicator.denominator != nil
            let measures = rows.map { row -> Double? in
                guard row.value != nil else { return nil }
                return isShare ? row.coverage : Double(row.value!)
            }
            var top = measures.compactMap { $0 }.max() ?? 0
            if isShare {
                for row in rows { if case let .share(s) = row.target { top = max(top, s) } }
                top = max(top, 1)
            }
            let ticks = ReportCharts.niceTicks(maximum: top, share: isShare)
            let scaleMax = ticks.last ?? 1
            let bars = zip(rows, measures).map { row, measure -> ReportCharts.Bar in
                var target: Double? = nil
                if isShare, case let .share(s) = row.target { target = s }
                return ReportCharts.Bar(label: row.name, measure: measure, valueText: words.measure(row, indicator),
                                        tone: isShare ? ReportWording.tone(row.status) : "count", target: target)
            }
            w.open("figure", ["class": "bar-chart"])
            ReportCharts.bars(bars, scaleMax: scaleMax,
                              ticks: ticks.map { ($0, isShare ? l.targetPercent($0) : l.count(Int($0))) },
                              label: l("report.chart.bars_label", ["indicator": words.indicatorLabel(indicator)]), into: &w)
            w.open("figcaption", ["class": "legend"])
            if isShare {
                legendKey("target", l("report.chart.target", ["target": words.target(indicator.target)]))
                for status in CoverageReport.Status.allCases where rows.contains(where: { $0.status == status }) {
                    legendKey("fill " + ReportWording.tone(status), words.status(status))
                }
            } else {
                w.element("span", [:], l("report.chart.count_note", ["target": words.target(indicator.target),
                                                                    "area": words.areaInText]))
            }
            w.close("figcaption")
            w.close("figure")
            unitTable(indicator, rows: rows)
            w.close("div")
        }
    }

    mutating func legendKey(_ tone: String, _ text: String) {
        w.open("span", ["class": "key"])
        w.open("svg", ["viewBox": "0 0 16 12", "aria-hidden": "true"])
        if tone == "target" {
            w.void("line", ["class": "target", "x1": "8", "x2": "8", "y1": "0", "y2": "12"])
        } else {
            w.void("rect", ["class": tone, "x": "0", "y": "2", "width": "16", "height": "8"])
        }
        w.close("svg")
        w.write(text)
        w.close("span")
    }

    /// The unit, then the rate and the status (they stay on a phone's screen), then the figures.
    mutating func unitTable(_ indicator: Indicator, rows: [CoverageReport.Row]) {
        let isShare = indicator.denominator != nil
        var header = [l["report.col.unit"]]
        var numeric = [false]
        if isShare {
            header += [l["report.col.coverage"], l["report.col.status"], l["report.col.value"], words.denominatorName(indicator),
                       l["report.col.target"], l["report.col.needed"]]
            numeric += [true, false, true, true, true, true]
        } else {
            header += [l["report.col.value"], l["report.col.status"]]
            numeric += [true, false]
        }
        var body: [[String]] = []
        var tones: [String] = []
        let total = report.total(of: indicator)
        let all = rows + (total.map { [$0] } ?? [])
        for row in all {
            let name = row.isTotal ? l("report.total", ["area": ReportWording.inText(row.name)]) : row.name
            let status = isShare || row.isTotal ? words.status(row.status) : l["report.dash"]
            if isShare {
                body.append([name, words.measure(row, indicator), status, words.value(row.value), words.value(row.denominator),
                             words.target(row.target), DistrictReport.stillNeeded(row).map(l.count) ?? l["report.dash"]])
            } else {
                body.append([name, words.value(row.value), status])
            }
            tones.append((row.isTotal ? "total " : "") + (isShare || row.isTotal ? ReportWording.tone(row.status) : ""))
        }
        table(header: header, numeric: numeric, wrapFirst: true, rows: body, rowClasses: tones, statusColumn: 2)
        for note in words.leftOutNotes(all) { w.element("p", ["class": "note"], note) }
    }

    // MARK: III. Progress

    mutating func progress() {
        sectionHeading(l["report.section.progress"], id: "progress")
        w.element("p", [:], l["report.progress.intro"])
        w.open("div", ["class": "progress-grid"])
        for (n, indicator) in report.coverage.indicators.enumerated() {
            guard let line = report.progress.first(where: { $0.indicator == indicator.id }) else { continue }
            w.open("figure", ["class": "line-chart"])
            w.element("h3", [:], "\(n + 1). " + words.indicatorHeading(indicator))
            let isShare = indicator.denominator != nil
            let denominator = line.denominator.map(Double.init)
            func measure(_ value: Int) -> Double? {
                guard isShare else { return Double(value) }
                guard let denominator, denominator > 0 else { return nil }
                return Double(value) / denominator
            }
            let targetMeasure: Double?
            switch indicator.target {
            case let .share(s): targetMeasure = isShare ? s : nil
            case let .count(c): targetMeasure = isShare ? nil : Double(c)
            }
            let startPoint = (day: report.campaign.start.adding(days: -1), measure: measure(line.baseline) ?? 0)
            let actual = [startPoint] + line.points.compactMap { p in measure(p.value).map { (day: p.day, measure: $0) } }
            let milestones = indicator.milestones.compactMap { m -> (day: Day, measure: Double)? in
                switch m.target {
                case let .share(s): return isShare ? (m.day, s) : nil
                case let .count(c): return isShare ? nil : (m.day, Double(c))
                }
            }
            let top = ([targetMeasure ?? 0] + actual.map(\.measure) + milestones.map(\.measure)).max() ?? 0
            let ticks = ReportCharts.niceTicks(maximum: top, share: isShare)
            let hasData = isShare ? denominator != nil && denominator! > 0 : true
            if hasData {
                let endText = line.points.last.flatMap { measure($0.value) }.map { isShare ? l.percent($0) : l.count(Int($0)) }
                let chart = ReportCharts.Line(
                    start: report.campaign.start, end: report.campaign.end, actual: line.points.isEmpty ? [] : actual,
                    target: targetMeasure, milestones: milestones,
                    yTicks: ticks.map { ($0, isShare ? l.targetPercent($0) : l.count(Int($0))) }, yMax: ticks.last ?? 1,
                    monthNames: words.monthNames,
                    targetLabel: targetMeasure.map { _ in l("report.chart.target", ["target": words.target(indicator.target)]) },
                    endLabel: endText, label: l("report.chart.line_label", ["indicator": words.indicatorLabel(indicator)]))
                ReportCharts.line(chart, into: &w)
                w.open("figcaption", ["class": "legend"])
                lineKey("actual", l["report.chart.actual"])
                if targetMeasure != nil {
                    lineKey("pace", l["report.chart.pace"])
                    lineKey("target", l("report.chart.target", ["target": words.target(indicator.target)]))
                }
                if !milestones.isEmpty {
                    let list = indicator.milestones.map { l("report.chart.milestone_at", ["target": words.target($0.target),
                                                                                         "date": l.date($0.day)]) }
                    lineKey("milestone", l("report.chart.milestones", ["list": list.joined(separator: "; ")]))
                }
                w.close("figcaption")
            }
            for sentence in words.progressNote(indicator, line) { w.element("p", ["class": "note"], sentence) }
            w.close("figure")
        }
        w.close("div")
    }

    mutating func lineKey(_ kind: String, _ text: String) {
        w.open("span", ["class": "key"])
        w.open("svg", ["viewBox": "0 0 24 12", "aria-hidden": "true"])
        if kind == "milestone" {
            w.void("path", ["class": "milestone", "d": "M12 1L17 6L12 11L7 6Z"])
        } else {
            w.void("line", ["class": kind, "x1": "0", "x2": "24", "y1": "6", "y2": "6"])
        }
        w.close("svg")
        w.write(text)
        w.close("span")
    }

    // MARK: IV. Hamlets furthest behind

    mutating func behind() {
        sectionHeading(l["report.section.behind"], id: "behind")
        let shares = report.coverage.indicators.filter { if case .share = $0.target { return true } else { return false } }
        if shares.isEmpty { w.element("p", [:], l["report.behind.no_share"]) }
        for (n, indicator) in shares.enumerated() {
            w.element("h3", [:], "\(n + 1). " + words.indicatorHeading(indicator))
            let rows = report.furthestBehind(indicator)
            if rows.isEmpty {
                w.element("p", [:], l["report.behind.none"])
                continue
            }
            w.element("p", [:], l("report.behind.intro", ["count": String(rows.count)]))
            table(header: [l["report.col.rank"], l["report.col.hamlet"], l["report.col.coverage"], l["report.col.needed"],
                           l["report.col.target"], l["report.col.value"], words.denominatorName(indicator), l["report.col.within"]],
                  numeric: [true, false, true, true, true, true, true, false], wrapColumn: 1,
                  rows: rows.enumerated().map { i, row in
                      [String(i + 1), row.name, words.measure(row, indicator),
                       DistrictReport.stillNeeded(row).map(l.count) ?? l["report.dash"], words.target(row.target),
                       words.value(row.value), words.value(row.denominator), row.within ?? ""]
                  })
        }
    }

    // MARK: V. Leaflets

    mutating func leaflets() {
        sectionHeading(l["report.section.leaflets"], id: "leaflets")
        let stock = report.leaflets
        guard !stock.rows.isEmpty else {
            w.element("p", [:], l["report.leaflets.none"])
            return
        }
        let total = report.leafletTotal
        let share = total.received > 0 ? Double(total.handedOut) / Double(total.received) : nil
        w.element("p", [:], l("report.leaflets.summary", [
            "received": l.count(total.received), "handedOut": l.count(total.handedOut),
            "share": share.map { l.percent($0) } ?? l["report.not_applicable"], "onHand": l.count(total.onHand),
            "date": l.date(report.asOf)]))
        let lines = report.leafletTable
        var rows = lines.map { line in
            [words.leafletLineName(line), l.count(line.received), l.count(line.handedOut), l.count(line.onHand)]
        }
        var classes = lines.map { $0.over ? "behind" : "" }
        rows.append([l("report.total", ["area": words.areaInText]), l.count(total.received), l.count(total.handedOut),
                     l.count(total.onHand)])
        classes.append("total")
        table(header: words.leafletHeader, numeric: [false, true, true, true], wrapFirst: true, rows: rows, rowClasses: classes)
        if let note = words.leafletKeptNote { w.element("p", ["class": "note"], note) }
        let over = stock.overRows
        if !over.isEmpty {
            w.element("p", ["class": "note behind"], l("report.leaflets.over", [
                "count": String(over.count), "units": over.prefix(8).map(\.name).joined(separator: ", ")]))
        }
    }

    // MARK: VI. Data completeness

    mutating func completeness() {
        sectionHeading(l["report.section.completeness"], id: "completeness")
        reporting()
        let since = report.asOf.adding(days: -(DistrictReport.quietDays - 1))
        if report.quiet.isEmpty {
            w.element("p", [:], l("report.quiet.none", ["units": l.count(report.sessionUnits), "days": String(DistrictReport.quietDays)]))
            return
        }
        w.element("p", [:], l("report.quiet.summary", [
            "quiet": l.count(report.quiet.count), "units": l.count(report.sessionUnits), "days": String(DistrictReport.quietDays),
            "since": l.date(since), "date": l.date(report.asOf)]))
        table(header: [l["report.col.hamlet"], l["report.col.days_quiet"], l["report.col.last_session"], l["report.col.within"],
                       l["report.col.team"], l["report.col.leader"]],
              numeric: [false, true, false, false, false, false], wrapFirst: true,
              rows: report.quiet.map { unit in
                  [unit.name, unit.lastSession.map { String(report.asOf.number - $0.number) } ?? l["report.dash"],
                   unit.lastSession.map(l.date) ?? l["report.quiet.never"], unit.within ?? "",
                   unit.team ?? l["report.dash"], unit.leader ?? l["report.dash"]]
              })
    }

    // MARK: VII. Data quality

    mutating func quality() {
        guard let q = report.quality else { return }
        sectionHeading(l["report.section.quality"], id: "quality")
        w.element("p", [:], report.qualitySummary(l))
        let top = q.recognition.prefix(10)
        guard !top.isEmpty else { return }
        w.element("h3", [:], l("quality.recognition.heading", ["indicator": q.indicator ?? "–"]))
        table(header: [l["quality.col.rank"], l["quality.col.team"], l["quality.col.value"], l["quality.col.expected"], l["quality.col.progress"]],
              numeric: [true, false, true, true, true], wrapColumn: 1,
              rows: top.map { r in [String(r.rank), r.name, l.count(r.value), l.count(Int(r.expected.rounded())), r.progress.map { l.percent($0) } ?? "–"] })
        w.element("p", [:], l["quality.recognition.rule"])
    }

    /// Which hamlets reported for the last ended period, per unit below the report's area.
    mutating func reporting() {
        guard let c = report.completeness else { return }
        w.element("h3", [:], l("completeness.report.heading", ["period": c.period.text(l)]))
        w.element("p", [:], c.rule(l) + " " + c.summary(l))
        let units = c.rows.filter { $0.depth == 1 }
        guard !units.isEmpty else { return }
        let columns = CompletenessReport.columns(l).dropFirst()
        table(header: columns.map(\.title), numeric: columns.map(\.rightAligned), wrapFirst: true,
              rows: units.map { [$0.name] + CompletenessReport.figures($0, l) })
    }

    // MARK: Closing

    mutating func signature() {
        w.close("section")
        w.open("footer", ["class": "doc-foot"])
        w.open("div", ["class": "recipients"])
        w.element("p", ["class": "label"], l["report.sign.recipients"])
        for line in words.recipientLines { w.element("p", [:], line) }
        w.close("div")
        w.open("div", ["class": "signer"])
        for line in words.signerLines { w.element("p", ["class": "strong"], line) }
        w.element("p", ["class": "hint"], l["report.sign.hint"])
        w.element("p", ["class": "sign-space"], "")
        if let name = report.signature.name { w.element("p", ["class": "strong signer-name"], name) }
        w.close("div")
        w.close("footer")
        w.element("p", ["class": "generated"], l("report.generated", ["campaign": report.campaign.id, "date": l.date(report.asOf)]))
        w.newline()
    }

    // MARK: Tables

    /// A table that scrolls sideways on a narrow screen when it must; cells do not wrap, but for
    /// the first column with `wrapFirst` (or the column `wrapColumn`), so the columns after it
    /// (the rate and the status, put first) stay on a phone's screen. `statusColumn` gets its
    /// row's tone.
    mutating func table(header: [String], numeric: [Bool], wrapFirst: Bool = false, wrapColumn: Int? = nil, rows: [[String]],
                        rowClasses: [String]? = nil, statusColumn: Int? = nil) {
        let wrap = wrapColumn == 1 ? " wrap-second" : (wrapFirst ? " wrap" : "")
        w.open("div", ["class": "table-wrap" + wrap])
        w.open("table")
        w.open("thead")
        w.open("tr")
        for (i, title) in header.enumerated() { w.element("th", numeric[i] ? ["class": "num"] : [:], title) }
        w.close("tr")
        w.close("thead")
        w.open("tbody")
        w.newline()
        for (r, row) in rows.enumerated() {
            let rowClass = rowClasses?[r] ?? ""
            if rowClass.isEmpty { w.open("tr") } else { w.open("tr", ["class": rowClass]) }
            for (i, cell) in row.enumerated() {
                if i == statusColumn {
                    w.open("td")
                    w.element("span", ["class": "pill"], cell)
                    w.close("td")
                } else {
                    w.element("td", numeric[i] ? ["class": "num"] : [:], cell)
                }
            }
            w.close("tr")
            w.newline()
        }
        w.close("tbody")
        w.close("table")
        w.close("div")
        w.newline()
    }
}
