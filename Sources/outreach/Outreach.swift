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
        var command: ParsableCommand? = nil
        do {
            command = try parseAsRoot()
            Console.command = command
            try command?.run()
        } catch let error as UserFacingError {
            Console.failure(error, speaking(command))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }

    /// The language a command's errors are written in: its --lang, else OUTREACH_LANG, else
    /// Vietnamese (also when the language asked for is not one Outreach speaks).
    static func speaking(_ command: ParsableCommand?) -> Labels {
        if let command = command as? SpeaksLanguage, let labels = try? command.language.labels() { return labels }
        return Labels((try? Language.resolve(option: nil, environment: ProcessInfo.processInfo.environment)) ?? .vi)
    }
}
