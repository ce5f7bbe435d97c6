import Foundation
import PostgresNIO

// The area tree as reports read it, shared by the PostgreSQL operations that need it (coverage
// now; `areaTree(addingRoot:)` and `areaTree(around:addingRoot:)` may be built on it).
extension PostgresWorkspace {
    /// Every area, as `Store.areaTree(addingRoot:)` reads it: the same nodes in id order, with
    /// `root` above the top when given.
    func postgresAreaTree(addingRoot root: (code: String, name: String)?) async throws -> AreaTree {
        try await read { connection in
            var rows = try await Self.areaRows(connection, "SELECT \(unescaped: Self.areaColumns) FROM area ORDER BY id")
            return rows.tree(addingRoot: root, complete: false)!
        }
    }

    /// Only the area `code`, everything below it and its chain of ancestors, as
    /// `Store.areaTree(around:addingRoot:)`; nil when there is no such area.
    func postgresAreaTree(addingRoot root: (code: String, name: String)?, around code: String) async throws -> AreaTree? {
        try await read { connection in
            var rows = try await Self.areaRows(connection, """
                WITH RECURSIVE sub(id) AS (
                    SELECT id FROM area WHERE code = \(code)
                    UNION ALL SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id),
                up(id, parent_id) AS (
                    SELECT id, parent_id FROM area WHERE code = \(code)
                    UNION ALL SELECT a.id, a.parent_id FROM area a JOIN up ON a.id = up.parent_id)
                SELECT \(unescaped: Self.areaColumns) FROM area WHERE id IN (SELECT id FROM sub UNION SELECT id FROM up) ORDER BY id
                """)
            if rows.ids.isEmpty { return nil }
            return rows.tree(addingRoot: root, complete: false)
        }
    }

    static let areaColumns = "id, code, name, level, local_kind, parent_id, population, adults, working_age, households"

    /// The rows of `query` (selecting `areaColumns`), in its order.
    static func areaRows(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> AreaRows {
        var rows = AreaRows()
        let result = try await connection.query(query, logger: quiet)
        for try await (id, code, name, level, localKind, parent, population, adults, workingAge, households) in result.decode(
            (Int64, String, String, String, String?, Int64?, Int64?, Int64?, Int64?, Int64?).self) {
            rows.ids.append(id)
            rows.parents.append(parent ?? -1)
            rows.nodes.append(AreaTree.Node(
                id: id, code: code, name: name, level: AreaLevel(rawValue: level) ?? .hamlet, localKind: localKind, parent: nil,
                attributes: AreaAttributes(population: population.map(Int.init), adults: adults.map(Int.init),
                                           workingAge: workingAge.map(Int.init), households: households.map(Int.init))))
        }
        return rows
    }
}
