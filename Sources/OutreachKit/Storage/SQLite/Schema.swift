import Foundation
import GRDB

/// The schema, as named migrations. A migration is never edited once it has shipped: changes
/// come as new migrations appended at the end.
enum Schema {
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1 workspace and areas") { db in
            try db.execute(sql: "PRAGMA application_id = \(Store.applicationID)")
            try db.execute(sql: """
                CREATE TABLE workspace (
                    id TEXT NOT NULL PRIMARY KEY,
                    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                );

                -- The administrative tree. Codes are text ("01" is not "1"); levels are the
                -- English words of SPEC.md, the local word (thôn, ấp, bản …) kept for display.
                -- valid_from/valid_to (day numbers) leave room for dated boundary changes.
                CREATE TABLE area (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
                    name TEXT NOT NULL CHECK (length(name) > 0),
                    level TEXT NOT NULL CHECK (level IN ('province','district','commune','ward','town','special_zone','hamlet')),
                    local_kind TEXT,
                    parent_id INTEGER REFERENCES area(id) ON DELETE RESTRICT,
                    population INTEGER CHECK (population >= 0),
                    adults INTEGER CHECK (adults >= 0),
                    working_age INTEGER CHECK (working_age >= 0),
                    households INTEGER CHECK (households >= 0),
                    search_key TEXT NOT NULL,
                    valid_from INTEGER,
                    valid_to INTEGER,
                    CHECK (parent_id IS NULL OR parent_id <> id)
                );
                CREATE INDEX area_parent ON area(parent_id);

                -- Dated history of the tree: renames and moves are recorded by re-imports;
                -- merges and splits name the other area involved.
                CREATE TABLE area_change (
                    id INTEGER PRIMARY KEY,
                    area_id INTEGER NOT NULL REFERENCES area(id),
                    day INTEGER NOT NULL,
                    change TEXT NOT NULL CHECK (change IN ('create','rename','move','merge','split','retire')),
                    old_name TEXT,
                    old_parent_id INTEGER REFERENCES area(id),
                    other_area_id INTEGER REFERENCES area(id),
                    note TEXT
                );
                CREATE INDEX area_change_area ON area_change(area_id, day);

                -- Areas are never deleted: history refers to them.
                CREATE TRIGGER area_never_deleted BEFORE DELETE ON area
                BEGIN SELECT RAISE(ABORT, 'areas are never deleted'); END;
                """)
            try db.execute(sql: "INSERT INTO workspace (id) VALUES (?)",
                           arguments: [UUID().uuidString.lowercased()])
        }
        m.registerMigration("v2 teams, members, sessions, totals, leaflets") { db in
            try db.execute(sql: """
                -- Teams: Project 06 working groups, community digital teams, volunteer teams.
                CREATE TABLE team (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
                    name TEXT NOT NULL CHECK (length(name) > 0),
                    kind TEXT NOT NULL CHECK (kind IN ('project06','digital','volunteer')),
                    area_id INTEGER NOT NULL REFERENCES area(id),
                    leader TEXT,
                    leader_phone TEXT CHECK (leader_phone IS NULL OR (length(leader_phone) = 10 AND leader_phone GLOB '0[0-9]*')),
                    formed INTEGER,
                    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive')),
                    inactive_since INTEGER
                );
                CREATE INDEX team_area ON team(area_id);

                -- Members of teams; at most one current leader per team.
                CREATE TABLE member (
                    id INTEGER PRIMARY KEY,
                    uuid BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
                    team_id INTEGER NOT NULL REFERENCES team(id),
                    name TEXT NOT NULL CHECK (length(name) > 0),
                    phone TEXT CHECK (phone IS NULL OR (length(phone) = 10 AND phone GLOB '0[0-9]*')),
                    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('leader','member')),
                    joined INTEGER,
                    left INTEGER,
                    CHECK (left IS NULL OR joined IS NULL OR left >= joined)
                );
                CREATE INDEX member_team ON member(team_id);
                CREATE UNIQUE INDEX member_one_leader ON member(team_id) WHERE role = 'leader' AND left IS NULL;

                -- Files already imported, by content hash: re-importing one counts nothing twice.
                CREATE TABLE import_file (
                    id INTEGER PRIMARY KEY,
                    sha256 BLOB NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    rows INTEGER NOT NULL,
                    imported TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                );

                -- Outreach sessions. Integer keys and day numbers keep rows small; the UUID is
                -- a 16-byte blob under a unique index (idempotent imports and merges).
                -- Empty metric = not recorded (NULL), which is not 0.
                CREATE TABLE session (
                    id INTEGER PRIMARY KEY,
                    uuid BLOB NOT NULL CHECK (length(uuid) = 16),
                    day INTEGER NOT NULL,
                    area_id INTEGER NOT NULL REFERENCES area(id),
                    team_id INTEGER REFERENCES team(id),
                    logged_by TEXT,
                    eid_l2 INTEGER CHECK (eid_l2 >= 0),
                    bank_account INTEGER CHECK (bank_account >= 0),
                    ewallet INTEGER CHECK (ewallet >= 0),
                    leaflets INTEGER CHECK (leaflets >= 0),
                    dvc_guided INTEGER CHECK (dvc_guided >= 0),
                    households_visited INTEGER CHECK (households_visited >= 0),
                    people_reached INTEGER CHECK (people_reached >= 0),
                    smartphone_setup INTEGER CHECK (smartphone_setup >= 0),
                    notes TEXT,
                    import_id INTEGER REFERENCES import_file(id)
                );
                CREATE UNIQUE INDEX session_uuid ON session(uuid);
                CREATE INDEX session_area_day ON session(area_id, day);
                CREATE INDEX session_day ON session(day);

                -- Metrics declared by campaigns beyond the built-in ones.
                CREATE TABLE session_metric (
                    session_id INTEGER NOT NULL REFERENCES session(id),
                    metric TEXT NOT NULL,
                    value INTEGER NOT NULL CHECK (value >= 0),
                    PRIMARY KEY (session_id, metric)
                ) WITHOUT ROWID;

                -- Corrections: a session is voided, never edited or deleted.
                CREATE TABLE session_void (
                    session_id INTEGER PRIMARY KEY REFERENCES session(id),
                    day INTEGER NOT NULL,
                    reason TEXT NOT NULL CHECK (length(reason) > 0),
                    replaced_by INTEGER REFERENCES session(id)
                );

                CREATE TRIGGER session_never_deleted BEFORE DELETE ON session
                BEGIN SELECT RAISE(ABORT, 'sessions are never deleted'); END;
                CREATE TRIGGER session_never_edited BEFORE UPDATE ON session
                BEGIN SELECT RAISE(ABORT, 'sessions are never edited'); END;
                CREATE TRIGGER session_void_never_deleted BEFORE DELETE ON session_void
                BEGIN SELECT RAISE(ABORT, 'voids are never deleted'); END;

                -- Running totals of live (non-voided) sessions per area and month (months since
                -- 1970-01), kept current by every write. Metric columns are NULL while no session
                -- of the bucket recorded the metric.
                CREATE TABLE area_month (
                    area_id INTEGER NOT NULL REFERENCES area(id),
                    month INTEGER NOT NULL,
                    sessions INTEGER NOT NULL,
                    eid_l2 INTEGER, bank_account INTEGER, ewallet INTEGER, leaflets INTEGER,
                    dvc_guided INTEGER, households_visited INTEGER, people_reached INTEGER, smartphone_setup INTEGER,
                    last_day INTEGER NOT NULL,
                    PRIMARY KEY (month, area_id)
                ) WITHOUT ROWID;

                -- Leaflet stock: a receipt (from_area_id NULL) or an allocation down the tree.
                CREATE TABLE leaflet_move (
                    id INTEGER PRIMARY KEY,
                    uuid BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
                    day INTEGER NOT NULL,
                    from_area_id INTEGER REFERENCES area(id),
                    to_area_id INTEGER NOT NULL REFERENCES area(id),
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    batch TEXT,
                    CHECK (from_area_id IS NULL OR from_area_id <> to_area_id)
                );
                CREATE INDEX leaflet_move_to ON leaflet_move(to_area_id);
                CREATE INDEX leaflet_move_from ON leaflet_move(from_area_id);
                """)
        }
        m.registerMigration("v3 campaign period totals") { db in
            try db.execute(sql: """
                -- Campaign periods whose running totals are kept, and those totals: per area, the
                -- live sessions dated inside the period. Built on first use, then kept current by
                -- every import, log and void, so coverage "as of today" reads one row per area.
                CREATE TABLE period (
                    id INTEGER PRIMARY KEY,
                    start INTEGER NOT NULL,
                    end INTEGER NOT NULL,
                    UNIQUE (start, end),
                    CHECK (start <= end)
                );
                CREATE TABLE period_total (
                    period_id INTEGER NOT NULL REFERENCES period(id),
                    area_id INTEGER NOT NULL REFERENCES area(id),
                    sessions INTEGER NOT NULL,
                    eid_l2 INTEGER, bank_account INTEGER, ewallet INTEGER, leaflets INTEGER,
                    dvc_guided INTEGER, households_visited INTEGER, people_reached INTEGER, smartphone_setup INTEGER,
                    last_day INTEGER NOT NULL,
                    PRIMARY KEY (period_id, area_id)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v4 bundles: revision stamps, merge history, allowed negative stock") { db in
            let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
            try db.execute(sql: """
                -- When each area, team and member was last changed (UTC, ms), carried by bundles:
                -- a merge keeps the later version of a row changed in two copies. '' = never
                -- changed since it was added (or since before this migration), older than any
                -- stamp. Triggers stamp every change, whoever makes it; a merge then writes the
                -- stamp of the version it keeps.
                ALTER TABLE area ADD COLUMN revised TEXT NOT NULL DEFAULT '';
                ALTER TABLE team ADD COLUMN revised TEXT NOT NULL DEFAULT '';
                ALTER TABLE member ADD COLUMN revised TEXT NOT NULL DEFAULT '';
                CREATE TRIGGER area_stamp_update
                AFTER UPDATE OF code, name, level, local_kind, parent_id, population, adults, working_age, households ON area
                BEGIN UPDATE area SET revised = \(now) WHERE id = NEW.id; END;
                CREATE TRIGGER team_stamp_update
                AFTER UPDATE OF code, name, kind, area_id, leader, leader_phone, formed, status, inactive_since ON team
                BEGIN UPDATE team SET revised = \(now) WHERE id = NEW.id; END;
                CREATE TRIGGER member_stamp_update
                AFTER UPDATE OF uuid, team_id, name, phone, role, joined, left ON member
                BEGIN UPDATE member SET revised = \(now) WHERE id = NEW.id; END;

                -- An allocation recorded with --allow-negative: `outreach check` accepts the
                -- negative stock it causes.
                ALTER TABLE leaflet_move ADD COLUMN allowed_negative INTEGER NOT NULL DEFAULT 0
                    CHECK (allowed_negative IN (0, 1));

                -- Bundles merged here, by the checksum of their records (provenance; a second
                -- merge of the same bundle changes nothing, this row included).
                CREATE TABLE bundle_merge (
                    id INTEGER PRIMARY KEY,
                    body_sha256 TEXT NOT NULL UNIQUE,
                    source_workspace TEXT NOT NULL,
                    exported TEXT NOT NULL,
                    merged TEXT NOT NULL,
                    added INTEGER NOT NULL
                );

                -- The version of a row a merge did not keep (an area, team or member changed in two
                -- copies, a session voided twice, or a row set aside with --set-aside-conflicts):
                -- nothing is lost, and merges report them. `kept` and `set_aside` are bundle records.
                CREATE TABLE merge_conflict (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('area','team','member','session','void','session_metric','leaflet_move')),
                    key TEXT NOT NULL,
                    kept TEXT NOT NULL,
                    set_aside TEXT NOT NULL,
                    source_workspace TEXT NOT NULL,
                    merged TEXT NOT NULL,
                    UNIQUE (kind, key, set_aside)
                );
                """)
        }
        // Foreign keys checked as it runs: it changes no table's shape, and the deferred check
        // of the whole database afterwards costs 0.6 s per million sessions.
        m.registerMigration("v5 running totals of campaign metrics", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: """
                -- Running totals of the metrics campaigns declare (session_metric), per metric, month
                -- (months since 1970-01) and area, over live (non-voided) sessions; kept current by
                -- every import, log, void and merge. A row means the metric was recorded there (its
                -- value may be 0); no row means not recorded.
                CREATE TABLE area_month_metric (
                    metric TEXT NOT NULL,
                    month INTEGER NOT NULL,
                    area_id INTEGER NOT NULL REFERENCES area(id),
                    value INTEGER NOT NULL CHECK (value >= 0),
                    PRIMARY KEY (metric, month, area_id)
                ) WITHOUT ROWID;
                INSERT INTO area_month_metric (metric, month, area_id, value)
                SELECT m.metric, (CAST(strftime('%Y', s.day * 86400, 'unixepoch') AS INTEGER) - 1970) * 12
                           + CAST(strftime('%m', s.day * 86400, 'unixepoch') AS INTEGER) - 1,
                       s.area_id, sum(m.value)
                FROM session_metric m JOIN session s ON s.id = m.session_id
                WHERE NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
                GROUP BY 1, 2, 3;

                -- A declared count belongs to its session: never edited or deleted either.
                CREATE TRIGGER session_metric_never_deleted BEFORE DELETE ON session_metric
                BEGIN SELECT RAISE(ABORT, 'session counts are never deleted'); END;
                CREATE TRIGGER session_metric_never_edited BEFORE UPDATE ON session_metric
                BEGIN SELECT RAISE(ABORT, 'session counts are never edited'); END;
                """)
        }
        m.registerMigration("v6 row keys of sessions; import_file.file_digest", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: """
                -- import_file.sha256 never held a SHA-256 but a 128-bit non-cryptographic hash.
                -- As file_digest it holds the file's SHA-256 (32 bytes) from this version on; the
                -- 16-byte values of files imported before stay as history and match no file
                -- again: their rows are recognised by their row keys (below) instead.
                ALTER TABLE import_file RENAME COLUMN sha256 TO file_digest;

                -- The key of a session imported from a row without id: its normalised content and
                -- its occurrence among identical rows of its file (RowKey.swift), so a resent or
                -- re-saved sheet counts once. NULL for logged sessions and rows with an id.
                ALTER TABLE session ADD COLUMN row_key BLOB CHECK (row_key IS NULL OR length(row_key) = 16);
                CREATE UNIQUE INDEX session_row_key ON session(row_key) WHERE row_key IS NOT NULL;

                -- Sessions are never edited: the trigger steps aside for this one fill only.
                DROP TRIGGER session_never_edited;
                """)
            // Notes are masked on the way in from this version on (PersonalData); the notes already
            // held are masked too, before they are keyed, so a resent sheet or a merged copy of
            // the same session meets the same key and the same content.
            let notes = try Row.fetchAll(db, sql: "SELECT id, notes FROM session WHERE notes GLOB '*[0-9]*'")
            for row in notes {
                let (masked, count) = PersonalData.maskNumbers(in: row[1] as String)
                if count > 0 { try db.execute(sql: "UPDATE session SET notes = ? WHERE id = ?", arguments: [masked, row[0] as Int64]) }
            }
            try RowKeyContent.fillKeys(db)
            try db.execute(sql: """
                CREATE TRIGGER session_never_edited BEFORE UPDATE ON session
                BEGIN SELECT RAISE(ABORT, 'sessions are never edited'); END;
                """)
        }
        m.registerMigration("v7 accounts of outreach serve") { db in
            try db.execute(sql: """
                CREATE TABLE account (
                    id INTEGER PRIMARY KEY,
                    \(AccountSQL.tableColumns)
                );
                CREATE TABLE server_secret (id INTEGER PRIMARY KEY CHECK (id = 1), secret TEXT NOT NULL);
                """)
        }
        m.registerMigration("v8 who and when, audit trail, approvals") { db in
            try db.execute(sql: """
                \(ClosingSQL.whoColumns)
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY,
                    \(ClosingSQL.auditColumns)
                );
                \(ClosingSQL.auditIndexes)
                CREATE TRIGGER audit_never_edited BEFORE UPDATE ON audit
                BEGIN SELECT RAISE(ABORT, 'the audit trail is never edited'); END;
                CREATE TRIGGER audit_never_deleted BEFORE DELETE ON audit
                BEGIN SELECT RAISE(ABORT, 'the audit trail is never deleted'); END;
                CREATE TABLE approval (
                    \(ClosingSQL.approvalColumns)
                );
                """)
        }
        m.registerMigration("v9 follow-ups of data quality, sources of denominators") { db in
            try db.execute(sql: FollowUpSQL.table)
            try db.execute(sql: ProvenanceSQL.table)
        }
        m.registerMigration("v10 targets set in the workspace") { db in
            try db.execute(sql: TargetSQL.table)
        }
        m.registerMigration("v12 areas through time: versions, lineage, basis") { db in
            try db.execute(sql: HistorySQL.migration)
        }
        return m
    }()
}
