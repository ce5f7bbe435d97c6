import Foundation
import Testing

/// Many `outreach` processes writing to one PostgreSQL workspace at once (issue 13, item 4).
@Suite("Many outreach processes on one PostgreSQL workspace", .enabled(if: PostgresCluster.available))
struct PostgresConcurrencyTests {
    /// Runs `statement` with the cluster's `psql` on the database at `uri`; its unaligned output.
    static func psql(_ uri: String, _ statement: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: (PostgresCluster.environment["PG_CLUSTER_BIN"] ?? "") + "/psql")
        process.arguments = ["--no-psqlrc", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", statement]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "psql: \(statement)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A commune, two hamlets and two teams, in SQL both engines run.
    static let seed = """
        INSERT INTO area (code, name, level, search_key) VALUES ('16525', 'Xã Trung Chính', 'commune', 'xa trung chinh');
        INSERT INTO area (code, name, level, parent_id, population, adults, households, search_key)
            SELECT '16525-01', 'Thôn 1', 'hamlet', id, 5000, 4000, 1000, 'thon 1' FROM area WHERE code = '16525';
        INSERT INTO area (code, name, level, parent_id, population, adults, households, search_key)
            SELECT '16525-02', 'Thôn 2', 'hamlet', id, 5000, 4000, 1000, 'thon 2' FROM area WHERE code = '16525';
        INSERT INTO team (code, name, kind, area_id) SELECT 'T1', 'Tổ 1', 'digital', id FROM area WHERE code = '16525';
        INSERT INTO team (code, name, kind, area_id, status) SELECT 'T2', 'Tổ 2', 'digital', id, 'inactive' FROM area WHERE code = '16525';
        """

    /// A new workspace with a commune, two hamlets and two teams, inserted with SQL (the
    /// areas and teams imports are not what is tested here).
    static func workspace(_ cli: CLI) throws -> String {
        let uri = try PostgresCluster.freshDatabase()
        let r = try cli.run("init", "--db", uri)
        try #require(r.status == 0, "\(r.stderr)")
        _ = try psql(uri, seed)
        return uri
    }

    /// Starts `script` in a shell in the folder, its output to files; the process and the files.
    static func start(_ cli: CLI, _ script: String, name: String) throws -> (Process, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = cli.dir
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "OUTREACH_DB")
        env["OUTREACH_LANG"] = "vi"
        env["OUTREACH"] = CLI.binary.path
        process.environment = env
        let out = cli.path("\(name).out"), err = cli.path("\(name).err")
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    static func read(_ path: String) throws -> String { String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) }

    @Test("8 processes × 50 `outreach log` and 2 `sessions import` at once: every session once, no error output")
    func eightWriters() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let uri = try Self.workspace(cli)
        // Two sheets of 500 sessions each (with ids), imported while the logs go on.
        let sheets = try (1...2).map { n in
            try cli.write("sheet\(n).csv", "id,date,area,team,eid_l2,households_visited,notes\n" + (1...500).map { i in
                "\(UUID().uuidString.lowercased()),2025-11-1\(n),16525-0\(n),T1,2,1,s\(n) r\(i)\n"
            }.joined())
        }
        let importers = try sheets.enumerated().map { n, sheet in
            try Self.start(cli, "\"$OUTREACH\" sessions import '\(sheet)' --db '\(uri)'", name: "i\(n)")
        }
        let writers = try (1...8).map { k in
            try Self.start(cli, """
                i=1
                while [ $i -le 50 ]; do
                  "$OUTREACH" log --db '\(uri)' --area 16525-0\(k % 2 + 1) --team T1 --date 2025-11-0\(k) \
                    --eid-l2 \(k) --households-visited 1 --notes "p\(k) n$i" || echo "exit $? at $i" >&2
                  i=$((i + 1))
                done
                """, name: "w\(k)")
        }
        for w in writers + importers { w.0.waitUntilExit() }
        for (n, i) in importers.enumerated() {
            let err = try Self.read(i.err)
            #expect(i.0.terminationStatus == 0, "import \(n + 1): \(err)")
            #expect(err.isEmpty)
        }
        var ids: [String] = []
        for (k, w) in writers.enumerated() {
            #expect(w.0.terminationStatus == 0)
            let err = try Self.read(w.err)
            #expect(err.isEmpty, "writer \(k + 1): \(err)")
            ids += try Self.read(w.out).split(separator: "\n").map(String.init)
        }
        #expect(ids.count == 400)
        #expect(Set(ids).count == 400)
        #expect(ids.allSatisfy { $0.count == 36 })
        let counts = try Self.psql(uri, """
            SELECT count(*), count(DISTINCT uuid), count(DISTINCT notes), sum(eid_l2), sum(households_visited)
            FROM session s WHERE NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            """)
        // 400 logged (eid 1…8 × 50 = 1800) and 1000 imported (eid 2 each).
        #expect(counts == "1400|1400|1400|3800|1400")
        // The running totals (migration pg2-totals' triggers) hold every session once.
        #expect(try Self.psql(uri, "SELECT sum(sessions), sum(eid_l2), sum(households_visited) FROM area_month") == "1400|3800|1400")
        #expect(try cli.run("check", "--db", uri).status == 0)
        // `sessions list` on the same workspace shows them all, each with its id.
        let listed = try cli.run("sessions", "list", "--db", uri, "--format", "csv")
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = listed.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 1400)
        #expect(Set(ids).isSubset(of: Set(rows.map { String($0.prefix(36)) })))
    }

    @Test("6 processes voiding one session at once: one voids it, five say it was already voided, nothing else")
    func sixVoiders() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let uri = try Self.workspace(cli)
        let logged = try cli.run("log", "--db", uri, "--area", "16525-01", "--eid-l2", "3", "--date", "2025-11-02")
        try #require(logged.status == 0, "\(logged.stderr)")
        let id = logged.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let voiders = try (1...6).map { k in
            try Self.start(cli, "\"$OUTREACH\" sessions void \(id.prefix(8)) --db '\(uri)' --reason 'lý do \(k)'", name: "v\(k)")
        }
        for v in voiders { v.0.waitUntilExit() }
        let won = voiders.filter { $0.0.terminationStatus == 0 }
        #expect(won.count == 1)
        let reason = try Self.psql(uri, "SELECT reason FROM session_void")
        #expect(try Self.psql(uri, "SELECT count(*) FROM session_void") == "1")
        for v in voiders where v.0.terminationStatus != 0 {
            #expect(v.0.terminationStatus == 1)
            let err = try Self.read(v.err)
            #expect(err.hasPrefix("lỗi: buổi \(id) đã bị hủy ngày "), "\(err)")
            #expect(err.contains("(\(reason)). Không có gì thay đổi."), "\(err)")
            #expect(err.split(separator: "\n").count == 1, "\(err)")
        }
    }
}
