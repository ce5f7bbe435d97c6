import Foundation

/// Every area of the workspace in memory, for choosing and writing a bundle's areas.
struct StoredAreas {
    /// An area row as stored (also what `areas import` compares a file's rows with).
    struct Stored {
        var id: Int64
        var code: String
        var name: String
        var level: AreaLevel
        var localKind: String?
        var parentID: Int64?
        var attributes: AreaAttributes
        var revised: String

        func record(parent: String?) -> AreaRecord {
            AreaRecord(code: code, name: name, level: level, localKind: localKind, parent: parent,
                       attributes: attributes, revised: revised)
        }
    }

    private(set) var rows: [Stored] = []
    /// Position in `rows` by code and by id.
    private(set) var index: [String: Int] = [:]
    private(set) var position: [Int64: Int] = [:]

    /// The areas of `rows`, in any order.
    init(_ rows: [Stored] = []) {
        for row in rows { add(row) }
    }

    /// Adds or replaces an area (a merge keeps its view of the tree current).
    mutating func add(_ area: Stored) {
        if let i = position[area.id] {
            rows[i] = area
        } else {
            position[area.id] = rows.count
            rows.append(area)
        }
        index[area.code] = position[area.id]
    }

    func code(of id: Int64) -> String { position[id].map { rows[$0].code } ?? "" }

    func parentCode(of i: Int) -> String? { rows[i].parentID.map(code(of:)) }

    /// Ids of the area `id` and everything below it.
    func subtree(of id: Int64) -> Set<Int64> {
        var children: [Int64: [Int64]] = [:]
        for r in rows { if let p = r.parentID { children[p, default: []].append(r.id) } }
        var out: Set<Int64> = [id]
        var stack = [id]
        while let next = stack.popLast() {
            for c in children[next] ?? [] where out.insert(c).inserted { stack.append(c) }
        }
        return out
    }

    /// Positions of `ids` and all their ancestors, parents before children, then by code.
    func closedUpward(_ ids: Set<Int64>) -> [Int] {
        var chosen = Set<Int>()
        for id in ids {
            var p = position[id]
            while let i = p, chosen.insert(i).inserted { p = rows[i].parentID.flatMap { position[$0] } }
        }
        let depth = chosen.map { i -> (Int, Int) in
            var d = 0
            var p = rows[i].parentID
            while let id = p, d < 64 { d += 1; p = position[id].flatMap { rows[$0].parentID } }
            return (i, d)
        }
        return depth.sorted { ($0.1, rows[$0.0].code) < ($1.1, rows[$1.0].code) }.map(\.0)
    }
}
