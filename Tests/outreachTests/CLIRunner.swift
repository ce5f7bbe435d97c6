import Foundation
import GRDB
import Testing

/// Runs the built `outreach` binary in a temporary folder, as a user would.
struct CLI {
    /// The folder the commands run in; removed by `cleanUp()`.
    let dir: URL
    /// Extra environment (OUTREACH_DB, OUTREACH_LANG …).
    var environment: [String: String] = [:]
    /// On a PostgreSQL run, the database each workspace file name of the test stands for.
    let databases = TestDatabases()

    /// The result of one run.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Whether a signal ended it (a Swift trap), not an exit.
        var signalled = false
    }

    /// A fresh folder. `lang` sets OUTREACH_LANG for every run (tests that check English text
    /// pass "en"); without it the commands speak their default, Vietnamese.
    init(lang: String? = nil) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if let lang { environment["OUTREACH_LANG"] = lang }
    }

    func cleanUp() { try? FileManager.default.removeItem(at: dir) }

    /// The package's root folder (for Resources/).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file under Resources/.
    static func resource(_ path: String) -> String {
        packageRoot.appendingPathComponent("Resources").appendingPathComponent(path).path
    }

    /// Sets up `w.sqlite` in the folder with the sample district: the Nông Cống areas, the sample
    /// hamlets, teams and sessions; with `members` its members too, with `leaflets` the
    /// district's 6,000 leaflets received on 25/10/2026.
    func importSampleDistrict(members: Bool = false, leaflets: Bool = false) throws {
        var steps = [["init"], ["areas", "import", CLI.resource("areas/nong_cong.csv")],
                     ["areas", "import", CLI.resource("sample/hamlets.csv")],
                     ["teams", "import", CLI.resource("sample/teams.csv")]]
        if members { steps.append(["members", "import", CLI.resource("sample/members.csv")]) }
        steps.append(["sessions", "import", CLI.resource("sample/sessions_excel.csv")])
        if leaflets { steps.append(["leaflets", "receive", "--area", "404", "--quantity", "6000", "--date", "2026-10-25"]) }
        for args in steps {
            let r = try run(args + ["--db", "w.sqlite"])
            try #require(r.status == 0, "\(args): \(r.stderr)")
        }
    }

    /// The `outreach` executable built next to the test bundle.
    static let binary: URL = {
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("outreach")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent("outreach")
    }()

    /// Writes `text` to a file in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Writes raw bytes to a file in the folder and returns its path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Path of `name` inside the folder.
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs `outreach args…` in the folder, with no standard input.
    @discardableResult
    func run(_ args: String...) throws -> Result { try run(args) }

    /// With `stdoutPath`, standard output goes to that file (`/dev/full`) and `stdout` is empty.
    func run(_ args: [String], stdoutPath: String? = nil, input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = try databases.substituted(args)
        process.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "OUTREACH_DB")
        env.removeValue(forKey: "OUTREACH_LANG")
        for (k, v) in environment { env[k] = v }
        if TestEngine.isPostgreSQL, let db = env["OUTREACH_DB"], !db.hasPrefix("postgres") {
            env["OUTREACH_DB"] = try databases.uri(for: db)
        }
        process.environment = env
        // Output goes to files, so a large output can never block the process on a full pipe.
        let outURL = dir.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let errURL = dir.appendingPathComponent(".stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: stdoutPath.map { URL(fileURLWithPath: $0) } ?? outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self),
                      signalled: process.terminationReason == .uncaughtSignal)
    }
}

/// The engine the end-to-end tests run on. `OUTREACH_TEST_ENGINE=postgresql` (with the test
/// cluster of `.ci/postgres.sh`) runs them against PostgreSQL: each workspace a test names
/// (`--db w.sqlite`, `OUTREACH_DB`) is then a fresh database of its own on the cluster.
enum TestEngine {
    static let isPostgreSQL = ProcessInfo.processInfo.environment["OUTREACH_TEST_ENGINE"] == "postgresql"
        && PostgresCluster.available
    /// For `.enabled(if:)` on tests that look inside the SQLite file itself.
    static var isSQLite: Bool { !isPostgreSQL }
}

/// The databases standing for a test's workspace files on a PostgreSQL run.
final class TestDatabases: @unchecked Sendable {
    private var uris: [String: String] = [:]
    private let lock = NSLock()

    /// The database that stands for the workspace file `name`, made on first use.
    func uri(for name: String) throws -> String {
        lock.lock(); defer { lock.unlock() }
        if let uri = uris[name] { return uri }
        let uri = try PostgresCluster.freshDatabase()
        uris[name] = uri
        return uri
    }

    /// `args` with every `--db FILE` naming its database instead, on a PostgreSQL run.
    func substituted(_ args: [String]) throws -> [String] {
        guard TestEngine.isPostgreSQL else { return args }
        var out = args
        for i in out.indices {
            if out[i].hasPrefix("--db="), !out[i].dropFirst(5).hasPrefix("postgres") {
                out[i] = "--db=" + (try uri(for: String(out[i].dropFirst(5))))
            } else if i > 0, out[i - 1] == "--db", !out[i].hasPrefix("postgres") {
                out[i] = try uri(for: out[i])
            }
        }
        return out
    }
}

/// Looking inside a test's workspace, on either engine: the SQLite file through GRDB, or on a
/// PostgreSQL run the database standing for it through the cluster's `psql`. The tables and
/// columns the tests read are named alike in both schemas.
extension CLI {
    /// Runs `sql` (one or more statements) in the workspace `db`.
    func execute(_ db: String, _ sql: String) throws {
        if TestEngine.isPostgreSQL {
            _ = try psql(db, sql)
        } else {
            let queue = try DatabaseQueue(path: path(db))
            defer { try? queue.close() }
            try queue.write { try $0.execute(sql: sql) }
        }
    }

    /// The first column of the first row of `sql` in the workspace `db`, as text (nil for NULL
    /// or no row).
    func value(_ db: String, _ sql: String) throws -> String? {
        if TestEngine.isPostgreSQL {
            let out = try psql(db, sql)
            return out.isEmpty ? nil : out.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
        }
        let queue = try DatabaseQueue(path: path(db))
        defer { try? queue.close() }
        return try queue.read { try String.fetchOne($0, sql: sql) }
    }

    /// The integer `sql` gives in the workspace `db` (0 for NULL or no row).
    func integer(_ db: String, _ sql: String) throws -> Int {
        Int(try value(db, sql) ?? "0") ?? 0
    }

    /// An SQL expression of 16 random bytes (a session's uuid) in the engine's dialect.
    static var randomBytes16: String {
        TestEngine.isPostgreSQL ? "decode(md5(random()::text), 'hex')" : "randomblob(16)"
    }

    /// `psql` on the database standing for `db`, unaligned and tuples only; throws with its
    /// message when a statement fails.
    private func psql(_ db: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: (PostgresCluster.environment["PG_CLUSTER_BIN"] ?? "") + "/psql")
        process.arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql, try databases.uri(for: db)]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problem = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SQLProblem(message: String(decoding: problem, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}

/// A statement `CLI.execute` ran on PostgreSQL failed.
struct SQLProblem: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension CLI {
    /// How a command names the workspace `db` of a test: the file name, or on a PostgreSQL run
    /// the URI of the database standing for it.
    func shown(_ db: String) -> String {
        TestEngine.isPostgreSQL ? (try? databases.uri(for: db)) ?? db : db
    }
}

extension Trait where Self == ConditionTrait {
    /// A test of what is peculiar to an SQLite file (its bytes, its folder, its journal, a copy
    /// of it): skipped when the end-to-end suites run on PostgreSQL, whose own tests
    /// (`Postgres*Tests`) cover the same ground there.
    static var sqliteFile: Self { .enabled(if: TestEngine.isSQLite, "an SQLite file's own behaviour") }
}
