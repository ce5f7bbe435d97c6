import ArgumentParser
import OutreachKit

extension Outreach {
    struct Leaflets: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "leaflets",
            abstract: "Record leaflets received and passed down the tree, and show each unit's stock.",
            subcommands: [Receive.self, Allocate.self, Stock.self])
    }
}

extension Outreach.Leaflets {
    struct Receive: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "receive",
            abstract: "Record leaflets a unit received from outside the tree (a district receives the 6,000 it printed).")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Code of the unit that received them.") var area: String
        @Option(help: "Number of leaflets (6000 or 6.000).") var quantity: String
        @Option(help: "Print batch or any other label.") var batch: String?
        @Option(help: "Day received: 2026-11-20 or 20/11/2026 (default: today).") var date: String?

        func run() throws {
            let l = try language.labels()
            let record = try database.open().receiveLeaflets(
                into: area, quantity: try OptionValue.leaflets(quantity),
                on: try OptionValue.day(date, option: "--date") ?? .today(), batch: batch)
            Console.out(l("leaflets.received", ["unit": record.to.display, "quantity": l.count(record.move.quantity),
                                                "date": l.date(record.move.day)])
                + record.move.batchText(l) + ".\n")
            Console.out(l("leaflets.on_hand", ["units": record.to.onHandText(l)]) + "\n")
        }
    }

    struct Allocate: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "allocate",
            abstract: "Record leaflets passed down the tree (district → commune → hamlet).",
            discussion: "Refused when the giving unit does not have that many on hand, unless --allow-negative is given.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Code of the unit that passes them on.") var from: String
        @Option(help: "Code of the unit below it that receives them.") var to: String
        @Option(help: "Number of leaflets (2000 or 2.000).") var quantity: String
        @Option(help: "Day passed on: 2026-11-20 or 20/11/2026 (default: today).") var date: String?
        @Option(help: "Print batch or any other label.") var batch: String?
        @Flag(help: "Record it even when the giving unit has fewer leaflets on hand (the stock report flags it).")
        var allowNegative = false

        func run() throws {
            let l = try language.labels()
            let record = try database.open().allocateLeaflets(
                from: from, to: to, quantity: try OptionValue.leaflets(quantity),
                on: try OptionValue.day(date, option: "--date") ?? .today(), batch: batch, allowNegative: allowNegative)
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

    struct Stock: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "stock",
            abstract: "Show leaflets received, passed on, handed out and on hand for every unit, in tree order.",
            discussion: """
                Each row is the unit's own stock, not its subtree's. Handed out is the `leaflets` count of \
                live sessions logged in the unit. Units that handed out or passed on more than they received \
                are flagged `over`. The total line sums leaflets received from outside, handed out and on hand.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Start at this area's code.") var under: String?
        @Option(help: "Count moves and sessions up to this day: 2026-11-20 or 20/11/2026 (default: today).")
        var asOf: String?
        @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table

        func run() throws {
            let labels = try language.labels()
            let report = try database.open().leafletStock(under: under, asOf: try OptionValue.day(asOf, option: "--as-of") ?? .today())
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
