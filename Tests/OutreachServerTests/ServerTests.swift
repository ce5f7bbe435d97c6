import Foundation
import Hummingbird
import HummingbirdTesting
import OutreachKit
import Testing
@testable import OutreachServer

@Suite("outreach serve: pages, sign-in, scope, the phone form and the dashboard")
struct ServerPageTests {
    @Test("healthz answers; a page without a sign-in goes to /login; the API without a token is a 401 problem", arguments: Engines.all)
    func anonymous(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        try await f.test { client in
            #expect(try await client.executeRequest(uri: "/healthz", method: .get, headers: [:], body: nil).text == #"{"status":"ok"}"#)
            for uri in ["/", "/entry", "/dashboard", "/accounts"] {
                let r = try await client.executeRequest(uri: uri, method: .get, headers: [:], body: nil)
                #expect(r.status == .seeOther, "\(uri)")
                #expect(r.headers[.location] == "/login", "\(uri)")
            }
            let api = try await client.api("/api/v1/sessions", token: nil)
            #expect(api.status == .unauthorized)
            #expect(api.headers[.contentType] == "application/problem+json; charset=utf-8")
            #expect(api.detail?.hasPrefix("Cần đăng nhập") == true)
            let bad = try await client.api("/api/v1/sessions", token: "otk_not-a-token")
            #expect(bad.status == .unauthorized)
        }
    }

    @Test("the one-time setup link creates the first administrator once; a wrong or used token opens nothing", arguments: Engines.all)
    func setup(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine, accounts: false, setupToken: "0123456789abcdef")
        try await f.test { client in
            let b = Browser(client)
            #expect(try await b.get("/setup?token=wrong").status == .forbidden)
            #expect(try await b.get("/setup?token=0123456789abcdef").status == .ok)
            let short = try await b.post("/setup", ["token": "0123456789abcdef", "name": "quantri", "area": "404", "password": "ngan"],
                                         csrf: false)
            #expect(short.status == .unprocessableContent)  // the token still works after a refused form
            let made = try await b.post("/setup", ["token": "0123456789abcdef", "name": "quantri", "area": "404", "password": "mot-mat-khau"],
                                        csrf: false)
            #expect(made.status == .seeOther)
            #expect(try await f.store.accounts().map(\.role) == [.admin])
            #expect(try await b.get("/setup?token=0123456789abcdef").status == .forbidden)
            #expect(try await b.post("/setup", ["token": "0123456789abcdef", "name": "khac", "area": "404", "password": "mot-mat-khau"],
                                     csrf: false).status == .forbidden)
            #expect(try await b.signIn("quantri", password: "mot-mat-khau").status == .seeOther)
        }
    }

    @Test("the session cookie is HttpOnly and SameSite; the request log holds method, path, status and time, never a password, a phone or a note",
          arguments: Engines.all)
    func cookieAndLog(_ engine: StorageEngine) async throws {
        let lines = LogLines()
        let f = try await Fixture.make(engine, log: lines)
        try await f.test { client in
            let b = Browser(client)
            let signed = try await b.signIn("lan")
            #expect(signed.headers[values: .setCookie].contains {
                $0.hasPrefix("\(OutreachServer.sessionCookie)=") && $0.contains("HttpOnly") && $0.contains("SameSite=Lax") && !$0.contains("Secure")
            })
            try await b.get("/entry")
            #expect(try await b.post("/entry", ["form_id": try #require(b.hidden("form_id")), "area": "16282-01", "date": "20/11/2026",
                                                "m_eid_l2": "3", "notes": "gọi chị Lan 0912345678"]).status == .created)
        }
        let logged = lines.all.joined(separator: "\n")
        #expect(logged.contains("path=/entry") || logged.contains("\"path\": /entry") || logged.contains("/entry"))
        #expect(logged.contains("201"))
        for secret in [Fixture.password, "0912345678", "gọi chị Lan", "m_eid_l2"] { #expect(!logged.contains(secret), "\(secret)") }
    }

    @Test("sign-in: a wrong password is refused without saying which part was wrong; 10 failures lock the account for 15 minutes",
          arguments: Engines.all)
    func lockout(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        try await f.test { client in
            let b = Browser(client)
            let wrong = try await b.signIn("lan", password: "sai-mat-khau")
            #expect(wrong.status == .unauthorized)
            #expect(b.lastPage.contains("Sai tên đăng nhập hoặc mật khẩu."))
            let nobody = try await b.signIn("khong-co-ai", password: "sai-mat-khau")
            #expect(nobody.status == .unauthorized)
            #expect(b.lastPage.contains("Sai tên đăng nhập hoặc mật khẩu."))
            for _ in 2...9 { try await b.signIn("lan", password: "sai-mat-khau") }
            let tenth = try await b.signIn("lan", password: "sai-mat-khau")
            #expect(tenth.status == .unauthorized)
            #expect(b.lastPage.contains("tạm khóa"), "\(b.lastPage)")
            // Locked: even the right password is refused now.
            let right = try await b.signIn("lan")
            #expect(right.status == .unauthorized)
            #expect(b.cookies[OutreachServer.sessionCookie] == nil)
            // Another account is not affected.
            #expect(try await b.signIn("hung").status == .seeOther)
        }
    }

    @Test("a sign-in form without its CSRF token, and a form posted without the page's token, are refused", arguments: Engines.all)
    func csrf(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        try await f.test { client in
            let b = Browser(client)
            try await b.get("/login")
            #expect(try await b.post("/login", ["name": "lan", "password": Fixture.password, "csrf": "forged"]).status == .forbidden)
            try await b.signIn("lan")
            try await b.get("/entry")
            let forged = try await b.post("/entry", ["csrf": "forged", "form_id": UUID().uuidString, "area": "16282-01",
                                                     "date": "20/11/2026", "m_eid_l2": "3"])
            #expect(forged.status == .forbidden)
            #expect(try await f.store.sessions(SessionQuery()).isEmpty)
        }
    }

    @Test("a leader logs from the phone form: stored once however often it is sent, warned as `log` warns, undone, logged again",
          arguments: Engines.all)
    func phoneEntry(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        try await f.test { client in
            let b = Browser(client)
            #expect(try await b.signIn("lan").headers[.location] == "/")
            let form = try await b.get("/entry")
            #expect(form.status == .ok)
            // Only the leader's own hamlets, today's date as DD/MM/YYYY, numeric keypads.
            #expect(b.lastPage.contains("<option value=\"16282-01\""))
            #expect(!b.lastPage.contains("<option value=\"16285-01\""))
            #expect(b.lastPage.contains("value=\"20/11/2026\""))
            #expect(b.lastPage.contains("inputmode=\"numeric\""))
            let formID = try #require(b.hidden("form_id"))
            let fields = ["form_id": formID, "area": "16282-01", "date": "20/11/2026", "team": "P06-16282", "m_eid_l2": "1.010",
                          "m_people_reached": "40", "notes": "gọi 0912345678"]
            let first = try await b.post("/entry", fields)
            #expect(first.status == .created)
            #expect(b.lastPage.contains("Đã lưu buổi"))
            // The same warning as `outreach log`: more activations than the hamlet's adults.
            #expect(b.lastPage.contains("Lưu ý: eid_l2 = 1.010"), "\(b.lastPage)")
            let again = try await b.post("/entry", fields)  // a double tap, a resend
            #expect(again.status == .ok)
            #expect(b.lastPage.contains("đã được lưu trước đó"))
            var stored = try await f.store.sessions(SessionQuery())
            #expect(stored.count == 1)
            #expect(stored.first?.loggedBy == "lan")
            #expect(stored.first?.metrics["eid_l2"] == 1010)
            #expect(stored.first?.notes?.contains("0912345678") == false)  // masked
            // The same form id with other figures is a conflict, nothing stored.
            var changed = fields
            changed["m_eid_l2"] = "12"
            #expect(try await b.post("/entry", changed).status == .conflict)
            // Undo.
            let id = try #require(stored.first?.id)
            try await b.get("/entry")
            let undo = try await b.post("/sessions/\(id)/void", ["reason": "bấm nhầm"])
            #expect(undo.status == .seeOther)
            stored = try await f.store.sessions(SessionQuery())
            #expect(stored.isEmpty)
            // Logged again with a new form.
            try await b.get("/entry")
            var next = fields
            next["form_id"] = try #require(b.hidden("form_id"))
            next["m_eid_l2"] = "12"
            #expect(try await b.post("/entry", next).status == .created)
            #expect(try await f.store.sessions(SessionQuery()).map { $0.metrics["eid_l2"] } == [12])
        }
    }

    @Test("a correction on the web voids the session and logs its replacement in one step, once however often it is sent",
          arguments: Engines.all)
    func correction(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        let logged = try await f.store.logSession(NewSession(day: Fixture.today, area: "16282-02", loggedBy: "hung",
                                                             metrics: MetricValues([.eidL2: 70])),
                                                  today: Fixture.today, replacing: nil, reason: nil, campaignMetrics: [])
        try await f.test { client in
            let b = Browser(client)
            try await b.signIn("hung")
            try await b.get("/dashboard?campaign=de-an-06")
            #expect(b.lastPage.contains("href=\"/entry?replaces=\(logged.id)\""))
            let form = try await b.get("/entry?replaces=\(logged.id)")
            #expect(form.status == .ok)
            #expect(b.lastPage.contains("name=\"replaces\" value=\"\(logged.id)\""))
            #expect(b.lastPage.contains("value=\"70\""))
            var fields = ["form_id": try #require(b.hidden("form_id")), "replaces": logged.id, "area": "16282-02", "date": "20/11/2026",
                          "m_eid_l2": "17"]
            #expect(try await b.post("/entry", fields).status == .created)
            fields["csrf"] = b.csrf
            #expect(try await b.post("/entry", fields).status == .ok)  // sent again: nothing new
            let all = try await f.store.sessions(SessionQuery(includeVoided: true))
            #expect(all.count == 2)
            let new = try #require(all.first { $0.voided == nil })
            #expect(new.metrics["eid_l2"] == 17)
            #expect(all.first { $0.id == logged.id }?.voided?.replacedBy == new.id)
            // A leader of another commune cannot open or send a correction of it.
            let tho = Browser(client)
            try await tho.signIn("tho")
            #expect(try await tho.get("/entry?replaces=\(new.id)").status == .forbidden)
        }
    }

    @Test("an officer adds a team and a member and passes leaflets on, in the commune only; bad phones and quantities are named",
          arguments: Engines.all)
    func manage(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        _ = try await f.store.receiveLeaflets(into: "16282", quantity: 500, on: Fixture.today, batch: nil, id: UUID())
        try await f.test { client in
            let b = Browser(client)
            try await b.signIn("hung")
            try await b.get("/manage")
            #expect(try await b.post("/manage/team", ["code": "P06-16282-09", "name": "Tổ Thôn 9", "kind": "project06", "area": "16282-02"]).status == .ok)
            #expect(b.lastPage.contains("Đã thêm tổ P06-16282-09."))
            #expect(try await b.post("/manage/team", ["code": "P06-16285-09", "name": "Tổ khác", "kind": "project06", "area": "16285"]).status
                    == .forbidden)
            try await b.get("/manage")
            let badPhone = try await b.post("/manage/member", ["team": "P06-16282-09", "name": "Ngô Thị Dung", "phone": "12ab"])
            #expect(badPhone.status == .unprocessableContent)
            try await b.get("/manage")
            #expect(try await b.post("/manage/member", ["team": "P06-16282-09", "name": "Ngô Thị Dung", "phone": "0912 345 678"]).status == .ok)
            #expect(try await f.store.members(ofTeam: "P06-16282-09").map(\.name) == ["Ngô Thị Dung"])
            #expect(!b.lastPage.contains("0912345678") && !b.lastPage.contains("0912 345 678"))
            try await b.get("/manage")
            #expect(try await b.post("/manage/leaflets", ["from": "16282", "to": "16282-01", "quantity": "1.000", "date": "20/11/2026"]).status
                    == .unprocessableContent)  // only 500 there
            try await b.get("/manage")
            #expect(try await b.post("/manage/leaflets", ["from": "16282", "to": "16282-01", "quantity": "200", "date": "20/11/2026"]).status == .ok)
            #expect(b.lastPage.contains("Đã cấp 200 tờ rơi"))
            try await b.get("/manage")
            #expect(try await b.post("/manage/leaflets", ["from": "16282", "to": "16285-01", "quantity": "10"]).status == .forbidden)
        }
    }

    @Test("bad entries are named beside their field and nothing is stored; a hamlet outside the leader's commune is refused",
          arguments: Engines.all)
    func badEntries(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        try await f.test { client in
            let b = Browser(client)
            try await b.signIn("lan")
            try await b.get("/entry")
            let formID = try #require(b.hidden("form_id"))
            let bad = try await b.post("/entry", ["form_id": formID, "area": "16282-01", "date": "31/02/2026", "m_eid_l2": "1,5"])
            #expect(bad.status == .unprocessableContent)
            #expect(b.lastPage.contains("&quot;31/02/2026&quot; không phải là ngày"))
            #expect(b.lastPage.contains("1,5"))
            #expect(b.hidden("form_id") == formID)  // the same entry, corrected, keeps its id
            let other = try await b.post("/entry", ["form_id": formID, "area": "16285-01", "date": "20/11/2026", "m_eid_l2": "2"])
            #expect(other.status == .forbidden)
            #expect(b.lastPage.contains("không thuộc phạm vi"))
            let nothing = try await b.post("/entry", ["form_id": formID, "area": "16282-01", "date": "20/11/2026"])
            #expect(nothing.status == .unprocessableContent)
            #expect(try await f.store.sessions(SessionQuery()).isEmpty)
        }
    }

    @Test("the dashboard shows the viewer's tree with the numbers of `outreach coverage`, drills down, and refuses units outside",
          arguments: Engines.all)
    func dashboard(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        _ = try await f.store.logSession(NewSession(day: Fixture.today, area: "16282-01", metrics: MetricValues([.eidL2: 37])),
                                         today: Fixture.today, replacing: nil, reason: nil, campaignMetrics: [])
        try await f.test { client in
            let b = Browser(client)
            try await b.signIn("huyen")
            let page = try await b.get("/dashboard?campaign=de-an-06")
            #expect(page.status == .ok)
            #expect(b.lastPage.contains("Huyện Nông Cống"))
            #expect(b.lastPage.contains("href=\"/dashboard?campaign=de-an-06&amp;under=16282\""))
            #expect(b.lastPage.contains("<td class=\"n\">37</td>"))
            #expect(b.lastPage.contains("Thôn chưa báo cáo"))
            // Status in words, not colour alone.
            #expect(b.lastPage.contains("chưa có số liệu") || b.lastPage.contains("chậm"))
            #expect(try await b.get("/dashboard?campaign=de-an-06&under=16282").status == .ok)
            // The CSV download is `outreach coverage --format csv` for the same unit.
            let csv = try await b.get("/dashboard/coverage.csv?campaign=de-an-06&under=16282")
            let campaign = try CampaignCatalog(directory: Fixture.packageRoot.appendingPathComponent("Campaigns").path).campaign("de-an-06")
            let expected = try await f.store.coverageReport(campaign: campaign, options: .init(asOf: Fixture.today, under: "16282"),
                                                            countryName: Campaign.wholeTreeName)
            #expect(csv.text == (try expected.rendered(as: .csv, labels: Labels(.vi))))
            #expect(try await b.get("/dashboard/report.html?campaign=de-an-06").status == .ok)
            // Every other table too, as CSV and JSON.
            let sessions = try await b.get("/dashboard/sessions.csv?campaign=de-an-06&under=16282")
            #expect(sessions.text.hasPrefix("id,date,area,area_name,team,logged_by,eid_l2,voided,void_reason\n"))
            #expect(sessions.text.contains(",2026-11-20,16282-01,"))
            #expect(try await b.get("/dashboard/sessions.json?campaign=de-an-06&under=16282").text.contains("\"eid_l2\" : 37"))
            #expect(try await b.get("/dashboard/quiet.csv?campaign=de-an-06").text.hasPrefix("code,name,within,last_session,team,leader\n"))
            #expect(try await b.get("/dashboard/leaflets.json?campaign=de-an-06").status == .ok)
            #expect(try await b.get("/dashboard/nothing.csv?campaign=de-an-06").status == .notFound)
            #expect(try await b.get("/dashboard/report.md?campaign=de-an-06").text.contains("/BC-UBND"))
            // Outside the viewer's district: another province's unit.
            let leader = Browser(client)
            try await leader.signIn("lan")
            #expect(try await leader.get("/dashboard?campaign=de-an-06&under=16285").status == .forbidden)
            #expect(try await leader.get("/dashboard?campaign=de-an-06&under=404").status == .forbidden)
            #expect(try await leader.get("/dashboard?campaign=de-an-06").status == .ok)
        }
    }

    @Test("every name is escaped: an area called <script> shows as text", arguments: Engines.all)
    func escaping(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine, extraAreas: """
            code,name,kind,parent_code,population,adults,households
            16282-99,<script>alert(1)</script>,thôn,16282,100,80,20
            """)
        try await f.test { client in
            let b = Browser(client)
            try await b.signIn("lan")
            try await b.get("/entry")
            #expect(!b.lastPage.contains("<script>alert(1)</script>"))
            #expect(b.lastPage.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            try await b.get("/dashboard?campaign=de-an-06")
            #expect(!b.lastPage.contains("<script>alert(1)</script>"))
        }
    }

    @Test("a body larger than the limit is refused with 413 and nothing is stored", arguments: Engines.all)
    func bodyLimit(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine, maxBody: 2048)
        let token = try await f.token("lan")
        try await f.test { client in
            let big = #"{"id":"\#(UUID())","date":"2026-11-20","area":"16282-01","counts":{"eid_l2":1},"notes":"\#(String(repeating: "x", count: 5000))"}"#
            let r = try await client.api("/api/v1/sessions", method: .post, token: token, json: big)
            #expect(r.status == .contentTooLarge)
            #expect(try await f.store.sessions(SessionQuery()).isEmpty)
        }
    }

    @Test("accounts: an administrator adds and disables accounts on the web; a disabled account is signed out and its token refused at once",
          arguments: Engines.all)
    func accounts(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        let token = try await f.token("lan")
        try await f.test { client in
            #expect(try await client.api("/api/v1/sessions", token: token).status == .ok)  // the token's account is kept now
            let admin = Browser(client)
            try await admin.signIn("admin")
            #expect(try await admin.get("/accounts").status == .ok)
            let added = try await admin.post("/accounts", ["name": "mai", "role": "leader", "area": "16285", "team": "",
                                                           "password": "mot-mat-khau"])
            #expect(added.status == .ok)
            #expect(admin.lastPage.contains("Đã thêm tài khoản mai."))
            let lan = Browser(client)
            try await lan.signIn("lan")
            #expect(try await lan.get("/entry").status == .ok)
            try await admin.get("/accounts")
            #expect(try await admin.post("/accounts/lan/disable", [:]).status == .seeOther)
            #expect(try await lan.get("/entry").status == .seeOther)  // back to /login
            #expect(try await client.api("/api/v1/sessions", token: token).status == .unauthorized)
            #expect(try await f.store.accountCredentials(named: "lan")?.0.disabled == true)
        }
    }
}

@Suite("outreach serve: who may open what — each route for each role")
struct ServerScopeTests {
    /// Expected statuses of a signed-in GET per role: leader, officer, viewer, admin.
    static let pages: [(String, [HTTPResponse.Status])] = [
        ("/entry", [.ok, .ok, .forbidden, .ok]),
        ("/dashboard?campaign=de-an-06", [.ok, .ok, .ok, .ok]),
        ("/dashboard?campaign=de-an-06&under=404", [.forbidden, .forbidden, .ok, .ok]),
        ("/dashboard?campaign=de-an-06&under=16285", [.forbidden, .forbidden, .ok, .ok]),
        ("/dashboard/coverage.json?campaign=de-an-06&under=16285", [.forbidden, .forbidden, .ok, .ok]),
        ("/accounts", [.forbidden, .forbidden, .forbidden, .ok]),
        ("/manage", [.forbidden, .ok, .forbidden, .ok]),
    ]

    @Test("pages per role", arguments: Engines.all)
    func pages(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        try await f.test { client in
            for (i, name) in ["lan", "hung", "huyen", "admin"].enumerated() {
                let b = Browser(client)
                try await b.signIn(name)
                for (uri, statuses) in Self.pages {
                    #expect(try await b.get(uri).status == statuses[i], "\(name) \(uri)")
                }
            }
        }
    }

    @Test("form posts per role: entry, void, team, leaflets and accounts, each refused outside the role or the scope",
          arguments: Engines.all)
    func posts(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        let inTanPhuc = try await f.store.logSession(NewSession(day: Fixture.today, area: "16282-03", metrics: MetricValues([.eidL2: 1])),
                                                     today: Fixture.today, replacing: nil, reason: nil, campaignMetrics: [])
        _ = try await f.store.receiveLeaflets(into: "16282", quantity: 100, on: Fixture.today, batch: nil, id: UUID())
        try await f.test { client in
            // name, then the expected status of: entry, void, team, leaflets, account.
            let expected: [(String, [HTTPResponse.Status])] = [
                ("huyen", [.forbidden, .forbidden, .forbidden, .forbidden, .forbidden]),
                ("tho", [.forbidden, .forbidden, .forbidden, .forbidden, .forbidden]),  // a leader of another commune
                ("lan", [.created, .seeOther, .forbidden, .forbidden, .forbidden]),
            ]
            for (name, statuses) in expected {
                let b = Browser(client)
                try await b.signIn(name)
                try await b.get("/dashboard?campaign=de-an-06")
                let csrf = b.csrf
                let posts: [(String, [String: String])] = [
                    ("/entry", ["form_id": UUID().uuidString, "area": "16282-01", "date": "20/11/2026", "m_eid_l2": "2", "csrf": csrf]),
                    ("/sessions/\(inTanPhuc.id)/void", ["reason": "thử", "csrf": csrf]),
                    ("/manage/team", ["code": "T-\(name)", "name": "Tổ", "kind": "project06", "area": "16282", "csrf": csrf]),
                    ("/manage/leaflets", ["from": "16282", "to": "16282-01", "quantity": "1", "csrf": csrf]),
                    ("/accounts", ["name": "x-\(name)", "role": "viewer", "area": "16282", "password": "mot-mat-khau", "csrf": csrf]),
                ]
                for ((uri, fields), status) in zip(posts, statuses) {
                    #expect(try await b.post(uri, fields).status == status, "\(name) \(uri)")
                }
            }
            #expect(try await f.store.accounts().count == Fixture.accounts.count)
            #expect(try await f.store.teams().allSatisfy { !$0.code.hasPrefix("T-") })
        }
    }

    @Test("API calls per role: writes for leaders, officers and administrators in their scope; reads for all in theirs",
          arguments: Engines.all)
    func api(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        var tokens: [String: String] = [:]
        for name in ["lan", "hung", "huyen", "admin", "tho"] { tokens[name] = try await f.token(name) }
        let frozen = tokens
        try await f.test { client in
            func post(_ name: String, _ area: String) async throws -> HTTPResponse.Status {
                try await client.api("/api/v1/sessions", method: .post, token: frozen[name],
                                     json: #"{"id":"\#(UUID())","date":"2026-11-20","area":"\#(area)","counts":{"eid_l2":1}}"#).status
            }
            #expect(try await post("lan", "16282-01") == .created)
            #expect(try await post("hung", "16282-02") == .created)
            #expect(try await post("admin", "16285-01") == .created)
            #expect(try await post("huyen", "16282-01") == .forbidden)
            #expect(try await post("lan", "16285-01") == .forbidden)
            #expect(try await post("tho", "16282-01") == .forbidden)
            for (name, under, status) in [("lan", "16282", HTTPResponse.Status.ok), ("lan", "16285", .forbidden), ("huyen", "404", .ok),
                                          ("tho", "16282", .forbidden)] {
                #expect(try await client.api("/api/v1/sessions?under=\(under)", token: frozen[name]).status == status, "\(name) \(under)")
                #expect(try await client.api("/api/v1/coverage?campaign=de-an-06&under=\(under)", token: frozen[name]).status == status,
                        "\(name) \(under)")
            }
            let sessions = try await f.store.sessions(SessionQuery())
            let inTanTho = try #require(sessions.first { $0.area == "16285-01" })
            let void = #"{"reason":"nhầm"}"#
            #expect(try await client.api("/api/v1/sessions/\(inTanTho.id)/void", method: .post, token: frozen["lan"], json: void).status
                    == .forbidden)
            #expect(try await client.api("/api/v1/sessions/\(inTanTho.id)/void", method: .post, token: frozen["huyen"], json: void).status
                    == .forbidden)
            #expect(try await client.api("/api/v1/sessions/\(inTanTho.id)/void", method: .post, token: frozen["tho"], json: void).status
                    == .ok)
        }
    }
}

@Suite("The JSON API: idempotent sessions, problems, coverage")
struct ServerAPITests {
    @Test("POST /api/v1/sessions: 201, the same id and body 200 and nothing new, another body 409, invalid 422 with the CLI's sentence",
          arguments: Engines.all)
    func sessions(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        let token = try await f.token("lan")
        try await f.test { client in
            let id = UUID()
            let body = #"{"id":"\#(id)","date":"2026-11-20","area":"16282-01","team":"P06-16282","counts":{"eid_l2":3,"people_reached":20},"notes":"ổn"}"#
            let created = try await client.api("/api/v1/sessions", method: .post, token: token, json: body)
            #expect(created.status == .created)
            #expect(created.text.contains(#""id":"\#(id.uuidString.lowercased())""#))
            let again = try await client.api("/api/v1/sessions", method: .post, token: token, json: body)
            #expect(again.status == .ok)
            let other = body.replacingOccurrences(of: #""eid_l2":3"#, with: #""eid_l2":4"#)
            let conflict = try await client.api("/api/v1/sessions", method: .post, token: token, json: other)
            #expect(conflict.status == .conflict)
            #expect(conflict.detail?.contains(id.uuidString.lowercased()) == true)
            #expect(try await f.store.sessions(SessionQuery()).count == 1)
            // Invalid: the detail is the sentence `outreach log` prints (here in English).
            let unknown = #"{"id":"\#(UUID())","date":"2026-11-20","area":"16282-01","team":"NO-SUCH-TEAM","counts":{"eid_l2":1}}"#
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(token)"
            headers[.contentType] = "application/json"
            headers[.acceptLanguage] = "en"
            let refused = try await client.executeRequest(uri: "/api/v1/sessions", method: .post, headers: headers, body: ByteBuffer(string: unknown))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.detail == SessionError.unknownTeam("NO-SUCH-TEAM").message)
            let nothing = #"{"id":"\#(UUID())","date":"2026-11-20","area":"16282-01","counts":{}}"#
            let empty = try await client.api("/api/v1/sessions", method: .post, token: token, json: nothing)
            #expect(empty.status == .unprocessableContent)
            #expect(empty.detail == SessionError.nothingRecorded.message(in: Labels(.vi)))
            let garbage = try await client.api("/api/v1/sessions", method: .post, token: token, json: "{not json")
            #expect(garbage.status == .unprocessableContent)
            #expect(garbage.headers[.contentType] == "application/problem+json; charset=utf-8")
            let badDate = #"{"id":"\#(UUID())","date":"20/11/2026","area":"16282-01","counts":{"eid_l2":1}}"#
            #expect(try await client.api("/api/v1/sessions", method: .post, token: token, json: badDate).status == .unprocessableContent)
            for r in [refused, empty, garbage] { #expect(!r.text.contains("SQL") && !r.text.contains("Error Domain")) }
            #expect(try await f.store.sessions(SessionQuery()).count == 1)
        }
    }

    @Test("GET sessions, void, GET coverage (the JSON of `outreach coverage --format json`), openapi.yaml", arguments: Engines.all)
    func readAndVoid(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        let token = try await f.token("hung")
        try await f.test { client in
            let id = UUID().uuidString.lowercased()
            #expect(try await client.api("/api/v1/sessions", method: .post, token: token,
                                         json: #"{"id":"\#(id)","date":"2026-11-20","area":"16282-02","counts":{"eid_l2":5}}"#).status == .created)
            let list = try await client.api("/api/v1/sessions?under=16282", token: token)
            #expect(list.status == .ok)
            #expect(list.text.contains(id))
            let voided = try await client.api("/api/v1/sessions/\(id)/void", method: .post, token: token, json: #"{"reason":"đếm trùng"}"#)
            #expect(voided.status == .ok)
            let twice = try await client.api("/api/v1/sessions/\(id)/void", method: .post, token: token, json: #"{"reason":"đếm trùng"}"#)
            #expect(twice.status == .conflict)
            #expect(!(try await client.api("/api/v1/sessions?under=16282", token: token)).text.contains(id))
            let coverage = try await client.api("/api/v1/coverage?campaign=de-an-06&under=16282", token: token)
            let campaign = try CampaignCatalog(directory: Fixture.packageRoot.appendingPathComponent("Campaigns").path).campaign("de-an-06")
            let expected = try await f.store.coverageReport(campaign: campaign, options: .init(asOf: Fixture.today, under: "16282"),
                                                            countryName: Campaign.wholeTreeName)
            #expect(coverage.text == (try expected.rendered(as: .json, labels: Labels(.vi))))
            let spec = try await client.api("/api/v1/openapi.yaml", token: nil)
            #expect(spec.status == .ok)
            #expect(spec.text.hasPrefix("openapi: 3.1.0"))
            #expect(spec.text.contains("/api/v1/sessions/{id}/void:"))
        }
    }
}

@Suite("The server's parts alone")
struct ServerPartTests {
    @Test("a signed cookie names its account until it expires; a changed one names nobody")
    func cookies() {
        let now = Date()
        let cookie = Signing.sessionCookie(name: "lan", now: now, secret: "s")
        #expect(Signing.name(fromCookie: cookie, now: now, secret: "s") == "lan")
        #expect(Signing.name(fromCookie: cookie, now: now, secret: "other") == nil)
        #expect(Signing.name(fromCookie: cookie, now: now.addingTimeInterval(13 * 3600), secret: "s") == nil)
        let forged = "6d6169" + cookie.drop { $0 != "." }  // "mai"
        #expect(Signing.name(fromCookie: String(forged), now: now, secret: "s") == nil)
    }

    @Test("--listen takes HOST:PORT or a port; anything else is refused in the user's language")
    func listen() throws {
        #expect(try ListenAddress.parse("0.0.0.0:9000") == ("0.0.0.0", 9000))
        #expect(try ListenAddress.parse("8081") == ("127.0.0.1", 8081))
        #expect(throws: ListenAddress.Problem(text: "localhost:http")) { try ListenAddress.parse("localhost:http") }
        #expect(ListenAddress.Problem(text: "x").message(in: Labels(.vi))?.contains("MÁY:CỔNG") == true)
    }

    @Test("a form's fields are read as a browser sends them")
    func form() {
        #expect(OutreachServer.parseForm("a=1&b=x+y&c=%C4%90%E1%BA%A1i&a=2") == ["a": "1", "b": "x y", "c": "Đại"])
    }
}
