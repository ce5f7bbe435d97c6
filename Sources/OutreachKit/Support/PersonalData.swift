/// Citizen-ID and phone numbers typed into free text, masked before the text is stored.
///
/// A leader's note ("gọi lại chị Lan 0912 345 678", "CCCD 038012345612 chưa kích hoạt") is read
/// by everyone who lists sessions or receives a bundle, so such numbers never reach the
/// database: `log`, `sessions import` and `merge` all store the masked form, the first four and
/// the last two digits with stars between (`0380******12`). What counts as a number:
/// - a citizen-ID (CCCD) shape: 12 digits;
/// - a Vietnamese mobile shape: 10 digits starting `03`, `05`, `07`, `08` or `09`, or the same
///   written `+84…`/`84…` (11 digits), masked in its `0…` form.
/// Digits may be grouped by single spaces, dots or dashes (`0912.345.678`, `+84 912 345 678`);
/// a number glued to other digits is not one of these shapes and is left alone.
public enum PersonalData {
    /// Fewer digits than this cannot hold a number to mask: the quick test before any work.
    static let fewestDigits = 10

    /// `text` with every citizen-ID or phone-shaped number masked, and how many were.
    public static func maskNumbers(in text: String) -> (text: String, masked: Int) {
        var utf8 = Array(text.utf8)
        let count = utf8.withUnsafeBufferPointer { mayHoldNumbers($0) } ? mask(&utf8) : 0
        return count == 0 ? (text, 0) : (String(decoding: utf8, as: UTF8.self), count)
    }

    /// Whether `bytes` have enough ASCII digits to hold a number to mask (most notes do not).
    @inline(__always)
    static func mayHoldNumbers(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= fewestDigits else { return false }
        var digits = 0
        for b in bytes where b &- 0x30 < 10 {
            digits += 1
            if digits == fewestDigits { return true }
        }
        return false
    }

    /// Masks the numbers of `bytes` (UTF-8) in place; returns how many.
    static func mask(_ bytes: inout [UInt8]) -> Int {
        // Runs of ASCII digits, as [start, end) offsets.
        var groups: [(start: Int, end: Int)] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] &- 0x30 < 10 {
                let s = i
                while i < bytes.count, bytes[i] &- 0x30 < 10 { i += 1 }
                groups.append((s, i))
            } else {
                i += 1
            }
        }
        var out: [UInt8] = []
        var copied = 0
        var masked = 0
        var g = 0
        while g < groups.count {
            // The shortest run of groups from g, joined by one separator each, with a number's shape.
            var digits: [UInt8] = []
            var found: (last: Int, number: [UInt8])? = nil
            var j = g
            while j < groups.count {
                digits += bytes[groups[j].start..<groups[j].end]
                if let number = shape(digits) { found = (j, number); break }
                guard digits.count < 12, j + 1 < groups.count, groups[j + 1].start == groups[j].end + 1,
                      [0x20, 0x2E, 0x2D].contains(bytes[groups[j].end]) else { break }
                j += 1
            }
            guard let (last, number) = found else { g += 1; continue }
            var start = groups[g].start
            if start > 0, bytes[start - 1] == 0x2B { start -= 1 }  // the + of +84
            out += bytes[copied..<start]
            out += number.prefix(4)
            out += [UInt8](repeating: 0x2A, count: number.count - 6)
            out += number.suffix(2)
            copied = groups[last].end
            masked += 1
            g = last + 1
        }
        guard masked > 0 else { return 0 }
        out += bytes[copied...]
        bytes = out
        return masked
    }

    /// The number `digits` stand for when they have a citizen-ID or mobile shape (a mobile in
    /// its `0…` form), nil otherwise.
    private static func shape(_ digits: [UInt8]) -> [UInt8]? {
        switch digits.count {
        case 10 where digits[0] == 0x30 && Phone.mobilePrefixes.contains(digits[1]):
            return digits
        case 11 where digits[0] == 0x38 && digits[1] == 0x34 && Phone.mobilePrefixes.contains(digits[2]):
            return [0x30] + digits.dropFirst(2)
        case 12:
            return digits
        default:
            return nil
        }
    }
}

extension TextField {
    /// Masks the numbers of a notes cell (see `PersonalData`); returns how many. A cell with too
    /// few digits costs one pass over its bytes.
    mutating func maskPersonalNumbers() -> Int {
        let text: String
        switch self {
        case .raw(let bytes):
            guard PersonalData.mayHoldNumbers(bytes) else { return 0 }
            text = String(decoding: bytes, as: UTF8.self)
        case .normalized(let string):
            text = string
        case .absent:
            return 0
        }
        let (result, count) = PersonalData.maskNumbers(in: text)
        if count > 0 { self = .normalized(result) }
        return count
    }
}

extension SessionRecord {
    /// The record with the numbers of its notes masked, as every session is stored.
    func maskingNotes() -> SessionRecord {
        guard let notes else { return self }
        let (text, count) = PersonalData.maskNumbers(in: notes)
        guard count > 0 else { return self }
        var record = self
        record.notes = text
        return record
    }
}
