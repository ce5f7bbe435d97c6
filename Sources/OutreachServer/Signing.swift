import Crypto
import Foundation

/// Signed cookies and CSRF tokens, with the workspace's server secret (HMAC-SHA256): every
/// process serving the same workspace accepts the others' cookies; nothing is kept per sign-in.
enum Signing {
    /// How long a sign-in lasts.
    static let sessionLifetime: TimeInterval = 12 * 3600

    /// `name.expiry.nonce.signature` for the account `name` (names hold no `.`-free guarantee,
    /// so the name is hex-encoded).
    static func sessionCookie(name: String, now: Date, secret: String) -> String {
        let body = hex(Array(name.utf8)) + "." + String(Int(now.addingTimeInterval(sessionLifetime).timeIntervalSince1970))
            + "." + randomHex(8)
        return body + "." + sign(body, secret: secret)
    }

    /// The account name a cookie was signed for, if it is ours and not expired.
    static func name(fromCookie cookie: String, now: Date, secret: String) -> String? {
        let parts = cookie.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, same(sign(parts[0...2].joined(separator: "."), secret: secret), parts[3]),
              let expiry = Int(parts[1]), TimeInterval(expiry) > now.timeIntervalSince1970,
              let bytes = unhex(parts[0]) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The CSRF token of a signed-in page: derived from its session cookie.
    static func csrf(forSession cookie: String, secret: String) -> String {
        sign("csrf:" + cookie, secret: secret)
    }

    static func sign(_ text: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return hex(Array(mac))
    }

    /// Equal, in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    static func randomHex(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unhex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
