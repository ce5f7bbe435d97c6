import Foundation

/// A time zone as a fixed offset from UTC. Outreach shows people Vietnam time: Asia/Ho_Chi_Minh
/// is UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact and needs no
/// time-zone database on the machine.
public struct ZoneOffset: Equatable, Sendable {
    /// Seconds east of UTC.
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    /// Vietnam time, UTC+7 (Asia/Ho_Chi_Minh).
    public static let vietnam = ZoneOffset(seconds: 7 * 3600)
    /// UTC itself.
    public static let utc = ZoneOffset(seconds: 0)
}

/// A moment, kept as whole seconds since 1970-01-01 00:00 UTC. Stored timestamps stay UTC
/// (`2026-11-22T11:28:08Z`); only what people read is shown in a zone.
public struct Timestamp: Equatable, Comparable, Sendable {
    public var secondsSince1970: Int

    public init(secondsSince1970: Int) { self.secondsSince1970 = secondsSince1970 }

    /// The moment `date` names (fractions of a second dropped).
    public init(_ date: Date) { secondsSince1970 = Int(date.timeIntervalSince1970.rounded(.down)) }

    /// Reads a stored UTC timestamp: `YYYY-MM-DDTHH:MM:SSZ`, with optional fractions of a
    /// second (`…:08.123Z`); the `T` may be a space and the seconds may be left out. Nil for
    /// anything else.
    public init?(utc text: String) {
        let b = Array(text.utf8)
        guard b.count >= 16, let day = Day(parsing: String(decoding: b[0..<10], as: UTF8.self)),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), b[13] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var n = 0
            for i in range {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard let hour = number(11..<13), let minute = number(14..<16), hour < 24, minute < 60 else { return nil }
        var second = 0
        var rest = 16
        if rest < b.count, b[rest] == UInt8(ascii: ":") {
            guard let s = number(17..<19), s < 61 else { return nil }
            second = s
            rest = 19
            if rest < b.count, b[rest] == UInt8(ascii: ".") {
                rest += 1
                while rest < b.count, b[rest] >= 0x30, b[rest] <= 0x39 { rest += 1 }
            }
        }
        guard rest == b.count || (rest == b.count - 1 && b[rest] == UInt8(ascii: "Z")) else { return nil }
        secondsSince1970 = day.number * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// The day and the time of day (hours, minutes) on a clock in `zone`.
    public func local(in zone: ZoneOffset) -> (day: Day, hour: Int, minute: Int) {
        let local = secondsSince1970 + zone.seconds
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let inDay = local - days * 86_400
        return (Day(number: days), inDay / 3600, inDay % 3600 / 60)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSince1970 < b.secondsSince1970 }
}

extension Day {
    /// The day it is at `date` on a clock in `zone` (Vietnam by default).
    public init(_ date: Date, in zone: ZoneOffset = .vietnam) {
        self = Timestamp(date).local(in: zone).day
    }
}

extension Labels {
    /// A moment as people read it, on a clock in `zone` (Vietnam time by default), in the
    /// product's date style: `22/11/2026 18:28` (vi), `22 Nov 2026 18:28` (en).
    public func time(_ moment: Timestamp, in zone: ZoneOffset = .vietnam) -> String {
        let (day, hour, minute) = moment.local(in: zone)
        let clock = (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
        return self("time.moment", ["date": date(day), "time": clock])
    }

    /// A stored UTC timestamp (`2026-11-22T11:28:08Z`) as people read it in `zone`; the stored
    /// text as it is when it is not a timestamp.
    public func time(utc stamp: String, in zone: ZoneOffset = .vietnam) -> String {
        Timestamp(utc: stamp).map { time($0, in: zone) } ?? stamp
    }
}
