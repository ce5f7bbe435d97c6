import Foundation
import Testing

/// The throw-away cluster of `.ci/postgres.sh`, when the tests run with it.
enum PostgresCluster {
    static let environment = ProcessInfo.processInfo.environment
    /// `postgresql://postgres@/outreach_test?host=FOLDER`, or nil on SQLite-only runs.
    static let uri: String? = environment["OUTREACH_TEST_PG"].flatMap { $0.isEmpty ? nil : $0 }
    static var available: Bool { uri != nil && environment["PG_CLUSTER_BIN"] != nil }

    /// A new empty database on the cluster (made with its own `createdb`), and its URI.
    static func freshDatabase() throws -> String {
        let name = "c_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: (environment["PG_CLUSTER_BIN"] ?? "") + "/createdb")
        process.arguments = ["-h", environment["PG_CLUSTER_DIR"] ?? "", "-U", "postgres", name]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return (uri ?? "").replacingOccurrences(of: "/outreach_test?", with: "/\(name)?")
    }
}

@Suite("outreach on a PostgreSQL address, end to end", .enabled(if: PostgresCluster.available))
struct PostgresCLITests {
    @Test("init creates a PostgreSQL workspace, and says so again without changing it")
    func initTwice() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let uri = try PostgresCluster.freshDatabase()
        let first = try cli.run("init", "--db", uri)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("Đã tạo tệp dữ liệu \(uri) (mã "))
        let again = try cli.run("init", "--db", uri, "--lang", "en")
        #expect(again.status == 0)
        #expect(again.stdout == "\(uri) is already a workspace; nothing changed.\n")
    }

    @Test("backup of a PostgreSQL workspace runs pg_dump (custom format, the password never in its arguments), all or nothing")
    func backup() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let uri = try PostgresCluster.freshDatabase()
        try #require(try cli.run("init", "--db", uri).status == 0)
        let r = try cli.run("backup", "tinh.dump", "--db", uri)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Đã sao lưu \(uri) vào tinh.dump ("))
        #expect(r.stdout.contains("pg_restore --dbname=TÊN tinh.dump"))
        let dump = try Data(contentsOf: URL(fileURLWithPath: cli.path("tinh.dump")))
        #expect(dump.prefix(5) == Data("PGDMP".utf8))
        let again = try cli.run("backup", "tinh.dump", "--db", uri)
        #expect(again.status == 1)
        #expect(again.stderr.contains("tinh.dump: tệp này đã có"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.dir.path).filter { $0.hasPrefix(".partial-") }
        #expect(leftovers.isEmpty)
        // A server that is not there: pg_dump fails, nothing is written.
        let down = try cli.run("backup", "x.dump", "--db", "postgresql://u:pw@/d?host=/nonexistent-folder")
        #expect(down.status == 1)
        #expect(down.stderr.contains("pg_dump"))
        #expect(!down.stderr.contains("pw@"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("x.dump")))
    }

    @Test("a command on a database that is not yet a workspace says how to make one, without the password")
    func notYet() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let uri = try PostgresCluster.freshDatabase()
        let withPassword = uri.replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://postgres:s3cret@")
        let r = try cli.run("areas", "list", "--db", withPassword)
        #expect(r.status == 1)
        #expect(r.stderr.contains("chưa có dữ liệu Outreach. Tạo bằng `outreach init --db …`"))
        #expect(r.stderr.contains("postgres:***@"))
        #expect(!r.stderr.contains("s3cret"))
    }

    @Test("--version names a PostgreSQL workspace's latest schema step, reads without changing it, and hides the password")
    func version() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let uri = try PostgresCluster.freshDatabase()
        let withPassword = uri.replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://postgres:s3cret@")
        let before = try cli.run("--version", "--db", withPassword)
        #expect(before.status == 0)
        #expect(before.stdout.contains("postgres:***@") && before.stdout.contains("chưa có"))
        #expect(!before.stdout.contains("s3cret"))
        // Reading the version did not make the workspace.
        #expect(try cli.run("init", "--db", uri).stdout.hasPrefix("Đã tạo"))
        let after = try cli.run("--version", "--db", withPassword, "--lang", "en")
        #expect(after.stdout.contains("PostgreSQL workspace postgresql://postgres:***@"))
        #expect(after.stdout.contains("latest schema step applied “pg"))
    }

    @Test("demo --db loads PostgreSQL, whose coverage CSV is exactly the SQLite demo's; a second demo into it is refused")
    func demoOnBothEngines() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let uri = try PostgresCluster.freshDatabase()
        let sqlite = try cli.run("demo", "--dir", "a")
        try #require(sqlite.status == 0, "\(sqlite.stderr)")
        let postgres = try cli.run("demo", "--dir", "b", "--db", uri)
        try #require(postgres.status == 0, "\(postgres.stderr)")
        for args in [["--format", "csv"], ["--under", "16282", "--format", "csv"], ["--level", "hamlet", "--behind", "--format", "csv"]] {
            let onFile = try cli.run(["coverage", "--campaign", "de-an-06", "--campaigns", cli.path("a/Campaigns"),
                                      "--db", cli.path("a/outreach.sqlite")] + args)
            let onServer = try cli.run(["coverage", "--campaign", "de-an-06", "--campaigns", cli.path("a/Campaigns"),
                                        "--db", uri] + args)
            #expect(onFile.status == 0 && onServer.status == 0, "\(onServer.stderr)")
            #expect(onFile.stdout.split(separator: "\n").count > 2)
            #expect(onServer.stdout == onFile.stdout, "\(args)")
        }
        let again = try cli.run("demo", "--dir", "c", "--db", uri)
        #expect(again.status == 1)
        #expect(again.stderr.contains("đã có dữ liệu Outreach"))
    }

    @Test("a server that is not there, and a database that does not exist, are named with what to do")
    func faults() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let down = try cli.run("init", "--db", "postgresql://lan:pw@/outreach?host=/nonexistent-folder")
        #expect(down.status == 1)
        #expect(down.stderr == "lỗi: postgresql://lan:***@/outreach?host=/nonexistent-folder: không kết nối được máy chủ PostgreSQL tại /nonexistent-folder/.s.PGSQL.5432. Kiểm tra máy chủ đã chạy chưa (`pg_isready`), địa chỉ và cổng có đúng không.\n")
        let missing = (PostgresCluster.uri ?? "").replacingOccurrences(of: "/outreach_test?", with: "/khong_co?")
        let none = try cli.run("init", "--db", missing, "--lang", "en")
        #expect(none.status == 1)
        #expect(none.stderr.contains("the PostgreSQL server has no database \"khong_co\". Create it with `createdb khong_co`"))
        let bad = try cli.run("init", "--db", "postgresql://u:pw@h:99999/d")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("cổng phải là số từ 1 đến 65535"))
        #expect(!bad.stderr.contains("pw@"))
    }
}
