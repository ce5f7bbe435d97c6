import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// Row keys travel in bundles: copies that imported the same sheet, resent or re-saved, merge
/// into one set of sessions, in any order, and a second merge adds nothing.
@Suite("Bundles carry row keys: merges stay idempotent and order-independent")
struct RowKeyMergeTests {
    typealias Keys = RowKeyTests

    @Test("two copies of one sheet (one re-saved with a row more) merge to the same workspace in either order")
    func eitherOrder() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let one = try CampaignMetricsTests.small(), two = try CampaignMetricsTests.small()
        _ = try Keys.importText(one, Keys.sheet)
        _ = try Keys.importText(two, Keys.resaved + "06/11/2026;16282-01;Lê Văn Hùng;2;;;\r\n", bom: true)
        let a = try lab.export(one, "a.bundle"), b = try lab.export(two, "b.bundle")
        #expect(try BundleLab.records(a).contains { $0.hasPrefix("[\"session\"") && !$0.contains(",null,null,null,null]") })

        let ab = try CampaignMetricsTests.small(), ba = try CampaignMetricsTests.small()
        try BundleLab.merge(a, into: ab)
        let second = try BundleLab.merge(b, into: ab)
        #expect(second.sessions.new == 1)
        #expect(second.sessions.present == 4)
        try BundleLab.merge(b, into: ba)
        try BundleLab.merge(a, into: ba)
        #expect(try lab.digest(ab) == lab.digest(ba))
        #expect(try BundleLab.count(ab, "session") == 5)
        #expect(try BundleLab.merge(a, into: ab).sessions.new == 0)
        #expect(try BundleLab.merge(b, into: ba).sessions.new == 0)
        #expect(try lab.digest(ab) == lab.digest(ba))
        #expect(try ab.check().passed)
    }

    @Test("a session imported before keys existed (another id, a key from migration 6) is the same session in a merge")
    func keyUnderAnotherID() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let path = lab.path("old.sqlite")
        let rows = [("2026-11-03", "16282-01", 5), ("2026-11-03", "16282-01", 5), ("2026-11-04", "16282-02", 2)]
        try RowKeyMigrationTests.oldWorkspace(path, rows: rows)
        let old = try Store.open(path: path)
        let fresh = try CampaignMetricsTests.small()
        _ = try Keys.importText(fresh, "date,area,eid_l2\n2026-11-03,16282-01,5\n2026-11-03,16282-01,5\n2026-11-04,16282-02,2\n")
        // The old copy also holds the double a re-saved sheet made before keys: it is new here.
        let c = try lab.export(old, "old.bundle")
        let merged = try BundleLab.merge(c, into: fresh)
        #expect(merged.sessions.present == 3)
        #expect(merged.sessions.new == 1)
        #expect(try BundleLab.merge(c, into: fresh).sessions.new == 0)
        // And the other way round.
        let f = try lab.export(fresh, "fresh.bundle")
        let back = try BundleLab.merge(f, into: old)
        #expect(back.sessions.new == 0)
        #expect(try old.check().passed)
        #expect(try fresh.check().passed)
    }
}
