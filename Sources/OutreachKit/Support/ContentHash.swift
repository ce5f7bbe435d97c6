#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fast 128-bit content hash of a file, to recognise a file imported before.
///
/// Not cryptographic: it guards against importing the same export twice, not against forgery.
/// Two independent 64-bit lanes of multiply–rotate mixing over 8-byte words.
public struct ContentHash: Sendable {
    private var a: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private var length: UInt64 = 0

    public init() {}

    /// Feeds bytes; callers may split the input anywhere only at multiples of 8 bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        let n = bytes.count
        var a = self.a, b = self.b
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            a = (a ^ w) &* 0x87C3_7B91_1142_53D5
            a = (a << 31) | (a >> 33)
            b = (b ^ (w &* 0x4CF5_AD43_2745_937F)) &* 0x5212_7F71_D2E1_C9A7
            b = (b << 27) | (b >> 37)
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            for j in i..<n { w |= UInt64(bytes[j]) << (8 * UInt64(j - i)) }
            a = (a ^ w ^ 0xFF) &* 0x87C3_7B91_1142_53D5
            b = (b ^ (w &* 0x4CF5_AD43_2745_937F) ^ 0xFF) &* 0x5212_7F71_D2E1_C9A7
        }
        self.a = a
        self.b = b
        length &+= UInt64(n)
    }

    /// The 16-byte digest.
    public func finalize() -> [UInt8] {
        func mix(_ x: UInt64) -> UInt64 {
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let x = mix(a ^ length), y = mix(b ^ (length &* 0x9E37_79B9_7F4A_7C15) ^ x)
        return (0..<8).map { UInt8(truncatingIfNeeded: x >> (8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: y >> (8 * UInt64($0))) }
    }

    /// Hashes a whole file, reading it in chunks of 1 MiB; nil when it cannot be read.
    public static func ofFile(atPath path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        var hash = ContentHash()
        var filled = 0
        while true {
            let n = read(fd, buffer + filled, size - filled)
            if n < 0 { if errno == EINTR { continue }; return nil }
            filled += n
            if n == 0 || filled == size {
                hash.update(UnsafeRawBufferPointer(start: buffer, count: filled))
                if n == 0 { break }
                filled = 0
            }
        }
        return hash.finalize()
    }
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

    /// The id of a row without one: a mix of the file's content hash and the row's line, laid
    /// out as a version-8 UUID. The same file always gives the same ids; ids of different rows
    /// differ from their first characters on, so a short prefix names a session.
    @inline(__always)
    public static func derive(fileHash: [UInt8], line: Int, into out: UnsafeMutablePointer<UInt8>) {
        var h0: UInt64 = 0, h1: UInt64 = 0
        for i in 0..<8 {
            h0 |= UInt64(fileHash[i]) << (8 * UInt64(i))
            h1 |= UInt64(fileHash[8 + i]) << (8 * UInt64(i))
        }
        func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let a = mix(h0 ^ UInt64(line) &* 0xD6E8_FEB8_6659_FD93)
        let b = mix(h1 ^ a ^ UInt64(line))
        for i in 0..<8 {
            out[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i)))
            out[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i)))
        }
        out[6] = (out[6] & 0x0F) | 0x80
        out[8] = (out[8] & 0x3F) | 0x80
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
