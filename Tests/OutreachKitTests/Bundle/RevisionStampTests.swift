import Foundation
import GRDB
import Testing
@testable import OutreachKit

@Suite("Revision stamps from the future are refused by a merge")
struct RevisionStampTests {
    /// A bundle whose area 16282-02, team P06-16282 or member Đỗ Thị Mai is stamped `stamp`.
    private func bundle(_ lab: BundleLab, stamping table: String, _ stamp: String) throws -> String {
        let source = try BundleLab.seeded()
        let key = ["area": "code = '16282-02'", "team": "code = 'P06-16282'", "member": "name = 'Đỗ Thị Mai'"][table]!
        try source.write { try $0.execute(sql: "UPDATE \(table) SET revised = ? WHERE \(key)", arguments: [stamp]) }
        return try lab.export(source, "\(table).bundle", scope: BundleScope(includePhones: true))
    }

    @Test("a stamp more than a day after the merge's time refuses the bundle; nothing is merged",
          arguments: ["area", "team", "member"])
    func future(table: String) throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let path = try bundle(lab, stamping: table, "2999-01-01T00:00:00.000Z")
        let target = try Store.inMemory()
        let now = BundleLab.mergeTime
        let error = try #require(throws: MergeRefused.self) {
            try target.mergeBundle(file: path, today: BundleLab.today, now: now)
        }
        #expect(error.problems.count == 1)
        #expect(error.problems[0].text.contains("revision stamp 2999-01-01T00:00:00.000Z is more than a day after this merge"))
        #expect(try BundleLab.count(target, "area") == 0)
        // The same bundle merged when that time has come is accepted.
        _ = try target.mergeBundle(file: path, today: BundleLab.today, now: Date(timeIntervalSince1970: 32_503_680_000))
        #expect(try BundleLab.count(target, "area") == 7)
    }

    @Test("up to a day ahead is accepted (clocks differ a little)")
    func withinADay() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let now = BundleLab.mergeTime
        let stamp = RevisionStamp.latestAccepted(now: now.addingTimeInterval(-60))
        let path = try bundle(lab, stamping: "area", stamp)
        let target = try Store.inMemory()
        _ = try target.mergeBundle(file: path, today: BundleLab.today, now: now)
        #expect(try target.read { try String.fetchOne($0, sql: "SELECT revised FROM area WHERE code = '16282-02'") } == stamp)
        let november30 = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T00:53:20Z
        #expect(RevisionStamp.isTooFarAhead("2026-12-01T10:00:00.000Z", now: november30))
        #expect(!RevisionStamp.isTooFarAhead("2026-11-30T10:00:00.000Z", now: november30))
        #expect(!RevisionStamp.isTooFarAhead("", now: november30))
    }

    @Test("a stamp that is not a UTC time is refused", arguments: ["zzzz", "2026-11-30", "2026-11-30 10:00:00", "2026-11-30T10:00:00.Z"])
    func malformed(stamp: String) throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let path = try bundle(lab, stamping: "area", stamp)
        let target = try Store.inMemory()
        let error = try #require(throws: BundleError.self) { try BundleLab.merge(path, into: target) }
        #expect(error.message.contains("not a revision stamp"))
    }
}
