import Foundation
import NIOCore
import PostgresNIO

// Bundles on PostgreSQL: export (merge is in +Merge, check and repair in +Check).
extension PostgresWorkspace {
    /// Writes a bundle of the rows in `scope` to `path` (named `name` in messages) from one
    /// consistent snapshot, and returns its header: the same records in the same order as
    /// `Store.exportBundle` writes from the same rows, so the same body and checksum.
    public func exportBundle(to path: String, name: String?, scope: BundleScope, now: Date) async throws -> BundleHeader {
        let name = name ?? path
        return try await read { connection in
            var writer = try BundleWriter(path: path, name: name)
            do {
                let header = try await Self.writeBundle(connection, scope: scope, now: now, into: &writer)
                try writer.finish(header: header)
                return header
            } catch {
                writer.discard()
                throw error
            }
        }
    }

    private static func writeBundle(_ connection: PostgresConnection, scope: BundleScope, now: Date,
                                    into writer: inout BundleWriter) async throws -> BundleHeader {
        let areas = try await storedAreas(connection)
        var root: Int64? = nil
        if let under = scope.under {
            guard let i = areas.index[under] else { throw BundleError.unknownArea(under) }
            root = areas.rows[i].id
        }
        let inScope = root.map(areas.subtree(of:))
        let selection = SessionSelection(under: root, since: scope.since)
        let join = selection.join(under: "$1::bigint", since: "$2::integer")
        func selected(_ sql: String) -> PostgresQuery {
            var binds = PostgresBindings()
            if !join.isEmpty {
                binds.append(root)
                binds.append(scope.since?.number)
            }
            return PostgresQuery(unsafeSQL: sql, binds: binds)
        }
        var teamCodes: [Int64: String] = [:]
        var teamAreas: [Int64: Int64] = [:]
        for try await (id, code, area) in try await connection.query("SELECT id, code, area_id FROM team", logger: quiet)
            .decode((Int64, String, Int64).self) {
            teamCodes[id] = code
            teamAreas[id] = area
        }

        // Which teams and areas the bundle needs: those in scope, and those its rows refer to.
        var teamIDs = Set<Int64>()
        var areaIDs = inScope ?? Set(areas.rows.map(\.id))
        if let inScope {
            for (id, area) in teamAreas where inScope.contains(area) { teamIDs.insert(id) }
            for try await (area, team) in try await connection.query(
                selected("SELECT DISTINCT s.area_id, s.team_id FROM session s \(join)"), logger: quiet).decode((Int64, Int64?).self) {
                areaIDs.insert(area)
                if let team { teamIDs.insert(team) }
            }
        } else {
            teamIDs = Set(teamCodes.keys)
        }
        var allMoves: [MoveRow] = []
        for try await row in try await connection.query("""
            SELECT uuid, day, from_area_id, to_area_id, quantity, batch, allowed_negative FROM leaflet_move
            WHERE day >= \(scope.since?.number ?? Int(Int32.min)) ORDER BY uuid
            """, logger: quiet) {
            let r = CellReader(row)
            allMoves.append(MoveRow(id: try r.id(0), day: try r.int(1) ?? 0, from: try r.int64(2), to: try r.int64(3) ?? 0,
                                    quantity: try r.int(4) ?? 0, batch: try r.text(5), allowedNegative: (try r.int(6) ?? 0) != 0))
        }
        let moves = BundleSelection.moves(allMoves.map { ($0.from, $0.to) }, inScope: inScope).map { allMoves[$0] }
        for move in moves {
            areaIDs.insert(move.to)
            if let from = move.from { areaIDs.insert(from) }
        }
        var teams: [TeamRecord] = []
        for try await row in try await connection.query("""
            SELECT t.id, t.code, t.name, t.kind, a.code, t.leader, t.leader_phone, t.formed, t.status, t.inactive_since, t.revised,
                t.area_id
            FROM team t JOIN area a ON a.id = t.area_id ORDER BY t.code COLLATE "C"
            """, logger: quiet) {
            let r = CellReader(row)
            guard let id = try r.int64(0), teamIDs.contains(id) else { continue }
            teams.append(try r.team(from: 1))
            if let area = try r.int64(11) { areaIDs.insert(area) }
        }

        // Units with dated history travel with it, and with the units it names.
        var histories: [AreaHistoryRecord] = []
        if try await Self.closingRows(connection, HistorySQL.anyDated, [], { $0[0].int ?? 0 }).first ?? 0 > 0 {
            (areaIDs, histories) = AreaHistoryRecord.selection(try await Self.areaHistory(connection), ids: areaIDs)
        }
        var counts = BundleCounts()
        var line = BundleLineWriter()
        for i in areas.closedUpward(areaIDs) {
            areas.rows[i].record(parent: areas.parentCode(of: i)).encode(&line)
            try writer.write(&line)
            counts.areas += 1
        }
        for var team in teams {
            if !scope.includePhones { team.leaderPhone = nil }
            team.encode(&line)
            try writer.write(&line)
            counts.teams += 1
        }
        var members: [MemberRecord] = []
        for try await row in try await connection.query("""
            SELECT m.id, m.uuid, t.code, m.name, m.phone, m.role, m.joined, m."left", m.revised, m.team_id
            FROM member m JOIN team t ON t.id = m.team_id ORDER BY m.team_id, m.name COLLATE "C", m.uuid
            """, logger: quiet) {
            let r = CellReader(row)
            guard let team = try r.int64(9), teamIDs.contains(team) else { continue }
            members.append(try r.member(from: 1))
        }
        for bytes in BundleSelection.memberLines(members, includePhones: scope.includePhones) {
            try writer.write(bytes)
            counts.members += 1
        }
        let metricColumns = Metric.allCases.map { "s.\($0.code)" }.joined(separator: ", ")
        let width = MetricValues.width
        for try await row in try await connection.query(selected("""
            SELECT s.uuid, s.day, s.area_id, s.team_id, s.logged_by, \(metricColumns), s.notes, v.day, v.reason, r.uuid, s.row_key
            FROM session s \(join)
            LEFT JOIN session_void v ON v.session_id = s.id LEFT JOIN session r ON r.id = v.replaced_by
            ORDER BY s.uuid
            """), logger: quiet) {
            let r = CellReader(row)
            var metrics = MetricValues()
            for m in 0..<width { metrics.values[m] = try r.int(5 + m) }
            var void: VoidRecord? = nil
            if let day = try r.int(6 + width) {
                void = VoidRecord(day: Day(number: day), reason: try r.text(7 + width) ?? "", replacedBy: try r.id(8 + width))
                counts.voids += 1
            }
            SessionRecord(id: try r.id(0) ?? StableID.derived(from: ""), day: Day(number: try r.int(1) ?? 0),
                          area: areas.code(of: try r.int64(2) ?? 0), team: try r.int64(3).flatMap { teamCodes[$0] },
                          loggedBy: try r.text(4), metrics: metrics, notes: try r.text(5 + width), key: try r.id(9 + width),
                          void: void).encode(&line)
            try writer.write(&line)
            counts.sessions += 1
        }
        for try await row in try await connection.query(selected("""
            SELECT s.uuid, m.metric, m.value FROM session_metric m JOIN session s ON s.id = m.session_id
            \(join)
            ORDER BY s.uuid, m.metric COLLATE "C"
            """), logger: quiet) {
            let r = CellReader(row)
            SessionMetricRecord(session: try r.id(0) ?? StableID.derived(from: ""), metric: try r.text(1) ?? "",
                                value: try r.int(2) ?? 0).encode(&line)
            try writer.write(&line)
            counts.sessionMetrics += 1
        }
        for move in moves {
            MoveRecord(id: move.id ?? StableID.derived(from: ""), day: Day(number: move.day), from: move.from.map(areas.code(of:)),
                       to: areas.code(of: move.to), quantity: move.quantity, batch: move.batch,
                       allowedNegative: move.allowedNegative).encode(&line)
            try writer.write(&line)
            counts.leafletMoves += 1
        }
        let (auditSQL, auditValues) = ClosingSQL.listAudit(AuditQuery(since: scope.since))
        let audit = try await Self.closingRows(connection, auditSQL, auditValues) { cells in
            try? ClosingSQL.auditEntry(bytes: { cells[$0].blob }, text: { cells[$0].text })
        }.compactMap { $0 }
        try BundleSelection.writeClosing(approvals: try await Self.approvalRows(connection, period: nil), histories: histories, audit: audit,
                                         inScope: inScope,
                                         code: areas.code(of:), counts: &counts, into: &writer, line: &line)
        let body = try writer.seal()
        var workspace = ""
        for try await id in try await connection.query("SELECT id FROM workspace", logger: quiet).decode(String.self) { workspace = id }
        return BundleHeader(workspace: workspace, exported: Store.isoTimestamp(now), under: scope.under, since: scope.since,
                            phones: scope.includePhones, counts: counts, bodyBytes: body.bytes, bodySHA256: body.sha256,
                            contentSHA256: writer.contentSHA256)
    }

    /// A leaflet move as stored.
    private struct MoveRow {
        var id: StableID?
        var day: Int
        var from: Int64?
        var to: Int64
        var quantity: Int
        var batch: String?
        var allowedNegative: Bool
    }

    /// Every area of the workspace, as a bundle's export and merge see them.
    static func storedAreas(_ connection: PostgresConnection) async throws -> StoredAreas {
        var rows: [StoredAreas.Stored] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(StoredAreas.Stored.columns) FROM area"),
                                                        logger: quiet) {
            let r = CellReader(row)
            rows.append(StoredAreas.Stored(
                id: try r.int64(0) ?? 0, code: try r.text(1) ?? "", name: try r.text(2) ?? "",
                level: AreaLevel(rawValue: try r.text(3) ?? "") ?? .hamlet, localKind: try r.text(4), parentID: try r.int64(5),
                attributes: AreaAttributes(population: try r.int(6), adults: try r.int(7), workingAge: try r.int(8),
                                           households: try r.int(9)),
                revised: try r.text(10) ?? ""))
        }
        return StoredAreas(rows)
    }
}

/// Reads the cells of one row by position, as the bundle code needs them.
struct CellReader {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    /// An integer column; read straight from the cell's bytes in the binary format (an export
    /// reads millions of them), else through postgres-nio's decoding.
    func int(_ i: Int) throws -> Int? {
        let cell = row[i]
        guard cell.bytes != nil else { return nil }
        switch cell.dataType {
        case .int8, .int4, .int2: return cell.int
        default: return try cell.decode(Int?.self)
        }
    }

    func int64(_ i: Int) throws -> Int64? { try int(i).map(Int64.init) }

    /// A text column; its bytes are UTF-8 in either format.
    func text(_ i: Int) throws -> String? {
        let cell = row[i]
        guard let bytes = cell.bytes else { return nil }
        switch cell.dataType {
        case .text, .varchar, .name: return String(buffer: bytes)
        default: return try cell.decode(String?.self)
        }
    }
    func bool(_ i: Int) throws -> Bool? { try row[i].decode(Bool?.self) }
    func day(_ i: Int) throws -> Day? { try int(i).map(Day.init(number:)) }

    /// A 16-byte id, nil for NULL.
    func id(_ i: Int) -> StableID? {
        guard let bytes = row[i].bytes, bytes.readableBytes == 16 else { return nil }
        return StableID(bytes: Array(bytes.readableBytesView))
    }

    /// A team from `code, name, kind, area code, leader, leader_phone, formed, status, inactive_since, revised` at `i`.
    func team(from i: Int) throws -> TeamRecord {
        TeamRecord(code: try text(i) ?? "", name: try text(i + 1) ?? "", kind: TeamKind(rawValue: try text(i + 2) ?? "") ?? .project06,
                   area: try text(i + 3) ?? "", leader: try text(i + 4), leaderPhone: try text(i + 5).flatMap(Phone.init(digits:)),
                   formed: try day(i + 6), status: TeamStatus(rawValue: try text(i + 7) ?? "") ?? .active,
                   inactiveSince: try day(i + 8), revised: try text(i + 9) ?? "")
    }

    /// A member (namesake rank 1) from `uuid, team code, name, phone, role, joined, left, revised` at `i`.
    func member(from i: Int) throws -> MemberRecord {
        MemberRecord(id: id(i), team: try text(i + 1) ?? "", name: try text(i + 2) ?? "",
                     phone: try text(i + 3).flatMap(Phone.init(digits:)), role: MemberRole(rawValue: try text(i + 4) ?? "") ?? .member,
                     joined: try day(i + 5), left: try day(i + 6), revised: try text(i + 7) ?? "")
    }
}
