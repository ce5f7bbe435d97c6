import ArgumentParser
import OutreachKit

extension Outreach {
    struct Areas: ParsableCommand {
        static let configuration = Help.command("areas", subcommands: [Import.self, List.self, Find.self, History.self, Merge.self,
                                                                        Split.self, Move.self, Rename.self, Retire.self, Reform.self])
    }
}

extension Outreach.Areas {
    struct Import: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("areas.import")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("areas.import.file", value: "file"), completion: .file(extensions: ["csv"])) var file: String

        func run() async throws {
            let l = try language.labels()
            let store = try await database.open()
            let rows = try AreaFile.read(try CSVReader(path: file))
            let s = try await store.importAreas(rows, file: file, on: .today())
            var line = l.importSummary("areas.import.summary", file: file, rows: rows.count,
                                       added: s.added, updated: s.updated, unchanged: s.unchanged)
            if s.renamed + s.moved > 0 {
                line += " " + l("areas.import.history", ["renamed": l.count(s.renamed), "moved": l.count(s.moved)])
            }
            Console.out(line + "\n")
        }
    }

    struct List: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("areas.list")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("areas.list.under", value: "code")) var under: String?
        @Option(parsing: .unconditional, help: Help.argument("areas.list.depth", value: "n")) var depth: Int?
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table
        @OptionGroup var treeOption: TreeOptions

        func validate() throws {
            if let depth, depth < 0 {
                throw ArgumentValueError(option: "--depth", value: String(depth), why: Phrase("cli.error.depth"))
            }
        }

        func run() async throws {
            let labels = try language.labels()
            // The tree in force today (or on --tree): units that have ended are not in it.
            let tree = try await database.open().tree(on: treeOption.tree ?? .today())
            var start: Int? = nil
            if let under {
                guard let i = tree.index(of: under) else { throw AreaLookupError.unknownCode(under) }
                start = i
            }
            Console.out(try AreaListing(tree: tree, start: start, maxDepth: depth).rendered(as: format, labels: labels))
        }
    }

    struct Find: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("areas.find")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("areas.find.text")) var text: String
        @Option(help: Help.argument("areas.find.limit", value: "n")) var limit = 20
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let l = try language.labels()
            let matches = try await database.open().findAreas(text, limit: limit, today: .today())
            guard !matches.isEmpty else { throw AreaLookupError.noMatch(text) }
            switch format {
            case .table:
                Console.out(TextTable.render(
                    [TableColumn(l["areas.col.code"]), TableColumn(l["areas.col.area"]), TableColumn(l["areas.col.kind"])],
                    matches.map { [$0.code, $0.display(l), l.kind($0.kind)] }))
            case .csv:
                Console.out(CSVWriter.render(header: ["code", "name", "kind", "path"],
                                             rows: matches.map { [$0.code, $0.name, $0.kind.rawValue, $0.path] }))
            case .json:
                Console.out(try JSONOutput.render(matches))
            }
        }
    }
}

extension Outreach.Areas {
    struct History: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("areas.history")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("areas.history.code", value: "code")) var code: String
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let l = try language.labels()
            let listing = try AreaHistoryListing(history: try await database.open().areaHistory(), code: code)
            switch format {
            case .json: Console.out(try JSONOutput.render(listing))
            case .table, .csv: Console.out(listing.text(l))
            }
        }
    }

    /// What every dated change takes: the day it takes effect and the decision behind it.
    struct ChangeOptions: ParsableArguments {
        @Option(help: Help.argument("areas.change.effective", value: "date"), transform: ArgumentValue.day) var effective: Day
        @Option(help: Help.argument("areas.change.basis", value: "text")) var basis: String?
    }

    /// A dated change of the tree: worked out against the history and applied, all or nothing;
    /// what it did is printed per province.
    protocol DatedAreaChange: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        var database: DatabaseOptions { get }
        var language: LanguageOptions { get }
        var change: ChangeOptions { get }
        /// The change to work out against the history.
        func plan() throws -> @Sendable (AreaChanges) throws -> AreaChangePlan
    }

    struct Merge: DatedAreaChange {
        static let configuration = Help.command("areas.merge")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: Help.argument("areas.merge.old", value: "code")) var old: [String]
        @Option(help: Help.argument("areas.merge.into", value: "code")) var into: String

        func plan() -> @Sendable (AreaChanges) throws -> AreaChangePlan {
            let (old, into, day) = (old, into, change.effective)
            return { try $0.merge(old, into: into, on: day) }
        }
    }

    struct Split: DatedAreaChange {
        static let configuration = Help.command("areas.split")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: Help.argument("areas.split.old", value: "code")) var old: String
        @Option(parsing: .upToNextOption, help: Help.argument("areas.split.into", value: "code")) var into: [String]

        func plan() -> @Sendable (AreaChanges) throws -> AreaChangePlan {
            let (old, into, day) = (old, into, change.effective)
            return { try $0.split(old, into: into, on: day) }
        }
    }

    struct Move: DatedAreaChange {
        static let configuration = Help.command("areas.move")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: Help.argument("areas.move.code", value: "code")) var code: String
        @Option(help: Help.argument("areas.move.to", value: "code")) var to: String

        func plan() -> @Sendable (AreaChanges) throws -> AreaChangePlan {
            let (code, to, day) = (code, to, change.effective)
            return { try $0.move(code, to: to, on: day) }
        }
    }

    struct Rename: DatedAreaChange {
        static let configuration = Help.command("areas.rename")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: Help.argument("areas.rename.code", value: "code")) var code: String
        @Argument(help: Help.argument("areas.rename.name", value: "name")) var name: String

        func plan() -> @Sendable (AreaChanges) throws -> AreaChangePlan {
            let (code, name, day) = (code, name, change.effective)
            return { try $0.rename(code, to: name, on: day) }
        }
    }

    struct Retire: DatedAreaChange {
        static let configuration = Help.command("areas.retire")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: Help.argument("areas.retire.code", value: "code")) var code: String

        func plan() -> @Sendable (AreaChanges) throws -> AreaChangePlan {
            let (code, day) = (code, change.effective)
            return { try $0.retire(code, on: day) }
        }
    }

    struct Reform: DatedAreaChange {
        static let configuration = Help.command("areas.reform")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: Help.argument("areas.reform.mapping", value: "file"), completion: .file(extensions: ["csv"])) var mapping: String
        @Option(help: Help.argument("areas.reform.tree", value: "file"), completion: .file(extensions: ["csv"])) var tree: String
        @Option(help: Help.argument("areas.reform.hamlets", value: "file"), completion: .file(extensions: ["csv"])) var hamlets: String?

        func plan() throws -> @Sendable (AreaChanges) throws -> AreaChangePlan {
            let table = try ReformMapping.read(try CSVReader(path: mapping))
            let rows = try AreaFile.read(try CSVReader(path: tree))
            let homes = try hamlets.map { try HamletHomes.read(try CSVReader(path: $0)) }
            let day = change.effective
            return { try $0.reform(table, tree: rows, homes: homes, on: day) }
        }
    }
}

extension Outreach.Areas.DatedAreaChange {
    func run() async throws {
        let plan = try await database.open().changeAreas(basis: change.basis, try plan())
        Console.out(plan.summary.text(try language.labels(), effective: change.effective))
    }
}

extension Labels {
    /// The summary line of an areas, teams or members import (`key`): the file, its rows, and
    /// how many were added, updated and left unchanged.
    func importSummary(_ key: String, file: String, rows: Int, added: Int, updated: Int, unchanged: Int) -> String {
        self(key, ["file": file, "rows": count(rows), "added": count(added),
                   "updated": count(updated), "unchanged": count(unchanged)])
    }
}
