import Foundation
import NIOCore
import PostgresNIO

// Areas, teams, members, leaflets and search on PostgreSQL.
//
// What to write is worked out once for both engines (`AreaImportPlan`, `TeamImportPlan`,
// `MemberImportPlan`, `LeafletLedger`, `AreaSearch`); here it is read and written in bulk: COPY
// for new rows and for the values of updated ones, one query per table read, cells decoded from
// their bytes. Writers of one table take its SHARE ROW EXCLUSIVE lock, so two imports run one
// after the other as on SQLite, while sessions (which only reference areas and teams) go on.
extension PostgresWorkspace {
    // MARK: Areas

    public func importAreas(_ rows: [AreaRow], file: String, on day: Day) async throws -> AreaImportSummary {
        try await transaction { connection in
            try await connection.query("LOCK TABLE area IN SHARE ROW EXCLUSIVE MODE", logger: Self.quiet)
            var existing: [AreaImportPlan.Existing] = []
            var pendingAudit: [AuditEntry] = []
            let stored = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT \(AreaImportPlan.Existing.columns) FROM area"), logger: Self.quiet)
            for try await row in stored {
                var c = row.makeIterator()
                existing.append(AreaImportPlan.Existing(
                    id: Int64(c.next()?.int ?? 0), code: c.next()?.text ?? "", name: c.next()?.text ?? "",
                    level: AreaLevel(rawValue: c.next()?.text ?? "") ?? .hamlet, localKind: c.next()?.text,
                    parentID: c.next()?.int.map(Int64.init),
                    attributes: AreaAttributes(population: c.next()?.int, adults: c.next()?.int, workingAge: c.next()?.int,
                                               households: c.next()?.int)))
            }
            let plan = try AreaImportPlan(rows: rows, existing: existing, file: file)
            for entry in RosterAudit.areas(plan, existing: existing, file: file) { pendingAudit.append(entry) }

            // New areas get their ids first, in the plan's order (parents first, as SQLite numbers them).
            var idOf: [String: Int64] = [:]
            idOf.reserveCapacity(existing.count + plan.inserts)
            for area in existing { idOf[area.code] = area.id }
            var fresh: [Int64] = []
            if plan.inserts > 0 {
                fresh.reserveCapacity(plan.inserts)
                let ids = try await connection.query("""
                    SELECT nextval(pg_get_serial_sequence('area', 'id')) FROM generate_series(1, \(plan.inserts))
                    """, logger: Self.quiet)
                for try await id in ids.decode(Int64.self) { fresh.append(id) }
                fresh.sort()
            }
            var inserts = CopyText(), updates = CopyText()
            var next = 0
            for step in plan.steps {
                // Parents come first: a parent's id is known before its children are written.
                switch step {
                case let .insert(row):
                    idOf[row.code] = fresh[next]
                    inserts.add(fresh[next])
                    inserts.add(row.code)
                    inserts.add(row.name)
                    inserts.add(row.level.rawValue)
                    inserts.add(row.localKind)
                    inserts.add(row.parentCode.flatMap { idOf[$0] })
                    inserts.add(row.attributes)
                    inserts.add(row.searchKey)
                    inserts.endRow()
                    next += 1
                case let .update(row, id):
                    updates.add(id)
                    updates.add(row.name)
                    updates.add(row.level.rawValue)
                    updates.add(row.localKind)
                    updates.add(row.parentCode.flatMap { idOf[$0] })
                    updates.add(row.attributes)
                    updates.add(row.searchKey)
                    updates.endRow()
                }
            }
            try await inserts.copy(into: "area", ["id", "code", "name", "level", "local_kind", "parent_id", "population",
                                                  "adults", "working_age", "households", "search_key"], connection)
            if !updates.isEmpty {
                try await connection.query("""
                    CREATE TEMP TABLE area_import_update (id BIGINT, name TEXT, level TEXT, local_kind TEXT, parent_id BIGINT,
                        population BIGINT, adults BIGINT, working_age BIGINT, households BIGINT, search_key TEXT) ON COMMIT DROP
                    """, logger: Self.quiet)
                try await updates.copy(into: "area_import_update", ["id", "name", "level", "local_kind", "parent_id", "population",
                                                                    "adults", "working_age", "households", "search_key"], connection)
                try await connection.query("""
                    UPDATE area a SET name = u.name, level = u.level, local_kind = u.local_kind, parent_id = u.parent_id,
                        population = u.population, adults = u.adults, working_age = u.working_age,
                        households = u.households, search_key = u.search_key
                    FROM area_import_update u WHERE a.id = u.id
                    """, logger: Self.quiet)
            }
            var history = CopyText()
            for change in plan.changes {
                history.add(change.areaID)
                history.add(day.number)
                history.add(change.change)
                history.add(change.oldName)
                history.add(change.oldParentID)
                history.endRow()
            }
            try await history.copy(into: "area_change", ["area_id", "day", "change", "old_name", "old_parent_id"], connection)
            for entry in pendingAudit { try await Self.audit(connection, entry) }
            for values in rows.compactMap(ProvenanceSQL.values) { _ = try await Self.closingRows(connection, ProvenanceSQL.upsert, values) { _ in 0 } }
            return plan.summary
        }
    }

    public func areaTree(addingRoot root: (code: String, name: String)?) async throws -> AreaTree {
        let root = root.map { RootName(code: $0.code, name: $0.name) }
        return try await read { connection in
            var rows = try await Self.areaRows(connection, PostgresQuery(unsafeSQL: "SELECT \(AreaRows.columns) FROM area ORDER BY id"))
            return rows.tree(addingRoot: root.map { ($0.code, $0.name) }, complete: false)!
        }
    }

    public func areaTree(around code: String, addingRoot root: (code: String, name: String)?) async throws -> AreaTree? {
        let root = root.map { RootName(code: $0.code, name: $0.name) }
        return try await read { connection in
            let found = try await connection.query("SELECT 1 FROM area WHERE code = \(code)", logger: Self.quiet)
            guard try await found.collect().first != nil else { return nil }
            var binds = PostgresBindings()
            binds.append(code)
            var rows = try await Self.areaRows(connection, PostgresQuery(unsafeSQL: AreaRows.aroundSQL, binds: binds))
            return rows.tree(addingRoot: root.map { ($0.code, $0.name) }, complete: false)!
        }
    }

    public func findAreas(_ query: String, limit: Int) async throws -> [AreaMatch] {
        let search = AreaSearch(query)
        if search.isEmpty { return [] }
        return try await read { connection in
            var binds = PostgresBindings()
            binds.append(search.likePattern(escapingBackslash: true))
            binds.append(query.trimmingCharacters(in: .whitespaces))
            var candidates: [AreaSearch.Candidate] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: AreaSearch.candidatesSQL, binds: binds),
                                                            logger: Self.quiet) {
                var c = row.makeIterator()
                candidates.append(AreaSearch.Candidate(
                    id: Int64(c.next()?.int ?? 0), code: c.next()?.text ?? "", name: c.next()?.text ?? "",
                    level: AreaLevel(rawValue: c.next()?.text ?? "") ?? .hamlet, key: c.next()?.text ?? ""))
            }
            let hits = search.best(candidates, limit: limit)
            // Every hit's ancestors in one query (64 at most, against a loop in a damaged tree).
            var ancestors: [Int64: [String]] = [:]
            let ids = hits.map(\.candidate.id)
            let up = try await connection.query("""
                WITH RECURSIVE up(hit, parent_id, n) AS (
                    SELECT id, parent_id, 0 FROM area WHERE id = ANY(\(ids))
                    UNION ALL SELECT up.hit, a.parent_id, up.n + 1 FROM up JOIN area a ON a.id = up.parent_id WHERE up.n < 63)
                SELECT up.hit, a.name FROM up JOIN area a ON a.id = up.parent_id ORDER BY up.hit, up.n
                """, logger: Self.quiet)
            for try await (hit, name) in up.decode((Int64, String).self) { ancestors[hit, default: []].append(name) }
            return hits.map { AreaSearch.match($0.candidate, exactAccents: $0.exactAccents, ancestors: ancestors[$0.candidate.id] ?? []) }
        }
    }

    /// Area rows as `query` (the columns of `AreaRows.columns`, in id order) reads them.
    private static func areaRows(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> AreaRows {
        var rows = AreaRows()
        for try await row in try await connection.query(query, logger: quiet) {
            var c = row.makeIterator()
            let id = Int64(c.next()?.int ?? 0)
            let code = c.next()?.text ?? "", name = c.next()?.text ?? ""
            let level = AreaLevel(rawValue: c.next()?.text ?? "") ?? .hamlet
            let localKind = c.next()?.text
            rows.ids.append(id)
            rows.parents.append(c.next()?.int.map(Int64.init) ?? -1)
            rows.nodes.append(AreaTree.Node(
                id: id, code: code, name: name, level: level, localKind: localKind, parent: nil,
                attributes: AreaAttributes(population: c.next()?.int, adults: c.next()?.int, workingAge: c.next()?.int,
                                           households: c.next()?.int)))
        }
        return rows
    }

    // MARK: Teams

    public func importTeams(_ rows: [TeamRow], file: String, on day: Day) async throws -> RosterImportSummary {
        try await transaction { connection in
            try await connection.query("LOCK TABLE team IN SHARE ROW EXCLUSIVE MODE", logger: Self.quiet)
            let areaIDs = try await Self.areaIDs(connection, codes: Array(Set(rows.map(\.team.areaCode))))
            let stored = try await Self.storedTeams(connection)
            let plan = try TeamImportPlan(rows: rows, file: file, on: day, areaExists: { areaIDs[$0] != nil }, existing: stored)
            var inserts = CopyText(), updates = CopyText()
            for step in plan.steps {
                switch step {
                case let .insert(t):
                    inserts.add(t.code)
                    inserts.addRest(of: t, areaID: areaIDs[t.areaCode])
                case let .update(t, id):
                    updates.add(id)
                    updates.addRest(of: t, areaID: areaIDs[t.areaCode])
                }
            }
            try await inserts.copy(into: "team", ["code", "name", "kind", "area_id", "leader", "leader_phone", "formed",
                                                  "status", "inactive_since"], connection)
            if !updates.isEmpty {
                try await connection.query("""
                    CREATE TEMP TABLE team_import_update (id BIGINT, name TEXT, kind TEXT, area_id BIGINT, leader TEXT,
                        leader_phone TEXT, formed INTEGER, status TEXT, inactive_since INTEGER) ON COMMIT DROP
                    """, logger: Self.quiet)
                try await updates.copy(into: "team_import_update", ["id", "name", "kind", "area_id", "leader", "leader_phone",
                                                                    "formed", "status", "inactive_since"], connection)
                try await connection.query("""
                    UPDATE team t SET name = u.name, kind = u.kind, area_id = u.area_id, leader = u.leader,
                        leader_phone = u.leader_phone, formed = u.formed, status = u.status, inactive_since = u.inactive_since
                    FROM team_import_update u WHERE t.id = u.id
                    """, logger: Self.quiet)
            }
            for entry in RosterAudit.teams(plan, existing: stored, file: file) { try await Self.audit(connection, entry) }
            return plan.summary
        }
    }

    public func addTeam(_ team: Team, on day: Day) async throws {
        try await transaction { connection in
            try await connection.query("LOCK TABLE team IN SHARE ROW EXCLUSIVE MODE", logger: Self.quiet)
            let areaID = try await Self.areaIDs(connection, codes: [team.areaCode])[team.areaCode]
            let taken = try await connection.query("SELECT 1 FROM team WHERE code = \(team.code)", logger: Self.quiet)
            let t = try TeamImportPlan.adding(team, on: day, areaKnown: areaID != nil,
                                              codeTaken: try await taken.collect().first != nil)
            try await connection.query("""
                INSERT INTO team (code, name, kind, area_id, leader, leader_phone, formed, status, inactive_since)
                VALUES (\(t.code), \(t.name), \(t.kind.rawValue), \(areaID), \(t.leader), \(t.leaderPhone?.digits),
                        \(t.formed?.number), \(t.status.rawValue), \(t.inactiveSince?.number))
                """, logger: Self.quiet)
            try await Self.audit(connection, RosterAudit.team(t))
        }
    }

    public func teamCodes() async throws -> [Int64: String] {
        try await read { connection in
            var out: [Int64: String] = [:]
            for try await (id, code) in try await connection.query("SELECT id, code FROM team", logger: Self.quiet)
                .decode((Int64, String).self) {
                out[id] = code
            }
            return out
        }
    }

    public func teams() async throws -> [Team] {
        try await read { connection in
            try await Self.storedTeams(connection).values.map(\.team).sorted { $0.code < $1.code }
        }
    }

    // MARK: Members

    public func importMembers(_ rows: [MemberRow], file: String) async throws -> RosterImportSummary {
        try await transaction { connection in
            try await connection.query("LOCK TABLE member IN SHARE ROW EXCLUSIVE MODE", logger: Self.quiet)
            let stored = try await Self.storedMembers(connection)
            let plan = try MemberImportPlan(rows: rows, file: file, teams: try await Self.storedTeams(connection), existing: stored)
            // The plan puts rows that stop being a current leader first; PostgreSQL checks the
            // one-leader index row by row, so they are written first too.
            var phases: [(inserts: CopyText, updates: CopyText)] = [(CopyText(), CopyText()), (CopyText(), CopyText())]
            for step in plan.steps {
                switch step {
                case let .insert(m, teamID):
                    let phase = m.isCurrentLeader ? 1 : 0
                    phases[phase].inserts.add(m.id)
                    phases[phase].inserts.add(teamID)
                    phases[phase].inserts.add(m.name)
                    phases[phase].inserts.add(m.phone?.digits)
                    phases[phase].inserts.addRest(of: m)
                case let .update(m, id):
                    let phase = m.isCurrentLeader ? 1 : 0
                    phases[phase].updates.add(id)
                    phases[phase].updates.addRest(of: m)
                }
            }
            if phases.contains(where: { !$0.updates.isEmpty }) {
                try await connection.query("""
                    CREATE TEMP TABLE member_import_update (id BIGINT, role TEXT, joined INTEGER, "left" INTEGER) ON COMMIT DROP
                    """, logger: Self.quiet)
            }
            for phase in phases {
                if !phase.updates.isEmpty {
                    try await connection.query("TRUNCATE member_import_update", logger: Self.quiet)
                    try await phase.updates.copy(into: "member_import_update", ["id", "role", "joined", "left"], connection)
                    try await connection.query("""
                        UPDATE member m SET role = u.role, joined = u.joined, "left" = u."left"
                        FROM member_import_update u WHERE m.id = u.id
                        """, logger: Self.quiet)
                }
                try await phase.inserts.copy(into: "member", ["uuid", "team_id", "name", "phone", "role", "joined", "left"],
                                             connection)
            }
            for entry in RosterAudit.members(plan, existing: stored, file: file) { try await Self.audit(connection, entry) }
            return plan.summary
        }
    }

    public func addMember(_ member: Member) async throws -> (id: StableID, warnings: [Warning]) {
        let result = try await transaction { connection in
            try await connection.query("LOCK TABLE member IN SHARE ROW EXCLUSIVE MODE", logger: Self.quiet)
            let team = try await Self.storedTeams(connection, code: member.teamCode)[member.teamCode]
            var existing: [StableID: StoredMember] = [:]
            if let team { existing = try await Self.storedMembers(connection, teamID: team.id) }
            let warnings = try MemberImportPlan.adding(member, team: team, existing: existing)
            let m = member
            try await connection.query("""
                INSERT INTO member (uuid, team_id, name, phone, role, joined, "left")
                VALUES (\(Data(m.id.bytes)), \(team?.id), \(m.name), \(m.phone?.digits), \(m.role.rawValue),
                        \(m.joined?.number), \(m.left?.number))
                """, logger: Self.quiet)
            try await Self.audit(connection, RosterAudit.member(m))
            return AddedMember(warnings: warnings)
        }
        return (member.id, result.warnings)
    }

    public func members(ofTeam code: String?) async throws -> [Member] {
        try await read { connection in
            var teamID: Int64? = nil
            if let code {
                guard let team = try await Self.storedTeams(connection, code: code)[code] else { throw TeamError.unknownTeam(code) }
                teamID = team.id
            }
            return StoredMember.listed(try await Self.storedMembers(connection, teamID: teamID).values)
        }
    }

    public func memberCounts(on day: Day) async throws -> [String: Int] {
        try await read { connection in
            var binds = PostgresBindings()
            binds.append(day.number)
            var counts: [String: Int] = [:]
            let rows = try await connection.query(PostgresQuery(unsafeSQL: StoredMember.countsSQL, binds: binds), logger: Self.quiet)
            for try await (code, n) in rows.decode((String, Int).self) { counts[code] = n }
            return counts
        }
    }

    /// Ids of the areas among `codes` that exist, by code.
    private static func areaIDs(_ connection: PostgresConnection, codes: [String]) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        let rows = try await connection.query("SELECT code, id FROM area WHERE code = ANY(\(codes))", logger: quiet)
        for try await (code, id) in rows.decode((String, Int64).self) { ids[code] = id }
        return ids
    }

    /// Every team (only the one with `code` when given), by code.
    private static func storedTeams(_ connection: PostgresConnection, code: String? = nil) async throws -> [String: StoredTeam] {
        var binds = PostgresBindings()
        var sql = StoredTeam.selectSQL
        if let code {
            sql += " WHERE t.code = $1"
            binds.append(code)
        }
        var teams: [String: StoredTeam] = [:]
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: quiet) {
            var c = row.makeIterator()
            let id = Int64(c.next()?.int ?? 0)
            let team = StoredTeam.team(code: c.next()?.text ?? "", name: c.next()?.text ?? "", kind: c.next()?.text ?? "",
                                       areaCode: c.next()?.text ?? "", leader: c.next()?.text, leaderPhone: c.next()?.text,
                                       formed: c.next()?.int, status: c.next()?.text ?? "", inactiveSince: c.next()?.int)
            teams[team.code] = StoredTeam(id: id, team: team)
        }
        return teams
    }

    /// Stored members by their stable id, of one team or of all.
    private static func storedMembers(_ connection: PostgresConnection, teamID: Int64? = nil) async throws -> [StableID: StoredMember] {
        var members: [StableID: StoredMember] = [:]
        let sql = StoredMember.selectSQL(teamID.map { "WHERE m.team_id = \($0)" } ?? "")
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quiet) {
            var c = row.makeIterator()
            let id = Int64(c.next()?.int ?? 0)
            let (key, member) = StoredMember.member(
                uuid: c.next()?.blob ?? [], teamCode: c.next()?.text ?? "", name: c.next()?.text ?? "", phone: c.next()?.text,
                role: c.next()?.text ?? "", joined: c.next()?.int, left: c.next()?.int)
            members[key] = StoredMember(id: id, member: member)
        }
        return members
    }

    // MARK: Leaflets

    public func receiveLeaflets(into code: String, quantity: Int, on day: Day, batch: String?, id: UUID) async throws -> LeafletRecord {
        let move = try LeafletLedger.move(id: id, day: day, from: nil, to: code, quantity: quantity, batch: batch)
        return try await transaction { connection in
            let to = try await Self.leafletUnit(connection, code: code)
            try await Self.insert(move, fromID: nil, toID: to.id, allowedNegative: false, connection)
            let onHand = try await Self.stockChanges(connection, areaID: to.id).reduce(0) { $0 + $1.change }
            return LeafletRecord(move: move, to: .init(code: code, name: to.name, onHand: onHand))
        }
    }

    /// The giver's row is locked before its stock is read: two allocations from one unit run
    /// one after the other, and the second counts the first.
    public func allocateLeaflets(from fromCode: String, to toCode: String, quantity: Int, on day: Day, batch: String?,
                                 allowNegative: Bool, id: UUID) async throws -> LeafletRecord {
        let move = try LeafletLedger.move(id: id, day: day, from: fromCode, to: toCode, quantity: quantity, batch: batch)
        return try await transaction { connection in
            let from = try await Self.leafletUnit(connection, code: fromCode, locking: true)
            let to = try await Self.leafletUnit(connection, code: toCode)
            try LeafletLedger.checkNotItself(move, from: from, to: to)
            var binds = PostgresBindings()
            binds.append(to.id)
            binds.append(from.id)
            var below = false
            let rows = try await connection.query(PostgresQuery(unsafeSQL: LeafletLedger.isAncestorSQL, binds: binds), logger: Self.quiet)
            for try await value in rows.decode(Bool.self) { below = value }
            try LeafletLedger.checkBelow(move, from: from, to: to, below: below)
            let changes = try await Self.stockChanges(connection, areaID: from.id)
            let low = try LeafletLedger.lowest(before: move, from: from, changes: changes, allowNegative: allowNegative)
            try await Self.insert(move, fromID: from.id, toID: to.id, allowedNegative: low.onHand < quantity, connection)
            let toOnHand = try await Self.stockChanges(connection, areaID: to.id).reduce(0) { $0 + $1.change }
            return LeafletLedger.allocated(move, from: from, to: to, low: low, fromChanges: changes, toOnHand: toOnHand)
        }
    }

    public func leafletMoves(through day: Day?) async throws -> [LeafletMove] {
        try await read { connection in
            var binds = PostgresBindings()
            binds.append(day?.number ?? Int.max)
            var moves: [LeafletMove] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: LeafletLedger.movesSQL, binds: binds),
                                                            logger: Self.quiet) {
                var c = row.makeIterator()
                moves.append(LeafletMove(id: LeafletLedger.uuid(c.next()?.blob ?? []), day: Day(number: c.next()?.int ?? 0),
                                         from: c.next()?.text, to: c.next()?.text ?? "", quantity: c.next()?.int ?? 0,
                                         batch: c.next()?.text))
            }
            return moves
        }
    }

    /// Summed from the live sessions themselves (PostgreSQL keeps no monthly running totals of
    /// leaflets to start from).
    public func leafletsHandedOut(through day: Day?, areas: [Int64]?) async throws -> [String: Int] {
        // The monthly totals of the whole months, the sessions of the last, partial one.
        let firstOfMonth = day.map { d in Day(year: d.components.year, month: d.components.month, day: 1)!.number } ?? Int.max
        var binds = PostgresBindings()
        binds.append(day?.monthIndex ?? Int(Int32.max))
        binds.append(firstOfMonth)
        binds.append(day?.number ?? Int(Int32.max))
        let only = areas.map { binds.append($0); return " AND area_id = ANY($4)" } ?? ""
        let query = PostgresQuery(unsafeSQL: """
            SELECT a.code, CAST(sum(x.n) AS BIGINT) FROM (
                SELECT area_id, leaflets AS n FROM area_month WHERE leaflets > 0 AND month < $1\(only)
                UNION ALL
                SELECT s.area_id, s.leaflets FROM session s WHERE s.leaflets > 0 AND s.day BETWEEN $2 AND $3\(only.replacingOccurrences(of: "area_id", with: "s.area_id"))
                  AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            ) x JOIN area a ON a.id = x.area_id
            GROUP BY a.code
            """, binds: binds)
        return try await read { connection in
            var out: [String: Int] = [:]
            let rows = try await connection.query(query, logger: Self.quiet)
            for try await (code, n) in rows.decode((String, Int).self) where n > 0 { out[code] = n }
            return out
        }
    }

    private static func leafletUnit(_ connection: PostgresConnection, code: String,
                                    locking: Bool = false) async throws -> LeafletLedger.Unit {
        var binds = PostgresBindings()
        binds.append(code)
        let sql = "SELECT id, name FROM area WHERE code = $1" + (locking ? " FOR NO KEY UPDATE" : "")
        for try await (id, name) in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: quiet)
            .decode((Int64, String).self) {
            return LeafletLedger.Unit(id: id, name: name)
        }
        throw AreaLookupError.unknownCode(code)
    }

    private static func insert(_ move: LeafletMove, fromID: Int64?, toID: Int64, allowedNegative: Bool,
                               _ connection: PostgresConnection) async throws {
        let bytes = withUnsafeBytes(of: move.id.uuid) { Data($0) }
        try await connection.query("""
            INSERT INTO leaflet_move (uuid, day, from_area_id, to_area_id, quantity, batch, allowed_negative, moved_by)
            VALUES (\(bytes), \(move.day.number), \(fromID), \(toID), \(move.quantity), \(move.batch), \(allowedNegative ? 1 : 0),
                    \(Recorder.current.name))
            """, logger: quiet)
        try await audit(connection, RosterAudit.leaflets(move))
    }

    private static func stockChanges(_ connection: PostgresConnection, areaID: Int64) async throws -> [(day: Day, change: Int)] {
        var binds = PostgresBindings()
        binds.append(areaID)
        var changes: [(day: Day, change: Int)] = []
        for try await (day, change) in try await connection.query(PostgresQuery(unsafeSQL: LeafletLedger.stockChangesSQL, binds: binds),
                                                                  logger: quiet).decode((Int, Int).self) {
            changes.append((Day(number: day), change))
        }
        return changes
    }
}

/// A root's code and name, `Sendable` across the transaction's closure.
private struct RootName: Sendable {
    var code: String
    var name: String
}

/// What adding a member returns from its transaction.
private struct AddedMember: Sendable {
    var warnings: [Warning]
}

extension CopyText {
    /// Whether no row has been written.
    fileprivate var isEmpty: Bool { bytes.isEmpty }

    /// The four denominators, in `area`'s column order.
    fileprivate mutating func add(_ a: AreaAttributes) {
        add(a.population)
        add(a.adults)
        add(a.workingAge)
        add(a.households)
    }

    /// A team's columns after its code (the area's id given), and the row's end.
    fileprivate mutating func addRest(of t: Team, areaID: Int64?) {
        add(t.name)
        add(t.kind.rawValue)
        add(areaID)
        add(t.leader)
        add(t.leaderPhone?.digits)
        add(t.formed?.number)
        add(t.status.rawValue)
        add(t.inactiveSince?.number)
        endRow()
    }

    /// A member's role and dates, and the row's end.
    fileprivate mutating func addRest(of m: Member) {
        add(m.role.rawValue)
        add(m.joined?.number)
        add(m.left?.number)
        endRow()
    }

    /// Sends the rows into `table`'s `columns`, a megabyte at a time (nothing when there are none).
    func copy(into table: String, _ columns: [String], _ connection: PostgresConnection) async throws {
        if isEmpty { return }
        let all = bytes
        try await connection.copyFrom(table: table, columns: columns, logger: PostgresWorkspace.quiet) { writer in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + (1 << 20))
                try await writer.write(ByteBuffer(bytes: all[start..<end]))
                start = end
            }
        }
    }
}
