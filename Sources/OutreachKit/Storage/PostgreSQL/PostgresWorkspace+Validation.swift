import PostgresNIO

extension PostgresWorkspace {
    /// The codes of the area `areaID` and of every unit above it, when a campaign's session
    /// rules need them for a session (`SessionRules.needsChain`); empty otherwise.
    static func ruleChain(_ connection: PostgresConnection, _ session: NewSession, areaID: Int64) async throws -> [String] {
        guard SessionRules.needsChain(session.day) else { return [] }
        let rows = try await connection.query("""
            WITH RECURSIVE up(id, parent_id, code, n) AS (
                SELECT id, parent_id, code, 0 FROM area WHERE id = \(areaID)
                UNION ALL SELECT a.id, a.parent_id, a.code, up.n + 1 FROM area a JOIN up ON a.id = up.parent_id WHERE up.n < 64)
            SELECT code FROM up ORDER BY n
            """, logger: quiet)
        var out: [String] = []
        for try await code in rows.decode(String.self) { out.append(code) }
        return out
    }
}
