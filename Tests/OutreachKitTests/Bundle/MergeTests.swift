import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// Sets when an area was last changed (revision stamps decide which version a merge keeps).
private func stamp(_ store: Store, area code: String, _ revised: String) throws {
    try store.write { try $0.execute(sql: "UPDATE area SET revised = ? WHERE code = ?", arguments: [revised, code]) }
}

/// Renames an area as `areas import` would (the trigger stamps the change).
private func rename(_ store: Store, _ code: String, to name: String, parent: String = "16282") throws {
    _ = try store.importAreas([AreaRow(line: 2, code: code, name: name, level: .hamlet, parentCode: parent)], file: "areas.csv",
                              on: BundleLab.today)
}

private func areaName(_ store: Store, _ code: String) throws -> String? {
    try store.read { try String.fetchOne($0, sql: "SELECT name FROM area WHERE code = ?", arguments: [code]) }
}

/// Three copies of one workspace where each did its own work: sessions, voids, leaflets, a
/// rename of the same hamlet in two copies, a team change.
func threeCopies(_ lab: BundleLab) throws -> (a: Store, b: Store, c: Store) {
    let origin = try BundleLab.seeded()
    let base = try lab.export(origin, "base.bundle", scope: BundleScope(includePhones: true))
    let (a, b, c) = (try Store.inMemory(), try Store.inMemory(), try Store.inMemory())
    for store in [a, b, c] { try BundleLab.merge(base, into: store) }
    // A: three sessions, one voided, and leaflets received and passed on.
    try BundleLab.log(a, "16282-01", "2026-11-03", eid: 24, leaflets: 120, team: "P06-16282", notes: "Họp thôn; phát tờ rơi")
    let wrong = try BundleLab.log(a, "16282-02", "2026-11-05", eid: 17)
    try BundleLab.log(a, "16285-01", "2026-10-28", eid: 12)
    try a.voidSession(wrong, reason: "counted twice", on: BundleLab.today)
    _ = try a.receiveLeaflets(into: "404", quantity: 6000, on: Day(parsing: "2026-10-25")!)
    _ = try a.allocateLeaflets(from: "404", to: "16282", quantity: 1500, on: Day(parsing: "2026-10-28")!)
    try rename(a, "16282-02", to: "Thôn Hai")
    try stamp(a, area: "16282-02", "2026-11-20T08:00:00.000Z")
    // B: two sessions, a later rename of the same hamlet, and a correction of one of A's sessions it merged.
    try BundleLab.log(b, "16282-03", "2026-11-07", eid: 31, leaflets: 1010, team: "P06-16282")
    try BundleLab.log(b, "16282-02", "2026-11-21", eid: 3)
    try rename(b, "16282-02", to: "Thôn 2 (Đồng Lạc)")
    try stamp(b, area: "16282-02", "2026-11-21T09:30:00.000Z")
    // C: one session and a change to a team.
    try BundleLab.log(c, "16282-01", "2026-11-20", eid: 9, leaflets: 40)
    _ = try c.importTeams([TeamRow(line: 2, team: Team(code: "TN-16285", name: "Đội thanh niên tình nguyện Tân Thọ", kind: .volunteer,
                                                      areaCode: "16285", status: .inactive))], file: "teams.csv", on: BundleLab.today)
    // A merges B's work and voids one of B's sessions: A's bundle now has it voided, B's live.
    try BundleLab.merge(lab.export(b, "b0.bundle"), into: a)
    let bSession = try b.sessions(SessionQuery(under: "16282-03")).first!.id
    try a.voidSession(bSession, reason: "wrong hamlet", on: BundleLab.today)
    return (a, b, c)
}

@Suite("Merging bundles: idempotent, order-independent, all or nothing, safe on conflict")
struct MergeTests {
    @Test("three workspaces exchanging bundles in different orders end identical")
    func threeWorkspaces() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (a, b, c) = try threeCopies(lab)
        let bundles = (a: try lab.export(a, "a.bundle"), b: try lab.export(b, "b.bundle"), c: try lab.export(c, "c.bundle"))
        try BundleLab.merge(bundles.b, into: a)
        try BundleLab.merge(bundles.c, into: a)
        try BundleLab.merge(bundles.c, into: b)
        try BundleLab.merge(bundles.a, into: b)
        try BundleLab.merge(bundles.a, into: c)
        try BundleLab.merge(bundles.b, into: c)
        try BundleLab.merge(bundles.a, into: c)
        let digests = try [a, b, c].map(lab.digest)
        #expect(digests[0] == digests[1])
        #expect(digests[1] == digests[2])
        for store in [a, b, c] {
            #expect(try store.check().passed)
            #expect(try areaName(store, "16282-02") == "Thôn 2 (Đồng Lạc)")
            #expect(try store.sessions(SessionQuery(under: "16282-03")).isEmpty, "the void wins over B's live copy")
            #expect(try store.sessions(SessionQuery(includeVoided: true)).count == 6)
            #expect(try store.teams().first { $0.code == "TN-16285" }?.status == .inactive)
        }
    }

    @Test("merging the same bundles in every order into a fresh workspace gives one workspace")
    func everyOrder() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (a, b, c) = try threeCopies(lab)
        let bundles = [try lab.export(a, "a.bundle"), try lab.export(b, "b.bundle"), try lab.export(c, "c.bundle")]
        var digests = Set<String>()
        for order in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            let fresh = try Store.inMemory()
            for i in order { try BundleLab.merge(bundles[i], into: fresh) }
            digests.insert(try lab.digest(fresh))
        }
        #expect(digests.count == 1)
    }

    @Test("merging a bundle twice changes nothing, and says everything was already there")
    func twice() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (a, _, _) = try threeCopies(lab)
        let bundle = try lab.export(a, "a.bundle")
        let target = try Store.inMemory()
        let first = try BundleLab.merge(bundle, into: target)
        #expect(first.sessions.new == 5)
        #expect(first.voids.new == 2)
        #expect(first.previousMerge == nil)
        let once = try lab.digest(target)
        let tables = try ["bundle_merge", "merge_conflict", "area_change"].map { try BundleLab.count(target, $0) }
        let second = try BundleLab.merge(bundle, into: target)
        #expect(try lab.digest(target) == once)
        #expect(try ["bundle_merge", "merge_conflict", "area_change"].map { try BundleLab.count(target, $0) } == tables)
        #expect(second.added == 0)
        #expect(second.sessions.present == 5)
        #expect(second.voids.present == 2)
        #expect(second.areas.present == 7)
        #expect(second.previousMerge == Store.isoTimestamp(BundleLab.mergeTime))
    }

    @Test("a void always wins over a live copy of the session, whichever comes first, and leaves the totals")
    func voidWins() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let live = try BundleLab.seeded()
        let id = try BundleLab.log(live, "16282-01", "2026-11-03", eid: 24)
        try BundleLab.log(live, "16282-01", "2026-11-04", eid: 1)
        let liveBundle = try lab.export(live, "live.bundle", scope: BundleScope(includePhones: true))
        let voided = try Store.inMemory()
        try BundleLab.merge(liveBundle, into: voided)
        try voided.voidSession(id, reason: "counted twice", on: BundleLab.today)
        let voidBundle = try lab.export(voided, "voided.bundle", scope: BundleScope(includePhones: true))

        let summary = try BundleLab.merge(voidBundle, into: live)
        #expect(summary.voids.new == 1)
        #expect(try BundleLab.merge(liveBundle, into: voided).added == 0)
        let later = try Store.inMemory()
        try BundleLab.merge(voidBundle, into: later)
        try BundleLab.merge(liveBundle, into: later)
        for store in [live, voided, later] {
            #expect(try store.sessions(SessionQuery()).count == 1)
            #expect(try store.read { try Int.fetchOne($0, sql: "SELECT sum(eid_l2) FROM area_month") } == 1)
            #expect(try store.check().passed)
        }
        #expect(try lab.digest(live) == lab.digest(later))
    }

    @Test("two different voids of one session: the earlier is kept in every order, the other goes to the merge log")
    func twoVoids() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let origin = try BundleLab.seeded()
        let id = try BundleLab.log(origin, "16282-01", "2026-11-03", eid: 24)
        let base = try lab.export(origin, "base.bundle")
        let (x, y) = (try Store.inMemory(), try Store.inMemory())
        try BundleLab.merge(base, into: x)
        try BundleLab.merge(base, into: y)
        try x.voidSession(id, reason: "duplicate", on: Day(parsing: "2026-11-10")!)
        try y.voidSession(id, reason: "wrong hamlet", on: Day(parsing: "2026-11-12")!)
        let (bx, by) = (try lab.export(x, "x.bundle"), try lab.export(y, "y.bundle"))
        let kept = try BundleLab.merge(bx, into: y)
        #expect(kept.voids.updated == 1)
        let setAside = try BundleLab.merge(by, into: x)
        #expect(setAside.voids.setAside == 1)
        #expect(try lab.digest(x) == lab.digest(y))
        #expect(try x.sessions(SessionQuery(includeVoided: true)).first?.voided?.reason == "duplicate")
        #expect(try BundleLab.count(x, "merge_conflict") == 1)
        #expect(try BundleLab.count(y, "merge_conflict") == 1)
    }

    @Test("the same session id with other figures refuses the whole bundle; --set-aside-conflicts merges the rest")
    func conflict() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (x, y) = (try BundleLab.seeded(), try BundleLab.seeded())
        let id = "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a7b"
        for (store, eid) in [(x, 24), (y, 42)] {
            let csv = lab.path("s\(eid).csv")
            try Data("id,date,area,eid_l2\n\(id),2026-11-03,16282-01,\(eid)\n".utf8).write(to: URL(fileURLWithPath: csv))
            _ = try store.importSessions(file: csv, today: BundleLab.today)
        }
        try BundleLab.log(x, "16282-02", "2026-11-04", eid: 5)
        let bundle = try lab.export(x, "x.bundle")
        let before = try lab.digest(y)
        do {
            try BundleLab.merge(bundle, into: y)
            Issue.record("a conflicting bundle was merged")
        } catch let refused as MergeRefused {
            #expect(refused.problems.map(\.text) == ["session \(id) is in this workspace with other content (different eid_l2)."])
            #expect(refused.message.hasSuffix("then merge with --set-aside-conflicts."))
        }
        #expect(try lab.digest(y) == before, "nothing of the bundle came in")
        let summary = try BundleLab.merge(bundle, into: y, setAside: true)
        #expect(summary.sessions.new == 1)
        #expect(summary.sessions.setAside == 1)
        #expect(try y.sessions(SessionQuery()).compactMap { $0.metrics["eid_l2"] }.sorted() == [5, 42])
        let logged = try y.read { try Row.fetchOne($0, sql: "SELECT kind, key, set_aside FROM merge_conflict") }
        #expect(logged?[0] as String? == "session")
        #expect(logged?[1] as String? == id)
        #expect((logged?[2] as String?)?.contains(",24,") == true)
    }

    @Test("an area renamed in two copies keeps the later version in every order; the other is logged, not lost")
    func areaConflict() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let origin = try BundleLab.seeded()
        let base = try lab.export(origin, "base.bundle")
        let (x, y) = (try Store.inMemory(), try Store.inMemory())
        try BundleLab.merge(base, into: x)
        try BundleLab.merge(base, into: y)
        try rename(x, "16282-01", to: "Thôn Một")
        try stamp(x, area: "16282-01", "2026-11-21T10:00:00.000Z")
        try rename(y, "16282-01", to: "Thôn 1 (cũ)")
        try stamp(y, area: "16282-01", "2026-11-20T10:00:00.000Z")
        let (bx, by) = (try lab.export(x, "x.bundle"), try lab.export(y, "y.bundle"))
        let intoX = try BundleLab.merge(by, into: x)
        #expect(intoX.areas.setAside == 1)
        #expect(intoX.notes == ["area 16282-01 was changed in both copies (name): this workspace's newer version was kept; the bundle's is in the merge log."])
        let intoY = try BundleLab.merge(bx, into: y)
        #expect(intoY.areas.updated == 1)
        #expect(try areaName(x, "16282-01") == "Thôn Một")
        #expect(try areaName(y, "16282-01") == "Thôn Một")
        #expect(try lab.digest(x) == lab.digest(y))
        let history = try y.read { try String.fetchAll($0, sql: "SELECT old_name FROM area_change WHERE change = 'rename' ORDER BY id") }
        #expect(history == ["Thôn 1", "Thôn 1 (cũ)"])
        let log = try x.read { try String.fetchOne($0, sql: "SELECT set_aside FROM merge_conflict WHERE kind = 'area'") }
        #expect(log?.contains("Thôn 1 (cũ)") == true)
    }

    @Test("a merge that would make the parents form a cycle is refused")
    func cycle() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let target = try BundleLab.seeded()
        let path = try lab.handMade("cycle.bundle", [
            #"["area","16282","Xã Tân Phúc","commune",null,"16282-01",null,null,null,null,"2030-01-01T00:00:00.000Z"]"#,
        ])
        #expect(throws: MergeRefused.self) { try BundleLab.merge(path, into: target) }
        #expect(try target.check().passed)
    }

    @Test("phone numbers travel only with --include-phones, and a bundle without them never erases them")
    func phones() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let origin = try BundleLab.seeded()
        let without = try lab.export(origin, "without.bundle")
        let with = try lab.export(origin, "with.bundle", scope: BundleScope(includePhones: true))
        let text = try String(contentsOfFile: without, encoding: .utf8)
        #expect(!text.contains("0912345678") && !text.contains("0388123456"))
        #expect(!text.contains(try origin.members().first!.id.uuidString), "member ids derive from phones")
        #expect(try String(contentsOfFile: with, encoding: .utf8).contains("0912345678"))

        let summary = try BundleLab.merge(without, into: origin)
        #expect(summary.added == 0)
        #expect(summary.members.present == 3)
        #expect(try origin.members().compactMap(\.phone?.digits).sorted() == ["0388123456", "0912345678"])
        #expect(try origin.teams().first { $0.code == "P06-16282" }?.leaderPhone?.digits == "0912345678")

        // A copy started without phones learns them from a bundle that has them, without duplicating anyone.
        let copy = try Store.inMemory()
        try BundleLab.merge(without, into: copy)
        #expect(try copy.members().allSatisfy { $0.phone == nil })
        try BundleLab.merge(with, into: copy)
        #expect(try copy.members().count == 3)
        #expect(try lab.digest(copy) == lab.digest(origin))
    }

    @Test("two members of a team with the same name travel without phones as two people, and meet their phones later")
    func namesakes() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let origin = try BundleLab.seeded()
        try origin.addMember(Member(teamCode: "P06-16282", name: "Đỗ Thị Mai", phone: Phone(digits: "0977000111"),
                                    joined: Day(parsing: "2026-03-01")!))
        let copy = try Store.inMemory()
        try BundleLab.merge(lab.export(origin, "without.bundle"), into: copy)
        #expect(try copy.members(ofTeam: "P06-16282").filter { $0.name == "Đỗ Thị Mai" }.count == 2)
        #expect(try BundleLab.merge(lab.export(copy, "back.bundle"), into: origin).added == 0)
        try BundleLab.merge(lab.export(origin, "with.bundle", scope: BundleScope(includePhones: true)), into: copy)
        #expect(try copy.members(ofTeam: "P06-16282").count == 3)
        #expect(try copy.check().passed)
    }

    @Test("a team left with two current leaders refuses the bundle")
    func twoLeaders() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (x, y) = (try BundleLab.seeded(), try Store.inMemory())
        try BundleLab.merge(lab.export(x, "x0.bundle", scope: BundleScope(includePhones: true)), into: y)
        try y.addMember(Member(teamCode: "TN-16285", name: "Ngô Văn Sơn", role: .leader))
        try x.addMember(Member(teamCode: "TN-16285", name: "Trần Văn Nam", role: .leader))
        let bundle = try lab.export(x, "x.bundle")
        #expect(throws: MergeRefused.self) { try BundleLab.merge(bundle, into: y) }
        let summary = try BundleLab.merge(bundle, into: y, setAside: true)
        #expect(summary.members.setAside == 1)
        #expect(try y.members(ofTeam: "TN-16285").filter(\.isCurrentLeader).map(\.name) == ["Ngô Văn Sơn"])
    }

    @Test("export --under holds the subtree, its ancestors, the teams its sessions name and the sessions that replaced its voided ones")
    func under() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let store = try BundleLab.seeded()
        let wrong = try BundleLab.log(store, "16285-01", "2026-11-03", eid: 24, team: "P06-16282")
        let right = try store.logSession(NewSession(day: Day(parsing: "2026-11-03")!, area: "16282-01", team: "P06-16282",
                                                    metrics: MetricValues([.eidL2: 24])),
                                         today: BundleLab.today, replacing: wrong, reason: "wrong hamlet").id
        try BundleLab.log(store, "16282-02", "2026-11-05", eid: 3)
        let path = try lab.export(store, "tho.bundle", scope: BundleScope(under: "16285"))
        let records = try BundleLab.records(path)
        let areas = records.filter { $0.hasPrefix("[\"area\"") }.map { $0.split(separator: "\"")[3] }
        #expect(areas == ["404", "16282", "16285", "16282-01", "16285-01"])
        let sessions = records.filter { $0.hasPrefix("[\"session\"") }.map { $0.split(separator: "\"")[3] }
        #expect(Set(sessions) == [Substring(wrong), Substring(right)])
        #expect(records.filter { $0.hasPrefix("[\"team\"") }.count == 2)
        let fresh = try Store.inMemory()
        try BundleLab.merge(path, into: fresh)
        #expect(try fresh.check().passed)
        #expect(throws: BundleError.unknownArea("999")) { try lab.export(store, "x.bundle", scope: BundleScope(under: "999")) }
    }

    @Test("export --under carries the receipts of every area that gave leaflets to the subtree, so no stock merges below zero")
    func underLeaflets() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let store = try BundleLab.seeded()
        let day = { (d: String) in Day(parsing: d)! }
        let receipt = try store.receiveLeaflets(into: "404", quantity: 6000, on: day("2026-10-01"))
        let toCommune = try store.allocateLeaflets(from: "404", to: "16282", quantity: 1500, on: day("2026-10-02"))
        _ = try store.allocateLeaflets(from: "404", to: "16285", quantity: 1000, on: day("2026-10-02"))
        let toHamlet = try store.allocateLeaflets(from: "16282", to: "16282-01", quantity: 200, on: day("2026-10-03"))
        let path = try lab.export(store, "thon1.bundle", scope: BundleScope(under: "16282-01"))
        let moves = try BundleLab.records(path).filter { $0.hasPrefix("[\"leaflet_move\"") }.map { String($0.split(separator: "\"")[3]) }
        #expect(moves.sorted() == [receipt, toCommune, toHamlet].map { $0.move.id.uuidString.lowercased() }.sorted())
        let fresh = try Store.inMemory()
        try BundleLab.merge(path, into: fresh)
        let check = try fresh.check()
        #expect(check.passed)
        #expect(check.items.first { $0.name == "leaflet stock" }?.status == .ok)
    }

    @Test("export --since holds sessions dated or voided since the day; merging overlapping bundles counts nothing twice")
    func since() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let store = try BundleLab.seeded()
        let old = try BundleLab.log(store, "16282-01", "2026-10-03", eid: 1)
        try BundleLab.log(store, "16282-01", "2026-10-04", eid: 2)
        try BundleLab.log(store, "16282-02", "2026-11-15", eid: 4)
        let full = try lab.export(store, "full.bundle", scope: BundleScope(includePhones: true))
        try store.voidSession(old, reason: "duplicate", on: Day(parsing: "2026-11-16")!)
        let recent = try lab.export(store, "recent.bundle", scope: BundleScope(since: Day(parsing: "2026-11-10")!))
        let sessions = try BundleLab.records(recent).filter { $0.hasPrefix("[\"session\"") }
        #expect(sessions.count == 2)
        let copy = try Store.inMemory()
        try BundleLab.merge(full, into: copy)
        let summary = try BundleLab.merge(recent, into: copy)
        #expect(summary.sessions.present == 2)
        #expect(summary.voids.new == 1)
        #expect(try lab.digest(copy) == lab.digest(store))
    }
}
