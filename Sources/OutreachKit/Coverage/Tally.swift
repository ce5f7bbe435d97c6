/// Additive figures for one indicator in one area. Sums up the tree; the ratio is derived last.
///
/// `value == nil` is "no data": nothing was recorded (no live session recorded a numerator
/// metric, and the campaign gives no baseline). It is not 0, and it stays nil through `+` until
/// some data joins it. `denominator == nil` means no population-like attribute is known.
public struct Tally: Equatable, Sendable {
    /// Sum of the numerator (baseline included), or nil for "no data".
    public var value: Int?
    /// The denominator (an area attribute such as `adults`), or nil when none is known.
    public var denominator: Int?

    public init(value: Int? = nil, denominator: Int? = nil) {
        self.value = value
        self.denominator = denominator
    }

    /// Sums both figures; a figure stays nil only when it is nil on both sides.
    public static func + (a: Tally, b: Tally) -> Tally {
        Tally(value: Tally.sum(a.value, b.value), denominator: Tally.sum(a.denominator, b.denominator))
    }

    public static func += (a: inout Tally, b: Tally) { a = a + b }

    /// Share of the denominator reached (1 = 100 %, may exceed 1), or nil when there is no data,
    /// no denominator, or a denominator of 0.
    public var coverage: Double? {
        guard let value, let denominator, denominator > 0 else { return nil }
        return Double(value) / Double(denominator)
    }

    /// Whether something was recorded (a value, possibly 0).
    public var hasData: Bool { value != nil }

    /// `a + b`, treating nil as "nothing to add" and keeping nil only when both are nil. Never
    /// traps (`addingClamped`): `CoverageReport` checks beforehand that its sums fit.
    static func sum(_ a: Int?, _ b: Int?) -> Int? {
        guard let a else { return b }
        guard let b else { return a }
        return a.addingClamped(b)
    }
}
