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
            for line in lines {
                var who = line.teamName
                if let leader = line.leader { who = l("chase.leader", ["team": line.teamName, "leader": leader]) }
                if let p = phone(line.phone) { who += " " + p }
                out += l("chase.line", ["hamlet": line.name, "within": within(line, l), "reason": reason(line.reason, l),
                                        "team": who]) + "\n"
            }
            return out
        case .csv:
            return CSVWriter.render(
                header: ["code", "name", "within", "reason", "days_silent", "last_session", "coverage", "target", "gap", "team",
                         "team_name", "leader", "leader_phone"],
                rows: lines.map { line in
                    let figures = Self.figures(line.reason)
                    return [line.code, line.name, line.within ?? "", figures.reason, figures.days.map(String.init) ?? "",
                            line.lastSession?.iso ?? "", figures.coverage.map { String(format: "%.4f", $0) } ?? "",
                            figures.target.map { String(format: "%.4f", $0) } ?? "", figures.gap.map { String(format: "%.4f", $0) } ?? "",
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

    /// "chưa báo cáo lần nào", "im lặng 21 ngày", "chậm tiến độ: 35,0%, chỉ tiêu 90%".
    private func reason(_ reason: Reason, _ l: Labels) -> String {
        switch reason {
        case .never: l["chase.reason.never"]
        case let .silent(days): l("chase.reason.silent", ["days": l.count(days)])
        case let .behind(coverage, target, _):
            switch target {
            case .share: l("chase.reason.behind", ["coverage": l.percent(coverage), "target": l.target(target)])
            case .count: l("chase.reason.behind", ["coverage": l.count(Int(coverage)), "target": l.target(target)])
            }
        }
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
