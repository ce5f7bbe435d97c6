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
