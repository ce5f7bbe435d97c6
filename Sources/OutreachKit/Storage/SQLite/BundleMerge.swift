import Foundation
import GRDB
import GRDBSQLite

/// Merges one verified bundle inside a write transaction. See `Store.mergeBundle`.
///
/// Records arrive in bundle order (areas, teams, members, sessions, session metrics, leaflet
/// moves); each kind is finished before the next starts: the tree is checked for cycles, members
/// are written leaders last, new sessions' monthly totals are added and voids applied, then the
/// new counts of campaign metrics of live sessions are added to their monthly totals.
struct BundleMerge {
    let db: Database
    let reader: BundleReader
    let today: Day
    /// The merge time, for the merge log.
    let now: String
    /// The latest revision stamp accepted (`RevisionStamp.latestAccepted`).
    let latestStamp: String
    let setAsideConflicts: Bool
    /// The decisions, the summary, the problems and the merge log (shared with PostgreSQL).
    private var ledger: MergeLedger
    var summary: MergeSummary { ledger.summary }

    private var areas: StoredAreas
    private var parentsChanged = false
    private var teams: [String: (id: Int64, record: TeamRecord)] = [:]
    private var teamCodes: [Int64: String] = [:]
    private var memberMerge = MemberMerge()
    private var buckets: MonthBuckets
    private var voids: [PendingVoid] = []
    private var setAsideSessions = Set<StableID>()
    private var phase = 0
    private let sessions: SessionStatements
    /// Sessions come into an empty table: its two secondary indexes are built after the load
    /// (sorting once beats a million random inserts), inside the same transaction.
    private var bulk = false

    /// Sessions of the bundle this workspace holds under another id (found by their row key),
    /// by the bundle's id: their counts and voids apply to the local session.
    private var aliases: [StableID: Int64] = [:]
    /// The lock check of the sessions and voids the bundle brings; nil when no period is closed.
    private var gate: LockGate?

    private struct PendingVoid {
        var line: Int
        var sessionID: Int64
        var session: StableID
        var areaID: Int64
        var day: Int
        var void: VoidRecord
        /// Whether the session counted in the totals until now.
        var wasLive: Bool
        /// Whether this workspace already has another void of the session (which the bundle's replaces).
        var replacing: Bool
    }

    init(db: Database, reader: BundleReader, today: Day, now: String, latestStamp: String, setAsideConflicts: Bool) throws {
        self.db = db
        self.reader = reader
        self.today = today
        self.now = now
        self.latestStamp = latestStamp
        self.setAsideConflicts = setAsideConflicts
        ledger = MergeLedger(reader: reader, latestStamp: latestStamp, setAsideConflicts: setAsideConflicts)
        areas = try StoredAreas(db)
        buckets = MonthBuckets(periods: try PeriodRange.all(db))
        sessions = try SessionStatements(db)
        for row in try Row.fetchAll(db, sql: "SELECT \(TeamRecord.storedColumns) FROM team t JOIN area a ON a.id = t.area_id") {
            let record = TeamRecord(stored: row)
            teams[record.code] = (row[0], record)
            teamCodes[row[0]] = record.code
        }
        for row in try Row.fetchAll(db, sql: "SELECT \(MemberRecord.storedColumns) FROM member m JOIN team t ON t.id = m.team_id") {
            memberMerge.add(stored: MemberRecord(stored: row), rowID: row[0])
        }
        memberMerge.finishLoading()
        gate = try Store.lockGate(db, today: today)
    }

    mutating func run() throws {
        if let previous = try String.fetchOne(db, sql: "SELECT merged FROM bundle_merge WHERE body_sha256 = ?",
                                              arguments: [reader.header.bodySHA256]) {
            ledger.summary.previousMerge = previous
        }
        if reader.header.counts.sessions >= 10_000,
           try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM session LIMIT 1)") == 0 {
            bulk = true
            try db.execute(sql: "DROP INDEX session_area_day; DROP INDEX session_day")
        }
        try reader.forEachRecord { line, type, values in
            let kind = BundleHeader.recordColumns.firstIndex { $0[0] == type }!
            while phase < kind { try finishPhase() }
            switch kind {
            case 0: try area(AreaRecord(values), line: line)
            case 1: try team(TeamRecord(values), line: line)
            case 2: try member(MemberRecord(values), line: line)
            case 3: try session(SessionRecord(values).maskingNotes(), line: line)
            case 4: try sessionMetric(SessionMetricRecord(values), line: line)
            case 5: try move(MoveRecord(values), line: line)
            case 6: try approval(ApprovalRecord(values))
            case 7: try areaHistory(AreaHistoryRecord(values))
            default: try Store.audit(db, AuditRecord(values).entry)
            }
        }
        while phase < BundleHeader.recordColumns.count { try finishPhase() }
        if let refusal = ledger.refusal { throw refusal }
        if let refusal = gate?.refusal(source: reader.name) { throw refusal }
        let statement = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO merge_conflict (kind, key, kept, set_aside, source_workspace, merged) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for entry in ledger.log {
            try statement.execute(arguments: [entry.kind, entry.key, MergeLedger.text(entry.kept), MergeLedger.text(entry.setAside),
                                              reader.header.workspace, now])
        }
        try db.execute(sql: """
            INSERT OR IGNORE INTO bundle_merge (body_sha256, source_workspace, exported, merged, added) VALUES (?, ?, ?, ?, ?)
            """, arguments: [reader.header.bodySHA256, reader.header.workspace, reader.header.exported, now, summary.added])
        if summary.previousMerge == nil {
            try Store.audit(db, ImportAudit.merge(file: reader.name, source: reader.header.workspace, added: summary.added))
        }
    }

    /// A unit's state for a period: the later of the bundle's and this workspace's.
    private mutating func approval(_ record: ApprovalRecord) throws {
        guard let i = areas.index[record.area] else {
            throw RecordError("the area \"\(record.area)\" of an approval is neither in the bundle nor in this workspace")
        }
        let id = areas.rows[i].id
        let ours = try String.fetchOne(db, sql: "SELECT stamp FROM approval WHERE area_id = ? AND period = ?",
                                       arguments: [id, record.period.description])
        guard ours.map({ $0 < record.stamp }) ?? true else { return }
        try db.execute(sql: ClosingSQL.upsertApproval, arguments: Store.arguments(ClosingSQL.upsertValues(
            areaID: id, period: record.period, state: record.state, actor: record.actor, stamp: record.stamp, reason: record.reason)))
    }

    /// A unit's dated history: the versions this workspace lacks, and every dated change.
    private func areaHistory(_ record: AreaHistoryRecord) throws {
        guard let local = try Row.fetchOne(db, sql: AreaHistoryRecord.localSQL, arguments: [record.code]) else {
            throw RecordError("the area \"\(record.code)\" of a dated history is neither in the bundle nor in this workspace")
        }
        for (sql, values) in record.statements(localVersions: local[1], localEnded: (local[0] as Int?) != nil, mergeDay: today) {
            try Store.executeShared(db, sql, values)
        }
    }

    private mutating func finishPhase() throws {
        switch phase {
        case 0: if parentsChanged { ledger.checkCycles(areas) }
        case 2: try writeMembers()
        case 3:
            if bulk {
                try db.execute(sql: "CREATE INDEX session_area_day ON session(area_id, day)")
                try db.execute(sql: "CREATE INDEX session_day ON session(day)")
            }
            try buckets.flush(db)
            try applyVoids()
        case 4: try buckets.flush(db)
        default: break
        }
        phase += 1
    }

    // MARK: Areas

    private mutating func area(_ record: AreaRecord, line: Int) throws {
        ledger.checkStamp(record.revised, "area \"\(record.code)\"", line: line)
        var parentID: Int64? = nil
        if let parent = record.parent {
            guard let i = areas.index[parent] else {
                throw RecordError("the parent \"\(parent)\" of area \"\(record.code)\" is neither earlier in the bundle nor in this workspace")
            }
            parentID = areas.rows[i].id
        }
        let a = record.attributes
        guard let i = areas.index[record.code] else {
            try db.execute(sql: """
                INSERT INTO area (code, name, level, local_kind, parent_id, population, adults, working_age, households, search_key, revised)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.code, record.name, record.level.rawValue, record.localKind, parentID, a.population,
                                 a.adults, a.workingAge, a.households, TextFolding.fold(record.name), record.revised])
            areas.add(.init(id: db.lastInsertedRowID, code: record.code, name: record.name, level: record.level,
                            localKind: record.localKind, parentID: parentID, attributes: a, revised: record.revised))
            ledger.summary.areas.new += 1
            return
        }
        let local = areas.rows[i]
        let ours = local.record(parent: areas.parentCode(of: i))
        switch MergeLedger.compare(record.content, record.revised, ours.content, ours.revised) {
        case .same:
            ledger.summary.areas.present += 1
            if record.revised > local.revised { try restamp("area", local.id, record.revised) }
        case .oursWins:
            ledger.keepOurs("area", record.code, ours: ours.line, theirs: record.line, count: \.areas)
        case .theirsWins:
            try db.execute(sql: """
                UPDATE area SET name = ?, level = ?, local_kind = ?, parent_id = ?, population = ?, adults = ?, working_age = ?,
                    households = ?, search_key = ? WHERE id = ?
                """, arguments: [record.name, record.level.rawValue, record.localKind, parentID, a.population, a.adults,
                                 a.workingAge, a.households, TextFolding.fold(record.name), local.id])
            try restamp("area", local.id, record.revised)
            let history = "INSERT INTO area_change (area_id, day, change, old_name, old_parent_id) VALUES (?, ?, ?, ?, ?)"
            if local.name != record.name {
                try db.execute(sql: history, arguments: [local.id, today.number, "rename", local.name, nil])
            }
            if local.parentID != parentID {
                try db.execute(sql: history, arguments: [local.id, today.number, "move", nil, local.parentID])
                parentsChanged = true
            }
            areas.add(.init(id: local.id, code: record.code, name: record.name, level: record.level, localKind: record.localKind,
                            parentID: parentID, attributes: a, revised: record.revised))
            ledger.takeTheirs("area", record.code, ours: ours.line, theirs: record.line, count: \.areas)
        }
    }

    // MARK: Teams and members

    private mutating func team(_ record: TeamRecord, line: Int) throws {
        ledger.checkStamp(record.revised, "team \"\(record.code)\"", line: line)
        guard let areaIndex = areas.index[record.area] else {
            throw RecordError("the area \"\(record.area)\" of team \"\(record.code)\" is neither in the bundle nor in this workspace")
        }
        let areaID = areas.rows[areaIndex].id
        func write(_ team: TeamRecord, id: Int64?) throws {
            let arguments: StatementArguments = [team.name, team.kind.rawValue, areaID, team.leader, team.leaderPhone?.digits,
                                                 team.formed?.number, team.status.rawValue, team.inactiveSince?.number]
            if let id {
                try db.execute(sql: """
                    UPDATE team SET name = ?, kind = ?, area_id = ?, leader = ?, leader_phone = ?, formed = ?, status = ?,
                        inactive_since = ? WHERE id = ?
                    """, arguments: arguments + [id])
                try restamp("team", id, team.revised)
            } else {
                try db.execute(sql: """
                    INSERT INTO team (name, kind, area_id, leader, leader_phone, formed, status, inactive_since, code, revised)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: arguments + [team.code, team.revised])
            }
        }
        guard let local = teams[record.code] else {
            try write(record, id: nil)
            teams[record.code] = (db.lastInsertedRowID, record)
            teamCodes[db.lastInsertedRowID] = record.code
            ledger.summary.teams.new += 1
            return
        }
        // A phone missing on one side (or withheld by the bundle) is the other side's.
        var (theirs, ours, filled) = MergeMatch.team(theirs: record, ours: local.record)
        switch MergeLedger.compare(theirs.content, theirs.revised, ours.content, ours.revised) {
        case .same:
            if filled { ledger.summary.teams.updated += 1 } else { ledger.summary.teams.present += 1 }
            if filled || theirs.revised > ours.revised {
                ours.revised = max(ours.revised, theirs.revised)
                try write(ours, id: local.id)
                teams[record.code] = (local.id, ours)
            }
        case .oursWins:
            if filled { try write(ours, id: local.id); teams[record.code] = (local.id, ours) }
            ledger.keepOurs("team", record.code, ours: ours.line, theirs: theirs.line, count: \.teams)
        case .theirsWins:
            try write(theirs, id: local.id)
            teams[record.code] = (local.id, theirs)
            ledger.takeTheirs("team", record.code, ours: local.record.line, theirs: theirs.line, count: \.teams)
        }
    }

    /// Matches a member of the bundle to this workspace's: by id with phones; by team, name and
    /// rank among namesakes without. A member without a phone on one side is the same person as
    /// one with the same team and name on the other, and takes that phone (and the id derived
    /// from it).
    private mutating func member(_ record: MemberRecord, line: Int) throws {
        ledger.checkStamp(record.revised, "member \"\(record.name)\" of team \"\(record.team)\"", line: line)
        guard let team = teams[record.team] else {
            throw RecordError("the team \"\(record.team)\" of member \"\(record.name)\" is neither in the bundle nor in this workspace")
        }
        memberMerge.decide(record, line: line, teamID: team.id, ledger: &ledger)
    }

    /// Writes the members, current leaders last, so that the one-leader rule holds after every
    /// statement; a team left with two current leaders is a problem.
    private mutating func writeMembers() throws {
        let ordered = memberMerge.orderedWrites
        for w in ordered {
            let r = w.record
            let arguments: StatementArguments = [r.id!.data, w.teamID, r.name, r.phone?.digits, r.role.rawValue,
                                                 r.joined?.number, r.left?.number]
            do {
                if let rowID = w.rowID {
                    try db.execute(sql: "UPDATE member SET uuid = ?, team_id = ?, name = ?, phone = ?, role = ?, joined = ?, left = ? WHERE id = ?",
                                   arguments: arguments + [rowID])
                    try restamp("member", rowID, r.revised)
                } else {
                    try db.execute(sql: "INSERT INTO member (uuid, team_id, name, phone, role, joined, left, revised) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: arguments + [r.revised])
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                guard r.isCurrentLeader else { throw error }
                let leader = try String.fetchOne(db, sql: "SELECT name FROM member WHERE team_id = ? AND role = 'leader' AND left IS NULL",
                                                 arguments: [w.teamID]) ?? "another member"
                ledger.secondLeader(r, replaced: w.replaced, isNew: w.rowID == nil, leader: leader, line: w.line)
                continue
            }
            if let replaced = w.replaced {
                ledger.takeTheirs("member", r.id!.uuidString, ours: replaced.line, theirs: r.line, count: \.members)
            }
        }
    }

    // MARK: Sessions

    private mutating func session(_ record: SessionRecord, line: Int) throws {
        guard let areaIndex = areas.index[record.area] else {
            throw RecordError("the area \"\(record.area)\" of session \(record.id) is neither in the bundle nor in this workspace")
        }
        let areaID = areas.rows[areaIndex].id
        var teamID: Int64? = nil
        if let code = record.team {
            guard let team = teams[code] else {
                throw RecordError("the team \"\(code)\" of session \(record.id) is neither in the bundle nor in this workspace")
            }
            teamID = team.id
        }
        if try sessions.insert(db, record, areaID: areaID, teamID: teamID) {
            ledger.summary.sessions.new += 1
            let id = db.lastInsertedRowID
            if let void = record.void {
                voids.append(PendingVoid(line: line, sessionID: id, session: record.id, areaID: areaID, day: record.day.number,
                                         void: void, wasLive: false, replacing: false))
            } else {
                gate?.check(LockProbe(areaID: areaID, area: record.area, day: record.day, session: record.id.uuidString, line: line))
                record.metrics.withTotals { buckets.add(area: areaID, day: record.day.number, values: $0, recorded: $1) }
                if buckets.isFull { try buckets.flush(db) }
            }
            return
        }
        let (localID, ours, aliased) = try sessions.existing(db, record.id, key: record.key, areas: areas, teams: teamCodes)
        if aliased { aliases[record.id] = localID }
        guard record.sameContent(as: ours) else {
            ledger.sessionConflict(ours: ours, theirs: record, line: line)
            setAsideSessions.insert(record.id)
            return
        }
        ledger.summary.sessions.present += 1
        guard let theirs = record.void else { return }
        guard let mine = ours.void else {
            gate?.check(LockProbe(areaID: areaID, area: record.area, day: record.day, session: record.id.uuidString, line: line))
            voids.append(PendingVoid(line: line, sessionID: localID, session: record.id, areaID: areaID, day: record.day.number,
                                     void: theirs, wasLive: true, replacing: false))
            return
        }
        if mine == theirs { ledger.summary.voids.present += 1; return }
        // Two different voids of one session: the earlier is kept (by day, reason, replacement).
        if ledger.decideVoids(ours: ours, theirs: record, line: line) {
            voids.append(PendingVoid(line: line, sessionID: localID, session: record.id, areaID: areaID, day: record.day.number,
                                     void: theirs, wasLive: false, replacing: true))
        }
    }

    /// Writes the bundle's voids once every session is in (a void may name a later replacement),
    /// and takes newly voided sessions out of the running totals.
    private mutating func applyVoids() throws {
        var recompute = Set<[Int64]>()
        for v in voids {
            var replacement: Int64? = nil
            if let id = v.void.replacedBy {
                guard let local = try aliases[id] ?? Int64.fetchOne(db, sql: "SELECT id FROM session WHERE uuid = ?", arguments: [id.data]) else {
                    throw BundleError.badRecord(file: reader.name, line: v.line, text: "the session \(id) that replaced session \(v.session) is neither in the bundle nor in this workspace")
                }
                replacement = local
            }
            if v.replacing {
                try db.execute(sql: "UPDATE session_void SET day = ?, reason = ?, replaced_by = ? WHERE session_id = ?",
                               arguments: [v.void.day.number, v.void.reason, replacement, v.sessionID])
                continue
            }
            try db.execute(sql: "INSERT INTO session_void (session_id, day, reason, replaced_by, voided_by) VALUES (?, ?, ?, ?, ?)",
                           arguments: [v.sessionID, v.void.day.number, v.void.reason, replacement, nil as String?])
            ledger.summary.voids.new += 1
            if v.wasLive { recompute.insert([v.areaID, Int64(v.day)]) }
        }
        for key in recompute.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            try Store.recomputeTotals(db, areaID: key[0], day: Int(key[1]))
        }
    }

    private mutating func sessionMetric(_ record: SessionMetricRecord, line: Int) throws {
        let alias = aliases[record.session]
        guard let session = try Row.fetchOne(db, sql: """
            SELECT s.id, s.area_id, s.day, EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id) FROM session s
            WHERE \(alias == nil ? "s.uuid = ?" : "s.id = ?")
            """, arguments: [alias.map { $0 as any DatabaseValueConvertible } ?? record.session.data]) else {
            throw RecordError("the session \(record.session) of this count is neither in the bundle nor in this workspace")
        }
        let sessionID: Int64 = session[0]
        if setAsideSessions.contains(record.session) {
            ledger.metricOfSetAsideSession(record)
            return
        }
        try db.execute(sql: "INSERT INTO session_metric (session_id, metric, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                       arguments: [sessionID, record.metric, record.value])
        if db.changesCount > 0 {
            ledger.summary.sessionMetrics.new += 1
            if !(session[3] as Bool) {
                buckets.add(metrics: [record.metric: record.value], area: session[1], day: session[2])
                if buckets.isFull { try buckets.flush(db) }
            }
            return
        }
        let value = try Int.fetchOne(db, sql: "SELECT value FROM session_metric WHERE session_id = ? AND metric = ?",
                                     arguments: [sessionID, record.metric])
        if value == record.value { ledger.summary.sessionMetrics.present += 1; return }
        ledger.metricConflict(ours: value ?? 0, theirs: record, line: line)
    }

    // MARK: Leaflets

    private mutating func move(_ record: MoveRecord, line: Int) throws {
        func areaID(_ code: String) throws -> Int64 {
            guard let i = areas.index[code] else {
                throw RecordError("the area \"\(code)\" of leaflet move \(record.id) is neither in the bundle nor in this workspace")
            }
            return areas.rows[i].id
        }
        let to = try areaID(record.to)
        let from = try record.from.map(areaID)
        try db.execute(sql: """
            INSERT INTO leaflet_move (uuid, day, from_area_id, to_area_id, quantity, batch, allowed_negative)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO NOTHING
            """, arguments: [record.id.data, record.day.number, from, to, record.quantity, record.batch, record.allowedNegative])
        if db.changesCount > 0 { ledger.summary.leafletMoves.new += 1; return }
        let row = try Row.fetchOne(db, sql: """
            SELECT day, from_area_id, to_area_id, quantity, batch, allowed_negative FROM leaflet_move WHERE uuid = ?
            """, arguments: [record.id.data])!
        let ours = MoveRecord(id: record.id, day: Day(number: row[0]), from: (row[1] as Int64?).map(areas.code(of:)),
                              to: areas.code(of: row[2]), quantity: row[3], batch: row[4], allowedNegative: row[5])
        if ours == record { ledger.summary.leafletMoves.present += 1; return }
        ledger.moveConflict(ours: ours, theirs: record, line: line)
    }

    /// Writes a revision stamp without firing the stamping triggers (they watch content columns).
    private func restamp(_ table: String, _ id: Int64, _ stamp: String) throws {
        try db.execute(sql: "UPDATE \(table) SET revised = ? WHERE id = ?", arguments: [stamp, id])
    }
}

/// The prepared statements that insert and look up sessions, bound through the C API.
private struct SessionStatements {
    let insert: Statement
    let lookup: Statement
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    init(_ db: Database) throws {
        let codes = Metric.allCases.map(\.code)
        insert = try db.makeStatement(sql: """
            INSERT INTO session (uuid, day, area_id, team_id, logged_by, \(codes.joined(separator: ", ")), notes, row_key)
            VALUES (?, ?, ?, ?, ?, \(codes.map { _ in "?" }.joined(separator: ", ")), ?, ?) ON CONFLICT DO NOTHING
            """)
        // By id, or else by row key (the session under another id: see `SessionRecord.key`).
        lookup = try db.makeStatement(sql: """
            SELECT s.id, s.day, s.area_id, s.team_id, s.logged_by, \(codes.map { "s.\($0)" }.joined(separator: ", ")),
                s.notes, v.day, v.reason, r.uuid, s.uuid
            FROM session s LEFT JOIN session_void v ON v.session_id = s.id LEFT JOIN session r ON r.id = v.replaced_by
            WHERE s.uuid = ?1 OR s.row_key = ?2 ORDER BY s.uuid = ?1 DESC LIMIT 1
            """)
    }

    /// Inserts the session unless its id is known; whether it was inserted.
    func insert(_ db: Database, _ r: SessionRecord, areaID: Int64, teamID: Int64?) throws -> Bool {
        let stmt = insert.sqliteStatement
        sqlite3_reset(stmt)
        r.id.bytes.withUnsafeBytes { _ = sqlite3_bind_blob(stmt, 1, $0.baseAddress, 16, SessionStatements.transient) }
        sqlite3_bind_int64(stmt, 2, Int64(r.day.number))
        sqlite3_bind_int64(stmt, 3, areaID)
        if let teamID { sqlite3_bind_int64(stmt, 4, teamID) } else { sqlite3_bind_null(stmt, 4) }
        bind(stmt, 5, r.loggedBy)
        for (m, v) in r.metrics.values.enumerated() {
            if let v { sqlite3_bind_int64(stmt, Int32(6 + m), Int64(v)) } else { sqlite3_bind_null(stmt, Int32(6 + m)) }
        }
        bind(stmt, Int32(6 + MetricValues.width), r.notes)
        if let key = r.key {
            key.bytes.withUnsafeBytes { _ = sqlite3_bind_blob(stmt, Int32(7 + MetricValues.width), $0.baseAddress, 16, SessionStatements.transient) }
        } else {
            sqlite3_bind_null(stmt, Int32(7 + MetricValues.width))
        }
        let rc = sqlite3_step(stmt)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return sqlite3_changes(db.sqliteConnection) > 0
    }

    private func bind(_ stmt: OpaquePointer?, _ index: Int32, _ text: String?) {
        guard let text else { sqlite3_bind_null(stmt, index); return }
        var copy = text
        copy.withUTF8 { _ = sqlite3_bind_text(stmt, index, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self),
                                              Int32($0.count), SessionStatements.transient) }
    }

    /// The stored session with this id or else this row key (its rowid, and as a record with
    /// its void, under the id `id`).
    func existing(_ db: Database, _ id: StableID, key: StableID?, areas: StoredAreas,
                  teams: [Int64: String]) throws -> (Int64, SessionRecord, aliased: Bool) {
        let stmt = lookup.sqliteStatement
        sqlite3_reset(stmt)
        id.bytes.withUnsafeBytes { _ = sqlite3_bind_blob(stmt, 1, $0.baseAddress, 16, SessionStatements.transient) }
        if let key {
            key.bytes.withUnsafeBytes { _ = sqlite3_bind_blob(stmt, 2, $0.baseAddress, 16, SessionStatements.transient) }
        } else {
            sqlite3_bind_null(stmt, 2)
        }
        let c = SQLiteColumns(stmt)
        guard try c.step(db) else {
            throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "session vanished during a merge")
        }
        let width = MetricValues.width
        var metrics = MetricValues()
        for m in 0..<width { metrics.values[m] = c.int(Int32(5 + m)) }
        var void: VoidRecord? = nil
        if let day = c.int(Int32(6 + width)) {
            void = VoidRecord(day: Day(number: day), reason: c.text(Int32(7 + width)) ?? "", replacedBy: c.id(Int32(8 + width)))
        }
        let teamCode = c.int(3).flatMap { teams[Int64($0)] }
        // Found by its key, it is shown under the bundle's id: `sameContent` compares the rest.
        let aliased = c.id(Int32(9 + width)) != id
        let record = SessionRecord(id: id, day: Day(number: c.int(1)!), area: areas.code(of: Int64(c.int(2)!)), team: teamCode,
                                   loggedBy: c.text(4), metrics: metrics, notes: c.text(Int32(5 + width)), void: void)
        let rowID = Int64(c.int(0)!)
        sqlite3_reset(stmt)
        return (rowID, record, aliased)
    }
}

extension MetricValues {
    /// Calls `body` with the values (0 where not recorded) and the recorded flags, as
    /// `MonthBuckets` takes them.
    func withTotals(_ body: (UnsafePointer<Int>, UnsafePointer<Bool>) -> Void) {
        let numbers = values.map { $0 ?? 0 }
        let flags = values.map { $0 != nil }
        numbers.withUnsafeBufferPointer { n in flags.withUnsafeBufferPointer { f in body(n.baseAddress!, f.baseAddress!) } }
    }
}

extension AreaRecord {
    /// The record without its revision stamp: what two versions compare.
    var content: [UInt8] { var w = BundleLineWriter(); encode(&w, revised: false); return w.bytes }
    var bytes: [UInt8] { var w = BundleLineWriter(); encode(&w); return w.bytes }
    var line: [UInt8] { bytes }
}

extension TeamRecord {
    var content: [UInt8] { var w = BundleLineWriter(); encode(&w, revised: false); return w.bytes }
    var bytes: [UInt8] { var w = BundleLineWriter(); encode(&w); return w.bytes }
    var line: [UInt8] { bytes }
}

extension MemberRecord {
    var content: [UInt8] { var w = BundleLineWriter(); encode(&w, revised: false); return w.bytes }
    var bytes: [UInt8] { var w = BundleLineWriter(); encode(&w); return w.bytes }
    var line: [UInt8] { bytes }
}

extension SessionRecord {
    var bytes: [UInt8] { var w = BundleLineWriter(); encode(&w); return w.bytes }
}

extension SessionMetricRecord {
    var bytes: [UInt8] { var w = BundleLineWriter(); encode(&w); return w.bytes }
}

extension MoveRecord {
    var bytes: [UInt8] { var w = BundleLineWriter(); encode(&w); return w.bytes }
}
