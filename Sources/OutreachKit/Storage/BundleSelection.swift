import Foundation

/// What a bundle of a scope holds, decided the same way on both engines.
enum BundleSelection {
    /// The leaflet moves a bundle holds, as positions in `all` (the moves dated since the
    /// scope's day, by id): those into or out of `inScope` (all when nil), and the moves into
    /// every area that gave leaflets in them, up to the first receipts. A district that allocated
    /// to an exported commune comes with what it received, so a workspace merging the bundle
    /// never sees its stock below zero.
    static func moves(_ all: [(from: Int64?, to: Int64)], inScope: Set<Int64>?) -> [Int] {
        guard let inScope else { return Array(all.indices) }
        var givers = Set<Int64>()
        var chosen = all.map { move in
            let inside = inScope.contains(move.to) || move.from.map(inScope.contains) == true
            if inside, let from = move.from { givers.insert(from) }
            return inside
        }
        // Receipts of givers, whose own givers then come in too, until no new giver appears.
        var added = true
        while added {
            added = false
            for (i, move) in all.enumerated() where !chosen[i] && givers.contains(move.to) {
                chosen[i] = true
                added = true
                if let from = move.from { givers.insert(from) }
            }
        }
        return all.indices.filter { chosen[$0] }
    }

    /// The member records of a bundle, encoded and in body order, from the stored members of its
    /// teams in the order (team, name, id): namesakes ranked, ids and phones left out without
    /// `includePhones`.
    static func memberLines(_ stored: [MemberRecord], includePhones: Bool) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var namesakes: [String: Int] = [:]
        var line = BundleLineWriter()
        for var member in stored {
            let key = "\(member.team)|\(member.name)"
            member.namesake = (namesakes[key] ?? 0) + 1
            namesakes[key] = member.namesake
            if !includePhones { member.id = nil; member.phone = nil }
            member.encode(&line)
            lines.append(line.bytes)
            line.clear()
        }
        return lines.sorted { $0.lexicographicallyPrecedes($1) }
    }
}

extension BundleSelection {
    /// Writes a bundle's approval and audit records (format 3): the states of the units in scope
    /// (`inScope`: area ids, all when nil; `code` names an id), and the audit rows of those areas
    /// made since the scope's day (rows of no area only in a bundle of the whole workspace).
    static func writeClosing(approvals: [ApprovalRow], histories: [AreaHistoryRecord] = [], audit: [AuditEntry], inScope: Set<Int64>?,
                             code: (Int64) -> String, counts: inout BundleCounts, into writer: inout BundleWriter,
                             line: inout BundleLineWriter) throws {
        let codes = inScope.map { Set($0.map(code)) }
        for row in approvals.sorted(by: { ($0.code, $0.period.description) < ($1.code, $1.period.description) })
        where inScope?.contains(row.areaID) ?? true {
            ApprovalRecord(row).encode(&line)
            try writer.write(&line)
            counts.approvals += 1
        }
        for record in histories {
            record.encode(&line)
            try writer.write(&line)
            counts.areaHistories += 1
        }
        try writer.markContentEnd()
        for entry in audit {
            if let codes { guard let area = entry.area, codes.contains(area) else { continue } }
            AuditRecord(entry: entry).encode(&line)
            try writer.write(&line)
            counts.audit += 1
        }
    }
}

/// The sessions a bundle holds, as a join clause on `session s`: those in the subtree of
/// `under` dated (or voided) since `since`, and the sessions that replaced them.
struct SessionSelection {
    var under: Int64?
    var since: Day?

    /// Empty when every session is selected.
    var join: String { join(under: "?1", since: "?2") }

    /// The join clause with these parameter markers for the area id and the day (PostgreSQL's
    /// `$1::bigint`).
    func join(under u: String, since d: String) -> String {
        guard under != nil || since != nil else { return "" }
        let area = under == nil ? "\(u) IS NULL" : "s.area_id IN (SELECT id FROM sub)"
        let time = since == nil ? "\(d) IS NULL" : "(s.day >= \(d) OR s.id IN (SELECT session_id FROM session_void WHERE day >= \(d)))"
        return """
            JOIN (WITH RECURSIVE sub(id) AS (SELECT \(u) UNION ALL SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id),
                sel0(id) AS (SELECT s.id FROM session s WHERE \(area) AND \(time)
                    UNION SELECT v.replaced_by FROM session_void v JOIN sel0 ON v.session_id = sel0.id
                    WHERE v.replaced_by IS NOT NULL)
                SELECT id FROM sel0) sel ON sel.id = s.id
            """
    }

}
