import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Export: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("export")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("export.since", value: "date"), transform: ArgumentValue.day)
        var since: Day?
        @Option(help: Help.argument("export.under", value: "code"))
        var under: String?
        @Option(help: Help.argument("export.out", value: "file"), completion: .file(extensions: ["outreach"])) var out: String
        @Flag(help: Help.argument("export.include_phones")) var includePhones = false

        func run() async throws {
            let l = try language.labels()
            let header = try await database.open().exportBundle(
                to: out, name: nil, scope: BundleScope(under: under, since: since, includePhones: includePhones), now: Date())
            Console.out(Text.written(out, header, l))
        }

        /// What the command prints.
        enum Text {
            static func written(_ file: String, _ h: BundleHeader, _ l: Labels) -> String {
                let c = h.counts
                var kinds = [l("export.kind.areas", ["count": l.count(c.areas)]), l("export.kind.teams", ["count": l.count(c.teams)]),
                             l("export.kind.members", ["count": l.count(c.members)]),
                             l("export.kind.sessions", ["count": l.count(c.sessions), "voids": l.count(c.voids)])]
                if c.sessionMetrics > 0 { kinds.append(l("export.kind.metrics", ["count": l.count(c.sessionMetrics)])) }
                kinds.append(l("export.kind.moves", ["count": l.count(c.leafletMoves)]))
                return [l("export.written", ["file": file, "kinds": kinds.joined(separator: ", "),
                                             "phones": h.phones ? l["export.phones.with"] : l["export.phones.without"]]),
                        l("export.workspace", ["workspace": h.workspace, "exported": Sessions.Import.when(h.exported, l),
                                               "digest": h.contentDigest]),
                        l("export.next", ["file": file]),
                        ""].joined(separator: "\n") + "\n"
            }
        }
    }
}
