import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// Metrics a campaign declares (`metrics:`), logged in sessions like the built-in ones: imported
/// into `session_metric`, kept in `area_month_metric`, counted by coverage.
@Suite("Campaign metrics: imported, logged, kept in running totals and counted in coverage")
struct CampaignMetricsTests {
    static let today = Day(parsing: "2026-12-31")!
    static let declared = ["dvc_submitted", "home_visits"]

    /// A commune of three hamlets and a second commune of one.
    static func small() throws -> Store {
        let store = try Store.inMemory()
        _ = try store.importAreas([
            AreaRow(line: 2, code: "16282", name: "Xã Tân Phúc", level: .commune),
            AreaRow(line: 3, code: "16282-01", name: "Thôn 1", level: .hamlet, parentCode: "16282"),
            AreaRow(line: 4, code: "16282-02", name: "Thôn 2", level: .hamlet, parentCode: "16282"),
            AreaRow(line: 5, code: "16282-03", name: "Thôn 3", level: .hamlet, parentCode: "16282"),
            AreaRow(line: 6, code: "16285", name: "Xã Tân Thọ", level: .commune),
            AreaRow(line: 7, code: "16285-01", name: "Thôn Đông", level: .hamlet, parentCode: "16285"),
        ], file: "areas.csv", on: Day(parsing: "2026-01-01")!)
        return store
    }

    /// Writes `text` to a temporary file and returns its path.
    static func file(_ text: String, bom: Bool = false) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("campaign-metrics-\(UUID().uuidString).csv")
        try Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)).write(to: url)
        return url.path
    }

    @discardableResult
    static func importText(_ store: Store, _ text: String, bom: Bool = false,
                           metrics: [String] = declared) throws -> SessionImportSummary {
        let path = try file(text, bom: bom)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try store.importSessions(file: path, name: "sessions.csv", today: today, campaignMetrics: metrics)
    }

    /// Counts per session id and metric, from `session_metric`.
    static func counts(_ store: Store) throws -> [String: [String: Int]] {
        try store.read { db in
            var out: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT s.uuid, m.metric, m.value FROM session_metric m JOIN session s ON s.id = m.session_id") {
                out[SessionID.format(Array(row[0] as Data)), default: [:]][row[1]] = row[2]
            }
            return out
        }
    }

    /// `area_month_metric` as `area code|month|metric` → value.
    static func monthly(_ store: Store) throws -> [String: Int] {
        try store.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT a.code, t.month, t.metric, t.value FROM area_month_metric t JOIN area a ON a.id = t.area_id
                """) {
                out["\(row[0] as String)|\(Store.monthText(row[1]))|\(row[2] as String)"] = row[3]
            }
            return out
        }
    }

    static let id1 = "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a71"
    static let id2 = "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a72"
    static let id3 = "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a73"

    /// Three sessions: a grouped count, an empty cell (not recorded) and a 0.
    static let semicolons = """
        id;date;area;eid_l2;DVC_Submitted;notes
        \(id1);03/11/2026;16282-01;5;1.010;Họp thôn
        \(id2);04/11/2026;16282-02;3;;
        \(id3);05/11/2026;16282-03;;0;
        """

    @Test("a declared metric column is imported, with ; and a byte-order mark: empty is no row, 0 is a row",
          arguments: [false, true])
    func imported(bom: Bool) throws {
        let store = try Self.small()
        let summary = try Self.importText(store, Self.semicolons, bom: bom)
        #expect(summary.imported == 3)
        #expect(try Self.counts(store) == [Self.id1: ["dvc_submitted": 1010], Self.id3: ["dvc_submitted": 0]])
        #expect(try Self.monthly(store) == ["16282-01|2026-11|dvc_submitted": 1010, "16282-03|2026-11|dvc_submitted": 0])
        let listed = try store.sessions(SessionQuery())
        #expect(listed.map(\.metrics) == [["eid_l2": 5, "dvc_submitted": 1010], ["eid_l2": 3], ["dvc_submitted": 0]])
        #expect(try store.check().passed)
    }

    @Test("the first import (indexes built after the load) and a later one write the same counts and totals")
    func bulkAndIncremental() throws {
        let lines = Self.semicolons.split(separator: "\n").map(String.init)
        let whole = try Self.small()
        try Self.importText(whole, lines.joined(separator: "\n"))
        let split = try Self.small()
        try Self.importText(split, lines.prefix(2).joined(separator: "\n"))
        try Self.importText(split, ([lines[0]] + lines.dropFirst(2)).joined(separator: "\n"))
        #expect(try Self.counts(split) == Self.counts(whole))
        #expect(try Self.monthly(split) == Self.monthly(whole))
        #expect(try split.check().passed)
    }

    @Test("an unknown column lists the accepted names with the declared metrics, and says where campaign metrics come from")
    func unknownColumn() throws {
        let store = try Self.small()
        #expect(throws: ImportRejected(file: "sessions.csv", problems: [Diagnostic(file: "sessions.csv", line: 1, Phrase(
            "csv.error.unknown_column.metrics", ["name": "dvc_submited", "position": "3", "accepted":
                "date, area, id, team, logged_by, eid_l2, bank_account, ewallet, leaflets, dvc_guided, households_visited, people_reached, smartphone_setup, dvc_submitted, home_visits, notes"]))])) {
            try Self.importText(store, "date,area,dvc_submited\n2026-11-03,16282-01,4")
        }
        let error = try #require(throws: ImportRejected.self) {
            try Self.importText(store, "date,area,dvc_submitted\n2026-11-03,16282-01,4", metrics: [])
        }
        #expect(error.problems.first?.text == "unknown column \"dvc_submitted\" (column 3). Accepted columns: date, area, id, team, logged_by, eid_l2, bank_account, ewallet, leaflets, dvc_guided, households_visited, people_reached, smartphone_setup, notes. A campaign's own metric is accepted once a campaign file of the campaigns folder (--campaigns) declares it under `metrics:`.")
        #expect(try Self.counts(store).isEmpty)
    }

    @Test("declared counts follow the integer rules of the built-in ones", arguments: [
        ("1,5", "not a whole number"), ("-3", "negative"), ("abc", "is not a number"),
    ])
    func badCount(text: String, says: String) throws {
        let store = try Self.small()
        let error = try #require(throws: ImportRejected.self) {
            try Self.importText(store, "date,area,eid_l2,home_visits\n2026-11-03,16282-01,1,2\n2026-11-04,16282-02,1,\"\(text)\"")
        }
        #expect(error.problems.count == 1)
        #expect(error.problems.first?.line == 3)
        #expect(error.problems.first?.column == "home_visits")
        #expect(error.problems.first?.text.contains(says) == true, "\(error.problems.first?.text ?? "")")
        #expect(try BundleLab.count(store, "session") == 0)
    }

    @Test("re-importing the same sessions counts nothing twice; other figures of a declared metric are a conflict")
    func reimport() throws {
        let store = try Self.small()
        try Self.importText(store, Self.semicolons)
        // The same rows in another file (another content hash): already present.
        let again = try Self.importText(store, Self.semicolons + "\n")
        #expect(again.imported == 0 && again.alreadyPresent == 3)
        for (changed, line) in [(Self.semicolons.replacingOccurrences(of: "1.010", with: "1.011"), 2),
                                (Self.semicolons.replacingOccurrences(of: "5;1.010", with: "5;"), 2),
                                (Self.semicolons.replacingOccurrences(of: "02;3;;", with: "02;3;0;"), 3),
                                ("id,date,area,eid_l2\n\(Self.id1),2026-11-03,16282-01,5", 2)] {
            let error = try #require(throws: ImportRejected.self) { try Self.importText(store, changed) }
            #expect(error.problems.map(\.line) == [line], "\(changed)")
            #expect(error.problems.first?.phrase?.key == "sessions.error.conflict")
        }
        #expect(try Self.monthly(store) == ["16282-01|2026-11|dvc_submitted": 1010, "16282-03|2026-11|dvc_submitted": 0])
    }

    @Test("log records declared counts, refuses undeclared ones, and void takes them out of the totals")
    func logAndVoid() throws {
        let store = try Self.small()
        let logged = try store.logSession(NewSession(day: Day(parsing: "2026-11-06")!, area: "16282-02",
                                                     campaignCounts: ["home_visits": 14]),
                                          today: Self.today, campaignMetrics: Self.declared)
        #expect(try Self.monthly(store) == ["16282-02|2026-11|home_visits": 14])
        #expect(throws: SessionError.unknownMetric("home_visit", accepted: Self.declared)) {
            try store.logSession(NewSession(day: Self.today, area: "16282-02", campaignCounts: ["home_visit": 1]),
                                 today: Self.today, campaignMetrics: Self.declared)
        }
        #expect(throws: SessionError.unknownMetric("home_visits", accepted: [])) {
            try store.logSession(NewSession(day: Self.today, area: "16282-02", campaignCounts: ["home_visits": 1]), today: Self.today)
        }
        let second = try store.logSession(NewSession(day: Day(parsing: "2026-11-20")!, area: "16282-02",
                                                     campaignCounts: ["home_visits": 6]),
                                          today: Self.today, campaignMetrics: Self.declared)
        #expect(try Self.monthly(store) == ["16282-02|2026-11|home_visits": 20])
        try store.voidSession(logged.id, reason: "counted twice", on: Self.today)
        #expect(try Self.monthly(store) == ["16282-02|2026-11|home_visits": 6])
        // A correction replaces it in one step.
        _ = try store.logSession(NewSession(day: Day(parsing: "2026-11-20")!, area: "16282-02", campaignCounts: ["home_visits": 5]),
                                 today: Self.today, replacing: second.id, reason: "wrong count", campaignMetrics: Self.declared)
        #expect(try Self.monthly(store) == ["16282-02|2026-11|home_visits": 5])
        try store.voidSession(try store.sessions(SessionQuery()).last!.id, reason: "wrong hamlet", on: Self.today)
        #expect(try Self.monthly(store).isEmpty)
        #expect(try store.check().passed)
    }

    @Test("migration v5 builds the totals of counts a merge brought in before it")
    func migration() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v4 bundles: revision stamps, merge history, allowed negative stock")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO area (id, code, name, level, search_key) VALUES (1, 'h', 'Thôn', 'hamlet', 'thon');
                INSERT INTO session (id, uuid, day, area_id) VALUES (1, randomblob(16), 20396, 1), (2, randomblob(16), 20431, 1),
                    (3, randomblob(16), 20397, 1);
                INSERT INTO session_void (session_id, day, reason) VALUES (3, 20400, 'x');
                INSERT INTO session_metric (session_id, metric, value) VALUES (1, 'dvc_submitted', 4), (2, 'dvc_submitted', 0),
                    (3, 'dvc_submitted', 9);
                """)
        }
        try Schema.migrator.migrate(queue)
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT metric, month, area_id, value FROM area_month_metric ORDER BY month").map { "\($0)" }
        }
        #expect(rows == ["[metric:\"dvc_submitted\" month:670 area_id:1 value:4]",
                         "[metric:\"dvc_submitted\" month:671 area_id:1 value:0]"])
        #expect(Day(parsing: "2025-11-04")!.number == 20396 && Day(parsing: "2025-12-09")!.number == 20431)
        #expect(Day(number: 20396).monthIndex == 670 && Day(number: 20431).monthIndex == 671)
    }

    // MARK: Coverage

    /// A district of communes and hamlets with random sessions, some counts of the declared
    /// metrics empty, some 0, and some sessions voided.
    static func district(sessions: Int, seed: UInt64) throws -> Store {
        let store = try Store.inMemory()
        var rows = [AreaRow(line: 2, code: "D", name: "Huyện Thử", level: .district)]
        for c in 1...3 {
            rows.append(AreaRow(line: rows.count + 2, code: "C\(c)", name: "Xã \(c)", level: .commune, parentCode: "D"))
            for h in 1...4 {
                rows.append(AreaRow(line: rows.count + 2, code: "C\(c)-\(h)", name: "Thôn \(h)", level: .hamlet, parentCode: "C\(c)",
                                    attributes: AreaAttributes(households: 100 + 10 * h)))
            }
        }
        _ = try store.importAreas(rows, file: "areas.csv", on: Day(parsing: "2025-01-01")!)
        var random = SeededRandom(seed: seed)
        func next(_ n: Int) -> Int { random.int(0...n - 1) }
        var text = "date,area,eid_l2,home_visits,dvc_submitted\n"
        let first = Day(parsing: "2026-01-10")!
        for _ in 0..<sessions {
            // Hamlet 4 of each commune never records home_visits: "no data" there, not 0.
            let h = 1 + next(4)
            let visits = h == 4 || next(3) == 0 ? "" : String(next(8))
            let dossiers = next(2) == 0 ? "" : String(next(5))
            text += "\(first.adding(days: next(200)).iso),C\(1 + next(3))-\(h),\(next(4)),\(visits),\(dossiers)\n"
        }
        try importText(store, text)
        for entry in try store.sessions(SessionQuery()) where entry.date.number % 5 == 0 {
            try store.voidSession(entry.id, reason: "nhập trùng", on: Day(parsing: "2026-08-01")!)
        }
        return store
    }

    static let campaign = Campaign(
        id: "tcns", name: "Tổ công nghệ số", scope: "D", start: Day(parsing: "2026-02-15")!, end: Day(parsing: "2026-12-31")!,
        indicators: [
            Indicator(id: "visits", label: "Hộ được thăm", numerator: ["home_visits"], denominator: "households", target: .share(0.5)),
            Indicator(id: "mixed", label: "Hồ sơ và VNeID", numerator: ["dvc_submitted", "eid_l2"], denominator: nil, target: .count(300)),
        ],
        extraMetrics: declared)

    /// Each hamlet's sum of `metrics` over its live sessions dated from the campaign's start to
    /// `asOf`, nil where none recorded any; communes and the district sum their hamlets.
    static func bruteForce(_ store: Store, _ metrics: [String], asOf: Day) throws -> [String: Int?] {
        let perHamlet: [String: Int] = try store.read { db in
            var out: [String: Int] = [:]
            for code in metrics {
                let sql = Metric(code: code) != nil
                    ? "SELECT a.code, sum(s.\(code)) FROM session s JOIN area a ON a.id = s.area_id WHERE s.\(code) IS NOT NULL"
                    : "SELECT a.code, sum(m.value) FROM session s JOIN area a ON a.id = s.area_id JOIN session_metric m ON m.session_id = s.id AND m.metric = '\(code)' WHERE 1"
                for row in try Row.fetchAll(db, sql: sql + """
                     AND s.day BETWEEN ? AND ? AND s.id NOT IN (SELECT session_id FROM session_void) GROUP BY a.code
                    """, arguments: [campaign.start.number, asOf.number]) {
                    out[row[0], default: 0] += row[1] as Int
                }
            }
            return out
        }
        var out: [String: Int?] = [:]
        func add(_ code: String, _ value: Int?) {
            guard let value else { if out[code] == nil { out[code] = .some(nil) }; return }
            out[code] = .some(((out[code] ?? nil) ?? 0) + value)
        }
        for c in 1...3 {
            for h in 1...4 {
                let value = perHamlet["C\(c)-\(h)"]
                add("C\(c)-\(h)", value)
                add("C\(c)", value)
                add("D", value)
            }
        }
        return out
    }

    @Test("coverage of declared metrics equals the sums over the hamlets' live sessions, rolled up, as of any day, under any area",
          arguments: [UInt64(3), 4])
    func coverage(seed: UInt64) async throws {
        let store = try Self.district(sessions: 500, seed: seed)
        for asOf in ["2026-02-14", "2026-02-15", "2026-03-31", "2026-05-17", "2026-07-01", "2026-07-28", "2026-08-31", "2026-12-31"] {
            let day = Day(parsing: asOf)!
            for under in [nil, "C2"] as [String?] {
                let report = try await store.coverageReport(campaign: Self.campaign, options: .init(asOf: day, under: under))
                for (indicator, metrics) in [("visits", ["home_visits"]), ("mixed", ["dvc_submitted", "eid_l2"])] {
                    let expected = try Self.bruteForce(store, metrics, asOf: day)
                    let rows = report.rows.filter { $0.indicator == indicator && !$0.isTotal }
                    #expect(rows.count == (under == nil ? 16 : 5))
                    for row in rows {
                        let want: Int? = day < Self.campaign.start ? nil : (expected[row.code] ?? nil)
                        #expect(row.value == want, "\(indicator) \(row.code) as of \(asOf) under \(under ?? "-")")
                    }
                }
            }
        }
        // Hamlets whose sessions never recorded home_visits are "no data", not 0.
        let report = try await store.coverageReport(campaign: Self.campaign, options: .init(asOf: Self.today, indicator: "visits"))
        let fourth = report.rows.filter { $0.code.hasSuffix("-4") }
        #expect(fourth.count == 3 && fourth.allSatisfy { $0.value == nil && $0.status == .noData })
        #expect(report.rows.contains { $0.code == "C1-1" && $0.value != nil })
    }

    @Test("a session voided, or logged later, changes coverage of a declared metric at once")
    func coverageFollowsWrites() async throws {
        let store = try Self.small()
        try Self.importText(store, Self.semicolons)
        let campaign = Campaign(id: "x", name: "X", scope: "16282", start: Day(parsing: "2026-11-01")!, end: Day(parsing: "2026-12-31")!,
                                indicators: [Indicator(id: "dvc", label: "Hồ sơ", numerator: ["dvc_submitted"], denominator: nil,
                                                       target: .count(2000))],
                                extraMetrics: ["dvc_submitted"])
        /// Values of 16282, 16282-01, 16282-02 and 16282-03, in tree order.
        func values(_ asOf: String) async throws -> [Int?] {
            try await store.coverageReport(campaign: campaign, options: .init(asOf: Day(parsing: asOf)!)).rows.filter { !$0.isTotal }.map(\.value)
        }
        #expect(try await values("2026-11-22") == [1010, 1010, nil, 0])
        // As of a past day in the middle of the month.
        #expect(try await values("2026-11-04") == [1010, 1010, nil, nil])
        try store.voidSession(Self.id1, reason: "counted twice", on: Self.today)
        #expect(try await values("2026-11-22") == [0, nil, nil, 0])
        _ = try store.logSession(NewSession(day: Day(parsing: "2026-12-02")!, area: "16282-02", campaignCounts: ["dvc_submitted": 12]),
                                 today: Self.today, campaignMetrics: ["dvc_submitted"])
        #expect(try await values("2026-12-31") == [12, nil, 12, 0])
        #expect(try await values("2026-12-01") == [0, nil, nil, 0])
    }

    // MARK: Check and merge

    @Test("check finds spoiled totals of campaign metrics, and --repair rebuilds them", arguments: [
        "UPDATE area_month_metric SET value = value + 1 WHERE value > 0",
        "DELETE FROM area_month_metric WHERE area_id = (SELECT id FROM area WHERE code = '16282-03')",
        "INSERT INTO area_month_metric (metric, month, area_id, value) SELECT 'home_visits', 682, id, 3 FROM area WHERE code = '16282-02'",
    ])
    func check(sql: String) throws {
        let store = try Self.small()
        try Self.importText(store, Self.semicolons)
        #expect(try store.check().passed)
        try store.writer.writeWithoutTransaction { try $0.execute(sql: sql) }
        let check = try store.check()
        let item = try #require(check.items.first { $0.name == "campaign metric totals" })
        #expect(item.status == .problem)
        #expect(item.detail.hasPrefix("area_month_metric does not match the live sessions in 1 row (area 16282-0"))
        #expect(check.repairable)
        _ = try store.repair()
        #expect(try store.check().passed)
        #expect(try Self.monthly(store) == ["16282-01|2026-11|dvc_submitted": 1010, "16282-03|2026-11|dvc_submitted": 0])
    }

    @Test("a merge carries declared counts into the totals and coverage; merged again, nothing changes")
    func merge() async throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let source = try Self.small()
        try Self.importText(source, Self.semicolons)
        _ = try source.logSession(NewSession(day: Day(parsing: "2026-11-07")!, area: "16282-02", campaignCounts: ["dvc_submitted": 30]),
                                  today: Self.today, campaignMetrics: Self.declared)
        try source.voidSession(Self.id3, reason: "wrong hamlet", on: Self.today)
        let target = try Self.small()
        // The target already counts one of the source's sessions, and one of its own.
        try Self.importText(target, Self.semicolons.split(separator: "\n").prefix(2).joined(separator: "\n"))
        _ = try target.logSession(NewSession(day: Day(parsing: "2026-11-08")!, area: "16282-01", campaignCounts: ["dvc_submitted": 2]),
                                  today: Self.today, campaignMetrics: Self.declared)
        let bundle = try lab.export(source, "s.bundle")
        let summary = try BundleLab.merge(bundle, into: target)
        #expect(summary.sessionMetrics.new == 2 && summary.sessionMetrics.present == 1)
        #expect(try Self.monthly(target) == ["16282-01|2026-11|dvc_submitted": 1012, "16282-02|2026-11|dvc_submitted": 30])
        #expect(try target.check().passed)
        let campaign = Campaign(id: "x", name: "X", scope: "16282", start: Day(parsing: "2026-11-01")!, end: Day(parsing: "2026-12-31")!,
                                indicators: [Indicator(id: "dvc", label: "Hồ sơ", numerator: ["dvc_submitted"], denominator: nil,
                                                       target: .count(2000))],
                                extraMetrics: ["dvc_submitted"])
        let report = try await target.coverageReport(campaign: campaign, options: .init(asOf: Self.today))
        #expect(report.rows.map(\.value) == [1042, 1012, 30, nil, 1042])
        try BundleLab.merge(bundle, into: target)
        #expect(try Self.monthly(target) == ["16282-01|2026-11|dvc_submitted": 1012, "16282-02|2026-11|dvc_submitted": 30])
        // Into an empty workspace, the merged totals equal the source's.
        let copy = try Store.inMemory()
        try BundleLab.merge(bundle, into: copy)
        #expect(try Self.monthly(copy) == Self.monthly(source))
        #expect(try copy.check().passed)
    }
}
