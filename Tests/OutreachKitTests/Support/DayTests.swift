import Foundation
import Testing
@testable import OutreachKit

@Suite("Calendar days")
struct DayTests {
    @Test("parses ISO and Vietnamese day-month-year dates", arguments: [
        ("2024-02-29", 2024, 2, 29),
        ("2026-11-20", 2026, 11, 20),
        ("1970-01-01", 1970, 1, 1),
        ("29/02/2024", 2024, 2, 29),
        ("20/11/2026", 2026, 11, 20),
        ("5/3/2025", 2025, 3, 5),
        ("05/3/2025", 2025, 3, 5),
        ("5/03/2025", 2025, 3, 5),
        ("31/12/1999", 1999, 12, 31),
        ("  01/07/2025 ", 2025, 7, 1),
        ("\t2025-07-01", 2025, 7, 1),
    ])
    func parses(text: String, year: Int, month: Int, day: Int) throws {
        let parsed = try #require(Day(parsing: text))
        #expect(parsed.components == (year, month, day))
        #expect(parsed == Day(year: year, month: month, day: day))
    }

    @Test("rejects impossible days and other shapes", arguments: [
        "31/02/2024", "29/02/2023", "30/02/2024", "31/04/2025", "00/01/2025", "01/13/2025", "01/00/2025",
        "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "0000-01-01",
        "2024-2-29", "24-02-29", "2024/02/29", "29-02-2024", "29/02/24", "029/02/2024", "29/002/2024",
        "2024-02/29", "29/02-2024", "29/02/2024/", "/02/2024", "29//2024", "2024-02-29T00:00",
        "", " ", "today", "20240229", "1.5.2025",
    ])
    func rejects(text: String) {
        #expect(Day(parsing: text) == nil)
    }

    @Test("accepts 29 February only in leap years", arguments: [
        (2024, true), (2023, false), (2000, true), (1900, false), (2100, false), (2400, true),
    ])
    func leapDays(year: Int, leap: Bool) {
        #expect((Day(year: year, month: 2, day: 29) != nil) == leap)
        #expect(Day.daysIn(month: 2, year: year) == (leap ? 29 : 28))
    }

    @Test("turns day numbers into components and back", arguments: [
        -719_162 ... -718_000, -1_000 ... 1_000, 19_000 ... 21_000, 2_900_000 ... 2_901_000,
    ])
    func roundTrip(range: ClosedRange<Int>) throws {
        var previous: (year: Int, month: Int, day: Int)? = nil
        for n in range {
            let day = Day(number: n)
            let c = day.components
            let back = try #require(Day(year: c.year, month: c.month, day: c.day), "\(n) → \(c)")
            #expect(back.number == n)
            #expect(Day(parsing: day.iso) == day)
            #expect(Day(parsing: day.vietnamese) == day)
            if let p = previous {
                // Consecutive numbers are consecutive days.
                let next = p.day < Day.daysIn(month: p.month, year: p.year)
                    ? (p.year, p.month, p.day + 1)
                    : (p.month == 12 ? (p.year + 1, 1, 1) : (p.year, p.month + 1, 1))
                #expect(c == next, "after \(p)")
            }
            previous = c
        }
    }

    @Test("counts day numbers from 1 January 1970")
    func epoch() {
        #expect(Day(year: 1970, month: 1, day: 1)?.number == 0)
        #expect(Day(year: 1970, month: 1, day: 2)?.number == 1)
        #expect(Day(year: 1969, month: 12, day: 31)?.number == -1)
        #expect(Day(year: 2000, month: 3, day: 1)?.number == 11_017)
        #expect(Day(year: 2024, month: 2, day: 29)?.number == 19_782)
    }

    @Test("formats as ISO and in Vietnamese order with zero padding", arguments: [
        (2024, 3, 5, "2024-03-05", "05/03/2024"),
        (2026, 11, 20, "2026-11-20", "20/11/2026"),
        (999, 1, 1, "0999-01-01", "01/01/0999"),
        (9999, 12, 31, "9999-12-31", "31/12/9999"),
    ])
    func formats(year: Int, month: Int, day: Int, iso: String, vietnamese: String) throws {
        let d = try #require(Day(year: year, month: month, day: day))
        #expect(d.iso == iso)
        #expect(d.vietnamese == vietnamese)
        #expect(d.description == iso)
    }

    @Test("numbers months from January 1970", arguments: [
        ((1970, 1, 1), 0), ((1970, 1, 31), 0), ((1970, 2, 1), 1), ((1970, 12, 31), 11),
        ((1971, 1, 1), 12), ((2024, 2, 29), 649), ((1969, 12, 31), -1),
    ])
    func monthIndex(date: (Int, Int, Int), index: Int) throws {
        let d = try #require(Day(year: date.0, month: date.1, day: date.2))
        #expect(d.monthIndex == index)
    }

    @Test("numbers weekdays from Monday = 0", arguments: [
        ((2026, 11, 20), 4), // Friday
        ((2026, 11, 16), 0), // Monday
        ((2026, 11, 22), 6), // Sunday
        ((1970, 1, 1), 3),   // Thursday
        ((1969, 12, 31), 2), // Wednesday
        ((1969, 12, 28), 6), // Sunday
        ((2024, 2, 29), 3),  // Thursday
    ])
    func weekday(date: (Int, Int, Int), weekday: Int) throws {
        let d = try #require(Day(year: date.0, month: date.1, day: date.2))
        #expect(d.weekday == weekday)
    }

    @Test("orders and adds days")
    func orderAndArithmetic() throws {
        let a = try #require(Day(parsing: "28/02/2024"))
        #expect(a.adding(days: 1).iso == "2024-02-29")
        #expect(a.adding(days: 2).iso == "2024-03-01")
        #expect(a.adding(days: -59).iso == "2023-12-31")
        #expect(a < a.adding(days: 1))
        #expect(!(a < a))
    }

    @Test("encodes as an ISO string and decodes either format")
    func codable() throws {
        let d = try #require(Day(year: 2025, month: 7, day: 1))
        let json = try JSONEncoder().encode([d])
        #expect(String(decoding: json, as: UTF8.self) == #"["2025-07-01"]"#)
        #expect(try JSONDecoder().decode([Day].self, from: Data(#"["01/07/2025"]"#.utf8)) == [d])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Day].self, from: Data(#"["31/02/2024"]"#.utf8))
        }
    }
}
