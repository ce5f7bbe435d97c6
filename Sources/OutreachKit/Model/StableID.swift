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
