import Foundation

/// The pages of `outreach serve`, built here with the product's labels so that the server only
/// routes: every name and every figure escaped (`HTMLWriter`), readable at 360 px and 1280 px,
/// printable, usable without JavaScript.
public enum WebPages {
    /// Who is looking, for the page's header.
    public struct Viewer: Sendable {
        public var name: String
        public var role: Role
        public var csrf: String
        public init(name: String, role: Role, csrf: String) {
            self.name = name
            self.role = role
            self.csrf = csrf
        }
    }

    // MARK: Sign-in

    public static func login(labels l: Labels, csrf: String, error: String? = nil, name: String = "") -> String {
        var h = HTMLWriter()
        h.element("h1", l["web.login.title"])
        if let error { h.element("p", ["class": "error", "role": "alert"], error) }
        h.open("form", ["method": "post", "action": "/login"])
        csrfField(&h, csrf)
        field(&h, label: l["web.login.name"], input: ["name": "name", "id": "name", "autocomplete": "username", "value": name,
                                                      "required": "required", "autocapitalize": "none"])
        field(&h, label: l["web.login.password"], input: ["name": "password", "id": "password", "type": "password",
                                                          "autocomplete": "current-password", "required": "required"])
        h.element("button", ["type": "submit"], l["web.login.submit"])
        h.close("form")
        return page(l, title: l["web.login.title"], viewer: nil, body: h.text)
    }

    /// The first administrator's form, opened by the one-time link `outreach serve` prints.
    public static func setup(labels l: Labels, token: String, error: String? = nil) -> String {
        var h = HTMLWriter()
        h.element("h1", l["web.setup.title"])
        if let error { h.element("p", ["class": "error", "role": "alert"], error) }
        h.open("form", ["method": "post", "action": "/setup"])
        h.void("input", ["type": "hidden", "name": "token", "value": token])
        field(&h, label: l["web.login.name"], input: ["name": "name", "id": "name", "required": "required", "autocapitalize": "none"])
        field(&h, label: l["web.entry.area"], input: ["name": "area", "id": "area", "required": "required"])
        field(&h, label: l["web.login.password"], input: ["name": "password", "id": "password", "type": "password",
                                                          "autocomplete": "new-password", "required": "required"])
        h.element("button", ["type": "submit"], l["web.setup.title"])
        h.close("form")
        return page(l, title: l["web.setup.title"], viewer: nil, body: h.text)
    }

    // MARK: Phone entry

    /// The entry form's contents: what can be chosen and what was typed.
    public struct EntryForm: Sendable {
        public var formID: String
        public var hamlets: [(code: String, name: String)]
        public var teams: [String]
        /// Metric codes and their labels, in the form's order.
        public var metrics: [(code: String, label: String)]
        public var area: String?
        public var team: String?
        public var date: Day
        public var counts: [String: String] = [:]
        public var notes: String = ""
        /// Messages beside a field (by field name: `area`, `date`, a metric code, `form`).
        public var errors: [String: String] = [:]
        public var warnings: [String] = []
        /// The session just stored (its id), for the confirmation and its undo.
        public var stored: (id: String, again: Bool)?
        public var voided: String?
        /// The session this entry corrects (voided and replaced when it is saved).
        public var replaces: SessionEntry?
        public var recent: [SessionEntry] = []

        public init(formID: String, hamlets: [(code: String, name: String)], teams: [String],
                    metrics: [(code: String, label: String)], area: String?, team: String?, date: Day) {
            self.formID = formID
            self.hamlets = hamlets
            self.teams = teams
            self.metrics = metrics
            self.area = area
            self.team = team
            self.date = date
        }
    }

    public static func entry(labels l: Labels, viewer: Viewer, form f: EntryForm) -> String {
        var h = HTMLWriter()
        h.element("h1", l["web.entry.title"])
        h.element("p", ["id": "offline", "class": "notice", "hidden": "hidden", "role": "status"], "")
        if let stored = f.stored {
            h.open("div", ["class": "ok", "role": "status"])
            h.element("p", l(stored.again ? "web.entry.already" : "web.entry.stored", ["id": String(stored.id.prefix(8))]))
            undoButton(&h, l, viewer: viewer, id: stored.id)
            h.close("div")
        }
        if let voided = f.voided { h.element("p", ["class": "ok", "role": "status"], l("web.entry.voided", ["id": String(voided.prefix(8))])) }
        for warning in f.warnings { h.element("p", ["class": "warning", "role": "status"], l("web.warning", ["text": warning])) }
        if let error = f.errors["form"] { h.element("p", ["class": "error", "role": "alert"], error) }
        if let old = f.replaces {
            h.element("p", ["class": "notice", "role": "status"], l("web.entry.correcting", ["id": String(old.id.prefix(8)),
                                                                                          "date": l.date(old.date), "area": old.areaName]))
        }
        h.open("form", ["method": "post", "action": "/entry", "id": "entry"])
        csrfField(&h, viewer.csrf)
        h.void("input", ["type": "hidden", "name": "form_id", "value": f.formID])
        if let old = f.replaces { h.void("input", ["type": "hidden", "name": "replaces", "value": old.id]) }
        h.open("div", ["class": "field"])
        h.element("label", ["for": "area"], l["web.entry.area"])
        h.open("select", ["name": "area", "id": "area", "required": "required"])
        for hamlet in f.hamlets {
            option(&h, hamlet.code, "\(hamlet.name) (\(hamlet.code))", selected: hamlet.code == f.area)
        }
        h.close("select")
        fieldError(&h, f.errors["area"])
        h.close("div")
        field(&h, label: l["web.entry.date"], input: ["name": "date", "id": "date", "value": Labels(.vi).date(f.date),
                                                      "inputmode": "numeric", "placeholder": "DD/MM/YYYY", "required": "required"],
              error: f.errors["date"])
        h.open("div", ["class": "field"])
        h.element("label", ["for": "team"], l["web.entry.team"])
        h.open("select", ["name": "team", "id": "team"])
        h.element("option", ["value": ""], l["web.entry.no_team"])
        for team in f.teams {
            option(&h, team, team, selected: team == f.team)
        }
        h.close("select")
        fieldError(&h, f.errors["team"])
        h.close("div")
        h.open("fieldset")
        h.element("legend", l["web.entry.counts"])
        for metric in f.metrics {
            field(&h, label: metric.label, input: ["name": "m_" + metric.code, "id": "m_" + metric.code, "value": f.counts[metric.code] ?? "",
                                                   "inputmode": "numeric", "pattern": "[0-9.]*", "autocomplete": "off"],
                  error: f.errors[metric.code])
        }
        h.close("fieldset")
        h.open("div", ["class": "field"])
        h.element("label", ["for": "notes"], l["web.entry.notes"])
        h.element("textarea", ["name": "notes", "id": "notes", "rows": "2"], f.notes)
        h.close("div")
        h.element("button", ["type": "submit"], l["web.entry.submit"])
        h.close("form")
        if !f.recent.isEmpty {
            h.element("h2", l["web.entry.recent"])
            sessionsTable(&h, l, viewer: viewer, sessions: f.recent, canVoid: viewer.role.writesSessions)
        }
        h.raw("<script>" + offlineScript(l) + "</script>")
        return page(l, title: l["web.entry.title"], viewer: viewer, body: h.text)
    }

    // MARK: Dashboard

    /// What the dashboard shows.
    public struct Dashboard: Sendable {
        public var campaigns: [(id: String, name: String)]
        public var campaign: String
        public var under: String
        public var report: DistrictReport
        public var recent: [SessionEntry]
        /// The unit above, when the viewer's scope reaches it.
        public var up: (code: String, name: String)?
        /// The tree asked for (`YYYY-MM-DD`; nil: the one in force today).
        public var tree: String?
        /// How many follow-ups are open under the unit (`outreach outliers`), and the latest of them.
        public var openFollowUps: Int
        public var followUps: [FollowUp]
        public init(campaigns: [(id: String, name: String)], campaign: String, under: String, report: DistrictReport, recent: [SessionEntry],
                    up: (code: String, name: String)? = nil, tree: String? = nil, openFollowUps: Int = 0, followUps: [FollowUp] = []) {
            self.up = up
            self.tree = tree
            self.openFollowUps = openFollowUps
            self.followUps = followUps
            self.campaigns = campaigns
            self.campaign = campaign
            self.under = under
            self.report = report
            self.recent = recent
        }
    }

    public static func dashboard(labels l: Labels, viewer: Viewer, _ d: Dashboard) -> String {
        var h = HTMLWriter()
        let w = CoverageWording(l, metricNames: d.report.coverage.metricNames)
        let coverage = d.report.coverage
        h.element("h1", "\(d.report.place.name) — \(l.language == .en ? (d.report.campaign.nameEnglish ?? d.report.campaign.name) : d.report.campaign.name)")
        h.element("p", l("web.dashboard.as_of", ["date": l.date(d.report.asOf)]))
        let treeQuery = d.tree.map { "&tree=\(percent($0))" } ?? ""
        if let tree = d.tree, let day = Day(parsing: tree) { h.element("p", l("web.dashboard.tree_of", ["date": l.date(day)])) }
        if let up = d.up {
            h.open("p")
            h.element("a", ["href": "/dashboard?campaign=\(percent(d.campaign))&under=\(percent(up.code))\(treeQuery)"], "↑ " + up.name)
            h.close("p")
        }
        h.open("form", ["method": "get", "action": "/dashboard", "class": "inline"])
        h.element("label", ["for": "campaign"], l["web.dashboard.campaign"])
        h.open("select", ["name": "campaign", "id": "campaign"])
        for c in d.campaigns {
            option(&h, c.id, c.name, selected: c.id == d.campaign)
        }
        h.close("select")
        h.void("input", ["type": "hidden", "name": "under", "value": d.under])
        // The tree to roll up under: the one in force today, or the tree of a past day (before a reform).
        h.element("label", ["for": "tree"], l["web.dashboard.tree"])
        h.void("input", ["type": "date", "name": "tree", "id": "tree", "value": d.tree ?? ""])
        h.element("button", ["type": "submit"], l["web.dashboard.show"])
        h.close("form")
        let query = "campaign=\(percent(d.campaign))&under=\(percent(d.under))\(treeQuery)"
        h.open("p", ["class": "downloads"])
        h.write(l["web.dashboard.download"] + " ")
        for (format, text) in [("csv", "CSV"), ("json", "JSON")] {
            h.element("a", ["href": "/dashboard/coverage.\(format)?\(query)"], text)
            h.write(" · ")
        }
        h.element("a", ["href": "/dashboard/report.html?\(query)"], l["web.dashboard.report_html"])
        h.write(" · ")
        h.element("a", ["href": "/dashboard/report.md?\(query)"], l["web.dashboard.report_md"])
        h.close("p")
        for (indicator, range) in coverage.sections {
            h.element("h2", w.heading(indicator))
            h.open("div", ["class": "scroll"])
            h.open("table")
            h.open("thead")
            h.open("tr")
            for title in [l["coverage.col.name"], l["web.dashboard.value"], w.denominatorTitle(indicator), l["coverage.col.coverage"],
                          l["coverage.col.status"]] {
                h.element("th", ["scope": "col"], title)
            }
            h.close("tr")
            h.close("thead")
            h.open("tbody")
            let base = coverage.rows[range].filter { !$0.isTotal }.map(\.depth).min() ?? 0
            for row in coverage.rows[range] {
                h.open("tr", ["class": row.isTotal ? "total" : "depth\(min(row.depth - base, 4))"])
                h.open("td")
                if !row.isTotal, row.kind != .hamlet, row.code != d.under {
                    h.element("a", ["href": "/dashboard?campaign=\(percent(d.campaign))&under=\(percent(row.code))\(treeQuery)"],
                              "\(row.name) (\(row.code))")
                } else {
                    h.write(row.isTotal ? l["web.dashboard.total"] : "\(row.name) (\(row.code))")
                }
                h.close("td")
                h.element("td", ["class": "n"], w.value(row.value))
                h.element("td", ["class": "n"], w.denominator(row.denominator))
                h.element("td", ["class": "n"], w.coverage(row))
                h.element("td", ["class": "status " + row.status.rawValue.replacingOccurrences(of: " ", with: "-")], w.status(row.status))
                h.close("tr")
            }
            h.close("tbody")
            h.close("table")
            h.close("div")
        }
        h.raw(d.report.progressCharts(labels: l))
        if let c = d.report.completeness {
            h.element("h2", l("completeness.report.heading", ["period": c.period.text(l)]))
            h.element("p", c.rule(l) + " " + c.summary(l))
        }
        followUpsSection(&h, l, d, query: query)
        h.element("h2", l["web.dashboard.quiet"])
        downloads(&h, l, file: "quiet", query: query)
        if d.report.quiet.isEmpty {
            h.element("p", l["web.dashboard.none_quiet"])
        } else {
            h.open("div", ["class": "scroll"])
            h.open("table")
            h.open("tr")
            for title in [l["web.dashboard.hamlet"], l["web.dashboard.last_session"], l["web.entry.team"], l["web.dashboard.leader"]] {
                h.element("th", ["scope": "col"], title)
            }
            h.close("tr")
            for q in d.report.quiet {
                h.open("tr")
                h.element("td", "\(q.name) (\(q.code))" + (q.within.map { " — \($0)" } ?? ""))
                h.element("td", q.lastSession.map(l.date) ?? l["web.dashboard.never"])
                h.element("td", q.team ?? "")
                h.element("td", q.leader ?? "")
                h.close("tr")
            }
            h.close("table")
            h.close("div")
        }
        h.element("h2", l["web.dashboard.leaflets"])
        downloads(&h, l, file: "leaflets", query: query)
        h.open("div", ["class": "scroll"])
        h.open("table")
        h.open("tr")
        for title in [l["coverage.col.name"], l["web.dashboard.received"], l["web.dashboard.handed_out"], l["web.dashboard.on_hand"]] {
            h.element("th", ["scope": "col"], title)
        }
        h.close("tr")
        for line in d.report.leafletLines {
            h.open("tr", line.over ? ["class": "over"] : [:])
            h.element("td", "\(line.name) (\(line.code))")
            h.element("td", ["class": "n"], l.count(line.received))
            h.element("td", ["class": "n"], l.count(line.handedOut))
            h.element("td", ["class": "n"], l.count(line.onHand) + (line.over ? " — " + l["web.dashboard.over"] : ""))
            h.close("tr")
        }
        h.close("table")
        h.close("div")
        h.element("h2", l["web.dashboard.recent"])
        downloads(&h, l, file: "sessions", query: query)
        sessionsTable(&h, l, viewer: viewer, sessions: d.recent, canVoid: viewer.role.writesSessions)
        return page(l, title: d.report.place.name, viewer: viewer, body: h.text)
    }

    /// How many of the open follow-ups the dashboard lists: the latest flagged.
    public static let dashboardFollowUps = 5

    /// The dashboard's "Cần kiểm tra (N)": the most recent open follow-ups under the unit, and
    /// the way to the quality page, where they are settled.
    static func followUpsSection(_ h: inout HTMLWriter, _ l: Labels, _ d: Dashboard, query: String) {
        h.element("h2", ["id": "followups"], l("web.quality.followups", ["count": l.count(d.openFollowUps)]))
        if d.followUps.isEmpty {
            h.element("p", l["quality.followups.none"])
        } else {
            let recent = d.followUps.sorted { ($0.flag.day, $0.id) > ($1.flag.day, $1.id) }.prefix(dashboardFollowUps)
            if d.openFollowUps > recent.count {
                h.element("p", l("web.dashboard.followups.latest", ["shown": l.count(recent.count)]))
            }
            h.open("div", ["class": "scroll"])
            h.open("table")
            h.open("tr")
            for title in ["#", l["quality.col.date"], l["quality.col.area"], l["quality.col.kind"], l["quality.col.why"]] {
                h.element("th", ["scope": "col"], title)
            }
            h.close("tr")
            for f in recent {
                h.open("tr")
                h.element("td", ["class": "n"], String(f.id))
                h.element("td", l.date(f.flag.day))
                h.element("td", "\(f.flag.areaName) (\(f.flag.area))")
                h.element("td", l["quality.kind." + f.flag.kind.rawValue])
                h.element("td", FollowUpListing.why(f, l))
                h.close("tr")
            }
            h.close("table")
            h.close("div")
        }
        h.open("p")
        h.element("a", ["href": "/quality?\(query)"], l["web.dashboard.followups.all"])
        h.close("p")
    }

    // MARK: Teams, members and leaflets (officers)

    /// The officer's page: the teams under their area, and forms to add a team, add a member and
    /// pass leaflets on.
    /// The officer's targets form: the campaigns over the officer's commune, its hamlets, and the
    /// targets set in the workspace there.
    public struct TargetForm: Sendable {
        public var campaigns: [Campaign]
        public var hamlets: [(code: String, name: String)]
        public var set: [AreaTarget]

        public init(campaigns: [Campaign], hamlets: [(code: String, name: String)], set: [AreaTarget]) {
            self.campaigns = campaigns
            self.hamlets = hamlets
            self.set = set
        }
    }

    public static func manage(labels l: Labels, viewer: Viewer, teams: [Team], memberCounts: [String: Int], today: Day,
                              targets: TargetForm? = nil, message: String? = nil, error: String? = nil) -> String {
        var h = HTMLWriter()
        h.element("h1", l["web.manage.title"])
        if let message { h.element("p", ["class": "ok", "role": "status"], message) }
        if let error { h.element("p", ["class": "error", "role": "alert"], error) }
        h.open("div", ["class": "scroll"])
        h.open("table")
        h.open("tr")
        for title in [l["web.entry.team"], l["coverage.col.name"], l["web.entry.area"], l["web.manage.members"]] { h.element("th", ["scope": "col"], title) }
        h.close("tr")
        for team in teams {
            h.open("tr")
            h.element("td", team.code)
            h.element("td", team.name)
            h.element("td", team.areaCode)
            h.element("td", ["class": "n"], l.count(memberCounts[team.code] ?? 0))
            h.close("tr")
        }
        h.close("table")
        h.close("div")
        h.element("h2", l["web.manage.add_team"])
        h.open("form", ["method": "post", "action": "/manage/team"])
        csrfField(&h, viewer.csrf)
        field(&h, label: l["web.manage.team_code"], input: ["name": "code", "id": "team-code", "required": "required"])
        field(&h, label: l["coverage.col.name"], input: ["name": "name", "id": "team-name", "required": "required"])
        h.open("div", ["class": "field"])
        h.element("label", ["for": "team-kind"], l["web.manage.kind"])
        h.open("select", ["name": "kind", "id": "team-kind"])
        for kind in TeamKind.allCases { h.element("option", ["value": kind.rawValue], l.teamKind(kind)) }
        h.close("select")
        h.close("div")
        field(&h, label: l["web.entry.area"], input: ["name": "area", "id": "team-area", "required": "required"])
        h.element("button", ["type": "submit"], l["web.manage.add_team"])
        h.close("form")
        h.element("h2", l["web.manage.add_member"])
        h.open("form", ["method": "post", "action": "/manage/member"])
        csrfField(&h, viewer.csrf)
        h.open("div", ["class": "field"])
        h.element("label", ["for": "member-team"], l["web.entry.team"])
        h.open("select", ["name": "team", "id": "member-team"])
        for team in teams { h.element("option", ["value": team.code], "\(team.code) — \(team.name)") }
        h.close("select")
        h.close("div")
        field(&h, label: l["coverage.col.name"], input: ["name": "name", "id": "member-name", "required": "required"])
        field(&h, label: l["web.manage.phone"], input: ["name": "phone", "id": "member-phone", "inputmode": "tel", "autocomplete": "off"])
        h.element("button", ["type": "submit"], l["web.manage.add_member"])
        h.close("form")
        h.element("h2", l["web.manage.leaflets"])
        h.open("form", ["method": "post", "action": "/manage/leaflets"])
        csrfField(&h, viewer.csrf)
        field(&h, label: l["web.manage.from"], input: ["name": "from", "id": "leaflets-from", "required": "required"])
        field(&h, label: l["web.manage.to"], input: ["name": "to", "id": "leaflets-to", "required": "required"])
        field(&h, label: l["web.manage.quantity"], input: ["name": "quantity", "id": "leaflets-quantity", "inputmode": "numeric", "required": "required"])
        field(&h, label: l["web.entry.date"], input: ["name": "date", "id": "leaflets-date", "value": Labels(.vi).date(today), "inputmode": "numeric"])
        h.element("button", ["type": "submit"], l["web.manage.allocate"])
        h.close("form")
        if let targets { targetForm(&h, targets, l, viewer) }
        return page(l, title: l["web.manage.title"], viewer: viewer, body: h.text)
    }

    /// The hamlets' targets: those set in the workspace, and a form to set or clear one.
    static func targetForm(_ h: inout HTMLWriter, _ form: TargetForm, _ l: Labels, _ viewer: Viewer) {
        h.element("h2", ["id": "targets"], l["web.manage.targets"])
        h.element("p", l["web.manage.target_hint"])
        if !form.set.isEmpty {
            h.open("div", ["class": "scroll"])
            h.open("table")
            h.open("tr")
            for title in [l["targets.col.area"], l["targets.col.indicator"], l["targets.col.target"], l["targets.col.by"]] {
                h.element("th", ["scope": "col"], title)
            }
            h.close("tr")
            for t in form.set {
                h.open("tr")
                h.element("td", "\(t.areaName) (\(t.area))")
                h.element("td", "\(t.campaign) / \(t.indicator)")
                h.element("td", ["class": "n"], l.target(t.target))
                h.element("td", t.setBy)
                h.close("tr")
            }
            h.close("table")
            h.close("div")
        }
        h.open("form", ["method": "post", "action": "/manage/target"])
        csrfField(&h, viewer.csrf)
        h.open("div", ["class": "field"])
        h.element("label", ["for": "target-area"], l["web.entry.area"])
        h.open("select", ["name": "area", "id": "target-area"])
        for hamlet in form.hamlets { h.element("option", ["value": hamlet.code], "\(hamlet.name) (\(hamlet.code))") }
        h.close("select")
        h.close("div")
        h.open("div", ["class": "field"])
        h.element("label", ["for": "target-indicator"], l["web.manage.target_indicator"])
        h.open("select", ["name": "indicator", "id": "target-indicator"])
        for campaign in form.campaigns {
            for indicator in campaign.indicators {
                let label = l.language == .en ? indicator.labelEnglish ?? indicator.label : indicator.label
                h.element("option", ["value": "\(campaign.id)/\(indicator.id)"],
                          "\(campaign.id) — \(label) (\(l["web.manage.target_default"]) \(l.target(indicator.target)))")
            }
        }
        h.close("select")
        h.close("div")
        field(&h, label: l["web.manage.target_value"], input: ["name": "value", "id": "target-value", "inputmode": "decimal", "autocomplete": "off"])
        field(&h, label: l["web.manage.target_reason"], input: ["name": "reason", "id": "target-reason", "autocomplete": "off"])
        h.element("button", ["type": "submit"], l["web.manage.target_set"])
        h.element("button", ["type": "submit", "formaction": "/manage/target-clear", "class": "secondary"], l["web.manage.target_clear"])
        h.close("form")
    }

    // MARK: Accounts

    public static func accounts(labels l: Labels, viewer: Viewer, accounts: [Account], message: String? = nil) -> String {
        var h = HTMLWriter()
        h.element("h1", l["web.accounts.title"])
        if let message { h.element("p", ["class": "ok", "role": "status"], message) }
        h.open("div", ["class": "scroll"])
        h.open("table")
        h.open("tr")
        for title in [l["web.login.name"], l["web.accounts.role"], l["web.entry.area"], l["web.entry.team"], l["web.accounts.state"], ""] {
            h.element("th", ["scope": "col"], title)
        }
        h.close("tr")
        for a in accounts {
            h.open("tr")
            h.element("td", a.name)
            h.element("td", l["web.role.\(a.role.rawValue)"])
            h.element("td", a.area)
            h.element("td", a.team ?? "")
            h.element("td", a.disabled ? l["web.accounts.disabled"] : l["web.accounts.active"])
            h.open("td")
            h.open("form", ["method": "post", "action": "/accounts/\(percent(a.name))/\(a.disabled ? "enable" : "disable")"])
            csrfField(&h, viewer.csrf)
            h.element("button", ["type": "submit", "class": "small"], a.disabled ? l["web.accounts.enable"] : l["web.accounts.disable"])
            h.close("form")
            h.close("td")
            h.close("tr")
        }
        h.close("table")
        h.close("div")
        h.element("h2", l["web.accounts.add"])
        h.open("form", ["method": "post", "action": "/accounts"])
        csrfField(&h, viewer.csrf)
        field(&h, label: l["web.login.name"], input: ["name": "name", "id": "new-name", "required": "required", "autocapitalize": "none"])
        h.open("div", ["class": "field"])
        h.element("label", ["for": "role"], l["web.accounts.role"])
        h.open("select", ["name": "role", "id": "role"])
        for role in Role.allCases { h.element("option", ["value": role.rawValue], l["web.role.\(role.rawValue)"]) }
        h.close("select")
        h.close("div")
        field(&h, label: l["web.entry.area"], input: ["name": "area", "id": "new-area", "required": "required"])
        field(&h, label: l["web.entry.team"], input: ["name": "team", "id": "new-team"])
        field(&h, label: l["web.login.password"], input: ["name": "password", "id": "new-password", "type": "password",
                                                          "autocomplete": "new-password", "required": "required"])
        h.element("button", ["type": "submit"], l["web.accounts.add"])
        h.close("form")
        return page(l, title: l["web.accounts.title"], viewer: viewer, body: h.text)
    }

    /// A page that only says something (a refusal, a missing page), with a way back.
    public static func message(labels l: Labels, viewer: Viewer?, title: String, text: String) -> String {
        var h = HTMLWriter()
        h.element("h1", title)
        h.element("p", text)
        h.open("p")
        h.element("a", ["href": "/"], l["web.back"])
        h.close("p")
        return page(l, title: title, viewer: viewer, body: h.text)
    }

    // MARK: Parts

    static func page(_ l: Labels, title: String, viewer: Viewer?, body: String) -> String {
        var h = HTMLWriter()
        h.raw("<!DOCTYPE html>\n")
        h.open("html", ["lang": l.language.rawValue])
        h.open("head")
        h.void("meta", ["charset": "utf-8"])
        h.void("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
        h.element("title", title + " · Outreach")
        h.raw("<style>" + css + "</style>")
        h.close("head")
        h.open("body")
        h.open("header")
        h.element("a", ["href": "/", "class": "brand"], "Outreach")
        if let viewer {
            h.open("nav")
            if viewer.role.writesSessions { h.element("a", ["href": "/entry"], l["web.nav.entry"]) }
            h.element("a", ["href": "/dashboard"], l["web.nav.dashboard"])
            if viewer.role == .officer || viewer.role == .admin { h.element("a", ["href": "/manage"], l["web.nav.manage"]) }
            if viewer.role != .leader { h.element("a", ["href": "/closing"], l["web.nav.closing"]) }
            if viewer.role != .leader { h.element("a", ["href": "/quality"], l["web.nav.quality"]) }
            if viewer.role == .admin { h.element("a", ["href": "/accounts"], l["web.nav.accounts"]) }
            h.element("a", ["href": "?lang=" + (l.language == .vi ? "en" : "vi")], l.language == .vi ? "English" : "Tiếng Việt")
            h.open("form", ["method": "post", "action": "/logout", "class": "inline"])
            csrfField(&h, viewer.csrf)
            h.element("button", ["type": "submit", "class": "link"], l("web.nav.logout", ["name": viewer.name]))
            h.close("form")
            h.close("nav")
        }
        h.close("header")
        h.open("main")
        h.raw(body)
        h.close("main")
        h.close("body")
        h.close("html")
        return h.text
    }

    static func sessionsTable(_ h: inout HTMLWriter, _ l: Labels, viewer: Viewer, sessions: [SessionEntry], canVoid: Bool) {
        if sessions.isEmpty {
            h.element("p", l["web.sessions.none"])
            return
        }
        h.open("div", ["class": "scroll"])
        h.open("table")
        h.open("tr")
        for title in [l["web.entry.date"], l["web.dashboard.hamlet"], l["web.entry.counts"], l["web.sessions.by"], ""] {
            h.element("th", ["scope": "col"], title)
        }
        h.close("tr")
        for s in sessions {
            h.open("tr", s.voided == nil ? [:] : ["class": "voided"])
            h.element("td", l.date(s.date))
            h.element("td", "\(s.areaName) (\(s.area))")
            h.element("td", s.metrics.sorted { $0.key < $1.key }.map { "\($0.key) \(l.count($0.value))" }.joined(separator: ", "))
            h.element("td", s.loggedBy ?? "")
            h.open("td")
            if let voided = s.voided {
                h.write(l("web.sessions.voided", ["reason": voided.reason]))
            } else if canVoid {
                h.element("a", ["href": "/entry?replaces=\(s.id)", "class": "correct"], l["web.entry.correct"])
                h.write(" ")
                undoButton(&h, l, viewer: viewer, id: s.id)
            }
            h.close("td")
            h.close("tr")
        }
        h.close("table")
        h.close("div")
    }

    static func undoButton(_ h: inout HTMLWriter, _ l: Labels, viewer: Viewer, id: String) {
        h.open("form", ["method": "post", "action": "/sessions/\(id)/void", "class": "inline"])
        csrfField(&h, viewer.csrf)
        h.void("input", ["type": "hidden", "name": "reason", "value": l["web.entry.undo_reason"]])
        h.element("button", ["type": "submit", "class": "small"], l["web.entry.undo"])
        h.close("form")
    }

    /// "Download: CSV · JSON" of the dashboard table `file`.
    static func downloads(_ h: inout HTMLWriter, _ l: Labels, file: String, query: String) {
        h.open("p", ["class": "downloads"])
        h.write(l["web.dashboard.download"] + " ")
        h.element("a", ["href": "/dashboard/\(file).csv?\(query)"], "CSV")
        h.write(" · ")
        h.element("a", ["href": "/dashboard/\(file).json?\(query)"], "JSON")
        h.close("p")
    }

    /// `<option value=…>text</option>`, selected when `selected`.
    static func option(_ h: inout HTMLWriter, _ value: String, _ text: String, selected: Bool) {
        if selected { h.element("option", ["value": value, "selected": "selected"], text) } else { h.element("option", ["value": value], text) }
    }

    static func csrfField(_ h: inout HTMLWriter, _ csrf: String) {
        h.void("input", ["type": "hidden", "name": "csrf", "value": csrf])
    }

    static func field(_ h: inout HTMLWriter, label: String, input: KeyValuePairs<String, String>, error: String? = nil) {
        h.open("div", ["class": "field"])
        h.element("label", ["for": input.first { $0.key == "id" }?.value ?? ""], label)
        h.void("input", input)
        fieldError(&h, error)
        h.close("div")
    }

    static func fieldError(_ h: inout HTMLWriter, _ error: String?) {
        if let error { h.element("p", ["class": "error", "role": "alert"], error) }
    }

    /// A query value, percent-encoded.
    public static func percent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    static let css = """
        *{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fafafa}
        header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;background:#b3261e;color:#fff}
        header a,header .link{color:#fff}.brand{font-weight:700;text-decoration:none;margin-right:auto}
        nav{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}main{max-width:72rem;margin:0 auto;padding:1rem}
        h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
        .field{margin:0 0 .9rem}label{display:block;font-weight:600;margin-bottom:.2rem}
        input,select,textarea{width:100%;max-width:28rem;font:inherit;padding:.55rem;border:1px solid #888;border-radius:6px;background:#fff}
        fieldset{border:1px solid #ccc;border-radius:8px;padding:.6rem .8rem;margin:0 0 1rem}
        button{font:inherit;font-weight:600;padding:.65rem 1.2rem;border:0;border-radius:6px;background:#b3261e;color:#fff;min-height:44px}
        button.small{padding:.3rem .7rem;min-height:36px;background:#555}button.link{background:none;padding:0;min-height:0;text-decoration:underline;font-weight:400}
        form.inline{display:inline}form.inline select{width:auto;max-width:100%}
        .error{color:#a00;font-weight:600;margin:.2rem 0}.warning{background:#fff4ce;padding:.5rem;border-radius:6px}
        .ok{background:#dff3e0;padding:.5rem;border-radius:6px}.notice{background:#e4ecff;padding:.5rem;border-radius:6px}
        .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;background:#fff}
        th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}td.n{text-align:right;white-space:nowrap}
        tr.total td{font-weight:700}tr.depth1 td:first-child{padding-left:1.2rem}tr.depth2 td:first-child{padding-left:2.2rem}
        tr.depth3 td:first-child,tr.depth4 td:first-child{padding-left:3.2rem}tr.voided td{color:#777;text-decoration:line-through}
        td.status.met{background:#dff3e0}td.status.on-track{background:#e4ecff}td.status.behind{background:#fde2e1}
        td.status.no-data,td.status.no-denominator{background:#eee}tr.over td{background:#fff4ce}
        .sr{position:absolute;left:-9999px}td.state.closed,td.state.accepted,td.state.self_closed{font-weight:600}
        td.state.accepted{color:#1b5e20}td.state.closed,td.state.self_closed{color:#0d47a1}
        @media print{header nav,form,button,.downloads{display:none}body{background:#fff}main{max-width:none}}
        """

    /// Keeps an entry made without a connection on the phone and sends it when the connection
    /// returns; the form's id makes a resend harmless.
    static func offlineScript(_ l: Labels) -> String {
        let waiting = jsString(l["web.offline.kept"]), sent = jsString(l["web.offline.sent"])
        return """
            (function(){var K="outreach-queue",f=document.getElementById("entry"),n=document.getElementById("offline");
            function q(){try{return JSON.parse(localStorage.getItem(K)||"[]")}catch(e){return[]}}
            function say(t){n.textContent=t;n.hidden=!t}
            function show(){var c=q().length;say(c?\(waiting).replace("{count}",c):"")}
            function flush(){var a=q();if(!a.length||!navigator.onLine)return;var b=a.slice();
            (function next(){if(!b.length){localStorage.setItem(K,"[]");say(\(sent));return}
            fetch("/entry",{method:"POST",headers:{"Content-Type":"application/x-www-form-urlencoded"},body:b[0],credentials:"same-origin"})
            .then(function(r){if(r.ok||r.status<500){b.shift();localStorage.setItem(K,JSON.stringify(b));next()}else show()})
            .catch(show)})()}
            if(f){f.addEventListener("submit",function(e){if(navigator.onLine)return;e.preventDefault();
            var a=q();a.push(new URLSearchParams(new FormData(f)).toString());localStorage.setItem(K,JSON.stringify(a));
            f.elements.form_id.value="xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g,function(c){var r=Math.random()*16|0;return(c=="x"?r:(r&3|8)).toString(16)});
            Array.prototype.forEach.call(f.querySelectorAll("input[name^=m_],textarea"),function(i){i.value=""});show()})}
            window.addEventListener("online",flush);show();flush()})();
            """
    }

    static func jsString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
