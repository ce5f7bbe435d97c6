import ArgumentParser
import OutreachKit

extension Outreach {
    struct Teams: ParsableCommand {
        static let configuration = Help.command("teams", subcommands: [Import.self, Add.self, List.self, Quality.self])
    }
}

extension TeamKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension TeamStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension Outreach.Teams {
    struct Import: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("teams.import")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("teams.import.file", value: "file"), completion: .file(extensions: ["csv"])) var file: String

        func run() async throws {
            let l = try language.labels()
            let store = try await database.open()
            let (rows, warnings) = try TeamFile.read(try CSVReader(path: file))
            let s = try await store.importTeams(rows, file: file, on: .today())
            for warning in warnings + s.warnings { Console.warning(warning, l) }
            Console.out(l.importSummary("teams.import.summary", file: file, rows: rows.count,
                                        added: s.added, updated: s.updated, unchanged: s.unchanged) + "\n")
        }
    }

    struct Add: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("teams.add")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("teams.add.code", value: "code")) var code: String
        @Option(help: Help.argument("teams.add.name")) var name: String
        @Option(help: Help.argument("teams.add.kind")) var kind: TeamKind
        @Option(help: Help.argument("teams.add.area", value: "code")) var area: String
        @Option(help: Help.argument("teams.add.leader")) var leader: String?
        @Option(help: Help.argument("teams.add.leader_phone")) var leaderPhone: String?
        @Option(help: Help.argument("teams.add.formed", value: "date")) var formed: String?
        @Option(help: Help.argument("teams.add.status")) var status: TeamStatus = .active

        func run() async throws {
            let l = try language.labels()
            let phone = try OptionValue.phone(leaderPhone, option: "--leader-phone")
            let team = Team(code: try OptionValue.text(code, option: "--code"),
                            name: try OptionValue.text(name, option: "--name"), kind: kind,
                            areaCode: try OptionValue.text(area, option: "--area"),
                            leader: leader.map(Member.canonicalName).flatMap { $0.isEmpty ? nil : $0 },
                            leaderPhone: phone?.phone, formed: try OptionValue.day(formed, option: "--formed"),
                            status: status)
            try await database.open().addTeam(team, on: .today())
            if let notice = phone?.conversionPhrase(option: "--leader-phone") { Console.warning(Warning(notice), l) }
            Console.out(l("teams.added", ["code": team.code, "name": team.name, "kind": l.teamKind(team.kind),
                                          "area": team.areaCode]) + "\n")
        }
    }

    struct List: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("teams.list")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("teams.list.under", value: "code")) var under: String?
        @Option(help: Help.argument("teams.list.kind")) var kind: TeamKind?
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table
        @Flag(help: Help.argument("teams.list.show_phones")) var showPhones = false

        func run() async throws {
            let labels = try language.labels()
            let listing = try await database.open().teamListing(under: under, kind: kind, asOf: .today())
            Console.out(try listing.rendered(as: format, labels: labels, showPhones: showPhones))
        }
    }
}
