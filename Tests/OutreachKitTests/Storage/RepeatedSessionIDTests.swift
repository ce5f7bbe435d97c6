import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// One rule for an id on two rows of one sessions file, whether the import is a first one
/// (loaded without the unique index) or goes into a workspace that has sessions.
@Suite("A session id on two rows of one file is an error on both import paths")
struct RepeatedSessionIDTests {
    typealias Metrics = CampaignMetricsTests

    /// A workspace with the small tree, empty (`bulk`) or with one session already.
    static func workspace(bulk: Bool) throws -> Store {
        let store = try Metrics.small()
        if !bulk {
            _ = try store.logSession(NewSession(day: Day(parsing: "2026-10-01")!, area: "16285-01", metrics: MetricValues([.eidL2: 1])),
                                     today: Metrics.today)
        }
        return store
    }

    static func repeated(_ id: String, first: Int, line: Int) -> Diagnostic {
        Diagnostic(file: "sessions.csv", line: line, column: "id",
                   Phrase("sessions.error.repeated_id", ["id": id, "first": String(first), "line": String(line)]))
    }

    @Test("the same row twice, or the same id with other figures, names both lines; nothing is imported", arguments: [true, false])
    func repeatedID(bulk: Bool) throws {
        let store = try Self.workspace(bulk: bulk)
        let before = try BundleLab.count(store, "session")
        let a = Metrics.id1, b = Metrics.id2
        let text = """
            id,date,area,eid_l2
            \(a),2026-11-03,16282-01,5
            \(b),2026-11-04,16282-02,3
            \(a),2026-11-03,16282-01,5
            \(b.uppercased()),2026-11-04,16282-02,4
            \(a),2026-11-09,16282-03,1
            \(Metrics.id3),2026-11-05,16282-03,2
            """
        #expect(throws: ImportRejected(file: "sessions.csv", problems: [
            Self.repeated(a, first: 2, line: 4), Self.repeated(b, first: 3, line: 5), Self.repeated(a, first: 2, line: 6),
        ])) {
            try Metrics.importText(store, text)
        }
        #expect(try BundleLab.count(store, "session") == before)
        #expect(try BundleLab.count(store, "import_file") == 0)
        #expect(try store.check().passed)  // the indexes a first import drops are back
        // Without the repeats the same file imports.
        let fixed = text.split(separator: "\n").enumerated().filter { ![3, 4, 5].contains($0.offset) }.map(\.element)
        #expect(try Metrics.importText(store, fixed.joined(separator: "\n")).imported == 3)
        #expect(try store.check().passed)
    }

    @Test("an id on two rows is an error even when the workspace already holds that session unchanged")
    func repeatOfAStoredSession() throws {
        let store = try Self.workspace(bulk: true)
        let a = Metrics.id1
        #expect(try Metrics.importText(store, "id,date,area,eid_l2\n\(a),2026-11-03,16282-01,5").imported == 1)
        // Both rows equal the stored session: each alone would be "already present".
        #expect(throws: ImportRejected(file: "sessions.csv", problems: [Self.repeated(a, first: 2, line: 4)])) {
            try Metrics.importText(store, """
                id,date,area,eid_l2
                \(a),2026-11-03,16282-01,5
                \(Metrics.id2),2026-11-04,16282-02,3
                \(a),2026-11-03,16282-01,5
                """)
        }
        #expect(try BundleLab.count(store, "session") == 1)
        // A re-import of stored rows without repeats stays idempotent.
        let again = try Metrics.importText(store, "id,date,area,eid_l2\n\(a),2026-11-03,16282-01,5\n\(Metrics.id2),2026-11-04,16282-02,3")
        #expect(again.alreadyPresent == 1 && again.imported == 1)
    }

    @Test("a repeat is found across batches of rows, and after rows with other problems", arguments: [true, false])
    func acrossBatches(bulk: Bool) throws {
        let store = try Self.workspace(bulk: bulk)
        func id(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012x", n) }
        var rows = (0..<9_000).map { n in "\(id(n)),2026-11-\(String(format: "%02d", 1 + n % 28)),16282-0\(1 + n % 3),\(n % 7)" }
        rows[8_500] = "\(id(17)),2026-11-02,16282-01,1"       // line 8502 repeats line 19, two batches later
        let clean = "id,date,area,eid_l2\n" + rows.joined(separator: "\n")
        #expect(throws: ImportRejected(file: "sessions.csv", problems: [Self.repeated(id(17), first: 19, line: 8_502)])) {
            try Metrics.importText(store, clean)
        }
        // A bad row first: later rows are still checked, one by one.
        rows[100] = "\(id(100)),31/02/2026,16282-01,1"
        rows[7_000] = "\(id(3)),2026-11-02,16282-01,1"
        let error = try #require(throws: ImportRejected.self) {
            try Metrics.importText(store, "id,date,area,eid_l2\n" + rows.joined(separator: "\n"))
        }
        #expect(error.problems.map(\.line) == [102, 7_002, 8_502])
        #expect(error.problems.map(\.phrase?.key) == ["csv.error.not_a_date", "sessions.error.repeated_id", "sessions.error.repeated_id"])
        #expect(error.problems[1] == Self.repeated(id(3), first: 5, line: 7_002))
        #expect(try store.check().passed)
    }

    @Test("the message names the id and both lines, in either language")
    func message() throws {
        let problem = Self.repeated(Metrics.id1, first: 12, line: 40)
        #expect(problem.description == "sessions.csv:40: column \"id\": session id \(Metrics.id1) appears on line 12 and line 40; keep one row, or give the other session its own id.")
        #expect(problem.description(Labels(.vi)).contains("xuất hiện ở dòng 12 và dòng 40"))
    }

    @Test("the table of ids seen grows and tells each id's first line, for random and sequential ids")
    func table() {
        var table = SessionIDTable()
        defer { table.deallocate() }
        var random = SeededRandom(seed: 9)
        var ids: [[UInt8]] = (0..<30_000).map { _ in (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) } }
        // Sequential ids differ in their last bytes only.
        ids += (0..<30_000).map { n in [UInt8](repeating: 7, count: 14) + [UInt8(n >> 8), UInt8(n & 0xFF)] }
        for (i, id) in ids.enumerated() { #expect(table.claim(id, line: i + 2) == nil) }
        var wrong = 0
        for (i, id) in ids.enumerated().reversed() where table.claim(id, line: 99_999) != i + 2 { wrong += 1 }
        #expect(wrong == 0)
    }

    @Test("rows without ids never clash, even with the same content", arguments: [true, false])
    func derivedIDs(bulk: Bool) throws {
        let store = try Self.workspace(bulk: bulk)
        let summary = try Metrics.importText(store, "date,area,eid_l2\n2026-11-03,16282-01,5\n2026-11-03,16282-01,5\n")
        #expect(summary.imported == 2)
    }
}
