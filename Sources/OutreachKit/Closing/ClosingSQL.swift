import Foundation

/// The SQL of who-and-when, the audit trail and approvals, written once for both engines
/// (`$n` parameters numbered in the order they appear, ISO text stamps in UTC). The migrations
/// `v8` (SQLite) and `pg5` (PostgreSQL) create the same columns; PostgreSQL's widen INTEGER to
/// BIGINT and BLOB to BYTEA.
enum ClosingSQL {
    /// Who recorded each session, void, import and leaflet move, and when.
    static let whoColumns = """
        -- Who recorded a session (the account or --by) and when (seconds since 1970, UTC). NULL
        -- for sessions recorded before this version; an imported session's are its import's.
        ALTER TABLE session ADD COLUMN recorded_by TEXT;
        ALTER TABLE session ADD COLUMN recorded INTEGER;
        ALTER TABLE session_void ADD COLUMN voided_by TEXT;
        ALTER TABLE session_void ADD COLUMN voided INTEGER;
        ALTER TABLE import_file ADD COLUMN imported_by TEXT;
        ALTER TABLE leaflet_move ADD COLUMN moved_by TEXT;
        """

    /// The columns of `audit` after its engine's id column: one change, never edited or
    /// deleted (triggers refuse both). `uuid` makes a row the same in every copy a bundle
    /// carries it to; `workspace` is the copy it was made in.
    static let auditColumns = """
        uuid BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
                stamp TEXT NOT NULL,
                actor TEXT NOT NULL CHECK (length(actor) > 0),
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                key TEXT NOT NULL,
                area_id INTEGER REFERENCES area(id),
                before_value TEXT,
                after_value TEXT,
                reason TEXT,
                workspace TEXT NOT NULL
        """
    static let auditIndexes = """
        CREATE INDEX audit_area ON audit(area_id);
        CREATE INDEX audit_stamp ON audit(stamp);
        """

    /// The state of a unit's figures for a period: `closed` (chốt; accepted, duyệt, when the unit
    /// above is closed too) or `open` (reopened with a reason; a period that would close itself
    /// after `lock_after_days` stays open). No row: open, never closed.
    static let approvalColumns = """
        area_id INTEGER NOT NULL REFERENCES area(id),
                period TEXT NOT NULL,
                first_day INTEGER NOT NULL,
                last_day INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('closed','open')),
                actor TEXT NOT NULL CHECK (length(actor) > 0),
                stamp TEXT NOT NULL,
                reason TEXT,
                PRIMARY KEY (area_id, period)
        """
}

extension ClosingSQL {
    /// A value bound to a `$n` parameter.
    enum Value: Sendable, Equatable {
        case text(String?)
        case int(Int64?)
        case double(Double?)
        case bytes([UInt8])
    }

    // MARK: Audit

    static let insertAudit = """
        INSERT INTO audit (uuid, stamp, actor, action, subject, key, area_id, before_value, after_value, reason, workspace)
        VALUES ($1, $2, $3, $4, $5, $6, (SELECT id FROM area WHERE code = $7), $8, $9, $10, COALESCE($11, (SELECT id FROM workspace LIMIT 1), ''))
        ON CONFLICT (uuid) DO NOTHING
        """

    static func auditValues(_ e: AuditEntry) -> [Value] {
        [.bytes(withUnsafeBytes(of: e.id.uuid) { Array($0) }), .text(e.stamp), .text(e.actor), .text(e.action.rawValue),
         .text(e.subject), .text(e.key), .text(e.area), .text(e.before), .text(e.after), .text(e.reason), .text(e.workspace)]
    }

    /// The audit rows `query` asks for, oldest first, and their values. `since` is a day in
    /// Vietnam: from its midnight there.
    static func listAudit(_ query: AuditQuery) -> (sql: String, values: [Value]) {
        var sql = ""
        var values: [Value] = []
        var conditions: [String] = []
        if let under = query.under {
            values.append(.text(under))
            sql += "WITH RECURSIVE sub(id) AS (SELECT id FROM area WHERE code = $1 UNION ALL SELECT a.id FROM area a JOIN sub ON a.parent_id = sub.id) "
            conditions.append("x.area_id IN (SELECT id FROM sub)")
        }
        if let since = query.since {
            values.append(.text(Recorder.stamp(Date(timeIntervalSince1970: TimeInterval(since.number * 86_400 - 7 * 3600)))))
            conditions.append("x.stamp >= $\(values.count)")
        }
        if let by = query.by {
            values.append(.text(by))
            conditions.append("x.actor = $\(values.count)")
        }
        sql += """
            SELECT x.uuid, x.stamp, x.actor, x.action, x.subject, x.key, ar.code, x.before_value, x.after_value, x.reason, x.workspace
            FROM audit x LEFT JOIN area ar ON ar.id = x.area_id
            """
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY x.stamp, x.id"
        if let limit = query.limit { sql += " LIMIT \(limit)" }
        return (sql, values)
    }

    /// An audit row from the cells of `listAudit`'s columns.
    static func auditEntry(bytes: (Int) throws -> [UInt8]?, text: (Int) throws -> String?) throws -> AuditEntry? {
        guard let b = try bytes(0), b.count == 16, let action = try text(3).flatMap(AuditAction.init(rawValue:)) else { return nil }
        let uuid = b.withUnsafeBytes { UUID(uuid: $0.load(as: uuid_t.self)) }
        return AuditEntry(id: uuid, stamp: try text(1) ?? "", actor: try text(2) ?? "", action: action, subject: try text(4) ?? "",
                          key: try text(5) ?? "", area: try text(6), before: try text(7), after: try text(8), reason: try text(9),
                          workspace: try text(10))
    }

    // MARK: Approvals and locks

    static let approvalSelect = """
        SELECT p.area_id, a.code, a.name, p.period, p.state, p.actor, p.stamp, p.reason
        FROM approval p JOIN area a ON a.id = p.area_id
        """
    /// Every approval row (of one period when `$1` is given).
    static let listApprovals = approvalSelect + " ORDER BY a.code, p.period"
    static let listApprovalsOfPeriod = approvalSelect + " WHERE p.period = $1 ORDER BY a.code"
    /// Whether any unit has ever been closed: when none has and no campaign closes periods
    /// itself, a write looks no further.
    static let anyClosed = "SELECT count(*) FROM approval WHERE state = 'closed'"
    /// The rows that can lock or unlock a session: closed ones, and reopened ones (they keep a
    /// self-closing period open).
    static let lockRows = approvalSelect + " ORDER BY p.area_id"
    static let approvalState = "SELECT state FROM approval WHERE area_id = $1 AND period = $2"
    static let upsertApproval = """
        INSERT INTO approval (area_id, period, first_day, last_day, state, actor, stamp, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (area_id, period) DO UPDATE SET state = excluded.state, actor = excluded.actor, stamp = excluded.stamp, reason = excluded.reason
        """
    /// The area `$1` (an id) and every unit above it, nearest first: ids (the lock) and codes
    /// (campaign scopes of entry rules).
    static let chain = """
        WITH RECURSIVE up(id, parent_id, code, n) AS (
            SELECT id, parent_id, code, 0 FROM area WHERE id = $1
            UNION ALL SELECT a.id, a.parent_id, a.code, up.n + 1 FROM area a JOIN up ON a.id = up.parent_id WHERE up.n < 64)
        SELECT id, code FROM up ORDER BY n
        """
    static let parents = "SELECT id, parent_id FROM area WHERE parent_id IS NOT NULL"
    /// The ids and names of the areas with codes `$1`…
    static func areas(codes: Int) -> String {
        "SELECT id, code, name FROM area WHERE code IN (\((1...max(1, codes)).map { "$\($0)" }.joined(separator: ", ")))"
    }

    static func approvalRow(int: (Int) throws -> Int64?, text: (Int) throws -> String?) throws -> ApprovalRow? {
        guard let id = try int(0), let period = try text(3).flatMap(Period.init(parsing:)),
              let state = try text(4).flatMap(ApprovalRow.State.init(rawValue:)) else { return nil }
        return ApprovalRow(areaID: id, code: try text(1) ?? "", name: try text(2) ?? "", period: period, state: state,
                           actor: try text(5) ?? "", stamp: try text(6) ?? "", reason: try text(7))
    }

    static func upsertValues(areaID: Int64, period: Period, state: ApprovalRow.State, actor: String, stamp: String,
                             reason: String?) -> [Value] {
        [.int(areaID), .text(period.description), .int(Int64(period.start.number)), .int(Int64(period.end.number)),
         .text(state.rawValue), .text(actor), .text(stamp), .text(reason)]
    }
}
