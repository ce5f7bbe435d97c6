/// A part of an `AreaTree` laid out for roll-ups: its nodes in tree order (parents before
/// children, siblings by code), each with its depth and the position of its parent.
///
/// Positions index every array a roll-up reads or writes, so the hot loops touch arrays only,
/// never dictionaries. A child always sits after its parent, so walking positions backwards
/// visits children before parents.
public struct TreeWalk: Sendable {
    /// Tree index of the node at each position.
    public let indexes: [Int]
    /// Depth of each position below the start (the starts are at `startDepth`).
    public let depths: [Int]
    /// Position of each node's parent, or -1 for a start.
    public let parents: [Int]

    /// Walks `tree` from `starts` (its roots when nil) down to the leaves.
    public init(_ tree: AreaTree, from starts: [Int]? = nil, startDepth: Int = 0) {
        let starts = starts ?? tree.roots
        var indexes: [Int] = []
        var depths: [Int] = []
        var parents: [Int] = []
        var stack: [(index: Int, depth: Int, parent: Int)] = starts.reversed().map { ($0, startDepth, -1) }
        while let (i, d, p) = stack.popLast() {
            let position = indexes.count
            indexes.append(i)
            depths.append(d)
            parents.append(p)
            for c in tree.children[i].reversed() { stack.append((c, d + 1, position)) }
        }
        self.indexes = indexes
        self.depths = depths
        self.parents = parents
    }

    /// Number of nodes walked.
    public var count: Int { indexes.count }
}

/// Rolls per-area tallies up the tree: for each node of `walk`, its own tally (by position)
/// plus its subtree's.
///
/// - value: own value + the sum of the children's rolled values (nil only when nil throughout
///   the subtree: "no data" never turns into 0).
/// - denominator: the node's own denominator when set, otherwise the sum of its children's
///   rolled denominators (nil when none is known anywhere below).
///
/// One pass in reverse tree order, O(n). Pure: no database, no clock, no files. Sums never trap
/// (`addingClamped`); `CoverageReport` checks beforehand that they fit (`OwnTotals.checkSums`).
public func rollUp(_ walk: TreeWalk, _ own: [Tally]) -> [Tally] {
    precondition(own.count == walk.count, "one own tally per walked node")
    let n = walk.count
    var rolled = own
    var childValues = [Int](repeating: 0, count: n)
    var childHasValue = [Bool](repeating: false, count: n)
    var childDenominators = [Int](repeating: 0, count: n)
    var childHasDenominator = [Bool](repeating: false, count: n)
    walk.parents.withUnsafeBufferPointer { parents in
        var position = n - 1
        while position >= 0 {
            var t = own[position]
            if childHasValue[position] { t.value = (t.value ?? 0).addingClamped(childValues[position]) }
            if t.denominator == nil, childHasDenominator[position] { t.denominator = childDenominators[position] }
            rolled[position] = t
            let p = parents[position]
            if p >= 0 {
                if let v = t.value {
                    childValues[p] = childValues[p].addingClamped(v)
                    childHasValue[p] = true
                }
                if let d = t.denominator {
                    childDenominators[p] = childDenominators[p].addingClamped(d)
                    childHasDenominator[p] = true
                }
            }
            position -= 1
        }
    }
    return rolled
}

/// Rolls per-area tallies (keyed by tree index) up `tree` from `start` (the whole tree when
/// nil). Areas outside the start's subtree are ignored; the answer holds every area of that
/// subtree, keyed by tree index. See `rollUp(_:_:)` over a `TreeWalk` for the rules.
public func rollUp(_ tree: AreaTree, _ own: [Int: Tally], under start: Int? = nil) -> [Int: Tally] {
    let walk = TreeWalk(tree, from: start.map { [$0] })
    var ownByPosition = [Tally](repeating: Tally(), count: walk.count)
    if !own.isEmpty {
        for (position, index) in walk.indexes.enumerated() {
            if let t = own[index] { ownByPosition[position] = t }
        }
    }
    let rolled = rollUp(walk, ownByPosition)
    var out: [Int: Tally] = [:]
    out.reserveCapacity(walk.count)
    for (position, index) in walk.indexes.enumerated() { out[index] = rolled[position] }
    return out
}
