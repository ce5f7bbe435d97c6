import Testing
@testable import OutreachKit

@Suite("SHA-256 gives the published digests")
struct SHA256Tests {
    @Test("the FIPS 180-2 examples", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vectors(text: String, digest: String) {
        var hash = SHA256()
        hash.update(Array(text.utf8))
        #expect(hash.hexDigest() == digest)
    }

    @Test("a million times \"a\", fed in pieces of any size, gives one digest", arguments: [1_000_000, 64, 1, 63, 65, 4093])
    func pieces(size: Int) {
        let data = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var hash = SHA256()
        var at = 0
        data.withUnsafeBytes { raw in
            while at < raw.count {
                let n = min(size, raw.count - at)
                hash.update(UnsafeRawBufferPointer(rebasing: raw[at..<(at + n)]))
                at += n
            }
        }
        #expect(hash.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
