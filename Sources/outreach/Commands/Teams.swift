import ArgumentParser
import OutreachKit

extension Outreach {
    struct Teams: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "teams",
            abstract: "Import, add and list teams: Project 06 working groups, community digital teams, volunteer teams.",
            subcommands: [Import.self, Add.self, List.self])
    }
}

extension TeamKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension TeamStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension Outreach.Teams {
    struct Import: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import teams.csv (code,name,kind,area_code[,leader,leader_phone,formed,status]).",
            discussion: "All or nothing: one bad row rejects the file. Re-importing updates teams by code; a team marked inactive becomes inactive today unless it already was.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            let l = try language.labels()
            let store = try database.open()
            let (rows, warnings) = try TeamFile.read(try CSVReader(path: file))
            let s = try store.importTeams(rows, file: file, on: .today())
            for warning in warnings + s.warnings { Console.warning(warning, l) }
            Console.out(l.importSummary("teams.import.summary", file: file, rows: rows.count,
                                        added: s.added, updated: s.updated, unchanged: s.unchanged) + "\n")
        }
    }

    struct Add: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add one team.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Code, unique in the workspace (for example P06-16282).") var code: String
        @Option(help: "The team's name.") var name: String
        @Option(help: "Kind of team.") var kind: TeamKind
        @Option(help: "Code of the area the team belongs to.") var area: String
        @Option(help: "The leader's name.") var leader: String?
        @Option(help: "The leader's mobile number (0912 345 678, +84 91 234 5678 …).") var leaderPhone: String?
        @Option(help: "Day the team was formed: 2026-11-20 or 20/11/2026.") var formed: String?
        @Option(help: "Status; an inactive team is inactive from today.") var status: TeamStatus = .active

        func run() throws {
            let l = try language.labels()
            let phone = try OptionValue.phone(leaderPhone, option: "--leader-phone")
            let team = Team(code: try OptionValue.text(code, option: "--code"),
                            name: try OptionValue.text(name, option: "--name"), kind: kind,
                            areaCode: try OptionValue.text(area, option: "--area"),
                            leader: leader.map(Member.canonicalName).flatMap { $0.isEmpty ? nil : $0 },
                            leaderPhone: phone?.phone, formed: try OptionValue.day(formed, option: "--formed"),
                            status: status)
            try database.open().addTeam(team, on: .today())
            if let notice = phone?.conversionPhrase(option: "--leader-phone") { Console.warning(Warning(notice), l) }
            Console.out(l("teams.added", ["code": team.code, "name": team.name, "kind": l.teamKind(team.kind),
                                          "area": team.areaCode]) + "\n")
        }
    }

    struct List: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List teams in tree order, with their leader, status and members today.",
            discussion: "Phone numbers are masked (0912***678) unless --show-phones is given.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Only teams of areas under this area's code.") var under: String?
        @Option(help: "Only teams of this kind.") var kind: TeamKind?
        @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table
        @Flag(help: "Show phone numbers in full.") var showPhones = false

        func run() throws {
            let labels = try language.labels()
            let listing = try database.open().teamListing(under: under, kind: kind, asOf: .today())
            Console.out(try listing.rendered(as: format, labels: labels, showPhones: showPhones))
        }
    }
}
