/// Additive figures for one indicator in one area. Sums up the tree; the ratio is derived last.
///
/// `value == nil` is "no data": nothing was recorded (no live session recorded a numerator
/// metric, and the campaign gives no baseline). It is not 0, and it stays nil through `+` until
/// some data joins it. `denominator == nil` means no population-like attribute is known.
/// `leftOut` counts the units below whose value stayed out of this ratio because they have no
/// denominator (see `rollUp(_:_:)`).
public struct Tally: Equatable, Sendable {
    /// Sum of the numerator (baseline included), or nil for "no data".
    public var value: Int?
    /// The denominator (an area attribute such as `adults`), or nil when none is known.
    public var denominator: Int?
    /// Units below with a value but no denominator, kept out of both sides of this ratio.
    public var leftOut: Int

    public init(value: Int? = nil, denominator: Int? = nil, leftOut: Int = 0) {
        self.value = value
        self.denominator = denominator
        self.leftOut = leftOut
    }

    /// Sums the figures as they stand; a figure stays nil only when it is nil on both sides.
    /// (Leaving out the units without a denominator is the roll-up's job, not this sum's.)
    public static func + (a: Tally, b: Tally) -> Tally {
        Tally(value: Tally.sum(a.value, b.value), denominator: Tally.sum(a.denominator, b.denominator),
              leftOut: a.leftOut + b.leftOut)
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

    /// A value with no denominator: shown as "no denominator", and left out of a parent's ratio
    /// when the parent's denominator is its children's sum.
    public var lacksDenominator: Bool { value != nil && denominator == nil }

    /// `a + b`, treating nil as "nothing to add" and keeping nil only when both are nil. Never
    /// traps (`addingClamped`): `CoverageReport` checks beforehand that its sums fit.
    static func sum(_ a: Int?, _ b: Int?) -> Int? {
        guard let a else { return b }
        guard let b else { return a }
        return a.addingClamped(b)
    }
}
