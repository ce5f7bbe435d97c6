import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Sessions: ParsableCommand {
        static let configuration = Help.command("sessions", subcommands: [Import.self, List.self, Void.self])
    }
}

extension Outreach.Sessions {
    struct Import: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("sessions.import")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        var campaignsFolder: CampaignOptions? { campaigns }
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Flag(help: Help.argument("sessions.import.as_new")) var asNew = false
        @Flag(help: Help.argument("sessions.import.as_corrections")) var asCorrections = false
        @Argument(help: Help.argument("sessions.import.files", value: "file"), completion: .file(extensions: ["csv"])) var files: [String]

        func validate() throws {
            if asNew && asCorrections {
                throw ValidationError(try language.labels()["sessions.import.as_new_and_corrections"])
            }
        }

        func run() async throws {
            let l = try language.labels()
            let declared = try campaigns.declaredMetrics()
            let store = try await database.open(singleConnection: true)
            var failed = false, locked = false
            for file in files {
                let progress: ImportProgress? = Console.stderrIsTerminal ? Import.progressLine(for: file, l) : nil
                do {
                    let choice: LikelyCorrections = asNew ? .asNew : asCorrections ? .asCorrections(l) : .refuse
                    let s = try await store.importSessions(file: file, name: nil, today: .today(), campaignMetrics: declared.codes,
                                                           problemLimit: 50, corrections: choice, progress: progress)
                    if progress != nil { Console.raw("\r\u{1B}[K") }
                    for w in s.warnings { Console.warning(w, l) }
                    if s.warningCount > s.warnings.count {
                        Console.warning(l("sessions.import.more_warnings", ["count": l.count(s.warningCount - s.warnings.count)]), l)
                    }
                    if s.maskedNumbers > 0 {
                        Console.error(l.counted(s.maskedNumbers, one: l["sessions.import.masked.one"],
                                                other: l["sessions.import.masked.other"], ["file": file]))
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
                    if progress != nil { Console.raw("\r\u{1B}[K") }
                    Console.failure(error, l)
                    let unknownColumn = (error as? ImportRejected)?.problems.contains {
                        $0.phrase?.key.hasPrefix("csv.error.unknown_column") == true
                    } == true
                    if unknownColumn { Import.noteUnreadable(declared.unreadable, l) }
                    if error is LockRefusal { locked = true } else { failed = true }
                }
            }
            // A closed period's refusal is status 3 (when nothing else failed), as for `log`.
            if failed { throw ExitCode.failure }
            if locked { throw ExitCode(3) }
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
                Console.raw("\r  \(file):\(share) " + l("sessions.import.progress", ["rows": l.count(rows)]))
            }
        }

        /// When a file was imported before, from its stored UTC timestamp (`2026-11-22T11:28:08Z`),
        /// in Vietnam time: `22/11/2026 18:28`; the stored text as is when it is not one.
        static func when(_ stamp: String, _ l: Labels) -> String { l.time(utc: stamp) }
    }

    struct List: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("sessions.list")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("sessions.list.under", value: "code")) var under: String?
        @Option(help: Help.argument("sessions.list.from", value: "date"), transform: ArgumentValue.day) var from: Day?
        @Option(help: Help.argument("sessions.list.to", value: "date"), transform: ArgumentValue.day) var to: Day?
        @Option(help: Help.argument("sessions.list.team", value: "code")) var team: String?
        @Flag(help: Help.argument("sessions.list.include_voided")) var includeVoided = false
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let labels = try language.labels()
            let sessions = try await database.open().sessions(
                SessionQuery(under: under, from: from, to: to, team: team, includeVoided: includeVoided))
            let declared = sessions.contains { $0.metrics.keys.contains { Metric(code: $0) == nil } }
            let names = declared && format == .table ? (try? campaigns.catalog().declaredMetricNames()) ?? [:] : [:]
            Console.out(try SessionListing.render(sessions, as: format, labels: labels, metricNames: names))
        }
    }

    struct Void: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("sessions.void")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("sessions.void.id")) var id: String
        @Option(help: Help.argument("sessions.void.reason")) var reason: String

        func run() async throws {
            let l = try language.labels()
            let full = try await database.open().voidSession(id, reason: reason, on: .today())
            Console.out(l("sessions.voided", ["id": full]) + "\n")
        }
    }
}
