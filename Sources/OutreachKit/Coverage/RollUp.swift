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
/// - denominator: the node's own denominator when set, otherwise the sum of its children's
///   rolled denominators (nil when none is known anywhere below).
/// - value, when the node has its own denominator: every value of its subtree (that figure
///   counts the people of every unit below, with or without a denominator of their own).
/// - value, when its denominator is its children's sum: its own value plus the values of the
///   children that have a denominator. A child with a value and no denominator adds to neither
///   side: it is left out (`leftOut` counts it, plus what the counted children left out).
/// - value, when there is no denominator at all: every value of its subtree (a count).
///
/// A value stays nil only when nothing below has one: "no data" never turns into 0.
/// One pass in reverse tree order, O(n). Pure: no database, no clock, no files. Sums never trap
/// (`Tally.sum` clamps); `CoverageReport` checks beforehand that they fit (`OwnTotals.checkSums`).
public func rollUp(_ walk: TreeWalk, _ own: [Tally]) -> [Tally] {
    precondition(own.count == walk.count, "one own tally per walked node")
    let n = walk.count
    var rolled = own
    var children = [ChildSums](repeating: ChildSums(), count: n)
    walk.parents.withUnsafeBufferPointer { parents in
        var position = n - 1
        while position >= 0 {
            let (t, whole) = children[position].tally(own: own[position])
            rolled[position] = t
            let p = parents[position]
            if p >= 0 { children[p].add(t, whole: whole) }
            position -= 1
        }
    }
    return rolled
}

/// What an area gathers from its children, or a total from the areas it sums (the rule of
/// `rollUp(_:_:)` in one place).
struct ChildSums: Sendable {
    /// Every child's whole value (all the values of its subtree), nil when none has one.
    private var whole: Int?
    /// The values of the children that have a denominator.
    private var counted: Int?
    /// The sum of the children's denominators, nil when none has one.
    private var denominator: Int?
    /// Children with a value and no denominator, plus the units the counted children left out.
    private var leftOut = 0

    /// Adds a child's rolled tally and its whole value (its value when it has no denominator).
    mutating func add(_ child: Tally, whole childWhole: Int?) {
        if let w = childWhole { whole = Tally.sum(whole, w) }
        if let d = child.denominator {
            denominator = Tally.sum(denominator, d)
            if let v = child.value { counted = Tally.sum(counted, v) }
            leftOut += child.leftOut
        } else if child.value != nil {
            leftOut += 1
        }
    }

    /// The rolled tally of an area whose own figures are `own` (its sessions and baselines,
    /// its own attribute) over these children, and its whole value.
    func tally(own: Tally) -> (tally: Tally, whole: Int?) {
        let whole = Tally.sum(own.value, self.whole)
        if let d = own.denominator { return (Tally(value: whole, denominator: d), whole) }
        if let d = denominator { return (Tally(value: Tally.sum(own.value, counted), denominator: d, leftOut: leftOut), whole) }
        return (Tally(value: whole), whole)
    }
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
