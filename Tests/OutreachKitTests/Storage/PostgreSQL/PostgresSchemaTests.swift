import Foundation
import Testing
@testable import OutreachKit

@Suite("The PostgreSQL schema's migrations")
struct PostgresSchemaTests {
    @Test("a ; in a -- comment or a $$ body ends no statement; one between statements does")
    func statements() {
        let migration = PostgresSchema.Migration(name: "t", sql: """
            -- first; a comment with a semicolon
            CREATE TABLE a (x int);
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
            -- last one; no statement after it
            """)
        #expect(migration.statements.count == 2)
        #expect(migration.statements[0].hasSuffix("CREATE TABLE a (x int)"))
        #expect(migration.statements[1] == "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$")
    }

    @Test("no shipped migration has a statement that is only a comment")
    func noStrayComments() {
        for migration in PostgresSchema.migrations {
            for statement in migration.statements {
                let code = statement.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
                #expect(!code.isEmpty, "\(migration.name): \(statement)")
            }
        }
    }

    @Test("a session naming no area, team or import is refused by the statement check that replaced the foreign keys",
          .enabled(if: PostgresTestServer.available))
    func links() async throws {
        let location = try await PostgresTestServer.freshDatabase()
        _ = try await PostgresWorkspace.open(location, create: true)
        for (column, value) in [("area_id", "999"), ("team_id", "999"), ("import_id", "999")] {
            let area = column == "area_id" ? value : "(SELECT min(id) FROM area)"
            let extra = column == "area_id" ? "" : ", \(column)"
            let extraValue = column == "area_id" ? "" : ", \(value)"
            try await PostgresTestServer.sql(location, "INSERT INTO area (code, name, level, search_key) VALUES ('1', 'Tỉnh', 'province', 'tinh') ON CONFLICT DO NOTHING")
            await #expect(throws: (any Error).self, "\(column)") {
                try await PostgresTestServer.sql(location, """
                    INSERT INTO session (uuid, day, area_id\(extra)) VALUES (decode(md5(random()::text), 'hex'), 20000, \(area)\(extraValue))
                    """)
            }
        }
        for statement in ["DELETE FROM team", "DELETE FROM import_file", "UPDATE area SET id = id + 1000"] {
            try await PostgresTestServer.sql(location, "INSERT INTO import_file (file_digest, name, rows) VALUES (decode('01', 'hex'), 'f', 0) ON CONFLICT DO NOTHING")
            try await PostgresTestServer.sql(location, "INSERT INTO team (code, name, kind, area_id) SELECT 'T', 'Tổ', 'project06', min(id) FROM area ON CONFLICT DO NOTHING")
            await #expect(throws: (any Error).self, "\(statement)") { try await PostgresTestServer.sql(location, statement) }
        }
        // A session with real links is taken.
        try await PostgresTestServer.sql(location, """
            INSERT INTO session (uuid, day, area_id, team_id) SELECT decode(md5(random()::text), 'hex'), 20000, min(a.id), min(t.id) FROM area a, team t
            """)
    }
}
