import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Leaflets: ParsableCommand {
        static let configuration = Help.command("leaflets", subcommands: [Receive.self, Allocate.self, Stock.self])
    }
}

extension Outreach.Leaflets {
    struct Receive: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("leaflets.receive")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("leaflets.receive.area", value: "code")) var area: String
        @Option(help: Help.argument("leaflets.receive.quantity", value: "n")) var quantity: String
        @Option(help: Help.argument("leaflets.receive.batch")) var batch: String?
        @Option(help: Help.argument("leaflets.receive.date", value: "date")) var date: String?

        func run() async throws {
            let l = try language.labels()
            let record = try await database.open().receiveLeaflets(
                into: area, quantity: try OptionValue.leaflets(quantity),
                on: try OptionValue.day(date, option: "--date") ?? .today(), batch: batch, id: UUID())
            Console.out(l("leaflets.received", ["unit": record.to.display, "quantity": l.count(record.move.quantity),
                                                "date": l.date(record.move.day)])
                + record.move.batchText(l) + ".\n")
            Console.out(l("leaflets.on_hand", ["units": record.to.onHandText(l)]) + "\n")
        }
    }

    struct Allocate: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("leaflets.allocate")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("leaflets.allocate.from", value: "code")) var from: String
        @Option(help: Help.argument("leaflets.allocate.to", value: "code")) var to: String
        @Option(help: Help.argument("leaflets.allocate.quantity", value: "n")) var quantity: String
        @Option(help: Help.argument("leaflets.allocate.date", value: "date")) var date: String?
        @Option(help: Help.argument("leaflets.allocate.batch")) var batch: String?
        @Flag(help: Help.argument("leaflets.allocate.allow_negative"))
        var allowNegative = false

        func run() async throws {
            let l = try language.labels()
            let record = try await database.open().allocateLeaflets(
                from: from, to: to, quantity: try OptionValue.leaflets(quantity),
                on: try OptionValue.day(date, option: "--date") ?? .today(), batch: batch, allowNegative: allowNegative, id: UUID())
            guard let giver = record.from else { return }
            if let short = record.shortfall {
                Console.warning(l("leaflets.shortfall", ["unit": giver.display, "onHand": l.count(short.onHand),
                                                          "date": l.date(short.day)]), l)
            }
            Console.out(l("leaflets.allocated", ["from": giver.display, "quantity": l.count(record.move.quantity),
                                                 "to": record.to.display, "date": l.date(record.move.day)])
                + record.move.batchText(l) + ".\n")
            Console.out(l("leaflets.on_hand", ["units": giver.onHandText(l) + ", " + record.to.onHandText(l)]) + "\n")
        }
    }

    struct Stock: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("leaflets.stock")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("leaflets.stock.under", value: "code")) var under: String?
        @Option(help: Help.argument("leaflets.stock.as_of", value: "date"))
        var asOf: String?
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let labels = try language.labels()
            let report = try await database.open().leafletStock(under: under, asOf: try OptionValue.day(asOf, option: "--as-of") ?? .today())
            Console.out(try report.rendered(as: format, labels: labels))
        }
    }
}

extension LeafletMove {
    /// `, đợt in "In tháng 10"` (vi), `, batch "In tháng 10"` (en); empty without a batch.
    func batchText(_ l: Labels) -> String {
        batch.map { l("leaflets.batch", ["batch": $0]) } ?? ""
    }
}

extension LeafletRecord.Unit {
    /// "Huyện Nông Cống (404)".
    var display: String { "\(name) (\(code))" }

    /// "Huyện Nông Cống (404) 4.500".
    func onHandText(_ l: Labels) -> String { "\(display) \(l.count(onHand))" }
}
