import Foundation

/// One movement of printed leaflets: a receipt from outside the tree (a district receives the
/// 6,000 it printed) or an allocation down the tree, from a unit to one below it.
public struct LeafletMove: Equatable, Sendable, Codable {
    /// Random id, stored as a 16-byte blob.
    public var id: UUID
    public var day: Day
    /// Code of the unit that passed the leaflets on; nil for a receipt.
    public var from: String?
    /// Code of the unit that received them.
    public var to: String
    /// Number of leaflets, at least 1.
    public var quantity: Int
    /// Print batch or any other label, as the user wrote it.
    public var batch: String?

    public init(id: UUID = UUID(), day: Day, from: String? = nil, to: String, quantity: Int, batch: String? = nil) {
        self.id = id
        self.day = day
        self.from = from
        self.to = to
        self.quantity = quantity
        self.batch = batch
    }

    /// Whether the leaflets came from outside the tree.
    public var isReceipt: Bool { from == nil }
}

/// A unit's lowest on-hand stock over a period, and the day it is reached.
public struct LeafletLow: Equatable, Sendable {
    /// Leaflets on hand at the end of `day` (negative when more went out than came in).
    public var onHand: Int
    public var day: Day

    public init(onHand: Int, day: Day) {
        self.onHand = onHand
        self.day = day
    }

    /// The lowest end-of-day stock from `start` on, given every dated change to a unit's stock
    /// (+ for leaflets in, − for leaflets passed on or handed out), in any order. The earliest
    /// day wins a tie; `start` itself counts even when nothing happens on it.
    public static func lowest(from start: Day, changes: [(day: Day, change: Int)]) -> LeafletLow {
        let sorted = changes.sorted { $0.day < $1.day }
        var balance = 0
        var i = 0
        while i < sorted.count, sorted[i].day <= start {
            balance += sorted[i].change
            i += 1
        }
        var low = LeafletLow(onHand: balance, day: start)
        while i < sorted.count {
            let day = sorted[i].day
            while i < sorted.count, sorted[i].day == day {
                balance += sorted[i].change
                i += 1
            }
            if balance < low.onHand { low = LeafletLow(onHand: balance, day: day) }
        }
        return low
    }
}

/// A leaflet receipt or allocation that cannot be recorded, and what to do instead.
public enum LeafletError: Error, Equatable, Sendable, UserFacingError {
    /// A quantity below 1.
    case quantityNotPositive(Int)
    /// An allocation from a unit to itself.
    case toItself(code: String, name: String)
    /// An allocation to a unit that is not below the giving unit.
    case notBelow(from: String, fromName: String, to: String, toName: String)
    /// An allocation that would leave the giving unit below zero on `day` (on or after
    /// `allocationDay`), refused because negative stock was not allowed.
    case notEnough(from: String, name: String, quantity: Int, onHand: Int, day: Day, allocationDay: Day)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ l: Labels) -> String {
        switch self {
        case let .quantityNotPositive(quantity):
            return l("leaflets.error.quantity", ["quantity": l.count(quantity)])
        case let .toItself(code, name):
            return l("leaflets.error.to_itself", ["code": code, "name": name])
        case let .notBelow(from, fromName, to, toName):
            return l("leaflets.error.not_below", ["from": from, "fromName": fromName, "to": to, "toName": toName])
        case let .notEnough(from, name, quantity, onHand, day, allocationDay):
            let when = day == allocationDay ? l("leaflets.error.on_day", ["date": l.date(day)])
                : l("leaflets.error.on_day_after", ["date": l.date(day), "allocation": l.date(allocationDay)])
            let most = onHand > 0 ? l("leaflets.error.at_most", ["onHand": l.count(onHand)]) : ""
            return l("leaflets.error.not_enough", ["name": name, "from": from, "onHand": l.count(onHand), "when": when,
                                                   "quantity": l.count(quantity), "most": most])
        }
    }
}
