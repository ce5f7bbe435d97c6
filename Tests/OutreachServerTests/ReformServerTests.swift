import Foundation
import Hummingbird
import HummingbirdTesting
import OutreachKit
import Testing
@testable import OutreachServer

@Suite("The dashboard under either tree")
struct ReformServerTests {
    /// The server's fixture with the demo's reform story of Thạnh Phú and a viewer of Tỉnh Vĩnh Long (86), "vinhlong".
    static func reformed(_ engine: StorageEngine) async throws -> Fixture {
        let f = try await Fixture.make(engine)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-reform-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let story = DemoReform(tree: try AreaFile.read(try CSVReader(path: DemoReform.oldTree)), today: Fixture.today)
        try await f.store.loadReformStory(story, folder: folder.path, today: Fixture.today)
        _ = try await Accounts.add(name: "vinhlong", role: .viewer, area: "86", team: nil, password: Fixture.password, in: f.store)
        return f
    }

    @Test("a viewer of the new province sees the six new communes, and with tree=2025-06-30 the same totals under the old district",
          arguments: Engines.all)
    func dashboardTree(_ engine: StorageEngine) async throws {
        let f = try await Self.reformed(engine)
        try await f.test { client in
            let viewer = Browser(client)
            try await viewer.signIn("vinhlong")
            #expect(try await viewer.get("/dashboard?campaign=thanh-phu").status == .ok)
            #expect(viewer.lastPage.contains("Xã Đại Điền (29194)"))
            #expect(!viewer.lastPage.contains("Xã Tân Phong"))
            #expect(try await viewer.get("/dashboard?campaign=thanh-phu&tree=2025-06-30").status == .ok)
            #expect(viewer.lastPage.contains("Cộng dồn theo cây địa bàn có hiệu lực ngày 30/06/2025."))
            #expect(viewer.lastPage.contains("Xã Tân Phong (29194)") && viewer.lastPage.contains("Xã Phú Khánh (29185)"))
            #expect(viewer.lastPage.contains("tree=2025-06-30"))
            #expect(try await viewer.get("/dashboard?campaign=thanh-phu&tree=2025-06-30&under=29185").status == .ok)
            #expect(try await viewer.get("/dashboard?campaign=thanh-phu&tree=2025-06-30&under=16282").status == .forbidden)
            #expect(try await viewer.get("/dashboard?campaign=thanh-phu&tree=30-06").status == .badRequest)

            var totals: [Int] = []
            for tree in ["", "&tree=2025-06-30"] {
                #expect(try await viewer.get("/dashboard/coverage.json?campaign=thanh-phu\(tree)").status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(viewer.lastPage.utf8)) as? [String: Any]
                let rows = object?["rows"] as? [[String: Any]] ?? []
                totals.append(rows.first { $0["kind"] as? String == "total" }?["value"] as? Int ?? -1)
            }
            #expect(totals.count == 2 && totals[0] == totals[1] && totals[0] > 0)

            // Nông Cống's viewer cannot reach Thạnh Phú under either tree.
            let other = Browser(client)
            try await other.signIn("huyen")
            #expect(try await other.get("/dashboard?campaign=thanh-phu&under=29194").status == .forbidden)
            #expect(try await other.get("/dashboard?campaign=thanh-phu&tree=2025-06-30&under=29194").status == .forbidden)
        }
    }

    @Test("the API's coverage takes tree= as the CLI's --tree: the same JSON, the same totals, scope checked in that tree",
          arguments: Engines.all)
    func apiCoverageTree(_ engine: StorageEngine) async throws {
        let f = try await Self.reformed(engine)
        let token = try await f.token("vinhlong"), other = try await f.token("huyen")
        let campaign = try CampaignCatalog(directory: Fixture.packageRoot.appendingPathComponent("Campaigns").path).campaign("thanh-phu")
        try await f.test { client in
            var totals: [Int] = []
            for tree in ["", "&tree=2025-06-30", "&tree=current"] {
                let response = try await client.api("/api/v1/coverage?campaign=thanh-phu\(tree)", token: token)
                #expect(response.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
                let rows = object?["rows"] as? [[String: Any]] ?? []
                totals.append(rows.first { $0["kind"] as? String == "total" }?["value"] as? Int ?? -1)
                if tree == "&tree=2025-06-30" {
                    #expect(object?["tree"] as? String == "2025-06-30")
                    #expect(rows.contains { $0["code"] as? String == "29185" })
                    #expect(rows.contains { $0["code"] as? String == "29194" && $0["name"] as? String == "Xã Tân Phong" })
                    let day = try #require(Day(parsing: "2025-06-30"))
                    let expected = try await f.store.coverageReport(campaign: campaign, options: .init(asOf: Fixture.today, tree: day))
                    #expect(response.text == (try expected.rendered(as: .json, labels: Labels(.vi))))
                } else {
                    #expect(!rows.contains { $0["code"] as? String == "29185" })
                }
            }
            #expect(totals.count == 3 && Set(totals).count == 1 && totals[0] > 0)
            let old = try await client.api("/api/v1/coverage?campaign=thanh-phu&tree=2025-06-30&under=29185", token: token)
            #expect(old.status == .ok)
            #expect(try await client.api("/api/v1/coverage?campaign=thanh-phu&tree=30-06", token: token).status == .badRequest)
            #expect(try await client.api("/api/v1/coverage?campaign=thanh-phu&tree=2025-06-30&under=29185", token: other).status
                    == .forbidden)
        }
    }

    @Test("tree= never skips the scope check, on a workspace without dated history too: a unit above the account's area is refused",
          arguments: Engines.all)
    func treeKeepsScope(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        let token = try await f.token("huyen")
        try await f.test { client in
            let viewer = Browser(client)
            try await viewer.signIn("huyen")
            for tree in ["current", "2025-06-30"] {
                #expect(try await viewer.get("/dashboard?campaign=de-an-06&tree=\(tree)&under=38").status == .forbidden)
                #expect(try await viewer.get("/dashboard/coverage.json?campaign=de-an-06&tree=\(tree)&under=38").status == .forbidden)
                #expect(try await client.api("/api/v1/coverage?campaign=de-an-06&tree=\(tree)&under=38", token: token).status == .forbidden)
                #expect(try await viewer.get("/dashboard?campaign=de-an-06&tree=\(tree)&under=16282").status == .ok)
            }
        }
    }
}
