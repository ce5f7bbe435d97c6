import Foundation
import GRDB

extension Store {
    /// Logs one session, optionally as the correction of `replacing` (which is voided with
    /// `reason` in the same transaction). Warns, without refusing, when the team is inactive or
    /// works outside its commune, when a count exceeds what the area holds, or when the date is
    /// after `today`.
    ///
    /// - Parameter campaignMetrics: the metrics campaigns declare; the session's
    ///   `campaignCounts` may use only these.
    public func logSession(_ session: NewSession, today: Day, replacing: String? = nil,
                           reason: String? = nil, campaignMetrics: [String] = []) throws -> LoggedSession {
        try SessionRules.validate(session, campaignMetrics: campaignMetrics)
        let recorder = Recorder.current
        // A pool (the server's) is already at NORMAL: no extra turn of its writer per session.
        if !(writer is DatabasePool) { try guarded { try writer.writeWithoutTransaction { try Store.syncAtCheckpoints($0) } } }
        return try write { db in
            guard let area = try Store.areaFacts(db, code: session.area) else { throw SessionError.unknownArea(session.area) }
            var team: TeamFacts? = nil
            if let code = session.team {
                guard let t = try Store.teamFacts(db, code: code) else { throw SessionError.unknownTeam(code) }
                team = t
            }
            var warnings = SessionRules.warnings(session, today: today, area: area, team: team)
            // The chain up the tree, read once when the entry rules need it; the lock check reuses it.
            let chain = SessionRules.needsChain(session.day) ? try Store.areaChain(db, area.id) : nil
            warnings += try SessionRules.ruleWarnings(session, area: area, chain: chain?.map(\.code) ?? [])
            let values = session.metrics.values.map { $0 ?? 0 }
            let recorded = session.metrics.values.map { $0 != nil }
            var old: (id: Int64, area: Int64, day: Int, uuid: String, code: String)? = nil
            var voidReason = ""
            if let replacing {
                voidReason = try SessionRules.reason(reason)
                old = try Store.liveSession(db, id: replacing)
            }
            var probes = [LockProbe(areaID: area.id, area: session.area, day: session.day)]
            if let old { probes.append(LockProbe(areaID: old.area, area: old.code, day: Day(number: old.day), session: old.uuid)) }
            try Store.refuseLocked(db, probes, today: today, known: chain.map { [area.id: $0.map(\.id)] } ?? [:])
            let uuid = withUnsafeBytes(of: (session.id ?? UUID()).uuid) { Array($0) }
            if session.id != nil, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM session WHERE uuid = ?"), arguments: [Data(uuid)]) == true {
                throw SessionError.idTaken(SessionID.format(uuid))
            }
            var args: [(any DatabaseValueConvertible)?] = [Data(uuid), session.day.number, area.id, team?.id,
                                                             SessionRules.storedLoggedBy(session.loggedBy)]
            for v in session.metrics.values { args.append(v) }
            let notes = SessionRules.storedNotes(session.notes)
            args += [notes?.text, recorder.name, Int(recorder.now().timeIntervalSince1970)]
            try db.cachedStatement(sql: Store.insertSessionSQL).execute(arguments: StatementArguments(args))
            let newID = db.lastInsertedRowID
            for (code, value) in session.campaignCounts.sorted(by: { $0.key < $1.key }) {
                try db.cachedStatement(sql: "INSERT INTO session_metric (session_id, metric, value) VALUES (?, ?, ?)")
                    .execute(arguments: [newID, code, value])
            }
            var buckets = MonthBuckets(periods: try PeriodRange.all(db))
            values.withUnsafeBufferPointer { v in
                recorded.withUnsafeBufferPointer { r in
                    buckets.add(area: area.id, day: session.day.number, values: v.baseAddress!, recorded: r.baseAddress!)
                }
            }
            buckets.add(metrics: session.campaignCounts, area: area.id, day: session.day.number)
            try buckets.apply(db)
            if let old {
                try db.execute(sql: """
                    INSERT INTO session_void (session_id, day, reason, replaced_by, voided_by, voided) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [old.id, today.number, voidReason, newID, recorder.name, Int(recorder.now().timeIntervalSince1970)])
                try Store.recomputeTotals(db, areaID: old.area, day: old.day)
            }
            try Store.audit(db, SessionAudit.logged(session, id: SessionID.format(uuid), replaced: old?.uuid, reason: voidReason,
                                                    notes: notes?.text, recorder: recorder))
            return LoggedSession(id: SessionID.format(uuid), replaced: old?.uuid, warnings: warnings, maskedNumbers: notes?.masked ?? 0)
        }
    }

    /// The statement that writes one new session (`logSession`).
    static let insertSessionSQL: String = {
        let codes = Metric.allCases.map(\.code)
        return """
            INSERT INTO session (uuid, day, area_id, team_id, logged_by, \(codes.joined(separator: ", ")), notes, recorded_by, recorded)
            VALUES (?, ?, ?, ?, ?, \(codes.map { _ in "?" }.joined(separator: ", ")), ?, ?, ?)
            """
    }()

    /// In WAL mode, `synchronous = NORMAL` for this connection: a commit is written to the WAL
    /// without waiting for the disk, which is synced at every checkpoint, and the checkpoint
    /// that closing the workspace runs makes a logged session durable before the command
    /// returns. A process that dies after the commit loses nothing (the WAL is in the file
    /// system); only a power cut between the commit and that checkpoint can lose the session,
    /// and never corrupts the file (SQLite's documentation of `synchronous`). A pool (GRDB)
    /// already sets NORMAL; a single connection starts at SQLite's FULL, one sync more a write.
    /// A file in a rollback journal (during a big import elsewhere) keeps FULL.
    static func syncAtCheckpoints(_ db: Database) throws {
        guard try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" else { return }
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }

    /// Voids a session: it leaves every total and stays in the history. Returns its full id.
    @discardableResult
    public func voidSession(_ id: String, reason: String, on day: Day) throws -> String {
        let reason = try SessionRules.reason(reason)
        let recorder = Recorder.current
        return try write { db in
            let old = try Store.liveSession(db, id: id)
            try Store.refuseLocked(db, [LockProbe(areaID: old.area, area: old.code, day: Day(number: old.day), session: old.uuid)], today: day)
            try db.execute(sql: "INSERT INTO session_void (session_id, day, reason, voided_by, voided) VALUES (?, ?, ?, ?, ?)",
                           arguments: [old.id, day.number, reason, recorder.name, Int(recorder.now().timeIntervalSince1970)])
            try Store.recomputeTotals(db, areaID: old.area, day: old.day)
            try Store.audit(db, SessionAudit.voided(old.uuid, area: old.code, reason: reason, recorder: recorder))
            return old.uuid
        }
    }

    /// Finds a session by its full id or a unique prefix of it; voided sessions are refused.
    static func liveSession(_ db: Database, id text: String) throws -> (id: Int64, area: Int64, day: Int, uuid: String, code: String) {
        let (lookup, shown) = try SessionRules.lookup(text)
        let select = """
            SELECT s.id, s.area_id, s.day, s.uuid, v.day, v.reason, (SELECT code FROM area WHERE id = s.area_id)
            FROM session s LEFT JOIN session_void v ON v.session_id = s.id
            """
        let rows: [Row]
        switch lookup {
        case let .whole(bytes): rows = try Row.fetchAll(db, sql: select + " WHERE s.uuid = ?", arguments: [Data(bytes)])
        case let .prefix(hex): rows = try Row.fetchAll(db, sql: select + " WHERE hex(s.uuid) LIKE ? LIMIT 2", arguments: [hex + "%"])
        }
        let row = try SessionRules.live(rows, shown: shown, uuid: { [UInt8]($0[3] as Data) },
                                        void: { r in (r[4] as Int?).map { (Day(number: $0), r[5] as String) } })
        return (row[0], row[1], row[2], SessionID.format([UInt8](row[3] as Data)), row[6])
    }

    /// Sessions matching `query`, by date then id; voided ones only with `includeVoided`.
    public func sessions(_ query: SessionQuery) throws -> [SessionEntry] {
        try read { db in
            var conditions: [String] = []
            var args: [(any DatabaseValueConvertible)?] = []
            var with = ""
            if let under = query.under {
                guard let root = try Int64.fetchOne(db, sql: "SELECT id FROM area WHERE code = ?", arguments: [under]) else {
                    throw SessionError.unknownArea(under)
                }
                with = "WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id) "
                args.append(root)
                conditions.append("s.area_id IN (SELECT id FROM sub)")
            }
            if let from = query.from { conditions.append("s.day >= ?"); args.append(from.number) }
            if let to = query.to { conditions.append("s.day <= ?"); args.append(to.number) }
            if let team = query.team {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM team WHERE code = ?", arguments: [team]) else {
                    throw SessionError.unknownTeam(team)
                }
                conditions.append("s.team_id = ?")
                args.append(id)
            }
            if let id = query.id {
                conditions.append("s.uuid = ?")
                args.append(Data(withUnsafeBytes(of: id.uuid) { Array($0) }))
            }
            if !query.includeVoided { conditions.append("v.session_id IS NULL") }
            let codes = Metric.allCases.map(\.code)
            let filter = """
                FROM session s JOIN area a ON a.id = s.area_id
                LEFT JOIN team t ON t.id = s.team_id
                LEFT JOIN session_void v ON v.session_id = s.id
                LEFT JOIN session r ON r.id = v.replaced_by
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                """
            // Counts of campaign metrics, by session.
            var campaignCounts: [Int64: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: """
                \(with)SELECT m.session_id, m.metric, m.value FROM session_metric m WHERE m.session_id IN (SELECT s.id \(filter))
                """, arguments: StatementArguments(args)) {
                campaignCounts[row[0], default: [:]][row[1]] = row[2]
            }
            let sql = """
                \(with)SELECT s.uuid, s.day, a.code, a.name, t.code, s.logged_by, \(codes.map { "s.\($0)" }.joined(separator: ", ")),
                    s.notes, v.day, v.reason, r.uuid, s.id
                \(filter)
                \(query.orderSQL)
                """
            var out: [SessionEntry] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
            let n = codes.count
            while let row = try cursor.next() {
                var metrics = campaignCounts[row[10 + n]] ?? [:]
                for (i, code) in codes.enumerated() { if let v: Int = row[6 + i] { metrics[code] = v } }
                var voided: SessionEntry.VoidInfo? = nil
                if let vday: Int = row[7 + n] {
                    voided = .init(date: Day(number: vday), reason: row[8 + n],
                                   replacedBy: (row[9 + n] as Data?).map { SessionID.format(Array($0)) })
                }
                out.append(SessionEntry(id: SessionID.format(Array(row[0] as Data)), date: Day(number: row[1]), area: row[2],
                                        areaName: row[3], team: row[4], loggedBy: row[5], metrics: metrics,
                                        notes: row[6 + n], voided: voided))
            }
            return out
        }
    }
}
