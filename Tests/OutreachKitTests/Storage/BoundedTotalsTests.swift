import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// The running totals an import builds in memory are written out whenever `limit` buckets are
/// held (memory stays bounded at national scale): written in many parts, they must add up to
/// the same rows as written at once.
@Suite("Running totals written out in bounded parts")
struct BoundedTotalsTests {
    /// The three total tables, as sorted text rows.
    static func snapshot(_ db: Database) throws -> [String] {
        let codes = Metric.allCases.map { "coalesce(\($0.code), 'null')" }.joined(separator: " || ',' || ")
        return try String.fetchAll(db, sql: """
            SELECT 'm,' || month || ',' || area_id || ',' || sessions || ',' || \(codes) || ',' || last_day FROM area_month
            UNION ALL SELECT 'p,' || period_id || ',' || area_id || ',' || sessions || ',' || \(codes) || ',' || last_day FROM period_total
            UNION ALL SELECT 'c,' || metric || ',' || month || ',' || area_id || ',' || value FROM area_month_metric
            ORDER BY 1
            """)
    }

    @Test("a limit of a few buckets gives the totals of one write, 'not recorded' and campaign metrics included",
          arguments: [1, 3, 7])
    func smallLimit(limit: Int) throws {
        let store = try CampaignMetricsTests.small()
        let today = CampaignMetricsTests.today
        // Two registered periods that overlap, so a session counts in several buckets at once.
        _ = try store.periodTotals(start: Day(parsing: "2026-01-01")!, end: Day(parsing: "2026-12-31")!, asOf: today)
        _ = try store.periodTotals(start: Day(parsing: "2026-05-10")!, end: Day(parsing: "2026-08-20")!, asOf: today)
        var rng: UInt64 = 12_345
        func next(_ n: Int) -> Int {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Int((rng >> 33) % UInt64(n))
        }
        let hamlets = ["16282-01", "16282-02", "16282-03", "16285-01"]
        var text = "date,area,eid_l2,leaflets,dvc_submitted\n"
        for _ in 0..<400 {
            let day = Day(parsing: "2026-01-01")!.adding(days: next(365))
            let leaflets = next(3) == 0 ? "" : String(next(40))
            let dvc = next(2) == 0 ? "" : String(next(5))
            text += "\(day.iso),\(hamlets[next(4)]),\(next(9)),\(leaflets),\(dvc)\n"
        }
        #expect(try CampaignMetricsTests.importText(store, text).imported == 400)
        let once = try store.read(Self.snapshot)
        #expect(once.count > 40)

        // The same totals again, from the stored sessions, through buckets of `limit`.
        var flushes = 0
        let again = try store.write { db -> [String] in
            try db.execute(sql: "DELETE FROM area_month; DELETE FROM period_total; DELETE FROM area_month_metric")
            var buckets = MonthBuckets(periods: try PeriodRange.all(db), limit: limit)
            let codes = Metric.allCases.map(\.code).joined(separator: ", ")
            for row in try Row.fetchAll(db, sql: """
                SELECT s.id, s.area_id, s.day, \(codes) FROM session s ORDER BY s.id
                """) {
                var values = [Int](repeating: 0, count: MonthBuckets.width)
                var recorded = [Bool](repeating: false, count: MonthBuckets.width)
                for i in 0..<MonthBuckets.width {
                    if let v: Int = row[3 + i] { values[i] = v; recorded[i] = true }
                }
                buckets.add(area: row[1], day: row[2], values: values, recorded: recorded)
                let counts = try [String: Int](uniqueKeysWithValues: Row.fetchAll(
                    db, sql: "SELECT metric, value FROM session_metric WHERE session_id = ?", arguments: [row[0] as Int64]
                ).map { ($0[0], $0[1]) })
                buckets.add(metrics: counts, area: row[1], day: row[2])
                if buckets.isFull {
                    try buckets.flush(db)
                    flushes += 1
                }
            }
            try buckets.flush(db)
            return try Self.snapshot(db)
        }
        #expect(flushes > 40)
        #expect(again == once)
        #expect(try store.check().passed)
    }
}
