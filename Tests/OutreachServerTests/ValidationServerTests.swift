import Foundation
import HummingbirdTesting
import OutreachKit
import Testing
@testable import OutreachServer

@Suite("Validation rules at entry on the web form and the API")
struct ValidationServerTests {
    /// A campaigns folder with one campaign over Xã Tân Phúc: a warning rule and an error rule.
    static func campaigns() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("""
            version: 1
            id: thu
            name: Thử
            scope: "16282"
            period: {start: 2026-10-01, end: 2026-12-31}
            indicators:
              - {id: e, label: E, numerator: eid_l2, denominator: adults, target: 90%}
            rules:
              - id: eid-not-above-reached
                rule: eid_l2 <= people_reached
                message: Kích hoạt nhiều hơn số người được tiếp cận
                message_en: More activations than people reached
              - id: eid-limit
                rule: eid_l2 <= 500
                severity: error
                message: Quá 500 tài khoản một buổi
                message_en: Over 500 accounts in one session

            """.utf8).write(to: dir.appendingPathComponent("thu.yaml"))
        return dir.path
    }

    @Test("the form warns on a warning rule and says an error rule beside the form, storing nothing", arguments: Engines.all)
    func form(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine, campaigns: try Self.campaigns())
        try await f.test { client in
            let b = Browser(client)
            try await b.signIn("lan")
            try await b.get("/entry")
            var fields = ["form_id": try #require(b.hidden("form_id")), "area": "16282-01", "date": "20/11/2026",
                          "m_eid_l2": "600", "m_people_reached": "700"]
            let refused = try await b.post("/entry", fields)
            #expect(refused.status == .unprocessableContent)
            #expect(b.lastPage.contains("eid-limit") && b.lastPage.contains("Quá 500 tài khoản một buổi"), "\(b.lastPage)")
            #expect(try await f.store.sessions(SessionQuery()).isEmpty)
            try await b.get("/entry")
            fields["form_id"] = try #require(b.hidden("form_id"))
            fields["m_eid_l2"] = "30"
            fields["m_people_reached"] = "20"
            let warned = try await b.post("/entry", fields)
            #expect(warned.status == .created)
            #expect(b.lastPage.contains("eid-not-above-reached") && b.lastPage.contains("Kích hoạt nhiều hơn số người được tiếp cận"),
                    "\(b.lastPage)")
            #expect(try await f.store.sessions(SessionQuery()).count == 1)
        }
    }

    @Test("the API answers 422 with the rule for an error rule, and names warning rules in its warnings", arguments: Engines.all)
    func api(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine, campaigns: try Self.campaigns())
        let token = try await f.token("hung")
        try await f.test { client in
            let big = #"{"id":"\#(UUID())","date":"2026-11-20","area":"16282-01","counts":{"eid_l2":900}}"#
            let refused = try await client.api("/api/v1/sessions", method: .post, token: token, json: big)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.detail?.contains("eid-limit") == true && refused.detail?.contains("900") == true, "\(refused.text)")
            let outside = #"{"id":"\#(UUID())","date":"2026-11-20","area":"16285-01","counts":{"eid_l2":900}}"#
            let hung = try await f.token("admin")
            #expect(try await client.api("/api/v1/sessions", method: .post, token: hung, json: outside).status == .created,
                    "Xã Tân Thọ is outside the campaign's scope")
            let small = #"{"id":"\#(UUID())","date":"2026-11-20","area":"16282-01","counts":{"eid_l2":9,"people_reached":3}}"#
            let warned = try await client.api("/api/v1/sessions", method: .post, token: token, json: small)
            #expect(warned.status == .created)
            #expect(warned.text.contains("eid-not-above-reached"), "\(warned.text)")
            #expect(try await f.store.sessions(SessionQuery()).count == 2)
        }
    }
}
