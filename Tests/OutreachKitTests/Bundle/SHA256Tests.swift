import Foundation
import Testing
@testable import OutreachKit

@Suite("SHA-256 (swift-crypto) gives the published digests")
struct SHA256Tests {
    @Test("the NIST FIPS 180-2 examples", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vectors(text: String, digest: String) {
        #expect(Checksum.sha256Hex(Array(text.utf8)) == digest)
    }

    @Test("a file of a million times \"a\", read in chunks, gives the published digest")
    func file() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: UInt8(ascii: "a"), count: 1_000_000).write(to: URL(fileURLWithPath: path))
        let digest = try #require(Checksum.sha256(ofFileAtPath: path))
        #expect(Checksum.hex(digest) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(Checksum.sha256(ofFileAtPath: path + ".missing") == nil)
    }
}

@Suite("Member ids stay what bundles already carry")
struct StableIDVectorTests {
    /// `StableID.derived` is not a checksum but the id of a member (team, name, phone), carried by
    /// every bundle: it keeps its own function, and these ids must never change.
    @Test("fixed ids of a member and of the empty text")
    func vectors() {
        #expect(StableID.derived(from: "P1|Lê Văn An|0912345678").uuidString == "c6af5315-52b3-8f80-9d4a-146ab6a4406f")
        #expect(StableID.derived(from: "").uuidString == "f52a15e9-a9b5-889b-846f-7d15e686fe8c")
    }
}

@Suite("Bundles exported before swift-crypto keep their checksums and still merge")
struct OldBundleTests {
    /// A bundle exported by the version before this change (format 1, its own SHA-256): the
    /// header line as written, then the body.
    static let header = "{\"format\":\"outreach-bundle\",\"version\":1,\"workspace\":\"9b4c617e-3a91-46f8-abf4-94f759fb1bb1\",\"exported\":\"2026-12-04T16:15:19Z\",\"scope\":{\"under\":null,\"since\":null},\"phones\":false,\"counts\":{\"areas\":2,\"teams\":0,\"members\":0,\"sessions\":1,\"voids\":0,\"session_metrics\":0,\"leaflet_moves\":0},\"body_bytes\":306,\"body_sha256\":\"863198bac4d57bebc6d0c4b216dea7021374266794bdcb13c26de01ad26fd54b\",\"columns\":{\"area\":[\"code\",\"name\",\"kind\",\"local_kind\",\"parent\",\"population\",\"adults\",\"working_age\",\"households\",\"revised\"],\"team\":[\"code\",\"name\",\"kind\",\"area\",\"leader\",\"leader_phone\",\"formed\",\"status\",\"inactive_since\",\"revised\"],\"member\":[\"id\",\"team\",\"name\",\"namesake\",\"phone\",\"role\",\"joined\",\"left\",\"revised\"],\"session\":[\"id\",\"date\",\"area\",\"team\",\"logged_by\",\"eid_l2\",\"bank_account\",\"ewallet\",\"leaflets\",\"dvc_guided\",\"households_visited\",\"people_reached\",\"smartphone_setup\",\"notes\",\"voided_on\",\"void_reason\",\"replaced_by\"],\"session_metric\":[\"session\",\"metric\",\"value\"],\"leaflet_move\":[\"id\",\"date\",\"from\",\"to\",\"quantity\",\"batch\",\"allowed_negative\"]}}"
    static let body = "[\"area\",\"16282\",\"Xã Tân Phúc\",\"commune\",null,null,null,null,null,null,\"\"]\n[\"area\",\"16282-01\",\"Thôn 1\",\"hamlet\",\"thôn\",\"16282\",null,null,null,null,\"\"]\n[\"session\",\"2beb1b0b-26da-8b18-99c7-e24f3f713869\",\"2026-11-03\",\"16282-01\",null,null,5,null,null,null,null,null,null,null,\"Họp thôn\",null,null,null]\n"

    @Test("the old bundle's checksum is the SHA-256 of its body, and it merges")
    func oldBundle() throws {
        #expect(Checksum.sha256Hex(Array(Self.body.utf8)) == "863198bac4d57bebc6d0c4b216dea7021374266794bdcb13c26de01ad26fd54b")
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        var bytes = Array(Self.header.utf8)
        bytes += [UInt8](repeating: 0x20, count: 2047 - bytes.count) + [0x0A] + Array(Self.body.utf8)
        let path = lab.path("old.bundle")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let store = try CampaignMetricsTests.small()
        let merged = try BundleLab.merge(path, into: store)
        #expect(merged.header.version == 1)
        #expect(merged.sessions.new == 1)
        #expect(try BundleLab.merge(path, into: store).sessions.new == 0)
        #expect(try store.check().passed)
    }
}
