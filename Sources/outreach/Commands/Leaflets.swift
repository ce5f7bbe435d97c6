import ArgumentParser
import OutreachKit

extension Outreach {
    struct Leaflets: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record leaflets received and passed down the tree, and show each unit's stock.",
            subcommands: [Receive.self, Allocate.self, Stock.self])
    }
}

extension Outreach.Leaflets {
    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record leaflets a unit received from outside the tree (a district receives the 6,000 it printed).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Code of the unit that received them.") var area: String
        @Option(help: "Number of leaflets (6000 or 6.000).") var quantity: String
        @Option(help: "Print batch or any other label.") var batch: String?
        @Option(help: "Day received: 2026-11-20 or 20/11/2026 (default: today).") var date: String?

        func run() throws {
            let record = try database.open().receiveLeaflets(
                into: area, quantity: try LeafletArgument.quantity(quantity),
                on: try LeafletArgument.day(date, option: "--date"), batch: batch)
            Console.out("Recorded: \(record.to.name) (\(record.to.code)) received \(record.move.quantity) leaflets on \(record.move.day.iso)\(LeafletArgument.batchText(record.move)).\n")
            Console.out("On hand: \(record.to.name) (\(record.to.code)) \(record.to.onHand).\n")
        }
    }

    struct Allocate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record leaflets passed down the tree (district → commune → hamlet).",
            discussion: "Refused when the giving unit does not have that many on hand, unless --allow-negative is given.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Code of the unit that passes them on.") var from: String
        @Option(help: "Code of the unit below it that receives them.") var to: String
        @Option(help: "Number of leaflets (2000 or 2.000).") var quantity: String
        @Option(help: "Day passed on: 2026-11-20 or 20/11/2026 (default: today).") var date: String?
        @Option(help: "Print batch or any other label.") var batch: String?
        @Flag(help: "Record it even when the giving unit has fewer leaflets on hand (the stock report flags it).")
        var allowNegative = false

        func run() throws {
            let record = try database.open().allocateLeaflets(
                from: from, to: to, quantity: try LeafletArgument.quantity(quantity),
                on: try LeafletArgument.day(date, option: "--date"), batch: batch, allowNegative: allowNegative)
            guard let giver = record.from else { return }
            if let short = record.shortfall {
                Console.error("warning: \(giver.name) (\(giver.code)) passed on more leaflets than it has: \(short.onHand) on hand on \(short.day.iso). `outreach leaflets stock` flags it as over until its receipt is recorded.")
            }
            Console.out("Recorded: \(giver.name) (\(giver.code)) passed \(record.move.quantity) leaflets on to \(record.to.name) (\(record.to.code)) on \(record.move.day.iso)\(LeafletArgument.batchText(record.move)).\n")
            Console.out("On hand: \(giver.name) (\(giver.code)) \(giver.onHand), \(record.to.name) (\(record.to.code)) \(record.to.onHand).\n")
        }
    }

    struct Stock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show leaflets received, passed on, handed out and on hand for every unit, in tree order.",
            discussion: """
                Each row is the unit's own stock, not its subtree's. Handed out is the `leaflets` count of \
                live sessions logged in the unit. Units that handed out or passed on more than they received \
                are flagged `over`. The total line sums leaflets received from outside, handed out and on hand.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Start at this area's code.") var under: String?
        @Option(help: "Count moves and sessions up to this day: 2026-11-20 or 20/11/2026 (default: today).")
        var asOf: String?
        @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table

        func run() throws {
            let report = try database.open().leafletStock(under: under, asOf: try LeafletArgument.day(asOf, option: "--as-of"))
            Console.out(try report.rendered(as: format))
        }
    }

    /// A date or quantity on the command line that cannot be read.
    struct LeafletArgument: UserFacingError {
        var message: String

        /// `text` as a number of leaflets: digits, or digits grouped by `.`, `,` or space.
        static func quantity(_ text: String) throws -> Int {
            switch CountParser.parse(text) {
            case let .success(n?) where n > 0:
                return n
            case .success(.some), .failure(.negative):
                throw LeafletArgument(message: "--quantity must be at least 1 leaflet, not \"\(text)\". Write the number of leaflets, such as 6000 or 6.000.")
            case .success(nil), .failure:
                throw LeafletArgument(message: "--quantity \"\(text)\" is not a whole number of leaflets. Write a number such as 6000 or 6.000.")
            }
        }

        /// `text` as a day; today when nil.
        static func day(_ text: String?, option: String) throws -> Day {
            guard let text else { return .today() }
            guard let day = Day(parsing: text) else {
                throw LeafletArgument(message: "\(option) \"\(text)\" is not a date. Write 2026-11-20 or 20/11/2026.")
            }
            return day
        }

        static func batchText(_ move: LeafletMove) -> String {
            move.batch.map { ", batch \"\($0)\"" } ?? ""
        }
    }
}
