import Foundation
import Hummingbird
import HummingbirdTesting
import OutreachKit
import Testing
@testable import OutreachServer

@Suite("Data quality on the web")
struct QualityServerTests {
    /// The fixture with eight usual sessions in Thôn 1 of Tân Phúc (3 to 5 activations of 20 people).
    static func usualSessions(_ engine: StorageEngine) async throws -> Fixture {
        let f = try await Fixture.make(engine)
        for day in 1...8 {
            _ = try await f.store.logSession(NewSession(day: Day(year: 2026, month: 11, day: day)!, area: "16282-01", team: "P06-16282",
                                                        metrics: MetricValues([.eidL2: 3 + day % 3, .peopleReached: 20])),
                                             today: Fixture.today, replacing: nil, reason: nil, campaignMetrics: [])
        }
        return f
    }

    @Test("the quality page lists the open follow-ups, the teams and the recognition; officers settle one with a reason, audited; leaders only read",
          arguments: Engines.all)
    func quality(_ engine: StorageEngine) async throws {
        let f = try await Self.usualSessions(engine)
        let odd = try await f.store.logSession(NewSession(day: Day(year: 2026, month: 11, day: 12)!, area: "16282-01", team: "P06-16282",
                                                          metrics: MetricValues([.eidL2: 550, .peopleReached: 3])),
                                               today: Fixture.today, replacing: nil, reason: nil, campaignMetrics: [])
        let campaign = try CampaignCatalog(directory: Fixture.packageRoot.appendingPathComponent("Campaigns").path).campaign("de-an-06")
        let run = try await f.store.outliers(campaign: campaign, under: nil, detection: OutlierDetection(), asOf: Fixture.today)
        let followUp = try #require(run.followUps.first { $0.flag.session == odd.id })
        try await f.test { client in
            let leader = Browser(client)
            try await leader.signIn("lan")
            #expect(try await leader.get("/quality?campaign=de-an-06").status == .ok)
            #expect(leader.lastPage.contains("eid_l2 = 550"))
            #expect(!leader.lastPage.contains("action=\"/quality/resolve\""))
            #expect(try await leader.post("/quality/resolve", ["id": String(followUp.id), "reason": "đúng"]).status == .forbidden)

            let officer = Browser(client)
            try await officer.signIn("hung")
            #expect(try await officer.get("/quality?campaign=de-an-06").status == .ok)
            #expect(officer.lastPage.contains("Cần kiểm tra (1)"))
            #expect(officer.lastPage.contains("Khen thưởng"))
            #expect(officer.lastPage.contains("Tổ công tác Đề án 06 Xã Tân Phúc (P06-16282)"))
            #expect(try await officer.post("/quality/resolve", ["id": String(followUp.id), "reason": " ", "campaign": "de-an-06"]).status
                == .unprocessableContent)
            #expect(try await officer.post("/quality/resolve", ["id": String(followUp.id), "reason": "họp thôn đông", "campaign": "de-an-06"])
                .status == .ok)
            #expect(officer.lastPage.contains("Cần kiểm tra (0)"))
            let csv = try await officer.get("/quality/followups.csv?campaign=de-an-06")
            #expect(csv.status == .ok && officer.lastPage.contains(",correct,hung,họp thôn đông"))
            #expect(try await officer.get("/quality?campaign=de-an-06&under=16285").status == .forbidden)
        }
        #expect(try await f.store.auditEntries(AuditQuery(by: "hung")).map(\.action) == [.followUpResolve])
    }

    @Test("the dashboard shows the open follow-ups under the viewer's unit, the most recent first, with the way to the quality page",
          arguments: Engines.all)
    func dashboard(_ engine: StorageEngine) async throws {
        let f = try await Self.usualSessions(engine)
        // Five copies of the session of 2 November: five duplicates, flagged before the outlier.
        for _ in 1...5 {
            _ = try await f.store.logSession(NewSession(day: Day(year: 2026, month: 11, day: 2)!, area: "16282-01", team: "P06-16282",
                                                        metrics: MetricValues([.eidL2: 5, .peopleReached: 20])),
                                             today: Fixture.today, replacing: nil, reason: nil, campaignMetrics: [])
        }
        _ = try await f.store.logSession(NewSession(day: Day(year: 2026, month: 11, day: 12)!, area: "16282-01", team: "P06-16282",
                                                    metrics: MetricValues([.eidL2: 550, .peopleReached: 3])),
                                         today: Fixture.today, replacing: nil, reason: nil, campaignMetrics: [])
        let campaign = try CampaignCatalog(directory: Fixture.packageRoot.appendingPathComponent("Campaigns").path).campaign("de-an-06")
        let run = try await f.store.outliers(campaign: campaign, under: nil, detection: OutlierDetection(), asOf: Fixture.today)
        #expect(run.followUps.filter { $0.state == .open }.map(\.flag.kind) == [.duplicate, .duplicate, .duplicate, .duplicate, .duplicate, .outlier])
        try await f.test { client in
            let officer = Browser(client)
            try await officer.signIn("hung")
            #expect(try await officer.get("/dashboard?campaign=de-an-06").status == .ok)
            #expect(officer.lastPage.contains("Cần kiểm tra (6)"), "\(officer.lastPage)")
            #expect(officer.lastPage.contains("5 mục mới nhất:"))
            #expect(officer.lastPage.contains("eid_l2 = 550"), "the latest flagged is listed")
            #expect(officer.lastPage.components(separatedBy: "<td>trùng</td>").count - 1 == 4, "four of the five duplicates")
            #expect(officer.lastPage.contains("/quality?campaign=de-an-06&amp;under=16282"))

            // Another commune's leader sees none of them: the section keeps to the viewer's scope.
            let other = Browser(client)
            try await other.signIn("tho")
            #expect(try await other.get("/dashboard?campaign=de-an-06").status == .ok)
            #expect(other.lastPage.contains("Cần kiểm tra (0)"))
            #expect(!other.lastPage.contains("eid_l2 = 550"))
            #expect(try await other.get("/dashboard?campaign=de-an-06&under=16282").status == .forbidden)
        }
    }

}
