import Foundation

/// The rules of leaflet receipts and allocations, and the SQL both engines read stock with:
/// an engine finds the units and their dated stock changes, this decides and words the result.
enum LeafletLedger {
    /// A unit as a move names it: its area's id and name.
    struct Unit: Sendable {
        var id: Int64
        var name: String
    }

    /// The move a receipt or an allocation records, or `LeafletError.quantityNotPositive`.
    static func move(id: UUID, day: Day, from: String?, to: String, quantity: Int, batch: String?) throws -> LeafletMove {
        guard quantity > 0 else { throw LeafletError.quantityNotPositive(quantity) }
        return LeafletMove(id: id, day: day, from: from, to: to, quantity: quantity, batch: cleanBatch(batch))
    }

    /// The batch label as stored: spaces normalised, nil when empty.
    static func cleanBatch(_ batch: String?) -> String? {
        guard let batch else { return nil }
        let text = TextFolding.normalizedName(batch)
        return text.isEmpty ? nil : text
    }

    /// Refuses an allocation from a unit to itself.
    static func checkNotItself(_ move: LeafletMove, from: Unit, to: Unit) throws {
        if from.id == to.id { throw LeafletError.toItself(code: move.from ?? "", name: from.name) }
    }

    /// Refuses an allocation to a unit that is not below the giver (`below`: the tree says it is).
    static func checkBelow(_ move: LeafletMove, from: Unit, to: Unit, below: Bool) throws {
        guard below else {
            throw LeafletError.notBelow(from: move.from ?? "", fromName: from.name, to: move.to, toName: to.name)
        }
    }

    /// The giver's lowest stock from the move's day on, before the move; refuses the move when
    /// that is less than its quantity, unless `allowNegative`.
    static func lowest(before move: LeafletMove, from: Unit, changes: [(day: Day, change: Int)],
                       allowNegative: Bool) throws -> LeafletLow {
        let low = LeafletLow.lowest(from: move.day, changes: changes)
        if low.onHand < move.quantity && !allowNegative {
            throw LeafletError.notEnough(from: move.from ?? "", name: from.name, quantity: move.quantity, onHand: low.onHand,
                                         day: low.day, allocationDay: move.day)
        }
        return low
    }

    /// The record of an allocation once written: `fromChanges` are the giver's changes before
    /// the move, `toOnHand` the receiver's stock after it.
    static func allocated(_ move: LeafletMove, from: Unit, to: Unit, low: LeafletLow,
                          fromChanges: [(day: Day, change: Int)], toOnHand: Int) -> LeafletRecord {
        let fromOnHand = fromChanges.reduce(0) { $0 + $1.change } - move.quantity
        return LeafletRecord(
            move: move, to: .init(code: move.to, name: to.name, onHand: toOnHand),
            from: .init(code: move.from ?? "", name: from.name, onHand: fromOnHand),
            shortfall: low.onHand < move.quantity ? LeafletLow(onHand: low.onHand - move.quantity, day: low.day) : nil)
    }

    /// Every dated change to the stock of area `$1`: + moves in, − moves out, − leaflets handed
    /// out in its live sessions (per day). Columns: day, change.
    static let stockChangesSQL = """
        SELECT day, CASE WHEN to_area_id = $1 THEN quantity ELSE -quantity END FROM leaflet_move
        WHERE to_area_id = $1 OR from_area_id = $1
        UNION ALL
        SELECT s.day, CAST(-sum(s.leaflets) AS BIGINT) FROM session s
        WHERE s.area_id = $1 AND s.leaflets > 0
          AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
        GROUP BY s.day
        """

    /// Whether area `$2` is an ancestor of area `$1`.
    static let isAncestorSQL = """
        WITH RECURSIVE up(id) AS (
            SELECT parent_id FROM area WHERE id = $1
            UNION SELECT a.parent_id FROM area a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL)
        SELECT EXISTS (SELECT 1 FROM up WHERE id = $2)
        """

    /// Every receipt and allocation dated up to `$1`, by day then in the order recorded.
    /// Columns: uuid, day, from code (null for a receipt), to code, quantity, batch.
    static let movesSQL = """
        SELECT m.uuid, m.day, f.code, t.code, m.quantity, m.batch FROM leaflet_move m
        LEFT JOIN area f ON f.id = m.from_area_id JOIN area t ON t.id = m.to_area_id
        WHERE m.day <= $1 ORDER BY m.day, m.id
        """

    /// A stored 16-byte uuid (a random one for any other length, as SQLite always read it).
    static func uuid(_ bytes: [UInt8]) -> UUID {
        bytes.count == 16 ? UUID(uuid: bytes.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) }) : UUID()
    }
}
