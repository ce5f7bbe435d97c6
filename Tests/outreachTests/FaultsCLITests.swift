import Foundation
import GRDB
import Testing


/// Runs a system command; true when it exited 0.
@discardableResult
private func system(_ path: String, _ args: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = args
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

/// A small tmpfs mounted at `folder` (root only; nil where mounting is not allowed).
private func mountTmpfs(_ folder: String, size: String) -> Bool {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return system("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", folder])
}

private let campaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path

/// The commands that only read, on workspace `db`: each must succeed.
private func readingCommands(_ db: String, backupTo: String) -> [[String]] {
    [["coverage", "--campaign", "de-an-06", "--campaigns", campaigns, "--as-of", "2026-11-22", "--db", db],
     ["report", "--campaign", "de-an-06", "--campaigns", campaigns, "--as-of", "2026-11-22", "--out", backupTo + ".html", "--db", db],
     ["structure", "--db", db], ["sessions", "list", "--db", db], ["areas", "list", "--db", db],
     ["areas", "find", "Tân", "--db", db], ["check", "--db", db], ["backup", backupTo, "--db", db]]
}

@Suite("No count can crash the product, end to end", .serialized)
struct CountCapCLITests {
    @Test("log --eid-l2 9223372036854775807 is refused in Vietnamese naming the cap; nothing is written")
    func logRefused() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let before = try cli.run("sessions", "list", "--format", "csv", "--db", "w.sqlite").stdout
        let r = try cli.run("log", "--area", "16282-01", "--eid-l2", "9223372036854775807", "--db", "w.sqlite")
        // A command-line value error (exit 64, as every refused option value), naming the cap.
        #expect(r.status == 64)
        #expect(r.stderr.contains("--eid-l2 \"9223372036854775807\": vượt giới hạn"))
        #expect(r.stderr.contains("từ 0 đến 1.000.000.000"))
        #expect(try cli.run("sessions", "list", "--format", "csv", "--db", "w.sqlite").stdout == before)
        let metric = try cli.run("log", "--area", "16282-01", "--eid-l2", "1000000001", "--lang", "en", "--db", "w.sqlite")
        #expect(metric.status == 64)
        #expect(metric.stderr.contains("from 0 to 1,000,000,000"))
    }

    @Test("sessions import refuses a count above the cap with the line and column")
    func importRefused() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let file = try cli.write("big.csv", "date,area,eid_l2,leaflets\n2026-11-20,16282-01,3,4\n2026-11-21,16282-02,5,1000000001\n")
        let r = try cli.run("sessions", "import", file, "--db", "w.sqlite")
        #expect(r.status == 1)
        #expect(r.stderr.contains("big.csv:3"))
        #expect(r.stderr.contains("leaflets"))
        #expect(r.stderr.contains("tối đa là 1.000.000.000"))
    }

    @Test("a workspace holding a REAL total (an overflow of an older version): no trap anywhere, check names it, --repair fixes it", .sqliteFile)
    func realTotal() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        // What two `--eid-l2 9223372036854775807` sessions left before the cap: a REAL total.
        let queue = try DatabaseQueue(path: cli.path("w.sqlite"))
        try queue.write { try $0.execute(sql: "UPDATE area_month SET eid_l2 = 1.8446744073709552e19 WHERE eid_l2 IS NOT NULL") }
        try queue.close()
        for args in readingCommands("w.sqlite", backupTo: "b.sqlite").dropLast(2) where args[0] != "structure" {
            let r = try cli.run(args)
            #expect(!r.signalled, "\(args) trapped")
            #expect(!r.stderr.contains("Fatal error"), "\(args): \(r.stderr)")
        }
        let coverage = try cli.run("coverage", "--campaign", "de-an-06", "--campaigns", campaigns, "--db", "w.sqlite")
        #expect(coverage.status == 1)
        #expect(coverage.stderr.contains("outreach check"))
        let check = try cli.run("check", "--db", "w.sqlite")
        #expect(check.status == 1)
        #expect(check.stdout.contains("không phải số nguyên"))
        #expect(check.stdout.contains("outreach check --repair"))
        let repair = try cli.run("check", "--repair", "--db", "w.sqlite")
        #expect(repair.status == 0, "\(repair.stdout)")
        #expect(try cli.run("check", "--db", "w.sqlite").status == 0)
        #expect(try cli.run(readingCommands("w.sqlite", backupTo: "b.sqlite")[0]).status == 0)
    }
}

@Suite("No Swift trap or raw library text reaches a user", .serialized)
struct FaultsCLITests {
    @Test("output to /dev/full: a sentence on standard error and exit status 1, not a trap")
    func devFull() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        for args in [["coverage", "--campaign", "de-an-06", "--campaigns", campaigns, "--db", "w.sqlite"],
                     ["sessions", "list", "--db", "w.sqlite"], ["areas", "list", "--db", "w.sqlite"]] {
            let r = try cli.run(args, stdoutPath: "/dev/full")
            #expect(!r.signalled, "\(args) trapped")
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.contains("không ghi được kết quả ra (ổ đĩa đã đầy)"), "\(args): \(r.stderr)")
        }
        var english = cli
        english.environment["OUTREACH_LANG"] = "en"
        let r = try english.run(["structure", "--db", "w.sqlite"], stdoutPath: "/dev/full")
        #expect(r.status == 1)
        #expect(r.stderr.contains("the output could not be written (the disk is full)"), "\(r.stderr)")
    }

    @Test("a workspace on read-only media is read, listed, reported, checked and backed up; a write says the medium is read-only", .sqliteFile)
    func readOnlyMedia() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let folder = cli.path("stick")
        let db: String
        var mounted = false
        if getuid() == 0 {
            // Root writes through chmod: a real read-only mount where allowed, else only the
            // library's decision is tested (StoreFaultTests).
            guard mountTmpfs(folder, size: "16m") else { return }
            mounted = true
            try FileManager.default.copyItem(atPath: cli.path("w.sqlite"), toPath: folder + "/w.sqlite")
            try #require(system("/bin/mount", ["-o", "remount,ro", folder]))
            db = folder + "/w.sqlite"
        } else {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: cli.path("w.sqlite"), toPath: folder + "/w.sqlite")
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: folder + "/w.sqlite")
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
            db = folder + "/w.sqlite"
        }
        defer {
            if mounted { system("/bin/umount", [folder]) }
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
        }
        for args in readingCommands(db, backupTo: cli.path("b.sqlite")) {
            let r = try cli.run(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        let log = try cli.run("log", "--area", "16282-01", "--eid-l2", "3", "--db", db)
        #expect(log.status == 1)
        #expect(log.stderr.contains("chỉ cho đọc"), "\(log.stderr)")
        let english = try cli.run("check", "--repair", "--lang", "en", "--db", db)
        #expect(english.stderr.contains("this medium is read-only") || english.stdout.contains("this medium is read-only"),
                "\(english.stdout)\(english.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db + "-shm"))
    }

    @Test("a disk already full when a command starts: reads still work, a write says the disk is full (root with tmpfs only)", .sqliteFile)
    func diskFull() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let folder = cli.path("full")
        guard mountTmpfs(folder, size: "2m") else { return }
        defer { system("/bin/umount", [folder]) }
        try FileManager.default.copyItem(atPath: cli.path("w.sqlite"), toPath: folder + "/w.sqlite")
        // Fill the disk to the last byte.
        _ = FileManager.default.createFile(atPath: folder + "/fill", contents: nil)
        let fd = open(folder + "/fill", O_WRONLY)
        let block = [UInt8](repeating: 0, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, 4096) }) > 0 {}
        close(fd)
        let log = try cli.run("log", "--area", "16282-01", "--eid-l2", "3", "--db", folder + "/w.sqlite")
        #expect(log.status == 1)
        #expect(log.stderr.contains("ổ đĩa đã đầy"), "\(log.stderr)")
        #expect(!log.stderr.contains("SQLite"))
        let list = try cli.run("sessions", "list", "--db", folder + "/w.sqlite")
        #expect(list.status == 0, "\(list.stderr)")
    }

    @Test("a workspace whose header is damaged, or cut short, is called damaged with restore advice, never 'run init'", .sqliteFile)
    func damagedHeader() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: cli.path("w.sqlite"))))
        var overwritten = bytes
        for i in 0..<100 { overwritten[i] = UInt8(ascii: "X") }
        try cli.write("header.sqlite", bytes: overwritten)
        try cli.write("short.sqlite", bytes: Array(bytes.prefix(60)))
        try cli.write("half.sqlite", bytes: Array(bytes.prefix(bytes.count / 2)))
        for name in ["header.sqlite", "short.sqlite", "half.sqlite"] {
            let r = try cli.run("check", "--db", name)
            #expect(r.status == 1, "\(name)")
            #expect(r.stderr.contains("bị hỏng") || r.stdout.contains("LỖI"), "\(name): \(r.stderr)\(r.stdout)")
            #expect(!r.stderr.contains("outreach init"), "\(name): \(r.stderr)")
            let list = try cli.run("sessions", "list", "--db", name)
            #expect(list.status == 1)
            #expect(list.stderr.contains("bị hỏng") && list.stderr.contains("sao lưu"), "\(name): \(list.stderr)")
        }
    }

    @Test(".partial-* files left by a killed backup or export are removed by the next run", .sqliteFile)
    func partialFiles() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        try cli.write("b.sqlite.partial-999999999", "half a backup")
        try cli.write("x.bundle.partial-999999998", "half a bundle")
        #expect(try cli.run("backup", "b.sqlite", "--db", "w.sqlite").status == 0)
        #expect(try cli.run("export", "--out", "x.bundle", "--db", "w.sqlite").status == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: cli.dir.path).filter { $0.contains(".partial-") }
        #expect(left.isEmpty, "\(left)")
    }
}
