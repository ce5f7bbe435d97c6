import Foundation
import Logging
import NIOCore
import PostgresNIO

extension PostgresWorkspace {
    /// An arbitrary key for `pg_advisory_xact_lock`, taken by a merge ("OUMG"): two merges
    /// into one workspace run one after the other.
    static let mergeLock: Int64 = 0x4F55_4D47

    /// Merges the bundle at `path` (named `name` in messages), all or nothing, with the
    /// semantics of `Store.mergeBundle`: the same summary, notes, problems and merge log.
    ///
    /// Areas, teams and members (a few thousand) are decided one by one, as on SQLite; the
    /// sessions and their campaign counts (millions) are streamed with COPY into temporary
    /// tables and applied set-based, in the same transaction. The running totals follow the
    /// inserted sessions, voids and counts through the totals' triggers.
    public func mergeBundle(file path: String, name: String?, today: Day, now: Date, setAsideConflicts: Bool) async throws -> MergeSummary {
        let reader = try BundleReader(path: path, name: name ?? path)
        let stamp = Store.isoTimestamp(now)
        let latest = RevisionStamp.latestAccepted(now: now)
        return try await transaction { connection in
            var merge = try await PostgresMerge(connection, reader: reader, today: today, now: stamp, latestStamp: latest,
                                                setAsideConflicts: setAsideConflicts)
            try await merge.run()
            return merge.ledger.summary
        }
    }
}

/// One merge of a verified bundle inside a PostgreSQL transaction (see
/// `PostgresWorkspace.mergeBundle`).
struct PostgresMerge {
    let connection: PostgresConnection
    let reader: BundleReader
    let today: Day
    let now: String
    private(set) var ledger: MergeLedger

    private var areas: StoredAreas
    private var parentsChanged = false
    private var teams: [String: (id: Int64, record: TeamRecord)] = [:]
    private var memberMerge = MemberMerge()
    private var phase = 0

    private var logger: Logger { PostgresWorkspace.quiet }

    init(_ connection: PostgresConnection, reader: BundleReader, today: Day, now: String, latestStamp: String,
         setAsideConflicts: Bool) async throws {
        self.connection = connection
        self.reader = reader
        self.today = today
        self.now = now
        ledger = MergeLedger(reader: reader, latestStamp: latestStamp, setAsideConflicts: setAsideConflicts)
        try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresWorkspace.mergeLock))", logger: PostgresWorkspace.quiet)
        areas = try await PostgresWorkspace.storedAreas(connection)
        for try await row in try await connection.query("""
            SELECT t.id, t.code, t.name, t.kind, a.code, t.leader, t.leader_phone, t.formed, t.status, t.inactive_since, t.revised
            FROM team t JOIN area a ON a.id = t.area_id
            """, logger: PostgresWorkspace.quiet) {
            let r = CellReader(row)
            let record = try r.team(from: 1)
            teams[record.code] = (try r.int64(0) ?? 0, record)
        }
        for try await row in try await connection.query("""
            SELECT m.id, m.uuid, t.code, m.name, m.phone, m.role, m.joined, m."left", m.revised
            FROM member m JOIN team t ON t.id = m.team_id
            """, logger: PostgresWorkspace.quiet) {
            let r = CellReader(row)
            memberMerge.add(stored: try r.member(from: 1), rowID: try r.int64(0) ?? 0)
        }
        memberMerge.finishLoading()
    }

    mutating func run() async throws {
        for try await merged in try await connection.query(
            "SELECT merged FROM bundle_merge WHERE body_sha256 = \(reader.header.bodySHA256)", logger: logger).decode(String.self) {
            ledger.summary.previousMerge = merged
        }
        try await createStaging()
        var cursor = reader.cursor
        var pending = try reader.next(&cursor)
        while let record = pending {
            while phase < record.kind { try await finishPhase() }
            do {
                switch record.kind {
                case 0: try await area(AreaRecord(record.values), line: record.line)
                case 1: try await team(TeamRecord(record.values), line: record.line)
                case 2: try member(MemberRecord(record.values), line: record.line)
                case 3:
                    pending = try await copySessions(first: record, cursor: &cursor)
                    continue
                case 4:
                    pending = try await copyMetrics(first: record, cursor: &cursor)
                    continue
                case 5: try await move(MoveRecord(record.values), line: record.line)
                case 6: try await approval(ApprovalRecord(record.values))
                case 7: try await areaHistory(AreaHistoryRecord(record.values))
                default: try await PostgresWorkspace.audit(connection, AuditRecord(record.values).entry)
                }
            } catch let error as RecordError {
                throw BundleError.badRecord(file: reader.name, line: record.line, text: error.text)
            }
            pending = try reader.next(&cursor)
        }
        while phase < BundleHeader.recordColumns.count { try await finishPhase() }
        if let refusal = ledger.refusal { throw refusal }
        for entry in ledger.log {
            try await connection.query("""
                INSERT INTO merge_conflict (kind, key, kept, set_aside, source_workspace, merged)
                VALUES (\(entry.kind), \(entry.key), \(MergeLedger.text(entry.kept)), \(MergeLedger.text(entry.setAside)),
                        \(reader.header.workspace), \(now))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        try await connection.query("""
            INSERT INTO bundle_merge (body_sha256, source_workspace, exported, merged, added)
            VALUES (\(reader.header.bodySHA256), \(reader.header.workspace), \(reader.header.exported), \(now), \(ledger.summary.added))
            ON CONFLICT DO NOTHING
            """, logger: logger)
        if ledger.summary.previousMerge == nil {
            try await PostgresWorkspace.audit(connection, ImportAudit.merge(file: reader.name, source: reader.header.workspace,
                                                                            added: ledger.summary.added))
        }
    }

    /// A unit's state for a period: the later of the bundle's and this workspace's.
    private func approval(_ record: ApprovalRecord) async throws {
        guard let i = areas.index[record.area] else {
            throw RecordError("the area \"\(record.area)\" of an approval is neither in the bundle nor in this workspace")
        }
        let id = areas.rows[i].id
        let ours = try await PostgresWorkspace.closingRows(connection, "SELECT stamp FROM approval WHERE area_id = $1 AND period = $2",
                                                           [.int(id), .text(record.period.description)]) { $0[0].text }.first ?? nil
        guard ours.map({ $0 < record.stamp }) ?? true else { return }
        _ = try await PostgresWorkspace.closingRows(connection, ClosingSQL.upsertApproval, ClosingSQL.upsertValues(
            areaID: id, period: record.period, state: record.state, actor: record.actor, stamp: record.stamp, reason: record.reason)) { _ in 0 }
    }

    /// A unit's dated history: the versions this workspace lacks, and every dated change.
    private func areaHistory(_ record: AreaHistoryRecord) async throws {
        let local = try await PostgresWorkspace.closingRows(connection, AreaHistoryRecord.localSQL, [.text(record.code)]) {
            ($0[0].int, $0[1].int ?? 1)
        }
        guard let (ended, versions) = local.first else {
            throw RecordError("the area \"\(record.code)\" of a dated history is neither in the bundle nor in this workspace")
        }
        for (sql, values) in record.statements(localVersions: versions, localEnded: ended != nil, mergeDay: today) {
            _ = try await PostgresWorkspace.closingRows(connection, sql, values) { _ in 0 }
        }
    }

    private mutating func finishPhase() async throws {
        switch phase {
        case 0: if parentsChanged { ledger.checkCycles(areas) }
        case 2: try await writeMembers()
        case 3: try await applySessions()
        case 4: try await applyMetrics()
        default: break
        }
        phase += 1
    }

    private func execute(_ sql: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    private func count(_ sql: String) async throws -> Int {
        for try await n in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self) { return n }
        return 0
    }

    // MARK: Areas, teams, members

    private mutating func area(_ record: AreaRecord, line: Int) async throws {
        ledger.checkStamp(record.revised, "area \"\(record.code)\"", line: line)
        var parentID: Int64? = nil
        if let parent = record.parent {
            guard let i = areas.index[parent] else {
                throw RecordError("the parent \"\(parent)\" of area \"\(record.code)\" is neither earlier in the bundle nor in this workspace")
            }
            parentID = areas.rows[i].id
        }
        let a = record.attributes
        let fold = TextFolding.fold(record.name)
        guard let i = areas.index[record.code] else {
            var id: Int64 = 0
            for try await new in try await connection.query("""
                INSERT INTO area (code, name, level, local_kind, parent_id, population, adults, working_age, households, search_key, revised)
                VALUES (\(record.code), \(record.name), \(record.level.rawValue), \(record.localKind), \(parentID), \(a.population),
                        \(a.adults), \(a.workingAge), \(a.households), \(fold), \(record.revised))
                RETURNING id
                """, logger: logger).decode(Int64.self) { id = new }
            areas.add(.init(id: id, code: record.code, name: record.name, level: record.level, localKind: record.localKind,
                            parentID: parentID, attributes: a, revised: record.revised))
            ledger.summary.areas.new += 1
            return
        }
        let local = areas.rows[i]
        let ours = local.record(parent: areas.parentCode(of: i))
        switch MergeLedger.compare(record.content, record.revised, ours.content, ours.revised) {
        case .same:
            ledger.summary.areas.present += 1
            if record.revised > local.revised { try await restamp("area", local.id, record.revised) }
        case .oursWins:
            ledger.keepOurs("area", record.code, ours: ours.line, theirs: record.line, count: \.areas)
        case .theirsWins:
            try await connection.query("""
                UPDATE area SET name = \(record.name), level = \(record.level.rawValue), local_kind = \(record.localKind),
                    parent_id = \(parentID), population = \(a.population), adults = \(a.adults), working_age = \(a.workingAge),
                    households = \(a.households), search_key = \(fold) WHERE id = \(local.id)
                """, logger: logger)
            try await restamp("area", local.id, record.revised)
            if local.name != record.name {
                try await connection.query("""
                    INSERT INTO area_change (area_id, day, change, old_name) VALUES (\(local.id), \(today.number), 'rename', \(local.name))
                    """, logger: logger)
            }
            if local.parentID != parentID {
                try await connection.query("""
                    INSERT INTO area_change (area_id, day, change, old_parent_id) VALUES (\(local.id), \(today.number), 'move', \(local.parentID))
                    """, logger: logger)
                parentsChanged = true
            }
            areas.add(.init(id: local.id, code: record.code, name: record.name, level: record.level, localKind: record.localKind,
                            parentID: parentID, attributes: a, revised: record.revised))
            ledger.takeTheirs("area", record.code, ours: ours.line, theirs: record.line, count: \.areas)
        }
    }

    /// Writes a revision stamp without firing the stamping triggers (they watch content columns).
    private func restamp(_ table: String, _ id: Int64, _ stamp: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: "UPDATE \(table) SET revised = $1 WHERE id = $2",
                                                 binds: bindings(stamp, id)), logger: logger)
    }

    private func bindings(_ stamp: String, _ id: Int64) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(stamp)
        binds.append(id)
        return binds
    }

    private mutating func team(_ record: TeamRecord, line: Int) async throws {
        ledger.checkStamp(record.revised, "team \"\(record.code)\"", line: line)
        guard let areaIndex = areas.index[record.area] else {
            throw RecordError("the area \"\(record.area)\" of team \"\(record.code)\" is neither in the bundle nor in this workspace")
        }
        let areaID = areas.rows[areaIndex].id
        guard let local = teams[record.code] else {
            teams[record.code] = (try await writeTeam(record, areaID: areaID, id: nil), record)
            ledger.summary.teams.new += 1
            return
        }
        var (theirs, ours, filled) = MergeMatch.team(theirs: record, ours: local.record)
        switch MergeLedger.compare(theirs.content, theirs.revised, ours.content, ours.revised) {
        case .same:
            if filled { ledger.summary.teams.updated += 1 } else { ledger.summary.teams.present += 1 }
            if filled || theirs.revised > ours.revised {
                ours.revised = max(ours.revised, theirs.revised)
                _ = try await writeTeam(ours, areaID: areaID, id: local.id)
                teams[record.code] = (local.id, ours)
            }
        case .oursWins:
            if filled { _ = try await writeTeam(ours, areaID: areaID, id: local.id); teams[record.code] = (local.id, ours) }
            ledger.keepOurs("team", record.code, ours: ours.line, theirs: theirs.line, count: \.teams)
        case .theirsWins:
            _ = try await writeTeam(theirs, areaID: areaID, id: local.id)
            teams[record.code] = (local.id, theirs)
            ledger.takeTheirs("team", record.code, ours: local.record.line, theirs: theirs.line, count: \.teams)
        }
    }

    /// Inserts or updates a team; its row id.
    private func writeTeam(_ team: TeamRecord, areaID: Int64, id: Int64?) async throws -> Int64 {
        let phone = team.leaderPhone?.digits
        if let id {
            try await connection.query("""
                UPDATE team SET name = \(team.name), kind = \(team.kind.rawValue), area_id = \(areaID), leader = \(team.leader),
                    leader_phone = \(phone), formed = \(team.formed?.number), status = \(team.status.rawValue),
                    inactive_since = \(team.inactiveSince?.number) WHERE id = \(id)
                """, logger: logger)
            try await restamp("team", id, team.revised)
            return id
        }
        for try await new in try await connection.query("""
            INSERT INTO team (name, kind, area_id, leader, leader_phone, formed, status, inactive_since, code, revised)
            VALUES (\(team.name), \(team.kind.rawValue), \(areaID), \(team.leader), \(phone), \(team.formed?.number),
                    \(team.status.rawValue), \(team.inactiveSince?.number), \(team.code), \(team.revised))
            RETURNING id
            """, logger: logger).decode(Int64.self) { return new }
        return 0
    }

    private mutating func member(_ record: MemberRecord, line: Int) throws {
        ledger.checkStamp(record.revised, "member \"\(record.name)\" of team \"\(record.team)\"", line: line)
        guard let team = teams[record.team] else {
            throw RecordError("the team \"\(record.team)\" of member \"\(record.name)\" is neither in the bundle nor in this workspace")
        }
        memberMerge.decide(record, line: line, teamID: team.id, ledger: &ledger)
    }

    /// Writes the members, current leaders last; a member who would be a second current leader
    /// of a team is not written (a problem, or set aside), as SQLite's unique index refuses it.
    /// New members who do not lead go in with one COPY before the first leader is written.
    private mutating func writeMembers() async throws {
        let ordered = memberMerge.orderedWrites
        var pending = CopyText()
        for w in ordered {
            let r = w.record
            if r.isCurrentLeader {
                try await insertMembers(&pending)
                var leader: String? = nil
                for try await name in try await connection.query("""
                    SELECT name FROM member WHERE team_id = \(w.teamID) AND role = 'leader' AND "left" IS NULL
                        AND id IS DISTINCT FROM \(w.rowID) LIMIT 1
                    """, logger: logger).decode(String.self) { leader = name }
                if let leader {
                    ledger.secondLeader(r, replaced: w.replaced, isNew: w.rowID == nil, leader: leader, line: w.line)
                    continue
                }
            }
            if let rowID = w.rowID {
                try await connection.query("""
                    UPDATE member SET uuid = \(ByteBuffer(bytes: r.id!.bytes)), team_id = \(w.teamID), name = \(r.name),
                        phone = \(r.phone?.digits), role = \(r.role.rawValue), joined = \(r.joined?.number), "left" = \(r.left?.number)
                    WHERE id = \(rowID)
                    """, logger: logger)
                try await restamp("member", rowID, r.revised)
            } else {
                pending.add(r.id); pending.add(w.teamID); pending.add(r.name); pending.add(r.phone?.digits); pending.add(r.role.rawValue)
                pending.add(r.joined?.number); pending.add(r.left?.number); pending.add(r.revised)
                pending.endRow()
            }
            if let replaced = w.replaced {
                ledger.takeTheirs("member", r.id!.uuidString, ours: replaced.line, theirs: r.line, count: \.members)
            }
        }
        try await insertMembers(&pending)
    }

    /// Inserts the gathered new members.
    private func insertMembers(_ rows: inout CopyText) async throws {
        guard !rows.bytes.isEmpty else { return }
        try await connection.copyFrom(table: "member", columns: ["uuid", "team_id", "name", "phone", "role", "joined", "left", "revised"],
                                      logger: logger) { writer in try await rows.flush(writer) }
    }

    // MARK: Sessions, set-based

    private static let metricCodes = Metric.allCases.map(\.code)

    private func createStaging() async throws {
        let metrics = Self.metricCodes.map { "\($0) BIGINT" }.joined(separator: ", ")
        try await execute("""
            CREATE TEMP TABLE merge_session (
                line INTEGER NOT NULL, uuid BYTEA NOT NULL, day INTEGER NOT NULL, area_id BIGINT NOT NULL, team_id BIGINT,
                logged_by TEXT, \(metrics), notes TEXT, row_key BYTEA,
                void_day INTEGER, void_reason TEXT, replaced_by BYTEA,
                local_id BIGINT, is_new BOOLEAN NOT NULL DEFAULT false, state TEXT, void_action TEXT, replacement_id BIGINT
            ) ON COMMIT DROP
            """)
        try await execute("""
            CREATE TEMP TABLE merge_metric (
                line INTEGER NOT NULL, session BYTEA NOT NULL, metric TEXT NOT NULL, value BIGINT NOT NULL,
                session_id BIGINT, set_aside BOOLEAN NOT NULL DEFAULT false, is_new BOOLEAN NOT NULL DEFAULT false
            ) ON COMMIT DROP
            """)
    }

    /// Streams the session records from `first` on into `merge_session`; the record after the
    /// last session, if any.
    private func copySessions(first: (line: Int, kind: Int, values: [BundleValue]),
                              cursor: inout BundleReader.Cursor) async throws -> (line: Int, kind: Int, values: [BundleValue])? {
        var next: (line: Int, kind: Int, values: [BundleValue])? = first
        let columns = ["line", "uuid", "day", "area_id", "team_id", "logged_by"] + Self.metricCodes
            + ["notes", "row_key", "void_day", "void_reason", "replaced_by"]
        try await connection.copyFrom(table: "merge_session", columns: columns, logger: logger) { writer in
            var out = CopyText()
            while let record = next, record.kind == 3 {
                do {
                    let r = try SessionRecord(record.values).maskingNotes()
                    guard let areaIndex = areas.index[r.area] else {
                        throw RecordError("the area \"\(r.area)\" of session \(r.id) is neither in the bundle nor in this workspace")
                    }
                    var teamID: Int64? = nil
                    if let code = r.team {
                        guard let team = teams[code] else {
                            throw RecordError("the team \"\(code)\" of session \(r.id) is neither in the bundle nor in this workspace")
                        }
                        teamID = team.id
                    }
                    out.add(record.line); out.add(r.id); out.add(r.day.number); out.add(areas.rows[areaIndex].id); out.add(teamID)
                    out.add(r.loggedBy)
                    for v in r.metrics.values { out.add(v) }
                    out.add(r.notes); out.add(r.key); out.add(r.void?.day.number); out.add(r.void?.reason); out.add(r.void?.replacedBy)
                    out.endRow()
                } catch let error as RecordError {
                    throw BundleError.badRecord(file: reader.name, line: record.line, text: error.text)
                }
                if out.isFull { try await out.flush(writer) }
                next = try reader.next(&cursor)
            }
            try await out.flush(writer)
        }
        return next
    }

    /// Applies the staged sessions: inserts the new ones, matches the others with this
    /// workspace's (by id, else by row key), decides conflicts and voids in bundle order, and
    /// writes the voids once every session is in.
    private mutating func applySessions() async throws {
        let metrics = Self.metricCodes
        try await execute("CREATE INDEX ON merge_session (uuid)")
        try await execute("ANALYZE merge_session")
        // Matched with a stored session (by id, else by row key), each row is compared with it in
        // the same statement: one pass over the staged rows.
        let same = (["day", "area_id", "team_id", "logged_by"] + metrics + ["notes"])
            .map { "s.\($0) IS NOT DISTINCT FROM m.\($0)" }.joined(separator: " AND ")
        let matches = [
            "UPDATE merge_session m SET local_id = s.id, state = CASE WHEN \(same) THEN 'same' ELSE 'conflict' END "
                + "FROM session s WHERE m.local_id IS NULL AND s.uuid = m.uuid",
            "UPDATE merge_session m SET local_id = s.id, state = CASE WHEN \(same) THEN 'same' ELSE 'conflict' END "
                + "FROM session s WHERE m.local_id IS NULL AND m.row_key IS NOT NULL AND s.row_key = m.row_key",
        ]
        for statement in matches { try await execute(statement) }
        let columns = (["uuid", "day", "area_id", "team_id", "logged_by"] + metrics + ["notes", "row_key"]).joined(separator: ", ")
        try await execute("""
            WITH ins AS (
                INSERT INTO session (\(columns))
                SELECT \(columns) FROM merge_session WHERE local_id IS NULL ORDER BY line
                ON CONFLICT DO NOTHING RETURNING id, uuid)
            UPDATE merge_session m SET local_id = ins.id, is_new = true FROM ins WHERE ins.uuid = m.uuid
            """)
        // A row key twice in the bundle: the later one is the earlier's session.
        for statement in matches { try await execute(statement) }
        ledger.summary.sessions.new += try await count("SELECT count(*) FROM merge_session WHERE is_new")
        ledger.summary.sessions.present += try await count("SELECT count(*) FROM merge_session WHERE state = 'same'")
        // A new voided session, or one this workspace counts that the bundle voided: a new void.
        try await execute("""
            UPDATE merge_session m SET void_action = 'insert' WHERE m.void_day IS NOT NULL
                AND (m.is_new OR (m.state = 'same' AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = m.local_id)))
            """)
        ledger.summary.voids.present += try await count("""
            SELECT count(*) FROM merge_session m JOIN session_void v ON v.session_id = m.local_id
            LEFT JOIN session r ON r.id = v.replaced_by
            WHERE m.state = 'same' AND m.void_day = v.day AND m.void_reason = v.reason AND m.replaced_by IS NOT DISTINCT FROM r.uuid
            """)
        // Conflicts and two different voids of one session, decided in bundle order.
        let width = MetricValues.width
        let sessionColumns = (["day", "area_id", "team_id", "logged_by"] + metrics + ["notes"]).map { "x.\($0)" }.joined(separator: ", ")
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT m.line, m.state, \(sessionColumns.replacingOccurrences(of: "x.", with: "m.")), m.uuid, m.row_key,
                m.void_day, m.void_reason, m.replaced_by,
                \(sessionColumns.replacingOccurrences(of: "x.", with: "s.")), v.day, v.reason, r.uuid
            FROM merge_session m JOIN session s ON s.id = m.local_id
            LEFT JOIN session_void v ON v.session_id = s.id LEFT JOIN session r ON r.id = v.replaced_by
            WHERE m.state = 'conflict' OR (m.state = 'same' AND m.void_day IS NOT NULL AND v.day IS NOT NULL
                AND (m.void_day, m.void_reason, m.replaced_by) IS DISTINCT FROM (v.day, v.reason, r.uuid))
            ORDER BY m.line
            """), logger: logger)
        var replacing: [Int] = []
        let areaCodes = Dictionary(uniqueKeysWithValues: areas.rows.map { ($0.id, $0.code) })
        var teamCodes: [Int64: String] = [:]
        for (code, team) in teams { teamCodes[team.id] = code }
        for try await row in rows {
            let c = CellReader(row)
            let line = try c.int(0) ?? 0
            let n = 5 + width  // day, area, team, logged_by, metrics…, notes
            func session(at i: Int, id: StableID, key: StableID?, voidAt v: Int) throws -> SessionRecord {
                var values = MetricValues()
                for m in 0..<width { values.values[m] = try c.int(i + 4 + m) }
                var void: VoidRecord? = nil
                if let day = try c.int(v) {
                    void = VoidRecord(day: Day(number: day), reason: try c.text(v + 1) ?? "", replacedBy: c.id(v + 2))
                }
                return SessionRecord(id: id, day: Day(number: try c.int(i) ?? 0), area: areaCodes[try c.int64(i + 1) ?? 0] ?? "",
                                     team: try c.int64(i + 2).flatMap { teamCodes[$0] }, loggedBy: try c.text(i + 3),
                                     metrics: values, notes: try c.text(i + 4 + width), key: key, void: void)
            }
            let id = c.id(2 + n) ?? StableID.derived(from: "")
            let theirs = try session(at: 2, id: id, key: c.id(3 + n), voidAt: 4 + n)
            // This workspace's version, shown under the bundle's id and without a key (as SQLite's merge reads it).
            let ours = try session(at: 7 + n, id: id, key: nil, voidAt: 7 + 2 * n)
            if try c.text(1) == "conflict" {
                ledger.sessionConflict(ours: ours, theirs: theirs, line: line)
            } else if ledger.decideVoids(ours: ours, theirs: theirs, line: line) {
                replacing.append(line)
            }
        }
        if !replacing.isEmpty {
            try await connection.query("UPDATE merge_session SET void_action = 'replace' WHERE line = ANY(\(replacing))", logger: logger)
        }
        // Sessions and voids that change figures of a closed period refuse the whole bundle.
        if var gate = try await PostgresWorkspace.lockGate(connection, today: today) {
            let codes = Dictionary(uniqueKeysWithValues: areas.rows.map { ($0.id, $0.code) })
            for try await row in try await connection.query("""
                SELECT area_id, day, uuid, line FROM merge_session
                WHERE (is_new AND void_day IS NULL) OR (void_action = 'insert' AND NOT is_new) ORDER BY line
                """, logger: logger) {
                let c = CellReader(row)
                let area = try c.int64(0) ?? 0
                gate.check(LockProbe(areaID: area, area: codes[area] ?? "", day: Day(number: try c.int(1) ?? 0),
                                     session: c.id(2)?.uuidString, line: try c.int(3) ?? 0))
            }
            if let refusal = gate.refusal(source: reader.name) { throw refusal }
        }
        // Voids, once every session is in (a void may name a later replacement).
        try await execute("""
            UPDATE merge_session m SET replacement_id = COALESCE(
                (SELECT x.local_id FROM merge_session x WHERE x.uuid = m.replaced_by ORDER BY x.line LIMIT 1),
                (SELECT s.id FROM session s WHERE s.uuid = m.replaced_by))
            WHERE m.void_action IS NOT NULL AND m.replaced_by IS NOT NULL
            """)
        for try await row in try await connection.query("""
            SELECT line, uuid, replaced_by FROM merge_session
            WHERE void_action IS NOT NULL AND replaced_by IS NOT NULL AND replacement_id IS NULL ORDER BY line LIMIT 1
            """, logger: logger) {
            let c = CellReader(row)
            let session = c.id(1).map(\.uuidString) ?? "", replacement = c.id(2).map(\.uuidString) ?? ""
            throw BundleError.badRecord(file: reader.name, line: try c.int(0) ?? 0,
                                        text: "the session \(replacement) that replaced session \(session) is neither in the bundle nor in this workspace")
        }
        try await execute("""
            INSERT INTO session_void (session_id, day, reason, replaced_by)
            SELECT local_id, void_day, void_reason, replacement_id FROM merge_session WHERE void_action = 'insert' ORDER BY line
            """)
        ledger.summary.voids.new += try await count("SELECT count(*) FROM merge_session WHERE void_action = 'insert'")
        try await execute("""
            UPDATE session_void v SET day = m.void_day, reason = m.void_reason, replaced_by = m.replacement_id
            FROM merge_session m WHERE m.void_action = 'replace' AND v.session_id = m.local_id
            """)
    }

    /// Streams the campaign counts from `first` on into `merge_metric`; the record after them.
    private func copyMetrics(first: (line: Int, kind: Int, values: [BundleValue]),
                             cursor: inout BundleReader.Cursor) async throws -> (line: Int, kind: Int, values: [BundleValue])? {
        var next: (line: Int, kind: Int, values: [BundleValue])? = first
        try await connection.copyFrom(table: "merge_metric", columns: ["line", "session", "metric", "value"], logger: logger) { writer in
            var out = CopyText()
            while let record = next, record.kind == 4 {
                do {
                    let r = try SessionMetricRecord(record.values)
                    out.add(record.line); out.add(r.session); out.add(r.metric); out.add(r.value)
                    out.endRow()
                } catch let error as RecordError {
                    throw BundleError.badRecord(file: reader.name, line: record.line, text: error.text)
                }
                if out.isFull { try await out.flush(writer) }
                next = try reader.next(&cursor)
            }
            try await out.flush(writer)
        }
        return next
    }

    /// Applies the staged campaign counts: new ones inserted, the same ones counted, other
    /// values and counts of set-aside sessions decided in bundle order.
    private mutating func applyMetrics() async throws {
        try await execute("""
            UPDATE merge_metric mm SET session_id = COALESCE(
                (SELECT x.local_id FROM merge_session x WHERE x.uuid = mm.session ORDER BY x.line LIMIT 1),
                (SELECT s.id FROM session s WHERE s.uuid = mm.session)),
              set_aside = EXISTS (SELECT 1 FROM merge_session x WHERE x.uuid = mm.session AND x.state = 'conflict')
            """)
        for try await row in try await connection.query(
            "SELECT line, session FROM merge_metric WHERE session_id IS NULL ORDER BY line LIMIT 1", logger: logger) {
            let c = CellReader(row)
            throw BundleError.badRecord(file: reader.name, line: try c.int(0) ?? 0,
                                        text: "the session \(c.id(1).map(\.uuidString) ?? "") of this count is neither in the bundle nor in this workspace")
        }
        try await execute("""
            WITH ins AS (
                INSERT INTO session_metric (session_id, metric, value)
                SELECT DISTINCT ON (session_id, metric) session_id, metric, value FROM merge_metric WHERE NOT set_aside
                ORDER BY session_id, metric, line
                ON CONFLICT DO NOTHING RETURNING session_id, metric)
            UPDATE merge_metric mm SET is_new = true FROM ins
            WHERE ins.session_id = mm.session_id AND ins.metric = mm.metric
                AND mm.line = (SELECT min(y.line) FROM merge_metric y WHERE y.session_id = mm.session_id AND y.metric = mm.metric)
            """)
        ledger.summary.sessionMetrics.new += try await count("SELECT count(*) FROM merge_metric WHERE is_new")
        ledger.summary.sessionMetrics.present += try await count("""
            SELECT count(*) FROM merge_metric mm JOIN session_metric sm ON sm.session_id = mm.session_id AND sm.metric = mm.metric
            WHERE NOT mm.is_new AND NOT mm.set_aside AND sm.value = mm.value
            """)
        for try await row in try await connection.query("""
            SELECT mm.line, mm.session, mm.metric, mm.value, mm.set_aside, sm.value
            FROM merge_metric mm LEFT JOIN session_metric sm ON sm.session_id = mm.session_id AND sm.metric = mm.metric
            WHERE mm.set_aside OR (NOT mm.is_new AND sm.value IS DISTINCT FROM mm.value)
            ORDER BY mm.line
            """, logger: logger) {
            let c = CellReader(row)
            let record = SessionMetricRecord(session: c.id(1) ?? StableID.derived(from: ""), metric: try c.text(2) ?? "",
                                             value: try c.int(3) ?? 0)
            if try c.bool(4) == true {
                ledger.metricOfSetAsideSession(record)
            } else {
                ledger.metricConflict(ours: try c.int(5) ?? 0, theirs: record, line: try c.int(0) ?? 0)
            }
        }
    }

    // MARK: Leaflets

    private mutating func move(_ record: MoveRecord, line: Int) async throws {
        func areaID(_ code: String) throws -> Int64 {
            guard let i = areas.index[code] else {
                throw RecordError("the area \"\(code)\" of leaflet move \(record.id) is neither in the bundle nor in this workspace")
            }
            return areas.rows[i].id
        }
        let to = try areaID(record.to)
        let from = try record.from.map(areaID)
        let uuid = ByteBuffer(bytes: record.id.bytes)
        var inserted = false
        for try await _ in try await connection.query("""
            INSERT INTO leaflet_move (uuid, day, from_area_id, to_area_id, quantity, batch, allowed_negative)
            VALUES (\(uuid), \(record.day.number), \(from), \(to), \(record.quantity), \(record.batch), \(record.allowedNegative ? 1 : 0))
            ON CONFLICT (uuid) DO NOTHING RETURNING id
            """, logger: logger).decode(Int64.self) { inserted = true }
        if inserted { ledger.summary.leafletMoves.new += 1; return }
        var ours: MoveRecord? = nil
        let codes = { [areas] (id: Int64) in areas.code(of: id) }
        for try await row in try await connection.query("""
            SELECT day, from_area_id, to_area_id, quantity, batch, allowed_negative FROM leaflet_move WHERE uuid = \(uuid)
            """, logger: logger) {
            let c = CellReader(row)
            ours = MoveRecord(id: record.id, day: Day(number: try c.int(0) ?? 0), from: try c.int64(1).map(codes),
                              to: codes(try c.int64(2) ?? 0), quantity: try c.int(3) ?? 0, batch: try c.text(4),
                              allowedNegative: (try c.int(5) ?? 0) != 0)
        }
        guard let ours else { return }
        if ours == record { ledger.summary.leafletMoves.present += 1; return }
        ledger.moveConflict(ours: ours, theirs: record, line: line)
    }
}

/// Rows in COPY's text format: tab-separated fields, `\N` for NULL, backslash escapes. Rows
/// are built in `bytes` and sent as one buffer per megabyte or so.
struct CopyText {
    var bytes: [UInt8] = []
    private var first = true
    private static let hex = Array("0123456789abcdef".utf8)

    init() { bytes.reserveCapacity(1 << 20 + 4096) }

    /// Whether enough is gathered to send.
    var isFull: Bool { bytes.count >= 1 << 20 }

    /// Sends what is gathered through `writer`, and empties it.
    mutating func flush(_ writer: PostgresCopyFromWriter) async throws {
        guard !bytes.isEmpty else { return }
        try await writer.write(ByteBuffer(bytes: bytes))
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func separate() {
        if !first { bytes.append(0x09) }
        first = false
    }

    mutating func null() {
        separate()
        bytes.append(0x5C)
        bytes.append(0x4E)
    }

    mutating func add(_ value: Int?) {
        guard let value else { return null() }
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func add(_ value: Int64?) { add(value.map(Int.init)) }

    mutating func add(_ text: String?) {
        guard let text else { return null() }
        separate()
        let utf8 = text.utf8
        // Backslash, tab, line feed and carriage return are escaped; most text has none.
        guard utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            bytes.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            default: bytes.append(byte)
            }
        }
    }

    /// A 16-byte id as bytea in hex (`\\x…`: the backslash escaped).
    mutating func add(_ id: StableID?) {
        guard let id else { return null() }
        separate()
        bytes.append(0x5C); bytes.append(0x5C); bytes.append(UInt8(ascii: "x"))
        for byte in id.bytes {
            bytes.append(Self.hex[Int(byte >> 4)])
            bytes.append(Self.hex[Int(byte & 0x0F)])
        }
    }

    mutating func endRow() {
        bytes.append(0x0A)
        first = true
    }
}
