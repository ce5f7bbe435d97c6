import Foundation
import PostgresNIO

// A new session on PostgreSQL (no correction), the server's hot path. When no entry rule and no
// self-closing campaign applies, it is one statement (`logNewSessionAtOnce`): the facts, the only
// refusals left (an unknown area or team, a period ever closed) and the writes together; a closed
// period sends it down the other path, where the lock rules decide. Otherwise it is two round
// trips rather than a transaction of seven: one statement reads everything the checks need (the
// area's facts, its chain up the tree, the team's facts, whether any unit has ever been closed),
// the checks run in Swift (`SessionRules`, `LockRules`, the same as in `logSession`), and one
// statement writes the session, its campaign counts and its audit row together: a single
// statement is all or nothing, and the running totals are kept by its statement triggers.
//
// The statements are prepared once per pooled connection (`PostgresPreparedStatement`; postgres-nio
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
        // With no entry rule and no self-closing campaign, nothing the facts could show refuses a
        // session but an unknown area or team or a closed period, which SQL can see: one round trip.
        // When a period has been closed, the facts that statement read are the ones checked below.
        var known: EntryFacts? = nil
        if recorder.sessionRules.isEmpty && recorder.autoLocks.isEmpty {
            switch try await logNewSessionAtOnce(session, today: today, recorder: recorder) {
            case let .logged(logged): return logged
            case let .locksToCheck(facts): known = facts
            case .randomIDTaken: break
            }
        }
        return try await single { [known] connection in
            let facts: EntryFacts
            if let known { facts = known } else { facts = try await Self.entryFacts(connection, area: session.area, team: session.team) }
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

    /// A new session in one statement, when only an unknown area or team or a closed period
    /// could refuse it: the statement reads the facts (`entryFactsSQL`), writes the session, its
    /// counts and its audit row only when the area and the team exist and no period has ever been
    /// closed, and answers the facts with the new id.
    func logNewSessionAtOnce(_ session: NewSession, today: Day, recorder: Recorder) async throws -> AtOnce {
        let notes = SessionRules.storedNotes(session.notes)
        let uuid = session.id.map(StableID.init) ?? StableID.random()
        let audit = SessionAudit.logged(session, id: uuid.uuidString, replaced: nil, reason: nil, notes: notes?.text, recorder: recorder)
        var binds = PostgresBindings(capacity: 36)
        binds.append(session.area)
        binds.append(session.team)
        try binds.append(uuid.data)
        binds.append(session.day.number)
        binds.append(SessionRules.storedLoggedBy(session.loggedBy))
        for value in session.metrics.values { binds.append(value) }
        binds.append(notes?.text)
        binds.append(recorder.name)
        binds.append(Int(recorder.now().timeIntervalSince1970))
        let counts = session.campaignCounts.sorted { $0.key < $1.key }
        binds.append(counts.map(\.key))
        binds.append(counts.map(\.value))
        Self.appendAudit(audit, to: &binds)
        let statement = NewSessionAtOnceStatement(bindings: binds)
        let (facts, inserted) = try await single { connection in
            let rows = try await connection.execute(statement, logger: Self.quiet)
            for try await row in rows {
                let c = row.makeRandomAccess()
                return (try Self.entryFacts(c, team: session.team), c[12].int.map(Int64.init))
            }
            return (EntryFacts(area: nil, team: nil, chain: [], anyClosed: false), nil)
        }
        guard let area = facts.area else { throw SessionError.unknownArea(session.area) }
        if let code = session.team, facts.team == nil { throw SessionError.unknownTeam(code) }
        if facts.anyClosed { return .locksToCheck(facts) }
        guard inserted != nil else {
            if session.id != nil { throw SessionError.idTaken(uuid.uuidString) }
            return .randomIDTaken
        }
        let warnings = SessionRules.warnings(session, today: today, area: area, team: facts.team)
        return .logged(LoggedSession(id: uuid.uuidString, replaced: nil, warnings: warnings, maskedNumbers: notes?.masked ?? 0))
    }

    /// What `logNewSessionAtOnce` did.
    enum AtOnce {
        case logged(LoggedSession)
        /// Nothing written: a period has been closed somewhere, so the lock rules decide, on
        /// these facts (`logNewSession`'s other path).
        case locksToCheck(EntryFacts)
        /// Nothing written: a random id met one already stored (never in practice); the other
        /// path draws another.
        case randomIDTaken
    }

    /// The statement of `logNewSessionAtOnce`: `$1` the area's code, `$2` the team's, then the
    /// session's values, its campaign counts and its audit row, in the order it binds them.
    static let newSessionAtOnceSQL: String = {
        let codes = Metric.allCases.map(\.code)
        // $3… : uuid, day, logged_by, the metrics, notes, recorded_by, recorded.
        let values = ["$3::bytea", "$4::bigint", "ok.area_id", "ok.team_id", "$5::text"]
            + codes.indices.map { "$\(6 + $0)::bigint" }
            + ["$\(6 + codes.count)::text", "$\(7 + codes.count)::text", "$\(8 + codes.count)::bigint"]
        let n = 8 + codes.count  // the last session value
        let auditTypes = ["bytea", "text", "text", "text", "text", "text"]
        let auditFirst = n + 3
        let auditValues = auditTypes.enumerated().map { "$\(auditFirst + $0.offset)::\($0.element)" } + ["s.area_id"]
            + ["text", "text", "text"].enumerated().map { "$\(auditFirst + auditTypes.count + $0.offset)::\($0.element)" }
        let columns = ["uuid", "day", "area_id", "team_id", "logged_by"] + codes + ["notes", "recorded_by", "recorded"]
        return entryFactsSQL.replacingOccurrences(of: "\nSELECT a.id, a.adults", with: """
            ,
            f(area_id, adults, population, households, working_age, commune_id, chain_ids, chain_codes, any_closed, team_id,
              team_status, team_commune_id) AS (
            SELECT a.id, a.adults
            """)
            + """
            ),
            ok AS (SELECT area_id, team_id FROM f WHERE area_id IS NOT NULL AND ($2::text IS NULL OR team_id IS NOT NULL) AND NOT any_closed),
            s AS (
                INSERT INTO session (\(columns.joined(separator: ", ")))
                SELECT \(values.joined(separator: ", ")) FROM ok
                ON CONFLICT (uuid) DO NOTHING RETURNING id, area_id),
            m AS (
                INSERT INTO session_metric (session_id, metric, value)
                SELECT s.id, t.m, t.v FROM s, unnest($\(n + 1)::text[], $\(n + 2)::bigint[]) AS t(m, v)),
            x AS (
                INSERT INTO audit (uuid, stamp, actor, action, subject, key, area_id, before_value, after_value, reason, workspace)
                SELECT \(auditValues.joined(separator: ", ")), COALESCE((SELECT id FROM workspace LIMIT 1), '') FROM s
                ON CONFLICT (uuid) DO NOTHING)
            SELECT f.*, (SELECT id FROM s) FROM f
            """
    }()

    /// `newSessionAtOnceSQL`, prepared once per connection.
    struct NewSessionAtOnceStatement: PostgresPreparedStatement {
        static let sql = PostgresWorkspace.newSessionAtOnceSQL
        typealias Row = PostgresRow
        var bindings: PostgresBindings
        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
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
        for try await row in rows { return try entryFacts(row.makeRandomAccess(), team: team) }
        return EntryFacts(area: nil, team: nil, chain: [], anyClosed: false)
    }

    /// The facts in the first twelve columns of a row of `entryFactsSQL` (or of the statement
    /// that reads them on its way to a write).
    static func entryFacts(_ c: PostgresRandomAccessRow, team: String?) throws -> EntryFacts {
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
        appendAudit(audit, area: area, to: &binds)
        for try await _ in try await connection.execute(NewSessionStatement(bindings: binds), logger: quiet) { return true }
        return false
    }

    /// Binds `audit`'s values in the order of the audit columns (`area`'s id among them unless
    /// the statement takes it from the row it wrote).
    static func appendAudit(_ audit: AuditEntry, area: Int64? = nil, to binds: inout PostgresBindings) {
        binds.append(ByteBuffer(bytes: withUnsafeBytes(of: audit.id.uuid) { Array($0) }))
        binds.append(audit.stamp)
        binds.append(audit.actor)
        binds.append(audit.action.rawValue)
        binds.append(audit.subject)
        binds.append(audit.key)
        if let area { binds.append(area) }
        binds.append(audit.before)
        binds.append(audit.after)
        binds.append(audit.reason)
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
