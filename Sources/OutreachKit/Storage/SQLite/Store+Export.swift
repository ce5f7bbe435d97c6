import Foundation
import GRDB
import GRDBSQLite

/// What `outreach export` puts in a bundle.
public struct BundleScope: Equatable, Sendable {
    /// Only this area's subtree (with the ancestors, teams and areas its rows refer to).
    public var under: String?
    /// Only sessions dated on or after this day, or voided on or after it, and leaflet moves
    /// dated on or after it. Areas, teams and members in scope always come whole. With `under`,
    /// the moves into or out of the subtree come with the receipts of the areas that gave them.
    public var since: Day?
    /// Phone numbers of team leaders and members (and member ids, which derive from them).
    public var includePhones: Bool

    public init(under: String? = nil, since: Day? = nil, includePhones: Bool = false) {
        self.under = under
        self.since = since
        self.includePhones = includePhones
    }
}

extension Store {
    /// Writes a bundle of the rows in `scope` to `path` (named `name` in messages) from one
    /// consistent snapshot of the workspace, and returns its header.
    ///
    /// Rows come in a fixed order (areas parents first, then by code; teams by code; sessions by
    /// id …), so two workspaces holding the same rows write the same body, with the same checksum.
    /// `now` is the export time recorded in the header.
    public func exportBundle(to path: String, name: String? = nil, scope: BundleScope, now: Date) throws -> BundleHeader {
        let name = name ?? path
        var writer = try BundleWriter(path: path, name: name)
        do {
            let header = try read { db in
                // Sessions are read in id order, all over the file: memory-mapped pages spare a
                // system call per page.
                try db.execute(sql: "PRAGMA mmap_size = 4294967296")
                defer { try? db.execute(sql: "PRAGMA mmap_size = 0") }
                return try Store.writeBundle(db, scope: scope, now: now, into: &writer)
            }
            try writer.finish(header: header)
            return header
        } catch {
            writer.discard()
            throw StoreError.translate(error, path: self.path)
        }
    }

    private static func writeBundle(_ db: Database, scope: BundleScope, now: Date,
                                    into writer: inout BundleWriter) throws -> BundleHeader {
        let areas = try StoredAreas(db)
        var root: Int64? = nil
        if let under = scope.under {
            guard let i = areas.index[under] else { throw BundleError.unknownArea(under) }
            root = areas.rows[i].id
        }
        let inScope = root.map(areas.subtree(of:))
        let selection = SessionSelection(under: root, since: scope.since)
        let teamCodes = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, code FROM team").map {
            ($0[0] as Int64, $0[1] as String)
        })

        // Which teams and areas the bundle needs: those in scope, and those its rows refer to.
        var teamIDs = Set<Int64>()
        var areaIDs = inScope ?? Set(areas.rows.map(\.id))
        if let inScope {
            for row in try Row.fetchAll(db, sql: "SELECT id, area_id FROM team") where inScope.contains(row[1] as Int64) {
                teamIDs.insert(row[0])
            }
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT s.area_id, s.team_id FROM session s \(selection.join)",
                                        arguments: selection.arguments) {
                areaIDs.insert(row[0])
                if let team: Int64 = row[1] { teamIDs.insert(team) }
            }
        } else {
            teamIDs = Set(teamCodes.keys)
        }
        let moves = try Store.movesInScope(db, inScope: inScope, since: scope.since)
        for row in moves {
            areaIDs.insert(row[3])
            if let from: Int64 = row[2] { areaIDs.insert(from) }
        }
        let teams = try Row.fetchAll(db, sql: """
            SELECT \(TeamRecord.storedColumns), t.area_id FROM team t JOIN area a ON a.id = t.area_id ORDER BY t.code
            """).filter { teamIDs.contains($0[0]) }
        for team in teams { areaIDs.insert(team[11]) }

        // Units with dated history travel with it, and with the units it names.
        var histories: [AreaHistoryRecord] = []
        if try Int.fetchOne(db, sql: HistorySQL.anyDated) ?? 0 > 0 {
            (areaIDs, histories) = AreaHistoryRecord.selection(try Store.areaHistory(db), ids: areaIDs)
        }
        var counts = BundleCounts()
        var line = BundleLineWriter()
        for i in areas.closedUpward(areaIDs) {
            areas.rows[i].record(parent: areas.parentCode(of: i)).encode(&line)
            try writer.write(&line)
            counts.areas += 1
        }
        for row in teams {
            var team = TeamRecord(stored: row)
            if !scope.includePhones { team.leaderPhone = nil }
            team.encode(&line)
            try writer.write(&line)
            counts.teams += 1
        }
        let stored = try Row.fetchAll(db, sql: """
            SELECT \(MemberRecord.storedColumns), m.team_id FROM member m JOIN team t ON t.id = m.team_id
            ORDER BY m.team_id, m.name, m.uuid
            """).filter { teamIDs.contains($0[9]) }.map(MemberRecord.init(stored:))
        for bytes in BundleSelection.memberLines(stored, includePhones: scope.includePhones) {
            try writer.write(bytes)
            counts.members += 1
        }
        try writeSessions(db, selection: selection, areas: areas, teams: teamCodes, counts: &counts,
                          into: &writer, line: &line)
        for row in try Row.fetchAll(db, sql: """
            SELECT s.uuid, m.metric, m.value FROM session_metric m JOIN session s ON s.id = m.session_id
            \(selection.join)
            ORDER BY s.uuid, m.metric
            """, arguments: selection.arguments) {
            SessionMetricRecord(session: StableID(bytes: [UInt8](row[0] as Data))!, metric: row[1], value: row[2]).encode(&line)
            try writer.write(&line)
            counts.sessionMetrics += 1
        }
        for row in moves {
            MoveRecord(id: StableID(bytes: [UInt8](row[0] as Data))!, day: Day(number: row[1]),
                       from: (row[2] as Int64?).map(areas.code(of:)), to: areas.code(of: row[3]), quantity: row[4],
                       batch: row[5], allowedNegative: row[6]).encode(&line)
            try writer.write(&line)
            counts.leafletMoves += 1
        }
        let (auditSQL, auditValues) = ClosingSQL.listAudit(AuditQuery(since: scope.since))
        let audit = try Row.fetchAll(db, sql: auditSQL, arguments: Store.arguments(auditValues)).compactMap { row in
            try ClosingSQL.auditEntry(bytes: { (row[$0] as Data?).map { [UInt8]($0) } }, text: { row[$0] })
        }
        try BundleSelection.writeClosing(approvals: try Store.approvalRows(db, period: nil), histories: histories, audit: audit, inScope: inScope,
                                         code: areas.code(of:), counts: &counts, into: &writer, line: &line)
        let body = try writer.seal()
        return BundleHeader(workspace: try String.fetchOne(db, sql: "SELECT id FROM workspace") ?? "",
                            exported: Store.isoTimestamp(now), under: scope.under, since: scope.since,
                            phones: scope.includePhones, counts: counts, bodyBytes: body.bytes, bodySHA256: body.sha256,
                            contentSHA256: writer.contentSHA256)
    }

    /// The leaflet moves a bundle holds, by id (`BundleSelection.moves`).
    private static func movesInScope(_ db: Database, inScope: Set<Int64>?, since: Day?) throws -> [Row] {
        let all = try Row.fetchAll(db, sql: """
            SELECT uuid, day, from_area_id, to_area_id, quantity, batch, allowed_negative FROM leaflet_move
            WHERE day >= ? ORDER BY uuid
            """, arguments: [since?.number ?? Int.min])
        return BundleSelection.moves(all.map { (from: $0[2] as Int64?, to: $0[3] as Int64) }, inScope: inScope).map { all[$0] }
    }

    /// Streams the selected sessions, by id, through the C API (a province has millions).
    private static func writeSessions(_ db: Database, selection: SessionSelection, areas: StoredAreas,
                                      teams: [Int64: String], counts: inout BundleCounts,
                                      into writer: inout BundleWriter, line: inout BundleLineWriter) throws {
        let width = MetricValues.width
        let statement = try db.makeStatement(sql: """
            SELECT s.uuid, s.day, s.area_id, s.team_id, s.logged_by, \(Metric.allCases.map { "s.\($0.code)" }.joined(separator: ", ")),
                s.notes, v.day, v.reason, r.uuid, s.row_key
            FROM session s \(selection.join)
            LEFT JOIN session_void v ON v.session_id = s.id LEFT JOIN session r ON r.id = v.replaced_by
            ORDER BY s.uuid
            """)
        try statement.setArguments(selection.arguments)
        let c = SQLiteColumns(statement.sqliteStatement)
        defer { sqlite3_reset(c.stmt) }
        var metrics = MetricValues()
        while try c.step(db) {
            for m in 0..<width { metrics.values[m] = c.int(Int32(5 + m)) }
            var void: VoidRecord? = nil
            if let day = c.int(Int32(6 + width)) {
                void = VoidRecord(day: Day(number: day), reason: c.text(Int32(7 + width)) ?? "",
                                  replacedBy: c.id(Int32(8 + width)))
                counts.voids += 1
            }
            SessionRecord(id: c.id(0)!, day: Day(number: c.int(1)!), area: areas.code(of: Int64(c.int(2)!)),
                          team: c.int(3).flatMap { teams[Int64($0)] }, loggedBy: c.text(4), metrics: metrics,
                          notes: c.text(Int32(5 + width)), key: c.id(Int32(9 + width)), void: void).encode(&line)
            try writer.write(&line)
            counts.sessions += 1
        }
    }

    /// `date` as `YYYY-MM-DDTHH:MM:SSZ`, UTC.
    static func isoTimestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

extension TeamRecord {
    /// The row id and the columns `init(stored:)` reads, from `team t JOIN area a ON a.id = t.area_id`.
    static let storedColumns = "t.id, t.code, t.name, t.kind, a.code, t.leader, t.leader_phone, t.formed, t.status, t.inactive_since, t.revised"

    /// A stored team (with its phone), from a row that starts with `storedColumns`.
    init(stored row: Row) {
        self.init(code: row[1], name: row[2], kind: TeamKind(rawValue: row[3]) ?? .project06, area: row[4], leader: row[5],
                  leaderPhone: (row[6] as String?).flatMap(Phone.init(digits:)), formed: (row[7] as Int?).map(Day.init(number:)),
                  status: TeamStatus(rawValue: row[8]) ?? .active, inactiveSince: (row[9] as Int?).map(Day.init(number:)),
                  revised: row[10])
    }
}

extension MemberRecord {
    /// The row id and the columns `init(stored:)` reads, from `member m JOIN team t ON t.id = m.team_id`.
    static let storedColumns = "m.id, m.uuid, t.code, m.name, m.phone, m.role, m.joined, m.left, m.revised"

    /// A stored member (with id and phone, namesake rank 1), from a row that starts with `storedColumns`.
    init(stored row: Row) {
        self.init(id: StableID(bytes: [UInt8](row[1] as Data)), team: row[2], name: row[3],
                  phone: (row[4] as String?).flatMap(Phone.init(digits:)), role: MemberRole(rawValue: row[5]) ?? .member,
                  joined: (row[6] as Int?).map(Day.init(number:)), left: (row[7] as Int?).map(Day.init(number:)),
                  revised: row[8])
    }
}

extension SessionSelection {
    var arguments: StatementArguments {
        guard under != nil || since != nil else { return [] }
        return [under, since?.number]
    }
}

extension StoredAreas.Stored {
    /// The columns `init(row:)` reads, in its order.
    static let columns = "id, code, name, level, local_kind, parent_id, population, adults, working_age, households, revised"

    init(row r: Row) {
        self.init(id: r[0], code: r[1], name: r[2], level: AreaLevel(rawValue: r[3]) ?? .hamlet, localKind: r[4],
                  parentID: r[5], attributes: AreaAttributes(population: r[6], adults: r[7], workingAge: r[8], households: r[9]),
                  revised: r[10])
    }
}

extension StoredAreas {
    /// Every area of the workspace.
    init(_ db: Database) throws {
        self.init()
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(Stored.columns) FROM area")
        while let r = try cursor.next() { add(Stored(row: r)) }
    }
}

/// Reads the columns of a statement's current row through the C API.
struct SQLiteColumns {
    let stmt: OpaquePointer?

    init(_ stmt: OpaquePointer?) { self.stmt = stmt }

    /// Steps to the next row; false when there is none.
    func step(_ db: Database) throws -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }

    func int(_ i: Int32) -> Int? {
        sqlite3_column_type(stmt, i) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(stmt, i))
    }

    func text(_ i: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt, i) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(stmt, i))), as: UTF8.self)
    }

    func id(_ i: Int32) -> StableID? {
        guard sqlite3_column_bytes(stmt, i) == 16, let p = sqlite3_column_blob(stmt, i) else { return nil }
        return StableID(bytes: Array(UnsafeRawBufferPointer(start: p, count: 16)))
    }
}
