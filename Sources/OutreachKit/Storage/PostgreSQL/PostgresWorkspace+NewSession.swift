import Foundation
import PostgresNIO

// A new session on PostgreSQL (no correction), the server's hot path, in two round trips rather
// than a transaction of seven: one statement reads everything the checks need (the area's facts,
// its chain up the tree, the team's facts, whether any unit has ever been closed), the checks run
// in Swift (`SessionRules`, `LockRules`, the same as in `logSession`), and one statement writes the
// session, its campaign counts and its audit row together: a single statement is all or nothing,
// and the running totals are kept by its statement triggers as before.
//
// Both statements are prepared once per pooled connection (`PostgresPreparedStatement`; postgres-nio
// keeps them by name): planning them took PostgreSQL longer than running them (1.5 ms against
// 0.3 ms for the facts), and every post paid it twice. Their parameters carry explicit types, so
// a prepared statement's inferred types are the ones the values are sent in.
//
// What a transaction around the two would add is nothing: under READ COMMITTED every statement
// takes its own snapshot, so the read-then-write of `logSession` leaves the same window between
// its lock check and its insert. The id stays unique (`session_uuid`): a second post of an id
// inserts nothing and is answered as `logSession` answers it (`SessionError.idTaken`).
extension PostgresWorkspace {
    func logNewSession(_ session: NewSession, today: Day, recorder: Recorder) async throws -> LoggedSession {
        try await single { connection in
            let facts = try await Self.entryFacts(connection, area: session.area, team: session.team)
            guard let area = facts.area else { throw SessionError.unknownArea(session.area) }
            if let code = session.team, facts.team == nil { throw SessionError.unknownTeam(code) }
            var warnings = SessionRules.warnings(session, today: today, area: area, team: facts.team)
            warnings += try SessionRules.ruleWarnings(session, area: area, chain: facts.chain.map(\.code))
            // Only when a period can be closed at all (as `lockRules` decides) is the lock read.
            if facts.anyClosed || !recorder.autoLocks.isEmpty {
                try await Self.refuseLocked(connection, [LockProbe(areaID: area.id, area: session.area, day: session.day)],
                                            today: today, known: [area.id: facts.chain.map(\.id)])
            }
            let notes = SessionRules.storedNotes(session.notes)
            var uuid = session.id.map(StableID.init) ?? StableID.random()
            while true {
                let audit = SessionAudit.logged(session, id: uuid.uuidString, replaced: nil, reason: nil, notes: notes?.text,
                                                recorder: recorder)
                if try await Self.insertNewSession(connection, session, uuid: uuid, area: area.id, team: facts.team?.id,
                                                   notes: notes?.text, recorder: recorder, audit: audit) {
                    return LoggedSession(id: uuid.uuidString, replaced: nil, warnings: warnings, maskedNumbers: notes?.masked ?? 0)
                }
                if session.id != nil { throw SessionError.idTaken(uuid.uuidString) }
                uuid = StableID.random()  // a random id met twice: never in practice, but never two sessions under one id
            }
        }
    }

    /// What the checks of a new session read, in one statement.
    struct EntryFacts: Sendable {
        var area: AreaFacts?
        var team: TeamFacts?
        /// The area and every unit above it, nearest first.
        var chain: [AreaLink]
        /// Whether any unit has ever closed a period.
        var anyClosed: Bool
    }

    /// The statement of `entryFacts`: `$1` the area's code, `$2` the team's (or NULL).
    static let entryFactsSQL = """
        WITH RECURSIVE up(id, parent_id, level, code, n) AS (
            SELECT id, parent_id, level, code, 0 FROM area WHERE code = $1::text
            UNION ALL SELECT a.id, a.parent_id, a.level, a.code, up.n + 1 FROM area a JOIN up ON a.id = up.parent_id WHERE up.n < 64),
        tup(id, parent_id, level, n) AS (
            SELECT a.id, a.parent_id, a.level, 0 FROM team t JOIN area a ON a.id = t.area_id WHERE t.code = $2::text
            UNION ALL SELECT a.id, a.parent_id, a.level, tup.n + 1 FROM area a JOIN tup ON a.id = tup.parent_id WHERE tup.n < 64)
        SELECT a.id, a.adults, a.population, a.households, a.working_age,
               (SELECT up.id FROM up WHERE up.level IN (\(communeLevels)) ORDER BY up.n LIMIT 1),
               (SELECT array_agg(up.id ORDER BY up.n) FROM up), (SELECT array_agg(up.code ORDER BY up.n) FROM up),
               EXISTS (SELECT 1 FROM approval WHERE state = 'closed'),
               t.id, t.status, (SELECT tup.id FROM tup WHERE tup.level IN (\(communeLevels)) ORDER BY tup.n LIMIT 1)
        FROM (SELECT 1) one
        LEFT JOIN area a ON a.code = $1::text
        LEFT JOIN team t ON t.code = $2::text
        """

    /// `entryFactsSQL`, prepared once per connection.
    struct EntryFactsStatement: PostgresPreparedStatement {
        static let sql = PostgresWorkspace.entryFactsSQL
        typealias Row = PostgresRow
        var area: String
        var team: String?
        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 2)
            binds.append(area)
            binds.append(team)
            return binds
        }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    static func entryFacts(_ connection: PostgresConnection, area code: String, team: String?) async throws -> EntryFacts {
        let rows = try await connection.execute(EntryFactsStatement(area: code, team: team), logger: quiet)
        for try await row in rows {
            let c = row.makeRandomAccess()
            var facts = EntryFacts(area: nil, team: nil, chain: [], anyClosed: try c[8].decode(Bool.self))
            if let id = c[0].int {
                facts.area = AreaFacts(id: Int64(id), communeID: c[5].int.map(Int64.init), adults: c[1].int, population: c[2].int,
                                       households: c[3].int, workingAge: c[4].int)
                let ids = try c[6].decode([Int64]?.self) ?? []
                let codes = try c[7].decode([String]?.self) ?? []
                facts.chain = zip(ids, codes).map { AreaLink(id: $0, code: $1) }
            }
            if let id = c[9].int {
                facts.team = TeamFacts(id: Int64(id), code: team ?? "", communeID: c[11].int.map(Int64.init), active: c[10].text == "active")
            }
            return facts
        }
        return EntryFacts(area: nil, team: nil, chain: [], anyClosed: false)
    }

    /// The statement that writes a new session, its campaign counts and its audit row; `$1`…
    /// in the order `insertNewSession` binds them.
    static let newSessionSQL: String = {
        let codes = Metric.allCases.map(\.code)
        let sessionColumns = ["uuid", "day", "area_id", "team_id", "logged_by"] + codes + ["notes", "recorded_by", "recorded"]
        // The types the values are bound in (`sessionBindings`, then the audit row's).
        let sessionTypes = ["bytea", "bigint", "bigint", "bigint", "text"] + codes.map { _ in "bigint" } + ["text", "text", "bigint"]
        let auditTypes = ["bytea", "text", "text", "text", "text", "text", "bigint", "text", "text", "text"]
        let n = sessionColumns.count
        return """
            WITH s AS (
                INSERT INTO session (\(sessionColumns.joined(separator: ", ")))
                VALUES (\(sessionTypes.enumerated().map { "$\($0.offset + 1)::\($0.element)" }.joined(separator: ", ")))
                ON CONFLICT (uuid) DO NOTHING RETURNING id),
            m AS (
                INSERT INTO session_metric (session_id, metric, value)
                SELECT s.id, t.m, t.v FROM s, unnest($\(n + 1)::text[], $\(n + 2)::bigint[]) AS t(m, v)),
            x AS (
                INSERT INTO audit (uuid, stamp, actor, action, subject, key, area_id, before_value, after_value, reason, workspace)
                SELECT \(auditTypes.enumerated().map { "$\(n + 3 + $0.offset)::\($0.element)" }.joined(separator: ", ")), COALESCE((SELECT id FROM workspace LIMIT 1), '') FROM s
                ON CONFLICT (uuid) DO NOTHING)
            SELECT id FROM s
            """
    }()

    /// Writes a new session under `uuid` with its counts and `audit`; false when a session already
    /// has that id (nothing is written then).
    static func insertNewSession(_ connection: PostgresConnection, _ session: NewSession, uuid: StableID, area: Int64, team: Int64?,
                                 notes: String?, recorder: Recorder, audit: AuditEntry) async throws -> Bool {
        var binds = try sessionBindings(session, uuid: uuid, area: area, team: team, notes: notes, recorder: recorder, capacity: 32)
        let counts = session.campaignCounts.sorted { $0.key < $1.key }
        binds.append(counts.map(\.key))
        binds.append(counts.map(\.value))
        binds.append(ByteBuffer(bytes: withUnsafeBytes(of: audit.id.uuid) { Array($0) }))
        binds.append(audit.stamp)
        binds.append(audit.actor)
        binds.append(audit.action.rawValue)
        binds.append(audit.subject)
        binds.append(audit.key)
        binds.append(area)
        binds.append(audit.before)
        binds.append(audit.after)
        binds.append(audit.reason)
        for try await _ in try await connection.execute(NewSessionStatement(bindings: binds), logger: quiet) { return true }
        return false
    }

    /// `newSessionSQL`, prepared once per connection.
    struct NewSessionStatement: PostgresPreparedStatement {
        static let sql = PostgresWorkspace.newSessionSQL
        typealias Row = Int64
        var bindings: PostgresBindings
        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }
}
