import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    /// `outreach outliers --campaign ID`: finds outliers, duplicates and bursts and stores each as
    /// a follow-up.
    struct Outliers: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("outliers")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("outliers.campaign", value: "id")) var campaign: String
        @Option(help: Help.argument("outliers.under", value: "code")) var under: String?
        @Option(help: Help.argument("outliers.threshold", value: "n")) var threshold: Double = 3.0
        @Option(help: Help.argument("outliers.burst", value: "n")) var burst: Int = 12
        @Option(name: .customLong("max"), help: Help.argument("outliers.max", value: "n"), transform: ArgumentValue.count) var maxResults: Int = 500
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table
        var campaignsFolder: CampaignOptions? { campaigns }

        func validate() throws {
            if !(threshold > 0) { throw ArgumentValueError(option: "--threshold", value: String(threshold), why: Phrase("quality.error.threshold")) }
            if burst < 1 { throw ArgumentValueError(option: "--burst", value: String(burst), why: Phrase("quality.error.burst")) }
        }

        func run() async throws {
            let l = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            let run = try await database.open().outliers(campaign: definition, under: under,
                                                          detection: OutlierDetection(threshold: threshold, burst: burst, maxResults: maxResults),
                                                          asOf: .today())
            Console.out(try run.rendered(as: format, labels: l))
        }
    }

    /// `outreach followups list|resolve`.
    struct FollowUps: ParsableCommand {
        static let configuration = Help.command("followups", subcommands: [List.self, Resolve.self])
    }
}

extension Outreach.FollowUps {
    struct List: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("followups.list")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("followups.list.under", value: "code")) var under: String?
        @Flag(help: Help.argument("followups.list.all")) var all = false
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let l = try language.labels()
            let list = try await database.open().followUps(FollowUpQuery(under: under, openOnly: !all))
            Console.out(try FollowUpListing(followUps: list).rendered(as: format, labels: l))
        }
    }

    struct Resolve: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("followups.resolve")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("followups.resolve.id", value: "n")) var id: String
        @Option(help: Help.argument("followups.resolve.reason", value: "text")) var reason: String

        func run() async throws {
            let l = try language.labels()
            guard let number = Int64(id.trimmingCharacters(in: CharacterSet(charactersIn: "# "))) else { throw FollowUpError.unknown(id) }
            let done = try await database.open().resolveFollowUp(number, reason: reason)
            Console.out(l("quality.followups.resolved", ["id": String(done.id), "why": FollowUpListing.why(done, l)]) + "\n")
        }
    }
}

extension Outreach.Teams {
    /// `outreach teams quality --campaign ID`: per-team quality and the recognition table.
    struct Quality: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("teams.quality")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("teams.quality.campaign", value: "id")) var campaign: String
        @Option(help: Help.argument("teams.quality.under", value: "code")) var under: String?
        @Option(help: Help.argument("teams.quality.period", value: "period")) var period: String?
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let l = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            var chosen: Period? = nil
            if let period {
                guard let p = Period(parsing: period) else { throw ApprovalError.badPeriod(period) }
                chosen = p
            }
            let report = try await database.open().teamQuality(campaign: definition, under: under, period: chosen, asOf: .today())
            Console.out(try report.rendered(as: format, labels: l))
        }
    }
}
