/// One value of a bundle record. A record is a JSON array of these on one line.
enum BundleValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
}

/// Builds record lines: `["tag",value,…]` and a newline, in JSON with UTF-8 text unescaped.
///
/// The same content always gives the same bytes, so two workspaces holding the same rows
/// write identical bundle bodies.
struct BundleLineWriter {
    private(set) var bytes: [UInt8] = []

    /// Starts a record of type `tag`.
    mutating func begin(_ tag: String) {
        bytes.append(UInt8(ascii: "["))
        appendString(tag)
    }

    /// Ends the record and the line.
    mutating func end() {
        bytes.append(UInt8(ascii: "]"))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Empties the buffer (after it was written out).
    mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    mutating func add(_ text: String?) {
        bytes.append(UInt8(ascii: ","))
        if let text { appendString(text) } else { appendNull() }
    }

    mutating func add(_ number: Int?) {
        bytes.append(UInt8(ascii: ","))
        guard let number else { appendNull(); return }
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var at = buffer.count
            repeat {
                at -= 1
                buffer[at] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: buffer[at...])
        }
    }

    /// An id as its lower-case UUID text.
    mutating func add(_ id: StableID?) { add(id.map { SessionID.format($0.bytes) }) }

    mutating func add(_ flag: Bool) {
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    mutating func add(_ day: Day?) { add(day?.iso) }

    private mutating func appendNull() { bytes.append(contentsOf: "null".utf8) }

    private mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape: copy it whole.
        let plain = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case 0x0A: bytes.append(contentsOf: "\\n".utf8)
            case 0x0D: bytes.append(contentsOf: "\\r".utf8)
            case 0x09: bytes.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 15)])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// Reads one record line: a JSON array of strings, integers, booleans and nulls.
enum BundleLineParser {
    /// The values of the array on `line` (without its newline); nil when it is not such an array.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> [BundleValue]? {
        var i = 0
        let n = line.count
        func skipSpace() { while i < n, line[i] == 0x20 || line[i] == 0x09 || line[i] == 0x0D { i += 1 } }
        skipSpace()
        guard i < n, line[i] == UInt8(ascii: "[") else { return nil }
        i += 1
        var values: [BundleValue] = []
        skipSpace()
        if i < n, line[i] == UInt8(ascii: "]") {
            i += 1
        } else {
            while true {
                skipSpace()
                guard let value = parseValue(line, &i) else { return nil }
                values.append(value)
                skipSpace()
                guard i < n else { return nil }
                if line[i] == UInt8(ascii: ",") { i += 1; continue }
                if line[i] == UInt8(ascii: "]") { i += 1; break }
                return nil
            }
        }
        skipSpace()
        return i == n ? values : nil
    }

    private static func parseValue(_ line: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> BundleValue? {
        let n = line.count
        guard i < n else { return nil }
        /// `null`, `true` or `false`, whose letters after the first are `rest` (packed, last letter lowest).
        func literal(_ rest: UInt32, _ count: Int, _ value: BundleValue) -> BundleValue? {
            guard i + count < n else { return nil }
            var word: UInt32 = 0
            for k in 1...count { word = word << 8 | UInt32(line[i + k]) }
            guard word == rest else { return nil }
            i += count + 1
            return value
        }
        switch line[i] {
        case UInt8(ascii: "\""): return parseString(line, &i).map(BundleValue.string)
        case UInt8(ascii: "n"): return literal(0x75_6C_6C, 3, .null)            // "ull"
        case UInt8(ascii: "t"): return literal(0x72_75_65, 3, .bool(true))      // "rue"
        case UInt8(ascii: "f"): return literal(0x61_6C_73_65, 4, .bool(false))  // "alse"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            var negative = false
            if line[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            let start = i
            var value = 0
            while i < n, line[i] >= 0x30, line[i] <= 0x39 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int(line[i] - 0x30))
                if o1 || o2 { return nil }
                value = s
                i += 1
            }
            // Integers only, without leading zeros; a fraction or an exponent is refused.
            guard i > start, !(i - start > 1 && line[start] == 0x30) else { return nil }
            if i < n, line[i] == UInt8(ascii: ".") || line[i] == UInt8(ascii: "e") || line[i] == UInt8(ascii: "E") { return nil }
            return .int(negative ? -value : value)
        default:
            return nil
        }
    }

    private static func parseString(_ line: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> String? {
        let n = line.count
        i += 1
        let start = i
        // Fast path: no escapes (scanned through a raw pointer, which a debug build does not slow down).
        if let base = line.baseAddress {
            while i < n {
                let c = base[i]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                i += 1
            }
        }
        guard i < n else { return nil }
        if line[i] == UInt8(ascii: "\"") {
            let raw = UnsafeBufferPointer(rebasing: line[start..<i])
            i += 1
            guard UTF8Check.isValid(raw) else { return nil }
            return String(decoding: raw, as: UTF8.self)
        }
        var out = Array(line[start..<i])
        while i < n {
            let b = line[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                guard out.withUnsafeBufferPointer(UTF8Check.isValid) else { return nil }
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { return nil }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < n else { return nil }
            let e = line[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(line, &i) else { return nil }
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < n, line[i] == UInt8(ascii: "\\"), line[i + 1] == UInt8(ascii: "u") else { return nil }
                    i += 2
                    guard let low = hex4(line, &i), (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    return nil
                }
                guard let u = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: String(Character(u)).utf8)
            default:
                return nil
            }
        }
        return nil
    }

    private static func hex4(_ line: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt32? {
        guard i + 4 <= line.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = line[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            default: return nil
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
