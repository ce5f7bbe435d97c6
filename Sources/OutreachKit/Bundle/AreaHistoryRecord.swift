import Foundation

/// A unit's dated history as a bundle carries it (format 4): its versions, oldest first, and the
/// dated changes recorded for it, both with codes for ids. A workspace that merges it learns the
/// versions it did not have (a laptop still on the old tree learns the reform); one that knows
/// more keeps its own. Written after the approvals, before the audit rows.
struct AreaHistoryRecord: Equatable {
    static let columns = ["area_history", "code", "versions", "changes"]

    struct Version: Codable, Equatable {
        var name: String
        var kind: String
        var localKind: String?
        var parent: String?
        var population: Int?
        var adults: Int?
        var workingAge: Int?
        var households: Int?
        var from: Int?
        var to: Int?
    }

    struct Change: Codable, Equatable {
        var day: Int
        var change: String
        var oldName: String?
        var oldParent: String?
        var other: String?
        var basis: String?
        var by: String?
        var recorded: String?
    }

    var code: String
    var versions: [Version]
    var changes: [Change]

    func encode(_ w: inout BundleLineWriter) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        w.begin(Self.columns[0])
        w.add(code)
        w.add(String(decoding: (try? encoder.encode(versions)) ?? Data("[]".utf8), as: UTF8.self))
        w.add(String(decoding: (try? encoder.encode(changes)) ?? Data("[]".utf8), as: UTF8.self))
        w.end()
    }

    init(code: String, versions: [Version], changes: [Change]) {
        (self.code, self.versions, self.changes) = (code, versions, changes)
    }

    /// Reads a record from its values, checking every field.
    init(_ values: [BundleValue]) throws {
        var f = try RecordFields(values, columns: Self.columns)
        code = try f.text()
        let decoder = JSONDecoder()
        guard let v = try? decoder.decode([Version].self, from: Data(try f.text().utf8)), !v.isEmpty,
              v.allSatisfy({ AreaLevel(rawValue: $0.kind) != nil && $0.kind != "country" && !$0.name.isEmpty }) else {
            throw RecordError("column \"versions\": not a list of versions (name, kind, parent, from, to)")
        }
        guard let c = try? decoder.decode([Change].self, from: Data(try f.text().utf8)),
              c.allSatisfy({ ["create", "rename", "move", "merge", "split", "retire"].contains($0.change) }) else {
            throw RecordError("column \"changes\": not a list of dated changes")
        }
        versions = v
        changes = c
    }

    /// The record of `unit`, codes for ids.
    init(_ unit: AreaHistory.Unit, history: AreaHistory) {
        func code(_ id: Int64?) -> String? { id.flatMap { history.unit(id: $0)?.code } }
        self.init(code: unit.code, versions: unit.versions.map { v in
            Version(name: v.name, kind: v.level.rawValue, localKind: v.localKind, parent: code(v.parentID),
                    population: v.attributes.population, adults: v.attributes.adults, workingAge: v.attributes.workingAge,
                    households: v.attributes.households, from: v.from?.number, to: v.to?.number)
        }, changes: history.changes.filter { $0.areaID == unit.id }.map { c in
            Change(day: c.day.number, change: c.kind, oldName: c.oldName, oldParent: code(c.oldParentID), other: code(c.otherID),
                   basis: c.basis, by: c.by, recorded: c.recorded)
        })
    }

    /// The records of the dated units among `ids`, and the ids a bundle must also carry for
    /// them to read (the parents of their versions, the units they came from and went into).
    static func selection(_ history: AreaHistory, ids: Set<Int64>) -> (ids: Set<Int64>, records: [AreaHistoryRecord]) {
        var all = ids
        var queue = Array(ids)
        while let id = queue.popLast() {
            guard let unit = history.unit(id: id) else { continue }
            var linked = unit.versions.compactMap(\.parentID) + history.successors(of: id) + history.predecessors(of: id)
            linked += history.changes.filter { $0.areaID == id }.compactMap(\.oldParentID)
            for other in linked where all.insert(other).inserted { queue.append(other) }
        }
        let records = history.units.filter { all.contains($0.id) && ($0.versions.count > 1 || $0.latest.to != nil || $0.began != nil) }
            .sorted { $0.code < $1.code }.map { AreaHistoryRecord($0, history: history) }
        return (all, records)
    }

    /// What a workspace holds of the unit: how many versions, and whether it has ended.
    static let localSQL = """
        SELECT a.valid_to, (SELECT count(*) FROM area_version v WHERE v.area_id = a.id) + 1 FROM area a WHERE a.code = $1
        """

    /// The statements that bring a workspace holding `localVersions` versions of the unit (its
    /// latest ended or not) to this record: its versions when the bundle knows more, and every
    /// dated change the workspace lacks. Shared SQL for both engines.
    /// The renames and moves a merge records on `mergeDay` for the unit's area record are
    /// dropped when its dated history is taken: the history says when they happened.
    func statements(localVersions: Int, localEnded: Bool, mergeDay: Day) -> [(sql: String, values: [ClosingSQL.Value])] {
        let id = "(SELECT id FROM area WHERE code = $1)"
        var out: [(String, [ClosingSQL.Value])] = []
        func int(_ n: Int?) -> ClosingSQL.Value { .int(n.map(Int64.init)) }
        let adopt = versions.count > localVersions || (versions.count == localVersions && versions.last?.to != nil && !localEnded)
        if adopt, let latest = versions.last {
            out.append(("DELETE FROM area_version WHERE area_id = \(id)", [.text(code)]))
            out.append(("""
                DELETE FROM area_change WHERE area_id = \(id) AND day = $2 AND change IN ('rename', 'move') AND basis IS NULL
                  AND recorded_by IS NULL
                """, [.text(code), .int(Int64(mergeDay.number))]))
            for v in versions.dropLast() {
                out.append(("""
                    INSERT INTO area_version (area_id, valid_from, valid_to, name, level, local_kind, parent_id, population, adults,
                                              working_age, households, search_key)
                    VALUES (\(id), $2, $3, $4, $5, $6, (SELECT id FROM area WHERE code = $7), $8, $9, $10, $11, $12)
                    """, [.text(code), int(v.from), int(v.to ?? latest.from.map { $0 - 1 }), .text(v.name), .text(v.kind), .text(v.localKind),
                          .text(v.parent), int(v.population), int(v.adults), int(v.workingAge), int(v.households),
                          .text(TextFolding.fold(v.name))]))
            }
            out.append(("""
                UPDATE area SET name = $2, level = $3, local_kind = $4, parent_id = (SELECT p.id FROM area p WHERE p.code = $5),
                    population = $6, adults = $7, working_age = $8, households = $9, search_key = $10, valid_from = $11, valid_to = $12
                WHERE code = $1
                """, [.text(code), .text(latest.name), .text(latest.kind), .text(latest.localKind), .text(latest.parent),
                      int(latest.population), int(latest.adults), int(latest.workingAge), int(latest.households),
                      .text(TextFolding.fold(latest.name)), int(latest.from), int(latest.to)]))
        }
        for c in changes {
            out.append(("""
                INSERT INTO area_change (area_id, day, change, old_name, old_parent_id, other_area_id, basis, recorded_by, recorded)
                SELECT \(id), $2, $3, $4, (SELECT id FROM area WHERE code = $5), (SELECT id FROM area WHERE code = $6), $7, $8, $9
                WHERE NOT EXISTS (SELECT 1 FROM area_change c WHERE c.area_id = \(id) AND c.day = $2 AND c.change = $3
                                  AND c.other_area_id IS NOT DISTINCT FROM (SELECT id FROM area WHERE code = $6))
                """, [.text(code), .int(Int64(c.day)), .text(c.change), .text(c.oldName), .text(c.oldParent), .text(c.other),
                      .text(c.basis), .text(c.by), .text(c.recorded)]))
        }
        return out
    }
}
