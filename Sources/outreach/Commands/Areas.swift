import ArgumentParser
import OutreachKit

extension Outreach {
    struct Areas: ParsableCommand {
        static let configuration = Help.command("areas", subcommands: [Import.self, List.self, Find.self])
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

        func validate() throws {
            if let depth, depth < 0 {
                throw ArgumentValueError(option: "--depth", value: String(depth), why: Phrase("cli.error.depth"))
            }
        }

        func run() async throws {
            let labels = try language.labels()
            let tree = try await database.open().areaTree(addingRoot: nil)
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
            let matches = try await database.open().findAreas(text, limit: limit)
            guard !matches.isEmpty else { throw AreaLookupError.noMatch(text) }
            switch format {
            case .table:
                Console.out(TextTable.render(
                    [TableColumn(l["areas.col.code"]), TableColumn(l["areas.col.area"]), TableColumn(l["areas.col.kind"])],
                    matches.map { [$0.code, $0.path, l.kind($0.kind)] }))
            case .csv:
                Console.out(CSVWriter.render(header: ["code", "name", "kind", "path"],
                                             rows: matches.map { [$0.code, $0.name, $0.kind.rawValue, $0.path] }))
            case .json:
                Console.out(try JSONOutput.render(matches))
            }
        }
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
