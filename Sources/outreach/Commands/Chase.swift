import ArgumentParser
import OutreachKit

extension Outreach {
    struct Chase: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("chase")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var treeOption: TreeOptions
        @Option(help: Help.argument("chase.campaign", value: "id")) var campaign: String
        @Option(help: Help.argument("chase.days", value: "n"), transform: ArgumentValue.count) var days: Int = 14
        @Option(help: Help.argument("chase.under", value: "code")) var under: String?
        @Option(help: Help.argument("chase.format")) var format: ChaseFormat = .text
        @Flag(help: Help.argument("chase.include_phones")) var includePhones = false

        func run() async throws {
            let labels = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            let store = try await database.open()
            let country = format == .text ? labels["report.country"] : Campaign.wholeTreeName
            let list = try await store.chaseList(campaign: definition, under: under, today: .today(), silentDays: days,
                                                 countryName: country)
            Console.out(try list.rendered(as: format, labels: labels, showPhones: includePhones))
        }
    }
}

extension ChaseFormat: ExpressibleByArgument {}
