import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// Totals per area computed the slow way, straight from the live sessions.
private func bruteForce(_ store: Store, from: Day, to: Day) throws -> [Int64: AreaTotals] {
    try store.read { db in
        var out: [Int64: AreaTotals] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT s.area_id, count(*), max(s.day), \(Metric.allCases.map { "sum(s.\($0.code))" }.joined(separator: ", "))
            FROM session s WHERE s.day BETWEEN ? AND ?
              AND s.id NOT IN (SELECT session_id FROM session_void) GROUP BY s.area_id
            """, arguments: [from.number, to.number]) {
            var metrics = MetricValues()
            for i in 0..<MetricValues.width { metrics.values[i] = row[3 + i] }
            out[row[0]] = AreaTotals(sessions: row[1], metrics: metrics, lastDay: Day(number: row[2]))
        }
        return out
    }
}

private func workspace(sessions: Int, seed: UInt64) throws -> (Store, String) {
    let store = try Store.inMemory()
    var rows = [AreaRow(line: 2, code: "1", name: "Xã A", level: .commune)]
    for h in 1...6 { rows.append(AreaRow(line: 2 + h, code: "1-\(h)", name: "Thôn \(h)", level: .hamlet, parentCode: "1")) }
    _ = try store.importAreas(rows, file: "areas.csv", on: Day(parsing: "2026-01-01")!)
    var rng = seed
    func next(_ n: Int) -> Int {
        rng = rng &* 6364136223846793005 &+ 1442695040888963407
        return Int((rng >> 33) % UInt64(n))
    }
    var text = "date,area,eid_l2,leaflets\n"
    let first = Day(parsing: "2025-10-01")!
    for _ in 0..<sessions {
        let day = first.adding(days: next(300))
        let leaflets = next(3) == 0 ? "" : String(next(50))
        text += "\(day.iso),1-\(1 + next(6)),\(next(10)),\(leaflets)\n"
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("period-\(UUID().uuidString).csv")
    try Data(text.utf8).write(to: url)
    return (store, url.path)
}

@Suite("Campaign period totals")
struct PeriodTotalsTests {
    @Test("equal the live sessions of the period, as of any day, whether registered before or after the writes",
          arguments: [UInt64(1), 2, 3])
    func matchBruteForce(seed: UInt64) throws {
        let (store, file) = try workspace(sessions: 400, seed: seed)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let start = Day(parsing: "2025-11-15")!, end = Day(parsing: "2026-05-20")!
        // Registered before part of the data arrives: later writes must keep it current.
        _ = try store.periodTotals(start: start, end: end, asOf: end)
        _ = try store.importSessions(file: file, today: Day(parsing: "2026-12-31")!)
        let live = try store.sessions(SessionQuery())
        for entry in live.prefix(40) where entry.date.number % 3 == 0 {
            try store.voidSession(entry.id, reason: "test", on: Day(parsing: "2026-07-01")!)
        }
        _ = try store.logSession(NewSession(day: Day(parsing: "2026-02-10")!, area: "1-2", metrics: MetricValues([.eidL2: 7])),
                                 today: Day(parsing: "2026-12-31")!)
        for asOf in ["2025-11-14", "2025-11-15", "2025-11-30", "2025-12-31", "2026-01-01", "2026-03-17", "2026-05-19", "2026-05-20", "2026-12-31"] {
            let day = Day(parsing: asOf)!
            let expected = day < start ? [:] : try bruteForce(store, from: start, to: min(day, end))
            #expect(try store.periodTotals(start: start, end: end, asOf: day) == expected, "as of \(asOf)")
        }
        // A second period registered after the writes is built from the sessions.
        let other = try store.periodTotals(start: Day(parsing: "2025-10-03")!, end: Day(parsing: "2026-02-28")!, asOf: Day(parsing: "2026-12-31")!)
        #expect(other == (try bruteForce(store, from: Day(parsing: "2025-10-03")!, to: Day(parsing: "2026-02-28")!)))
        #expect(!other.isEmpty)
    }

    @Test("keep 'not recorded' apart from 0")
    func notRecorded() throws {
        let (store, file) = try workspace(sessions: 0, seed: 1)
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = try store.logSession(NewSession(day: Day(parsing: "2026-02-10")!, area: "1-2", metrics: MetricValues([.eidL2: 0])),
                                 today: Day(parsing: "2026-12-31")!)
        let totals = try store.periodTotals(start: Day(parsing: "2026-01-01")!, end: Day(parsing: "2026-12-31")!,
                                            asOf: Day(parsing: "2026-06-30")!)
        #expect(totals.count == 1)
        #expect(totals.values.first?.metrics[.eidL2] == 0)
        #expect(totals.values.first?.metrics[.leaflets] == nil)
    }

    @Test("subtracting the later months gives the totals of counting forward, 'not recorded' included",
          arguments: [UInt64(4), 5])
    func subtractionMatchesForward(seed: UInt64) throws {
        let (store, file) = try workspace(sessions: 300, seed: seed)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let today = Day(parsing: "2026-12-31")!
        _ = try store.importSessions(file: file, today: today)
        // Thôn 5 records no leaflets before 2026-06-20 (only blanks and a 0 eid), then some after;
        // Thôn 6 records 0 leaflets before and some after: both sum to 0 before the day.
        let probes: [(String, String, MetricValues)] = [
            ("2026-06-01", "1-5", MetricValues([.eidL2: 0])), ("2026-07-03", "1-5", MetricValues([.leaflets: 5])),
            ("2026-06-02", "1-6", MetricValues([.leaflets: 0])), ("2026-07-04", "1-6", MetricValues([.leaflets: 4])),
        ]
        let probeStore = try Store.inMemory()
        for target in [store, probeStore] {
            if target !== store {
                var rows = [AreaRow(line: 2, code: "1", name: "Xã A", level: .commune)]
                for h in 1...6 { rows.append(AreaRow(line: 2 + h, code: "1-\(h)", name: "Thôn \(h)", level: .hamlet, parentCode: "1")) }
                _ = try target.importAreas(rows, file: "areas.csv", on: Day(parsing: "2026-01-01")!)
            }
            for (day, area, metrics) in probes {
                _ = try target.logSession(NewSession(day: Day(parsing: day)!, area: area, metrics: metrics), today: today)
            }
        }
        let start = Day(parsing: "2025-10-01")!, end = Day(parsing: "2026-12-31")!
        for target in [store, probeStore] {
            _ = try target.periodTotals(start: start, end: end, asOf: end)
            for asOf in ["2026-06-20", "2026-07-03", "2026-05-31", "2026-07-31", "2026-02-14"] {
                let day = Day(parsing: asOf)!
                var expected = try bruteForce(target, from: start, to: day)
                for key in expected.keys { expected[key]!.lastDay = nil }
                let subtracted = try #require(try target.periodTotals(start: start, end: end, asOf: day, metrics: Metric.allCases,
                                                                      areas: nil, subtracting: true))
                var got = subtracted.dictionary()
                for key in got.keys { got[key]!.lastDay = nil }
                #expect(got == expected, "as of \(asOf)")
            }
        }
        let probe = try #require(try probeStore.periodTotals(start: start, end: end, asOf: Day(parsing: "2026-06-20")!,
                                                             metrics: [.leaflets], areas: nil, subtracting: true)).dictionary()
        let ids = try probeStore.read { db in try [String: Int64](uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT code, id FROM area").map { ($0[0], $0[1]) }) }
        #expect(probe[ids["1-5"]!]?.metrics[.leaflets] == nil)
        #expect(probe[ids["1-6"]!]?.metrics[.leaflets] == 0)
    }
}
