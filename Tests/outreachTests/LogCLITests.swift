import Foundation
import GRDB
import Testing

/// `outreach log` opens one connection and reads its labels only when it prints through them.
@Suite("log: one connection, labels when needed, the workspace one complete file afterwards")
struct LogCLITests {
    @Test("a warning is still written in Vietnamese, a bad --lang is still refused, and after each log the workspace file alone holds every session", .sqliteFile)
    func quietAndComplete() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try #require(try cli.run("init", "--db", "w.sqlite").status == 0)
        let areas = try cli.write("areas.csv", """
            code,name,kind,parent_code,population,adults,households
            16282,Xã Tân Phúc,commune,,,,
            16282-01,Thôn 1,thôn,16282,1200,900,320
            """)
        try #require(try cli.run("areas", "import", areas, "--db", "w.sqlite").status == 0)

        let quiet = try cli.run("log", "--area", "16282-01", "--date", "2026-11-20", "--eid-l2", "12", "--db", "w.sqlite")
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty)
        let warned = try cli.run("log", "--area", "16282-01", "--date", "2026-11-21", "--eid-l2", "950", "--db", "w.sqlite")
        #expect(warned.status == 0)
        #expect(warned.stderr.hasPrefix("cảnh báo: "), "\(warned.stderr)")
        #expect(warned.stderr.contains("950"))
        let badLanguage = try cli.run("log", "--area", "16282-01", "--eid-l2", "1", "--lang", "fr", "--db", "w.sqlite")
        #expect(badLanguage.status != 0)
        #expect(badLanguage.stderr.contains("fr"))

        // Closing the workspace checkpointed the WAL into the file and removed it: a copy of the
        // file alone (as a user copies it to a USB stick) has both sessions and their totals.
        let fm = FileManager.default
        #expect(!fm.fileExists(atPath: cli.path("w.sqlite-wal")))
        try fm.copyItem(atPath: cli.path("w.sqlite"), toPath: cli.path("copy.sqlite"))
        let copy = try DatabaseQueue(path: cli.path("copy.sqlite"))
        defer { try? copy.close() }
        #expect(try copy.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM session") } == 2)
        #expect(try copy.read { try Int.fetchOne($0, sql: "SELECT sum(eid_l2) FROM area_month") } == 962)
    }
}
