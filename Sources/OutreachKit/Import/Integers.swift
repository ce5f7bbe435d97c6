/// The one limit on a count: the most one session may record for one metric, and the most any
/// other count (a leaflet move, a target, an area's population) may be. Enforced wherever a
/// count comes in: `outreach log` (`Store.logSession`), `sessions import` and every other sheet
/// (`CountParser`), and `merge` (bundle records); a server checks new sessions with
/// `SessionCount.check`.
///
/// One billion: ten times Viet Nam's population, so no real count comes near it, and so far
/// below `Int.max` (9.2 × 10¹⁸) that no total of real sessions can overflow (it would take 9.2
/// billion sessions at the cap in one monthly total). Sums are checked all the same
/// (`Int.addingCount`): a total too large becomes an error, never a crash.
public enum SessionCount {
    /// 1,000,000,000.
    public static let maximum = 1_000_000_000

    /// Whether `value` is a count a session may hold: 0…`maximum`.
    @inline(__always)
    public static func allows(_ value: Int) -> Bool { value >= 0 && value <= maximum }

    /// Refuses a session whose counts (built-in `metrics` and campaign `campaignCounts`) are not
    /// all within 0…`maximum`, naming the first that is not (built-in metrics first, then
    /// campaign metrics by code).
    public static func check(_ metrics: MetricValues, campaignCounts: [String: Int] = [:]) throws(SessionError) {
        for metric in Metric.allCases {
            if let v = metrics[metric], !allows(v) { throw SessionError.countOutOfRange(metric.code, v) }
        }
        for code in campaignCounts.keys.sorted() {
            if let v = campaignCounts[code], !allows(v) { throw SessionError.countOutOfRange(code, v) }
        }
    }
}

/// Thrown when counts add up to more than a 64-bit integer holds: a total that cannot be right,
/// reported instead of trapping. `what` names the total (`eid_l2`, a table).
public struct CountOverflow: Error, Equatable, Sendable, UserFacingError {
    public var what: String

    public init(_ what: String) { self.what = what }

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String {
        labels("count.error.overflow", ["what": what, "max": labels.count(SessionCount.maximum)])
    }
}

extension Int {
    /// `self + other`, or `CountOverflow(what)` when the sum does not fit.
    @inline(__always)
    func addingCount(_ other: Int, _ what: @autoclosure () -> String) throws(CountOverflow) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        if overflow { throw CountOverflow(what()) }
        return sum
    }

    /// `x` with its fraction dropped, or the nearest of `Int.max` and `Int.min` when it is out of
    /// range (0 for NaN): `Int(x)` traps there, and a ratio of an absurd total can be.
    @inline(__always)
    init(saturating x: Double) {
        if x.isNaN { self = 0 } else if x >= 9.2e18 { self = Int.max } else if x <= -9.2e18 { self = Int.min } else { self = Int(x) }
    }

    /// `self + other`, or the nearest of `Int.max` and `Int.min` when it does not fit: for the
    /// sums of the coverage roll-up, which cannot overflow once `OwnTotals.checkSums` passed
    /// (all magnitudes together fit), and so never trap.
    @inline(__always)
    func addingClamped(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? Int.max : Int.min) : sum
    }
}

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
            case .tooLarge: Phrase("count.error.too_large", ["value": value], counts: ["max": SessionCount.maximum])
            }
        }
    }

    /// Plain digits, or digits grouped by `.`, `,` or space in groups of three (`1.010` = 1010),
    /// at most `SessionCount.maximum`. Surrounding spaces are ignored. Empty input is `.success(nil)`: not recorded.
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
                if value > SessionCount.maximum { return .failure(.tooLarge) }
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
