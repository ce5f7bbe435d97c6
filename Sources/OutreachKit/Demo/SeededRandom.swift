/// A small deterministic random number generator (SplitMix64): the same seed gives the same
/// demo district on every machine and every run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// A number in `range`.
    mutating func double(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// An element of `items`.
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }

    /// `count` whole numbers, each in `range`, that add up to `total` exactly (the range must
    /// allow it).
    mutating func split(_ total: Int, into count: Int, each range: ClosedRange<Int>) -> [Int] {
        var parts = (0..<count).map { _ in int(range) }
        var sum = parts.reduce(0, +)
        while sum != total {
            let i = Int.random(in: 0..<count, using: &self)
            if sum < total, parts[i] < range.upperBound {
                parts[i] += 1
                sum += 1
            } else if sum > total, parts[i] > range.lowerBound {
                parts[i] -= 1
                sum -= 1
            }
        }
        return parts
    }

    /// `total` shared out in proportion to `weights`, in whole numbers that add up to `total`
    /// (largest remainders first).
    static func apportion(_ total: Int, by weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
        let exact = weights.map { Double(total) * $0 / sum }
        var parts = exact.map { Int($0) }
        var left = total - parts.reduce(0, +)
        for i in exact.indices.sorted(by: { exact[$0] - Double(parts[$0]) > exact[$1] - Double(parts[$1]) }) where left > 0 {
            parts[i] += 1
            left -= 1
        }
        return parts
    }
}
