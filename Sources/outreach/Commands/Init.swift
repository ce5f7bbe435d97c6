import ArgumentParser
import OutreachKit

extension Outreach {
    struct Init: ParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("init")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions

        func run() throws {
            let l = try language.labels()
            let path = database.path
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
