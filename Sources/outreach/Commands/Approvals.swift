import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    /// `outreach approve --area CODE --period P`: closes (chốt) a unit's figures for a period,
    /// accepting (duyệt) the closed units below it.
    struct Approve: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("approve")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("approve.area", value: "code")) var area: String
        @Option(help: Help.argument("approve.period", value: "period")) var period: String
        @Option(help: Help.argument("approve.campaign", value: "id")) var campaign: String?
        var campaignsFolder: CampaignOptions? { campaigns }

        func run() async throws {
            let l = try language.labels()
            let desk = Approvals(store: try await database.open(), campaigns: campaigns.readable(), today: .today())
            let done = try await desk.approve(code: area, period: period, campaign: campaign)
            Console.out(done.text(l) + "\n")
        }
    }

    /// `outreach unapprove --area CODE --period P --reason TEXT`: reopens closed figures.
    struct Unapprove: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("unapprove")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("unapprove.area", value: "code")) var area: String
        @Option(help: Help.argument("unapprove.period", value: "period")) var period: String
        @Option(help: Help.argument("unapprove.reason", value: "text")) var reason: String?
        var campaignsFolder: CampaignOptions? { campaigns }

        func run() async throws {
            let l = try language.labels()
            let desk = Approvals(store: try await database.open(), campaigns: campaigns.readable(), today: .today())
            let done = try await desk.unapprove(code: area, period: period, reason: reason)
            Console.out(done.text(l) + "\n")
        }
    }

    /// `outreach approvals [--under CODE] [--period P]`: the state of each unit's figures.
    struct ApprovalStates: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("approvals", name: "approvals")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("approvals.under", value: "code")) var under: String?
        @Option(help: Help.argument("approvals.period", value: "period")) var period: String?
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let l = try language.labels()
            let desk = Approvals(store: try await database.open(), campaigns: campaigns.readable(), today: .today())
            Console.out(try await desk.table(under: under, period: period).rendered(as: format, labels: l))
        }
    }

    /// `outreach audit [--under CODE] [--since DATE] [--by NAME]`: who changed what.
    struct Audit: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("audit")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("audit.under", value: "code")) var under: String?
        @Option(help: Help.argument("audit.since", value: "date"), transform: ArgumentValue.day) var since: Day?
        @Option(name: .customLong("by"), help: Help.argument("audit.by", value: "name")) var by: String?
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let l = try language.labels()
            let entries = try await database.open().auditEntries(AuditQuery(under: under, since: since, by: by))
            Console.out(try AuditListing(entries: entries).rendered(as: format, labels: l))
        }
    }
}

extension CampaignOptions {
    /// The campaigns of the chosen folder that read; none when the folder is missing.
    func readable() -> [Campaign] {
        (try? CampaignCatalog(directory: directory).all().campaigns) ?? []
    }
}
