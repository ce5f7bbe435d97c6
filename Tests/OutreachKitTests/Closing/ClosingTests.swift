import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// A workspace of the sample district on one engine: Nông Cống (404) with Xã Tân Phúc (16282) and
/// Xã Tân Thọ (16285) and their hamlets, the sample teams, and sessions in October and November
/// 2026 in a hamlet of each commune. "Today" is 5 December 2026.
struct ClosingWorkspace {
    let store: any WorkspaceStore
    let location: String
    static let today = Day(year: 2026, month: 12, day: 5)!
    static let october = Day(year: 2026, month: 10, day: 14)!
    static let november = Day(year: 2026, month: 11, day: 9)!

    static let engines: [StorageEngine] = PostgresTestServer.available ? [.sqlite, .postgresql] : [.sqlite]

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static func resource(_ path: String) -> String { packageRoot.appendingPathComponent("Resources/" + path).path }

    /// A campaign over the district for 2026 (months), or with `quarter` and `lockAfterDays`.
    static func campaign(approval: PeriodKind = .month, lockAfterDays: Int? = nil) -> Campaign {
        Campaign(id: "de-an-06", name: "Đề án 06", scope: "404", start: Day(year: 2026, month: 1, day: 1)!,
                 end: Day(year: 2026, month: 12, day: 31)!,
                 indicators: [Indicator(id: "eid", label: "eID", numerator: ["eid_l2"], denominator: "adults", target: .share(0.9))],
                 closing: ClosingRules(approval: approval, lockAfterDays: lockAfterDays))
    }

    static func location(_ engine: StorageEngine) async throws -> String {
        switch engine {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-closing-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return dir.appendingPathComponent("w.sqlite").path
        case .postgresql:
            let fresh = try await PostgresTestServer.freshDatabase()
            let text = PostgresTestServer.uri ?? ""
            let admin = try PostgresLocation(uri: text)
            guard let range = text.range(of: "/\(admin.database)") else { return text }
            return text.replacingCharacters(in: range, with: "/\(fresh.database)")
        }
    }

    static func make(_ engine: StorageEngine, sessions: Bool = true) async throws -> ClosingWorkspace {
        let location = try await location(engine)
        let store = try await Workspaces.open(location, create: true)
        for path in [resource("areas/nong_cong.csv"), resource("sample/hamlets.csv")] {
            _ = try await store.importAreas(try AreaFile.read(try CSVReader(path: path)), file: path, on: today)
        }
        _ = try await store.importTeams(try TeamFile.read(try CSVReader(path: resource("sample/teams.csv"))).rows, file: "teams.csv", on: today)
        let w = ClosingWorkspace(store: store, location: location)
        if sessions {
            for (area, day) in [("16282-01", october), ("16282-02", november), ("16285-01", october)] {
                _ = try await w.log(area, day, eid: 3)
            }
        }
        return w
    }

    func log(_ area: String, _ day: Day, eid: Int, replacing: String? = nil) async throws -> LoggedSession {
        try await store.logSession(NewSession(day: day, area: area, team: nil, loggedBy: nil, metrics: MetricValues([.eidL2: eid])),
                                   today: Self.today, replacing: replacing, reason: replacing == nil ? nil : "sửa số", campaignMetrics: [])
    }

    func desk(_ campaign: Campaign = ClosingWorkspace.campaign()) -> Approvals {
        Approvals(store: store, campaigns: [campaign], today: Self.today)
    }

    func states() async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await store.approvalRows(period: nil).map { ("\($0.code) \($0.period)", $0.state.rawValue) })
    }

    func liveSessions() async throws -> Int { try await store.sessions(SessionQuery()).count }
}

/// Runs `body` as the person `name` (what `--by` or a signed-in account does).
func recorded<T>(_ name: String, autoLocks: [AutoLock] = [], _ body: () async throws -> T) async throws -> T {
    try await Recorder.$current.withValue(Recorder(name: name, autoLocks: autoLocks)) { try await body() }
}

@Suite("Closing the month: approval states, refusals, the lock on every write path, audit rows")
struct ClosingTests {
    @Test("periods: months and quarters are read in every written form, with their first and last day")
    func periods() {
        #expect(Period(parsing: "2026-11") == Period(year: 2026, month: 11))
        #expect(Period(parsing: "11/2026") == Period(year: 2026, month: 11))
        #expect(Period(parsing: " 2026-q4 ") == Period(year: 2026, quarter: 4))
        #expect(Period(parsing: "Q1/2027") == Period(year: 2027, quarter: 1))
        for bad in ["2026-13", "2026", "tháng 11", "2026-Q5", "26-11", "", "2026-1-1"] { #expect(Period(parsing: bad) == nil, "\(bad)") }
        #expect(Period(year: 2024, month: 2).end == Day(year: 2024, month: 2, day: 29))
        #expect(Period(year: 2026, quarter: 4).start == Day(year: 2026, month: 10, day: 1))
        #expect(Period(year: 2026, quarter: 4).end == Day(year: 2026, month: 12, day: 31))
        #expect(Period(.quarter, containing: Day(year: 2026, month: 5, day: 3)!) == Period(year: 2026, quarter: 2))
        #expect(Period(year: 2026, month: 3).text(Labels(.vi)) == "tháng 03/2026")
    }

    @Test("lock rules: a closed unit locks its subtree for the period only; a self-closing period locks until a unit reopens it")
    func lockRules() {
        let nov = Period(year: 2026, month: 11)
        let closed = ApprovalRow(areaID: 2, code: "16282", name: "Xã Tân Phúc", period: nov, state: .closed, actor: "hung", stamp: "2026-12-01T02:00:00Z")
        let rules = LockRules(rows: [closed], autoLocks: [], today: ClosingWorkspace.today)
        #expect(rules.lock(day: Day(year: 2026, month: 11, day: 3)!, chain: [5, 2, 1])?.actor == "hung")
        #expect(rules.lock(day: Day(year: 2026, month: 10, day: 31)!, chain: [5, 2, 1]) == nil)
        #expect(rules.lock(day: Day(year: 2026, month: 11, day: 3)!, chain: [6, 3, 1]) == nil)
        let quarter = LockRules(rows: [ApprovalRow(areaID: 1, code: "404", name: "Nông Cống", period: Period(year: 2026, quarter: 3),
                                                   state: .closed, actor: "huyen", stamp: "2026-10-10T00:00:00Z")], autoLocks: [], today: ClosingWorkspace.today)
        #expect(quarter.lock(day: Day(year: 2026, month: 8, day: 1)!, chain: [5, 2, 1])?.code == "404")
        let auto = AutoLock(campaign: ClosingWorkspace.campaign(lockAfterDays: 15))
        let selfClosing = LockRules(rows: [], autoLocks: [(auto, 1, "404", "Nông Cống")], today: ClosingWorkspace.today)
        #expect(selfClosing.lock(day: Day(year: 2026, month: 10, day: 5)!, chain: [5, 2, 1])?.campaign == "de-an-06")
        // November ended on the 30th: it closes itself after 15 December.
        #expect(selfClosing.lock(day: Day(year: 2026, month: 11, day: 5)!, chain: [5, 2, 1]) == nil)
        let reopened = ApprovalRow(areaID: 2, code: "16282", name: "Xã Tân Phúc", period: Period(year: 2026, month: 10), state: .open,
                                   actor: "hung", stamp: "2026-12-02T00:00:00Z", reason: "thiếu")
        let afterReopen = LockRules(rows: [reopened], autoLocks: [(auto, 1, "404", "Nông Cống")], today: ClosingWorkspace.today)
        #expect(afterReopen.lock(day: Day(year: 2026, month: 10, day: 5)!, chain: [5, 2, 1]) == nil)
        #expect(afterReopen.lock(day: Day(year: 2026, month: 10, day: 5)!, chain: [6, 3, 1]) != nil)
    }

    @Test("close, accept, refuse to reopen under an acceptance, reopen with a reason: every state and its audit row",
          arguments: ClosingWorkspace.engines)
    func states(engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine)
        let desk = w.desk()
        let oct = "2026-10"
        // The district cannot accept while its communes with sessions are open.
        await #expect(throws: ApprovalError.self) { try await desk.approve(code: "404", period: oct) }
        do {
            _ = try await desk.approve(code: "404", period: oct)
        } catch let ApprovalError.openBelow(_, _, units) {
            #expect(units.contains { $0.contains("16282") } && units.contains { $0.contains("16285") })
        }
        #expect(try await w.states().isEmpty)
        let closed = try await recorded("hung") { try await desk.approve(code: "16282", period: oct) }
        #expect(closed.state == .closed)
        await #expect(throws: ApprovalError.self) { try await desk.approve(code: "404", period: oct) }
        try await recorded("tho") { _ = try await desk.approve(code: "16285", period: oct) }
        let accepted = try await recorded("huyen") { try await desk.approve(code: "404", period: oct) }
        #expect(accepted.accepted.sorted() == ["16282", "16285"])
        let table = try await desk.table(under: "404", period: oct)
        #expect(table.lines.first { $0.code == "16282" }?.state == .accepted)
        #expect(table.lines.first { $0.code == "404" }?.state == .closed)
        #expect(table.lines.first { $0.code == "16291" }?.state == .open)
        // Accepted above: the commune cannot reopen alone.
        await #expect(throws: ApprovalError.self) { try await desk.unapprove(code: "16282", period: oct, reason: "thiếu") }
        await #expect(throws: ApprovalError.noReason) { try await desk.unapprove(code: "404", period: oct, reason: "  ") }
        await #expect(throws: ApprovalError.alreadyClosed(code: "404", name: "Huyện Nông Cống", period: Period(year: 2026, month: 10),
                                                          actor: "huyen", stamp: try await w.store.approvalRows(period: nil)
                                                            .first { $0.code == "404" }!.stamp)) {
            try await desk.approve(code: "404", period: oct)
        }
        try await recorded("huyen") { _ = try await desk.unapprove(code: "404", period: oct, reason: "xã xin sửa") }
        try await recorded("hung") { _ = try await desk.unapprove(code: "16282", period: oct, reason: "thôn 1 thiếu") }
        #expect(try await w.states() == ["404 2026-10": "open", "16282 2026-10": "open", "16285 2026-10": "closed"])
        await #expect(throws: ApprovalError.self) { try await desk.unapprove(code: "16282", period: oct, reason: "lần nữa") }
        let audit = try await w.store.auditEntries(AuditQuery()).filter { $0.subject == "approval" }
        #expect(audit.map { "\($0.actor) \($0.action.rawValue) \($0.key) \($0.reason ?? "")" } == [
            "hung approval.close 16282 2026-10 ", "tho approval.close 16285 2026-10 ", "huyen approval.close 404 2026-10 ",
            "huyen approval.reopen 404 2026-10 xã xin sửa", "hung approval.reopen 16282 2026-10 thôn 1 thiếu",
        ])
    }

    @Test("bad input: a future or running period, one outside the campaign or of the wrong kind, an unknown unit, a hamlet, bad text — each refused, nothing changed",
          arguments: ClosingWorkspace.engines)
    func badInput(engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine)
        let desk = w.desk()
        await #expect(throws: ApprovalError.notEnded(period: Period(year: 2026, month: 12), end: Day(year: 2026, month: 12, day: 31)!)) {
            try await desk.approve(code: "16282", period: "2026-12")
        }
        await #expect(throws: ApprovalError.self) { try await desk.approve(code: "16282", period: "2027-01") }
        await #expect(throws: ApprovalError.outsideCampaign(period: Period(year: 2025, month: 6), campaign: "de-an-06",
                                                            start: Day(year: 2026, month: 1, day: 1)!, end: Day(year: 2026, month: 12, day: 31)!)) {
            try await desk.approve(code: "16282", period: "2025-06")
        }
        await #expect(throws: ApprovalError.wrongKind(period: Period(year: 2026, month: 10), campaign: "de-an-06", kind: .quarter,
                                                      suggestion: Period(year: 2026, quarter: 4))) {
            try await w.desk(ClosingWorkspace.campaign(approval: .quarter)).approve(code: "16282", period: "2026-10")
        }
        await #expect(throws: AreaLookupError.unknownCode("99999")) { try await desk.approve(code: "99999", period: "2026-10") }
        await #expect(throws: ApprovalError.hamlet(code: "16282-01", commune: "16282")) { try await desk.approve(code: "16282-01", period: "2026-10") }
        await #expect(throws: ApprovalError.badPeriod("tháng mười")) { try await desk.approve(code: "16282", period: "tháng mười") }
        await #expect(throws: ApprovalError.notClosed(code: "16282", name: "Xã Tân Phúc", period: Period(year: 2026, month: 10))) {
            try await desk.unapprove(code: "16282", period: "2026-10", reason: "không có gì")
        }
        #expect(try await w.states().isEmpty)
        #expect(try await w.store.auditEntries(AuditQuery()).filter { $0.subject == "approval" }.isEmpty)
        // The sentences say what to do, in Vietnamese.
        let l = Labels(.vi)
        #expect(ApprovalError.noReason.text(l).contains("--reason"))
        #expect(ApprovalError.notEnded(period: Period(year: 2026, month: 12), end: Day(year: 2026, month: 12, day: 31)!).text(l)
            .contains("31/12/2026"))
    }

    @Test("a closed month refuses log, void, correction, import and merge on the closed commune, changing nothing; the other commune is free",
          arguments: ClosingWorkspace.engines)
    func lockOnEveryWritePath(engine: StorageEngine) async throws {
        // A copy that will send a bundle: the same district, with October sessions of Tân Phúc.
        let laptop = try await ClosingWorkspace.make(.sqlite, sessions: false)
        _ = try await laptop.log("16282-03", ClosingWorkspace.october, eid: 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bundle = dir.appendingPathComponent("laptop.bundle").path
        _ = try await laptop.store.exportBundle(to: bundle, name: "laptop.bundle", scope: BundleScope(), now: Date())

        let w = try await ClosingWorkspace.make(engine)
        let octoberSession = try await w.store.sessions(SessionQuery(under: "16282-01")).first!.id
        try await recorded("hung") { _ = try await w.desk().approve(code: "16282", period: "2026-10") }
        let before = try await w.liveSessions()

        func refused(_ body: () async throws -> Void) async throws -> LockRefusal {
            do {
                try await body()
            } catch let refusal as LockRefusal {
                return refusal
            }
            Issue.record("not refused")
            return LockRefusal(sessions: [])
        }
        let logged = try await refused { _ = try await w.log("16282-04", ClosingWorkspace.october, eid: 1) }
        #expect(logged.sessions.first?.lock.actor == "hung" && logged.sessions.first?.lock.code == "16282")
        let sentence = try #require(logged.message(in: Labels(.vi)))
        #expect(sentence.contains("tháng 10/2026") && sentence.contains("hung") && sentence.contains("outreach unapprove --area 16282 --period 2026-10"))
        _ = try await refused { _ = try await w.store.voidSession(octoberSession, reason: "nhầm", on: ClosingWorkspace.today) }
        // A correction dated in November of a session of October changes October's figures too.
        _ = try await refused { _ = try await w.log("16282-01", ClosingWorkspace.november, eid: 4, replacing: octoberSession) }
        // An import with one row in the closed month is refused whole, naming the line.
        let file = dir.appendingPathComponent("sessions.csv").path
        try """
            date,area,eid_l2
            2026-11-03,16282-01,2
            2026-10-20,16282-02,5
            2026-10-20,16285-02,1
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try await refused {
            _ = try await w.store.importSessions(file: file, name: "sessions.csv", today: ClosingWorkspace.today, campaignMetrics: [],
                                                 problemLimit: 50, corrections: .refuse, progress: nil)
        }
        #expect(imported.sessions.map(\.line) == [3] && imported.source == "sessions.csv")
        #expect(imported.sessions.first?.area == "16282-02")
        let merged = try await refused {
            _ = try await w.store.mergeBundle(file: bundle, name: "laptop.bundle", today: ClosingWorkspace.today, now: Date(),
                                              setAsideConflicts: false)
        }
        #expect(merged.sessions.count == 1 && merged.source == "laptop.bundle")
        #expect(try await w.liveSessions() == before)
        // The open commune and the open month are untouched by the lock.
        _ = try await w.log("16285-02", ClosingWorkspace.october, eid: 1)
        _ = try await w.log("16282-04", ClosingWorkspace.november, eid: 1)
        #expect(try await w.liveSessions() == before + 2)
    }

    @Test("a write reads the campaigns folder once: files setting lock_after_days or rules (not in a comment) give its checks")
    func entryChecks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-checks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let head = "version: 1\nname: K\nscope: \"404\"\nperiod: {start: 2026-01-01, end: 2026-12-31}\n"
            + "indicators:\n  - {id: e, label: E, numerator: [eid_l2], denominator: adults, target: 90%}\n"
        try (head.replacingOccurrences(of: "version: 1\n", with: "version: 1\nid: a\n") + "# lock_after_days: 15\n")
            .write(to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try (head.replacingOccurrences(of: "version: 1\n", with: "version: 1\nid: b\n") + "lock_after_days: 15\n"
             + "rules:\n  - {id: r, rule: eid_l2 <= people_reached, message: M}\n")
            .write(to: dir.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let checks = CampaignCatalog(directory: dir.path).entryChecks()
        #expect(checks.autoLocks.map(\.campaign) == ["b"] && checks.autoLocks.first?.days == 15)
        #expect(checks.sessionRules.map(\.campaign) == ["b"] && checks.sessionRules.first?.rules.map(\.id) == ["r"])
        #expect(CampaignCatalog(directory: dir.appendingPathComponent("missing").path).entryChecks().autoLocks.isEmpty)
    }

    @Test("lock_after_days closes a period by itself; reopening the commune opens it again", arguments: ClosingWorkspace.engines)
    func selfClosing(engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine)
        let campaign = ClosingWorkspace.campaign(lockAfterDays: 15)
        try await recorded("hung", autoLocks: AutoLock.of([campaign])) {
            await #expect(throws: LockRefusal.self) { _ = try await w.log("16282-04", ClosingWorkspace.october, eid: 1) }
            _ = try await w.log("16282-04", ClosingWorkspace.november, eid: 1)
            let table = try await w.desk(campaign).table(under: "16282", period: "2026-10")
            #expect(table.lines.first?.state == .selfClosed(campaign: "de-an-06"))
            _ = try await w.desk(campaign).unapprove(code: "16282", period: "2026-10", reason: "thôn 4 báo muộn")
            _ = try await w.log("16282-04", ClosingWorkspace.october, eid: 1)
            // Tân Thọ was not reopened: its October stays closed.
            await #expect(throws: LockRefusal.self) { _ = try await w.log("16285-02", ClosingWorkspace.october, eid: 1) }
        }
    }

    @Test("the audit trail: every kind of change, by whom, with old and new values; filtered by area, day and person; never edited",
          arguments: ClosingWorkspace.engines)
    func audit(engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine, sessions: false)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try await recorded("lan") {
            let first = try await w.log("16282-01", ClosingWorkspace.october, eid: 3)
            let second = try await w.log("16282-02", ClosingWorkspace.october, eid: 1)
            _ = try await w.log("16282-01", ClosingWorkspace.october, eid: 5, replacing: first.id)
            _ = try await w.store.voidSession(second.id, reason: "ghi nhầm thôn", on: ClosingWorkspace.today)
        }
        try await recorded("hung") {
            let file = dir.appendingPathComponent("s.csv").path
            try "date,area,eid_l2\n2026-11-03,16285-01,2\n".write(toFile: file, atomically: true, encoding: .utf8)
            _ = try await w.store.importSessions(file: file, name: "s.csv", today: ClosingWorkspace.today, campaignMetrics: [],
                                                 problemLimit: 50, corrections: .refuse, progress: nil)
            try await w.store.addTeam(Team(code: "DV-16282", name: "Tổ dân vận Tân Phúc", kind: .volunteer, areaCode: "16282"),
                                      on: ClosingWorkspace.today)
            _ = try await w.store.addMember(Member(teamCode: "DV-16282", name: "Phạm Thu", phone: Phone(digits: "0912345678")))
            _ = try await w.store.receiveLeaflets(into: "16282", quantity: 500, on: ClosingWorkspace.today, batch: nil, id: UUID())
            _ = try await w.store.allocateLeaflets(from: "16282", to: "16282-01", quantity: 40, on: ClosingWorkspace.today, batch: nil,
                                                   allowNegative: false, id: UUID())
            let renamed = dir.appendingPathComponent("a.csv").path
            try "code,name,kind,parent_code,population,adults,working_age,households\n16282-01,Thôn Một,thôn,16282,1180,880,760,330\n"
                .write(toFile: renamed, atomically: true, encoding: .utf8)
            _ = try await w.store.importAreas(try AreaFile.read(try CSVReader(path: renamed)), file: "a.csv", on: ClosingWorkspace.today)
            _ = try await w.desk().approve(code: "16282", period: "2026-10")
        }
        let all = try await w.store.auditEntries(AuditQuery())
        let actions = Set(all.map(\.action))
        for action in [AuditAction.sessionLog, .sessionReplace, .sessionVoid, .sessionsImport, .teamAdd, .memberAdd, .leafletsReceive,
                       .leafletsAllocate, .areasImport, .approvalClose] {
            #expect(actions.contains(action), "\(action)")
        }
        let replace = try #require(all.first { $0.action == .sessionReplace })
        #expect(replace.actor == "lan" && replace.reason == "sửa số" && replace.area == "16282-01" && replace.after?.contains("\"eid_l2\":5") == true)
        #expect(all.first { $0.action == .sessionVoid }?.reason == "ghi nhầm thôn")
        let rename = try #require(all.first { $0.action == .areasImport && $0.key == "16282-01" })
        #expect(AuditListing.change(rename).contains("name: Thôn 1 → Thôn Một") && AuditListing.change(rename).contains("adults: 870 → 880"))
        // A phone never reaches the trail whole.
        #expect(!all.contains { ($0.after ?? "").contains("0912345678") })
        #expect(try await w.store.auditEntries(AuditQuery(by: "lan")).count == 4)
        #expect(try await w.store.auditEntries(AuditQuery(under: "16285")).map(\.action) == [])
        #expect(try await w.store.auditEntries(AuditQuery(under: "16282")).allSatisfy { $0.area?.hasPrefix("16282") == true })
        #expect(try await w.store.auditEntries(AuditQuery(since: ClosingWorkspace.today.adding(days: 2))).isEmpty)
        #expect(try await w.store.auditEntries(AuditQuery(since: Day(Date()))).count == all.count)
        // Append-only: the engine refuses edits and deletes.
        switch engine {
        case .sqlite:
            let store = try #require(w.store as? Store)
            #expect(throws: (any Error).self) { try store.write { db in try db.execute(sql: "DELETE FROM audit") } }
            #expect(throws: (any Error).self) { try store.write { db in try db.execute(sql: "UPDATE audit SET actor = 'x'") } }
        case .postgresql:
            let location = try PostgresLocation(uri: w.location)
            await #expect(throws: (any Error).self) { try await PostgresTestServer.sql(location, "DELETE FROM audit") }
            await #expect(throws: (any Error).self) { try await PostgresTestServer.sql(location, "UPDATE audit SET actor = 'x'") }
        }
        #expect(try await w.store.auditEntries(AuditQuery()).count == all.count)
    }

    @Test("bundles carry approval states and audit rows; a merge adds its own row and a second merge adds nothing",
          arguments: ClosingWorkspace.engines)
    func bundles(engine: StorageEngine) async throws {
        let source = try await ClosingWorkspace.make(.sqlite)
        try await recorded("hung") { _ = try await source.desk().approve(code: "16282", period: "2026-10") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("b.bundle").path
        let header = try await source.store.exportBundle(to: path, name: "b.bundle", scope: BundleScope(under: "16282"), now: Date())
        #expect(header.counts.approvals == 1 && header.counts.audit > 0)
        let target = try await ClosingWorkspace.make(engine, sessions: false)
        _ = try await recorded("huyen") {
            try await target.store.mergeBundle(file: path, name: "b.bundle", today: ClosingWorkspace.today, now: Date(), setAsideConflicts: false)
        }
        #expect(try await target.states() == ["16282 2026-10": "closed"])
        let trail = try await target.store.auditEntries(AuditQuery())
        let carried = try await source.store.auditEntries(AuditQuery(under: "16282"))
        #expect(Set(carried.map(\.id)).isSubset(of: Set(trail.map(\.id))))
        #expect(trail.filter { $0.action == .bundleMerge }.map(\.actor) == ["huyen"])
        _ = try await target.store.mergeBundle(file: path, name: "b.bundle", today: ClosingWorkspace.today, now: Date(), setAsideConflicts: false)
        #expect(try await target.store.auditEntries(AuditQuery()).count == trail.count)
        // The closed month now refuses a session there.
        await #expect(throws: LockRefusal.self) { _ = try await target.log("16282-04", ClosingWorkspace.october, eid: 1) }
    }
}
