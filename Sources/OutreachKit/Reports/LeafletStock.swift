/// The `leaflets stock` report: each unit's own leaflet stock, in tree order.
///
/// Every row is the unit's own stock, never a subtree total: a district that received 6,000
/// and passed 2,000 to a commune has 4,000 on hand, and the commune 2,000. Sessions happen in
/// hamlets while leaflets usually arrive at district level, so a hamlet that hands out leaflets
/// it was never allocated shows a negative stock and is flagged `over`.
public struct LeafletStock: Equatable, Sendable, Codable {
    /// What is wrong with a row.
    public enum Flag: String, Equatable, Sendable, Codable {
        /// The unit handed out or passed on more leaflets than it received (on hand < 0).
        case over
    }

    /// One unit's own stock.
    public struct Row: Equatable, Sendable, Codable {
        public var code: String
        public var name: String
        public var kind: AreaLevel
        public var parentCode: String?
        /// Levels below the start of the report (the start, or each root, is 0).
        public var depth: Int
        /// Receipts into the unit and allocations into it from above.
        public var received: Int
        /// Allocations out of the unit, to units below it.
        public var passedOn: Int
        /// The `leaflets` metric of live sessions logged in the unit itself.
        public var handedOut: Int
        /// received − passed on − handed out.
        public var onHand: Int
        public var flag: Flag?
    }

    /// The sums of the report.
    public struct Total: Equatable, Sendable, Codable {
        /// Leaflets that came into the listed units from outside them: receipts, and with a start,
        /// allocations from the units above it. Equals handed out + on hand.
        public var receivedFromOutside: Int
        public var handedOut: Int
        public var onHand: Int
    }

    /// Moves after this day are left out (the handed-out counts must be as of the same day).
    public var asOf: Day
    /// Code of the unit the report starts at; nil for the whole tree.
    public var under: String?
    /// Units with leaflet activity in their subtree, in tree order.
    public var rows: [Row]
    public var total: Total

    /// Builds the report over `tree` from `start` (the whole tree when nil).
    ///
    /// - Parameters:
    ///   - moves: receipts and allocations, by area code; those dated after `asOf` are left out,
    ///     as are any naming a code the tree does not have.
    ///   - handedOut: leaflets handed out in live sessions up to `asOf`, by the code of the area
    ///     the sessions were logged in.
    ///
    /// Units with no receipt, allocation or handed-out leaflet anywhere in their subtree are
    /// left out.
    public init(tree: AreaTree, start: Int?, moves: [LeafletMove], handedOut: [String: Int], asOf: Day) {
        self.asOf = asOf
        under = start.map { tree.nodes[$0].code }
        let count = tree.nodes.count
        var received = Array(repeating: 0, count: count)
        var passedOn = Array(repeating: 0, count: count)
        var given = Array(repeating: 0, count: count)
        // Moves into a listed unit from a unit outside the listing (or from outside the tree).
        var inflow: [(to: Int, from: Int?, quantity: Int)] = []
        for move in moves where move.day <= asOf {
            guard let to = tree.index(of: move.to) else { continue }
            let from = move.from.flatMap { tree.index(of: $0) }
            if move.from != nil && from == nil { continue }
            received[to] += move.quantity
            if let from { passedOn[from] += move.quantity }
            inflow.append((to, from, move.quantity))
        }
        for (code, n) in handedOut {
            if let i = tree.index(of: code) { given[i] += n }
        }

        let starts = start.map { [$0] } ?? tree.roots
        let visits = tree.preorder(from: starts)
        var active = Array(repeating: false, count: count)
        for (i, _) in visits.reversed() {
            if received[i] != 0 || passedOn[i] != 0 || given[i] != 0 { active[i] = true }
            if active[i], let p = tree.nodes[i].parent { active[p] = true }
        }
        var listed = Array(repeating: false, count: count)
        var rows: [Row] = []
        for (i, depth) in visits where active[i] {
            listed[i] = true
            let node = tree.nodes[i]
            let onHand = received[i] - passedOn[i] - given[i]
            rows.append(Row(code: node.code, name: node.name, kind: node.level,
                            parentCode: node.parent.map { tree.nodes[$0].code }, depth: depth,
                            received: received[i], passedOn: passedOn[i], handedOut: given[i],
                            onHand: onHand, flag: onHand < 0 ? .over : nil))
        }
        let outside = inflow.reduce(0) { sum, move in
            listed[move.to] && !(move.from.map { listed[$0] } ?? false) ? sum + move.quantity : sum
        }
        self.rows = rows
        total = Total(receivedFromOutside: outside, handedOut: rows.reduce(0) { $0 + $1.handedOut },
                      onHand: rows.reduce(0) { $0 + $1.onHand })
    }

    /// The rows flagged `over`.
    public var overRows: [Row] { rows.filter { $0.flag == .over } }

    /// The report in `format`: the table and CSV end with the total line; the table, in the
    /// language of `labels`, then lists the units flagged `over` and what to do about them.
    public func rendered(as format: OutputFormat, labels: Labels) throws -> String {
        switch format {
        case .table: return table(labels)
        case .csv:
            var lines = rows.map { row in
                [row.code, row.name, row.kind.rawValue, row.parentCode ?? "", String(row.depth), String(row.received),
                 String(row.passedOn), String(row.handedOut), String(row.onHand), row.flag?.rawValue ?? ""]
            }
            lines.append(["", "Total (received from outside)", "", "", "", String(total.receivedFromOutside), "",
                          String(total.handedOut), String(total.onHand), ""])
            return CSVWriter.render(header: ["code", "name", "kind", "parent_code", "depth", "received", "passed_on",
                                             "handed_out", "on_hand", "flag"], rows: lines)
        case .json:
            return try JSONOutput.render(self)
        }
    }

    private func table(_ l: Labels) -> String {
        let date = l.date(asOf)
        var out = (under.map { l("leaflets.stock.title_under", ["area": $0, "date": date]) }
            ?? l("leaflets.stock.title", ["date": date])) + "\n"
        guard !rows.isEmpty else {
            return out + (under.map { l("leaflets.stock.none_under", ["area": $0, "date": date]) }
                ?? l("leaflets.stock.none", ["date": date])) + "\n"
        }
        let over = l["leaflets.flag.over"]
        var cells = rows.map { row in
            [row.code, String(repeating: "  ", count: row.depth) + row.name, l.kind(row.kind), l.count(row.received),
             l.count(row.passedOn), l.count(row.handedOut), l.count(row.onHand), row.flag == .over ? over : ""]
        }
        cells.append(["", l["leaflets.stock.total"], "", l.count(total.receivedFromOutside), "",
                      l.count(total.handedOut), l.count(total.onHand), ""])
        out += TextTable.render([TableColumn(l["leaflets.col.code"]), TableColumn(l["leaflets.col.name"]),
                                 TableColumn(l["leaflets.col.kind"]),
                                 TableColumn(l["leaflets.col.received"], rightAligned: true),
                                 TableColumn(l["leaflets.col.passed_on"], rightAligned: true),
                                 TableColumn(l["leaflets.col.handed_out"], rightAligned: true),
                                 TableColumn(l["leaflets.col.on_hand"], rightAligned: true),
                                 TableColumn(l["leaflets.col.flag"])], cells)
        let overRows = self.overRows
        guard !overRows.isEmpty else { return out }
        out += "\n" + l.counted(overRows.count, one: l["leaflets.over.heading.one"], other: l["leaflets.over.heading.other"]) + "\n"
        for row in overRows {
            out += "  " + l("leaflets.over.line", ["name": row.name, "code": row.code, "excess": l.count(-row.onHand),
                                                   "received": l.count(row.received), "passedOn": l.count(row.passedOn),
                                                   "handedOut": l.count(row.handedOut)]) + "\n"
        }
        out += l["leaflets.over.advice"] + "\n"
        return out
    }
}
