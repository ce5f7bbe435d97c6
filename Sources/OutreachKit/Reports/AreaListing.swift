/// The `areas list` report: areas in tree order with their depth and number of children.
public struct AreaListing: Sendable {
    /// One listed area.
    public struct Row: Equatable, Sendable, Codable {
        public var code: String
        public var name: String
        public var kind: AreaLevel
        public var localKind: String?
        public var parentCode: String?
        /// Levels below the start of the listing (the whole country: provinces are 1).
        public var depth: Int
        public var children: Int
        public var population: Int?
        public var adults: Int?
        public var workingAge: Int?
        public var households: Int?
    }

    public var rows: [Row]

    /// Lists `tree` from `start` (its whole root set when nil) down to `maxDepth` levels below it.
    public init(tree: AreaTree, start: Int?, maxDepth: Int?) {
        let visits: [(index: Int, depth: Int)]
        if let start {
            visits = tree.preorder(from: [start], startDepth: 0, maxDepth: maxDepth)
        } else {
            visits = tree.preorder(from: tree.roots, startDepth: 1, maxDepth: maxDepth)
        }
        rows = visits.map { visit in
            let node = tree.nodes[visit.index]
            let a = node.attributes
            return Row(code: node.code, name: node.name, kind: node.level, localKind: node.localKind,
                       parentCode: node.parent.map { tree.nodes[$0].code }, depth: visit.depth,
                       children: tree.children[visit.index].count, population: a.population, adults: a.adults,
                       workingAge: a.workingAge, households: a.households)
        }
    }

    /// The listing in `format`; the table speaks the language of `labels`, CSV and JSON keep
    /// the English codes.
    public func rendered(as format: OutputFormat, labels: Labels) throws -> String {
        switch format {
        case .table:
            let base = rows.map(\.depth).min() ?? 0
            return TextTable.render(
                [TableColumn(labels["areas.col.code"]), TableColumn(labels["areas.col.name"]),
                 TableColumn(labels["areas.col.kind"]), TableColumn(labels["areas.col.children"], rightAligned: true)],
                rows.map { row in
                    let indent = String(repeating: "  ", count: row.depth - base)
                    return [row.code, indent + row.name, labels.kind(row.kind, local: row.localKind), labels.count(row.children)]
                })
        case .csv:
            return CSVWriter.render(
                header: ["code", "name", "kind", "parent_code", "depth", "children"] + AreaAttributes.names,
                rows: rows.map { row in
                    [row.code, row.name, row.kind.rawValue, row.parentCode ?? "", String(row.depth), String(row.children),
                     row.population.map(String.init) ?? "", row.adults.map(String.init) ?? "",
                     row.workingAge.map(String.init) ?? "", row.households.map(String.init) ?? ""]
                })
        case .json:
            return try JSONOutput.render(rows)
        }
    }
}
