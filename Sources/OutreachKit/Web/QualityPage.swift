import Foundation

extension WebPages {
    /// What the quality page shows: the open follow-ups under a unit, the teams' quality and the
    /// recognition table.
    public struct Quality: Sendable {
        public var campaigns: [(id: String, name: String)]
        public var campaign: String
        public var under: String
        public var name: String
        public var followUps: [FollowUp]
        public var teams: TeamQualityReport
        public var canResolve: Bool
        public var message: String?
        public var error: String?

        public init(campaigns: [(id: String, name: String)], campaign: String, under: String, name: String, followUps: [FollowUp],
                    teams: TeamQualityReport, canResolve: Bool, message: String? = nil, error: String? = nil) {
            self.campaigns = campaigns
            self.campaign = campaign
            self.under = under
            self.name = name
            self.followUps = followUps
            self.teams = teams
            self.canResolve = canResolve
            self.message = message
            self.error = error
        }
    }

    /// The quality page: follow-ups to check (with "Đúng" for those allowed), teams, recognition.
    public static func quality(labels l: Labels, viewer: Viewer, _ q: Quality) -> String {
        var h = HTMLWriter()
        h.element("h1", l("web.quality.title", ["name": q.name]))
        if let message = q.message { h.element("p", ["class": "ok", "role": "status"], message) }
        if let error = q.error { h.element("p", ["class": "error", "role": "alert"], error) }
        h.open("form", ["method": "get", "action": "/quality", "class": "inline"])
        h.element("label", ["for": "campaign"], l["web.dashboard.campaign"])
        h.open("select", ["name": "campaign", "id": "campaign"])
        for c in q.campaigns { option(&h, c.id, c.name, selected: c.id == q.campaign) }
        h.close("select")
        h.void("input", ["type": "hidden", "name": "under", "value": q.under])
        h.element("button", ["type": "submit"], l["web.dashboard.show"])
        h.close("form")
        h.element("h2", l("web.quality.followups", ["count": l.count(q.followUps.count)]))
        h.element("p", l["web.quality.explain"])
        h.open("p", ["class": "downloads"])
        h.write(l["web.dashboard.download"] + " ")
        let query = "campaign=\(percent(q.campaign))&under=\(percent(q.under))"
        h.element("a", ["href": "/quality/followups.csv?\(query)"], "CSV")
        h.write(" · ")
        h.element("a", ["href": "/quality/followups.json?\(query)"], "JSON")
        h.close("p")
        if q.followUps.isEmpty {
            h.element("p", l["quality.followups.none"])
        } else {
            h.open("div", ["class": "scroll"])
            h.open("table")
            h.open("tr")
            for title in ["#", l["quality.col.date"], l["quality.col.area"], l["quality.col.team"], l["quality.col.kind"], l["quality.col.why"]]
                + (q.canResolve ? [l["web.closing.action"]] : []) {
                h.element("th", ["scope": "col"], title)
            }
            h.close("tr")
            for f in q.followUps {
                h.open("tr")
                h.element("td", ["class": "n"], String(f.id))
                h.element("td", l.date(f.flag.day))
                h.element("td", "\(f.flag.areaName) (\(f.flag.area))")
                h.element("td", f.flag.team ?? "")
                h.element("td", l["quality.kind." + f.flag.kind.rawValue])
                h.element("td", FollowUpListing.why(f, l))
                if q.canResolve {
                    h.open("td")
                    h.open("form", ["method": "post", "action": "/quality/resolve", "class": "inline"])
                    csrfField(&h, viewer.csrf)
                    h.void("input", ["type": "hidden", "name": "id", "value": String(f.id)])
                    h.void("input", ["type": "hidden", "name": "campaign", "value": q.campaign])
                    h.void("input", ["type": "hidden", "name": "under", "value": q.under])
                    h.element("label", ["for": "reason-\(f.id)", "class": "sr"], l["closing.col.reason"])
                    h.void("input", ["name": "reason", "id": "reason-\(f.id)", "required": "required", "placeholder": l["web.quality.reason_hint"]])
                    h.element("button", ["type": "submit"], l["web.quality.correct"])
                    h.close("form")
                    h.close("td")
                }
                h.close("tr")
            }
            h.close("table")
            h.close("div")
        }
        h.element("h2", l["web.quality.teams"])
        teamTable(&h, l, q.teams)
        h.element("h2", l("quality.recognition.heading", ["indicator": q.teams.indicator ?? "–"]))
        h.open("div", ["class": "scroll"])
        h.open("table")
        h.open("tr")
        for title in [l["quality.col.rank"], l["quality.col.team"], l["quality.col.value"], l["quality.col.expected"], l["quality.col.progress"],
                      l["quality.col.set_aside"]] {
            h.element("th", ["scope": "col"], title)
        }
        h.close("tr")
        for r in q.teams.recognition {
            h.open("tr")
            h.element("td", ["class": "n"], String(r.rank))
            h.element("td", "\(r.name) (\(r.team))")
            h.element("td", ["class": "n"], l.count(r.value))
            h.element("td", ["class": "n"], l.count(Int(r.expected.rounded())))
            h.element("td", ["class": "n"], r.progress.map { l.percent($0) } ?? "–")
            h.element("td", ["class": "n"], l.count(r.setAside))
            h.close("tr")
        }
        h.close("table")
        h.close("div")
        h.element("p", l["quality.recognition.rule"])
        return page(l, title: l("web.quality.title", ["name": q.name]), viewer: viewer, body: h.text)
    }

    static func teamTable(_ h: inout HTMLWriter, _ l: Labels, _ report: TeamQualityReport) {
        h.open("div", ["class": "scroll"])
        h.open("table")
        h.open("tr")
        for title in [l["quality.col.team"], l["quality.col.sessions"], l["quality.col.days"], l["quality.col.reached"], l["quality.col.per_reached"],
                      l["quality.col.households"], l["quality.col.covered"], l["quality.col.flagged"], l["quality.col.open"]] {
            h.element("th", ["scope": "col"], title)
        }
        h.close("tr")
        for x in report.lines {
            h.open("tr")
            h.element("td", "\(x.name) (\(x.team))")
            h.element("td", ["class": "n"], l.count(x.sessions))
            h.element("td", ["class": "n"], l.count(x.daysActive))
            h.element("td", ["class": "n"], l.count(x.peopleReached))
            h.element("td", ["class": "n"], x.activationsPerReached.map { l.decimal($0, digits: 2) } ?? "–")
            h.element("td", ["class": "n"], l.count(x.householdsVisited))
            h.element("td", ["class": "n"], "\(l.count(x.hamletsCovered))/\(l.count(x.hamlets))")
            h.element("td", ["class": "n"], x.flaggedShare.map { l.percent($0) } ?? "–")
            h.element("td", ["class": "n"], l.count(x.openFollowUps))
            h.close("tr")
        }
        h.close("table")
        h.close("div")
    }
}
