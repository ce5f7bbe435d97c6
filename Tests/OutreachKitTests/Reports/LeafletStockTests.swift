import Foundation
import GRDB
import Testing
@testable import OutreachKit

private func day(_ text: String) -> Day { Day(parsing: text)! }

/// Tỉnh Thanh Hóa > Huyện Nông Cống > three communes, each with hamlets.
private let leafletTree: AreaTree = {
    let rows: [(String, String, AreaLevel, Int?)] = [
        ("38", "Tỉnh Thanh Hóa", .province, nil),
        ("404", "Huyện Nông Cống", .district, 0),
        ("16282", "Xã Tân Phúc", .commune, 1),
        ("16282-01", "Thôn 1", .hamlet, 2),
        ("16282-02", "Thôn 2", .hamlet, 2),
        ("16285", "Xã Tân Thọ", .commune, 1),
        ("16285-01", "Thôn Đông", .hamlet, 5),
        ("16285-02", "Thôn Tây", .hamlet, 5),
        ("16288", "Xã Tân Khang", .commune, 1),
        ("16288-01", "Thôn Bắc", .hamlet, 8),
    ]
    return AreaTree(nodes: rows.enumerated().map { i, r in
        AreaTree.Node(id: Int64(i + 1), code: r.0, name: r.1, level: r.2, parent: r.3)
    })
}()

/// The district receives 6,000, passes 2,000 to Tân Phúc (which splits 1,500 over its hamlets)
/// and 300 straight to Thôn Đông; a second print run arrives after the end of November.
private let leafletMoves: [LeafletMove] = [
    LeafletMove(day: day("2026-11-01"), to: "404", quantity: 6000, batch: "in lần 1"),
    LeafletMove(day: day("2026-11-03"), from: "404", to: "16282", quantity: 2000),
    LeafletMove(day: day("2026-11-05"), from: "16282", to: "16282-01", quantity: 800),
    LeafletMove(day: day("2026-11-05"), from: "16282", to: "16282-02", quantity: 700),
    LeafletMove(day: day("2026-11-06"), from: "404", to: "16285-01", quantity: 300),
    LeafletMove(day: day("2026-12-02"), to: "404", quantity: 1000, batch: "in lần 2"),
]

/// Thôn 2 hands out more than it was given; Thôn Tây hands out leaflets it never received;
/// Thôn Bắc logged sessions with 0 leaflets, which is no activity.
private let leafletsGiven = ["16282-01": 500, "16282-02": 900, "16285-01": 100, "16285-02": 40, "16288-01": 0]

private func row(_ code: String, _ name: String, _ kind: AreaLevel, _ parent: String?, _ depth: Int,
                 _ received: Int, _ passedOn: Int, _ handedOut: Int, _ onHand: Int) -> LeafletStock.Row {
    LeafletStock.Row(code: code, name: name, kind: kind, parentCode: parent, depth: depth, received: received,
                     passedOn: passedOn, handedOut: handedOut, onHand: onHand, flag: onHand < 0 ? .over : nil)
}

@Suite("The leaflet stock report, computed without a database")
struct LeafletStockTests {
    let november = day("2026-11-30")

    @Test("each row is the unit's own stock, in tree order, skipping subtrees with no activity")
    func ownStockInTreeOrder() {
        let stock = LeafletStock(tree: leafletTree, start: nil, moves: leafletMoves, handedOut: leafletsGiven, asOf: november)
        #expect(stock.rows == [
            row("38", "Tỉnh Thanh Hóa", .province, nil, 0, 0, 0, 0, 0),
            row("404", "Huyện Nông Cống", .district, "38", 1, 6000, 2300, 0, 3700),
            row("16282", "Xã Tân Phúc", .commune, "404", 2, 2000, 1500, 0, 500),
            row("16282-01", "Thôn 1", .hamlet, "16282", 3, 800, 0, 500, 300),
            row("16282-02", "Thôn 2", .hamlet, "16282", 3, 700, 0, 900, -200),
            row("16285", "Xã Tân Thọ", .commune, "404", 2, 0, 0, 0, 0),
            row("16285-01", "Thôn Đông", .hamlet, "16285", 3, 300, 0, 100, 200),
            row("16285-02", "Thôn Tây", .hamlet, "16285", 3, 0, 0, 40, -40),
        ])
        #expect(stock.total == LeafletStock.Total(receivedFromOutside: 6000, handedOut: 1540, onHand: 4460))
        #expect(stock.overRows.map(\.code) == ["16282-02", "16285-02"])
    }

    @Test("a hamlet that hands out leaflets it never received is flagged over")
    func handedOutWithoutReceiving() {
        let moves = [LeafletMove(day: day("2026-11-01"), to: "404", quantity: 6000)]
        let stock = LeafletStock(tree: leafletTree, start: nil, moves: moves, handedOut: ["16288-01": 25], asOf: november)
        let hamlet = stock.rows.first { $0.code == "16288-01" }
        #expect(hamlet?.onHand == -25)
        #expect(hamlet?.flag == .over)
        #expect(stock.rows.first { $0.code == "404" }?.flag == nil)
        #expect(stock.total == LeafletStock.Total(receivedFromOutside: 6000, handedOut: 25, onHand: 5975))
    }

    @Test("a unit that passes on more than it received is flagged over")
    func passedOnTooMuch() {
        let moves = [
            LeafletMove(day: day("2026-11-01"), to: "16285", quantity: 100),
            LeafletMove(day: day("2026-11-02"), from: "16285", to: "16285-01", quantity: 150),
        ]
        let stock = LeafletStock(tree: leafletTree, start: nil, moves: moves, handedOut: [:], asOf: november)
        #expect(stock.rows.map(\.code) == ["38", "404", "16285", "16285-01"])
        #expect(stock.overRows.map(\.code) == ["16285"])
        #expect(stock.rows.first { $0.code == "16285" }?.onHand == -50)
    }

    @Test("moves dated after the as-of day are left out", arguments: [
        ("2026-11-04", 6000, 4000, 0),
        ("2026-12-01", 6000, 3700, 1540),
        ("2026-12-02", 7000, 4700, 1540),
        ("2026-10-31", 0, 0, 0),
    ])
    func asOf(asOf: String, outside: Int, district: Int, handedOut: Int) {
        let given = handedOut == 0 ? [:] : leafletsGiven
        let stock = LeafletStock(tree: leafletTree, start: nil, moves: leafletMoves, handedOut: given, asOf: day(asOf))
        #expect(stock.total.receivedFromOutside == outside)
        #expect(stock.total.handedOut == handedOut)
        #expect(stock.rows.first { $0.code == "404" }?.onHand == (outside == 0 ? nil : district))
        #expect(stock.asOf == day(asOf))
    }

    @Test("under a commune, leaflets allocated from above count as received from outside")
    func underCommune() {
        let start = leafletTree.index(of: "16282")!
        let stock = LeafletStock(tree: leafletTree, start: start, moves: leafletMoves, handedOut: leafletsGiven, asOf: november)
        #expect(stock.under == "16282")
        #expect(stock.rows.map(\.code) == ["16282", "16282-01", "16282-02"])
        #expect(stock.rows.map(\.depth) == [0, 1, 1])
        #expect(stock.total == LeafletStock.Total(receivedFromOutside: 2000, handedOut: 1400, onHand: 600))
    }

    @Test("the total received from outside equals handed out plus on hand, wherever the report starts",
          arguments: [nil, "38", "404", "16282", "16285", "16285-02", "16288"])
    func totalsBalance(under: String?) {
        let start = under.map { leafletTree.index(of: $0)! }
        let stock = LeafletStock(tree: leafletTree, start: start, moves: leafletMoves, handedOut: leafletsGiven, asOf: november)
        #expect(stock.total.receivedFromOutside == stock.total.handedOut + stock.total.onHand)
        #expect(stock.total.onHand == stock.rows.reduce(0) { $0 + $1.received - $1.passedOn - $1.handedOut })
    }

    @Test("a subtree with no leaflet activity gives an empty report")
    func emptySubtree() throws {
        let stock = LeafletStock(tree: leafletTree, start: leafletTree.index(of: "16288"), moves: leafletMoves,
                                 handedOut: leafletsGiven, asOf: november)
        #expect(stock.rows.isEmpty)
        #expect(stock.total == LeafletStock.Total(receivedFromOutside: 0, handedOut: 0, onHand: 0))
        #expect(try stock.rendered(as: .table, labels: Labels(.en)) == """
            Leaflet stock under 16288 as of 30 Nov 2026
            No leaflets received, passed on or handed out under 16288 up to 30 Nov 2026. Record a receipt with `outreach leaflets receive`.

            """)
    }

    @Test("the table indents by depth, ends with the total line and lists the units over")
    func table() throws {
        let stock = LeafletStock(tree: leafletTree, start: nil, moves: leafletMoves, handedOut: leafletsGiven, asOf: november)
        #expect(try stock.rendered(as: .table, labels: Labels(.en)) == """
            Leaflet stock as of 30 Nov 2026
            CODE      NAME                           KIND      RECEIVED  PASSED ON  HANDED OUT  ON HAND  FLAG
            38        Tỉnh Thanh Hóa                 province         0          0           0        0
            404         Huyện Nông Cống              district     6,000      2,300           0    3,700
            16282         Xã Tân Phúc                commune      2,000      1,500           0      500
            16282-01        Thôn 1                   hamlet         800          0         500      300
            16282-02        Thôn 2                   hamlet         700          0         900     -200  over
            16285         Xã Tân Thọ                 commune          0          0           0        0
            16285-01        Thôn Đông                hamlet         300          0         100      200
            16285-02        Thôn Tây                 hamlet           0          0          40      -40  over
                      Total (received from outside)               6,000                  1,540    4,460

            Over: 2 units handed out or passed on more leaflets than they received:
              Thôn 2 (16282-02): 200 more than received (received 700, passed on 0, handed out 900).
              Thôn Tây (16285-02): 40 more than received (received 0, passed on 0, handed out 40).
            Record what they received (`outreach leaflets receive`, or `outreach leaflets allocate --from UNIT_ABOVE --to CODE`), or check the leaflet counts of their sessions.

            """)
    }

    @Test("CSV has one row per unit with a flag column, then the total line")
    func csv() throws {
        let start = leafletTree.index(of: "16282")!
        let stock = LeafletStock(tree: leafletTree, start: start, moves: leafletMoves, handedOut: leafletsGiven, asOf: november)
        #expect(try stock.rendered(as: .csv, labels: Labels(.en)) == """
            code,name,kind,parent_code,depth,received,passed_on,handed_out,on_hand,flag
            16282,Xã Tân Phúc,commune,404,0,2000,1500,0,500,
            16282-01,Thôn 1,hamlet,16282,1,800,0,500,300,
            16282-02,Thôn 2,hamlet,16282,1,700,0,900,-200,over
            ,Total (received from outside),,,,2000,,1400,600,

            """)
    }

    @Test("JSON holds the rows, the flag, the total and the as-of day")
    func json() throws {
        let start = leafletTree.index(of: "16285")!
        let stock = LeafletStock(tree: leafletTree, start: start, moves: leafletMoves, handedOut: leafletsGiven, asOf: november)
        let text = try stock.rendered(as: .json, labels: Labels(.en))
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(object?["asOf"] as? String == "2026-11-30")
        #expect(object?["under"] as? String == "16285")
        let rows = object?["rows"] as? [[String: Any]]
        #expect(rows?.map { $0["code"] as? String } == ["16285", "16285-01", "16285-02"])
        #expect(rows?.last?["flag"] as? String == "over")
        #expect(rows?.last?["onHand"] as? Int == -40)
        #expect(rows?.first?["flag"] == nil)
        let total = object?["total"] as? [String: Int]
        #expect(total == ["receivedFromOutside": 300, "handedOut": 140, "onHand": 160])
        #expect(try JSONDecoder().decode(LeafletStock.self, from: Data(text.utf8)) == stock)
    }

    @Test("the lowest stock from a day on counts later days, end of day", arguments: [
        // (start, expected on hand, expected day)
        ("2026-11-10", 0, "2026-11-15"),
        ("2026-10-01", 0, "2026-10-01"),
        ("2026-11-01", 0, "2026-11-15"),
        ("2026-11-16", 0, "2026-11-16"),
        ("2026-11-17", 0, "2026-11-17"),
        ("2026-11-21", 1000, "2026-11-21"),
    ])
    func lowest(start: String, onHand: Int, on expected: String) {
        // +1000 on 11-01, −1000 on 11-15, +1000 on 11-20; −200 and +200 on 11-18 net to nothing.
        let changes: [(day: Day, change: Int)] = [
            (day("2026-11-20"), 1000), (day("2026-11-01"), 1000), (day("2026-11-15"), -1000),
            (day("2026-11-18"), -200), (day("2026-11-18"), 200),
        ]
        #expect(LeafletLow.lowest(from: day(start), changes: changes) == LeafletLow(onHand: onHand, day: day(expected)))
    }
}

// MARK: - The store

/// The same tree as an areas file.
private let leafletAreas = """
    code,name,kind,parent_code
    38,Tỉnh Thanh Hóa,province,
    404,Huyện Nông Cống,district,38
    16282,Xã Tân Phúc,commune,404
    16282-01,Thôn 1,hamlet,16282
    16282-02,Thôn 2,hamlet,16282
    16285,Xã Tân Thọ,commune,404
    16285-01,Thôn Đông,hamlet,16285

    """

@Suite("Recording leaflet moves and reading the stock from the store")
struct StoreLeafletsTests {
    let store: Store

    init() throws {
        store = try Store.inMemory()
        let rows = try AreaFile.read(CSVReader(bytes: Array(leafletAreas.utf8), name: "areas.csv"))
        _ = try store.importAreas(rows, file: "areas.csv", on: day("2025-07-01"))
    }

    /// Inserts a session and, when it is live, its monthly running total (as the session writers do).
    private func logSession(_ code: String, _ date: String, leaflets: Int?, voided: Bool = false) throws {
        let d = day(date)
        try store.write { db in
            let area = try Int64.fetchOne(db, sql: "SELECT id FROM area WHERE code = ?", arguments: [code])!
            try db.execute(sql: "INSERT INTO session (uuid, day, area_id, leaflets) VALUES (randomblob(16), ?, ?, ?)",
                           arguments: [d.number, area, leaflets])
            if voided {
                try db.execute(sql: "INSERT INTO session_void (session_id, day, reason) VALUES (?, ?, 'typo')",
                               arguments: [db.lastInsertedRowID, d.number])
                return
            }
            try db.execute(sql: """
                INSERT INTO area_month (area_id, month, sessions, leaflets, last_day) VALUES (?, ?, 1, ?, ?)
                ON CONFLICT (area_id, month) DO UPDATE SET sessions = sessions + 1,
                    leaflets = CASE WHEN excluded.leaflets IS NULL THEN leaflets ELSE coalesce(leaflets, 0) + excluded.leaflets END,
                    last_day = max(last_day, excluded.last_day)
                """, arguments: [area, d.monthIndex, leaflets, d.number])
        }
    }

    private func moveCount() throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM leaflet_move")! }
    }

    @Test("a receipt and an allocation are stored with random 16-byte ids and read back")
    func recordAndReadBack() throws {
        let received = try store.receiveLeaflets(into: "404", quantity: 6000, on: day("2026-11-01"), batch: "  in lần 1 ")
        #expect(received.to == LeafletRecord.Unit(code: "404", name: "Huyện Nông Cống", onHand: 6000))
        #expect(received.from == nil)
        #expect(received.move.batch == "in lần 1")
        let allocated = try store.allocateLeaflets(from: "404", to: "16282", quantity: 2000, on: day("2026-11-03"))
        #expect(allocated.from == LeafletRecord.Unit(code: "404", name: "Huyện Nông Cống", onHand: 4000))
        #expect(allocated.to == LeafletRecord.Unit(code: "16282", name: "Xã Tân Phúc", onHand: 2000))
        #expect(allocated.shortfall == nil)
        #expect(try store.leafletMoves() == [received.move, allocated.move])
        #expect(try store.leafletMoves(through: day("2026-11-02")) == [received.move])
        let ids = try store.read { db in try Data.fetchAll(db, sql: "SELECT uuid FROM leaflet_move ORDER BY id") }
        #expect(ids.map(\.count) == [16, 16])
        #expect(ids[0] == withUnsafeBytes(of: received.move.id.uuid) { Data($0) })
        #expect(Set(ids).count == 2)
    }

    @Test("an allocation may skip a level, but must go down the tree", arguments: [
        ("404", "16282-01", true),
        ("16282", "16282-02", true),
        ("16282", "404", false),
        ("16282", "16285", false),
        ("16282", "16285-01", false),
        ("16282-01", "16282-02", false),
    ])
    func downTheTree(from: String, to: String, allowed: Bool) throws {
        _ = try store.receiveLeaflets(into: from, quantity: 500, on: day("2026-11-01"))
        let before = try moveCount()
        if allowed {
            _ = try store.allocateLeaflets(from: from, to: to, quantity: 100, on: day("2026-11-02"))
            #expect(try moveCount() == before + 1)
        } else {
            let error = #expect(throws: LeafletError.self) {
                try store.allocateLeaflets(from: from, to: to, quantity: 100, on: day("2026-11-02"))
            }
            guard case let .notBelow(f, _, t, _) = error else {
                Issue.record("expected notBelow, got \(String(describing: error))")
                return
            }
            #expect((f, t) == (from, to))
            #expect(error?.message.contains("is not below") == true)
            #expect(try moveCount() == before)
        }
    }

    @Test("the not-below error names both units and says what to do")
    func notBelowMessage() {
        let error = #expect(throws: LeafletError.self) {
            try store.allocateLeaflets(from: "16282", to: "16285", quantity: 10, on: day("2026-11-02"))
        }
        #expect(error?.message == "Xã Tân Thọ (16285) is not below Xã Tân Phúc (16282) in the area tree. Leaflets are allocated down the tree (district → commune → hamlet): name a unit under 16282 with --to (`outreach areas list --under 16282` lists them), or record leaflets that came from outside with `outreach leaflets receive`.")
    }

    @Test("unknown codes, a unit giving to itself and quantities below 1 are refused, and nothing is written")
    func refusals() async throws {
        #expect(throws: AreaLookupError.unknownCode("999")) {
            try store.receiveLeaflets(into: "999", quantity: 10, on: day("2026-11-01"))
        }
        #expect(throws: AreaLookupError.unknownCode("999")) {
            try store.allocateLeaflets(from: "404", to: "999", quantity: 10, on: day("2026-11-01"))
        }
        #expect(throws: LeafletError.toItself(code: "404", name: "Huyện Nông Cống")) {
            try store.allocateLeaflets(from: "404", to: "404", quantity: 10, on: day("2026-11-01"))
        }
        for quantity in [0, -5] {
            #expect(throws: LeafletError.quantityNotPositive(quantity)) {
                try store.receiveLeaflets(into: "404", quantity: quantity, on: day("2026-11-01"))
            }
            #expect(throws: LeafletError.quantityNotPositive(quantity)) {
                try store.allocateLeaflets(from: "404", to: "16282", quantity: quantity, on: day("2026-11-01"))
            }
        }
        await #expect(throws: AreaLookupError.unknownCode("999")) { try await store.leafletStock(under: "999", asOf: day("2026-11-01")) }
        #expect(try moveCount() == 0)
    }

    @Test("allocating more than is on hand is refused, naming what is on hand; allowed with allowNegative")
    func notEnough() async throws {
        _ = try store.receiveLeaflets(into: "404", quantity: 6000, on: day("2026-11-01"))
        let error = #expect(throws: LeafletError.self) {
            try store.allocateLeaflets(from: "404", to: "16282", quantity: 7000, on: day("2026-11-03"))
        }
        #expect(error == .notEnough(from: "404", name: "Huyện Nông Cống", quantity: 7000, onHand: 6000,
                                    day: day("2026-11-03"), allocationDay: day("2026-11-03")))
        #expect(error?.message == "Huyện Nông Cống (404) has 6,000 leaflets on hand on 3 Nov 2026, not enough to pass on 7,000. Record what it received first (`outreach leaflets receive`, or `outreach leaflets allocate` from the unit above), allocate at most 6,000, or add --allow-negative to record it anyway (`outreach leaflets stock` will flag the unit as over).")
        #expect(try moveCount() == 1)

        let forced = try store.allocateLeaflets(from: "404", to: "16282", quantity: 7000, on: day("2026-11-03"),
                                                allowNegative: true)
        #expect(forced.shortfall == LeafletLow(onHand: -1000, day: day("2026-11-03")))
        #expect(forced.from?.onHand == -1000)
        let stock = try await store.leafletStock(under: nil, asOf: day("2026-11-30"))
        #expect(stock.overRows.map(\.code) == ["404"])

        // Exactly what is on hand is fine, and leaves nothing.
        _ = try store.receiveLeaflets(into: "16285", quantity: 300, on: day("2026-11-01"))
        let exact = try store.allocateLeaflets(from: "16285", to: "16285-01", quantity: 300, on: day("2026-11-02"))
        #expect(exact.from?.onHand == 0)
        #expect(exact.shortfall == nil)
    }

    @Test("an allocation dated before the receipt, or one that a later allocation would push below zero, is refused")
    func datedStock() throws {
        _ = try store.receiveLeaflets(into: "404", quantity: 1000, on: day("2026-11-10"))
        #expect(throws: LeafletError.notEnough(from: "404", name: "Huyện Nông Cống", quantity: 500, onHand: 0,
                                               day: day("2026-11-05"), allocationDay: day("2026-11-05"))) {
            try store.allocateLeaflets(from: "404", to: "16282", quantity: 500, on: day("2026-11-05"))
        }
        // 1,000 received on 11-10 and all of it passed on on 11-15; 1,000 more arrive on 11-20.
        _ = try store.allocateLeaflets(from: "404", to: "16282", quantity: 1000, on: day("2026-11-15"))
        _ = try store.receiveLeaflets(into: "404", quantity: 1000, on: day("2026-11-20"))
        // On 11-12 it has 1,000 on hand, but passing 500 of them on would leave −500 on 11-15.
        let error = #expect(throws: LeafletError.self) {
            try store.allocateLeaflets(from: "404", to: "16285", quantity: 500, on: day("2026-11-12"))
        }
        #expect(error == .notEnough(from: "404", name: "Huyện Nông Cống", quantity: 500, onHand: 0,
                                    day: day("2026-11-15"), allocationDay: day("2026-11-12")))
        #expect(error?.message.contains("0 leaflets on hand on 15 Nov 2026, counting what it passes on and hands out after 12 Nov 2026") == true)
        #expect(error?.message(in: Labels(.vi))?.contains("còn 0 tờ rơi ngày 15/11/2026, tính cả số tờ cấp và phát sau ngày 12/11/2026") == true)
        // From 11-20 on, the second 1,000 is there.
        _ = try store.allocateLeaflets(from: "404", to: "16285", quantity: 500, on: day("2026-11-20"))
        #expect(try moveCount() == 4)
    }

    @Test("leaflets handed out in the giving unit's own live sessions count against its stock")
    func sessionsCountAgainstStock() throws {
        _ = try store.receiveLeaflets(into: "16282", quantity: 1000, on: day("2026-11-01"))
        try logSession("16282", "2026-11-02", leaflets: 700)
        try logSession("16282", "2026-11-02", leaflets: 900, voided: true)
        #expect(throws: LeafletError.notEnough(from: "16282", name: "Xã Tân Phúc", quantity: 400, onHand: 300,
                                               day: day("2026-11-03"), allocationDay: day("2026-11-03"))) {
            try store.allocateLeaflets(from: "16282", to: "16282-01", quantity: 400, on: day("2026-11-03"))
        }
        let ok = try store.allocateLeaflets(from: "16282", to: "16282-01", quantity: 300, on: day("2026-11-03"))
        #expect(ok.from?.onHand == 0)
    }

    @Test("handed out counts live sessions up to the as-of day, exactly within its month")
    func handedOutAsOf() throws {
        try logSession("16282-01", "2026-10-20", leaflets: 40)
        try logSession("16282-01", "2026-11-05", leaflets: 100)
        try logSession("16282-01", "2026-11-25", leaflets: 50)
        try logSession("16282-01", "2026-11-26", leaflets: nil)
        try logSession("16282-01", "2026-11-27", leaflets: 999, voided: true)
        try logSession("16285-01", "2026-12-01", leaflets: 7)
        #expect(try store.leafletsHandedOut() == ["16282-01": 190, "16285-01": 7])
        #expect(try store.leafletsHandedOut(through: day("2026-11-30")) == ["16282-01": 190])
        #expect(try store.leafletsHandedOut(through: day("2026-11-27")) == ["16282-01": 190])
        #expect(try store.leafletsHandedOut(through: day("2026-11-20")) == ["16282-01": 140])
        #expect(try store.leafletsHandedOut(through: day("2026-11-04")) == ["16282-01": 40])
        #expect(try store.leafletsHandedOut(through: day("2026-10-19")) == [:])
    }

    @Test("the stock report reads moves and sessions as of a day and flags a hamlet that never received any")
    func stockFromStore() async throws {
        _ = try store.receiveLeaflets(into: "404", quantity: 6000, on: day("2026-11-01"), batch: "in lần 1")
        _ = try store.allocateLeaflets(from: "404", to: "16282", quantity: 2000, on: day("2026-11-03"))
        _ = try store.allocateLeaflets(from: "16282", to: "16282-01", quantity: 800, on: day("2026-11-05"))
        try logSession("16282-01", "2026-11-10", leaflets: 500)
        try logSession("16285-01", "2026-11-12", leaflets: 60)
        try logSession("16285-01", "2026-11-28", leaflets: 15)
        let stock = try await store.leafletStock(under: nil, asOf: day("2026-11-20"))
        #expect(stock.rows == [
            row("38", "Tỉnh Thanh Hóa", .province, nil, 0, 0, 0, 0, 0),
            row("404", "Huyện Nông Cống", .district, "38", 1, 6000, 2000, 0, 4000),
            row("16282", "Xã Tân Phúc", .commune, "404", 2, 2000, 800, 0, 1200),
            row("16282-01", "Thôn 1", .hamlet, "16282", 3, 800, 0, 500, 300),
            row("16285", "Xã Tân Thọ", .commune, "404", 2, 0, 0, 0, 0),
            row("16285-01", "Thôn Đông", .hamlet, "16285", 3, 0, 0, 60, -60),
        ])
        #expect(stock.total == LeafletStock.Total(receivedFromOutside: 6000, handedOut: 560, onHand: 5440))
        let early = try await store.leafletStock(under: "16282", asOf: day("2026-11-04"))
        #expect(early.rows.map(\.code) == ["16282"])
        #expect(early.total == LeafletStock.Total(receivedFromOutside: 2000, handedOut: 0, onHand: 2000))
    }
}
