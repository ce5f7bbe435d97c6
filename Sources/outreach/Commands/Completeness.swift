import ArgumentParser
import OutreachKit

extension Outreach {
    struct Completeness: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("completeness")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var treeOption: TreeOptions
        @Option(help: Help.argument("completeness.campaign", value: "id")) var campaign: String
        @Option(help: Help.argument("completeness.period", value: "period")) var period: String?
        @Option(help: Help.argument("completeness.under", value: "code")) var under: String?
        @Option(help: Help.argument("completeness.format")) var format: CoverageFormat = .table

        func run() async throws {
            let labels = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            let chosen = try CompletenessReport.period(period, campaign: definition, today: .today())
            let store = try await database.open()
            // CSV and JSON are machine formats: their whole-country row has one name in every language.
            let country = format == .table || format == .md ? labels["report.country"] : Campaign.wholeTreeName
            let report = try await store.completenessReport(campaign: definition, period: chosen, under: under, countryName: country,
                                                            treeDay: treeOption.tree)
            Console.out(try report.renderedBytes(as: format, labels: labels))
        }
    }
}
