import Foundation
import GRDB
import Testing

@Suite("Conventions a user expects: help in their language with an example, --version, errors that say why, --db everywhere, completions, Vietnam time, metric labels")
struct ConventionsCLITests {
    /// Every command of the tree, from `outreach --experimental-dump-help`: its path and the long
    /// names of its options, and whether it has subcommands.
    static func commands() throws -> [(path: [String], options: Set<String>, isGroup: Bool)] {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let dump = try cli.run("--experimental-dump-help")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var out: [(path: [String], options: Set<String>, isGroup: Bool)] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let subcommands = (command["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            let names = arguments.flatMap { ($0["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
            out.append((path, Set(names), !subcommands.isEmpty))
            for sub in subcommands { walk(sub, path + [sub["commandName"] as? String ?? "?"]) }
        }
        walk(try #require(json["command"] as? [String: Any]), [])
        return out
    }

    @Test("a group named alone prints its help with every subcommand's summary (runs that show no help load no help texts)")
    func groupsAlone() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let groups = try Self.commands().filter { $0.isGroup && $0.path.count == 1 }
        #expect(groups.count >= 6)
        for group in groups {
            let r = try cli.run(group.path)
            let listed = r.stdout.components(separatedBy: "Lệnh con:\n").last ?? ""
            let lines = listed.split(separator: "\n").prefix { $0.hasPrefix("  ") }
            #expect(!lines.isEmpty, "\(group.path): \(r.stdout)")
            // Each subcommand line carries its summary after its name.
            for line in lines where !line.hasPrefix("   ") && !line.contains("help") {
                #expect(line.split(separator: " ", omittingEmptySubsequences: true).count > 1, "\(group.path): \(line)")
            }
        }
    }

    @Test("every --help, from the root to each subcommand, is Vietnamese by default and English with --lang en or OUTREACH_LANG=en, with an example")
    func helpInBothLanguages() throws {
        let commands = try Self.commands()
        #expect(commands.count > 25)
        var cli = try CLI()
        defer { cli.cleanUp() }
        for command in commands {
            let vietnamese = try cli.run(command.path + ["--help"])
            #expect(vietnamese.status == 0)
            let text = vietnamese.stdout
            #expect(text.contains("Cách dùng: outreach"), "\(command.path)")
            #expect(text.contains("Tùy chọn:\n"), "\(command.path)")
            #expect(text.contains("  -h, --help              Hiện phần trợ giúp này."), "\(command.path)")
            #expect(text.contains("\nVí dụ:\n  outreach " + command.path.joined(separator: " ")), "\(command.path): \(text)")
            if command.isGroup { #expect(text.contains("Lệnh con:\n")) }
            for english in ["OVERVIEW", "USAGE", "OPTIONS", "ARGUMENTS", "SUBCOMMANDS", "Show help information", "(default:", "⟦"] {
                #expect(!text.contains(english), "\(command.path) help has \"\(english)\"")
            }
            let english = try cli.run(command.path + ["--help", "--lang", "en"])
            #expect(english.stdout.contains("Usage: outreach"), "\(command.path)")
            #expect(english.stdout.contains("\nExample:\n  outreach " + command.path.joined(separator: " ")), "\(command.path)")
            #expect(!english.stdout.contains("⟦") && !english.stdout.contains("Ví dụ"), "\(command.path)")
        }
        let log = try cli.run("log", "--help")
        #expect(log.stdout.hasPrefix("Tổng quan: Ghi nhận một buổi ra quân và in mã của buổi.\n"))
        #expect(log.stdout.contains("  --eid-l2 <số>           Số tài khoản định danh điện tử mức 2 đã kích hoạt.\n"))
        #expect(try cli.run("help", "log").stdout == log.stdout)
        #expect(try cli.run("log", "-h").stdout == log.stdout)
        let sessions = try cli.run("sessions")
        #expect(sessions.status == 0 && sessions.stdout.contains("Lệnh con:\n  import "))
        cli.environment["OUTREACH_LANG"] = "en"
        let logEnglish = try cli.run("log", "--help")
        #expect(logEnglish.stdout.hasPrefix("Overview: Log one outreach session and print its id.\n"))
        #expect(logEnglish.stdout.contains("  --eid-l2 <n>            VNeID level-2 accounts activated.\n"))
        #expect(try cli.run("log", "--help", "--lang", "vi").stdout == log.stdout, "--lang wins over OUTREACH_LANG")
    }

    @Test("--version names the tool's version, the schema it knows, the workspace's own (never creating one) and the bundle format", .sqliteFile)
    func version() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let none = try cli.run("--version")
        #expect(none.status == 0, "\(none.stderr)")
        let lines = none.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("outreach ") && lines[0].count > 9)
        #expect(lines[1].hasPrefix("Lược đồ tệp dữ liệu: phiên bản "))
        #expect(lines[2] == "Tệp dữ liệu outreach.sqlite: chưa có (`outreach init` sẽ tạo)")
        #expect(lines[3] == "Định dạng gói dữ liệu: phiên bản 4")
        #expect(!FileManager.default.fileExists(atPath: cli.path("outreach.sqlite")))
        try #require(try cli.run("init", "--db", "w.sqlite").status == 0)
        let schema = lines[1].dropFirst("Lược đồ tệp dữ liệu: phiên bản ".count).prefix { $0.isNumber }
        #expect(Int(schema) ?? 0 >= 5)
        let english = try cli.run("--version", "--db", "w.sqlite", "--lang", "en")
        #expect(english.stdout == """
            \(lines[0])
            Workspace schema: version \(schema) (the latest this Outreach knows)
            Workspace w.sqlite: schema version \(schema)
            Bundle format: version 4

            """)
        try cli.write("notes.txt", "not a workspace")
        let notWorkspace = try cli.run("--version", "--db", "notes.txt")
        #expect(notWorkspace.status == 0)
        #expect(notWorkspace.stdout.contains("Tệp dữ liệu notes.txt: không đọc được: notes.txt: tệp này không phải tệp dữ liệu Outreach"))
    }

    @Test("a negative count and an impossible date are refused in the user's language, naming the option, the value, why and what to write")
    func valueErrors() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let negative = try cli.run("log", "--area", "16282-01", "--eid-l2", "-3")
        #expect(negative.status == 64)
        #expect(negative.stderr == "lỗi: --eid-l2 \"-3\": số liệu không thể là số âm. Ghi số từ 0 trở lên, ví dụ --eid-l2 12.\n")
        let negativeEnglish = try cli.run("log", "--area", "16282-01", "--eid-l2", "-3", "--lang", "en")
        #expect(negativeEnglish.stderr == "error: --eid-l2 \"-3\": a count cannot be negative. Write 0 or more, such as --eid-l2 12.\n")
        let decimal = try cli.run("log", "--area", "16282-01", "--bank-account", "2,5")
        #expect(decimal.stderr == "lỗi: --bank-account \"2,5\": số liệu phải là số nguyên. Ghi ví dụ --bank-account 12 hoặc --bank-account 1.010.\n")
        let date = try cli.run("log", "--area", "16282-01", "--date", "31/02/2026")
        #expect(date.status == 64)
        #expect(date.stderr == "lỗi: --date \"31/02/2026\": tháng 2 năm 2026 chỉ có 28 ngày. Ghi một ngày có thật, ví dụ 2026-11-20 hoặc 20/11/2026.\n")
        let dateEnglish = try cli.run("log", "--area", "16282-01", "--date", "31/02/2026", "--lang", "en")
        #expect(dateEnglish.stderr == "error: --date \"31/02/2026\": month 2 of 2026 has only 28 days. Write a date such as 2026-11-20 or 20/11/2026.\n")
        let month = try cli.run("coverage", "--campaign", "de-an-06", "--as-of", "2026-13-01")
        #expect(month.stderr == "lỗi: --as-of \"2026-13-01\": không có tháng 13; tháng từ 1 đến 12. Ghi một ngày có thật, ví dụ 2026-11-20 hoặc 20/11/2026.\n")
        let depth = try cli.run("areas", "list", "--depth", "-1", "--lang", "en")
        #expect(depth.status == 64)
        #expect(depth.stderr == "error: --depth \"-1\": a depth is 0 or more: 0 is the start itself, 1 the level below it.\n")
        let reason = try cli.run("log", "--area", "16282-01", "--reason", "ghi nhầm")
        #expect(reason.stderr == "lỗi: --reason \"ghi nhầm\": --reason đi kèm --replaces MÃ: cho biết vì sao buổi cũ sai.\n")
        // Counts still read as before.
        try #require(try cli.run("init").status == 0)
        try #require(try cli.run("areas", "import", CLI.resource("areas/nong_cong.csv")).status == 0)
        try #require(try cli.run("areas", "import", CLI.resource("sample/hamlets.csv")).status == 0)
        let logged = try cli.run("log", "--area", "16282-01", "--date", "01/11/2026", "--eid-l2", "1.010", "--bank-account", "0")
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(try cli.run("sessions", "list", "--format", "csv").stdout.contains(",2026-11-01,16282-01,,,1010,0,"))
    }

    @Test("ArgumentParser's own errors (unknown option, missing value, missing argument, a value not among the accepted) in the user's language")
    func parserErrors() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let unknown = try cli.run("coverage", "--campaign", "de-an-06", "--undr", "16282")
        #expect(unknown.status == 64)
        #expect(unknown.stderr == "lỗi: `outreach coverage` không có tùy chọn --undr; có phải ý bạn là --under? Xem 'outreach coverage --help'.\n")
        let unknownEnglish = try cli.run("coverage", "--campaign", "de-an-06", "--undr", "16282", "--lang", "en")
        #expect(unknownEnglish.stderr == "error: --undr is not an option of `outreach coverage`; did you mean --under? See 'outreach coverage --help'.\n")
        let missingValue = try cli.run("log", "--area")
        #expect(missingValue.status == 64)
        #expect(missingValue.stderr == "lỗi: --area cần một giá trị: ghi --area <mã>. Xem 'outreach log --help'.\n")
        let missingArgument = try cli.run("areas", "import", "--lang", "en")
        #expect(missingArgument.stderr == "error: `outreach areas import` needs <file>. See 'outreach areas import --help'.\n")
        let format = try cli.run("areas", "list", "--format", "xml")
        #expect(format.stderr == "lỗi: --format \"xml\" không phải là giá trị được chấp nhận. Ghi một trong: table, csv, json.\n")
        let extra = try cli.run("areas", "list", "thôn")
        #expect(extra.stderr == "lỗi: `outreach areas list` không nhận \"thôn\". Xem 'outreach areas list --help'.\n")
    }

    /// Commands that never open a workspace, and why.
    static let noWorkspace: [[String]: String] = [
        ["campaigns", "list"]: "reads only the campaign files",
    ]

    @Test("--db is accepted by every command that opens a workspace")
    func databaseEverywhere() throws {
        for command in try Self.commands() where !command.isGroup && !command.path.isEmpty {
            if let why = Self.noWorkspace[command.path] {
                #expect(!command.options.contains("db"), "\(command.path) \(why)")
            } else {
                #expect(command.options.contains("db"), "\(command.path) has no --db")
                #expect(command.options.contains("lang"), "\(command.path) has no --lang")
            }
        }
        // The commands without --db really read no workspace: a file that is not one does not stop them.
        var cli = try CLI()
        defer { cli.cleanUp() }
        try cli.write("notes.txt", "not a workspace")
        cli.environment["OUTREACH_DB"] = cli.path("notes.txt")
        let list = try cli.run("campaigns", "list", "--campaigns", CLI.packageRoot.appendingPathComponent("Campaigns").path)
        #expect(list.status == 0, "\(list.stderr)")
        // campaigns show reads the workspace named by --db when there is one.
        try #require(try cli.run("init", "--db", "w.sqlite").status == 0)
        let show = try cli.run("campaigns", "show", "de-an-06", "--campaigns", CLI.packageRoot.appendingPathComponent("Campaigns").path,
                               "--db", "w.sqlite")
        #expect(show.status == 0)
        #expect(show.stderr.contains("cảnh báo: ") && show.stderr.contains("\(cli.shown("w.sqlite")) không có địa bàn \"38\""), "\(show.stderr)")
    }

    @Test("shell completion scripts complete file arguments with their extensions", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let script = try cli.run("--generate-completion-script", shell)
        #expect(script.status == 0)
        switch shell {
        case "bash":
            #expect(script.stdout.contains("-o plusdirs -fX '!*.@(csv)'"))
            #expect(script.stdout.contains("-o plusdirs -fX '!*.@(yaml|yml)'"))
            #expect(script.stdout.contains("-o plusdirs -fX '!*.@(html|md)'"))
        case "zsh":
            #expect(script.stdout.contains("_files -g '\\''*.csv'\\''"))
            #expect(script.stdout.contains("_files -g '\\''*.outreach'\\''"))
        default:
            #expect(script.stdout.contains("*.\\'csv\\'"))
        }
    }

    @Test("timestamps people read are Vietnam time (UTC+7), not UTC")
    func vietnamTime() throws {
        var cli = try CLI()
        defer { cli.cleanUp() }
        // The machine's zone must not matter: the message is Vietnam time wherever it runs.
        cli.environment["TZ"] = "America/New_York"
        // The stored import time is UTC; the message shows it seven hours later. Taken before the
        // first import, so a minute turning during it cannot fail the test.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        formatter.dateFormat = "dd/MM/yyyy HH:mm"
        let before = formatter.string(from: Date())
        try cli.importSampleDistrict()
        let again = try cli.run("sessions", "import", CLI.resource("sample/sessions_excel.csv"), "--db", "w.sqlite")
        let after = formatter.string(from: Date())
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("lúc \(before) (") || again.stdout.contains("lúc \(after) ("), "\(again.stdout) vs \(before)")
        #expect(!again.stdout.contains("UTC"))
        let stored = try cli.value("w.sqlite", "SELECT imported FROM import_file LIMIT 1") ?? ""
        #expect(stored.hasSuffix("Z"), "stored values stay UTC: \(stored)")
    }

    @Test("a campaign-declared metric shows its label in sessions list and coverage, never its raw code")
    func metricLabels() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let campaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path
        let logged = try cli.run("log", "--area", "16282-01", "--date", "2026-11-20", "--metric", "dvc_submitted=7",
                                 "--campaigns", campaigns, "--db", "w.sqlite")
        #expect(logged.status == 0, "\(logged.stderr)")
        let list = try cli.run("sessions", "list", "--under", "16282-01", "--from", "2026-11-20", "--campaigns", campaigns, "--db", "w.sqlite")
        #expect(list.stdout.contains("HỒ SƠ DVC NỘP TRỰC TUYẾN"), "\(list.stdout)")
        #expect(!list.stdout.contains("DVC_SUBMITTED"))
        let english = try cli.run("sessions", "list", "--under", "16282-01", "--from", "2026-11-20", "--campaigns", campaigns,
                                  "--db", "w.sqlite", "--lang", "en")
        #expect(english.stdout.contains("ONLINE DOSSIERS FILED"))
        let csv = try cli.run("sessions", "list", "--under", "16282-01", "--format", "csv", "--campaigns", campaigns, "--db", "w.sqlite")
        #expect(csv.stdout.hasPrefix("id,date,area,team,logged_by,eid_l2,") && csv.stdout.contains(",dvc_submitted,"))
        let coverage = try cli.run("coverage", "--campaign", "example", "--indicator", "dvc-submitted", "--as-of", "2026-11-30",
                                   "--campaigns", campaigns, "--db", "w.sqlite")
        #expect(coverage.status == 0, "\(coverage.stderr)")
        #expect(coverage.stdout.contains("Hồ sơ DVC nộp trực tuyến"))
        #expect(!coverage.stdout.contains("dvc_submitted"))
        let show = try cli.run("campaigns", "show", "example", "--campaigns", campaigns, "--lang", "en")
        #expect(show.stdout.contains("Online dossiers filed (dvc_submitted)"))
        #expect(show.stdout.contains("Numerator:") && show.stdout.contains("Online dossiers filed\n"))
    }
}
