import ArgumentParser
import OutreachKit

extension Outreach {
    struct Backup: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("backup")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("backup.file", value: "file"), completion: .file(extensions: ["sqlite"])) var file: String
        @Flag(help: Help.argument("backup.overwrite")) var overwrite = false

        func run() async throws {
            let l = try language.labels()
            if PostgresLocation.isURI(database.path) {
                // PostgreSQL's own tool makes the backup; the password goes in its environment.
                let location = try PostgresLocation(uri: database.path)
                let s = try PostgresBackup.run(location, to: file, overwrite: overwrite)
                Console.out(l("postgres.backup.done", ["uri": location.masked, "path": s.path, "size": Text.size(s.bytes, l)]) + "\n")
                return
            }
            let store = try await database.open()
            let summary = try await store.backup(to: file, overwrite: overwrite)
            Console.out(Text.done(from: store.displayLocation, summary, l))
        }

        /// What the command prints.
        enum Text {
            /// `172 KB`, `12 MB`.
            static func size(_ bytes: Int, _ l: Labels) -> String {
                bytes >= 1 << 20 ? "\(l.count(bytes >> 20)) MB" : "\(l.count(max(1, bytes >> 10))) KB"
            }

            static func done(from workspace: String, _ s: BackupSummary, _ l: Labels) -> String {
                l("backup.done", ["workspace": workspace, "path": s.path, "sessions": l.count(s.sessions), "size": size(s.bytes, l)])
                    + "\n" + l["backup.restore"] + "\n\n"
            }
        }
    }
}
