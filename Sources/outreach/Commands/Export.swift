import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a bundle of this workspace's rows, to merge into another copy (USB stick, chat app).",
            discussion: """
                The bundle holds the areas, teams, members, sessions (with their voids) and leaflet moves in \
                scope, with the workspace's id and the export time, and a SHA-256 checksum of its records. \
                Phone numbers only with --include-phones. Merging a bundle twice, or two overlapping \
                bundles, counts nothing twice.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only sessions dated or voided on or after this day, and leaflet moves since then (2026-11-20 or 20/11/2026).")
        var since: Day?
        @Option(help: "Only this area and everything below it (with its ancestors and the teams its sessions name).")
        var under: String?
        @Option(help: "The bundle file to write.") var out: String
        @Flag(help: "Include the phone numbers of team leaders and members.") var includePhones = false

        func run() throws {
            let header = try database.open().exportBundle(
                to: out, scope: BundleScope(under: under, since: since, includePhones: includePhones), now: Date())
            Console.out(Text.written(out, header))
        }

        /// What the command prints.
        enum Text {
            static func written(_ file: String, _ h: BundleHeader) -> String {
                let c = h.counts
                var kinds = ["\(c.areas) areas", "\(c.teams) teams", "\(c.members) members",
                             "\(c.sessions) sessions (\(c.voids) voided)"]
                if c.sessionMetrics > 0 { kinds.append("\(c.sessionMetrics) campaign metric counts") }
                kinds.append("\(c.leafletMoves) leaflet moves")
                return """
                    Wrote \(file): \(kinds.joined(separator: ", ")); \(h.phones ? "with" : "without") phone numbers.
                    Workspace \(h.workspace), exported \(h.exported). Content digest (SHA-256): \(h.bodySHA256)
                    Next: send the file; the other copy runs `outreach merge \(file)`.

                    """
            }
        }
    }
}
