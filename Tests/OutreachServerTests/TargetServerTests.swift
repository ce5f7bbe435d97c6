import Foundation
import Hummingbird
import HummingbirdTesting
import OutreachKit
import Testing
@testable import OutreachServer

@Suite("outreach serve: an officer sets and clears the targets of the commune's hamlets; other roles and communes are refused")
struct TargetServerTests {
    /// The coverage JSON row of `code` for indicator `indicator` of campaign `campaign`, from the API.
    static func row(_ client: any TestClientProtocol, token: String, campaign: String, under: String, code: String,
                    indicator: String) async throws -> [String: Any]? {
        let response = try await client.api("/api/v1/coverage?campaign=\(campaign)&under=\(under)", token: token)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return (json?["rows"] as? [[String: Any]])?.first { $0["code"] as? String == code && $0["indicator"] as? String == indicator
            && $0["kind"] as? String != "total" }
    }

    @Test("per role: leader and viewer 403, an officer of another commune 403, a form without its CSRF token 403; the officer sets it",
          arguments: Engines.all)
    func roles(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        _ = try await Accounts.add(name: "thu", role: .officer, area: "16285", team: nil, password: Fixture.password, in: f.store)
        try await f.test { client in
            let fields = ["area": "16282-02", "indicator": "example/eid-l2", "value": "70%"]
            for (name, status) in [("lan", HTTPResponse.Status.forbidden), ("huyen", .forbidden), ("thu", .forbidden)] {
                let b = Browser(client)
                try await b.signIn(name)
                try await b.get("/dashboard?campaign=example")
                #expect(try await b.post("/manage/target", fields).status == status, "\(name)")
                #expect(try await b.post("/manage/target-clear", fields.merging(["reason": "x"]) { $1 }).status == status, "\(name)")
            }
            let officer = Browser(client)
            try await officer.signIn("hung")
            try await officer.get("/manage")
            #expect(try await officer.post("/manage/target", fields.merging(["csrf": "sai"]) { $1 }).status == .forbidden)
            #expect(try await f.store.areaTargets(campaign: nil).isEmpty)
            try await officer.get("/manage")
            // The officer's page offers the commune's own hamlets and the campaigns over it.
            #expect(officer.lastPage.contains("<option value=\"16282-02\">"))
            #expect(!officer.lastPage.contains("<option value=\"16285-01\">"))
            #expect(officer.lastPage.contains("<option value=\"example/eid-l2\">"))
            let done = try await officer.post("/manage/target", fields)
            #expect(done.status == .ok)
            #expect(officer.lastPage.contains("Đã đặt chỉ tiêu eid-l2 của Thôn 2 (16282-02): chưa đặt → 70%."), "\(officer.lastPage)")
            let stored = try await f.store.areaTargets(campaign: "example")
            #expect(stored.count == 1 && stored.first?.setBy == "hung" && stored.first?.target == .share(0.7))
            let audit = try await f.store.auditEntries(AuditQuery(by: "hung")).filter { $0.subject == "area_target" }
            #expect(audit.map(\.action) == [.targetSet])
            // An officer of another commune cannot clear it either; the target stays.
            #expect(try await f.store.areaTargets(campaign: "example").count == 1)
        }
    }

    @Test("values typed as 85%, 0,85 or a count; a bad value and a clear without a reason are named on the page (422); coverage follows",
          arguments: Engines.all)
    func values(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        let token = try await f.token("hung")
        try await f.test { client in
            let b = Browser(client)
            try await b.signIn("hung")
            var before = try await Self.row(client, token: token, campaign: "example", under: "16282", code: "16282-03", indicator: "eid-l2")
            #expect(before?["target"] as? Double == 0.8 && before?["targetOrigin"] as? String == "campaign_file")
            try await b.get("/manage")
            #expect(try await b.post("/manage/target", ["area": "16282-03", "indicator": "example/eid-l2", "value": "0,85"]).status == .ok)
            before = try await Self.row(client, token: token, campaign: "example", under: "16282", code: "16282-03", indicator: "eid-l2")
            #expect(before?["target"] as? Double == 0.85 && before?["targetOrigin"] as? String == "workspace")
            try await b.get("/manage")
            #expect(try await b.post("/manage/target", ["area": "16282-03", "indicator": "example/dvc-submitted", "value": "1.010"]).status == .ok)
            let count = try await Self.row(client, token: token, campaign: "example", under: "16282", code: "16282-03", indicator: "dvc-submitted")
            #expect(count?["target"] as? Int == 1010 && count?["targetOrigin"] as? String == "workspace")
            try await b.get("/manage")
            let bad = try await b.post("/manage/target", ["area": "16282-03", "indicator": "example/eid-l2", "value": "150%"])
            #expect(bad.status == .unprocessableContent)
            #expect(b.lastPage.contains("chỉ tiêu của chỉ số &quot;eid-l2&quot;"), "\(b.lastPage)")
            try await b.get("/manage")
            #expect(try await b.post("/manage/target", ["area": "16282-03", "indicator": "nothing/eid-l2", "value": "50%"]).status
                == .unprocessableContent)
            try await b.get("/manage")
            #expect(try await b.post("/manage/target-clear", ["area": "16282-03", "indicator": "example/eid-l2", "reason": ""]).status
                == .unprocessableContent)
            try await b.get("/manage")
            #expect(try await b.post("/manage/target-clear", ["area": "16282-03", "indicator": "example/eid-l2", "reason": "giao lại"]).status == .ok)
            #expect(b.lastPage.contains("Chỉ tiêu đang áp dụng: 80% (bảng chỉ tiêu của kế hoạch)."), "\(b.lastPage)")
            let after = try await Self.row(client, token: token, campaign: "example", under: "16282", code: "16282-03", indicator: "eid-l2")
            #expect(after?["target"] as? Double == 0.8 && after?["targetOrigin"] as? String == "campaign_file")
            #expect(try await f.store.areaTargets(campaign: "example").map(\.indicator) == ["dvc-submitted"])
        }
    }

    @Test("the dashboard shows a change made after it was last shown (its figures are kept only until the workspace changes)",
          arguments: Engines.all)
    func dashboardFollowsChanges(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        let token = try await f.token("hung")
        try await f.test { client in
            let b = Browser(client)
            try await b.signIn("hung")
            try await b.get("/dashboard?campaign=de-an-06&under=16282")
            let first = b.lastPage
            try await b.get("/dashboard?campaign=de-an-06&under=16282")
            #expect(!b.lastPage.contains("<td class=\"n\">4.321</td>"))
            let posted = try await client.api("/api/v1/sessions", method: .post, token: token,
                                              json: #"{"id":"\#(UUID().uuidString)","date":"2026-11-20","area":"16282-01","counts":{"eid_l2":4321}}"#)
            #expect(posted.status == .created)
            try await b.get("/dashboard?campaign=de-an-06&under=16282")
            #expect(b.lastPage.contains("<td class=\"n\">4.321</td>"), "\(b.lastPage)")
            #expect(b.lastPage != first)
        }
    }
}
