/// A calendar day, stored as the number of days since 1970-01-01 (proleptic Gregorian).
///
/// Integer day numbers keep session rows and their indexes small; the product never needs a
/// time of day. "Today" is always a parameter of the library, chosen by the command line.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var number: Int

    /// Wraps a day number (days since 1970-01-01).
    public init(number: Int) { self.number = number }

    /// The day with this year, month and day of month, or nil when no such day exists (31/02).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = era * 146_097 + doe - 719_468
    }

    /// Year, month (1–12) and day of month (1–31).
    public var components: (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Number of days in a month of a year.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Months since January 1970 (0 = 1970-01): the key of monthly buckets.
    public var monthIndex: Int {
        let c = components
        return (c.year - 1970) * 12 + c.month - 1
    }

    /// Monday = 0 … Sunday = 6.
    public var weekday: Int { ((number % 7) + 7 + 3) % 7 }

    /// `YYYY-MM-DD`, the machine format used in CSV and JSON.
    public var iso: String {
        let c = components
        return "\(Day.pad(c.year, 4))-\(Day.pad(c.month, 2))-\(Day.pad(c.day, 2))"
    }

    /// `DD/MM/YYYY`, the Vietnamese order people read.
    public var vietnamese: String {
        let c = components
        return "\(Day.pad(c.day, 2))/\(Day.pad(c.month, 2))/\(Day.pad(c.year, 4))"
    }

    public var description: String { iso }

    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }

    /// The day `n` days later.
    public func adding(days n: Int) -> Day { Day(number: number + n) }

    /// Parses `YYYY-MM-DD`, `DD/MM/YYYY` or `D/M/YYYY`; nil for anything else or an impossible day.
    public init?(parsing text: some StringProtocol) {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        guard let day = bytes.withUnsafeBufferPointer({ Day(bytes: $0) }) else { return nil }
        self = day
    }

    /// The same parser over raw bytes, for the import hot path.
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        var parts: (Int, Int, Int) = (0, 0, 0)
        var lengths: (Int, Int, Int) = (0, 0, 0)
        var part = 0
        var separator: UInt8 = 0
        for b in bytes {
            if b >= 0x30 && b <= 0x39 {
                let v = Int(b - 0x30)
                switch part {
                case 0: parts.0 = parts.0 * 10 + v; lengths.0 += 1
                case 1: parts.1 = parts.1 * 10 + v; lengths.1 += 1
                default: parts.2 = parts.2 * 10 + v; lengths.2 += 1
                }
                if lengths.0 > 4 || lengths.1 > 4 || lengths.2 > 4 { return nil }
            } else if (b == 0x2D || b == 0x2F) && part < 2 && (separator == 0 || separator == b) {
                separator = b
                part += 1
            } else {
                return nil
            }
        }
        guard part == 2 else { return nil }
        if separator == 0x2D {
            guard lengths.0 == 4, lengths.1 == 2, lengths.2 == 2 else { return nil }
            self.init(year: parts.0, month: parts.1, day: parts.2)
        } else {
            guard (1...2).contains(lengths.0), (1...2).contains(lengths.1), lengths.2 == 4 else { return nil }
            self.init(year: parts.2, month: parts.1, day: parts.0)
        }
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "\(text) is not a date"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }
}

extension Day {
    /// Why `text` is not a day, in words that say what is wrong: a month that does not exist
    /// (`2026-13-01`), a day its month does not have (`31/02/2026`: February 2026 has 28 days),
    /// or text that is not written as a date at all.
    public static func problem(parsing text: String) -> Phrase {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let iso = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let vietnamese = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        let parts: (year: Int, month: Int, day: Int)?
        func digits(_ s: Substring, _ lengths: ClosedRange<Int>) -> Int? {
            lengths.contains(s.count) && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) ? Int(s) : nil
        }
        if iso.count == 3, let y = digits(iso[0], 4...4), let m = digits(iso[1], 2...2), let d = digits(iso[2], 2...2) {
            parts = (y, m, d)
        } else if vietnamese.count == 3, let d = digits(vietnamese[0], 1...2), let m = digits(vietnamese[1], 1...2),
                  let y = digits(vietnamese[2], 4...4) {
            parts = (y, m, d)
        } else {
            parts = nil
        }
        guard let parts, parts.year >= 1, Day(year: parts.year, month: parts.month, day: parts.day) == nil else {
            return Phrase("day.problem.form")
        }
        guard (1...12).contains(parts.month) else { return Phrase("day.problem.no_such_month", counts: ["month": parts.month]) }
        return Phrase("day.problem.no_such_day", ["month": String(parts.month), "year": String(parts.year)],
                      counts: ["days": daysIn(month: parts.month, year: parts.year)])
    }
}
