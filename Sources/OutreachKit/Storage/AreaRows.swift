import Foundation

/// Area rows as read, before they become a tree: ids and parent ids (-1 for none) beside the
/// nodes (whose parents are set when the tree is assembled).
struct AreaRows {
    var ids: [Int64] = []
    var parents: [Int64] = []
    var nodes: [AreaTree.Node] = []

    /// The columns a tree is read from, in the order both engines decode them.
    static let columns = "id, code, name, level, local_kind, parent_id, population, adults, working_age, households"

    /// The rows of the area `$1`, everything below it and its chain of ancestors, in id order
    /// (`areaTree(around:)`); SQLite and PostgreSQL both read it.
    static let aroundSQL = """
        WITH RECURSIVE sub(id) AS (
            SELECT id FROM area WHERE code = $1
            UNION ALL SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id),
        up(id, parent_id) AS (
            SELECT id, parent_id FROM area WHERE code = $1
            UNION ALL SELECT a.id, a.parent_id FROM area a JOIN up ON a.id = up.parent_id)
        SELECT \(columns) FROM area WHERE id IN (SELECT id FROM sub UNION SELECT id FROM up) ORDER BY id
        """

    /// Appends rows with higher ids.
    mutating func append(_ other: AreaRows) {
        ids += other.ids
        parents += other.parents
        nodes += other.nodes
    }

    /// The tree, with `root` above the top when given. With `complete`, nil when a parent id
    /// is not among the rows (the rows were read in parts while the tree changed).
    mutating func tree(addingRoot root: (code: String, name: String)?, complete: Bool) -> AreaTree? {
        var nodes = self.nodes
        self.nodes = []  // The local copy is now the only one: no copy on write.
        // Ids are usually 1…n in order: find a parent's index by position, else by search.
        for i in nodes.indices where parents[i] >= 0 {
            let guess = Int(parents[i]) - 1
            if guess >= 0, guess < ids.count, ids[guess] == parents[i] {
                nodes[i].parent = guess
            } else if let j = AreaRows.binarySearch(ids, parents[i]) {
                nodes[i].parent = j
            } else if complete {
                return nil
            }
        }
        return AreaTree(nodes: nodes, addingRoot: root)
    }

    /// Index of `value` in the sorted `array`.
    static func binarySearch(_ array: [Int64], _ value: Int64) -> Int? {
        var lo = 0, hi = array.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if array[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo < array.count && array[lo] == value ? lo : nil
    }
}
