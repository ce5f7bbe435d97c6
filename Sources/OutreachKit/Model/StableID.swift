import Foundation

/// A 16-byte identifier, stored as a blob in `uuid` columns and shown as a UUID.
///
/// `derived(from:)` gives the same id for the same text on every machine, which makes
/// re-imports idempotent (a member is its team, name and phone). `random()` gives a fresh one.
public struct StableID: Hashable, Sendable, CustomStringConvertible {
    /// The 16 bytes, in storage order.
    public let bytes: [UInt8]

    /// Wraps 16 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The id of a UUID, in its byte order.
    public init(_ uuid: UUID) {
        bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
    }

    /// A fresh random id (a version 4 UUID).
    public static func random() -> StableID { StableID(UUID()) }

    /// The id derived from `text` (its UTF-8 bytes): a deterministic 128-bit hash, laid out as a
    /// version 8 UUID (RFC 9562), so 122 bits are hash.
    ///
    /// Two 64-bit FNV-1a lanes with different offset bases, each passed through a final mixer
    /// so that every input bit reaches every output bit. Not cryptographic: it tells apart the
    /// rows of a workspace, it does not hide what they are.
    public static func derived(from text: String) -> StableID {
        var a: UInt64 = 0xCBF2_9CE4_8422_2325
        var b: UInt64 = 0x6C62_272E_07BB_0142
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let length = UInt64(text.utf8.count)
        let high = mix(a ^ length)
        let low = mix(b ^ (length &* 0x9E37_79B9_7F4A_7C15) ^ high)
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return StableID(bytes: bytes)!
    }

    /// The SplitMix64 finaliser.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The bytes as a blob for the database.
    public var data: Data { Data(bytes) }

    /// The id as a lower-case UUID string (`8-4-4-4-12` hex digits).
    public var uuidString: String {
        let hex = bytes.map { b -> String in
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4),
                     hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    public var description: String { uuidString }
}

/// Session ids: UUIDs stored as 16 bytes.
public enum SessionID {
    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (any case; braces and dashes optional).
    @inline(__always)
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        var n = 0
        var high: UInt8 = 0
        var half = false
        for c in bytes {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            case 0x41...0x46: v = c - 0x41 + 10
            case 0x2D, 0x7B, 0x7D, 0x20: continue
            default: return false
            }
            if half {
                guard n < 16 else { return false }
                out[n] = high << 4 | v
                n += 1
                half = false
            } else {
                high = v
                half = true
            }
        }
        return n == 16 && !half
    }

    /// Parses a textual id; nil when it is not a UUID.
    public static func parse(_ text: String) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: 16)
        var copy = text
        let ok = copy.withUTF8 { src in out.withUnsafeMutableBufferPointer { parse(src, into: $0.baseAddress!) } }
        return ok ? out : nil
    }

    /// The canonical lower-case text form of 16 bytes.
    public static func format(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(0x2D) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
