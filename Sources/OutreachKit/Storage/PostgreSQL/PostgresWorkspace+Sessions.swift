import Foundation
import PostgresNIO

// Logging, voiding and listing sessions on PostgreSQL. What is decided apart from the database
// (refusals, warnings, stored notes, id lookups) is `SessionRules`, shared with SQLite. Running
// totals are kept by the triggers of the totals migration: these writes only insert rows.
//
// Many writers: each write is one READ COMMITTED transaction (retried on serialization failures
// and deadlocks). A session id is unique (`session_uuid`), and a session is voided at most once
// (`session_void`'s key): the second of two concurrent voids waits for the first, inserts
// nothing (`ON CONFLICT DO NOTHING`) and answers `alreadyVoided` as if it had seen it.
extension PostgresWorkspace {
    public func logSession(_ session: NewSession, today: Day, replacing: String?, reason: String?,
                           campaignMetrics: [String]) async throws -> LoggedSession {
        try SessionRules.validate(session, campaignMetrics: campaignMetrics)
        let recorder = Recorder.current
        // A new session takes the two-statement path (`logNewSession`); a correction, which voids
        // another session too, one transaction.
        if replacing == nil { return try await logNewSession(session, today: today, recorder: recorder) }
        return try await transaction { connection in
            guard let area = try await Self.areaFacts(connection, code: session.area) else {
                throw SessionError.unknownArea(session.area)
            }
            var team: TeamFacts? = nil
            if let code = session.team {
                guard let t = try await Self.teamFacts(connection, code: code) else { throw SessionError.unknownTeam(code) }
                team = t
            }
            var warnings = SessionRules.warnings(session, today: today, area: area, team: team)
            // The chain up the tree, read once when the entry rules need it; the lock check reuses it.
            let chain = SessionRules.needsChain(session.day) ? try await Self.areaChain(connection, area.id) : nil
            warnings += try SessionRules.ruleWarnings(session, area: area, chain: chain?.map(\.code) ?? [])
            var old: StoredSession? = nil
            var voidReason = ""
            if let replacing {
                voidReason = try SessionRules.reason(reason)
                old = try await Self.liveSession(connection, id: replacing)
            }
            var probes = [LockProbe(areaID: area.id, area: session.area, day: session.day)]
            if let old { probes.append(LockProbe(areaID: old.area, area: old.code, day: old.day, session: SessionID.format(old.uuid))) }
            try await Self.refuseLocked(connection, probes, today: today, known: chain.map { [area.id: $0.map(\.id)] } ?? [:])
            let notes = SessionRules.storedNotes(session.notes)
            var uuid = session.id.map(StableID.init) ?? StableID.random()
            var newID = try await Self.insertSession(connection, session, uuid: uuid, area: area.id, team: team?.id,
                                                     notes: notes?.text, recorder: recorder)
            if newID == nil, session.id != nil { throw SessionError.idTaken(uuid.uuidString) }
            while newID == nil {  // a random id met twice: never in practice, but never two sessions under one id
                uuid = StableID.random()
                newID = try await Self.insertSession(connection, session, uuid: uuid, area: area.id, team: team?.id,
                                                     notes: notes?.text, recorder: recorder)
            }
            if !session.campaignCounts.isEmpty {
                let counts = session.campaignCounts.sorted { $0.key < $1.key }
                try await connection.query("""
                    INSERT INTO session_metric (session_id, metric, value)
                    SELECT \(newID!), m, v FROM unnest(\(counts.map(\.key))::text[], \(counts.map(\.value))::bigint[]) AS t(m, v)
                    """, logger: Self.quiet)
            }
            if let old {
                try await Self.insertVoid(connection, of: old, day: today, reason: voidReason, replacedBy: newID, recorder: recorder)
            }
            try await Self.audit(connection, SessionAudit.logged(session, id: uuid.uuidString, replaced: old.map { SessionID.format($0.uuid) },
                                                                 reason: voidReason, notes: notes?.text, recorder: recorder))
            return LoggedSession(id: uuid.uuidString, replaced: old.map { SessionID.format($0.uuid) }, warnings: warnings,
                                 maskedNumbers: notes?.masked ?? 0)
        }
    }

    public func voidSession(_ id: String, reason: String, on day: Day) async throws -> String {
        let reason = try SessionRules.reason(reason)
        let recorder = Recorder.current
        return try await transaction { connection in
            let old = try await Self.liveSession(connection, id: id)
            try await Self.refuseLocked(connection, [LockProbe(areaID: old.area, area: old.code, day: old.day,
                                                               session: SessionID.format(old.uuid))], today: day)
            try await Self.insertVoid(connection, of: old, day: day, reason: reason, replacedBy: nil, recorder: recorder)
            try await Self.audit(connection, SessionAudit.voided(SessionID.format(old.uuid), area: old.code, reason: reason, recorder: recorder))
            return SessionID.format(old.uuid)
        }
    }

    public func sessions(_ query: SessionQuery) async throws -> [SessionEntry] {
        try await read { connection in
            var conditions: [String] = []
            var binds = PostgresBindings()
            var with = ""
            if let under = query.under {
                guard let root = try await Self.id(connection, "SELECT id FROM area WHERE code = \(under)") else {
                    throw SessionError.unknownArea(under)
                }
                binds.append(root)
                with = "WITH RECURSIVE sub(id) AS (SELECT $\(binds.count)::bigint UNION ALL "
                    + "SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id) "
                conditions.append("s.area_id IN (SELECT id FROM sub)")
            }
            if let from = query.from { binds.append(from.number); conditions.append("s.day >= $\(binds.count)") }
            if let to = query.to { binds.append(to.number); conditions.append("s.day <= $\(binds.count)") }
            if let team = query.team {
                guard let id = try await Self.id(connection, "SELECT id FROM team WHERE code = \(team)") else {
                    throw SessionError.unknownTeam(team)
                }
                binds.append(id)
                conditions.append("s.team_id = $\(binds.count)")
            }
            if let id = query.id {
                try binds.append(StableID(id).data)
                conditions.append("s.uuid = $\(binds.count)")
            }
            if !query.includeVoided { conditions.append("v.session_id IS NULL") }
            let codes = Metric.allCases.map(\.code)
            let sql = """
                \(with)SELECT s.uuid, s.day, a.code, a.name, t.code, s.logged_by, \(codes.map { "s.\($0)" }.joined(separator: ", ")),
                    s.notes, v.day, v.reason, r.uuid, m.metrics, m.counts
                FROM session s JOIN area a ON a.id = s.area_id
                LEFT JOIN team t ON t.id = s.team_id
                LEFT JOIN session_void v ON v.session_id = s.id
                LEFT JOIN session r ON r.id = v.replaced_by
                LEFT JOIN LATERAL (SELECT array_agg(sm.metric ORDER BY sm.metric) AS metrics,
                                          array_agg(sm.value ORDER BY sm.metric) AS counts
                                   FROM session_metric sm WHERE sm.session_id = s.id) m ON true
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                \(query.orderSQL)
                """
            let n = codes.count
            var out: [SessionEntry] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: Self.quiet) {
                let cells = row.makeRandomAccess()
                var metrics: [String: Int] = [:]
                if let names = try cells[10 + n].decode([String]?.self), let counts = try cells[11 + n].decode([Int]?.self) {
                    for (name, count) in zip(names, counts) { metrics[name] = count }
                }
                for (i, code) in codes.enumerated() { if let v = try cells[6 + i].decode(Int?.self) { metrics[code] = v } }
                var voided: SessionEntry.VoidInfo? = nil
                if let day = try cells[7 + n].decode(Int?.self) {
                    voided = .init(date: Day(number: day), reason: try cells[8 + n].decode(String.self),
                                   replacedBy: try cells[9 + n].decode(Data?.self).map { SessionID.format(Array($0)) })
                }
                out.append(SessionEntry(id: SessionID.format(Array(try cells[0].decode(Data.self))),
                                        date: Day(number: try cells[1].decode(Int.self)),
                                        area: try cells[2].decode(String.self), areaName: try cells[3].decode(String.self),
                                        team: try cells[4].decode(String?.self), loggedBy: try cells[5].decode(String?.self),
                                        metrics: metrics, notes: try cells[6 + n].decode(String?.self), voided: voided))
            }
            return out
        }
    }

    // MARK: - Steps

    /// A stored session, as voiding it needs.
    struct StoredSession: Sendable {
        var id: Int64
        var uuid: [UInt8]
        var area: Int64
        var code: String
        var day: Day
    }

    /// Inserts `session` under `uuid`; its row id, or nil when a session already has that id.
    static func insertSession(_ connection: PostgresConnection, _ session: NewSession, uuid: StableID, area: Int64,
                              team: Int64?, notes: String?, recorder: Recorder) async throws -> Int64? {
        let codes = Metric.allCases.map(\.code)
        let binds = try sessionBindings(session, uuid: uuid, area: area, team: team, notes: notes, recorder: recorder)
        let sql = """
            INSERT INTO session (uuid, day, area_id, team_id, logged_by, \(codes.joined(separator: ", ")), notes, recorded_by, recorded)
            VALUES (\((1...binds.count).map { "$\($0)" }.joined(separator: ", ")))
            ON CONFLICT (uuid) DO NOTHING RETURNING id
            """
        for try await id in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: quiet)
            .decode(Int64.self) {
            return id
        }
        return nil
    }

    /// The values of a session row, in the order of `session`'s columns uuid, day, area_id,
    /// team_id, logged_by, the built-in metrics, notes, recorded_by, recorded.
    static func sessionBindings(_ session: NewSession, uuid: StableID, area: Int64, team: Int64?, notes: String?,
                                recorder: Recorder, capacity: Int = 16) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: capacity)
        try binds.append(uuid.data)
        binds.append(session.day.number)
        binds.append(area)
        binds.append(team)
        binds.append(SessionRules.storedLoggedBy(session.loggedBy))
        for value in session.metrics.values { binds.append(value) }
        binds.append(notes)
        binds.append(recorder.name)
        binds.append(Int(recorder.now().timeIntervalSince1970))
        return binds
    }

    /// Voids `old`. When another writer voided it since it was looked up, nothing is written and
    /// the answer is the one a later look-up would give: `alreadyVoided`, with that void's day and reason.
    static func insertVoid(_ connection: PostgresConnection, of old: StoredSession, day: Day, reason: String,
                           replacedBy: Int64?, recorder: Recorder) async throws {
        let stamp = Int(recorder.now().timeIntervalSince1970)
        let inserted = try await connection.query("""
            INSERT INTO session_void (session_id, day, reason, replaced_by, voided_by, voided)
            VALUES (\(old.id), \(day.number), \(reason), \(replacedBy), \(recorder.name), \(stamp))
            ON CONFLICT (session_id) DO NOTHING RETURNING session_id
            """, logger: quiet)
        for try await _ in inserted { return }
        for try await (vday, vreason) in try await connection.query(
            "SELECT day, reason FROM session_void WHERE session_id = \(old.id)", logger: quiet).decode((Int, String).self) {
            throw SessionError.alreadyVoided(SessionID.format(old.uuid), on: Day(number: vday), reason: vreason)
        }
        throw SessionError.unknownSession(SessionID.format(old.uuid))
    }

    /// Finds a live session by its full id or a unique prefix of it (`SessionRules.lookup`); a
    /// prefix is a range of the `session_uuid` index.
    static func liveSession(_ connection: PostgresConnection, id text: String) async throws -> StoredSession {
        let (lookup, shown) = try SessionRules.lookup(text)
        let rows: PostgresRowSequence
        switch lookup {
        case let .whole(bytes):
            rows = try await connection.query("""
                SELECT s.id, s.uuid, v.day, v.reason, s.area_id, a.code, s.day
                FROM session s JOIN area a ON a.id = s.area_id LEFT JOIN session_void v ON v.session_id = s.id
                WHERE s.uuid = \(Data(bytes))
                """, logger: quiet)
        case .prefix:
            let range = lookup.range!
            rows = try await connection.query("""
                SELECT s.id, s.uuid, v.day, v.reason, s.area_id, a.code, s.day
                FROM session s JOIN area a ON a.id = s.area_id LEFT JOIN session_void v ON v.session_id = s.id
                WHERE s.uuid BETWEEN \(Data(range.low)) AND \(Data(range.high)) LIMIT 2
                """, logger: quiet)
        }
        var matches: [(id: Int64, uuid: [UInt8], day: Int?, reason: String?, area: Int64, code: String, sday: Int)] = []
        for try await (id, uuid, day, reason, area, code, sday) in rows.decode((Int64, Data, Int?, String?, Int64, String, Int).self) {
            matches.append((id, Array(uuid), day, reason, area, code, sday))
        }
        let match = try SessionRules.live(matches, shown: shown, uuid: { $0.uuid },
                                          void: { m in m.day.map { (Day(number: $0), m.reason ?? "") } })
        return StoredSession(id: match.id, uuid: match.uuid, area: match.area, code: match.code, day: Day(number: match.sday))
    }

    /// The levels of communes, as an SQL list.
    static let communeLevels = AreaLevel.allCases.filter(\.isCommuneLevel).map { "'\($0.rawValue)'" }.joined(separator: ",")

    /// The facts of one area, by code, with its commune (the nearest commune-level area at or above it).
    static func areaFacts(_ connection: PostgresConnection, code: String) async throws -> AreaFacts? {
        let rows = try await connection.query("""
            WITH RECURSIVE up(id, parent_id, level, n) AS (
                SELECT id, parent_id, level, 0 FROM area WHERE code = \(code)
                UNION ALL SELECT a.id, a.parent_id, a.level, up.n + 1 FROM area a JOIN up ON a.id = up.parent_id WHERE up.n < 64)
            SELECT a.id, a.adults, a.population, a.households, a.working_age,
                   (SELECT up.id FROM up WHERE up.level IN (\(unescaped: communeLevels)) ORDER BY up.n LIMIT 1)
            FROM area a WHERE a.code = \(code)
            """, logger: quiet)
        for try await (id, adults, population, households, workingAge, commune)
                in rows.decode((Int64, Int?, Int?, Int?, Int?, Int64?).self) {
            return AreaFacts(id: id, communeID: commune, adults: adults, population: population, households: households,
                             workingAge: workingAge)
        }
        return nil
    }

    /// The facts of one team, by code, with the commune of its area.
    static func teamFacts(_ connection: PostgresConnection, code: String) async throws -> TeamFacts? {
        let rows = try await connection.query("""
            WITH RECURSIVE up(id, parent_id, level, n) AS (
                SELECT a.id, a.parent_id, a.level, 0 FROM team t JOIN area a ON a.id = t.area_id WHERE t.code = \(code)
                UNION ALL SELECT a.id, a.parent_id, a.level, up.n + 1 FROM area a JOIN up ON a.id = up.parent_id WHERE up.n < 64)
            SELECT t.id, t.status, (SELECT up.id FROM up WHERE up.level IN (\(unescaped: communeLevels)) ORDER BY up.n LIMIT 1)
            FROM team t WHERE t.code = \(code)
            """, logger: quiet)
        for try await (id, status, commune) in rows.decode((Int64, String, Int64?).self) {
            return TeamFacts(id: id, code: code, communeID: commune, active: status == "active")
        }
        return nil
    }

    /// The id the query answers, if any.
    static func id(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> Int64? {
        for try await id in try await connection.query(query, logger: quiet).decode(Int64.self) { return id }
        return nil
    }
}
