import Foundation
import Testing
@testable import OutreachKit

@Suite("outreach backup: a checked, consistent copy under its final name only when whole")
struct BackupTests {
    @Test("the backup opens as a workspace with the same content")
    func copy() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let store = try Store.open(path: lab.path("w.sqlite"), create: true)
        try BundleLab.merge(lab.export(BundleLab.seeded(), "seed.bundle"), into: store)
        try BundleLab.log(store, "16282-01", "2026-11-03", eid: 24)
        let summary = try store.backup(to: lab.path("b.sqlite"))
        #expect(summary.sessions == 1)
        let copy = try Store.open(path: lab.path("b.sqlite"))
        #expect(try copy.workspaceID() == store.workspaceID())
        #expect(try lab.digest(copy) == lab.digest(store))
        #expect(try copy.check().passed)
        let names = try FileManager.default.contentsOfDirectory(atPath: lab.dir.path)
        #expect(!names.contains { $0.contains("partial") })
        let mode = try FileManager.default.attributesOfItem(atPath: lab.path("b.sqlite"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("an existing file is replaced only with overwrite, and only when it is a workspace")
    func existing() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let store = try Store.open(path: lab.path("w.sqlite"), create: true)
        _ = try store.backup(to: lab.path("b.sqlite"))
        #expect(throws: BackupError.exists(path: lab.path("b.sqlite"))) { try store.backup(to: lab.path("b.sqlite")) }
        _ = try store.backup(to: lab.path("b.sqlite"), overwrite: true)
        try Data("code,name\n".utf8).write(to: URL(fileURLWithPath: lab.path("areas.csv")))
        #expect(throws: BackupError.notAWorkspace(path: lab.path("areas.csv"))) {
            try store.backup(to: lab.path("areas.csv"), overwrite: true)
        }
        #expect(throws: BackupError.sameFile(path: lab.path("w.sqlite"))) { try store.backup(to: lab.path("w.sqlite"), overwrite: true) }
    }
}
