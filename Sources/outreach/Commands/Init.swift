import ArgumentParser
import OutreachKit

extension Outreach {
    struct Init: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("init")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions

        func run() async throws {
            let l = try language.labels()
            // An SQLite workspace that is already there is opened (and migrated) as it is; a
            // PostgreSQL one says whether opening it created it.
            let existed = !PostgresLocation.isURI(database.path) && Store.isWorkspace(path: database.path)
            let store = try await database.open(create: true)
            let shown = store.displayLocation
            if existed || (store as? PostgresWorkspace)?.created == false {
                Console.out(l("cli.init.exists", ["path": shown]) + "\n")
                return
            }
            Console.out(l("cli.init.created", ["path": shown, "id": try await store.workspaceID()]) + "\n"
                + l("cli.init.next", ["path": shown]) + "\n")
        }
    }
}
