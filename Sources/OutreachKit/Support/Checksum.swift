#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// SHA-256 digests (FIPS 180-4) from swift-crypto: the checksum of a bundle's body and of an
/// imported file, and the base of sessions' row keys (`RowKey`).
enum Checksum {
    /// Bytes as lower-case hex digits.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The digest of `bytes` as 64 lower-case hex digits.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The 32-byte SHA-256 of a whole file, read in chunks of 1 MiB; nil when it cannot be read.
    static func sha256(ofFileAtPath path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var hash = SHA256()
        while true {
            let n = read(fd, buffer, size)
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            hash.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: n))
        }
        return Array(hash.finalize())
    }
}
