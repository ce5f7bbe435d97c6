import Foundation
import Hummingbird
import OutreachKit

// The pages: sign-in, first administrator, phone entry, dashboard, accounts.
extension OutreachServer {
    // MARK: Sign-in

    func loginPage(_ request: Request, error: String?, status: HTTPResponse.Status, name: String = "") async throws -> Response {
        let l = labels(request)
        let token = Signing.randomHex(16)
        var response = Self.html(WebPages.login(labels: l, csrf: token, error: error, name: name), status: status)
        response.setCookie(cookie(Self.loginCookie, token, maxAge: 3600))
        return response
    }

    func login(_ request: Request) async throws -> Response {
        let l = labels(request)
        let fields = try await formFields(request)
        // The sign-in form's CSRF token is the one its page set in a cookie (double submit).
        guard let expected = request.cookies[Self.loginCookie]?.value, Signing.same(expected, fields["csrf"] ?? "") else {
            return try await loginPage(request, error: l["web.error.csrf"], status: .forbidden)
        }
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespaces)
        do {
            let account = try await Accounts.login(name: name, password: fields["password"] ?? "", in: store)
            var response = Response.redirect(to: "/")
            response.setCookie(cookie(Self.sessionCookie, Signing.sessionCookie(name: account.name, now: Date(), secret: state.secret),
                                      maxAge: Int(Signing.sessionLifetime)))
            return response
        } catch let error as AccountError {
            return try await loginPage(request, error: error.message(in: l) ?? error.message, status: .unauthorized, name: name)
        }
    }

    func logout(_ request: Request) async throws -> Response {
        if let viewer = try await viewer(request) {
            _ = try await signedForm(request, viewer)
        }
        var response = Response.redirect(to: "/login")
        response.setCookie(cookie(Self.sessionCookie, "", maxAge: 0))
        return response
    }

    // MARK: The first administrator

    func setupPage(_ request: Request) async throws -> Response {
        let l = labels(request)
        let token = request.uri.queryParameters.get("token")
        guard state.isSetupToken(token), try await store.accounts().isEmpty else { throw forbidden(l) }
        return Self.html(WebPages.setup(labels: l, token: token ?? ""))
    }

    func setup(_ request: Request) async throws -> Response {
        let l = labels(request)
        let fields = try await formFields(request)
        guard state.isSetupToken(fields["token"]), try await store.accounts().isEmpty else { throw forbidden(l) }
        do {
            let area = (fields["area"] ?? "").trimmingCharacters(in: .whitespaces)
            // The first administrator records their own account.
            _ = try await Recorder.$current.withValue(Recorder(name: fields["name"] ?? "")) {
                try await Accounts.add(name: fields["name"] ?? "", role: .admin, area: area, team: nil, password: fields["password"] ?? "",
                                       in: store)
            }
        } catch let error as AccountError {
            return Self.html(WebPages.setup(labels: l, token: fields["token"] ?? "", error: error.message(in: l) ?? error.message),
                             status: .unprocessableContent)
        }
        state.takeSetupToken()
        return Response.redirect(to: "/login")
    }

    // MARK: Phone entry

    /// The metrics the form asks for: the built-in ones, then those the campaigns declare.
    func formMetrics(_ l: Labels) -> [(code: String, label: String)] {
        var out = Metric.allCases.map { ($0.code, l["report.metric.\($0.code)"]) }
        let names = state.campaigns(from: configuration.campaigns).metricNames
        for (code, name) in names.sorted(by: { $0.key < $1.key }) where Metric(code: code) == nil {
            out.append((code, l.language == .en ? (name.labelEnglish ?? name.label) : name.label))
        }
        return out
    }

    func signedIn(_ request: Request, writing: Bool = false, roles: [Role]? = nil) async throws -> Viewer {
        guard let viewer = try await viewer(request) else { throw Redirect(to: "/login") }
        if writing && !viewer.account.role.writesSessions { throw forbidden(labels(request)) }
        if let roles, !roles.contains(viewer.account.role) { throw forbidden(labels(request)) }
        return viewer
    }

    func entryForm(_ viewer: Viewer, _ l: Labels) async throws -> WebPages.EntryForm {
        let account = viewer.account
        let teams = try await store.teams().filter { team in
            account.role != .leader || team.code == account.team || account.team == nil
        }.map(\.code)
        var form = WebPages.EntryForm(formID: UUID().uuidString.lowercased(), hamlets: try await hamlets(of: account), teams: teams,
                                      metrics: formMetrics(l), area: nil, team: account.team, date: configuration.today())
        form.recent = try await recentEntries(of: account)
        return form
    }

    /// The account's own latest entries (10 at most), voided ones included.
    func recentEntries(of account: Account) async throws -> [SessionEntry] {
        let recent = try await store.sessions(SessionQuery(under: account.area, includeVoided: true, latest: 60))
        return Array(recent.filter { $0.loggedBy == account.name }.prefix(10))
    }

    func entryPage(_ request: Request) async throws -> Response {
        let viewer = try await signedIn(request, writing: true)
        let l = labels(request)
        var form = try await entryForm(viewer, l)
        form.voided = request.uri.queryParameters.get("voided").map { String($0) }
        if let id = request.uri.queryParameters.get("replaces") {
            // A correction: the form starts from the session it replaces.
            let old = try await sessionInScope(String(id), viewer.account, l)
            form.replaces = old
            form.area = old.area
            form.team = old.team
            form.date = old.date
            for (code, value) in old.metrics { form.counts[code] = l.count(value) }
            form.notes = old.notes ?? ""
        }
        return Self.html(WebPages.entry(labels: l, viewer: viewer.page, form: form))
    }

    func entry(_ request: Request) async throws -> Response {
        let viewer = try await signedIn(request, writing: true)
        let l = labels(request)
        let fields = try await signedForm(request, viewer)
        var form = try await entryForm(viewer, l)
        let submission = EntrySubmission.form(fields, metrics: form.metrics.map(\.code), loggedBy: viewer.account.name, labels: l)
        func again(_ status: HTTPResponse.Status) -> Response {
            form.formID = fields["form_id"] ?? form.formID  // the same entry: its id stays
            form.area = fields["area"]
            form.team = fields["team"]
            form.date = Day(parsing: fields["date"] ?? "") ?? form.date
            form.counts = submission.typed
            form.notes = fields["notes"] ?? ""
            return Self.html(WebPages.entry(labels: l, viewer: viewer.page, form: form), status: status)
        }
        // A correction replaces a session in the account's scope.
        var replacing: String? = nil
        if let id = fields["replaces"], !id.isEmpty {
            let old = try await sessionInScope(id, viewer.account, l)
            form.replaces = old
            replacing = old.id
        }
        guard let session = submission.session else {
            form.errors = submission.errors
            return again(.unprocessableContent)
        }
        guard try await inScope(session.area, of: viewer.account) else {
            form.errors = ["area": l("web.entry.not_yours", ["code": session.area])]
            return again(.forbidden)
        }
        let declared = state.campaigns(from: configuration.campaigns).declared
        do {
            let outcome = try await recording(viewer.account) {
                try await SessionLog.log(session, in: store, today: configuration.today(), campaignMetrics: declared,
                                         replacing: replacing, reason: replacing == nil ? nil : l["web.entry.correction_reason"])
            }
            switch outcome {
            case let .created(logged):
                form.replaces = nil
                form.stored = (logged.id, false)
                form.warnings = logged.warnings.map { $0.description(in: l) ?? $0.text }
                form.recent = try await recentEntries(of: viewer.account)
                return Self.html(WebPages.entry(labels: l, viewer: viewer.page, form: form), status: .created)
            case let .alreadyStored(entry):
                form.replaces = nil
                form.stored = (entry.id, true)
                return Self.html(WebPages.entry(labels: l, viewer: viewer.page, form: form))
            }
        } catch let error as SessionError {
            form.errors = ["form": error.message(in: l) ?? error.message]
            if case .unknownTeam = error { form.errors = ["team": error.message(in: l) ?? error.message] }
            return again(error == .idConflict(session.id?.uuidString.lowercased() ?? "") ? .conflict : .unprocessableContent)
        } catch let error as LockRefusal {
            // A closed month: said beside the form, which keeps what was typed.
            form.errors = ["form": error.message(in: l) ?? error.message]
            return again(OutreachServer.locked)
        } catch let error as RuleRefusal {
            // A campaign's error rule: said beside the form, which keeps what was typed.
            form.errors = ["form": error.message(in: l) ?? error.message]
            return again(.unprocessableContent)
        }
    }

    /// The session `id` (a full id) if it is in the account's scope.
    func sessionInScope(_ id: String, _ account: Account, _ l: Labels) async throws -> SessionEntry {
        guard let uuid = UUID(uuidString: id), let entry = try await store.sessions(SessionQuery(includeVoided: true, id: uuid)).first else {
            throw Refusal(status: .notFound, detail: Self.sentence(SessionError.unknownSession(id), l))
        }
        guard try await inScope(entry.area, of: account) else { throw forbidden(l) }
        return entry
    }

    func voidFromPage(_ request: Request, id: String) async throws -> Response {
        let viewer = try await signedIn(request, writing: true)
        let l = labels(request)
        let fields = try await signedForm(request, viewer)
        let entry = try await sessionInScope(id, viewer.account, l)
        let reason = (fields["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        _ = try await recording(viewer.account) {
            try await store.voidSession(entry.id, reason: reason.isEmpty ? l["web.entry.undo_reason"] : reason, on: configuration.today())
        }
        return Response.redirect(to: viewer.account.role == .leader ? "/entry?voided=\(entry.id)" : "/dashboard")
    }

    // MARK: Dashboard

    /// The campaign and the unit a dashboard request asks for, checked against the scope, and
    /// with `dated`, the tree it asks for (`tree=current|YYYY-MM-DD`; nil: the one in force
    /// today). The scope is checked here, once, for every request: in the asked tree when the
    /// workspace has dated history (the unit must lie under what stands for the account's area
    /// there), else in the workspace's tree.
    func dashboardChoice(_ request: Request, _ account: Account, _ l: Labels, dated: Bool = false) async throws
        -> (campaign: Campaign, campaigns: [Campaign], under: String, tree: Day?) {
        let campaigns = state.campaigns(from: configuration.campaigns).all
        guard !campaigns.isEmpty else {
            throw Refusal(status: .notFound, detail: l("web.dashboard.no_campaign", ["dir": configuration.campaigns]))
        }
        let asked = request.uri.queryParameters.get("campaign")
        guard let campaign = asked.map({ id in campaigns.first { $0.id == id } }) ?? campaigns.first else {
            let error = CampaignError.unknownCampaign(id: asked ?? "", directory: configuration.campaigns, available: campaigns.map(\.id))
            throw Refusal(status: .notFound, detail: error.message(in: l) ?? error.message)
        }
        let under = request.uri.queryParameters.get("under").map { String($0) } ?? account.area
        let day = dated ? try treeDay(request, l) : nil
        if let day, let tree = try await store.datedTree(on: day) {
            guard under == account.area || {
                guard let top = tree.tree.index(of: tree.resolve(account.area)), let unit = tree.tree.index(of: under) else { return false }
                return tree.tree.isInSubtree(unit, of: top)
            }() else { throw forbidden(l) }
        } else if !(try await inScope(under, of: account)) {
            throw forbidden(l)
        }
        return (campaign, campaigns, under, day)
    }

    /// The day of `tree=current|YYYY-MM-DD`; nil without it; 400 for anything else.
    private func treeDay(_ request: Request, _ l: Labels) throws -> Day? {
        guard let asked = request.uri.queryParameters.get("tree"), !asked.isEmpty else { return nil }
        let text = String(asked)
        if text == "current" { return configuration.today() }
        guard let parsed = Day(parsing: text) else {
            throw Refusal(status: .badRequest, detail: l("web.dashboard.bad_tree", ["text": String(text.prefix(40))]))
        }
        return parsed
    }

    func dashboard(_ request: Request) async throws -> Response {
        let viewer = try await signedIn(request)
        let l = labels(request)
        let (campaign, campaigns, under, tree) = try await dashboardChoice(request, viewer.account, l, dated: true)
        // The figures are kept until the workspace changes (on an engine that can tell cheaply):
        // the stamp is read before them, so a change made while they are read drops them.
        let today = configuration.today()
        let key = [campaign.id, under, viewer.account.area, today.iso, tree?.iso ?? ""].joined(separator: "\u{0}")
        let stamp = try await store.changeStamp()
        let report: DistrictReport
        let recent: [SessionEntry]
        if let stamp, let kept = state.dashboard(key, stamp: stamp, campaign: campaign) {
            (report, recent) = (kept.report, kept.recent)
        } else {
            // The report is built on the viewer's part of the tree, kept between requests.
            report = try await store.districtReport(campaign: campaign, under: under, asOf: today,
                                                    areas: try await scopeTree(viewer.account.area), treeDay: tree)
            recent = try await store.sessions(SessionQuery(under: under, includeVoided: true, latest: 20))
            if let stamp { state.keep(.init(stamp: stamp, campaign: campaign, report: report, recent: recent), for: key) }
        }
        // The open follow-ups: counted from their marks, the latest few read whole.
        let openFollowUps = try await store.followUpMarks(under: under).filter(\.open).count
        let followUps = openFollowUps == 0 ? []
            : try await store.followUps(FollowUpQuery(under: under, openOnly: true, latest: WebPages.dashboardFollowUps))
        // The unit above, if it is still in the viewer's scope.
        var up: (code: String, name: String)? = nil
        if under != viewer.account.area, let tree = try await scopeTree(viewer.account.area), let i = tree.index(of: under),
           let parent = tree.nodes[i].parent {
            up = (tree.nodes[parent].code, tree.nodes[parent].name)
        }
        let page = WebPages.dashboard(labels: l, viewer: viewer.page, .init(
            campaigns: campaigns.map { ($0.id, l.language == .en ? ($0.nameEnglish ?? $0.name) : $0.name) }, campaign: campaign.id,
            under: under, report: report, recent: recent, up: up, tree: tree?.iso, openFollowUps: openFollowUps,
            followUps: followUps))
        return Self.html(page)
    }

    func download(_ request: Request, file: String) async throws -> Response {
        let viewer = try await signedIn(request)
        let l = labels(request)
        let (campaign, _, under, tree) = try await dashboardChoice(request, viewer.account, l, dated: true)
        let today = configuration.today()
        func attachment(_ text: String, type: String, name: String) -> Response {
            Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                     body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        switch file {
        case "coverage.csv", "coverage.json":
            let format: CoverageFormat = file.hasSuffix("csv") ? .csv : .json
            let report = try await store.coverageReport(campaign: campaign, options: .init(asOf: today, under: under, tree: tree),
                                                        countryName: Campaign.wholeTreeName)
            return attachment(try report.rendered(as: format, labels: l),
                              type: format == .csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
                              name: "\(campaign.id)-\(under).\(format.rawValue)")
        case "report.html":
            let report = try await store.districtReport(campaign: campaign, under: under, asOf: today, quality: true, treeDay: tree)
            return Self.html(report.html(labels: l))
        case let name where DashboardTables.Table.allCases.contains { name == "\($0.rawValue).csv" || name == "\($0.rawValue).json" }:
            let parts = name.split(separator: ".")
            let table = DashboardTables.Table(rawValue: String(parts[0]))!
            let report = try await store.districtReport(campaign: campaign, under: under, asOf: today, treeDay: tree)
            let sessions = table == .sessions
                ? try await store.sessions(SessionQuery(under: under, from: campaign.start, to: min(today, campaign.end), includeVoided: true))
                : []
            if parts[1] == "csv" {
                return attachment(DashboardTables.csv(table, report: report, sessions: sessions), type: "text/csv; charset=utf-8",
                                  name: "\(table.rawValue)-\(under).csv")
            }
            return attachment(try DashboardTables.json(table, report: report, sessions: sessions), type: "application/json; charset=utf-8",
                              name: "\(table.rawValue)-\(under).json")
        case "report.md":
            let report = try await store.districtReport(campaign: campaign, under: under, asOf: today, quality: true, treeDay: tree)
            return attachment(report.markdown(labels: l), type: "text/markdown; charset=utf-8", name: "\(campaign.id)-\(under).md")
        default:
            throw HTTPError(.notFound)
        }
    }

    // MARK: Teams, members and leaflets

    func managePage(_ request: Request, message: String?, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let viewer = try await signedIn(request, roles: [.officer, .admin])
        let l = labels(request)
        var teams: [Team] = []
        for team in try await store.teams() where try await inScope(team.areaCode, of: viewer.account) { teams.append(team) }
        let counts = try await store.memberCounts(on: configuration.today())
        return Self.html(WebPages.manage(labels: l, viewer: viewer.page, teams: teams, memberCounts: counts, today: configuration.today(),
                                         targets: try await targetForm(viewer.account), message: message, error: error), status: status)
    }

    /// The campaigns over the account's area (a campaign of the whole tree, of a unit above it or
    /// of one inside it), its hamlets, and the targets set in the workspace under it.
    func targetForm(_ account: Account) async throws -> WebPages.TargetForm {
        let campaigns = state.campaigns(from: configuration.campaigns).all
        var over: [Campaign] = []
        if let tree = try await scopeTree(account.area), let top = tree.index(of: account.area) {
            let above = Set(([top] + tree.ancestors(of: top)).map { tree.nodes[$0].code })
            for campaign in campaigns {
                let inside = try await inScope(campaign.scope, of: account)
                if campaign.coversWholeTree || above.contains(campaign.scope) || inside { over.append(campaign) }
            }
        }
        var set: [AreaTarget] = []
        for target in try await store.areaTargets(campaign: nil) where try await inScope(target.area, of: account) { set.append(target) }
        return WebPages.TargetForm(campaigns: over, hamlets: try await hamlets(of: account), set: set)
    }

    /// Sets (`target`) or clears (`target-clear`) a hamlet's target from the officer's page.
    func changeTarget(_ fields: [String: String], clear: Bool, _ account: Account, _ l: Labels) async throws -> String {
        func text(_ name: String) -> String { (fields[name] ?? "").trimmingCharacters(in: .whitespaces) }
        guard try await inScope(text("area"), of: account) else { throw forbidden(l) }
        let choice = text("indicator").split(separator: "/", maxSplits: 1).map(String.init)
        guard choice.count == 2, let campaign = try await targetForm(account).campaigns.first(where: { $0.id == choice[0] }) else {
            throw Refusal(status: .unprocessableContent, detail: l["web.manage.target_choose"])
        }
        let target = clear ? nil : try AreaTargetRules.parse(text("value"), indicator: choice[1], of: campaign)
        let change = try await store.changeAreaTarget(AreaTargetRequest(campaign: campaign, area: text("area"), indicator: choice[1],
                                                                        target: target, reason: text("reason").isEmpty ? nil : text("reason")))
        return change.text(l)
    }

    /// Adds a team or a member, or passes leaflets on, in the officer's scope.
    func manage(_ request: Request, what: String) async throws -> Response {
        let viewer = try await signedIn(request, roles: [.officer, .admin])
        let l = labels(request)
        let fields = try await signedForm(request, viewer)
        func text(_ name: String) -> String { (fields[name] ?? "").trimmingCharacters(in: .whitespaces) }
        let today = configuration.today()
        do {
            return try await recording(viewer.account) {
            switch what {
            case "team":
                guard try await inScope(text("area"), of: viewer.account) else { throw forbidden(l) }
                try await store.addTeam(Team(code: text("code"), name: text("name"), kind: TeamKind(rawValue: text("kind")) ?? .project06,
                                             areaCode: text("area"), formed: today), on: today)
                state.forgetTrees()
                return try await managePage(request, message: l("web.manage.team_added", ["code": text("code")]), error: nil)
            case "member":
                guard let team = try await store.teams().first(where: { $0.code == text("team") }),
                      try await inScope(team.areaCode, of: viewer.account) else { throw forbidden(l) }
                var phone: Phone? = nil
                if !text("phone").isEmpty {
                    switch Phone.parse(text("phone")) {
                    case .success(let reading): phone = reading.phone
                    case .failure(let problem):
                        return try await managePage(request, message: nil, error: l["web.manage.phone"] + ": " + problem.phrase.text(l),
                                                    status: .unprocessableContent)
                    }
                }
                _ = try await store.addMember(Member(teamCode: team.code, name: text("name"), phone: phone, joined: today))
                return try await managePage(request, message: l("web.manage.member_added", ["name": text("name"), "team": team.code]), error: nil)
            case "leaflets":
                guard try await inScope(text("from"), of: viewer.account), try await inScope(text("to"), of: viewer.account) else {
                    throw forbidden(l)
                }
                var digits = Array(text("quantity").utf8)
                guard case .success(let quantity?) = digits.withUnsafeMutableBufferPointer({ CountParser.parse(UnsafeBufferPointer($0)) }),
                      quantity > 0 else {
                    return try await managePage(request, message: nil, error: CountParser.Failure.notANumber.phrase(text("quantity")).text(l),
                                                status: .unprocessableContent)
                }
                let day = Day(parsing: text("date")) ?? today
                _ = try await store.allocateLeaflets(from: text("from"), to: text("to"), quantity: quantity, on: day, batch: nil,
                                                     allowNegative: false, id: UUID())
                return try await managePage(request, message: l("web.manage.allocated", ["quantity": l.count(quantity), "from": text("from"),
                                                                                       "to": text("to")]), error: nil)
            case "target", "target-clear":
                let done = try await changeTarget(fields, clear: what == "target-clear", viewer.account, l)
                return try await managePage(request, message: done, error: nil)
            default:
                throw HTTPError(.notFound)
            }
            }
        } catch let refusal as Refusal where refusal.status == .unprocessableContent {
            return try await managePage(request, message: nil, error: refusal.detail, status: .unprocessableContent)
        } catch let error as any UserFacingError {
            return try await managePage(request, message: nil, error: Self.sentence(error, l), status: .unprocessableContent)
        }
    }

    // MARK: Accounts

    func accountsPage(_ request: Request, message: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let viewer = try await signedIn(request, roles: [.admin])
        let l = labels(request)
        var shown: [Account] = []
        for account in try await store.accounts() where try await inScope(account.area, of: viewer.account) { shown.append(account) }
        return Self.html(WebPages.accounts(labels: l, viewer: viewer.page, accounts: shown, message: message), status: status)
    }

    func addAccount(_ request: Request) async throws -> Response {
        let viewer = try await signedIn(request, roles: [.admin])
        let l = labels(request)
        let fields = try await signedForm(request, viewer)
        let area = (fields["area"] ?? "").trimmingCharacters(in: .whitespaces)
        guard try await inScope(area, of: viewer.account) else { throw forbidden(l) }
        let team = (fields["team"] ?? "").trimmingCharacters(in: .whitespaces)
        do {
            let account = try await recording(viewer.account) {
                try await Accounts.add(name: fields["name"] ?? "", role: Role(rawValue: fields["role"] ?? "") ?? .viewer, area: area,
                                       team: team.isEmpty ? nil : team, password: fields["password"] ?? "", in: store)
            }
            return try await accountsPage(request, message: l("web.accounts.added", ["name": account.name]))
        } catch let error as AccountError {
            return try await accountsPage(request, message: error.message(in: l) ?? error.message, status: .unprocessableContent)
        }
    }

    func changeAccount(_ request: Request, name: String, action: String) async throws -> Response {
        let viewer = try await signedIn(request, roles: [.admin])
        let l = labels(request)
        let fields = try await signedForm(request, viewer)
        guard let (account, _) = try await store.accountCredentials(named: name) else { throw Refusal(status: .notFound, detail: Self.sentence(AccountError.unknown(name), l)) }
        guard try await inScope(account.area, of: viewer.account) else { throw forbidden(l) }
        guard ["disable", "enable"].contains(action) else { throw HTTPError(.notFound) }
        try await recording(viewer.account) { try await Accounts.setDisabled(action == "disable", for: name, in: store) }
        state.forgetTokens()  // a disabled account's token stops working at once
        return Response.redirect(to: "/accounts")
    }
}

/// A page that needs a sign-in sends the browser to `/login`.
struct Redirect: Error {
    var to: String
}
