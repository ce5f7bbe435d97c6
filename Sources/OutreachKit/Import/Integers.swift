/// Parses the counts people write in spreadsheets.
public enum CountParser {
    /// Why a cell is not a count.
    public enum Failure: Error, Equatable, Sendable {
        case negative, decimal, notANumber, tooLarge

        /// What to tell the user about `value` (the cell as written, quoted): in any language.
        public func phrase(_ value: String) -> Phrase {
            switch self {
            case .negative: Phrase("count.error.negative", ["value": value])
            case .decimal: Phrase("count.error.decimal", ["value": value])
            case .notANumber: Phrase("count.error.not_a_number", ["value": value])
            case .tooLarge: Phrase("count.error.too_large", ["value": value])
            }
        }
    }

    /// Plain digits, or digits grouped by `.`, `,` or space in groups of three (`1.010` = 1010).
    /// Surrounding spaces are ignored. Empty input is `.success(nil)`: not recorded.
    @inline(__always)
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Int?, Failure> {
        var lo = 0, hi = bytes.count
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        if lo == hi { return .success(nil) }
        var value = 0
        var digitsInGroup = 0
        var separator: UInt8 = 0
        var groups = 0
        var i = lo
        if bytes[i] == 0x2D { return .failure(.negative) }
        if bytes[i] == 0x2B { i += 1; if i == hi { return .failure(.notANumber) } }
        while i < hi {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                value = value &* 10 &+ Int(b - 0x30)
                digitsInGroup += 1
                if value > 1_000_000_000_000 { return .failure(.tooLarge) }
            } else if b == 0x2E || b == 0x2C || b == 0x20 {
                // A separator must follow 1–3 digits first, then exactly 3 in every later group,
                // and be the same character throughout.
                if digitsInGroup == 0 { return .failure(.notANumber) }
                if separator != 0 && separator != b { return .failure(.decimal) }
                if groups == 0 && digitsInGroup > 3 { return .failure(.decimal) }
                if groups > 0 && digitsInGroup != 3 { return .failure(.decimal) }
                separator = b
                groups += 1
                digitsInGroup = 0
            } else {
                return .failure(.notANumber)
            }
            i += 1
        }
        if groups > 0 && digitsInGroup != 3 {
            return .failure(separator == 0x20 || digitsInGroup == 0 ? .notANumber : .decimal)
        }
        return .success(value)
    }

    /// The same rules on a string.
    public static func parse(_ text: String) -> Result<Int?, Failure> {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }
}
