import Foundation
import Testing
@testable import OutreachKit

/// An SQLite workspace's change stamp (what the server's dashboards are kept by): the same until
/// anything is committed, by this process or another, then different.
@Suite("SQLite: the change stamp moves with every commit, from any connection")
struct ChangeStampTests {
    static func fileWorkspace() throws -> (Store, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stamp-\(UUID().uuidString).sqlite").path
        let store = try Store.open(path: path, create: true)
        _ = try store.importAreas([
            AreaRow(line: 2, code: "16282", name: "Xã Tân Phúc", level: .commune),
            AreaRow(line: 3, code: "16282-01", name: "Thôn 1", level: .hamlet, parentCode: "16282"),
        ], file: "areas.csv", on: Day(parsing: "2026-01-01")!)
        return (store, path)
    }

    static func log(_ store: Store) throws {
        _ = try store.logSession(NewSession(day: Day(parsing: "2026-10-01")!, area: "16282-01", metrics: MetricValues([.eidL2: 1])),
                                 today: Day(parsing: "2026-10-02")!)
    }

    @Test("unchanged without a write; changed by a session logged here, by a void, and by another process's connection")
    func stampMoves() throws {
        let (store, path) = try Self.fileWorkspace()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let first = try store.changeStamp()
        #expect(first != nil)
        #expect(try store.changeStamp() == first)
        _ = try store.sessions(SessionQuery())  // reading changes nothing
        #expect(try store.changeStamp() == first)

        try Self.log(store)
        let afterLog = try store.changeStamp()
        #expect(afterLog != first)
        #expect(try store.changeStamp() == afterLog)

        let id = try #require(try store.sessions(SessionQuery()).first?.id)
        try store.voidSession(id, reason: "nhầm thôn", on: Day(parsing: "2026-10-02")!)
        let afterVoid = try store.changeStamp()
        #expect(afterVoid != afterLog)

        // Another process: a connection of its own on the same file.
        let other = try Store.open(path: path)
        try Self.log(other)
        #expect(try store.changeStamp() != afterVoid)
    }

    @Test("a workspace in memory has no stamp (nothing is kept by it)")
    func inMemory() throws {
        #expect(try Store.inMemory().changeStamp() == nil)
    }

    @Test("a workspace opened for reading only has no stamp: no connection of its own is opened on it")
    func readOnly() throws {
        let (store, path) = try Self.fileWorkspace()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try Self.log(store)
        let reader = try Store.open(path: path, readOnly: true)
        #expect(reader.isReadOnly)
        #expect(try reader.changeStamp() == nil)
    }
}
