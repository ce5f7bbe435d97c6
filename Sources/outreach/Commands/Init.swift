import ArgumentParser
import OutreachKit

extension Outreach {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a workspace database (file permissions 0600).")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let path = database.path
            if Store.isWorkspace(path: path) {
                _ = try Store.open(path: path)
                Console.out("\(path) is already a workspace; nothing changed.\n")
                return
            }
            let store = try Store.open(path: path, create: true)
            Console.out("Created workspace \(path) (id \(try store.workspaceID())).\nNext: outreach areas import FILE --db \(path)\n")
        }
    }
}
