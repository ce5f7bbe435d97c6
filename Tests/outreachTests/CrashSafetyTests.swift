import Foundation
import GRDB
import Testing

/// Runs `outreach args…` in the CLI's folder and kills it with SIGKILL after `delay` seconds
/// (unless it ended first). Returns whether it was killed.
private func runKilled(_ cli: CLI, _ args: [String], after delay: Double) throws -> Bool {
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = args
    process.currentDirectoryURL = cli.dir
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(delay)
    while process.isRunning && Date() < deadline { usleep(2_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal
}

/// How long one uncut run takes, in seconds.
private func timed(_ cli: CLI, _ args: [String]) throws -> Double {
    let start = Date()
    let r = try cli.run(args)
    try #require(r.status == 0, "\(args): \(r.stderr)")
    return Date().timeIntervalSince(start)
}

private func copy(_ cli: CLI, _ from: String, _ to: String) throws {
    for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: cli.path(to + suffix)) }
    try FileManager.default.copyItem(atPath: cli.path(from), toPath: cli.path(to))
}

/// Kills `args` at random moments, `runs` times and then on until `needed` runs were cut while
/// they worked (three times `runs` at most: a loaded machine finishes some runs before their
/// kill); after each, `outreach check` must pass and the workspace must hold `before` or `after`
/// sessions, nothing in between. `reset` restores the starting state when a run completed.
/// Returns how many runs were cut while they worked.
private func killLoop(_ cli: CLI, _ args: [String], db: String, runs: Int, needed: Int, before: Int, after: Int, full: Double,
                      rng: inout SystemRandomNumberGenerator, reset: () throws -> Void) throws -> Int {
    var cut = 0, done = 0
    while done < runs || (cut < needed && done < 3 * runs) {
        done += 1
        let killed = try runKilled(cli, args, after: Double.random(in: 0...(full * 1.1), using: &rng))
        let check = try cli.run("check", "--db", db)
        #expect(check.status == 0, "\(check.stdout)")
        let n = try sessionCount(cli.path(db))
        #expect(n == before || n == after, "\(n) sessions: neither \(before) nor \(after)")
        if killed && n == before { cut += 1 }
        if n == after { try reset() }
    }
    return cut
}

@Suite("Crash safety: a killed import or merge happened entirely or not at all", .serialized)
struct CrashSafetyTests {
    @Test("SIGKILL at random moments during sessions import (bulk and incremental) and merge never leaves half a file or a failing check")
    func killLoops() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        var areas = "code,name,kind,parent_code,adults\n1,Xã Một,commune,,\n"
        for h in 1...50 { areas += "1-\(h),Thôn \(h),hamlet,1,5000\n" }
        try cli.write("areas.csv", areas)
        try cli.ok("init", "--db", "empty.sqlite")
        try cli.ok("areas", "import", "areas.csv", "--db", "empty.sqlite")
        // Over 16 MiB, so the bulk import into an empty workspace also leaves WAL for a rollback journal.
        let note = String(repeating: "n", count: 260)
        var big = "date,area,eid_l2,leaflets,notes\n"
        big.reserveCapacity(18 << 20)
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        for i in 0..<60_000 { big += "2026-\(pad(1 + i % 9))-\(pad(1 + i % 28)),1-\(1 + i % 50),\(i % 30),\(i % 97),\(note)\(i)\n" }
        try cli.write("big.csv", big)
        // Also over 16 MiB (long notes), so the incremental import and the merge of its bundle use a
        // rollback journal too.
        let long = String(repeating: "m", count: 1_400)
        var small = "date,area,eid_l2,notes\n", base = small
        for i in 0..<12_000 { small += "2025-\(pad(1 + i % 12))-\(pad(1 + i % 28)),1-\(1 + i % 50),\(i % 7),\(long)\(i)\n" }
        for i in 0..<5_000 { base += "2024-\(pad(1 + i % 12))-\(pad(1 + i % 28)),1-\(1 + i % 50),\(i % 5),\n" }
        try cli.write("small.csv", small)
        try cli.write("base.csv", base)
        var rng = SystemRandomNumberGenerator()
        let started = Date()

        /// Times one uncut run of `args` on a copy of `start`, then kills it `runs` times, each
        /// time on a fresh copy once a run got to the end. Returns the uncut time and the cut runs.
        func loop(_ args: [String], db: String, start: String, runs: Int, needed: Int, before: Int, after: Int) throws -> (Double, Int) {
            try copy(cli, start, db)
            let full = try timed(cli, args + ["--db", db])
            try copy(cli, start, db)
            let cut = try killLoop(cli, args + ["--db", db], db: db, runs: runs, needed: needed, before: before, after: after, full: full,
                                   rng: &rng) { try copy(cli, start, db) }
            return (full, cut)
        }
        // Bulk import into an empty workspace: indexes dropped and rebuilt, rollback journal.
        let (bulkTime, bulkCut) = try loop(["sessions", "import", "big.csv"], db: "bulk.sqlite", start: "empty.sqlite",
                                           runs: 8, needed: 2, before: 0, after: 60_000)
        // Incremental import into a workspace that has sessions.
        try copy(cli, "empty.sqlite", "loaded.sqlite")
        try cli.ok("sessions", "import", "base.csv", "--db", "loaded.sqlite")
        let (moreTime, moreCut) = try loop(["sessions", "import", "small.csv"], db: "more.sqlite", start: "loaded.sqlite",
                                           runs: 6, needed: 1, before: 5_000, after: 17_000)
        // Merge of a bundle of the small file's sessions into the loaded workspace.
        try copy(cli, "empty.sqlite", "source.sqlite")
        try cli.ok("sessions", "import", "small.csv", "--db", "source.sqlite")
        try cli.ok("export", "--out", "small.bundle", "--db", "source.sqlite")
        let (mergeTime, mergeCut) = try loop(["merge", "small.bundle"], db: "target.sqlite", start: "loaded.sqlite",
                                             runs: 8, needed: 2, before: 5_000, after: 17_000)

        // The cut runs can be run again to the end.
        try cli.ok("sessions", "import", "big.csv", "--db", "bulk.sqlite")
        try cli.ok("merge", "small.bundle", "--db", "target.sqlite")
        #expect(try sessionCount(cli.path("bulk.sqlite")) == 60_000)
        #expect(try sessionCount(cli.path("target.sqlite")) == 17_000)
        try cli.ok("check", "--db", "target.sqlite")
        #expect(bulkCut >= 2 && moreCut >= 1 && mergeCut >= 2, "runs cut while working: bulk \(bulkCut), incremental \(moreCut), merge \(mergeCut)")
        print("crash loops: at least 22 kills in \(Int(Date().timeIntervalSince(started))) s; cut while working: bulk \(bulkCut)/8, incremental \(moreCut)/6, merge \(mergeCut)/8; uncut runs \(bulkTime), \(moreTime), \(mergeTime) s")
    }
}
