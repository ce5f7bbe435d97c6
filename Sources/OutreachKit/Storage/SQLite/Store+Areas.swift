import Foundation
import GRDB
import GRDBSQLite

/// What an areas import did.
public struct AreaImportSummary: Equatable, Sendable {
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    /// Renames and moves recorded in the tree's history.
    public var renamed = 0
    public var moved = 0

    public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0, renamed: Int = 0, moved: Int = 0) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.renamed = renamed
        self.moved = moved
    }
}

extension Store {
    /// Imports validated rows of an areas file, all or nothing.
    ///
    /// New codes are added, known ones updated (name, kind, parent, attributes); a rename or a
    /// move is recorded in the tree's dated history on `day`. Parents may be in the file (in any
    /// order) or already in the workspace; unknown parents and cycles reject the whole file.
    public func importAreas(_ rows: [AreaRow], file: String, on day: Day) throws -> AreaImportSummary {
        try write { db in
            var existing: [String: StoredAreas.Stored] = [:]
            var codeOfID: [Int64: String] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(StoredAreas.Stored.columns) FROM area")
            while let row = try cursor.next() {
                let area = StoredAreas.Stored(row: row)
                existing[area.code] = area
                codeOfID[area.id] = area.code
            }
            // The tree as it will be: the workspace, overridden by the file.
            var parentOf: [String: String?] = [:]
            parentOf.reserveCapacity(existing.count + rows.count)
            for area in existing.values { parentOf[area.code] = area.parentID.flatMap { codeOfID[$0] } }
            var lineOf: [String: Int] = [:]
            for row in rows {
                parentOf[row.code] = row.parentCode
                lineOf[row.code] = row.line
            }
            var problems = DiagnosticList(file: file)
            for row in rows {
                if let parent = row.parentCode, parentOf[parent] == nil {
                    problems.add(line: row.line, column: "parent_code", Phrase("areas.error.unknown_parent", ["parent": parent]))
                }
            }
            try problems.check()
            let depth = try Store.depths(of: rows, parentOf: parentOf, lineOf: lineOf, file: file)

            var summary = AreaImportSummary()
            var idOf: [String: Int64] = [:]
            for (code, area) in existing { idOf[code] = area.id }
            let insert = try db.makeStatement(sql: """
                INSERT INTO area (code, name, level, local_kind, parent_id, population, adults, working_age, households, search_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let update = try db.makeStatement(sql: """
                UPDATE area SET name = ?, level = ?, local_kind = ?, parent_id = ?, population = ?, adults = ?,
                    working_age = ?, households = ?, search_key = ? WHERE id = ?
                """)
            let history = try db.makeStatement(sql: """
                INSERT INTO area_change (area_id, day, change, old_name, old_parent_id) VALUES (?, ?, ?, ?, ?)
                """)
            // Parents first, so every foreign key points at a row that exists.
            let rowDepth = rows.map { depth[$0.code] ?? 0 }
            let ordered = rows.indices.sorted { (rowDepth[$0], $0) < (rowDepth[$1], $1) }
            for row in ordered.lazy.map({ rows[$0] }) {
                let parentID = row.parentCode.flatMap { idOf[$0] }
                let a = row.attributes
                let key = TextFolding.fold(row.name)
                guard let old = existing[row.code] else {
                    try insert.execute(arguments: [row.code, row.name, row.level.rawValue, row.localKind, parentID,
                                                   a.population, a.adults, a.workingAge, a.households, key])
                    idOf[row.code] = db.lastInsertedRowID
                    summary.added += 1
                    continue
                }
                if old.name == row.name && old.level == row.level && old.localKind == row.localKind
                    && old.parentID == parentID && old.attributes == a {
                    summary.unchanged += 1
                    continue
                }
                try update.execute(arguments: [row.name, row.level.rawValue, row.localKind, parentID,
                                               a.population, a.adults, a.workingAge, a.households, key, old.id])
                if old.name != row.name {
                    try history.execute(arguments: [old.id, day.number, "rename", old.name, nil])
                    summary.renamed += 1
                }
                if old.parentID != parentID {
                    try history.execute(arguments: [old.id, day.number, "move", nil, old.parentID])
                    summary.moved += 1
                }
                summary.updated += 1
            }
            return summary
        }
    }

    /// Depth of every file row in the combined tree; a cycle rejects the file, naming its lines.
    private static func depths(of rows: [AreaRow], parentOf: [String: String?], lineOf: [String: Int],
                               file: String) throws -> [String: Int] {
        var depth: [String: Int] = [:]
        var problems = DiagnosticList(file: file)
        var reported = Set<String>()
        for row in rows where depth[row.code] == nil {
            var path: [String] = []
            var onPath = Set<String>()
            var code: String? = row.code
            var base = 0
            while let c = code {
                if let d = depth[c] { base = d + 1; break }
                if onPath.contains(c) {
                    let cycle = Array(path[path.firstIndex(of: c)!...])
                    if reported.isDisjoint(with: cycle) {
                        let lines = cycle.compactMap { lineOf[$0] }.sorted()
                        let chain = (cycle + [c]).joined(separator: " → ")
                        problems.add(line: lines.first ?? row.line, column: "parent_code",
                                     Phrase("areas.error.cycle", ["chain": chain, "lines": lines.map(String.init).joined(separator: ", ")]))
                    }
                    reported.formUnion(cycle)
                    for member in path { depth[member] = 0 }
                    path.removeAll()
                    break
                }
                path.append(c)
                onPath.insert(c)
                code = parentOf[c] ?? nil
            }
            for (offset, c) in path.reversed().enumerated() { depth[c] = base + offset }
        }
        try problems.check()
        return depth
    }

    /// The whole tree, in memory; with `root`, under one more area above the top (a
    /// whole-country report), built in the same pass.
    ///
    /// A large tree is read in two halves of the id range on two connections at once (over
    /// 100,000 areas, turning rows into nodes costs more than SQLite's reading); when the
    /// halves do not fit together (an import ran between the two reads), it is read again in
    /// one transaction.
    public func areaTree(addingRoot root: (code: String, name: String)? = nil) throws -> AreaTree {
        let maxID = try read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM area") } ?? 0
        guard maxID >= 20_000 else { return try read { db in try Store.areaTree(db, addingRoot: root) } }
        let half = maxID / 2
        // The lower half's arrays have room for the upper half and the root: joined without a copy.
        var (rows, upper) = try inParallel(
            { try read { db in try Store.areaRows(db, ids: 0...half, capacity: Int(maxID) + 2) } },
            { try read { db in try Store.areaRows(db, ids: (half + 1)...maxID) } })
        rows.append(upper)
        if let tree = rows.tree(addingRoot: root, complete: true) { return tree }
        return try read { db in try Store.areaTree(db, addingRoot: root) }
    }

    /// Only the area `code`, everything below it and its chain of ancestors: what a report that
    /// starts there needs, without loading the whole country. Nil when there is no such area.
    public func areaTree(around code: String, addingRoot root: (code: String, name: String)? = nil) throws -> AreaTree? {
        try read { db in
            guard try Int64.fetchOne(db, sql: "SELECT id FROM area WHERE code = ?", arguments: [code]) != nil else { return nil }
            return try Store.areaTree(db, addingRoot: root, around: code)
        }
    }

    static func areaTree(_ db: Database, addingRoot root: (code: String, name: String)? = nil,
                         around code: String? = nil) throws -> AreaTree {
        var rows = try areaRows(db, around: code)
        return rows.tree(addingRoot: root, complete: false)!
    }

    /// The area rows with ids in `ids` (all of them by default), or those around `code` (see
    /// `areaTree(around:)`), in id order; with room for `capacity` rows when given.
    static func areaRows(_ db: Database, ids: ClosedRange<Int64>? = nil, around code: String? = nil,
                         capacity: Int? = nil) throws -> AreaRows {
        // Read through the C API: the national tree has over 100,000 areas, and every report
        // starts here.
        let columns = "id, code, name, level, local_kind, parent_id, population, adults, working_age, households"
        let statement: Statement
        if let code {
            statement = try db.makeStatement(sql: """
                WITH RECURSIVE sub(id) AS (
                    SELECT id FROM area WHERE code = ?1
                    UNION ALL SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id),
                up(id, parent_id) AS (
                    SELECT id, parent_id FROM area WHERE code = ?1
                    UNION ALL SELECT a.id, a.parent_id FROM area a JOIN up ON a.id = up.parent_id)
                SELECT \(columns) FROM area WHERE id IN (SELECT id FROM sub UNION SELECT id FROM up) ORDER BY id
                """)
            try statement.setArguments([code])
        } else {
            let range = ids ?? Int64.min...Int64.max
            statement = try db.makeStatement(sql: "SELECT \(columns) FROM area WHERE id BETWEEN ? AND ? ORDER BY id")
            try statement.setArguments([range.lowerBound, range.upperBound])
        }
        let stmt = statement.sqliteStatement
        let expected = capacity ?? (code == nil ? Int(min(ids.map { $0.upperBound - $0.lowerBound + 1 } ?? 200_000, 200_000)) : 0)
        var rows = AreaRows()
        rows.ids.reserveCapacity(expected)
        rows.parents.reserveCapacity(expected)
        rows.nodes.reserveCapacity(expected + 1)
        func text(_ column: Int32) -> String? {
            guard let p = sqlite3_column_text(stmt, column) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(stmt, column))), as: UTF8.self)
        }
        func int(_ column: Int32) -> Int? {
            sqlite3_column_type(stmt, column) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(stmt, column))
        }
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            let id = sqlite3_column_int64(stmt, 0)
            rows.ids.append(id)
            rows.parents.append(int(5).map(Int64.init) ?? -1)
            rows.nodes.append(AreaTree.Node(
                id: id, code: text(1) ?? "", name: text(2) ?? "", level: level(stmt, 3),
                localKind: sqlite3_column_type(stmt, 4) == SQLITE_NULL ? nil : text(4), parent: nil,
                attributes: AreaAttributes(population: int(6), adults: int(7), workingAge: int(8), households: int(9))))
        }
        sqlite3_reset(stmt)
        return rows
    }

    /// The level stored in `column`, read from its bytes (no string is made per row).
    private static func level(_ stmt: OpaquePointer?, _ column: Int32) -> AreaLevel {
        guard let p = sqlite3_column_text(stmt, column) else { return .hamlet }
        let n = Int(sqlite3_column_bytes(stmt, column))
        let bytes = UnsafeBufferPointer(start: p, count: n)
        switch (n, bytes.first ?? 0) {
        case (6, UInt8(ascii: "h")): return .hamlet
        case (7, UInt8(ascii: "c")): return bytes[1] == UInt8(ascii: "o") && bytes[2] == UInt8(ascii: "m") ? .commune : .country
        default: return AreaLevel(rawValue: String(decoding: bytes, as: UTF8.self)) ?? .hamlet
        }
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

/// Area rows as read, before they become a tree: ids and parent ids (-1 for none) beside the
/// nodes (whose parents are set when the tree is assembled).
struct AreaRows {
    var ids: [Int64] = []
    var parents: [Int64] = []
    var nodes: [AreaTree.Node] = []

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
            } else if let j = Store.binarySearch(ids, parents[i]) {
                nodes[i].parent = j
            } else if complete {
                return nil
            }
        }
        return AreaTree(nodes: nodes, addingRoot: root)
    }
}
