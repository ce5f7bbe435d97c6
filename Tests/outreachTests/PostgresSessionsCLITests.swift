import Foundation
import GRDB
import Testing

/// `outreach log`, `sessions void` and `sessions list` print the same on both engines.
@Suite("log, void and list on PostgreSQL print what they print on SQLite", .enabled(if: PostgresCluster.available))
struct PostgresSessionsCLITests {
    /// The commands of one sequence; `{A}`, `{B}` … stand for the ids the sequence printed, in
    /// order, and `{A8}` for the first 8 characters of one.
    static let steps: [[String]] = [
        ["log", "--area", "16525-01", "--team", "T1", "--eid-l2", "5", "--leaflets", "20", "--notes", "gọi 0912345678", "--date", "2025-11-02"],
        ["log", "--area", "16525-02", "--team", "T2", "--eid-l2", "4500", "--households-visited", "3", "--date", "2025-11-03"],
        ["log", "--area", "99999", "--eid-l2", "1"],
        ["log", "--area", "16525-01", "--team", "T9", "--eid-l2", "1"],
        ["log", "--area", "16525-01", "--date", "2025-11-02"],
        ["log", "--area", "16525-01", "--team", "T1", "--eid-l2", "6", "--date", "2025-11-02", "--replaces", "{A}", "--reason", "sai số"],
        ["log", "--area", "16525-01", "--eid-l2", "7", "--date", "2025-11-02", "--replaces", "{A8}", "--reason", "lần nữa"],
        ["sessions", "void", "{B8}", "--reason", "trùng"],
        ["sessions", "void", "{B}", "--reason", "trùng"],
        ["sessions", "void", "abc", "--reason", "x"],
        ["sessions", "void", "{C}", "--reason", " "],
        ["sessions", "list"],
        ["sessions", "list", "--include-voided", "--format", "csv"],
        ["sessions", "list", "--under", "16525", "--team", "T1", "--include-voided", "--format", "json"],
        ["sessions", "list", "--under", "404"],
        ["--lang", "en", "sessions", "void", "{A}", "--reason", "x"],
    ]

    /// Runs the steps on `db`; each step's status, output and errors, ids written as `{A}` ….
    static func transcript(_ cli: CLI, db: String) throws -> [String] {
        var ids: [String] = []
        func masked(_ text: String) -> String {
            var text = text
            for (i, id) in ids.enumerated() {
                let name = String(UnicodeScalar(UInt8(65 + i)))
                text = text.replacingOccurrences(of: id, with: "{\(name)}").replacingOccurrences(of: id.prefix(8), with: "{\(name)8}")
            }
            return text
        }
        var lines: [String] = []
        for step in steps {
            let args = step.map { arg in
                ids.enumerated().reduce(arg) { arg, item in
                    let name = String(UnicodeScalar(UInt8(65 + item.offset)))
                    return arg.replacingOccurrences(of: "{\(name)}", with: item.element)
                        .replacingOccurrences(of: "{\(name)8}", with: String(item.element.prefix(8)))
                }
            }
            let r = try cli.run(args + ["--db", db])
            if step[0] == "log", r.status == 0 { ids.append(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
            lines.append("\(step.joined(separator: " ")) → \(r.status)\n\(masked(r.stdout))\(masked(r.stderr))")
        }
        return lines
    }

    @Test("the same commands give the same output, warnings, errors and exit statuses on both engines")
    func sameOutput() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try #require(try cli.run("init", "--db", "w.sqlite").status == 0)
        let file = try DatabaseQueue(path: cli.path("w.sqlite"))
        try file.write { try $0.execute(sql: PostgresConcurrencyTests.seed) }
        try file.close()
        let uri = try PostgresConcurrencyTests.workspace(cli)
        let sqlite = try Self.transcript(cli, db: "w.sqlite")
        let postgres = try Self.transcript(cli, db: uri)
        #expect(postgres.count == sqlite.count)
        for (s, p) in zip(sqlite, postgres) { #expect(p == s) }
        // What the sequence is meant to meet, on SQLite.
        #expect(sqlite.filter { $0.contains(" → 1\n") }.count == 9, "\(sqlite.joined(separator: "\n"))")
        #expect(sqlite[1].contains("cảnh báo: "))
        #expect(sqlite[6].contains("{A} đã bị hủy"))
        #expect(sqlite.last?.contains("session {A} was already voided") == true)
    }
}
