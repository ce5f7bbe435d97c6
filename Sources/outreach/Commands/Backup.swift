import ArgumentParser
import OutreachKit

extension Outreach {
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the workspace to a file, consistently, even while others write to it.",
            discussion: """
                Uses SQLite's online backup: the copy is one snapshot of the workspace, checked, and only \
                then given its name. Restore by copying it over the workspace while no outreach command runs.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The backup file to write.") var file: String
        @Flag(help: "Replace the file when it is an older backup.") var overwrite = false

        func run() throws {
            let store = try database.open()
            let summary = try store.backup(to: file, overwrite: overwrite)
            Console.out(Text.done(from: store.path, summary))
        }

        /// What the command prints.
        enum Text {
            static func done(from workspace: String, _ s: BackupSummary) -> String {
                let size = s.bytes >= 1 << 20 ? "\(s.bytes >> 20) MB" : "\(max(1, s.bytes >> 10)) KB"
                return """
                    Backed up \(workspace) to \(s.path): \(s.sessions) sessions, \(size), checked.
                    To restore it, copy it over the workspace while no outreach command runs.

                    """
            }
        }
    }
}
