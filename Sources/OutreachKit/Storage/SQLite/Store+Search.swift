import GRDB

extension Store {
    /// Areas whose names match `query` ignoring case and accents (`đ` counts as `d`, and `hoà`
    /// equals `hòa`), or whose code is exactly `query`. Names with the accents as typed come
    /// first, then whole-phrase and whole-word matches, then higher levels, then by code.
    public func findAreas(_ query: String, limit: Int = 20) throws -> [AreaMatch] {
        let search = AreaSearch(query)
        if search.isEmpty { return [] }
        return try read { db in
            let pattern = "%" + search.longestToken.replacingOccurrences(of: "%", with: "")
                .replacingOccurrences(of: "_", with: "") + "%"
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, code, name, level, search_key FROM area WHERE search_key LIKE ? OR code = ?
                """, arguments: [pattern, query.trimmingCharacters(in: .whitespaces)])
            var ranked: [(rank: (Int, Int, Int), level: Int, code: String, id: Int64, name: String, kind: AreaLevel)] = []
            for row in rows {
                let name: String = row["name"]
                let code: String = row["code"]
                guard let r = search.rank(name: name, key: row["search_key"], code: code) else { continue }
                let level = AreaLevel(rawValue: row["level"]) ?? .hamlet
                ranked.append((r, level.rank, code, row["id"], name, level))
            }
            ranked.sort { ($0.rank.0, $0.rank.1, $0.rank.2, $0.level, $0.code) < ($1.rank.0, $1.rank.1, $1.rank.2, $1.level, $1.code) }
            let parents = try db.makeStatement(sql: "SELECT name, parent_id FROM area WHERE id = ?")
            return try ranked.prefix(limit).map { hit in
                var names = [hit.name]
                var next: Int64? = try Int64?.fetchOne(db, sql: "SELECT parent_id FROM area WHERE id = ?", arguments: [hit.id]) ?? nil
                var guardCount = 0
                while let id = next, guardCount < 64, let row = try Row.fetchOne(parents, arguments: [id]) {
                    names.append((row[0] as String).withoutAdministrativePrefix)
                    next = row[1]
                    guardCount += 1
                }
                return AreaMatch(code: hit.code, name: hit.name, kind: hit.kind, path: names.joined(separator: " — "),
                                 exactAccents: hit.rank.0 <= 1)
            }
        }
    }
}

import Foundation
