import Foundation
import GRDB
import Testing
@testable import OutreachKit

private func item(_ check: WorkspaceCheck, _ name: String) -> WorkspaceCheck.Item? {
    check.items.first { $0.name == name }
}

@Suite("No count can crash the product: one cap, checked sums, totals that are not integers")
struct CountCapTests {
    @Test("the cap is one figure: the parser, the session check and the bundle reader all use SessionCount.maximum")
    func oneCap() {
        #expect(SessionCount.maximum == 1_000_000_000)
        #expect(CountParser.parse("1.000.000.000") == .success(SessionCount.maximum))
        #expect(CountParser.parse("1000000001") == .failure(.tooLarge))
        #expect(CountParser.parse("9223372036854775807") == .failure(.tooLarge))
        #expect(SessionCount.allows(SessionCount.maximum) && !SessionCount.allows(SessionCount.maximum + 1) && !SessionCount.allows(-1))
        #expect(throws: SessionError.countOutOfRange("eid_l2", Int.max)) {
            try SessionCount.check(MetricValues([.eidL2: Int.max]))
        }
        #expect(throws: SessionError.countOutOfRange("dvc_submitted", -3)) {
            try SessionCount.check(MetricValues([.eidL2: 1]), campaignCounts: ["dvc_submitted": -3])
        }
        let phrase = CountParser.Failure.tooLarge.phrase("\"1000000001\"")
        #expect(phrase.text(Labels(.vi)).contains("1.000.000.000"))
        #expect(phrase.text(Labels(.en)).contains("1,000,000,000"))
    }

    @Test("logging a count above the cap is refused before anything is written, naming the metric and the cap")
    func logRefused() throws {
        let store = try BundleLab.seeded()
        for huge in [Int.max, SessionCount.maximum + 1] {
            #expect(throws: SessionError.countOutOfRange("eid_l2", huge)) { try BundleLab.log(store, "16282-01", "2026-11-03", eid: huge) }
        }
        let error = SessionError.countOutOfRange("eid_l2", Int.max)
        #expect(error.message(in: Labels(.vi))!.contains("từ 0 đến 1.000.000.000"))
        #expect(try BundleLab.count(store, "session") == 0)
        try BundleLab.log(store, "16282-01", "2026-11-03", eid: SessionCount.maximum)
        #expect(try BundleLab.count(store, "session") == 1)
    }

    @Test("a bundle record with a count above the cap is refused by merge, naming the line and column; nothing is merged")
    func mergeRefused() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let source = try BundleLab.seeded()
        try BundleLab.log(source, "16282-01", "2026-11-03", eid: 24)
        let records = try BundleLab.records(lab.export(source, "ok.bundle"))
        let forged = records.map { $0.hasPrefix("[\"session\"") ? $0.replacingOccurrences(of: ",24,", with: ",9223372036854775807,") : $0 }
        #expect(forged != records)
        let path = try lab.handMade("forged.bundle", forged)
        let target = try Store.inMemory()
        do {
            try BundleLab.merge(path, into: target)
            Issue.record("merged a bundle with a count above the cap")
        } catch let BundleError.badRecord(_, line, text) {
            #expect(line == forged.firstIndex { $0.hasPrefix("[\"session\"") }! + 2)
            #expect(text.contains("eid_l2") && text.contains("1000000000"))
        }
        #expect(try BundleLab.count(target, "session") == 0)
        #expect(try BundleLab.count(target, "area") == 0)
    }

    @Test("checked sums: an overflow throws CountOverflow, clamped sums never trap, Int(saturating:) never traps")
    func checkedSums() throws {
        #expect(throws: CountOverflow("eid_l2")) { try Int.max.addingCount(1, "eid_l2") }
        #expect(try 2.addingCount(3, "x") == 5)
        #expect(Int.max.addingClamped(5) == Int.max)
        #expect(Int.min.addingClamped(-5) == Int.min)
        #expect(Int(saturating: 1e300) == Int.max && Int(saturating: -1e300) == Int.min && Int(saturating: .nan) == 0)
        var totals = MetricValues([.eidL2: Int.max])
        totals.add(MetricValues([.eidL2: 1]))
        #expect(totals[.eidL2] == Int.max)
        #expect(throws: CountOverflow("eid_l2")) { try totals.addChecked(MetricValues([.eidL2: 1])) }
        #expect(Tally(value: Int.max) + Tally(value: 1) == Tally(value: Int.max))
        var own = OwnTotals(count: 2)
        own.set(0, column: Metric.eidL2.index, sum: Int.max)
        own.set(1, column: Metric.eidL2.index, sum: 1)
        #expect(throws: CountOverflow("eid_l2")) { try own.checkSums() }
        #expect(CountOverflow("eid_l2").message(in: Labels(.vi))!.contains("outreach check"))
    }

    @Test("a stored total that is not an integer: coverage throws a sentence, check names it, repair rebuilds it")
    func realTotal() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let store = try Store.open(path: lab.path("w.sqlite"), create: true)
        try BundleLab.merge(lab.export(BundleLab.seeded(), "seed.bundle"), into: store)
        try BundleLab.log(store, "16282-01", "2026-11-03", eid: 24)
        let start = Day(parsing: "2026-11-01")!, end = Day(parsing: "2026-11-30")!
        // What SQLite made of a total that overflowed: a REAL.
        try tamper(store, "UPDATE area_month SET eid_l2 = 1.8446744073709552e19")
        #expect(throws: CountOverflow("eid_l2")) {
            _ = try store.periodTotals(start: start, end: end, asOf: Day(parsing: "2026-11-20")!)
        }
        let check = try store.check()
        #expect(!check.passed && check.repairable)
        let monthly = try #require(item(check, "monthly totals"))
        #expect(monthly.status == .problem)
        #expect(monthly.found.text(Labels(.vi)).contains("không phải số nguyên"))
        #expect(monthly.todo?.text(Labels(.vi)).contains("--repair") == true)
        _ = try store.repair()
        #expect(try store.check().passed)
        #expect(try store.periodTotals(start: start, end: end, asOf: Day(parsing: "2026-11-20")!).values.first?.metrics[.eidL2] == 24)
        // The campaign metrics' totals and a TEXT value too.
        try tamper(store, "UPDATE area_month SET eid_l2 = 'many'")
        #expect(item(try store.check(), "monthly totals")?.status == .problem)
        _ = try store.repair()
        #expect(try store.check().passed)
    }

    @Test("sessions an older version let in with counts above the cap are named by check, and repair refuses with a sentence")
    func hugeSessions() throws {
        let store = try BundleLab.seeded()
        try BundleLab.log(store, "16282-01", "2026-11-03", eid: 5)
        // Two sessions as `outreach log --eid-l2 9223372036854775807` wrote them before the cap.
        for day in ["2026-11-04", "2026-11-05"] {
            try tamper(store, """
                INSERT INTO session (uuid, day, area_id, eid_l2)
                SELECT randomblob(16), \(Day(parsing: day)!.number), id, 9223372036854775807 FROM area WHERE code = '16282-01'
                """)
        }
        let check = try store.check()
        let counts = try #require(item(check, "session counts"))
        #expect(counts.status == .problem)
        #expect(counts.found.text(Labels(.vi)).contains("2 buổi"))
        #expect(counts.todo?.text(Labels(.vi)).contains("outreach sessions void") == true)
        #expect(!check.repairable)
        #expect(throws: CountOverflow.self) { _ = try store.repair() }
    }
}

@Suite("Opening a workspace: read-only media, full disks, damaged files, SQLite codes in words")
struct StoreFaultTests {
    /// A workspace file with a session, closed.
    private func workspace(_ lab: BundleLab) throws -> String {
        let path = lab.path("w.sqlite")
        let store = try Store.open(path: path, create: true)
        try BundleLab.merge(lab.export(BundleLab.seeded(), "seed.bundle"), into: store)
        try BundleLab.log(store, "16282-01", "2026-11-03", eid: 24)
        return path
    }

    @Test("a workspace opened read-only (as on a write-protected stick) reads, checks, backs up, and a write says the medium is read-only")
    func readOnly() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let path = try workspace(lab)
        let store = try Store.open(path: path, readOnly: true)
        #expect(store.isReadOnly)
        #expect(try store.check().passed)
        let start = Day(parsing: "2026-11-01")!, end = Day(parsing: "2026-12-31")!
        // A period never registered: read without writing its totals.
        let totals = try store.periodTotals(start: start, end: end, asOf: Day(parsing: "2026-11-20")!)
        #expect(totals.values.first?.metrics[.eidL2] == 24)
        #expect(try store.backup(to: lab.path("copy.sqlite")).sessions == 1)
        #expect(throws: StoreError.readOnlyMedium(path: path)) { try BundleLab.log(store, "16282-01", "2026-11-04", eid: 1) }
        #expect(StoreError.readOnlyMedium(path: path).message(in: Labels(.vi))!.contains("chỉ cho đọc"))
        #expect(StoreError.readOnlyMedium(path: path).message(in: Labels(.en))!.contains("this medium is read-only"))
        // Nothing was created beside it.
        #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
    }

    @Test("the decision: a folder or file this user cannot write is read-only media (as root, chmod does not stop writes)")
    func decision() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let path = try workspace(lab)
        #expect(!Store.isReadOnlyMedium(path: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: lab.dir.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: lab.dir.path) }
        if getuid() == 0 {
            #expect(!Store.isReadOnlyMedium(path: path), "root may write there, so it is not read-only")
        } else {
            #expect(Store.isReadOnlyMedium(path: path))
            let store = try Store.open(path: path)
            #expect(store.isReadOnly)
            #expect(try store.check().passed)
        }
    }

    @Test("every SQLite code for the disk, the file or a lock is translated; none reaches a user as a number")
    func translate() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let path = try workspace(lab)
        func translated(_ code: Int32) -> StoreError? {
            StoreError.translate(DatabaseError(resultCode: ResultCode(rawValue: code)), path: path) as? StoreError
        }
        // SQLITE_IOERR_SHMSIZE (4874), _WRITE, _FSYNC, _READ …: an I/O error on a disk with room.
        for code: Int32 in [4874, 778, 1034, 266, 10] { #expect(translated(code) == .ioError(path: path), "\(code)") }
        #expect(translated(522) == .damaged(path: path))  // SQLITE_IOERR_SHORT_READ: a file cut short
        #expect(translated(13) == .diskFull(path: path))  // SQLITE_FULL
        #expect(translated(11) == .damaged(path: path))   // SQLITE_CORRUPT
        #expect(translated(26) == .damaged(path: path))   // SQLITE_NOTADB on a file that starts as SQLite
        #expect(translated(5) == .busy(path: path))
        #expect(translated(6) == .busy(path: path))
        #expect(translated(8) == .readOnly(path: path))
        for error in [StoreError.ioError(path: path), .diskFull(path: path), .damaged(path: path)] {
            #expect(!(error.message(in: Labels(.vi))!.contains("SQLite")))
        }
    }

    @Test("a damaged header or a truncated file is damaged (restore from backup), another file is not a workspace")
    func damaged() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let path = try workspace(lab)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var overwritten = bytes
        for i in 0..<100 { overwritten[i] = 0x58 }
        let cases: [(String, [UInt8])] = [("header.sqlite", overwritten), ("short.sqlite", Array(bytes.prefix(50))),
                                          ("half.sqlite", Array(bytes.prefix(8192)))]
        for (name, content) in cases {
            try Data(content).write(to: URL(fileURLWithPath: lab.path(name)))
            #expect(throws: StoreError.damaged(path: lab.path(name)), "\(name)") { _ = try Store.open(path: lab.path(name)) }
        }
        #expect(StoreError.damaged(path: "w.sqlite").message(in: Labels(.vi))!.contains("sao lưu"))
        #expect(!StoreError.damaged(path: "w.sqlite").message(in: Labels(.vi))!.contains("outreach init"))
        try Data("code,name\n1,Xã Một\n".utf8).write(to: URL(fileURLWithPath: lab.path("areas.csv")))
        #expect(throws: StoreError.notAWorkspace(path: lab.path("areas.csv"))) { _ = try Store.open(path: lab.path("areas.csv")) }
        #expect(!Store.looksDamaged(Array(repeating: 0x41, count: 2048)))
    }

    @Test("partial files a killed backup or export left are removed by the next run; a running one's are kept")
    func partialFiles() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let store = try Store.open(path: try workspace(lab))
        let dead = "999999999"  // above any pid_max: no such process
        let alive = String(getpid())
        for name in ["b.sqlite.partial-\(dead)", "b.sqlite.partial-\(dead)-journal", "x.bundle.partial-\(dead)",
                     "b.sqlite.partial-\(alive)x", "x.bundle.partial-1"] {
            try Data("half".utf8).write(to: URL(fileURLWithPath: lab.path(name)))
        }
        _ = try store.backup(to: lab.path("b.sqlite"))
        _ = try store.exportBundle(to: lab.path("x.bundle"), scope: BundleScope(), now: BundleLab.now)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: lab.dir.path).filter { $0.contains("partial") })
        // pid 1 runs (init); a name that is not NAME.partial-PID is not ours.
        #expect(left == ["b.sqlite.partial-\(alive)x", "x.bundle.partial-1"])
    }
}
