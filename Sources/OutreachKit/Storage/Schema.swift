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
        return m
    }()
}
