import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Users: ParsableCommand {
        static let configuration = Help.command("users", subcommands: [Add.self, List.self, Disable.self, Enable.self, Password.self,
                                                                        Token.self])
    }
}

extension Role: ExpressibleByArgument {
    /// The roles are named in the option's own help, in the user's language.
    public static var allValueStrings: [String] { [] }
}

extension Outreach.Users {
    /// A password from standard input (its first line), or a new one made and shown once.
    static func password(fromStandardInput: Bool) -> (password: String, made: Bool) {
        if fromStandardInput { return ((readLine(strippingNewline: true) ?? "").trimmingCharacters(in: .newlines), false) }
        return (Accounts.newPassword(), true)
    }

    struct Add: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("users.add")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("users.add.name", value: "name")) var name: String
        @Option(help: Help.argument("users.add.role", value: "role")) var role: Role
        @Option(help: Help.argument("users.add.area", value: "code")) var area: String
        @Option(help: Help.argument("users.add.team", value: "code")) var team: String?
        @Flag(help: Help.argument("users.add.password_stdin")) var passwordStdin = false

        func run() async throws {
            let l = try language.labels()
            let store = try await database.open()
            let (password, made) = Outreach.Users.password(fromStandardInput: passwordStdin)
            let account = try await Accounts.add(name: name, role: role, area: area, team: team, password: password, in: store)
            Console.out(l("users.added", ["name": account.name, "role": l["web.role.\(account.role.rawValue)"], "area": account.area]) + "\n")
            if made { Console.out(l("users.password_made", ["password": password]) + "\n") }
        }
    }

    struct List: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("users.list")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions

        func run() async throws {
            let l = try language.labels()
            Console.out(AccountListing(accounts: try await database.open().accounts()).text(labels: l))
        }
    }

    struct Disable: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("users.disable")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("users.disable.name", value: "name")) var name: String

        func run() async throws {
            let l = try language.labels()
            try await Accounts.setDisabled(true, for: name, in: try await database.open())
            Console.out(l("users.disabled", ["name": name]) + "\n")
        }
    }

    struct Enable: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("users.enable")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("users.enable.name", value: "name")) var name: String

        func run() async throws {
            let l = try language.labels()
            try await Accounts.setDisabled(false, for: name, in: try await database.open())
            Console.out(l("users.enabled", ["name": name]) + "\n")
        }
    }

    struct Password: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("users.password")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("users.password.name", value: "name")) var name: String
        @Flag(help: Help.argument("users.add.password_stdin")) var passwordStdin = false

        func run() async throws {
            let l = try language.labels()
            let (password, made) = Outreach.Users.password(fromStandardInput: passwordStdin)
            try await Accounts.setPassword(password, for: name, in: try await database.open())
            Console.out(l("users.password_set", ["name": name]) + "\n")
            if made { Console.out(l("users.password_made", ["password": password]) + "\n") }
        }
    }

    struct Token: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("users.token")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("users.token.name", value: "name")) var name: String

        func run() async throws {
            let l = try language.labels()
            let token = try await Accounts.newToken(for: name, in: try await database.open())
            Console.out(token + "\n")
            Console.error(l("users.token_made", ["name": name]))
        }
    }
}
