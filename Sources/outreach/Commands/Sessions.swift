import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Sessions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sessions",
            abstract: "Import, list and void outreach sessions.",
            subcommands: [Import.self, List.self, Void.self])
    }
}

extension Outreach.Sessions {
    struct Import: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import sessions.csv files ([id,]date,area[,team,logged_by],<metrics…>[,notes]).",
            discussion: """
                Each file is all or nothing. Re-importing a file, or rows whose id the workspace \
                already has, counts nothing twice; a row without id is known by its content (a \
                sheet resent with rows added, or re-saved by a spreadsheet, brings only its new \
                rows). A row without id with the day, hamlet and team of a stored session but \
                other counts is a likely correction: the file is refused until --as-new or \
                --as-corrections says what it is. Metric columns are the built-in metrics and \
                those the campaign files of the campaigns folder declare under metrics:.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Flag(help: "Import likely corrections as new sessions.") var asNew = false
        @Flag(help: "Treat likely corrections as corrections: void the stored session, linked to the row's.")
        var asCorrections = false
        @Argument(help: "The CSV files.") var files: [String]

        func validate() throws {
            if asNew && asCorrections {
                throw ValidationError(try language.labels()["sessions.import.as_new_and_corrections"])
            }
        }

        func run() throws {
            let l = try language.labels()
            let declared = try campaigns.declaredMetrics()
            let store = try Store.open(path: database.path, singleConnection: true)
            var failed = false
            for file in files {
                let progress: ImportProgress? = Console.stderrIsTerminal ? Import.progressLine(for: file, l) : nil
                do {
                    let choice: LikelyCorrections = asNew ? .asNew : asCorrections ? .asCorrections(l) : .refuse
                    let s = try store.importSessions(file: file, today: .today(), campaignMetrics: declared.codes,
                                                     corrections: choice, progress: progress)
                    if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    for w in s.warnings { Console.warning(w, l) }
                    if s.warningCount > s.warnings.count {
                        Console.warning(l("sessions.import.more_warnings", ["count": l.count(s.warningCount - s.warnings.count)]), l)
                    }
                    if let previous = s.previousImport {
                        Console.out(l("sessions.import.already", ["file": file, "when": Import.when(previous, l)]) + "\n")
                    } else {
                        Console.out(l("sessions.import.summary", [
                            "file": file, "rows": l.count(s.rows), "imported": l.count(s.imported),
                            "present": l.count(s.alreadyPresent),
                            "warnings": l.counted(s.warningCount, one: l["sessions.import.warnings.one"],
                                                  other: l["sessions.import.warnings.other"])]) + "\n")
                    }
                    if s.corrected > 0 {
                        Console.out(l("sessions.import.corrected", ["file": file, "count": l.count(s.corrected)]) + "\n")
                    }
                } catch let error as UserFacingError {
                    if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    Console.failure(error, l)
                    let unknownColumn = (error as? ImportRejected)?.problems.contains {
                        $0.phrase?.key.hasPrefix("csv.error.unknown_column") == true
                    } == true
                    if unknownColumn { Import.noteUnreadable(declared.unreadable, l) }
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }

        /// Names the campaign files that could not be read, whose metrics are therefore unknown.
        static func noteUnreadable(_ files: [String], _ l: Labels) {
            guard !files.isEmpty else { return }
            Console.error(l("sessions.note.unreadable_campaigns", ["files": files.joined(separator: ", ")]))
        }

        /// A progress line on stderr, redrawn in place: "  sessions.csv: 45% 450.000 dòng…".
        static func progressLine(for file: String, _ l: Labels) -> ImportProgress {
            { read, total, rows in
                var share = ""
                if let total, total > 0 { share = " \(Int(Double(read) * 100 / Double(total)))%" }
                FileHandle.standardError.write(Data(("\r  \(file):\(share) " + l("sessions.import.progress", ["rows": l.count(rows)])).utf8))
            }
        }

        /// When a file was imported before, from its stored UTC timestamp (`2026-11-22T11:28:08Z`):
        /// `22/11/2026 11:28 UTC`; the stored text as is when it is not one.
        static func when(_ stamp: String, _ l: Labels) -> String {
            guard stamp.count >= 16, let day = Day(parsing: stamp.prefix(10)) else { return stamp }
            let time = stamp.dropFirst(11).prefix(5)
            return l("sessions.import.when", ["date": l.date(day), "time": String(time)])
        }
    }

    struct List: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List sessions by date.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Only sessions in this area or below it.") var under: String?
        @Option(help: "From this day (YYYY-MM-DD or DD/MM/YYYY).") var from: Day?
        @Option(help: "Up to this day, inclusive.") var to: Day?
        @Option(help: "Only this team's sessions.") var team: String?
        @Flag(help: "Show voided sessions too, with why and when.") var includeVoided = false
        @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table

        func run() throws {
            let labels = try language.labels()
            let sessions = try database.open().sessions(
                SessionQuery(under: under, from: from, to: to, team: team, includeVoided: includeVoided))
            Console.out(try SessionListing.render(sessions, as: format, labels: labels))
        }
    }

    struct Void: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "void",
            abstract: "Void a session: it leaves every total and stays in the history.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: "The session's id (or its first characters, as `sessions list` shows them).") var id: String
        @Option(help: "Why the session is voided.") var reason: String

        func run() throws {
            let l = try language.labels()
            let full = try database.open().voidSession(id, reason: reason, on: .today())
            Console.out(l("sessions.voided", ["id": full]) + "\n")
        }
    }
}
