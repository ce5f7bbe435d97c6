import ArgumentParser
import OutreachKit

extension Outreach {
    struct Backup: ParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("backup")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("backup.file", value: "file"), completion: .file(extensions: ["sqlite"])) var file: String
        @Flag(help: Help.argument("backup.overwrite")) var overwrite = false

        func run() throws {
            let l = try language.labels()
            let store = try database.open()
            let summary = try store.backup(to: file, overwrite: overwrite)
            Console.out(Text.done(from: store.path, summary, l))
        }

        /// What the command prints.
        enum Text {
            static func done(from workspace: String, _ s: BackupSummary, _ l: Labels) -> String {
                let size = s.bytes >= 1 << 20 ? "\(l.count(s.bytes >> 20)) MB" : "\(l.count(max(1, s.bytes >> 10))) KB"
                return l("backup.done", ["workspace": workspace, "path": s.path, "sessions": l.count(s.sessions), "size": size])
                    + "\n" + l["backup.restore"] + "\n\n"
            }
        }
    }
}
