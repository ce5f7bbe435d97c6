import Foundation
import GRDB

/// A leaflet receipt or allocation as recorded, with the stock it leaves.
public struct LeafletRecord: Equatable, Sendable {
    /// The unit as the user reads it.
    public struct Unit: Equatable, Sendable {
        public var code: String
        public var name: String
        /// Leaflets on hand once the move is recorded, counting every move and every live
        /// session whatever its date.
        public var onHand: Int
    }

    public var move: LeafletMove
    /// The unit that received the leaflets.
    public var to: Unit
    /// The unit that passed them on; nil for a receipt.
    public var from: Unit?
    /// For an allocation recorded with negative stock allowed: the giving unit's lowest stock
    /// from the move's day on, once the move is counted, when that is below zero.
    public var shortfall: LeafletLow?
}

extension Store {
    /// Records that the unit `code` received `quantity` leaflets from outside the tree on `day`.
    public func receiveLeaflets(into code: String, quantity: Int, on day: Day, batch: String? = nil,
                                id: UUID = UUID()) throws -> LeafletRecord {
        let move = try LeafletLedger.move(id: id, day: day, from: nil, to: code, quantity: quantity, batch: batch)
        return try write { db in
            let to = try Store.leafletUnit(db, code: code)
            try Store.insert(move, fromID: nil, toID: to.id, db)
            let onHand = try Store.stockChanges(db, areaID: to.id).reduce(0) { $0 + $1.change }
            return LeafletRecord(move: move, to: .init(code: code, name: to.name, onHand: onHand))
        }
    }

    /// Records that the unit `from` passed `quantity` leaflets on to `to`, a unit below it, on `day`.
    ///
    /// Refused when `from` would have less than nothing on hand on `day` or on any later day
    /// (counting its later allocations and sessions), unless `allowNegative`: then it is
    /// recorded and `shortfall` says how far below zero the stock goes.
    public func allocateLeaflets(from fromCode: String, to toCode: String, quantity: Int, on day: Day,
                                 batch: String? = nil, allowNegative: Bool = false,
                                 id: UUID = UUID()) throws -> LeafletRecord {
        let move = try LeafletLedger.move(id: id, day: day, from: fromCode, to: toCode, quantity: quantity, batch: batch)
        return try write { db in
            let from = try Store.leafletUnit(db, code: fromCode)
            let to = try Store.leafletUnit(db, code: toCode)
            try LeafletLedger.checkNotItself(move, from: from, to: to)
            let below = try Bool.fetchOne(db, sql: LeafletLedger.isAncestorSQL, arguments: [to.id, from.id]) ?? false
            try LeafletLedger.checkBelow(move, from: from, to: to, below: below)
            let changes = try Store.stockChanges(db, areaID: from.id)
            let low = try LeafletLedger.lowest(before: move, from: from, changes: changes, allowNegative: allowNegative)
            try Store.insert(move, fromID: from.id, toID: to.id, allowedNegative: low.onHand < quantity, db)
            let toOnHand = try Store.stockChanges(db, areaID: to.id).reduce(0) { $0 + $1.change }
            return LeafletLedger.allocated(move, from: from, to: to, low: low, fromChanges: changes, toOnHand: toOnHand)
        }
    }

    /// Every receipt and allocation dated up to `day` (all when nil), by day then in the order
    /// they were recorded.
    public func leafletMoves(through day: Day? = nil) throws -> [LeafletMove] {
        try read { db in try Store.leafletMoves(db, through: day) }
    }

    /// Leaflets handed out (the `leaflets` metric) in live sessions dated up to `day` (all when
    /// nil), by the code of the area each session was logged in. Areas with none are absent.
    public func leafletsHandedOut(through day: Day? = nil, areas: [Int64]? = nil) throws -> [String: Int] {
        try read { db in try Store.leafletsHandedOut(db, through: day, areas: areas) }
    }

    // MARK: Storage

    private static func leafletUnit(_ db: Database, code: String) throws -> LeafletLedger.Unit {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, name FROM area WHERE code = ?", arguments: [code]) else {
            throw AreaLookupError.unknownCode(code)
        }
        return LeafletLedger.Unit(id: row[0], name: row[1])
    }

    /// `allowedNegative`: recorded with --allow-negative although it leaves the giver below zero.
    private static func insert(_ move: LeafletMove, fromID: Int64?, toID: Int64, allowedNegative: Bool = false,
                               _ db: Database) throws {
        let bytes = withUnsafeBytes(of: move.id.uuid) { Data($0) }
        try db.execute(sql: """
            INSERT INTO leaflet_move (uuid, day, from_area_id, to_area_id, quantity, batch, allowed_negative, moved_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [bytes, move.day.number, fromID, toID, move.quantity, move.batch, allowedNegative, Recorder.current.name])
        try Store.audit(db, RosterAudit.leaflets(move))
    }

    /// Every dated change to one unit's stock: + moves in, − moves out, − leaflets handed out
    /// in its live sessions (per day).
    private static func stockChanges(_ db: Database, areaID: Int64) throws -> [(day: Day, change: Int)] {
        let rows = try Row.fetchAll(db, sql: LeafletLedger.stockChangesSQL, arguments: [areaID])
        return rows.map { (Day(number: $0[0]), $0[1]) }
    }

    static func leafletMoves(_ db: Database, through day: Day?) throws -> [LeafletMove] {
        let rows = try Row.fetchAll(db, sql: LeafletLedger.movesSQL, arguments: [day?.number ?? Int.max])
        return rows.map { row in
            LeafletMove(id: LeafletLedger.uuid([UInt8](row[0] as Data)), day: Day(number: row[1]), from: row[2], to: row[3],
                        quantity: row[4], batch: row[5])
        }
    }

    /// Sums the monthly running totals; for the month of `day`, an area whose sessions run past
    /// `day` is summed from its sessions instead, so the count is exact to the day.
    static func leafletsHandedOut(_ db: Database, through day: Day?, areas: [Int64]? = nil) throws -> [String: Int] {
        var out: [String: Int] = [:]
        let lastMonth = day?.monthIndex ?? Int.max
        // Only the given areas: a commune's dashboard reads its own hamlets' months, not the province's.
        let only = areas.map { " AND m.area_id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.code, m.area_id, m.month, m.leaflets, m.last_day FROM area_month m JOIN area a ON a.id = m.area_id
            WHERE m.leaflets > 0 AND m.month <= ?\(only)
            """, arguments: [lastMonth])
        for row in rows {
            let code: String = row[0]
            var n = try StoredCount.value(row, 3, "leaflets") ?? 0
            if let day, (row[2] as Int) == lastMonth, (row[4] as Int) > day.number {
                let c = day.components
                let first = Day(year: c.year, month: c.month, day: 1)!
                n = try Int.fetchOne(db, sql: """
                    SELECT coalesce(sum(s.leaflets), 0) FROM session s
                    WHERE s.area_id = ? AND s.day BETWEEN ? AND ?
                      AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
                    """, arguments: [row[1] as Int64, first.number, day.number]) ?? 0
            }
            if n > 0 { out[code] = try (out[code] ?? 0).addingCount(n, "leaflets") }
        }
        return out
    }
}
