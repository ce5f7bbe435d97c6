import Testing
@testable import OutreachKit

@Suite("A PostgreSQL address is read the way psql reads it")
struct PostgresLocationTests {
    let none: [String: String] = [:]

    @Test("A Unix socket folder given as ?host=")
    func socketQuery() throws {
        let l = try PostgresLocation(uri: "postgresql:///outreach_demo?host=/tmp/pg", environment: none, loginName: "lan")
        #expect(l.endpoint == .socket(folder: "/tmp/pg", port: 5432))
        #expect(l.socketPath == "/tmp/pg/.s.PGSQL.5432")
        #expect(l.database == "outreach_demo")
        #expect(l.user == "lan")
        #expect(l.tls == .disable)
    }

    @Test("User, password, host, port and database; the password is masked")
    func full() throws {
        let uri = "postgresql://officer:s%40cret@db.tinh.gov.vn:6543/vinh_long?sslmode=require"
        let l = try PostgresLocation(uri: uri, environment: none, loginName: "x")
        #expect(l.endpoint == .tcp(host: "db.tinh.gov.vn", port: 6543))
        #expect(l.user == "officer")
        #expect(l.password == "s@cret")
        #expect(l.database == "vinh_long")
        #expect(l.tls == .require)
        #expect(l.description == "postgresql://officer:***@db.tinh.gov.vn:6543/vinh_long?sslmode=require")
        #expect(!l.description.contains("cret"))
    }

    @Test("A password= parameter is masked too")
    func passwordParameter() throws {
        let l = try PostgresLocation(uri: "postgres://u@h/d?password=hunter2&sslmode=disable", environment: none, loginName: "x")
        #expect(l.password == "hunter2")
        #expect(l.masked == "postgres://u@h/d?password=***&sslmode=disable")
    }

    @Test("What the URI leaves out comes from PG* variables, then libpq's defaults")
    func defaults() throws {
        let env = ["PGHOST": "/run/pg", "PGPORT": "5433", "PGUSER": "outreach", "PGDATABASE": "tinh"]
        let l = try PostgresLocation(uri: "postgresql://", environment: env, loginName: "x")
        #expect(l.endpoint == .socket(folder: "/run/pg", port: 5433))
        #expect(l.user == "outreach")
        #expect(l.database == "tinh")
        let bare = try PostgresLocation(uri: "postgresql://", environment: none, loginName: "lan")
        #expect(bare.endpoint == .socket(folder: "/var/run/postgresql", port: 5432))
        #expect(bare.database == "lan")
    }

    @Test("An IPv6 host in brackets, and an encoded socket folder in the host part")
    func hosts() throws {
        let v6 = try PostgresLocation(uri: "postgresql://u@[::1]:5433/d", environment: none, loginName: "x")
        #expect(v6.endpoint == .tcp(host: "::1", port: 5433))
        let socket = try PostgresLocation(uri: "postgresql://%2Fvar%2Frun%2Fpostgresql/d", environment: none, loginName: "x")
        #expect(socket.endpoint == .socket(folder: "/var/run/postgresql", port: 5432))
    }

    @Test("Wrong addresses are refused, naming what is wrong, without the password",
          arguments: [("mysql://u@h/d", "scheme"), ("postgresql://u:pw@h:99999/d", "port"),
                      ("postgresql://u:pw@h1,h2/d", "several_hosts"), ("postgresql://u@h/d?sslmode=maybe", "sslmode"),
                      ("postgresql://u@h/d?colour=blue", "parameter:colour")])
    func refused(uri: String, problem: String) {
        #expect(throws: PostgresError.badURI(PostgresLocation.mask(uri), problem: problem)) {
            try PostgresLocation(uri: uri, environment: [:], loginName: "x")
        }
        let message = PostgresError.badURI(PostgresLocation.mask(uri), problem: problem).message(in: Labels(.vi)) ?? ""
        #expect(!message.contains("pw@"))
        #expect(!message.contains("⟦"))
    }

    @Test("Only postgresql:// and postgres:// name a database; a path names a file")
    func isURI() {
        #expect(PostgresLocation.isURI("postgresql:///x"))
        #expect(PostgresLocation.isURI("POSTGRES://h/x"))
        #expect(!PostgresLocation.isURI("outreach.sqlite"))
        #expect(!PostgresLocation.isURI("/tmp/postgresql/outreach.sqlite"))
    }
}
