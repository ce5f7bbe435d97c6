import Foundation

extension OutlierRun {
    /// The flags with their follow-up ids and states: the table in the language of `labels`;
    /// CSV and JSON with codes and ISO dates.
    public func rendered(as format: OutputFormat, labels l: Labels) throws -> String {
        let rows = flags.map { ($0, followUp(of: $0)) }
        switch format {
        case .table:
            if flags.isEmpty { return l["quality.outliers.none"] + "\n" }
            let table = TextTable.render(
                [TableColumn("#", rightAligned: true), TableColumn(l["quality.col.date"]), TableColumn(l["quality.col.area"]),
                 TableColumn(l["quality.col.team"]), TableColumn(l["quality.col.kind"]), TableColumn(l["quality.col.why"]),
                 TableColumn(l["quality.col.state"])],
                rows.map { flag, f in
                    [f.map { String($0.id) } ?? "", l.date(flag.day), "\(flag.areaName) (\(flag.area))", flag.team ?? "",
                     l["quality.kind." + flag.kind.rawValue], QualityWording.why(flag, l), f.map { QualityWording.state($0, l) } ?? ""]
                })
            let listed = flags.filter { $0.kind == .outlier }.count
            let more = outliersFound > listed
                ? l("quality.outliers.more", ["found": l.count(outliersFound), "listed": l.count(listed)]) + "\n" : ""
            return table + l("quality.outliers.summary", ["count": l.count(flags.count), "added": l.count(added)]) + "\n" + more
        case .csv:
            return CSVWriter.render(header: QualityWording.flagHeader + ["followup", "state"], rows: rows.map { flag, f in
                QualityWording.flagCells(flag) + [f.map { String($0.id) } ?? "", f?.state.rawValue ?? ""]
            })
        case .json:
            return try JSONOutput.render(rows.map { flag, f in FlagJSON(followup: f?.id, state: f?.state.rawValue, flag: flag) })
        }
    }

    private struct FlagJSON: Encodable {
        var followup: Int64?
        var state: String?
        var flag: OutlierFlag
    }
}

/// The `followups list` listing.
public struct FollowUpListing: Sendable {
    public var followUps: [FollowUp]
    public init(followUps: [FollowUp]) { self.followUps = followUps }

    public func rendered(as format: OutputFormat, labels l: Labels) throws -> String {
        switch format {
        case .table:
            if followUps.isEmpty { return l["quality.followups.none"] + "\n" }
            return TextTable.render(
                [TableColumn("#", rightAligned: true), TableColumn(l["quality.col.date"]), TableColumn(l["quality.col.area"]),
                 TableColumn(l["quality.col.team"]), TableColumn(l["quality.col.kind"]), TableColumn(l["quality.col.why"]),
                 TableColumn(l["quality.col.state"]), TableColumn(l["quality.col.reason"])],
                followUps.map { f in
                    [String(f.id), l.date(f.flag.day), "\(f.flag.areaName) (\(f.flag.area))", f.flag.team ?? "",
                     l["quality.kind." + f.flag.kind.rawValue], QualityWording.why(f.flag, l), QualityWording.state(f, l), f.reason ?? ""]
                })
        case .csv:
            return CSVWriter.render(header: ["followup"] + QualityWording.flagHeader + ["state", "resolved_by", "reason"], rows: followUps.map { f in
                [String(f.id)] + QualityWording.flagCells(f.flag) + [f.state.rawValue, f.resolvedBy ?? "", f.reason ?? ""]
            })
        case .json:
            return try JSONOutput.render(followUps.map { f in
                FollowUpJSON(id: f.id, state: f.state.rawValue, flagged: f.flagged, flaggedBy: f.flaggedBy, resolved: f.resolved,
                             resolvedBy: f.resolvedBy, reason: f.reason, flag: f.flag)
            })
        }
    }

    /// Why a follow-up was flagged, in words.
    public static func why(_ f: FollowUp, _ l: Labels) -> String { QualityWording.why(f.flag, l) }

    private struct FollowUpJSON: Encodable {
        var id: Int64
        var state: String
        var flagged, flaggedBy: String
        var resolved, resolvedBy, reason: String?
        var flag: OutlierFlag
    }
}

extension TeamQualityReport {
    /// The quality table and the recognition table.
    public func rendered(as format: OutputFormat, labels l: Labels) throws -> String {
        func share(_ x: Double?) -> String { x.map { l.percent($0) } ?? "–" }
        switch format {
        case .table:
            var text = l("quality.teams.heading", ["campaign": campaign, "from": l.date(from), "through": l.date(through)]) + "\n"
            text += TextTable.render(
                [TableColumn(l["quality.col.team"]), TableColumn(l["quality.col.sessions"], rightAligned: true),
                 TableColumn(l["quality.col.days"], rightAligned: true), TableColumn(l["quality.col.reached"], rightAligned: true),
                 TableColumn(l["quality.col.per_reached"], rightAligned: true), TableColumn(l["quality.col.households"], rightAligned: true),
                 TableColumn(l["quality.col.covered"], rightAligned: true), TableColumn(l["quality.col.flagged"], rightAligned: true),
                 TableColumn(l["quality.col.open"], rightAligned: true)],
                lines.map { x in
                    ["\(x.name) (\(x.team))", l.count(x.sessions), l.count(x.daysActive), l.count(x.peopleReached),
                     x.activationsPerReached.map { l.decimal($0) } ?? "–", l.count(x.householdsVisited),
                     "\(l.count(x.hamletsCovered))/\(l.count(x.hamlets))", share(x.flaggedShare), l.count(x.openFollowUps)]
                })
            text += "\n" + l("quality.recognition.heading", ["indicator": indicator ?? "–"]) + "\n"
            text += TextTable.render(
                [TableColumn(l["quality.col.rank"], rightAligned: true), TableColumn(l["quality.col.team"]),
                 TableColumn(l["quality.col.value"], rightAligned: true), TableColumn(l["quality.col.expected"], rightAligned: true),
                 TableColumn(l["quality.col.progress"], rightAligned: true), TableColumn(l["quality.col.set_aside"], rightAligned: true)],
                recognition.map { r in
                    [String(r.rank), "\(r.name) (\(r.team))", l.count(r.value), l.count(Int(r.expected.rounded())), share(r.progress),
                     l.count(r.setAside)]
                })
            return text + l["quality.recognition.rule"] + "\n"
        case .csv:
            let quality = CSVWriter.render(
                header: ["team", "name", "area", "sessions", "days_active", "people_reached", "activations", "activations_per_reached",
                         "households_visited", "hamlets", "hamlets_covered", "flagged_sessions", "open_followups"],
                rows: lines.map { x in
                    [x.team, x.name, x.area, String(x.sessions), String(x.daysActive), String(x.peopleReached), String(x.activations),
                     x.activationsPerReached.map { Labels.plain($0, digits: 3) } ?? "", String(x.householdsVisited), String(x.hamlets),
                     String(x.hamletsCovered), String(x.flaggedSessions), String(x.openFollowUps)]
                })
            let ranks = CSVWriter.render(header: ["rank", "team", "name", "value", "expected", "progress", "set_aside"], rows: recognition.map { r in
                [String(r.rank), r.team, r.name, String(r.value), Labels.plain(r.expected, digits: 1),
                 r.progress.map { Labels.plain($0, digits: 4) } ?? "", String(r.setAside)]
            })
            return quality + "\n" + ranks
        case .json:
            return try JSONOutput.render(JSONReport(campaign: campaign, indicator: indicator, from: from, through: through, teams: lines,
                                                    recognition: recognition))
        }
    }

    private struct JSONReport: Encodable {
        var campaign: String
        var indicator: String?
        var from, through: Day
        var teams: [Line]
        var recognition: [Recognition]
    }
}

/// The words of flags and follow-ups, shared by the listings.
enum QualityWording {
    static let flagHeader = ["kind", "session", "date", "area", "team", "metric", "value", "hamlet_median", "commune_median", "score", "other", "count"]

    static func flagCells(_ f: OutlierFlag) -> [String] {
        func n(_ x: Double?) -> String { x.map { String(format: "%g", $0) } ?? "" }
        return [f.kind.rawValue, f.session, f.day.iso, f.area, f.team ?? "", f.metric, f.value.map(String.init) ?? "", n(f.hamletMedian),
                n(f.communeMedian), n(f.score), f.other ?? "", f.count.map(String.init) ?? ""]
    }

    static func why(_ f: OutlierFlag, _ l: Labels) -> String {
        switch f.kind {
        case .outlier:
            l("quality.why.outlier", ["metric": f.metric, "value": l.count(f.value ?? 0),
                                      "hamlet": f.hamletMedian.map { l.decimal($0) } ?? "–", "commune": f.communeMedian.map { l.decimal($0) } ?? "–",
                                      "score": l.decimal(f.score ?? 0)])
        case .duplicate: l("quality.why.duplicate", ["other": String((f.other ?? "").prefix(8))])
        case .burst: l("quality.why.burst", ["count": l.count(f.count ?? 0)])
        }
    }

    static func state(_ f: FollowUp, _ l: Labels) -> String {
        l["quality.state." + f.state.rawValue] + (f.resolvedBy.map { " (\($0))" } ?? "")
    }
}
