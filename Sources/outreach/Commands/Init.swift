import ArgumentParser
import OutreachKit

extension Outreach {
    struct Init: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("init")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions

        func run() async throws {
            let l = try language.labels()
            let path = database.path
            if PostgresLocation.isURI(path) {
                let location = try PostgresLocation(uri: path)
                let workspace = try PostgresWorkspace.blocking { try await PostgresWorkspace.open(location, create: true) }
                if !workspace.created {
                    Console.out(l("cli.init.exists", ["path": location.masked]) + "\n")
                    return
                }
                let id = try PostgresWorkspace.blocking { try await workspace.workspaceID() }
                Console.out(l("cli.init.created", ["path": location.masked, "id": id]) + "\n")
                return
            }
            if Store.isWorkspace(path: path) {
                _ = try Store.open(path: path)
                Console.out(l("cli.init.exists", ["path": path]) + "\n")
                return
            }
            let store = try Store.open(path: path, create: true)
            Console.out(l("cli.init.created", ["path": path, "id": try store.workspaceID()]) + "\n"
                + l("cli.init.next", ["path": path]) + "\n")
        }
    }
}
