import ArgumentParser
import Foundation
import OutreachKit

@main
struct Outreach: AsyncParsableCommand {
    static let configuration = Help.command(
        "outreach", name: "outreach",
        subcommands: [Init.self, Areas.self, Teams.self, Members.self, Structure.self, Log.self, Sessions.self, Leaflets.self, Targets.self, Campaigns.self, Coverage.self, Completeness.self, Chase.self, Validate.self, Report.self, Demo.self]
            + [Approve.self, Unapprove.self, ApprovalStates.self, Audit.self, Outliers.self, FollowUps.self]
            + [Export.self, Merge.self, Backup.self, Check.self, Serve.self, Users.self])

    @Flag(help: Help.argument("option.version")) var version = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var language: LanguageOptions

    func run() async throws {
        guard version else { throw CleanExit.helpRequest(self) }
        Console.out(await VersionText.lines(workspace: database.path, labels: try language.labels()))
    }

    /// Parses, runs, and turns every failure into a message that says what to do, in the
    /// user's language: help pages, ArgumentParser's errors and the commands' own.
    static func main() async {
        let scan = CommandLineScan.current
        if scan.wantsHelp {
            Console.out(HelpPage.render(path: scan.path, command: scan.command, labels: Help.labels))
            Foundation.exit(0)
        }
        var command: ParsableCommand? = nil
        do {
            command = try parseAsRoot(scan.arguments)
            Console.command = command
            let recorder = (command as? RecordsChanges)?.recorder ?? Recorder(name: Recorder.fallbackName)
            if var async = command as? AsyncParsableCommand {
                // The recorder is bound for the whole run (a task-local value).
                nonisolated(unsafe) var running = async
                try await Recorder.$current.withValue(recorder) { try await running.run() }
                async = running
            } else {
                try Recorder.$current.withValue(recorder) { try command?.run() }
            }
        } catch let error as LockRefusal {
            // A closed period: status 3, so that a script can tell it from other refusals.
            Console.failure(error, speaking(command))
            Foundation.exit(3)
        } catch let error as UserFacingError {
            Console.failure(error, speaking(command))
            Foundation.exit(1)
        } catch let exit as CleanExit where exit.description == "--help" {
            Console.out(HelpPage.render(path: scan.path, command: scan.command, labels: Help.labels))
            Foundation.exit(0)
        } catch {
            // A value the options' transforms or validate() refused is a usage error, as ArgumentParser's are.
            let code = ArgumentErrorText.embedded(ArgumentValueError.self, in: error) == nil ? exitCode(for: error) : .validationFailure
            if code != .success, let text = ArgumentErrorText.message(for: error, scan: scan, labels: Help.labels) {
                Console.error(Help.labels("cli.error", ["message": text]))
                Foundation.exit(code.rawValue)
            }
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

/// What `outreach --version` prints: the tool's version, the workspace schema version this
/// build knows and the one of the workspace found (never created), and the bundle format's.
enum VersionText {
    static func lines(workspace path: String, labels l: Labels) async -> String {
        let latest = OutreachVersion.schema
        var lines = [l("cli.version.tool", ["version": OutreachVersion.tool]),
                     l("cli.version.schema", ["version": String(latest)])]
        do {
            if PostgresLocation.isURI(path) {
                // A PostgreSQL workspace: its migrations, read without changing anything.
                let location = try PostgresLocation(uri: path)
                let applied = try await PostgresWorkspace.appliedMigrations(location)
                lines.append(applied.last.map { l("cli.version.workspace.postgres", ["path": location.masked, "migration": $0]) }
                             ?? l("cli.version.workspace.none", ["path": location.masked]))
            } else if let version = try Store.schemaVersion(ofWorkspaceAt: path) {
                let key = version == latest ? "cli.version.workspace"
                    : version < latest ? "cli.version.workspace.older" : "cli.version.workspace.newer"
                lines.append(l(key, ["path": path, "version": String(version), "latest": String(latest)]))
            } else {
                lines.append(l("cli.version.workspace.none", ["path": path]))
            }
        } catch let error as UserFacingError {
            lines.append(l("cli.version.workspace.unreadable", ["path": PostgresLocation.mask(path), "reason": error.message(in: l) ?? error.message]))
        } catch {
            lines.append(l("cli.version.workspace.unreadable", ["path": PostgresLocation.mask(path), "reason": "\(error)"]))
        }
        lines.append(l("cli.version.bundle", ["version": String(OutreachVersion.bundleFormat)]))
        return lines.joined(separator: "\n") + "\n"
    }
}
