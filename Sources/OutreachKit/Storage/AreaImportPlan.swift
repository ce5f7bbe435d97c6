import Foundation

/// What an areas import will write, worked out from the file's rows and the areas already
/// stored, before any SQL: both engines validate and diff with it, then write its steps their
/// own way (SQLite one prepared statement per row, PostgreSQL by COPY).
///
/// Unknown parents and cycles (in the file, or through the workspace's areas) reject the
/// whole file. New codes are added, known ones updated when anything differs; a rename and a
/// move are recorded as changes of the area's history.
struct AreaImportPlan {
    /// An area as stored, as the import compares a file's row with it.
    struct Existing: Sendable {
        var id: Int64
        var code: String
        var name: String
        var level: AreaLevel
        var localKind: String?
        var parentID: Int64?
        var attributes: AreaAttributes

        /// The columns an engine reads an `Existing` from, in order.
        static let columns = AreaRows.columns
    }

    /// One row to write, parents before their children.
    enum Step {
        /// A new area.
        case insert(AreaRow)
        /// A known area whose values differ from the file's.
        case update(AreaRow, id: Int64)
    }

    /// A dated entry of the tree's history (`area_change`), in the order it is written.
    struct Change: Equatable {
        var areaID: Int64
        /// `rename` or `move`.
        var change: String
        var oldName: String?
        var oldParentID: Int64?
    }

    /// Inserts and updates in the order they are written: every parent first.
    private(set) var steps: [Step] = []
    private(set) var changes: [Change] = []
    private(set) var summary = AreaImportSummary()
    /// How many steps insert.
    private(set) var inserts = 0

    /// Works out the import of `rows` (from `file`) over `existing`; throws `ImportRejected`
    /// naming every unknown parent, or every cycle.
    init(rows: [AreaRow], existing: [Existing], file: String) throws {
        var byCode: [String: Int] = [:]
        byCode.reserveCapacity(existing.count)
        var codeOfID: [Int64: String] = [:]
        codeOfID.reserveCapacity(existing.count)
        for (i, area) in existing.enumerated() {
            byCode[area.code] = i
            codeOfID[area.id] = area.code
        }
        // The tree as it will be: the workspace, overridden by the file.
        var parentOf: [String: String?] = [:]
        parentOf.reserveCapacity(existing.count + rows.count)
        for area in existing { parentOf[area.code] = area.parentID.flatMap { codeOfID[$0] } }
        var lineOf: [String: Int] = [:]
        for row in rows {
            parentOf[row.code] = row.parentCode
            lineOf[row.code] = row.line
        }
        var problems = DiagnosticList(file: file)
        for row in rows {
            if let parent = row.parentCode, parentOf[parent] == nil {
                problems.add(line: row.line, column: "parent_code", Phrase("areas.error.unknown_parent", ["parent": parent]))
            }
        }
        try problems.check()
        let depth = try AreaImportPlan.depths(of: rows, parentOf: parentOf, lineOf: lineOf, file: file)

        // Parents first, so every foreign key points at a row that exists.
        let rowDepth = rows.map { depth[$0.code] ?? 0 }
        let ordered = rows.indices.sorted { (rowDepth[$0], $0) < (rowDepth[$1], $1) }
        steps.reserveCapacity(rows.count)
        for row in ordered.lazy.map({ rows[$0] }) {
            guard let i = byCode[row.code] else {
                steps.append(.insert(row))
                inserts += 1
                summary.added += 1
                continue
            }
            let old = existing[i]
            let moved: Bool
            if let parent = row.parentCode {
                // A parent new in this file gets an id no stored area has.
                moved = byCode[parent].map { existing[$0].id != old.parentID } ?? true
            } else {
                moved = old.parentID != nil
            }
            if old.name == row.name && old.level == row.level && old.localKind == row.localKind && !moved
                && old.attributes == row.attributes {
                summary.unchanged += 1
                continue
            }
            steps.append(.update(row, id: old.id))
            if old.name != row.name {
                changes.append(Change(areaID: old.id, change: "rename", oldName: old.name, oldParentID: nil))
                summary.renamed += 1
            }
            if moved {
                changes.append(Change(areaID: old.id, change: "move", oldName: nil, oldParentID: old.parentID))
                summary.moved += 1
            }
            summary.updated += 1
        }
    }

    /// Depth of every file row in the combined tree; a cycle rejects the file, naming its lines.
    private static func depths(of rows: [AreaRow], parentOf: [String: String?], lineOf: [String: Int],
                               file: String) throws -> [String: Int] {
        var depth: [String: Int] = [:]
        var problems = DiagnosticList(file: file)
        var reported = Set<String>()
        for row in rows where depth[row.code] == nil {
            var path: [String] = []
            var onPath = Set<String>()
            var code: String? = row.code
            var base = 0
            while let c = code {
                if let d = depth[c] { base = d + 1; break }
                if onPath.contains(c) {
                    let cycle = Array(path[path.firstIndex(of: c)!...])
                    if reported.isDisjoint(with: cycle) {
                        let lines = cycle.compactMap { lineOf[$0] }.sorted()
                        let chain = (cycle + [c]).joined(separator: " → ")
                        problems.add(line: lines.first ?? row.line, column: "parent_code",
                                     Phrase("areas.error.cycle", ["chain": chain, "lines": lines.map(String.init).joined(separator: ", ")]))
                    }
                    reported.formUnion(cycle)
                    for member in path { depth[member] = 0 }
                    path.removeAll()
                    break
                }
                path.append(c)
                onPath.insert(c)
                code = parentOf[c] ?? nil
            }
            for (offset, c) in path.reversed().enumerated() { depth[c] = base + offset }
        }
        try problems.check()
        return depth
    }
}

extension AreaRow {
    /// The folded name `areas find` matches against (`area.search_key`).
    var searchKey: String { TextFolding.fold(name) }
}
