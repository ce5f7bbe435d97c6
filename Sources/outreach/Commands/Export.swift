import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Export: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write a bundle of this workspace's rows, to merge into another copy (USB stick, chat app).",
            discussion: """
                The bundle holds the areas, teams, members, sessions (with their voids) and leaflet moves in \
                scope, with the workspace's id and the export time, and a SHA-256 checksum of its records. \
                Phone numbers only with --include-phones. Merging a bundle twice, or two overlapping \
                bundles, counts nothing twice.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Only sessions dated or voided on or after this day, and leaflet moves since then (2026-11-20 or 20/11/2026).")
        var since: Day?
        @Option(help: "Only this area and everything below it (with its ancestors, the teams its sessions name, and the receipts of the units that gave it leaflets).")
        var under: String?
        @Option(help: "The bundle file to write.") var out: String
        @Flag(help: "Include the phone numbers of team leaders and members.") var includePhones = false

        func run() throws {
            let l = try language.labels()
            let header = try database.open().exportBundle(
                to: out, scope: BundleScope(under: under, since: since, includePhones: includePhones), now: Date())
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
                                               "digest": h.bodySHA256]),
                        l("export.next", ["file": file]),
                        ""].joined(separator: "\n") + "\n"
            }
        }
    }
}
