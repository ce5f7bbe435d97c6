/// JSON written by hand where Foundation's writers cost too much (the coverage report's JSON,
/// the audit rows of every logged session).
enum JSONText {
    /// `text` as a JSON string literal, as `JSONEncoder` writes it with `.withoutEscapingSlashes`
    /// (and `JSONSerialization` with the same option): quotes, backslashes and control
    /// characters escaped, everything else as it is.
    static func string(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(0x22)
        for b in text.utf8 {
            switch b {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            case 0x09: bytes += [0x5C, 0x74]
            case 0x08: bytes += [0x5C, 0x62]
            case 0x0C: bytes += [0x5C, 0x66]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }
}
