import Foundation
import Hummingbird
import HummingbirdTesting
import OutreachKit
import Testing
@testable import OutreachServer

@Suite("The dashboard under either tree")
struct ReformServerTests {
    @Test("a viewer of the new province sees the six new communes, and with tree=2025-06-30 the same totals under the old district",
          arguments: Engines.all)
    func dashboardTree(_ engine: StorageEngine) async throws {
        let f = try await Fixture.make(engine)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-reform-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let story = DemoReform(tree: try AreaFile.read(try CSVReader(path: DemoReform.oldTree)), today: Fixture.today)
        try await f.store.loadReformStory(story, folder: folder.path, today: Fixture.today)
        _ = try await Accounts.add(name: "vinhlong", role: .viewer, area: "86", team: nil, password: Fixture.password, in: f.store)
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
}
