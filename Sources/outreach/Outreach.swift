import ArgumentParser
import Foundation
import OutreachKit

@main
struct Outreach: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outreach",
        abstract: "Track digital-outreach campaigns hamlet by hamlet: areas, sessions, coverage.",
        discussion: """
            Every command works on one workspace database: --db PATH, else the OUTREACH_DB \
            environment variable, else ./outreach.sqlite.
            """,
        subcommands: [Init.self, Areas.self, Teams.self, Members.self, Structure.self, Log.self, Sessions.self, Leaflets.self, Campaigns.self, Coverage.self, Report.self, Demo.self]
            + [Export.self, Merge.self, Backup.self, Check.self]
    )

    /// Parses, runs, and turns every failure into a message that says what to do.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as UserFacingError {
            Console.error("error: " + error.message)
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}
