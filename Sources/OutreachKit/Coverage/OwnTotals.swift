/// Each area's own live session totals (its own sessions, not its subtree's), by tree index:
/// the input of `CoverageReport`.
///
/// Flat arrays rather than a dictionary of `AreaTotals`: a national report reads about 100,000
/// areas' totals and visits all of them.
public struct OwnTotals: Sendable {
    /// Number of tree indexes covered.
    public let count: Int
    private var sums: [Int]
    private var recorded: [Bool]
    private static let width = MetricValues.width

    /// No totals for `count` areas.
    public init(count: Int) {
        self.count = count
        sums = Array(repeating: 0, count: count * OwnTotals.width)
        recorded = Array(repeating: false, count: count * OwnTotals.width)
    }

    /// The totals of a dictionary keyed by tree index (indexes outside `0..<count` are ignored).
    public init(count: Int, _ totals: [Int: AreaTotals]) {
        self.init(count: count)
        for (index, t) in totals where index >= 0 && index < count { set(index, t.metrics) }
    }

    /// Sets the metrics of the area at `index`.
    public mutating func set(_ index: Int, _ metrics: MetricValues) {
        let base = index * OwnTotals.width
        for (i, v) in metrics.values.enumerated() {
            sums[base + i] = v ?? 0
            recorded[base + i] = v != nil
        }
    }

    /// Sets one metric (by `Metric.index`) of the area at `index`.
    mutating func set(_ index: Int, metric: Int, sum: Int) {
        sums[index * OwnTotals.width + metric] = sum
        recorded[index * OwnTotals.width + metric] = true
    }

    /// The sum of the metrics `metricIndexes` of the area at `index`, or nil when none is recorded.
    func sum(at index: Int, of metricIndexes: [Int]) -> Int? {
        var value: Int?
        let base = index * OwnTotals.width
        for m in metricIndexes where recorded[base + m] { value = (value ?? 0) + sums[base + m] }
        return value
    }
}
