extension DistrictReport {
    /// The report's figures as Markdown tables, to paste into a document: the same sections
    /// and numbers as the HTML page, without the charts (the weekly figures come as a table).
    public func markdown(labels l: Labels) -> String {
        let words = ReportWording(self, labels: l)
        var out = MarkdownText()
        // The heading block as a two-column table: issuing body left, national motto right.
        out.table(header: [((words.issuer.upper.map { [$0] } ?? []) + words.issuer.name).joined(separator: " "), l["report.nation"]],
                  align: [.center, .center],
                  rows: [[l["report.issuer.number"], l["report.motto"]], ["", "*" + MarkdownText.escape(words.placeAndDate) + "*"]],
                  escapeCells: false)
        out.line("# " + MarkdownText.escape(l["report.title"] + ": " + words.subject))
        out.line("")
        out.line("*" + MarkdownText.escape(words.figuresUpTo) + "*")
        out.line("")
        var number = 0
        func section(_ title: String) {
            out.line("## " + ReportWording.roman[number] + ". " + MarkdownText.escape(title))
            out.line("")
            number += 1
        }

        section(l["report.section.headline"])
        out.paragraph(words.intro)
        out.table(header: [l["report.col.indicator"], l["report.col.value"], l["report.col.denominator_short"],
                           l["report.col.coverage"], l["report.col.target"], l["report.col.status"]],
                  align: [.left, .right, .right, .right, .right, .left],
                  rows: coverage.indicators.compactMap { indicator in
                      total(of: indicator).map { row in
                          [words.indicatorLabel(indicator), words.value(row.value), words.value(row.denominator),
                           words.measure(row, indicator), words.target(row.target), words.status(row.status)]
                      }
                  })
        out.table(header: [l["report.col.structure"], l["report.col.units"], l["report.col.members"]],
                  align: [.left, .right, .right],
                  rows: structure.lines.map { line in
                      let what = words.structureLine(line)
                      return [what.prefix(1).uppercased() + what.dropFirst(), "\(line.withTeam)/\(line.units)", l.count(line.members)]
                  })
        out.paragraph(l("report.metrics.title", ["sessions": l.count(sessions)]))
        out.table(header: [l["report.col.metric"], l["report.col.total"]], align: [.left, .right],
                  rows: Metric.allCases.map { [words.metricName($0), metricTotals[$0].map(l.count) ?? l["report.not_recorded"]] })

        section(l["report.section.units"])
        for (n, indicator) in coverage.indicators.enumerated() {
            out.line("### \(n + 1). " + MarkdownText.escape(words.indicatorHeading(indicator)))
            out.line("")
            let rows = unitRows(of: indicator) + (total(of: indicator).map { [$0] } ?? [])
            guard rows.count > 1 else {
                out.paragraph(l["report.units.none"])
                continue
            }
            let isShare = indicator.denominator != nil
            var header = [l["report.col.unit"], l["report.col.value"]]
            var align: [MarkdownText.Alignment] = [.left, .right]
            if isShare {
                header += [words.denominatorName(indicator), l["report.col.coverage"], l["report.col.target"], l["report.col.needed"]]
                align += [.right, .right, .right, .right]
            }
            header.append(l["report.col.status"])
            align.append(.left)
            out.table(header: header, align: align, rows: rows.map { row in
                var cells = [row.isTotal ? l("report.total", ["area": ReportWording.inText(row.name)]) : row.name, words.value(row.value)]
                if isShare {
                    cells += [words.value(row.denominator), words.measure(row, indicator), words.target(row.target),
                              DistrictReport.stillNeeded(row).map(l.count) ?? l["report.dash"]]
                }
                cells.append(isShare || row.isTotal ? words.status(row.status) : l["report.dash"])
                return cells
            }, boldLast: true)
            for note in words.leftOutNotes(rows) { out.paragraph(note) }
        }

        section(l["report.section.progress"])
        for (n, indicator) in coverage.indicators.enumerated() {
            guard let line = progress.first(where: { $0.indicator == indicator.id }) else { continue }
            out.line("### \(n + 1). " + MarkdownText.escape(words.indicatorHeading(indicator)))
            out.line("")
            for sentence in words.progressNote(indicator, line) { out.paragraph(sentence) }
            guard !line.points.isEmpty else { continue }
            let isShare = indicator.denominator != nil
            var header = [l["report.col.week_ending"], l["report.col.cumulative"]]
            var align: [MarkdownText.Alignment] = [.left, .right]
            if isShare {
                header.append(l["report.col.coverage"])
                align.append(.right)
            }
            header.append(l["report.col.pace"])
            align.append(.right)
            out.table(header: header, align: align, rows: line.points.map { point in
                var cells = [l.date(point.day), l.count(point.value)]
                let pace = words.pace(indicator, on: point.day)
                if isShare {
                    cells.append(line.denominator.flatMap { $0 > 0 ? l.percent(Double(point.value) / Double($0)) : nil } ?? l["report.not_applicable"])
                    cells.append(l.percent(pace))
                } else {
                    cells.append(l.count(Int(saturating: pace.rounded())))
                }
                return cells
            })
        }

        section(l["report.section.behind"])
        let shares = coverage.indicators.filter { if case .share = $0.target { return true } else { return false } }
        if shares.isEmpty { out.paragraph(l["report.behind.no_share"]) }
        for (n, indicator) in shares.enumerated() {
            out.line("### \(n + 1). " + MarkdownText.escape(words.indicatorHeading(indicator)))
            out.line("")
            let rows = furthestBehind(indicator)
            guard !rows.isEmpty else {
                out.paragraph(l["report.behind.none"])
                continue
            }
            out.paragraph(l("report.behind.intro", ["count": String(rows.count)]))
            out.table(header: [l["report.col.rank"], l["report.col.hamlet"], l["report.col.within"], l["report.col.value"],
                               words.denominatorName(indicator), l["report.col.coverage"], l["report.col.target"],
                               l["report.col.needed"]],
                      align: [.right, .left, .left, .right, .right, .right, .right, .right],
                      rows: rows.enumerated().map { i, row in
                          [String(i + 1), row.name, row.within ?? "", words.value(row.value), words.value(row.denominator),
                           words.measure(row, indicator), words.target(row.target),
                           DistrictReport.stillNeeded(row).map(l.count) ?? l["report.dash"]]
                      })
        }

        section(l["report.section.leaflets"])
        if leaflets.rows.isEmpty {
            out.paragraph(l["report.leaflets.none"])
        } else {
            let t = leafletTotal
            let share = t.received > 0 ? Double(t.handedOut) / Double(t.received) : nil
            out.paragraph(l("report.leaflets.summary", [
                "received": l.count(t.received), "handedOut": l.count(t.handedOut),
                "share": share.map { l.percent($0) } ?? l["report.not_applicable"], "onHand": l.count(t.onHand),
                "date": l.date(asOf)]))
            var rows = leafletTable.map { [words.leafletLineName($0), l.count($0.received), l.count($0.handedOut), l.count($0.onHand)] }
            rows.append([l("report.total", ["area": words.areaInText]), l.count(t.received), l.count(t.handedOut), l.count(t.onHand)])
            out.table(header: words.leafletHeader, align: [.left, .right, .right, .right], rows: rows, boldLast: true)
            if let note = words.leafletKeptNote { out.paragraph(note) }
            let over = leaflets.overRows
            if !over.isEmpty {
                out.paragraph(l("report.leaflets.over", ["count": String(over.count),
                                                         "units": over.prefix(8).map(\.name).joined(separator: ", ")]))
            }
        }

        section(l["report.section.completeness"])
        let since = asOf.adding(days: -(DistrictReport.quietDays - 1))
        if quiet.isEmpty {
            out.paragraph(l("report.quiet.none", ["units": l.count(sessionUnits), "days": String(DistrictReport.quietDays)]))
        } else {
            out.paragraph(l("report.quiet.summary", [
                "quiet": l.count(quiet.count), "units": l.count(sessionUnits), "days": String(DistrictReport.quietDays),
                "since": l.date(since), "date": l.date(asOf)]))
            out.table(header: [l["report.col.hamlet"], l["report.col.within"], l["report.col.last_session"], l["report.col.days_quiet"],
                               l["report.col.team"], l["report.col.leader"]],
                      align: [.left, .left, .left, .right, .left, .left],
                      rows: quiet.map { unit in
                          [unit.name, unit.within ?? "", unit.lastSession.map(l.date) ?? l["report.quiet.never"],
                           unit.lastSession.map { String(asOf.number - $0.number) } ?? l["report.dash"],
                           unit.team ?? l["report.dash"], unit.leader ?? l["report.dash"]]
                      })
        }
        if let c = completeness {
            out.paragraph("**" + MarkdownText.escape(l("completeness.report.heading", ["period": c.period.text(l)])) + "**", escaped: true)
            out.paragraph(c.rule(l) + " " + c.summary(l))
            let units = c.rows.filter { $0.depth == 1 }
            if !units.isEmpty {
                let columns = CompletenessReport.columns(l).dropFirst()
                out.table(header: columns.map(\.title), align: columns.map { $0.rightAligned ? .right : .left },
                          rows: units.map { [$0.name] + CompletenessReport.figures($0, l) })
            }
        }
        if let q = quality {
            section(l["report.section.quality"])
            out.paragraph(qualitySummary(l))
            let top = q.recognition.prefix(10)
            if !top.isEmpty {
                out.paragraph("**" + MarkdownText.escape(l("quality.recognition.heading", ["indicator": q.indicator ?? "–"])) + "**", escaped: true)
                out.table(header: [l["quality.col.rank"], l["quality.col.team"], l["quality.col.value"], l["quality.col.expected"],
                                   l["quality.col.progress"]], align: [.right, .left, .right, .right, .right],
                          rows: top.map { r in [String(r.rank), r.name, l.count(r.value), l.count(Int(r.expected.rounded())),
                                                r.progress.map { l.percent($0) } ?? "–"] })
                out.paragraph(l["quality.recognition.rule"])
            }
        }
        for line in coverage.treeLines(l) { out.paragraph("*" + MarkdownText.escape(line) + "*", escaped: true) }
        if !coverage.denominatorSources.isEmpty { out.paragraph("*" + MarkdownText.escape(DenominatorSource.text(coverage.denominatorSources, l)) + "*", escaped: true) }
        if !coverage.baselineSources.isEmpty { out.paragraph("*" + MarkdownText.escape(BaselineSource.text(coverage.baselineSources, l)) + "*", escaped: true) }
        // Closing, as in the HTML: the recipients on the left, the signer on the right.
        let recipients = words.recipientLines
        var signer = words.signerLines.dropFirst().map { "**" + MarkdownText.escape($0) + "**" }
        signer.append("*" + MarkdownText.escape(l["report.sign.hint"]) + "*")
        if let name = signature.name { signer.append("**" + MarkdownText.escape(name) + "**") }
        let lines = max(recipients.count, signer.count)
        out.table(header: [l["report.sign.recipients"], words.signerLines.first ?? ""], align: [.left, .center],
                  rows: (0..<lines).map { i in
                      [i < recipients.count ? MarkdownText.escape(recipients[i]) : "", i < signer.count ? signer[i] : ""]
                  }, escapeCells: false)
        out.paragraph("*" + MarkdownText.escape(l("report.generated", ["campaign": campaign.id, "date": l.date(asOf)])) + "*",
                      escaped: true)
        return out.text
    }
}

/// Markdown built line by line: paragraphs and pipe tables whose cells are escaped.
struct MarkdownText {
    enum Alignment { case left, right, center }

    private(set) var text = ""

    mutating func line(_ line: String) { text += line + "\n" }

    mutating func paragraph(_ sentence: String, escaped: Bool = false) {
        line(escaped ? sentence : MarkdownText.escape(sentence))
        line("")
    }

    /// A pipe table: a header row, the alignment row, then the rows (each as wide as the
    /// header), and a blank line. `boldLast` sets the last row (a total) in bold.
    mutating func table(header: [String], align: [Alignment], rows: [[String]], boldLast: Bool = false, escapeCells: Bool = true) {
        func cell(_ text: String) -> String { escapeCells ? MarkdownText.escape(text) : text }
        line("| " + header.map(MarkdownText.escape).joined(separator: " | ") + " |")
        line("|" + align.map { a in
            switch a {
            case .left: return " --- "
            case .right: return " ---: "
            case .center: return " :---: "
            }
        }.joined(separator: "|") + "|")
        for (i, row) in rows.enumerated() {
            var cells = row.map(cell)
            while cells.count < header.count { cells.append("") }
            if boldLast, i == rows.count - 1 { cells = cells.map { $0.isEmpty ? $0 : "**" + $0 + "**" } }
            line("| " + cells.joined(separator: " | ") + " |")
        }
        line("")
    }

    /// Text with the characters that Markdown would read as markup escaped; line breaks become spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "|", "\\", "*", "_", "`", "[", "]", "<", ">": out += "\\\(ch)"
            case "\n": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
