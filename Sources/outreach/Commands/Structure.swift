import ArgumentParser
import OutreachKit

extension Outreach {
    struct Structure: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "structure",
            abstract: "Show, per level and kind of team, the units with an active team (29/29), their members, and the units without one.",
            discussion: "Project 06 is shown at every level below the start; other kinds where they have teams.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Start at this area's code (default: the whole tree).") var under: String?
        @Option(help: "Count teams and members on this day: 2026-11-20 or 20/11/2026 (default: today).") var asOf: String?
        @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table

        func run() throws {
            let labels = try language.labels()
            let day = try OptionValue.day(asOf, option: "--as-of") ?? .today()
            Console.out(try database.open().structureReport(under: under, asOf: day).rendered(as: format, labels: labels))
        }
    }
}
