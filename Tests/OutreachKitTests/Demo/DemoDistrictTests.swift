import Foundation
import Testing
@testable import OutreachKit

@Suite("Demo district")
struct DemoDistrictTests {
    static func district(today: Day = Day(year: 2026, month: 11, day: 20)!, seed: UInt64 = 2026) throws -> DemoDistrict {
        let tree = try AreaFile.read(try CSVReader(path: DemoFiles.tree))
        return DemoDistrict(tree: tree, period: Day(year: 2026, month: 1, day: 1)!...Day(year: 2026, month: 12, day: 31)!,
                            quarterStart: Day(year: 2026, month: 10, day: 1)!, today: today, seed: seed)
    }

    /// The data rows of a CSV text (the header is read apart).
    static func rows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        try CSVReader(bytes: Array(text.utf8), name: "demo.csv").forEachRecord { r in rows.append((0..<r.count).map { r.string($0) ?? "" }) }
        return rows
    }

    @Test("it is shaped like Nông Cống's reports: 201 villages, 319 and 1,010 Project 06 members, a volunteer team per commune, 6,000 leaflets")
    func shape() throws {
        let demo = try Self.district()
        #expect(demo.figures.communes == 29)
        #expect(demo.figures.hamlets == 201)
        #expect(try Self.rows(demo.hamlets).count == 201)
        let teams = try Self.rows(demo.teams)
        #expect(teams.filter { $0[2] == "project06" }.count == 29 + 201)
        #expect(teams.filter { $0[2] == "volunteer" }.count == 29)
        let members = try Self.rows(demo.members)
        let communeTeams = Set(teams.filter { $0[2] == "project06" && !$0[3].contains("-") }.map { $0[0] })
        let villageTeams = Set(teams.filter { $0[2] == "project06" && $0[3].contains("-") }.map { $0[0] })
        #expect(members.filter { communeTeams.contains($0[0]) }.count == 319)
        #expect(members.filter { villageTeams.contains($0[0]) }.count == 1010)
        #expect(members.filter { $0[2] == "leader" }.count == teams.count)
        let received = demo.leafletMoves.filter(\.isReceipt)
        #expect(received.map(\.quantity) == [6000] && received[0].to == DemoDistrict.districtCode)
    }

    @Test("its sessions stay in the period up to today, hand out no more leaflets than a village was given, and some villages are quiet")
    func sessions() throws {
        let today = Day(year: 2026, month: 11, day: 20)!
        let demo = try Self.district(today: today)
        let rows = try Self.rows(demo.sessions)
        #expect(rows.count > 3000 && rows.count < 8000)
        let days = rows.map { Day(parsing: $0[0])! }
        #expect(days.min()! >= Day(year: 2026, month: 1, day: 1)! && days.max()! <= today)
        var given: [String: Int] = [:]
        for move in demo.leafletMoves where !move.isReceipt { given[move.to, default: 0] += move.quantity }
        var handed: [String: Int] = [:]
        var last: [String: Day] = [:]
        for (row, day) in zip(rows, days) {
            handed[row[1], default: 0] += Int(row[7]) ?? 0
            last[row[1]] = max(last[row[1]] ?? day, day)
        }
        #expect(handed.allSatisfy { $0.value <= given[$0.key] ?? 0 })
        let quiet = last.values.filter { today.number - $0.number >= DistrictReport.quietDays }.count
        #expect(last.count == 199)  // two villages never log
        #expect(quiet > 0 && quiet < 30)
    }

    @Test("the same seed gives the same district; another seed another one")
    func deterministic() throws {
        let a = try Self.district(), b = try Self.district(), c = try Self.district(seed: 7)
        #expect(a.sessions == b.sessions && a.members == b.members && a.leafletMoves == b.leafletMoves)
        #expect(a.sessions != c.sessions)
    }
}
