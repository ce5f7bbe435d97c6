import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// Rows without id are known by their content: a sheet resent with rows added, or re-saved by
/// a spreadsheet, counts once; a likely correction is refused until the user says what it is.
@Suite("Resent and re-saved sheets are counted once")
struct RowKeyTests {
    typealias Metrics = CampaignMetricsTests

    /// A sheet of four sessions without id, as a leader types it.
    static let sheet = """
        date,area,logged_by,eid_l2,bank_account,leaflets,notes
        2026-11-03,16282-01,Lê Văn Hùng,5,,1010,Họp thôn
        2026-11-04,16282-02,Lê Văn Hùng,3,0,20,
        2026-11-05,16282-03,Đỗ Thị Mai,0,2,,Nhà văn hóa
        2026-11-05,16285-01,Đỗ Thị Mai,7,1,30,
        """

    /// The same sheet as a spreadsheet saves it again: `;`, CRLF, a BOM, grouped numbers,
    /// DD/MM/YYYY dates, padded cells, a decomposed (NFD) name.
    static let resaved = """
        date;area;logged_by;eid_l2;bank_account;leaflets;notes\r
        03/11/2026;16282-01;Lê Văn Hùng;5;;1.010; Họp thôn \r
        04/11/2026;16282-02;Le\u{0302} Văn Hùng;3;0;20;\r
        05/11/2026; 16282-03 ;Đỗ Thị Mai;0;2;;Nhà văn hóa\r
        05/11/2026;16285-01;Đỗ Thị Mai;7;1;30;\r

        """

    static func sessions(_ store: Store) throws -> Int { try BundleLab.count(store, "session") }

    static func eid(_ store: Store) throws -> Int {
        try store.read { try Int.fetchOne($0, sql: "SELECT coalesce(sum(eid_l2), 0) FROM area_month") ?? 0 }
    }

    static func importText(_ store: Store, _ text: String, bom: Bool = false, name: String = "sessions.csv",
                           corrections: LikelyCorrections = .refuse) throws -> SessionImportSummary {
        let path = try Metrics.file(text, bom: bom)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try store.importSessions(file: path, name: name, today: Metrics.today, corrections: corrections)
    }

    @Test("a resend with one appended row imports exactly that row", arguments: [true, false])
    func resendWithAppendedRow(bulk: Bool) throws {
        let store = try RepeatedSessionIDTests.workspace(bulk: bulk)
        let before = try Self.sessions(store)
        let first = try Self.importText(store, Self.sheet)
        #expect(first.imported == 4)
        let again = try Self.importText(store, Self.sheet + "\n2026-11-06,16282-01,Lê Văn Hùng,2,,,\n")
        #expect(again.imported == 1)
        #expect(again.alreadyPresent == 4)
        #expect(again.previousImport == nil)
        #expect(try Self.sessions(store) == before + 5)
        #expect(try store.check().passed)
    }

    @Test("the same sheet re-saved (;, CRLF, BOM, 1.010, DD/MM/YYYY, NFD) imports nothing")
    func resavedSheet() throws {
        let store = try Metrics.small()
        #expect(try Self.importText(store, Self.sheet).imported == 4)
        let eid = try Self.eid(store)
        let again = try Self.importText(store, Self.resaved, bom: true)
        #expect(again.imported == 0)
        #expect(again.alreadyPresent == 4)
        #expect(try Self.sessions(store) == 4)
        #expect(try Self.eid(store) == eid)
        // The byte-identical file is recognised whole, by its SHA-256.
        #expect(try Self.importText(store, Self.sheet).previousImport != nil)
    }

    @Test("an empty cell (not recorded) and 0 make different rows")
    func emptyIsNotZero() throws {
        let store = try Metrics.small()
        #expect(try Self.importText(store, "date,area,eid_l2,bank_account\n2026-11-03,16282-01,5,\n").imported == 1)
        let zero = try Self.importText(store, "date,area,eid_l2,bank_account\n2026-11-03,16282-01,5,0\n", corrections: .asNew)
        #expect(zero.imported == 1)
    }

    @Test("two identical rows of one sheet are both kept, and a resend adds none; a third is new")
    func identicalRows() throws {
        let store = try Metrics.small()
        let twice = "date,area,eid_l2,leaflets\n2026-11-03,16282-01,5,20\n2026-11-03,16282-01,5,20\n"
        let first = try Self.importText(store, twice)
        #expect(first.imported == 2)
        #expect(try Self.eid(store) == 10)
        let again = try Self.importText(store, twice.replacingOccurrences(of: ",", with: ";"))
        #expect(again.imported == 0)
        #expect(again.alreadyPresent == 2)
        let thrice = try Self.importText(store, twice + "2026-11-03,16282-01,5,20\n")
        #expect(thrice.imported == 1)
        #expect(thrice.alreadyPresent == 2)
        #expect(try Self.eid(store) == 15)
        #expect(try store.check().passed)
    }

    /// The sheet with the second row's eid_l2 changed from 3 to 4.
    static let corrected = sheet.replacingOccurrences(of: "2026-11-04,16282-02,Lê Văn Hùng,3,0,20,",
                                                      with: "2026-11-04,16282-02,Lê Văn Hùng,4,0,20,")

    static func storedID(_ store: Store, day: String, area: String) throws -> String {
        try store.read { db in
            let data = try Data.fetchOne(db, sql: """
                SELECT s.uuid FROM session s JOIN area a ON a.id = s.area_id WHERE a.code = ? AND s.day = ? ORDER BY s.id LIMIT 1
                """, arguments: [area, Day(parsing: day)!.number])!
            return SessionID.format(Array(data))
        }
    }

    @Test("a likely correction is refused and names the row and the stored session; nothing is imported")
    func likelyCorrectionRefused() throws {
        let store = try Metrics.small()
        _ = try Self.importText(store, Self.sheet + "\n", name: "thon.csv")
        let earlier = try Self.storedID(store, day: "2026-11-04", area: "16282-02")
        let appended = Self.corrected + "\n2026-11-06,16282-01,Lê Văn Hùng,2,,,\n"
        #expect(throws: ImportRejected(file: "sessions.csv", problems: [
            Diagnostic(file: "sessions.csv", line: 3, column: nil,
                       Phrase("sessions.error.likely_correction", ["sessions": "\(earlier) (thon.csv)"])),
        ])) {
            try Self.importText(store, appended)
        }
        #expect(try Self.sessions(store) == 4)
        // A new session of another day is no correction.
        #expect(try Self.importText(store, Self.sheet + "\n2026-11-06,16282-01,Lê Văn Hùng,2,,,\n").imported == 1)
    }

    @Test("--as-new imports a likely correction as one more session")
    func likelyCorrectionAsNew() throws {
        let store = try Metrics.small()
        _ = try Self.importText(store, Self.sheet)
        let s = try Self.importText(store, Self.corrected, corrections: .asNew)
        #expect(s.imported == 1)
        #expect(s.alreadyPresent == 3)
        #expect(s.corrected == 0)
        #expect(try Self.eid(store) == 15 + 4)
        #expect(try BundleLab.count(store, "session_void") == 0)
    }

    @Test("--as-corrections voids the stored session and links the row's session as its replacement")
    func likelyCorrectionAsCorrection() throws {
        let store = try Metrics.small()
        _ = try Self.importText(store, Self.sheet)
        let earlier = try Self.storedID(store, day: "2026-11-04", area: "16282-02")
        let s = try Self.importText(store, Self.corrected, corrections: .asCorrections(Labels(.en)))
        #expect(s.imported == 1)
        #expect(s.corrected == 1)
        #expect(try Self.eid(store) == 15 - 3 + 4)
        let void = try store.read { db in
            try Row.fetchOne(db, sql: """
                SELECT v.reason, r.uuid, r.eid_l2 FROM session_void v JOIN session s ON s.id = v.session_id
                JOIN session r ON r.id = v.replaced_by WHERE s.uuid = ?
                """, arguments: [Data(SessionID.parse(earlier)!)])
        }
        let row = try #require(void)
        #expect(row[0] as String == "corrected by sessions.csv, line 3")
        #expect(row[2] as Int == 4)
        #expect(try store.check().passed)
        // Sent once more, the corrected sheet changes nothing.
        let again = try Self.importText(store, Self.corrected.replacingOccurrences(of: ",", with: ";"))
        #expect(again.imported == 0)
        #expect(again.alreadyPresent == 4)
    }

    @Test("--as-corrections refuses a row that could replace two stored sessions")
    func ambiguousCorrection() throws {
        let store = try Metrics.small()
        _ = try Self.importText(store, "date,area,eid_l2\n2026-11-03,16282-01,5\n2026-11-03,16282-01,6\n")
        #expect(throws: ImportRejected.self) {
            try Self.importText(store, "date,area,eid_l2\n2026-11-03,16282-01,7\n", corrections: .asCorrections(Labels(.en)))
        }
        #expect(try Self.sessions(store) == 2)
        #expect(try BundleLab.count(store, "session_void") == 0)
    }

    @Test("rows with an id are never taken for corrections: another session of the day is imported")
    func rowsWithIDAreNotCorrections() throws {
        let store = try Metrics.small()
        _ = try Self.importText(store, "date,area,eid_l2\n2026-11-03,16282-01,5\n")
        let s = try Self.importText(store, "id,date,area,eid_l2\n\(Metrics.id1),2026-11-03,16282-01,6\n")
        #expect(s.imported == 1)
    }

    @Test("the key ignores what a re-save changes and keeps what makes a session")
    func keyContent() {
        func key(_ notes: String?, eid: Int?, occurrence: Int = 0) -> [UInt8] {
            RowKey.key(RowKeyContent.of(day: 20_000, area: "16282-01", team: nil, loggedBy: nil,
                                        metrics: [eid] + Array(repeating: nil, count: Metric.allCases.count - 1),
                                        campaign: [], notes: notes).digest(), occurrence: occurrence)
        }
        #expect(key(nil, eid: 5) == key("", eid: 5))
        #expect(key(nil, eid: 5) != key(nil, eid: 0))
        #expect(key(nil, eid: 5) != key(nil, eid: nil))
        #expect(key(nil, eid: 5) != key(nil, eid: 5, occurrence: 1))
        #expect(key("a", eid: 5) != key("b", eid: 5))
        #expect(RowKey.isDerivedLayout(key(nil, eid: 5)))
    }
}

/// Workspaces made before row keys get them for the sessions they hold.
@Suite("Migration 6 gives keys to the sessions of an older workspace")
struct RowKeyMigrationTests {
    /// A workspace at migration 5 holding the sessions an import of version 5 made from `rows`
    /// (date, area, eid_l2) of one file, with ids of the version 8 layout, plus one session of
    /// the same content from a second import of a re-saved copy of that file.
    static func oldWorkspace(_ path: String, rows: [(String, String, Int)]) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try Schema.migrator.migrate(queue, upTo: "v5 running totals of campaign metrics")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO area (id, code, name, level, search_key) VALUES (1, '16282', 'Xã Tân Phúc', 'commune', 'xa tan phuc');
                INSERT INTO area (id, code, name, level, parent_id, search_key) VALUES (2, '16282-01', 'Thôn 1', 'hamlet', 1, 'thon 1');
                INSERT INTO area (id, code, name, level, parent_id, search_key) VALUES (3, '16282-02', 'Thôn 2', 'hamlet', 1, 'thon 2');
                INSERT INTO import_file (id, sha256, name, rows) VALUES (1, x'00112233445566778899aabbccddeeff', 'a.csv', 3);
                INSERT INTO import_file (id, sha256, name, rows) VALUES (2, x'ffeeddccbbaa99887766554433221100', 'a-resaved.csv', 1);
                """)
            var n = 0
            for (importID, list) in [(1, rows), (2, [rows[0]])] {
                for (date, area, eid) in list {
                    n += 1
                    var uuid = (0..<16).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ n &* 11) }
                    uuid[6] = (uuid[6] & 0x0F) | 0x80
                    uuid[8] = (uuid[8] & 0x3F) | 0x80
                    let areaID = area == "16282-01" ? 2 : 3
                    try db.execute(sql: "INSERT INTO session (uuid, day, area_id, eid_l2, import_id) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [Data(uuid), Day(parsing: date)!.number, areaID, eid, importID])
                }
            }
            try db.execute(sql: """
                INSERT INTO area_month (area_id, month, sessions, eid_l2, last_day)
                SELECT area_id, (CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) - 1970) * 12
                           + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1, count(*), sum(eid_l2), max(day)
                FROM session GROUP BY 1, 2
                """)
        }
    }

    @Test("after the migration, the sheet sent again (no ids, re-saved) imports nothing; check names the old double")
    func migratedKeys() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rowkey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("w.sqlite").path
        let rows = [("2026-11-03", "16282-01", 5), ("2026-11-03", "16282-01", 5), ("2026-11-04", "16282-02", 2)]
        try Self.oldWorkspace(path, rows: rows)
        let store = try Store.open(path: path)
        let keys = try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM session WHERE row_key IS NOT NULL") }
        #expect(keys == 3)
        let text = "date;area;eid_l2\r\n03/11/2026;16282-01;5\r\n03/11/2026;16282-01;5\r\n04/11/2026;16282-02;2\r\n"
        let path2 = try CampaignMetricsTests.file(text)
        defer { try? FileManager.default.removeItem(atPath: path2) }
        let s = try store.importSessions(file: path2, name: "a.csv", today: CampaignMetricsTests.today)
        #expect(s.imported == 0)
        #expect(s.alreadyPresent == 3)
        let check = try store.check()
        #expect(check.passed)
        let item = try #require(check.items.first { $0.name == "row keys" })
        #expect(item.status == .warning)
        #expect(item.found.english.hasPrefix("1 sessions came from a sheet imported before"))
        // The stored column is renamed; the file's digest is now a SHA-256.
        let digests = try store.read { try Int.fetchAll($0, sql: "SELECT length(file_digest) FROM import_file ORDER BY id") }
        #expect(digests == [16, 16, 32])
    }

    @Test("migration 6 masks the numbers in the notes it keys: the sheet sent again with them imports nothing")
    func migrationMasksNotes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rowkey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("w.sqlite").path
        try Self.oldWorkspace(path, rows: [("2026-11-03", "16282-01", 5)])
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER session_never_edited")
            try db.execute(sql: "UPDATE session SET notes = 'gọi 0912 345 678'")
            try db.execute(sql: """
                CREATE TRIGGER session_never_edited BEFORE UPDATE ON session
                BEGIN SELECT RAISE(ABORT, 'sessions are never edited'); END
                """)
        }
        try queue.close()
        let store = try Store.open(path: path)
        let notes = try store.read { try String.fetchAll($0, sql: "SELECT notes FROM session") }
        #expect(notes.allSatisfy { !$0.contains("345") })
        let text = "date,area,eid_l2,notes\n2026-11-03,16282-01,5,gọi 0912 345 678\n"
        let file = try CampaignMetricsTests.file(text)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let s = try store.importSessions(file: file, name: "b.csv", today: CampaignMetricsTests.today)
        #expect(s.imported == 0)
        #expect(s.alreadyPresent == 1)
        #expect(try store.check().passed)
    }
}
