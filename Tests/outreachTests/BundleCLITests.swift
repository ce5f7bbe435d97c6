import Foundation
import GRDB
import Testing

/// Sessions of one workspace file, counted straight from the database.
func sessionCount(_ path: String) throws -> Int {
    let db = try DatabaseQueue(path: path)
    defer { try? db.close() }
    return try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM session") ?? 0 }
}

extension CLI {
    /// Sessions of the workspace `db`, on either engine.
    func sessionCount(_ db: String) throws -> Int {
        try integer(db, "SELECT count(*) FROM session")
    }

    /// Sets every monthly total's eid_l2 to 40 in the workspace `db`, as damage `check` must
    /// find and `check --repair` undo.
    func spoilMonthlyTotals(_ db: String) throws {
        try execute(db, "UPDATE area_month SET eid_l2 = 40")
    }

    /// Runs a command that must succeed and returns its standard output.
    @discardableResult
    func ok(_ args: String...) throws -> String {
        let r = try run(args)
        try #require(r.status == 0, "\(args.joined(separator: " ")): \(r.stderr)")
        return r.stdout
    }

    /// The content digest `outreach export` prints for the workspace `db`.
    func digest(_ db: String) throws -> String {
        let out = try ok("export", "--out", "digest-\(db).bundle", "--include-phones", "--db", db)
        return String(out.split(separator: "\n")[1].split(separator: " ").last!)
    }

    /// The commune officer's workspace: Nông Cống, the sample hamlets, teams and members.
    func officer(_ db: String) throws {
        try ok("init", "--db", db)
        try ok("areas", "import", CLI.resource("areas/nong_cong.csv"), "--db", db)
        try ok("areas", "import", CLI.resource("sample/hamlets.csv"), "--db", db)
        try ok("teams", "import", CLI.resource("sample/teams.csv"), "--db", db)
        _ = try run("members", "import", CLI.resource("sample/members.csv"), "--db", db)
    }
}

@Suite("Working offline: export, merge, backup and check, end to end")
struct BundleCLITests {
    @Test("two leaders' bundles merged twice and in either order give the officer the same coverage figures")
    func twoLeaders() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try cli.officer("officer.sqlite")
        try cli.ok("export", "--out", "officer.bundle", "--db", "officer.sqlite")
        for leader in ["hung", "mai"] {
            try cli.ok("init", "--db", "\(leader).sqlite")
            try cli.ok("merge", "officer.bundle", "--db", "\(leader).sqlite")
        }
        try cli.ok("log", "--area", "16282-01", "--date", "2026-11-03", "--team", "P06-16282", "--eid-l2", "24", "--db", "hung.sqlite")
        let wrong = try cli.ok("log", "--area", "16282-02", "--date", "2026-11-05", "--eid-l2", "70", "--db", "hung.sqlite")
        try cli.ok("log", "--area", "16282-02", "--date", "2026-11-05", "--eid-l2", "17", "--replaces", String(wrong.prefix(8)),
                   "--reason", "typo", "--db", "hung.sqlite")
        try cli.ok("log", "--area", "16282-03", "--date", "2026-11-07", "--eid-l2", "31", "--db", "mai.sqlite")
        try cli.ok("log", "--area", "16282-04", "--date", "2026-11-20", "--eid-l2", "9", "--db", "mai.sqlite")
        try cli.ok("export", "--out", "hung.bundle", "--db", "hung.sqlite")
        try cli.ok("export", "--out", "mai.bundle", "--db", "mai.sqlite")

        if TestEngine.isSQLite {
            try cli.ok("backup", "officer2.sqlite", "--db", "officer.sqlite")
        } else {  // pg_dump's copy is restored with pg_restore: the same workspace, as merged from its bundle
            try cli.ok("export", "--out", "officer-whole.bundle", "--include-phones", "--db", "officer.sqlite")
            try cli.ok("init", "--db", "officer2.sqlite")
            try cli.ok("merge", "officer-whole.bundle", "--db", "officer2.sqlite")
        }
        let first = try cli.ok("merge", "hung.bundle", "mai.bundle", "--db", "officer.sqlite")
        #expect(first.contains("hung.bundle: from workspace "))
        #expect(first.contains("  sessions: 3 new, 0 already there\n  voids: 1 new, 0 already there\n"))
        let again = try cli.ok("merge", "mai.bundle", "hung.bundle", "--db", "officer.sqlite")
        #expect(again.contains("  sessions: 0 new, 2 already there\n"))
        #expect(again.contains("Nothing new: this workspace already had everything in the bundle (it was merged on "))
        try cli.ok("merge", "mai.bundle", "--db", "officer2.sqlite")
        try cli.ok("merge", "hung.bundle", "--db", "officer2.sqlite")

        let campaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path
        let coverage = try ["officer.sqlite", "officer2.sqlite"].map { db in
            try cli.ok("coverage", "--campaign", "de-an-06", "--indicator", "eid-l2", "--under", "16282", "--as-of", "2026-11-22",
                       "--campaigns", campaigns, "--db", db)
        }
        #expect(coverage[0] == coverage[1])
        #expect(coverage[0].split(separator: "\n").contains { $0.hasPrefix("16282 ") && $0.contains(" 81 ") }, "\(coverage[0])")
        #expect(try cli.digest("officer.sqlite") == cli.digest("officer2.sqlite"))
        for db in ["officer.sqlite", "officer2.sqlite"] { try cli.ok("check", "--db", db) }
    }

    @Test("three workspaces exchanging bundles in different orders print the same content digest")
    func threeWorkspaces() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.officer("a.sqlite")
        try cli.ok("export", "--out", "base.bundle", "--include-phones", "--db", "a.sqlite")
        for db in ["b.sqlite", "c.sqlite"] {
            try cli.ok("init", "--db", db)
            try cli.ok("merge", "base.bundle", "--db", db)
        }
        try cli.ok("log", "--area", "16282-01", "--date", "2026-11-03", "--eid-l2", "4", "--leaflets", "40", "--db", "a.sqlite")
        try cli.ok("leaflets", "receive", "--area", "404", "--quantity", "6000", "--date", "2026-10-25", "--db", "b.sqlite")
        try cli.ok("leaflets", "allocate", "--from", "404", "--to", "16282", "--quantity", "1500", "--date", "2026-10-28", "--db", "b.sqlite")
        let c = try cli.ok("log", "--area", "16285-01", "--date", "2026-11-10", "--eid-l2", "12", "--db", "c.sqlite")
        try cli.ok("sessions", "void", String(c.prefix(8)), "--reason", "duplicate", "--db", "c.sqlite")
        for db in ["a", "b", "c"] { try cli.ok("export", "--out", "\(db).bundle", "--db", "\(db).sqlite") }
        try cli.ok("merge", "b.bundle", "c.bundle", "--db", "a.sqlite")
        try cli.ok("merge", "c.bundle", "a.bundle", "--db", "b.sqlite")
        try cli.ok("merge", "a.bundle", "b.bundle", "--db", "c.sqlite")
        let digests = try ["a.sqlite", "b.sqlite", "c.sqlite"].map(cli.digest)
        #expect(Set(digests).count == 1, "\(digests)")
    }

    @Test("a bundle cut in half is refused with a clear message and changes nothing")
    func halfBundle() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.officer("w.sqlite")
        try cli.ok("log", "--area", "16282-01", "--date", "2026-11-03", "--eid-l2", "4", "--db", "w.sqlite")
        try cli.ok("export", "--out", "full.bundle", "--db", "w.sqlite")
        let data = try Data(contentsOf: URL(fileURLWithPath: cli.path("full.bundle")))
        let body = data.count - 2048
        try cli.write("half.bundle", bytes: Array(data.prefix(2048 + body / 2)))
        try cli.ok("init", "--db", "other.sqlite")
        let r = try cli.run("merge", "half.bundle", "--db", "other.sqlite")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        /// A count grouped by thousands with `separator` (1.234 in Vietnamese, 1,234 in English).
        func grouped(_ n: Int, _ separator: String) -> String {
            let digits = Array(String(n))
            return digits.enumerated().map { i, d in (i > 0 && (digits.count - i) % 3 == 0 ? separator : "") + String(d) }.joined()
        }
        #expect(r.stderr == "lỗi: half.bundle: gói dữ liệu không đầy đủ: phần đầu gói ghi \(grouped(body, ".")) byte dữ liệu nhưng chỉ có \(grouped(body / 2, ".")) byte (\(body / 2 * 100 / body)%), do bị cắt khi sao chép hoặc gửi. Hãy xin gửi lại tệp hoặc sao chép lại rồi gộp; chưa có gì thay đổi.\n")
        let english = try cli.run("merge", "half.bundle", "--db", "other.sqlite", "--lang", "en")
        #expect(english.stderr == "error: half.bundle: the bundle is incomplete: its header announces \(grouped(body, ",")) bytes of records but only \(grouped(body / 2, ",")) are there (\(body / 2 * 100 / body)%). It was cut off while being copied or sent. Ask for the file again, or copy it again, then merge it; nothing was changed.\n")
        #expect(try cli.sessionCount("other.sqlite") == 0)
        #expect(try cli.ok("areas", "list", "--db", "other.sqlite") == cli.ok("areas", "list", "--db", "other.sqlite"))
        let csv = try cli.run("merge", CLI.resource("sample/teams.csv"), "full.bundle", "--db", "other.sqlite")
        #expect(csv.status == 1, "one bad file fails the command; the others are merged")
        #expect(csv.stderr.contains("lỗi: \(CLI.resource("sample/teams.csv")): tệp này không phải gói dữ liệu Outreach"))
        #expect(try cli.sessionCount("other.sqlite") == 1)
    }

    @Test("check exits 1 and says what to do when the totals are wrong; --repair rebuilds them")
    func check() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try cli.officer("w.sqlite")
        try cli.ok("log", "--area", "16282-01", "--date", "2026-11-03", "--eid-l2", "4", "--db", "w.sqlite")
        let good = try cli.ok("check", "--db", "w.sqlite")
        #expect(good.hasPrefix("Checking \(cli.shown("w.sqlite")):\n"))
        #expect(TestEngine.isPostgreSQL || good.hasPrefix("Checking w.sqlite:\n  ok       SQLite integrity: ok\n"))
        #expect(good.hasSuffix("  ok       leaflet stock: no unit below zero\nOK: nothing is wrong.\n"))
        try cli.spoilMonthlyTotals("w.sqlite")
        let bad = try cli.run("check", "--db", "w.sqlite")
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("  PROBLEM  monthly totals: area_month does not match the live sessions in 1 row (area 16282-01, 2026-11: stored (1 session, eid_l2 40), the sessions give (1 session, eid_l2 4))\n           what to do: Run `outreach check --repair` to rebuild the running totals from the sessions.\n"))
        #expect(bad.stdout.hasSuffix("1 problem. Run `outreach check --repair`.\n"))
        let repaired = try cli.ok("check", "--repair", "--db", "w.sqlite")
        #expect(repaired.hasPrefix("Repaired: rebuilt 1 running-total rows from the sessions.\n"))
        #expect(repaired.hasSuffix("OK: nothing is wrong.\n"))
    }

    @Test("backup while another process writes gives copies that pass check, each before or after a whole import", .sqliteFile)
    func backupWhileWriting() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.officer("w.sqlite")
        var script = ""
        var counts = [0]
        for i in 0..<8 {
            var csv = "date,area,eid_l2,notes\n"
            for r in 0..<1500 { csv += "2026-11-\(10 + r % 18),16282-0\(1 + r % 4),\(r % 9),import \(i) row \(r)\n" }
            try cli.write("s\(i).csv", csv)
            counts.append(counts.last! + 1500)
            // Other sessions of the same days and hamlets, not corrections of them.
            script += "'\(CLI.binary.path)' sessions import s\(i).csv --as-new --db w.sqlite > /dev/null || exit 1\n"
        }
        try cli.write("writer.sh", script)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = [cli.path("writer.sh")]
        writer.currentDirectoryURL = cli.dir
        try writer.run()
        var backups = 0
        while writer.isRunning || backups < 2 {
            try cli.ok("backup", "b\(backups).sqlite", "--db", "w.sqlite")
            backups += 1
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        var seen = Set<Int>()
        for i in 0..<backups {
            let r = try cli.run("check", "--db", "b\(i).sqlite")
            #expect(r.status == 0, "\(r.stdout)")
            let n = try sessionCount(cli.path("b\(i).sqlite"))
            #expect(counts.contains(n), "backup \(i) has \(n) sessions, not a whole number of imports")
            seen.insert(n)
        }
        #expect(seen.count >= 2, "backups were taken while the imports ran: \(seen.sorted())")
        let exists = try cli.run("backup", "b0.sqlite", "--db", "w.sqlite")
        #expect(exists.status == 1)
        #expect(exists.stderr.contains("lỗi: b0.sqlite: tệp này đã có."))
    }

    @Test("check, merge, export and backup speak Vietnamese by default and English with --lang en")
    func language() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.officer("w.sqlite")
        try cli.ok("log", "--area", "16282-01", "--date", "2026-11-03", "--eid-l2", "4", "--db", "w.sqlite")

        let check = try cli.ok("check", "--db", "w.sqlite")
        #expect(check.hasPrefix("Kiểm tra \(cli.shown("w.sqlite")):\n"), "\(check)")
        #expect(TestEngine.isPostgreSQL || check.hasPrefix("Kiểm tra w.sqlite:\n  đạt       toàn vẹn SQLite: không có lỗi\n"), "\(check)")
        #expect(check.contains("\n  đạt       buổi: 1 buổi (hủy 0); địa bàn của mọi buổi đều có\n"), "\(check)")
        #expect(check.hasSuffix("  đạt       tồn kho tờ rơi: không đơn vị nào âm\nKết quả: không có lỗi.\n"), "\(check)")
        let checkEnglish = try cli.ok("check", "--db", "w.sqlite", "--lang", "en")
        #expect(checkEnglish.hasPrefix("Checking \(cli.shown("w.sqlite")):\n"), "\(checkEnglish)")
        #expect(checkEnglish.contains("\n  ok       sessions: 1 session (0 voided); every session's area exists\n"), "\(checkEnglish)")
        #expect(checkEnglish.hasSuffix("OK: nothing is wrong.\n"))

        try cli.spoilMonthlyTotals("w.sqlite")
        let bad = try cli.run("check", "--db", "w.sqlite")
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("  LỖI       tổng theo tháng: area_month không khớp với các buổi còn hiệu lực ở 1 dòng (địa bàn 16282-01, 2026-11: đang lưu (1 buổi, eid_l2 40), theo các buổi là (1 buổi, eid_l2 4))\n            cách xử lý: Chạy `outreach check --repair` để tính lại các tổng cộng dồn từ các buổi.\n"), "\(bad.stdout)")
        #expect(bad.stdout.hasSuffix("Có 1 lỗi. Chạy `outreach check --repair`.\n"))
        let repaired = try cli.ok("check", "--repair", "--db", "w.sqlite")
        #expect(repaired.hasPrefix("Đã sửa: tính lại 1 dòng tổng cộng dồn từ các buổi.\n"))

        let export = try cli.ok("export", "--out", "w.bundle", "--db", "w.sqlite")
        #expect(export.hasPrefix("Đã xuất gói dữ liệu w.bundle: "), "\(export)")
        #expect(export.contains("; không có số điện thoại.\nCơ sở dữ liệu "), "\(export)")
        #expect(try cli.ok("export", "--out", "w2.bundle", "--db", "w.sqlite", "--lang", "en").hasPrefix("Wrote w2.bundle: "))

        try cli.ok("init", "--db", "other.sqlite")
        let merged = try cli.ok("merge", "w.bundle", "--db", "other.sqlite")
        #expect(merged.hasPrefix("w.bundle: từ cơ sở dữ liệu "), "\(merged)")
        #expect(merged.contains("\n  buổi: mới 1, đã có 0\n"), "\(merged)")
        #expect(merged.contains("\nĐã gộp dữ liệu: "), "\(merged)")
        let again = try cli.ok("merge", "w.bundle", "--db", "other.sqlite")
        #expect(again.contains("\n  buổi: mới 0, đã có 1\n"), "\(again)")
        #expect(again.contains("\nKhông có gì mới: cơ sở dữ liệu này đã có mọi thứ trong gói (đã gộp lúc "), "\(again)")
        let english = try cli.ok("merge", "w.bundle", "--db", "other.sqlite", "--lang", "en")
        #expect(english.hasPrefix("w.bundle: from workspace "), "\(english)")
        #expect(english.contains("\n  sessions: 0 new, 1 already there\n"), "\(english)")
        #expect(english.contains("\nNothing new: this workspace already had everything in the bundle (it was merged on "), "\(english)")

        let backup = try cli.ok("backup", "b.sqlite", "--db", "w.sqlite")
        let english2 = try cli.ok("backup", "b2.sqlite", "--db", "w.sqlite", "--lang", "en")
        if TestEngine.isSQLite {
            #expect(backup.hasPrefix("Đã sao lưu w.sqlite vào b.sqlite: 1 buổi, "), "\(backup)")
            #expect(english2.hasPrefix("Backed up w.sqlite to b2.sqlite: 1 sessions, "))
        } else {  // pg_dump's copy
            #expect(backup.hasPrefix("Đã sao lưu \(cli.shown("w.sqlite")) vào b.sqlite ("), "\(backup)")
            #expect(english2.hasPrefix("Backed up \(cli.shown("w.sqlite")) to b2.sqlite ("), "\(english2)")
        }
    }
}
