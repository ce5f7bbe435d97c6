import ArgumentParser
import OutreachKit

extension Outreach {
    /// `outreach validate`: every breach of a campaign's rules; exit status 1 when an `error`
    /// rule is broken.
    struct Validate: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("validate")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("validate.campaign", value: "id")) var campaign: String
        @Option(help: Help.argument("validate.under", value: "code")) var under: String?
        @Option(help: Help.argument("validate.period", value: "period")) var period: String?
        @Option(help: Help.argument("validate.format")) var format: CoverageFormat = .table

        func run() async throws {
            let labels = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            let chosen = try period.map { try CompletenessReport.period($0, campaign: definition, today: .today()) }
            let store = try await database.open()
            let report = try await store.validationReport(campaign: definition, under: under, period: chosen)
            Console.out(try report.rendered(as: format, labels: labels))
            if report.hasErrors { throw ExitCode(1) }
        }
    }
}
