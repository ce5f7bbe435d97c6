import ArgumentParser
import OutreachKit

extension Outreach {
    struct Coverage: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("coverage")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var treeOption: TreeOptions
        @Option(help: Help.argument("coverage.campaign", value: "id")) var campaign: String
        @Option(help: Help.argument("coverage.indicator", value: "id")) var indicator: String?
        @Option(help: Help.argument("coverage.under", value: "code")) var under: String?
        @Option(help: Help.argument("coverage.level"))
        var level: String?
        @Option(help: Help.argument("coverage.as_of", value: "date"), transform: ArgumentValue.day) var asOf: Day?
        @Flag(help: Help.argument("coverage.behind")) var behind = false
        @Option(help: Help.argument("coverage.sort")) var sort: CoverageReport.Sort = .tree
        @Option(help: Help.argument("coverage.format")) var format: CoverageFormat = .table

        func validate() throws {
            if let level, CoverageReport.LevelFilter(parsing: level) == nil {
                throw ArgumentValueError(option: "--level", value: level, why: Phrase("cli.error.level"))
            }
        }

        func run() async throws {
            let labels = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            let store = try await database.open()
            // CSV and JSON are machine formats: their whole-country row has one name in every language.
            let country = format == .table || format == .md ? labels["report.country"] : Campaign.wholeTreeName
            let report = try await store.coverageReport(
                campaign: definition,
                options: .init(asOf: asOf ?? .today(), indicator: indicator, under: under,
                               level: level.flatMap(CoverageReport.LevelFilter.init(parsing:)), behindOnly: behind, sort: sort, tree: treeOption.tree),
                countryName: country)
            Console.out(try report.renderedBytes(as: format, labels: labels))
        }
    }
}

extension CoverageFormat: ExpressibleByArgument {}
extension CoverageReport.Sort: ExpressibleByArgument {}
