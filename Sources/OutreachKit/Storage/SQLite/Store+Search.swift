import GRDB

extension Store {
    /// Areas whose names match `query` ignoring case and accents (`đ` counts as `d`, and `hoà`
    /// equals `hòa`), or whose code is exactly `query`. Names with the accents as typed come
    /// first, then whole-phrase and whole-word matches, then higher levels, then by code.
    public func findAreas(_ query: String, limit: Int = 20) throws -> [AreaMatch] {
        let search = AreaSearch(query)
        if search.isEmpty { return [] }
        return try read { db in
            let rows = try Row.fetchAll(db, sql: AreaSearch.candidatesSQL,
                                        arguments: [search.likePattern(escapingBackslash: false),
                                                    query.trimmingCharacters(in: .whitespaces)])
            let candidates = rows.map { row in
                AreaSearch.Candidate(id: row["id"], code: row["code"], name: row["name"],
                                     level: AreaLevel(rawValue: row["level"]) ?? .hamlet, key: row["search_key"])
            }
            let parents = try db.makeStatement(sql: "SELECT name, parent_id FROM area WHERE id = ?")
            return try search.best(candidates, limit: limit).map { hit in
                var names: [String] = []
                var next: Int64? = try Int64?.fetchOne(db, sql: "SELECT parent_id FROM area WHERE id = ?",
                                                       arguments: [hit.candidate.id]) ?? nil
                while let id = next, names.count < 64, let row = try Row.fetchOne(parents, arguments: [id]) {
                    names.append(row[0])
                    next = row[1]
                }
                return AreaSearch.match(hit.candidate, exactAccents: hit.exactAccents, ancestors: names)
            }
        }
    }
}
