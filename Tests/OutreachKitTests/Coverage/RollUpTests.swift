import Testing
@testable import OutreachKit

/// Random trees for property tests, from a seeded generator so that a failure can be replayed.
enum RandomTrees {
    /// SplitMix64 (Steele, Lea and Flood): small, fast, and the same sequence on every platform.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A tree of `count` nodes of random shape: node order in the array is shuffled (a parent may
    /// come after its children), codes are random so that code order differs from array order,
    /// and there may be several roots. Kinds follow depth (province, commune, hamlet, then hamlet).
    static func tree(count: Int, roots: Int, rng: inout SplitMix64) -> AreaTree {
        // Build parents over a creation order (each node hangs under an earlier one), then shuffle.
        var parentInCreation = [Int?](repeating: nil, count: count)
        var depth = [Int](repeating: 0, count: count)
        for i in 0..<count where i >= roots {
            // Favour recent nodes now and then to get deep chains, otherwise any earlier node.
            let p = Int.random(in: 0..<100, using: &rng) < 30 ? max(0, i - Int.random(in: 1...3, using: &rng)) : Int.random(in: 0..<i, using: &rng)
            parentInCreation[i] = p
            depth[i] = depth[p] + 1
        }
        var order = Array(0..<count)
        order.shuffle(using: &rng)
        var slot = [Int](repeating: 0, count: count)
        for (s, i) in order.enumerated() { slot[i] = s }
        let levels: [AreaLevel] = [.province, .commune, .hamlet]
        var nodes: [AreaTree.Node] = []
        nodes.reserveCapacity(count)
        for s in 0..<count {
            let i = order[s]
            nodes.append(AreaTree.Node(id: Int64(s + 1), code: "A\(UInt32.random(in: 0...UInt32.max, using: &rng))-\(i)",
                                       name: "Area \(i)", level: levels[min(depth[i], 2)],
                                       parent: parentInCreation[i].map { slot[$0] }))
        }
        return AreaTree(nodes: nodes)
    }

    /// A random own tally: no data 30 % of the time, no denominator 40 % of the time, and
    /// sometimes a denominator of 0.
    static func tally(rng: inout SplitMix64) -> Tally {
        let value: Int? = Int.random(in: 0..<10, using: &rng) < 3 ? nil : Int.random(in: 0...1_000, using: &rng)
        let roll = Int.random(in: 0..<10, using: &rng)
        let denominator: Int? = roll < 4 ? nil : (roll == 4 ? 0 : Int.random(in: 1...2_000, using: &rng))
        return Tally(value: value, denominator: denominator)
    }

    /// `a + b` where nil is "nothing recorded".
    static func add(_ a: Int?, _ b: Int?) -> Int? {
        switch (a, b) {
        case (nil, nil): return nil
        default: return (a ?? 0) + (b ?? 0)
        }
    }
}

@Suite("Tallies")
struct TallyTests {
    @Test("keep no data apart from 0 when added")
    func noDataIsNotZero() {
        #expect((Tally() + Tally()).value == nil)
        #expect((Tally() + Tally(value: 0)).value == 0)
        #expect((Tally(value: 3) + Tally()).value == 3)
        #expect(Tally(value: 3, denominator: 10) + Tally(value: 4) == Tally(value: 7, denominator: 10))
        #expect((Tally(denominator: nil) + Tally(denominator: nil)).denominator == nil)
    }

    @Test("give no coverage without data or denominator, and never divide by zero", arguments: [
        (Tally(value: nil, denominator: 100), nil as Double?),
        (Tally(value: 5, denominator: nil), nil),
        (Tally(value: 5, denominator: 0), nil),
        (Tally(value: 0, denominator: 0), nil),
        (Tally(value: 0, denominator: 40), 0.0),
        (Tally(value: 30, denominator: 40), 0.75),
        (Tally(value: 60, denominator: 40), 1.5),
    ])
    func coverage(tally: Tally, expected: Double?) {
        #expect(tally.coverage == expected)
    }
}

@Suite("Rolling tallies up the tree")
struct RollUpTests {
    /// Tỉnh (no attribute) > Xã Một (own adults 100) > Thôn 1 (40 adults, 10), Thôn 2 (nothing);
    /// Tỉnh > Xã Hai (no attribute, own 5) > Thôn 3 (50 adults, 60), Thôn 4 (30 adults, 0).
    /// The array order is scrambled on purpose: children before parents, codes out of order.
    static func smallTree() -> (AreaTree, [String: Int]) {
        let rows: [(String, AreaLevel, String?)] = [
            ("02-3", .hamlet, "02"), ("01-1", .hamlet, "01"), ("02", .commune, "P"), ("P", .province, nil),
            ("01", .commune, "P"), ("02-4", .hamlet, "02"), ("01-2", .hamlet, "01"),
        ]
        var index: [String: Int] = [:]
        for (i, row) in rows.enumerated() { index[row.0] = i }
        let nodes = rows.enumerated().map { i, row in
            AreaTree.Node(id: Int64(i + 1), code: row.0, name: row.0, level: row.1, parent: row.2.map { index[$0]! })
        }
        return (AreaTree(nodes: nodes), index)
    }

    static func smallOwn(_ i: [String: Int]) -> [Int: Tally] {
        [
            i["01"]!: Tally(value: nil, denominator: 100),
            i["01-1"]!: Tally(value: 10, denominator: 40),
            i["02"]!: Tally(value: 5, denominator: nil),
            i["02-3"]!: Tally(value: 60, denominator: 50),
            i["02-4"]!: Tally(value: 0, denominator: 30),
        ]
    }

    @Test("sums values over the subtree and takes an area's own denominator before its children's")
    func smallTree() {
        let (tree, i) = Self.smallTree()
        let rolled = rollUp(tree, Self.smallOwn(i))
        #expect(rolled.count == 7)
        #expect(rolled[i["01-1"]!] == Tally(value: 10, denominator: 40))
        #expect(rolled[i["01-2"]!] == Tally(value: nil, denominator: nil))
        #expect(rolled[i["01"]!] == Tally(value: 10, denominator: 100), "own attribute 100, not the children's 40")
        #expect(rolled[i["02"]!] == Tally(value: 65, denominator: 80), "own value 5 + 60 + 0; no attribute: 50 + 30")
        #expect(rolled[i["P"]!] == Tally(value: 75, denominator: 180))
        #expect(rolled[i["P"]!]?.coverage == 75.0 / 180.0)
    }

    @Test("keeps no data through the roll-up, and 0 as 0")
    func noDataStaysNoData() {
        let (tree, i) = Self.smallTree()
        let rolled = rollUp(tree, [i["01-1"]!: Tally(denominator: 40), i["02-4"]!: Tally(value: 0)])
        #expect(rolled[i["01"]!]?.value == nil)
        #expect(rolled[i["02"]!]?.value == 0)
        // Xã Hai's 0 has no denominator while Xã Một has one: it stays out of the province's ratio.
        #expect(rolled[i["P"]!] == Tally(value: nil, denominator: 40, leftOut: 1))
    }

    @Test("gives no denominator where none is known anywhere below")
    func noDenominatorAnywhere() {
        let (tree, i) = Self.smallTree()
        let rolled = rollUp(tree, [i["01-1"]!: Tally(value: 10), i["02-3"]!: Tally(value: 7)])
        #expect(rolled[i["P"]!] == Tally(value: 17, denominator: nil))
        #expect(rolled[i["P"]!]?.coverage == nil)
    }

    @Test("leaves a unit with a value and no denominator out of both sides of a parent's summed ratio")
    func leftOutOfSummedRatio() {
        // Xã Hai (no attribute): Thôn 3 has 50 adults and 12 activations, Thôn 4 no attribute and 10.
        let (tree, i) = Self.smallTree()
        let rolled = rollUp(tree, [i["02-3"]!: Tally(value: 12, denominator: 50), i["02-4"]!: Tally(value: 10)])
        #expect(rolled[i["02-4"]!] == Tally(value: 10, denominator: nil))
        #expect(rolled[i["02-4"]!]?.lacksDenominator == true)
        #expect(rolled[i["02"]!] == Tally(value: 12, denominator: 50, leftOut: 1), "not 22/50")
        #expect(rolled[i["P"]!] == Tally(value: 12, denominator: 50, leftOut: 1), "the province says what was left out below")
    }

    @Test("counts every unit's value under a parent with its own denominator: it already counts their people")
    func ownDenominatorCountsEveryUnit() {
        // Xã Một (own adults 100): Thôn 1 has 40 adults and 10, Thôn 2 no attribute and 7.
        let (tree, i) = Self.smallTree()
        let rolled = rollUp(tree, [i["01"]!: Tally(denominator: 100), i["01-1"]!: Tally(value: 10, denominator: 40),
                                   i["01-2"]!: Tally(value: 7)])
        #expect(rolled[i["01"]!] == Tally(value: 17, denominator: 100, leftOut: 0))
        #expect(rolled[i["P"]!] == Tally(value: 17, denominator: 100, leftOut: 0))
    }

    @Test("sums every value where no unit has a denominator (a count), leaving nothing out")
    func countsWithoutAnyDenominator() {
        let (tree, i) = Self.smallTree()
        let rolled = rollUp(tree, [i["02-3"]!: Tally(value: 12), i["02-4"]!: Tally(value: 10), i["01-1"]!: Tally(value: 1)])
        #expect(rolled[i["02"]!] == Tally(value: 22))
        #expect(rolled[i["P"]!] == Tally(value: 23))
    }

    @Test("leaves out a whole commune without a denominator as one unit, beside a commune with one")
    func leftOutCommune() {
        // Xã Một (100 adults, nothing logged); Xã Hai's hamlets have values and no denominators.
        let (tree, i) = Self.smallTree()
        let rolled = rollUp(tree, [i["01"]!: Tally(denominator: 100), i["02-3"]!: Tally(value: 12), i["02-4"]!: Tally(value: 10)])
        #expect(rolled[i["02"]!] == Tally(value: 22), "a count of its own, nothing to leave out")
        #expect(rolled[i["P"]!] == Tally(value: nil, denominator: 100, leftOut: 1))
    }

    @Test("rolls up from a start area only: areas outside its subtree never count")
    func underStart() {
        let (tree, i) = Self.smallTree()
        let rolled = rollUp(tree, Self.smallOwn(i), under: i["02"]!)
        #expect(Set(rolled.keys) == [i["02"]!, i["02-3"]!, i["02-4"]!])
        #expect(rolled[i["02"]!] == Tally(value: 65, denominator: 80))
    }

    @Test("walks in tree order: parents first, siblings by code, with depths and parent positions")
    func walkOrder() {
        let (tree, _) = Self.smallTree()
        let walk = TreeWalk(tree)
        #expect(walk.indexes.map { tree.nodes[$0].code } == ["P", "01", "01-1", "01-2", "02", "02-3", "02-4"])
        #expect(walk.depths == [0, 1, 2, 2, 1, 2, 2])
        #expect(walk.parents == [-1, 0, 1, 1, 0, 4, 4])
    }

    /// The rule, written straight from SPEC.md by recursion over the tree (no roll-up array):
    /// the denominator is the own attribute, else the children's sum; with its own attribute an
    /// area counts every value of its subtree; with its children's sum it counts its own value
    /// and those of the children that have a denominator, and leaves out the others that have a
    /// value; with no denominator at all it counts everything.
    struct Expected {
        let tree: AreaTree
        let own: [Int: Tally]

        /// Every value of the subtree (no data stays nil).
        func whole(_ i: Int) -> Int? {
            tree.children[i].reduce(own[i]?.value) { RandomTrees.add($0, whole($1)) }
        }

        func denominator(_ i: Int) -> Int? {
            own[i]?.denominator ?? tree.children[i].reduce(nil as Int?) { RandomTrees.add($0, denominator($1)) }
        }

        func tally(_ i: Int) -> Tally {
            if let d = own[i]?.denominator { return Tally(value: whole(i), denominator: d) }
            let kids = tree.children[i]
            let withDenominator = kids.filter { denominator($0) != nil }
            guard !withDenominator.isEmpty else { return Tally(value: whole(i)) }
            let value = withDenominator.reduce(own[i]?.value) { RandomTrees.add($0, tally($1).value) }
            let leftOut = withDenominator.reduce(0) { $0 + tally($1).leftOut }
                + kids.filter { denominator($0) == nil && whole($0) != nil }.count
            return Tally(value: value, denominator: denominator(i), leftOut: leftOut)
        }
    }

    @Test("holds on random trees: the SPEC rule by brute force, ratios of sums, never averages")
    func propertyOverRandomTrees() {
        var rng = RandomTrees.SplitMix64(seed: 0x0C0F_FEE0_2025)
        var parentsWhereMeanDiffers = 0
        var parentsChecked = 0
        var parentsLeavingOut = 0
        var parentsCountingUnitsWithoutDenominator = 0
        for round in 0..<300 {
            let count = Int.random(in: 1...(round < 250 ? 60 : 400), using: &rng)
            let tree = RandomTrees.tree(count: count, roots: Int.random(in: 1...3, using: &rng), rng: &rng)
            var own: [Int: Tally] = [:]
            for i in 0..<count where Int.random(in: 0..<10, using: &rng) < 8 { own[i] = RandomTrees.tally(rng: &rng) }
            let rolled = rollUp(tree, own)
            #expect(rolled.count == count)
            let expected = Expected(tree: tree, own: own)
            // Brute force: each area's own value added to itself and every ancestor.
            var subtreeValue = [Int?](repeating: nil, count: count)
            for j in 0..<count {
                for k in [j] + tree.ancestors(of: j) { subtreeValue[k] = RandomTrees.add(subtreeValue[k], own[j]?.value) }
            }

            for i in 0..<count {
                let mine = own[i] ?? Tally()
                let kids = tree.children[i].map { rolled[$0]! }
                let got = rolled[i]!
                #expect(got == expected.tally(i), "round \(round), node \(i)")
                // Without a denominator, or with its own, an area counts its whole subtree.
                if got.denominator == nil || mine.denominator != nil {
                    #expect(got.value == subtreeValue[i], "round \(round), node \(i)")
                    #expect(got.leftOut == 0)
                }
                // denominator: own attribute, else the children's sum.
                let childDenominators = kids.reduce(nil as Int?) { RandomTrees.add($0, $1.denominator) }
                #expect(got.denominator == (mine.denominator ?? childDenominators), "round \(round), node \(i)")
                if mine.denominator == nil, got.denominator != nil, got.leftOut > 0 { parentsLeavingOut += 1 }
                if mine.denominator != nil, kids.contains(where: \.lacksDenominator) { parentsCountingUnitsWithoutDenominator += 1 }
                // coverage: exactly Σ value / Σ denominator, never an average of the children's.
                if let v = got.value, let d = got.denominator, d > 0 {
                    #expect(got.coverage == Double(v) / Double(d))
                } else {
                    #expect(got.coverage == nil)
                }
                let childCoverages = kids.compactMap(\.coverage)
                if mine.denominator == nil, mine.value == nil, childCoverages.count >= 2, let c = got.coverage {
                    parentsChecked += 1
                    let mean = childCoverages.reduce(0, +) / Double(childCoverages.count)
                    if abs(mean - c) > 1e-9 { parentsWhereMeanDiffers += 1 }
                }
            }
        }
        // The trees must be varied enough that averaging, or counting a unit without a
        // denominator on one side only, would have been caught.
        #expect(parentsChecked > 200)
        #expect(parentsWhereMeanDiffers > parentsChecked / 2)
        #expect(parentsLeavingOut > 100)
        #expect(parentsCountingUnitsWithoutDenominator > 100)
    }

    @Test("agrees between the array core and the dictionary form on random trees")
    func arrayAndDictionaryAgree() {
        var rng = RandomTrees.SplitMix64(seed: 42)
        for _ in 0..<50 {
            let count = Int.random(in: 1...200, using: &rng)
            let tree = RandomTrees.tree(count: count, roots: 2, rng: &rng)
            let own = (0..<count).map { _ in RandomTrees.tally(rng: &rng) }
            let walk = TreeWalk(tree)
            #expect(walk.count == count)
            let byPosition = rollUp(walk, walk.indexes.map { own[$0] })
            var asDictionary: [Int: Tally] = [:]
            for (i, t) in own.enumerated() { asDictionary[i] = t }
            let rolled = rollUp(tree, asDictionary)
            for (position, index) in walk.indexes.enumerated() { #expect(rolled[index] == byPosition[position]) }
        }
    }

    @Test("rolls up a national-size tree (111,367 areas) correctly")
    func nationalTree() {
        var rng = RandomTrees.SplitMix64(seed: 2025_07_01)
        let provinces = 34
        let communes = 3_321
        let hamlets = 111_367 - provinces - communes
        var nodes: [AreaTree.Node] = []
        nodes.reserveCapacity(111_367)
        var communeOf = [Int](repeating: 0, count: hamlets)
        var provinceOf = [Int](repeating: 0, count: communes)
        var own: [Int: Tally] = [:]
        for p in 0..<provinces {
            nodes.append(AreaTree.Node(id: Int64(nodes.count + 1), code: format2(p), name: "Tỉnh \(p)", level: .province))
        }
        var communeAttribute = [Int?](repeating: nil, count: communes)
        for c in 0..<communes {
            provinceOf[c] = Int.random(in: 0..<provinces, using: &rng)
            let i = nodes.count
            nodes.append(AreaTree.Node(id: Int64(i + 1), code: "\(format2(provinceOf[c]))\(c)", name: "Xã \(c)",
                                       level: .commune, parent: provinceOf[c]))
            if Int.random(in: 0..<4, using: &rng) == 0 {
                communeAttribute[c] = Int.random(in: 1_000...20_000, using: &rng)
                own[i] = Tally(denominator: communeAttribute[c])
            }
        }
        var hamletTallies: [Tally] = []
        for h in 0..<hamlets {
            communeOf[h] = Int.random(in: 0..<communes, using: &rng)
            let i = nodes.count
            nodes.append(AreaTree.Node(id: Int64(i + 1), code: "H\(h)", name: "Thôn \(h)", level: .hamlet,
                                       parent: provinces + communeOf[h]))
            let t = RandomTrees.tally(rng: &rng)
            hamletTallies.append(t)
            own[i] = t
        }
        let tree = AreaTree(nodes: nodes)
        #expect(tree.nodes.count == 111_367)
        let rolled = rollUp(tree, own)
        #expect(rolled.count == 111_367)

        // Independent sums: hamlets into communes, communes into provinces.
        // A commune counts all its hamlets' values (its whole value), only those of the hamlets
        // with a denominator when its denominator is theirs, and leaves the other ones out.
        var communeWhole = [Int?](repeating: nil, count: communes)
        var communeCounted = [Int?](repeating: nil, count: communes)
        var communeLeftOut = [Int](repeating: 0, count: communes)
        var communeChildDenominator = [Int?](repeating: nil, count: communes)
        for h in 0..<hamlets {
            let (c, t) = (communeOf[h], hamletTallies[h])
            communeWhole[c] = RandomTrees.add(communeWhole[c], t.value)
            communeChildDenominator[c] = RandomTrees.add(communeChildDenominator[c], t.denominator)
            if t.denominator != nil { communeCounted[c] = RandomTrees.add(communeCounted[c], t.value) }
            else if t.value != nil { communeLeftOut[c] += 1 }
        }
        var provinceWhole = [Int?](repeating: nil, count: provinces)
        var provinceCounted = [Int?](repeating: nil, count: provinces)
        var provinceLeftOut = [Int](repeating: 0, count: provinces)
        var provinceDenominator = [Int?](repeating: nil, count: provinces)
        for c in 0..<communes {
            let expected: Tally
            if let own = communeAttribute[c] {
                expected = Tally(value: communeWhole[c], denominator: own)
            } else if let sum = communeChildDenominator[c] {
                expected = Tally(value: communeCounted[c], denominator: sum, leftOut: communeLeftOut[c])
            } else {
                expected = Tally(value: communeWhole[c])
            }
            #expect(rolled[provinces + c] == expected)
            let p = provinceOf[c]
            provinceWhole[p] = RandomTrees.add(provinceWhole[p], communeWhole[c])
            provinceDenominator[p] = RandomTrees.add(provinceDenominator[p], expected.denominator)
            if expected.denominator != nil {
                provinceCounted[p] = RandomTrees.add(provinceCounted[p], expected.value)
                provinceLeftOut[p] += expected.leftOut
            } else if expected.value != nil {
                provinceLeftOut[p] += 1
            }
        }
        for p in 0..<provinces {
            let expected = provinceDenominator[p] == nil ? Tally(value: provinceWhole[p])
                : Tally(value: provinceCounted[p], denominator: provinceDenominator[p], leftOut: provinceLeftOut[p])
            #expect(rolled[p] == expected)
        }
        for h in stride(from: 0, to: hamlets, by: 997) { #expect(rolled[provinces + communes + h] == hamletTallies[h]) }
    }

    private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}
