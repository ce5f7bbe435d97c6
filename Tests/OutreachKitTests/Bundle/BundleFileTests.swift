import Foundation
import Testing
@testable import OutreachKit

/// A workspace with a few sessions, its bundle, and a second workspace to merge into.
private func fixture(_ lab: BundleLab) throws -> (bundle: String, target: Store) {
    let source = try BundleLab.seeded()
    try BundleLab.log(source, "16282-01", "2026-11-03", eid: 24, leaflets: 120, notes: "Họp thôn")
    try BundleLab.log(source, "16282-02", "2026-11-05", eid: 17)
    return (try lab.export(source, "a.bundle"), try BundleLab.seeded())
}

@Suite("A bundle that is cut, damaged, newer or not a bundle changes nothing")
struct BundleFileTests {
    @Test("a bundle cut anywhere is refused as incomplete", arguments: [10, 2047, 2048, 2100, -1])
    func truncated(cut: Int) throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (bundle, target) = try fixture(lab)
        let before = try lab.digest(target)
        let data = try Data(contentsOf: URL(fileURLWithPath: bundle))
        let keep = cut < 0 ? data.count + cut : cut
        let half = lab.path("half.bundle")
        try data.prefix(keep).write(to: URL(fileURLWithPath: half))
        let header = try BundleReaderHeader.of(bundle)
        let expected: BundleError = keep < BundleHeader.reservedBytes
            ? .truncated(file: "half.bundle", expected: 0, actual: 0)
            : .truncated(file: "half.bundle", expected: header.bodyBytes, actual: keep - BundleHeader.reservedBytes)
        #expect(throws: expected) { try BundleLab.merge(half, into: target) }
        #expect(try lab.digest(target) == before)
    }

    @Test("the message of a bundle cut in half says what happened and what to do")
    func halfMessage() {
        #expect(BundleError.truncated(file: "b.bundle", expected: 5000, actual: 2500).message == "b.bundle: the bundle is incomplete: its header announces 5,000 bytes of records but only 2,500 are there (50%). It was cut off while being copied or sent. Ask for the file again, or copy it again, then merge it; nothing was changed.")
    }

    @Test("one changed byte, or bytes added at the end, make a damaged bundle")
    func damaged() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (bundle, target) = try fixture(lab)
        let before = try lab.digest(target)
        var data = try Data(contentsOf: URL(fileURLWithPath: bundle))
        data[data.count - 20] ^= 0x01
        let flipped = lab.path("flipped.bundle")
        try data.write(to: URL(fileURLWithPath: flipped))
        #expect(throws: BundleError.damaged(file: "flipped.bundle", reason: .checksum)) {
            try BundleLab.merge(flipped, into: target)
        }
        let longer = lab.path("longer.bundle")
        try (try Data(contentsOf: URL(fileURLWithPath: bundle)) + Data("[\"area\"]\n".utf8)).write(to: URL(fileURLWithPath: longer))
        #expect(throws: BundleError.damaged(file: "longer.bundle", reason: .extraBytes(9))) {
            try BundleLab.merge(longer, into: target)
        }
        #expect(try lab.digest(target) == before)
        #expect(BundleError.damaged(file: "flipped.bundle", reason: .checksum).message == "flipped.bundle: the bundle is damaged: its records do not match the checksum in its header. It was changed or corrupted after it was exported. Ask the sender to export it again; nothing was changed.")
        #expect(BundleError.damaged(file: "longer.bundle", reason: .extraBytes(9)).message.contains(": it has 9 bytes more than its header announces. "))
    }

    @Test("a CSV file, a workspace file or an empty file is not a bundle", arguments: [
        "date,area,eid_l2\n2026-11-03,16282-01,4\n", "SQLite format 3\0\u{1}\u{2}", "", "{\"format\":\"something-else\"}\n",
    ])
    func notABundle(content: String) throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (_, target) = try fixture(lab)
        let before = try lab.digest(target)
        let path = lab.path("x.csv")
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: BundleError.notABundle(file: "x.csv")) { try BundleLab.merge(path, into: target) }
        #expect(try lab.digest(target) == before)
    }

    @Test("a bundle from a newer format version asks to update Outreach")
    func newer() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (_, target) = try fixture(lab)
        let newer = BundleHeader.currentVersion + 1
        let path = try lab.handMade("newer.bundle", [], version: newer)
        #expect(throws: BundleError.newerVersion(file: "newer.bundle", version: newer)) { try BundleLab.merge(path, into: target) }
        #expect(BundleError.newerVersion(file: "newer.bundle", version: newer).message.contains("Update Outreach"))
    }

    @Test("a header with a field missing or wrong says which", arguments: [
        ("version", BundleError.Damage.headerVersion), ("body_sha256", .headerField), ("counts.voids", .headerCount(kind: "voids")),
        ("columns.team", .headerColumns(kind: "team", version: 1)), ("scope.since", .headerScope),
    ])
    func damagedHeader(field: String, damage: BundleError.Damage) throws {
        let header = BundleHeader(version: 1, workspace: "w", exported: "2026-11-22T00:00:00Z", phones: false,
                                  counts: BundleCounts(values: [0, 0, 0, 0, 0, 0, 0]), bodyBytes: 0,
                                  bodySHA256: String(repeating: "0", count: 64))
        let line = try header.encoded(file: "h.bundle").prefix { $0 != 0x0A }
        var object = try #require(JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        let parts = field.split(separator: ".").map(String.init)
        if parts.count == 1 {
            object[field] = parts[0] == "version" ? 0 : nil
        } else {
            var inner = try #require(object[parts[0]] as? [String: Any])
            inner[parts[1]] = parts[0] == "scope" ? "31/02/2026" : nil
            object[parts[0]] = inner
        }
        let spoilt = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: BundleError.damaged(file: "h.bundle", reason: damage)) { try BundleHeader.decode(Array(spoilt), file: "h.bundle") }
        #expect(try BundleHeader.decode(Array(line), file: "h.bundle").workspace == "w")
    }

    @Test("a well-formed bundle with a bad record names its line and changes nothing")
    func badRecord() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (_, target) = try fixture(lab)
        let before = try lab.digest(target)
        let path = try lab.handMade("bad.bundle", [
            #"["area","16282-09","Thôn 9","hamlet",null,"16282",null,null,null,null,""]"#,
            #"["session","0b7c3d1e-8d4a-4e2f-9b1a-2c3d4e5f6a7b","2026-11-03","16282-09",null,null,1,null,null,null,null,null,null,null,null,null,null,null]"#,
            #"["session","1b7c3d1e-8d4a-4e2f-9b1a-2c3d4e5f6a7b","2026-11-03","99999",null,null,1,null,null,null,null,null,null,null,null,null,null,null]"#,
        ])
        #expect(throws: BundleError.badRecord(file: "bad.bundle", line: 4, text: "the area \"99999\" of session 1b7c3d1e-8d4a-4e2f-9b1a-2c3d4e5f6a7b is neither in the bundle nor in this workspace")) {
            try BundleLab.merge(path, into: target)
        }
        #expect(try lab.digest(target) == before)
        #expect(try BundleLab.count(target, "area") == 7)
    }

    @Test("records out of order, or other counts than the header's, are refused")
    func order() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let (bundle, target) = try fixture(lab)
        // The data records (a format-1 bundle has no approvals or audit rows).
        var lines = try BundleLab.records(bundle).filter { !$0.hasPrefix("[\"audit\"") && !$0.hasPrefix("[\"approval\"") }
        lines.swapAt(0, lines.count - 1)
        let path = try lab.handMade("swapped.bundle", lines)
        #expect(throws: BundleError.badRecord(file: "swapped.bundle", line: 3, text: "area records must come before the session records")) {
            try BundleLab.merge(path, into: target)
        }
    }

    @Test("export refuses to overwrite a file that is not a bundle, and replaces an older bundle")
    func overwrite() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let store = try BundleLab.seeded()
        let csv = lab.path("sessions.csv")
        try Data("date,area\n".utf8).write(to: URL(fileURLWithPath: csv))
        #expect(throws: BundleError.wouldOverwrite(file: csv)) { try lab.export(store, "sessions.csv") }
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "date,area\n")
        try lab.export(store, "a.bundle")
        try BundleLab.log(store, "16282-01", "2026-11-03", eid: 1)
        try lab.export(store, "a.bundle")
        #expect(try BundleLab.records(lab.path("a.bundle")).filter { $0.hasPrefix("[\"session\"") }.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: lab.dir.path).sorted() == ["a.bundle", "sessions.csv"])
    }
}

/// Reads the header of a bundle file (for expected values).
enum BundleReaderHeader {
    static func of(_ path: String) throws -> BundleHeader { try BundleReader(path: path, name: path).header }
}
