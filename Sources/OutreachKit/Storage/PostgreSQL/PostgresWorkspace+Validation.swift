import PostgresNIO

extension PostgresWorkspace {
    /// The area `areaID` and every unit above it, nearest first (`ClosingSQL.chain`).
    static func areaChain(_ connection: PostgresConnection, _ areaID: Int64) async throws -> [AreaLink] {
        try await closingRows(connection, ClosingSQL.chain, [.int(areaID)]) { AreaLink(id: Int64($0[0].int ?? 0), code: $0[1].text ?? "") }
    }
}
