import Foundation

/// The administrative tree in memory: nodes in a flat array, children in code order.
///
/// Reports walk it in Swift (fast, and testable without a database); SQL only sums.
public struct AreaTree: Sendable {
    /// One area.
    public struct Node: Equatable, Sendable {
        public var id: Int64
        public var code: String
        public var name: String
        public var level: AreaLevel
        public var localKind: String?
        /// Index of the parent in `nodes`.
        public var parent: Int?
        public var attributes: AreaAttributes

        public init(id: Int64, code: String, name: String, level: AreaLevel, localKind: String? = nil,
                    parent: Int? = nil, attributes: AreaAttributes = AreaAttributes()) {
            self.id = id
            self.code = code
            self.name = name
            self.level = level
            self.localKind = localKind
            self.parent = parent
            self.attributes = attributes
        }
    }

    public let nodes: [Node]
    /// Children of each node, sorted by code.
    public let children: [[Int]]
    /// Nodes without a parent, sorted by code.
    public let roots: [Int]
    /// Codes to indexes, built on the first lookup by code: a national coverage report never
    /// needs it, and hashing 111,000 codes costs more than the rest of the tree's indexes.
    private let codeIndex = CodeIndex()
    /// Index of each database id: an array when ids are dense (they are rowids), else a table.
    private let indexByID: IDIndex

    private enum IDIndex: Sendable {
        case dense([Int32])
        case table([Int64: Int])
    }

    private final class CodeIndex: @unchecked Sendable {
        private let lock = NSLock()
        private var table: [String: Int]?
        private var lookups = 0

        /// The first lookup scans (a report looks up one code: its start); later ones build
        /// the table once and use it.
        func index(of code: String, in nodes: [Node]) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            if let table { return table[code] }
            lookups += 1
            if lookups == 1 { return nodes.lastIndex { $0.code == code } }
            var built: [String: Int] = [:]
            built.reserveCapacity(nodes.count)
            for (i, node) in nodes.enumerated() { built[node.code] = i }
            table = built
            return built[code]
        }
    }

    /// Builds the tree; `nodes[i].parent` must index into `nodes`.
    public init(nodes: [Node]) {
        self.nodes = nodes
        var children = Array(repeating: [Int](), count: nodes.count)
        var roots: [Int] = []
        var minID = Int64.max, maxID = Int64.min
        for (i, node) in nodes.enumerated() {
            minID = min(minID, node.id)
            maxID = max(maxID, node.id)
            if let p = node.parent { children[p].append(i) } else { roots.append(i) }
        }
        if nodes.isEmpty || (minID >= 0 && maxID < Int64(Int32.max) && maxID <= 4 * Int64(nodes.count) + 64) {
            var dense = [Int32](repeating: -1, count: nodes.isEmpty ? 0 : Int(maxID) + 1)
            for (i, node) in nodes.enumerated() { dense[Int(node.id)] = Int32(i) }
            indexByID = .dense(dense)
        } else {
            var table: [Int64: Int] = [:]
            table.reserveCapacity(nodes.count)
            for (i, node) in nodes.enumerated() { table[node.id] = i }
            indexByID = .table(table)
        }
        // Rows usually arrive in code order already: check before sorting.
        let byCodeOrder: (Int, Int) -> Bool = { nodes[$0].code < nodes[$1].code }
        func sortIfNeeded(_ list: inout [Int]) {
            for k in list.indices.dropFirst() where !byCodeOrder(list[k - 1], list[k]) {
                list.sort(by: byCodeOrder)
                return
            }
        }
        for i in children.indices where children[i].count > 1 { sortIfNeeded(&children[i]) }
        sortIfNeeded(&roots)
        self.children = children
        self.roots = roots
    }

    /// Builds the tree with `root` above its top when given: the root is added as the last node,
    /// parent of every node that had none, so the other nodes keep their indexes.
    public init(nodes: [Node], addingRoot root: (code: String, name: String)?) {
        guard let root else {
            self.init(nodes: nodes)
            return
        }
        var nodes = nodes
        let top = nodes.count
        for i in nodes.indices where nodes[i].parent == nil { nodes[i].parent = top }
        nodes.append(Node(id: 0, code: root.code, name: root.name, level: .country))
        self.init(nodes: nodes)
    }

    /// This tree under one more area above its top (see `init(nodes:addingRoot:)`).
    public func addingRoot(_ root: (code: String, name: String)) -> AreaTree {
        AreaTree(nodes: nodes, addingRoot: root)
    }

    /// Index of the area with `code`.
    public func index(of code: String) -> Int? { codeIndex.index(of: code, in: nodes) }

    /// Index of the area with database id `id`.
    public func index(ofID id: Int64) -> Int? {
        switch indexByID {
        case let .dense(dense):
            guard id >= 0, id < Int64(dense.count) else { return nil }
            let i = dense[Int(id)]
            return i < 0 ? nil : Int(i)
        case let .table(table):
            return table[id]
        }
    }

    /// Nodes in tree order (parents before children, siblings by code), each with its depth
    /// below the start: the starts themselves are at `startDepth`.
    public func preorder(from starts: [Int], startDepth: Int = 0, maxDepth: Int? = nil) -> [(index: Int, depth: Int)] {
        var out: [(Int, Int)] = []
        var stack: [(Int, Int)] = starts.reversed().map { ($0, startDepth) }
        while let (i, d) = stack.popLast() {
            out.append((i, d))
            if let maxDepth, d >= maxDepth { continue }
            for c in children[i].reversed() { stack.append((c, d + 1)) }
        }
        return out
    }

    /// Ancestors of `index`, nearest first.
    public func ancestors(of index: Int) -> [Int] {
        var out: [Int] = []
        var p = nodes[index].parent
        while let i = p {
            out.append(i)
            p = nodes[i].parent
        }
        return out
    }

    /// Depth from the top of the tree (roots are 0).
    public func depth(of index: Int) -> Int { ancestors(of: index).count }

    /// Whether `index` is `ancestor` or lies below it.
    public func isInSubtree(_ index: Int, of ancestor: Int) -> Bool {
        var p: Int? = index
        while let i = p {
            if i == ancestor { return true }
            p = nodes[i].parent
        }
        return false
    }

    /// "Xã Ia Mơ — Gia Lai": the name, then the ancestors' names without their prefixes.
    public func pathName(of index: Int) -> String {
        ([nodes[index].name] + ancestors(of: index).map { nodes[$0].name.withoutAdministrativePrefix })
            .joined(separator: " — ")
    }
}
