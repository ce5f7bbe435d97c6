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
            var existing: [AreaImportPlan.Existing] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(AreaImportPlan.Existing.columns) FROM area")
            while let r = try cursor.next() {
                existing.append(AreaImportPlan.Existing(
                    id: r[0], code: r[1], name: r[2], level: AreaLevel(rawValue: r[3]) ?? .hamlet, localKind: r[4],
                    parentID: r[5], attributes: AreaAttributes(population: r[6], adults: r[7], workingAge: r[8], households: r[9])))
            }
            let plan = try AreaImportPlan(rows: rows, existing: existing, file: file)
            var idOf: [String: Int64] = [:]
            idOf.reserveCapacity(existing.count + plan.inserts)
            for area in existing { idOf[area.code] = area.id }
            let insert = try db.makeStatement(sql: """
                INSERT INTO area (code, name, level, local_kind, parent_id, population, adults, working_age, households, search_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let update = try db.makeStatement(sql: """
                UPDATE area SET name = ?, level = ?, local_kind = ?, parent_id = ?, population = ?, adults = ?,
                    working_age = ?, households = ?, search_key = ? WHERE id = ?
                """)
            for step in plan.steps {
                switch step {
                case let .insert(row):
                    let a = row.attributes
                    try insert.execute(arguments: [row.code, row.name, row.level.rawValue, row.localKind,
                                                   row.parentCode.flatMap { idOf[$0] },
                                                   a.population, a.adults, a.workingAge, a.households, row.searchKey])
                    idOf[row.code] = db.lastInsertedRowID
                case let .update(row, id):
                    let a = row.attributes
                    try update.execute(arguments: [row.name, row.level.rawValue, row.localKind, row.parentCode.flatMap { idOf[$0] },
                                                   a.population, a.adults, a.workingAge, a.households, row.searchKey, id])
                }
            }
            let history = try db.makeStatement(sql: """
                INSERT INTO area_change (area_id, day, change, old_name, old_parent_id) VALUES (?, ?, ?, ?, ?)
                """)
            for change in plan.changes {
                try history.execute(arguments: [change.areaID, day.number, change.change, change.oldName, change.oldParentID])
            }
            for entry in RosterAudit.areas(plan, existing: existing, file: file) { try Store.audit(db, entry) }
            for values in rows.compactMap(ProvenanceSQL.values) { try db.execute(sql: ProvenanceSQL.upsert, arguments: Store.arguments(values)) }
            return plan.summary
        }
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
        let columns = AreaRows.columns
        let statement: Statement
        if let code {
            statement = try db.makeStatement(sql: AreaRows.aroundSQL)
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
}
