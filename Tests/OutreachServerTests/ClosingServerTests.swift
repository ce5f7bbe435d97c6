import Foundation
import Hummingbird
import HummingbirdTesting
import OutreachKit
import Testing
@testable import OutreachServer

@Suite("Closing the month on the web and the API")
struct ClosingServerTests {
    static let october = Day(year: 2026, month: 10, day: 15)!

    @Test("an officer closes the commune; the leader's October entry is refused beside the form (423) and by the API (423 problem); the district accepts once every commune is closed; reopening needs a reason; the history names each account",
          arguments: Engines.all)
    func closing(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        for area in ["16282-01", "16285-01"] {
            _ = try await f.store.logSession(NewSession(day: Self.october, area: area, metrics: MetricValues([.eidL2: 2])),
                                             today: Fixture.today, replacing: nil, reason: nil, campaignMetrics: [])
        }
        let token = try await f.token("lan")
        try await f.test { client in
            let officer = Browser(client)
            try await officer.signIn("hung")
            #expect(try await officer.get("/closing").status == .ok)
            #expect(officer.lastPage.contains("Chốt số liệu — Xã Tân Phúc"))
            #expect(officer.lastPage.contains("<option value=\"2026-10\" selected=\"selected\">tháng 10/2026</option>"))
            #expect(try await officer.post("/closing/approve", ["area": "16282", "period": "2026-10"]).status == .ok)
            #expect(officer.lastPage.contains("Đã chốt số liệu tháng 10/2026 của Xã Tân Phúc (16282)."))
            #expect(try await officer.get("/closing?under=16285").status == .forbidden)

            // The leader's entry for October: refused beside the form, what was typed kept.
            let leader = Browser(client)
            try await leader.signIn("lan")
            try await leader.get("/entry")
            let refused = try await leader.post("/entry", ["form_id": try #require(leader.hidden("form_id")), "area": "16282-02",
                                                           "date": "15/10/2026", "m_eid_l2": "7"])
            #expect(refused.status.code == 423)
            #expect(leader.lastPage.contains("đã được chốt bởi hung"))
            #expect(leader.lastPage.contains("value=\"7\""))
            #expect(try await leader.post("/closing/approve", ["area": "16282", "period": "2026-10"]).status == .forbidden)
            // The API: a 423 problem whose detail is the CLI's sentence.
            let api = try await client.api("/api/v1/sessions", method: .post, token: token, json: """
                {"id": "\(UUID().uuidString)", "date": "2026-10-15", "area": "16282-02", "counts": {"eid_l2": 7}}
                """)
            #expect(api.status.code == 423)
            #expect(api.headers[.contentType] == "application/problem+json; charset=utf-8")
            #expect(api.detail?.contains("số liệu tháng 10/2026 của Xã Tân Phúc (16282) đã được chốt bởi hung") == true)
            // Voiding an October session: refused by the API and from the page, 423 both.
            let october = try #require(try await f.store.sessions(SessionQuery(under: "16282-01")).first?.id)
            let void = try await client.api("/api/v1/sessions/\(october)/void", method: .post, token: token, json: #"{"reason": "nhầm"}"#)
            #expect(void.status.code == 423)
            #expect(void.detail?.contains("đã được chốt bởi hung") == true)
            try await leader.get("/entry")
            #expect(try await leader.post("/sessions/\(october)/void", ["reason": "nhầm"]).status.code == 423)
            #expect(try await f.store.sessions(SessionQuery(under: "16282-01")).count == 1)
            // A November entry is open.
            try await leader.get("/entry")
            #expect(try await leader.post("/entry", ["form_id": try #require(leader.hidden("form_id")), "area": "16282-02",
                                                     "date": "19/11/2026", "m_eid_l2": "3"]).status == .created)

            // The district office accepts only once Tân Thọ has closed too.
            let office = Browser(client)
            try await office.signIn("huyen")
            try await office.get("/closing")
            #expect(try await office.post("/closing/approve", ["area": "404", "period": "2026-10"]).status == .unprocessableContent)
            #expect(office.lastPage.contains("Xã Tân Thọ (16285)"))
            #expect(try await office.post("/closing/approve", ["area": "16285", "period": "2026-10"]).status == .ok)
            #expect(try await office.post("/closing/approve", ["area": "404", "period": "2026-10"]).status == .ok)
            #expect(office.lastPage.contains("đã duyệt"))
            // Accepted above: the commune cannot reopen alone; the district needs a reason.
            try await officer.get("/closing")
            #expect(try await officer.post("/closing/unapprove", ["area": "16282", "period": "2026-10", "reason": "thiếu"]).status
                == .unprocessableContent)
            #expect(officer.lastPage.contains("phải mở lại trước"))
            #expect(try await office.post("/closing/unapprove", ["area": "404", "period": "2026-10", "reason": " "]).status
                == .unprocessableContent)
            #expect(try await office.post("/closing/unapprove", ["area": "404", "period": "2026-10", "reason": "xã xin sửa"]).status == .ok)
            #expect(try await officer.post("/closing/unapprove", ["area": "16282", "period": "2026-10", "reason": "thôn 2 báo muộn"]).status
                == .ok)
            // The history, on the page and as CSV: who did each step.
            #expect(try await officer.get("/closing?under=16282").status == .ok)
            #expect(officer.lastPage.contains("thôn 2 báo muộn"))
            #expect(officer.lastPage.contains("<td>approval 16282 2026-10</td>"))
            let csv = try await office.get("/closing/history.csv?under=404")
            #expect(csv.status == .ok)
            for row in [",hung,approval.close,approval,16282 2026-10,", ",huyen,approval.close,approval,404 2026-10,",
                        ",huyen,approval.reopen,approval,404 2026-10,", ",hung,approval.reopen,approval,16282 2026-10,", ",lan,session.log,session,"] {
                #expect(office.lastPage.contains(row), "\(row)")
            }
            #expect(try await officer.get("/closing/history.csv?under=16285").status == .forbidden)
        }
        let states = try await f.store.approvalRows(period: nil).map { "\($0.code) \($0.state.rawValue) \($0.actor)" }.sorted()
        #expect(states == ["16282 open hung", "16285 closed huyen", "404 open huyen"])
    }

    @Test("every web write is recorded under the signed-in account", arguments: Engines.all)
    func writesRecordTheAccount(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        try await f.test { client in
            let officer = Browser(client)
            try await officer.signIn("hung")
            try await officer.get("/manage")
            #expect(try await officer.post("/manage/team", ["code": "DV-16282", "name": "Tổ dân vận", "kind": "volunteer", "area": "16282"])
                .status == .ok)
            let admin = Browser(client)
            try await admin.signIn("admin")
            try await admin.get("/accounts")
            #expect(try await admin.post("/accounts", ["name": "mai", "role": "leader", "area": "16282-01", "password": "mot-mat-khau-dai"])
                .status == .ok)
        }
        let trail = try await f.store.auditEntries(AuditQuery())
        #expect(trail.first { $0.action == .teamAdd && $0.key == "DV-16282" }?.actor == "hung")
        #expect(trail.first { $0.action == .accountAdd && $0.key == "mai" }?.actor == "admin")
        #expect(!trail.contains { ($0.after ?? "").contains("mot-mat-khau") })
    }
}
