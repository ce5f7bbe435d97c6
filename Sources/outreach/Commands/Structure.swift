import ArgumentParser
import OutreachKit

extension Outreach {
    struct Structure: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("structure")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var treeOption: TreeOptions
        @Option(help: Help.argument("structure.under", value: "code")) var under: String?
        @Option(help: Help.argument("structure.as_of", value: "date")) var asOf: String?
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let labels = try language.labels()
            let day = try OptionValue.day(asOf, option: "--as-of") ?? .today()
            Console.out(try await database.open().structureReport(under: under, asOf: day, treeDay: treeOption.tree).rendered(as: format, labels: labels))
        }
    }
}
