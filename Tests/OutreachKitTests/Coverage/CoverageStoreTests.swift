import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// `Store.coverageReport` takes shortcuts for speed (the tree read in two halves at once,
/// only the indicators' metrics read, later months subtracted); these tests hold it to the
/// plain way: the whole tree in one read, every metric, counted forward.
@Suite("Coverage read from a workspace")
struct CoverageStoreTests {
    /// A district of `communes` communes with `hamlets` hamlets each, and random sessions.
    static func workspace(communes: Int, hamlets: Int, sessions: Int, seed: UInt64) throws -> Store {
        let store = try Store.inMemory()
        var rows = [AreaRow(line: 2, code: "D", name: "Huyện Thử", level: .district)]
        for c in 1...communes {
            rows.append(AreaRow(line: rows.count + 2, code: "C\(c)", name: "Xã \(c)", level: .commune, parentCode: "D"))
            for h in 1...hamlets {
                rows.append(AreaRow(line: rows.count + 2, code: "C\(c)-\(h)", name: "Thôn \(h)", level: .hamlet, parentCode: "C\(c)",
                                    attributes: AreaAttributes(adults: 50 + (c * 7 + h * 13) % 400)))
            }
        }
        _ = try store.importAreas(rows, file: "areas.csv", on: Day(parsing: "2025-01-01")!)
        var rng = seed
        func next(_ n: Int) -> Int {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Int((rng >> 33) % UInt64(n))
        }
        guard sessions > 0 else { return store }
        var text = "date,area,eid_l2,bank_account,ewallet\n"
        let first = Day(parsing: "2025-03-01")!
        for _ in 0..<sessions {
            let blank = { next(4) == 0 ? "" : String(next(6)) }
            text += "\(first.adding(days: next(420)).iso),C\(1 + next(communes))-\(1 + next(hamlets)),\(blank()),\(blank()),\(blank())\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("coverage-store-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(text.utf8).write(to: url)
        _ = try store.importSessions(file: url.path, today: Day(parsing: "2026-12-31")!)
        for entry in try store.sessions(SessionQuery()).prefix(30) where entry.date.number % 2 == 0 {
            try store.voidSession(entry.id, reason: "nhập trùng", on: Day(parsing: "2026-06-01")!)
        }
        return store
    }

    static let campaign = Campaign(
        id: "tt", name: "Thanh toán", scope: "D", start: Day(parsing: "2025-04-01")!, end: Day(parsing: "2026-12-31")!,
        indicators: [
            Indicator(id: "epay", label: "Tài khoản", numerator: ["bank_account", "ewallet"], denominator: "adults", target: .share(0.5)),
            Indicator(id: "eid", label: "VNeID", numerator: ["eid_l2"], denominator: "adults", target: .share(0.8), rollUp: .mean),
        ])

    @Test("equals the report built from forward totals of every metric, as of any day", arguments: [UInt64(7), 8])
    func matchesPlainReport(seed: UInt64) async throws {
        let store = try Self.workspace(communes: 4, hamlets: 5, sessions: 600, seed: seed)
        let campaign = Self.campaign
        for asOf in ["2025-03-31", "2025-04-01", "2025-09-17", "2026-02-28", "2026-04-10", "2026-04-29", "2026-12-31"] {
            for under in [nil, "C2"] as [String?] {
                let options = CoverageReport.Options(asOf: Day(parsing: asOf)!, under: under)
                let tree = try store.read { db in try Store.areaTree(db) }
                let totals = try store.periodTotals(start: campaign.start, end: campaign.end, asOf: options.asOf)
                var own: [Int: AreaTotals] = [:]
                for (id, t) in totals { own[tree.index(ofID: id)!] = t }
                let plain = try CoverageReport(campaign: campaign, tree: tree, ownTotals: own, options: options)
                let fast = try await store.coverageReport(campaign: campaign, options: options)
                #expect(fast == plain, "as of \(asOf) under \(under ?? "-")")
            }
        }
    }

    @Test("a tree read in two halves at once equals the tree read in one pass")
    func treeInHalves() throws {
        let store = try Self.workspace(communes: 150, hamlets: 140, sessions: 0, seed: 1)
        let halves = try store.areaTree(addingRoot: (code: "all", name: "Cả nước"))
        let whole = try store.read { db in try Store.areaTree(db, addingRoot: (code: "all", name: "Cả nước")) }
        #expect(halves.nodes.count == 150 * 141 + 2)
        #expect(halves.nodes == whole.nodes)
        #expect(halves.children == whole.children)
        #expect(halves.roots == whole.roots)
        #expect(halves.index(of: "C150-140") == whole.index(of: "C150-140"))
        #expect(halves.index(of: "C150-140") != nil)
    }

    @Test("a report big enough to be built on two threads has the rows of its communes' small reports, in tree order")
    func bigReportMatchesSmallOnes() async throws {
        let store = try Self.workspace(communes: 150, hamlets: 140, sessions: 3_000, seed: 3)
        let options = CoverageReport.Options(asOf: Day(parsing: "2026-04-10")!, indicator: "epay")
        let big = try await store.coverageReport(campaign: Self.campaign, options: options)
        #expect(big.rows.count == 150 * 141 + 2)  // over the two-thread threshold (20,000), plus the district and the total
        let tree = try store.read { db in try Store.areaTree(db) }
        let preorder = tree.preorder(from: [tree.index(of: "D")!]).map { tree.nodes[$0.index].code }
        #expect(big.rows.dropLast().map(\.code) == preorder)
        var byCode: [String: CoverageReport.Row] = [:]
        for row in big.rows.dropLast() { byCode[row.code] = row }
        for c in stride(from: 1, through: 150, by: 7) {
            var small = options
            small.under = "C\(c)"
            for row in try await store.coverageReport(campaign: Self.campaign, options: small).rows.dropLast() {
                let same = try #require(byCode[row.code])
                #expect(same.value == row.value && same.denominator == row.denominator && same.coverage == row.coverage
                        && same.status == row.status && same.name == row.name, "\(row.code)")
            }
        }
        // Behind only and other orders, built in two halves too: the same rows, filtered or reordered.
        var behind = options
        behind.behindOnly = true
        let behindRows = try await store.coverageReport(campaign: Self.campaign, options: behind).rows
        #expect(Array(behindRows.dropLast()) == big.rows.dropLast().filter { $0.status == .behind || $0.status == .noData })
        #expect(behindRows.count(where: { $0.status == .behind }) > 1000)
        #expect(behindRows.contains { $0.status == .noData })
        #expect(behindRows.last == big.rows.last)
        var byCoverage = options
        byCoverage.sort = .coverage
        let sorted = try await store.coverageReport(campaign: Self.campaign, options: byCoverage).rows
        #expect(Set(sorted.dropLast().map(\.code)) == Set(big.rows.dropLast().map(\.code)))
        #expect(sorted.last?.isTotal == true)
        let coverages = sorted.dropLast().compactMap(\.coverage)
        #expect(coverages == coverages.sorted())
    }
}
