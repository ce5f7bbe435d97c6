import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Sessions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import, list and void outreach sessions.",
            subcommands: [Import.self, List.self, Void.self])
    }
}

extension Outreach.Sessions {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import sessions.csv files ([id,]date,area[,team,logged_by],<metrics…>[,notes]).",
            discussion: """
                Each file is all or nothing. Re-importing a file, or rows whose id the workspace \
                already has, counts nothing twice.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV files.") var files: [String]

        func run() throws {
            let store = try Store.open(path: database.path, singleConnection: true)
            var failed = false
            for file in files {
                let progress: ImportProgress? = Console.stderrIsTerminal ? Import.progressLine(for: file) : nil
                do {
                    let s = try store.importSessions(file: file, today: .today(), progress: progress)
                    if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    for w in s.warnings { Console.error("warning: \(w)") }
                    if s.warningCount > s.warnings.count { Console.error("warning: … and \(s.warningCount - s.warnings.count) more warnings.") }
                    if let previous = s.previousImport {
                        Console.out("\(file): already imported on \(previous) (same content); nothing counted twice.\n")
                    } else {
                        Console.out("\(file): \(s.rows) rows — \(s.imported) imported, \(s.alreadyPresent) already present, \(s.warningCount) \(s.warningCount == 1 ? "warning" : "warnings").\n")
                    }
                } catch let error as UserFacingError where files.count > 1 {
                    if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    Console.error("error: " + error.message)
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }

        /// A progress line on stderr, redrawn in place: "  sessions.csv: 45% 450000 rows…".
        static func progressLine(for file: String) -> ImportProgress {
            { read, total, rows in
                var share = ""
                if let total, total > 0 { share = " \(Int(Double(read) * 100 / Double(total)))%" }
                FileHandle.standardError.write(Data("\r  \(file):\(share) \(rows) rows…".utf8))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sessions by date.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only sessions in this area or below it.") var under: String?
        @Option(help: "From this day (YYYY-MM-DD or DD/MM/YYYY).") var from: Day?
        @Option(help: "Up to this day, inclusive.") var to: Day?
        @Option(help: "Only this team's sessions.") var team: String?
        @Flag(help: "Show voided sessions too, with why and when.") var includeVoided = false
        @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table

        func run() throws {
            let sessions = try database.open().sessions(
                SessionQuery(under: under, from: from, to: to, team: team, includeVoided: includeVoided))
            Console.out(try SessionListing.render(sessions, as: format))
        }
    }

    struct Void: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Void a session: it leaves every total and stays in the history.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The session's id (or its first characters, as `sessions list` shows them).") var id: String
        @Option(help: "Why the session is voided.") var reason: String

        func run() throws {
            let full = try database.open().voidSession(id, reason: reason, on: .today())
            Console.out("Voided session \(full).\n")
        }
    }
}
