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
                state TEXT NOT NULL CHECK (state IN ('closed','open')),
                actor TEXT NOT NULL CHECK (length(actor) > 0),
                stamp TEXT NOT NULL,
                reason TEXT,
                PRIMARY KEY (area_id, period)
        """
}
