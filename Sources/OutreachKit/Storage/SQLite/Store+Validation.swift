import GRDB

extension Store {
    /// The area `areaID` and every unit above it, nearest first (`ClosingSQL.chain`).
    static func areaChain(_ db: Database, _ areaID: Int64) throws -> [AreaLink] {
        try Row.fetchAll(db, sql: ClosingSQL.chain, arguments: [areaID]).map { AreaLink(id: $0[0], code: $0[1]) }
    }
}
