import ArgumentParser
import OutreachKit

extension Outreach {
    struct Members: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "members",
            abstract: "Import, add and list the members of teams.",
            subcommands: [Import.self, Add.self, List.self])
    }
}

extension MemberRole: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension Outreach.Members {
    struct Import: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import members.csv (team,name[,phone,role,joined,left]).",
            discussion: "All or nothing: one bad row rejects the file. A member is known by team, name and phone, so re-importing a file adds nobody twice; it updates roles and dates.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            let l = try language.labels()
            let store = try database.open()
            let (rows, warnings) = try MemberFile.read(try CSVReader(path: file))
            let s = try store.importMembers(rows, file: file)
            for warning in warnings + s.warnings { Console.warning(warning, l) }
            Console.out(l.importSummary("members.import.summary", file: file, rows: rows.count,
                                        added: s.added, updated: s.updated, unchanged: s.unchanged) + "\n")
        }
    }

    struct Add: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add one member to a team.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Code of the team.") var team: String
        @Option(help: "The member's full name.") var name: String
        @Option(help: "Mobile number (0912 345 678, +84 91 234 5678 …).") var phone: String?
        @Option(help: "Role; a team has one current leader.") var role: MemberRole = .member
        @Option(help: "Day joined: 2026-11-20 or 20/11/2026.") var joined: String?
        @Option(help: "Day left: 2026-11-20 or 20/11/2026.") var left: String?

        func run() throws {
            let l = try language.labels()
            let reading = try OptionValue.phone(phone, option: "--phone")
            let member = Member(teamCode: try OptionValue.text(team, option: "--team"),
                                name: try OptionValue.text(name, option: "--name"), phone: reading?.phone, role: role,
                                joined: try OptionValue.day(joined, option: "--joined"),
                                left: try OptionValue.day(left, option: "--left"))
            let added = try database.open().addMember(member)
            if let notice = reading?.conversionPhrase(option: "--phone") { Console.warning(Warning(notice), l) }
            for warning in added.warnings { Console.warning(warning, l) }
            Console.out(l("members.added", ["name": member.name, "team": member.teamCode, "role": l.role(member.role)]) + "\n")
        }
    }

    struct List: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List members by team, the leader first.",
            discussion: "Phone numbers are masked (0912***678) unless --show-phones is given. The CSV has the columns of members.csv.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Only this team's members.") var team: String?
        @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table
        @Flag(help: "Show phone numbers in full.") var showPhones = false

        func run() throws {
            let labels = try language.labels()
            let members = try database.open().members(ofTeam: team)
            Console.out(try MemberListing(members: members, asOf: .today()).rendered(as: format, labels: labels, showPhones: showPhones))
        }
    }
}
