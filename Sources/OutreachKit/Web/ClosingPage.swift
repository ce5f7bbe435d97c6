import Foundation

extension WebPages {
    /// What the closing page shows: a unit and the units below it for one period, with the
    /// buttons the viewer may use, and the unit's history of changes.
    public struct Closing: Sendable {
        public var code: String
        public var name: String
        public var period: Period
        /// The periods offered in the picker, latest first.
        public var periods: [Period]
        public var table: ApprovalTable
        /// Whether the viewer may close and reopen these units.
        public var canChange: Bool
        public var history: [AuditEntry]
        public var message: String?
        public var error: String?

        public init(code: String, name: String, period: Period, periods: [Period], table: ApprovalTable, canChange: Bool,
                    history: [AuditEntry], message: String? = nil, error: String? = nil) {
            self.code = code
            self.name = name
            self.period = period
            self.periods = periods
            self.table = table
            self.canChange = canChange
            self.history = history
            self.message = message
            self.error = error
        }
    }

    /// The closing page: "chốt số liệu" per unit and period, and who changed what.
    public static func closing(labels l: Labels, viewer: Viewer, _ c: Closing) -> String {
        var h = HTMLWriter()
        h.element("h1", l("web.closing.title", ["name": c.name]))
        if let message = c.message { h.element("p", ["class": "ok", "role": "status"], message) }
        if let error = c.error { h.element("p", ["class": "error", "role": "alert"], error) }
        h.open("form", ["method": "get", "action": "/closing", "class": "inline"])
        h.element("label", ["for": "period"], l["web.closing.period"])
        h.open("select", ["name": "period", "id": "period"])
        for p in c.periods { option(&h, p.description, p.text(l), selected: p == c.period) }
        h.close("select")
        h.void("input", ["type": "hidden", "name": "under", "value": c.code])
        h.element("button", ["type": "submit"], l["web.dashboard.show"])
        h.close("form")
        h.element("p", l["web.closing.explain"])
        h.open("div", ["class": "scroll"])
        h.open("table")
        h.open("tr")
        for title in [l["closing.col.unit"], l["closing.col.state"], l["closing.col.by"], l["closing.col.when"], l["closing.col.reason"]]
            + (c.canChange ? [l["web.closing.action"]] : []) {
            h.element("th", ["scope": "col"], title)
        }
        h.close("tr")
        let base = c.table.lines.map(\.depth).min() ?? 0
        for line in c.table.lines where line.period == c.period {
            h.open("tr", ["class": "depth\(min(line.depth - base, 4))"])
            h.open("td")
            if line.code != c.code {
                h.element("a", ["href": "/closing?under=\(percent(line.code))&period=\(percent(c.period.description))"], "\(line.name) (\(line.code))")
            } else {
                h.write("\(line.name) (\(line.code))")
            }
            h.close("td")
            h.element("td", ["class": "state " + line.state.word], line.state.text(l))
            h.element("td", line.actor ?? "")
            h.element("td", line.stamp.map { l.time(utc: $0) } ?? "")
            h.element("td", line.reason ?? "")
            if c.canChange {
                h.open("td")
                switch line.state {
                case .open:
                    h.open("form", ["method": "post", "action": "/closing/approve", "class": "inline"])
                    csrfField(&h, viewer.csrf)
                    h.void("input", ["type": "hidden", "name": "area", "value": line.code])
                    h.void("input", ["type": "hidden", "name": "period", "value": c.period.description])
                    h.element("button", ["type": "submit"], l["web.closing.approve"])
                    h.close("form")
                case .closed, .accepted, .selfClosed:
                    h.open("form", ["method": "post", "action": "/closing/unapprove", "class": "inline"])
                    csrfField(&h, viewer.csrf)
                    h.void("input", ["type": "hidden", "name": "area", "value": line.code])
                    h.void("input", ["type": "hidden", "name": "period", "value": c.period.description])
                    h.element("label", ["for": "reason-\(line.code)", "class": "sr"], l["closing.col.reason"])
                    h.void("input", ["name": "reason", "id": "reason-\(line.code)", "required": "required",
                                     "placeholder": l["web.closing.reason_hint"]])
                    h.element("button", ["type": "submit"], l["web.closing.unapprove"])
                    h.close("form")
                }
                h.close("td")
            }
            h.close("tr")
        }
        h.close("table")
        h.close("div")
        h.element("h2", l("web.closing.history", ["name": c.name]))
        h.open("p", ["class": "downloads"])
        h.write(l["web.dashboard.download"] + " ")
        h.element("a", ["href": "/closing/history.csv?under=\(percent(c.code))"], "CSV")
        h.write(" · ")
        h.element("a", ["href": "/closing/history.json?under=\(percent(c.code))"], "JSON")
        h.close("p")
        if c.history.isEmpty {
            h.element("p", l["audit.none"])
        } else {
            h.open("div", ["class": "scroll"])
            h.open("table")
            h.open("tr")
            for title in [l["audit.col.when"], l["audit.col.by"], l["audit.col.action"], l["audit.col.what"], l["audit.col.change"],
                          l["audit.col.reason"]] {
                h.element("th", ["scope": "col"], title)
            }
            h.close("tr")
            for e in c.history.reversed() {
                h.open("tr")
                h.element("td", l.time(utc: e.stamp))
                h.element("td", e.actor)
                h.element("td", AuditListing.action(e.action, l))
                h.element("td", "\(e.subject) \(e.key)")
                h.element("td", AuditListing.change(e))
                h.element("td", e.reason ?? "")
                h.close("tr")
            }
            h.close("table")
            h.close("div")
        }
        return page(l, title: l("web.closing.title", ["name": c.name]), viewer: viewer, body: h.text)
    }
}
