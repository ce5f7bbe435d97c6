import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Targets: ParsableCommand {
        static let configuration = Help.command("targets", subcommands: [Set.self, List.self, Clear.self])
    }
}

extension Outreach.Targets {
    struct Set: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("targets.set")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("targets.campaign", value: "id")) var campaign: String
        @Argument(help: Help.argument("targets.area", value: "code")) var area: String
        @Argument(help: Help.argument("targets.indicator", value: "id")) var indicator: String
        @Argument(help: Help.argument("targets.set.value")) var value: String
        @Option(help: Help.argument("targets.set.reason")) var reason: String?

        var campaignsFolder: CampaignOptions? { campaigns }

        func run() async throws {
            let l = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            let target = try AreaTargetRules.parse(value, indicator: indicator, of: definition)
            let change = try await database.open().changeAreaTarget(
                AreaTargetRequest(campaign: definition, area: area, indicator: indicator, target: target, reason: reason))
            Console.out(change.text(l) + "\n")
        }
    }

    struct List: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("targets.list")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("targets.campaign", value: "id")) var campaign: String
        @Option(help: Help.argument("targets.list.under", value: "code")) var under: String?
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let l = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            let listing = try await database.open().targetListing(campaign: definition, under: under)
            Console.out(try listing.rendered(as: format, labels: l))
        }
    }

    struct Clear: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("targets.clear")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("targets.campaign", value: "id")) var campaign: String
        @Argument(help: Help.argument("targets.area", value: "code")) var area: String
        @Argument(help: Help.argument("targets.indicator", value: "id")) var indicator: String
        @Option(help: Help.argument("targets.clear.reason")) var reason: String

        var campaignsFolder: CampaignOptions? { campaigns }

        func run() async throws {
            let l = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            let change = try await database.open().changeAreaTarget(
                AreaTargetRequest(campaign: definition, area: area, indicator: indicator, target: nil, reason: reason))
            Console.out(change.text(l) + "\n")
        }
    }
}
