import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing
@testable import OutreachKit

/// The same areas and teams (same ids) in an SQLite workspace and a PostgreSQL one, to import
/// the same sessions files into both.
struct ImportPair {
    let store: Store
    let pg: PostgresWorkspace
    let location: PostgresLocation

    static let today = Day(parsing: "2026-11-20")!
    static let sampleFolder = areasFolder.deletingLastPathComponent().appendingPathComponent("sample")

    /// Nông Cống's communes, the sample's hamlets and teams.
    static func make() async throws -> ImportPair {
        let store = try Store.inMemory()
        let day = Day(parsing: "2026-01-01")!
        let communes = try AreaFile.read(CSVReader(path: areasFolder.appendingPathComponent("nong_cong.csv").path, name: "nong_cong.csv"))
        _ = try store.importAreas(communes, file: "nong_cong.csv", on: day)
        let hamlets = try AreaFile.read(CSVReader(path: sampleFolder.appendingPathComponent("hamlets.csv").path, name: "hamlets.csv"))
        _ = try store.importAreas(hamlets, file: "hamlets.csv", on: day)
        let teams = try TeamFile.read(CSVReader(path: sampleFolder.appendingPathComponent("teams.csv").path, name: "teams.csv")).rows
        _ = try store.importTeams(teams, file: "teams.csv", on: day)
        // One inactive team, for its warning.
        try await store.writer.write { db in
            try db.execute(sql: "UPDATE team SET status = 'inactive', inactive_since = 20400 WHERE code = 'TN-16282'")
        }

        let location = try await PostgresTestServer.freshDatabase()
        let pg = try await PostgresWorkspace.open(location, create: true)
        for (table, columns) in [("area", "id, code, name, level, local_kind, parent_id, population, adults, working_age, households, search_key"),
                                 ("team", "id, code, name, kind, area_id, leader, leader_phone, formed, status, inactive_since")] {
            let rows = try store.read { db in try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) ORDER BY id") }
            let values = rows.map { row in "(" + row.databaseValues.map(literal).joined(separator: ", ") + ")" }
            try await PostgresTestServer.sql(location, "INSERT INTO \(table) (\(columns)) VALUES \(values.joined(separator: ", "))")
            try await PostgresTestServer.sql(location, "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), (SELECT max(id) FROM \(table)))")
        }
        return ImportPair(store: store, pg: pg, location: location)
    }

    /// An SQL literal of an SQLite value.
    static func literal(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let v): String(v)
        case .double(let v): String(v)
        case .string(let s): "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let d): "'\\x" + d.map { String(format: "%02x", $0) }.joined() + "'::bytea"
        }
    }

    /// What an import gave: its summary (the time of a previous import left out) or its error.
    enum Outcome: Equatable {
        case imported(SessionImportSummary)
        case rejected(ImportRejected)
        case failed(String)
    }

    /// Imports `text` (saved as a file) into both engines; their outcomes.
    @discardableResult
    func importBoth(_ text: String, name: String = "sessions.csv", metrics: [String] = [], problemLimit: Int = 50,
                    corrections: LikelyCorrections = .refuse) async throws -> (sqlite: Outcome, pg: Outcome) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pgimport-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await importBoth(file: path, name: name, metrics: metrics, problemLimit: problemLimit, corrections: corrections)
    }

    func importBoth(file path: String, name: String, metrics: [String] = [], problemLimit: Int = 50,
                    corrections: LikelyCorrections = .refuse) async throws -> (sqlite: Outcome, pg: Outcome) {
        func outcome(_ body: () async throws -> SessionImportSummary) async -> Outcome {
            do {
                var summary = try await body()
                if summary.previousImport != nil { summary.previousImport = "before" }
                return .imported(summary)
            } catch let error as ImportRejected {
                return .rejected(error)
            } catch {
                return .failed(String(describing: error))
            }
        }
        let a = await outcome {
            try store.importSessions(file: path, name: name, today: Self.today, campaignMetrics: metrics, problemLimit: problemLimit,
                                     corrections: corrections)
        }
        let b = await outcome {
            try await pg.importSessions(file: path, name: name, today: Self.today, campaignMetrics: metrics,
                                        problemLimit: problemLimit, corrections: corrections, progress: nil)
        }
        return (a, b)
    }

    /// Every stored session, count, void and imported file of both engines, as text rows.
    func contents() async throws -> (sqlite: [String], pg: [String]) {
        let metrics = Metric.allCases.map { "s.\($0.code)" }
        func sessions(_ hex: (String) -> String, _ text: (String) -> String) -> [String] {
            ["SELECT " + ([hex("s.uuid"), text("s.day"), "a.code", "t.code", "s.logged_by"] + metrics.map(text)
                          + ["s.notes", hex("s.row_key"), "f.name", text("f.rows")]).joined(separator: ", ")
                + " FROM session s JOIN area a ON a.id = s.area_id LEFT JOIN team t ON t.id = s.team_id"
                + " LEFT JOIN import_file f ON f.id = s.import_id ORDER BY s.id",
             "SELECT \(hex("s.uuid")), m.metric, \(text("m.value")) FROM session_metric m JOIN session s ON s.id = m.session_id ORDER BY s.id, m.metric",
             "SELECT \(hex("s.uuid")), \(text("v.day")), v.reason, \(hex("r.uuid")) FROM session_void v JOIN session s ON s.id = v.session_id"
                + " LEFT JOIN session r ON r.id = v.replaced_by ORDER BY s.id",
             "SELECT name, \(text("rows")) FROM import_file ORDER BY id"]
        }
        var lite: [String] = []
        for sql in sessions({ "lower(hex(\($0)))" }, { "CAST(\($0) AS TEXT)" }) {
            lite += try store.read { db in
                try Row.fetchAll(db, sql: sql).map { row in
                    row.databaseValues.map { value -> String in
                        if value.isNull { return "∅" }
                        let s = String.fromDatabaseValue(value) ?? "?"
                        return s.isEmpty ? "∅" : s  // hex(NULL) is '' on SQLite
                    }.joined(separator: "|")
                }
            }
            lite.append("--")
        }
        var post: [String] = []
        let connection = try await PostgresWorkspace.connect(location)
        defer { Task { try? await connection.close() } }
        for sql in sessions({ "encode(\($0), 'hex')" }, { "(\($0))::text" }) {
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresWorkspace.quiet) {
                var cells: [String] = []
                for cell in row {
                    let s = try cell.decode(String?.self)
                    cells.append(s.map { $0.isEmpty ? "∅" : $0 } ?? "∅")
                }
                post.append(cells.joined(separator: "|"))
            }
            post.append("--")
        }
        try await connection.close()
        return (lite, post)
    }

    /// The number of rows of `table` in the PostgreSQL workspace.
    func count(_ table: String) async throws -> Int {
        let connection = try await PostgresWorkspace.connect(location)
        var n = -1
        for try await c in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"),
                                                      logger: PostgresWorkspace.quiet).decode(Int.self) { n = c }
        try await connection.close()
        return n
    }

    /// Expects both engines to store the same things.
    func expectSameContents(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let (a, b) = try await contents()
        #expect(a == b, sourceLocation: sourceLocation)
    }
}

@Suite("sessions import on PostgreSQL: the same as on SQLite", .enabled(if: PostgresTestServer.available))
struct PostgresImportTests {
    static let id1 = "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a71"
    static let id2 = "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a72"
    static let id3 = "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a73"

    @Test("the sample spreadsheet file: same summary and sessions; again, and under another name, nothing is added")
    func sample() async throws {
        let pair = try await ImportPair.make()
        let path = ImportPair.sampleFolder.appendingPathComponent("sessions_excel.csv").path
        let first = try await pair.importBoth(file: path, name: "sessions_excel.csv")
        guard case .imported(let summary) = first.sqlite else { Issue.record("SQLite: \(first.sqlite)"); return }
        #expect(summary.imported > 0)
        #expect(first.pg == first.sqlite)
        try await pair.expectSameContents()
        let again = try await pair.importBoth(file: path, name: "copy.csv")
        guard case .imported(let repeat_) = again.sqlite else { Issue.record("SQLite: \(again.sqlite)"); return }
        #expect(repeat_.previousImport != nil && repeat_.imported == 0)
        #expect(again.pg == again.sqlite)
        try await pair.expectSameContents()
    }

    @Test("rows without id: row keys; a re-saved sheet with one more row brings only that row")
    func rowKeys() async throws {
        let pair = try await ImportPair.make()
        let rows = """
            date,area,team,logged_by,eid_l2,leaflets,notes
            2026-11-03,16282-01,P06-16282,Lê Văn Hùng,5,20,Họp thôn
            2026-11-03,16282-01,P06-16282,Lê Văn Hùng,5,20,Họp thôn
            2026-11-04,16282-02,,,3,,
            """
        let first = try await pair.importBoth(rows)
        #expect(first.pg == first.sqlite)
        guard case .imported(let s) = first.pg else { Issue.record("\(first.pg)"); return }
        #expect(s.imported == 3)
        // Re-saved: NFD letters, spaces, one more row.
        let resaved = rows.decomposedStringWithCanonicalMapping.replacingOccurrences(of: ",5,", with: ", 5 ,")
            + "\n2026-11-05,16282-03,,,7,,"
        let second = try await pair.importBoth(resaved, name: "resaved.csv")
        #expect(second.pg == second.sqlite)
        guard case .imported(let t) = second.pg else { Issue.record("\(second.pg)"); return }
        #expect(t.imported == 1 && t.alreadyPresent == 3)
        try await pair.expectSameContents()
    }

    @Test("a file with bad rows is refused with the same problems (file, line, column); nothing is written")
    func badFile() async throws {
        let pair = try await ImportPair.make()
        let text = """
            id,date,area,team,eid_l2,bank_account,notes
            \(Self.id1),2026-11-03,16282-01,P06-16282,5,1,
            \(Self.id2),31/02/2026,16282-01,,3,,
            not-an-id,2026-11-04,99999-99,,3,,
            ,2026-11-04,16282-02,NO-SUCH-TEAM,-2,x,
            \(Self.id1),2026-11-03,16282-01,P06-16282,5,1,
            ,,,,,,
            \(Self.id3),2026-11-05,16282-03,,12345678901234567890,,"gọi 0912345678"
            """
        let out = try await pair.importBoth(text)
        guard case .rejected(let rejected) = out.sqlite else { Issue.record("SQLite: \(out.sqlite)"); return }
        #expect(rejected.problems.count >= 6)
        #expect(out.pg == out.sqlite)
        #expect(try await pair.count("session") == 0)
        #expect(try await pair.count("import_file") == 0)
        // The problem limit cuts the list the same way.
        let limited = try await pair.importBoth(text, problemLimit: 2)
        guard case .rejected(let cut) = limited.pg else { Issue.record("\(limited.pg)"); return }
        #expect(cut.problems.count == 2 && cut.total > 2)
        #expect(limited.pg == limited.sqlite)
    }

    @Test("an id on two rows, and an id stored with other figures, are refused alike")
    func repeatedAndConflicting() async throws {
        let pair = try await ImportPair.make()
        try await pair.importBoth("id,date,area,eid_l2\n\(Self.id1),2026-11-03,16282-01,5")
        let repeated = try await pair.importBoth("""
            id,date,area,eid_l2
            \(Self.id2),2026-11-03,16282-01,5
            \(Self.id3),2026-11-04,16282-02,3
            \(Self.id2),2026-11-03,16282-01,5
            """)
        guard case .rejected = repeated.pg else { Issue.record("\(repeated.pg)"); return }
        #expect(repeated.pg == repeated.sqlite)
        let conflict = try await pair.importBoth("""
            id,date,area,eid_l2
            \(Self.id3),2026-11-04,16282-02,3
            \(Self.id1),2026-11-03,16282-01,6
            """, name: "conflict.csv")
        guard case .rejected = conflict.pg else { Issue.record("\(conflict.pg)"); return }
        #expect(conflict.pg == conflict.sqlite)
        // Unchanged, the stored session is already present.
        let same = try await pair.importBoth("""
            id,date,area,eid_l2
            \(Self.id3),2026-11-04,16282-02,3
            \(Self.id1.uppercased()),2026-11-03,16282-01,5
            """, name: "same.csv")
        guard case .imported(let s) = same.pg else { Issue.record("\(same.pg)"); return }
        #expect(s.imported == 1 && s.alreadyPresent == 1)
        #expect(same.pg == same.sqlite)
        try await pair.expectSameContents()
    }

    @Test("likely corrections: refused by default, imported as new, or voiding the stored session",
          arguments: ["refuse", "new", "correct"])
    func corrections(choice: String) async throws {
        let pair = try await ImportPair.make()
        try await pair.importBoth("""
            date,area,team,eid_l2,leaflets
            2026-11-03,16282-01,P06-16282,5,20
            2026-11-04,16282-02,P06-16282,3,10
            2026-11-04,16282-02,P06-16282,4,10
            """, name: "first.csv")
        let corrections: LikelyCorrections = switch choice {
        case "refuse": .refuse
        case "new": .asNew
        default: .asCorrections(Labels(.vi))
        }
        let out = try await pair.importBoth("""
            date,area,team,eid_l2,leaflets
            2026-11-03,16282-01,P06-16282,6,20
            2026-11-04,16282-02,P06-16282,9,10
            2026-11-05,16282-03,,1,
            """, name: "second.csv", corrections: corrections)
        switch choice {
        case "refuse": guard case .rejected = out.pg else { Issue.record("\(out.pg)"); return }
        case "new": guard case .imported(let s) = out.pg, s.imported == 3 else { Issue.record("\(out.pg)"); return }
        default:
            // The second row meets two stored sessions: which one it replaces is unclear.
            guard case .rejected = out.pg else { Issue.record("\(out.pg)"); return }
        }
        #expect(out.pg == out.sqlite)
        if choice == "correct" {
            let clear = try await pair.importBoth("""
                date,area,team,eid_l2,leaflets
                2026-11-03,16282-01,P06-16282,7,20
                """, name: "third.csv", corrections: corrections)
            guard case .imported(let s) = clear.pg else { Issue.record("\(clear.pg)"); return }
            #expect(s.corrected == 1)
            #expect(clear.pg == clear.sqlite)
        }
        try await pair.expectSameContents()
    }

    @Test("warnings, masked numbers in notes and campaign metrics are the same")
    func warningsAndMetrics() async throws {
        let pair = try await ImportPair.make()
        let text = """
            id,date,area,team,eid_l2,people_reached,dvc_submitted,home_visits,notes
            \(Self.id1),2026-12-03,16282-01,P06-16282,5,,2,,gọi 0912345678
            \(Self.id2),2026-11-03,16282-01,TN-16282,900,,,0,
            ,2026-11-04,16285-01,CNS-16282-01,1,999999,1,3,CCCD 001099012345
            """
        let out = try await pair.importBoth(text, metrics: ["dvc_submitted", "home_visits"])
        guard case .imported(let s) = out.pg else { Issue.record("\(out.pg)"); return }
        #expect(s.warningCount >= 3 && s.maskedNumbers == 2)
        #expect(out.pg == out.sqlite)
        try await pair.expectSameContents()
        // The same campaign counts make the session already present; other counts a conflict.
        let again = try await pair.importBoth(text.replacingOccurrences(of: ",2,,gọi", with: ",3,,gọi"), name: "b.csv",
                                              metrics: ["dvc_submitted", "home_visits"])
        guard case .rejected = again.pg else { Issue.record("\(again.pg)"); return }
        #expect(again.pg == again.sqlite)
    }

    @Test("a connection dropped mid-import is said plainly and nothing is written")
    func droppedConnection() async throws {
        let pair = try await ImportPair.make()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pgimport-big-\(UUID().uuidString).csv").path
        var text = "date,area,team,eid_l2,leaflets,notes\n"
        text.reserveCapacity(400_000 * 48)
        for i in 0..<400_000 {
            text += "2026-\(10 + i % 2)-\(10 + i % 18),16282-0\(1 + i % 3),P06-16282,\(i % 7),\(i % 50),n\(i)\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pg = pair.pg
        let running = Task {
            try await pg.importSessions(file: path, name: "big.csv", today: ImportPair.today, campaignMetrics: [], problemLimit: 50,
                                        corrections: .refuse, progress: nil)
        }
        // Wait for the COPY to run, then end its backend from another connection.
        let admin = try await PostgresWorkspace.connect(pair.location)
        var killed = false
        for _ in 0..<600 where !killed {
            for try await done in try await admin.query("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'COPY%'
                """, logger: PostgresWorkspace.quiet).decode(Bool.self) { killed = killed || done }
            if !killed { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        try await admin.close()
        #expect(killed)
        await #expect(throws: PostgresError.connectionLost(pair.location.masked)) { try await running.value }
        #expect(try await pair.count("session") == 0)
        #expect(try await pair.count("import_file") == 0)
        // The workspace is usable again: the same file imports whole.
        let summary = try await pg.importSessions(file: path, name: "big.csv", today: ImportPair.today, campaignMetrics: [],
                                                  problemLimit: 50, corrections: .refuse, progress: nil)
        #expect(summary.imported == 400_000)
    }
}
