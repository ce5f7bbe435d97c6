/// Each area's own live session totals (its own sessions, not its subtree's), by tree index:
/// the input of `CoverageReport`.
///
/// Flat arrays rather than a dictionary of `AreaTotals`: a national report reads about 100,000
/// areas' totals and visits all of them. One column per built-in metric (by `Metric.index`),
/// then one per campaign metric held (`campaignMetrics`, in that order).
public struct OwnTotals: Sendable {
    /// Number of tree indexes covered.
    public let count: Int
    /// The campaign metrics held, by code, in column order after the built-in metrics.
    public let campaignMetrics: [String]
    /// Columns per area.
    private let width: Int
    private var sums: [Int]
    private var recorded: [Bool]

    /// No totals for `count` areas, with columns for the built-in metrics and `campaignMetrics`.
    public init(count: Int, campaignMetrics: [String] = []) {
        self.count = count
        self.campaignMetrics = campaignMetrics
        width = MetricValues.width + campaignMetrics.count
        sums = Array(repeating: 0, count: count * width)
        recorded = Array(repeating: false, count: count * width)
    }

    /// The totals of a dictionary keyed by tree index (indexes outside `0..<count` are ignored).
    public init(count: Int, _ totals: [Int: AreaTotals]) {
        self.init(count: count)
        for (index, t) in totals where index >= 0 && index < count { set(index, t.metrics) }
    }

    /// The column of the metric `code`: a built-in metric's index, or a campaign metric's place
    /// after the built-in ones; nil for a metric not held.
    public func column(of code: String) -> Int? {
        if let metric = Metric(code: code) { return metric.index }
        return campaignMetrics.firstIndex(of: code).map { MetricValues.width + $0 }
    }

    /// Sets the built-in metrics of the area at `index`.
    public mutating func set(_ index: Int, _ metrics: MetricValues) {
        let base = index * width
        for (i, v) in metrics.values.enumerated() {
            sums[base + i] = v ?? 0
            recorded[base + i] = v != nil
        }
    }

    /// Sets the recorded sum of one column (see `column(of:)`) of the area at `index`.
    public mutating func set(_ index: Int, column: Int, sum: Int) {
        sums[index * width + column] = sum
        recorded[index * width + column] = true
    }

    /// The sum of the columns `columns` of the area at `index`, or nil when none is recorded.
    func sum(at index: Int, of columns: [Int]) -> Int? {
        var value: Int?
        let base = index * width
        for m in columns where recorded[base + m] { value = (value ?? 0).addingClamped(sums[base + m]) }
        return value
    }

    /// Throws `CountOverflow` unless the sizes of every recorded sum, plus `extra`, add up to a
    /// number that fits: then no sum of some of them (an area's indicator, a roll-up, a total)
    /// can overflow, whatever the tree.
    public func checkSums(adding extra: Int = 0) throws(CountOverflow) {
        var all = extra
        for i in sums.indices where recorded[i] {
            all = try all.addingCount(Int(exactly: sums[i].magnitude) ?? Int.max, columnCode(i % width))
        }
    }

    /// The metric code of column `column`.
    private func columnCode(_ column: Int) -> String {
        column < MetricValues.width ? Metric.allCases[column].code : campaignMetrics[column - MetricValues.width]
    }
}
