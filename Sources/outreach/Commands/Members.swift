import ArgumentParser
import OutreachKit

extension Outreach {
    struct Members: ParsableCommand {
        static let configuration = Help.command("members", subcommands: [Import.self, Add.self, List.self])
    }
}

extension MemberRole: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension Outreach.Members {
    struct Import: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("members.import")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("members.import.file", value: "file"), completion: .file(extensions: ["csv"])) var file: String

        func run() async throws {
            let l = try language.labels()
            let store = try await database.open()
            let (rows, warnings) = try MemberFile.read(try CSVReader(path: file))
            let s = try await store.importMembers(rows, file: file)
            for warning in warnings + s.warnings { Console.warning(warning, l) }
            Console.out(l.importSummary("members.import.summary", file: file, rows: rows.count,
                                        added: s.added, updated: s.updated, unchanged: s.unchanged) + "\n")
        }
    }

    struct Add: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("members.add")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("members.add.team", value: "code")) var team: String
        @Option(help: Help.argument("members.add.name")) var name: String
        @Option(help: Help.argument("members.add.phone")) var phone: String?
        @Option(help: Help.argument("members.add.role")) var role: MemberRole = .member
        @Option(help: Help.argument("members.add.joined", value: "date")) var joined: String?
        @Option(help: Help.argument("members.add.left", value: "date")) var left: String?

        func run() async throws {
            let l = try language.labels()
            let reading = try OptionValue.phone(phone, option: "--phone")
            let member = Member(teamCode: try OptionValue.text(team, option: "--team"),
                                name: try OptionValue.text(name, option: "--name"), phone: reading?.phone, role: role,
                                joined: try OptionValue.day(joined, option: "--joined"),
                                left: try OptionValue.day(left, option: "--left"))
            let added = try await database.open().addMember(member)
            if let notice = reading?.conversionPhrase(option: "--phone") { Console.warning(Warning(notice), l) }
            for warning in added.warnings { Console.warning(warning, l) }
            Console.out(l("members.added", ["name": member.name, "team": member.teamCode, "role": l.role(member.role)]) + "\n")
        }
    }

    struct List: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("members.list")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("members.list.team", value: "code")) var team: String?
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table
        @Flag(help: Help.argument("members.list.show_phones")) var showPhones = false

        func run() async throws {
            let labels = try language.labels()
            let members = try await database.open().members(ofTeam: team)
            Console.out(try MemberListing(members: members, asOf: .today()).rendered(as: format, labels: labels, showPhones: showPhones))
        }
    }
}
