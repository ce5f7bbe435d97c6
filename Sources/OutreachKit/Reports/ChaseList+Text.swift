import Foundation

/// How a chase list is printed.
public enum ChaseFormat: String, CaseIterable, Sendable {
    /// Lines ready to paste into a Zalo group, in the language of the labels.
    case text
    /// RFC 4180 CSV with a header line: ISO dates, English codes.
    case csv
    /// JSON with sorted keys.
    case json
}

extension ChaseList {
    /// The list in `format`. Phones are masked (`0912***678`) unless `showPhones`.
    public func rendered(as format: ChaseFormat, labels l: Labels, showPhones: Bool = false) throws -> String {
        let phone = { (p: Phone?) in p.map { showPhones ? $0.digits : $0.masked } }
        switch format {
        case .text:
            var out = l("chase.title", ["campaign": campaignName, "area": startName, "date": l.date(today)]) + "\n"
            if lines.isEmpty { return out + l("chase.none", ["days": l.count(silentDays)]) + "\n" }
            // A national list has 100,000 lines: each label is read once and filled by hand.
            let (lineText, leaderText) = (Template(l["chase.line"]), Template(l["chase.leader"]))
            let (never, silent, behind) = (l["chase.reason.never"], Template(l["chase.reason.silent"]), Template(l["chase.reason.behind"]))
            for line in lines {
                var who = line.teamName
                if let leader = line.leader { who = leaderText.filled(["team": line.teamName, "leader": leader]) }
                if let p = phone(line.phone) { who += " " + p }
                let why: String
                switch line.reason {
                case .never: why = never
                case let .silent(days): why = silent.filled(["days": l.count(days)])
                case let .behind(coverage, target, _):
                    let shown = if case .share = target { l.percent(coverage) } else { l.count(Int(coverage)) }
                    why = behind.filled(["coverage": shown, "target": l.target(target)])
                }
                out += lineText.filled(["hamlet": line.name, "within": within(line, l), "reason": why, "team": who])
                out += "\n"
            }
            return out
        case .csv:
            return CSVWriter.render(
                header: ["code", "name", "within", "reason", "days_silent", "last_session", "coverage", "target", "gap", "team",
                         "team_name", "leader", "leader_phone"],
                rows: lines.map { line in
                    let figures = Self.figures(line.reason)
                    return [line.code, line.name, line.within ?? "", figures.reason, figures.days.map(String.init) ?? "",
                            line.lastSession?.iso ?? "", figures.coverage.map { Labels.plain($0, digits: 4) } ?? "",
                            figures.target.map { Labels.plain($0, digits: 4) } ?? "", figures.gap.map { Labels.plain($0, digits: 4) } ?? "",
                            line.team, line.teamName, line.leader ?? "", phone(line.phone) ?? ""]
                })
        case .json:
            return try JSONOutput.render(JSONList(
                campaign: campaign, today: today, days: silentDays, start: startCode,
                hamlets: lines.map { line in
                    let figures = Self.figures(line.reason)
                    return JSONLine(code: line.code, name: line.name, within: line.within, reason: figures.reason, daysSilent: figures.days,
                                    lastSession: line.lastSession, coverage: figures.coverage, target: figures.target, gap: figures.gap,
                                    team: line.team, teamName: line.teamName, leader: line.leader, leaderPhone: phone(line.phone))
                }))
        }
    }

    /// "xã Tân Phúc" (vi writes the unit's word in lower case inside a sentence), "Xã Tân Phúc" (en).
    private func within(_ line: Line, _ l: Labels) -> String {
        guard let within = line.within, let first = within.first else { return "" }
        return l.language == .vi ? first.lowercased() + within.dropFirst() : within
    }

    /// The machine form of a reason: its code and figures.
    private static func figures(_ reason: Reason) -> (reason: String, days: Int?, coverage: Double?, target: Double?, gap: Double?) {
        switch reason {
        case .never: ("never", nil, nil, nil, nil)
        case let .silent(days): ("silent", days, nil, nil, nil)
        case let .behind(coverage, target, gap): ("behind", nil, coverage, target.number, gap)
        }
    }

    private struct JSONList: Encodable {
        var campaign: String
        var today: Day
        var days: Int
        var start: String
        var hamlets: [JSONLine]
    }

    private struct JSONLine: Encodable {
        var code: String
        var name: String
        var within: String?
        var reason: String
        var daysSilent: Int?
        var lastSession: Day?
        var coverage: Double?
        var target: Double?
        var gap: Double?
        var team: String
        var teamName: String
        var leader: String?
        var leaderPhone: String?
    }
}

/// A label's text cut at its `{placeholders}` once, then filled many times.
private struct Template {
    private var parts: [(text: Substring, key: Substring?)] = []

    init(_ text: String) {
        var rest = text[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            parts.append((rest[..<open], rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        parts.append((rest, nil))
    }

    func filled(_ values: [Substring: String]) -> String {
        var out = ""
        for part in parts {
            out += part.text
            if let key = part.key { out += values[key] ?? "{\(key)}" }
        }
        return out
    }
}
