import ArgumentParser
import Foundation
import OutreachKit

/// The `--db` option every command takes.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: Help.argument("option.db", value: "path"), completion: .file())
    var db: String?

    /// The path chosen by --db, OUTREACH_DB or the default.
    var path: String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["OUTREACH_DB"], !env.isEmpty { return env }
        return "outreach.sqlite"
    }

    /// Opens the existing workspace, in whichever engine `path` names (a `postgresql://` URI
    /// or an SQLite file). `singleConnection`: SQLite's one-writer mode of imports and merges.
    func open(create: Bool = false, singleConnection: Bool = false, connections: Int = 8) async throws -> any WorkspaceStore {
        try await Workspaces.open(path, create: create, singleConnection: singleConnection, connections: connections)
    }
}

/// The `--by` option of every command that writes: who makes the change, stored with it and in
/// the audit trail (default `OUTREACH_USER`, else the login name).
/// `--tree current|DATE`: the tree a report rolls up under (default: the one in force on its date).
struct TreeOptions: ParsableArguments {
    @Option(name: .customLong("tree"), help: Help.argument("option.tree", value: "tree"), transform: ArgumentValue.tree)
    var tree: Day?
}

struct ActorOptions: ParsableArguments {
    @Option(name: .customLong("by"), help: Help.argument("option.by", value: "name"))
    var by: String?
}

/// A command that changes a workspace: `Outreach.main` runs it as the `Recorder` its `--by`
/// names, with the self-closing periods and the session rules of its campaigns folder.
protocol RecordsChanges {
    var actor: ActorOptions { get }
    /// The campaigns folder whose `lock_after_days` lock periods (nil: the default folder).
    var campaignsFolder: CampaignOptions? { get }
    /// The recorder the command runs as.
    var recorder: Recorder { get }
}

extension RecordsChanges {
    var campaignsFolder: CampaignOptions? { nil }

    /// The recorder the command runs as.
    var recorder: Recorder {
        let folder = campaignsFolder?.directory ?? CampaignOptions.defaultDirectory
        let checks = CampaignCatalog(directory: folder).entryChecks()
        return Recorder(name: actor.by ?? Recorder.fallbackName, autoLocks: checks.autoLocks, sessionRules: checks.sessionRules)
    }
}

/// Writing to the terminal.
///
/// Everything goes through `write(2)`: `FileHandle.write(_:)` traps when the disk is full. Output
/// that cannot be written (a full disk, `> /dev/full`) ends the command with a sentence and
/// exit status 1; a failure to write to standard error is ignored (there is nowhere to say it).
enum Console {
    /// The command being run, set by `Outreach.main` once it is parsed (one thread writes): a
    /// failure to write the output is said in its language (its labels are loaded only then).
    nonisolated(unsafe) static var command: (any ParsableCommand)?

    /// Writes `text` to standard output as is.
    static func out(_ text: String) {
        var text = text
        text.withUTF8 { writeAll(1, UnsafeRawBufferPointer($0)) }
    }

    /// Writes UTF-8 bytes to standard output as they are, straight from the array (a national
    /// coverage table is 13 MB: no copy into `Data`).
    static func out(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeAll(1, $0) }
    }

    /// Writes one line to standard error.
    static func error(_ line: String) {
        raw(line + "\n")
    }

    /// Writes `text` to standard error as is (a progress line that rewrites itself).
    static func raw(_ text: String) {
        var text = text
        text.withUTF8 { writeAll(2, UnsafeRawBufferPointer($0)) }
    }

    /// Writes all of `buffer` to `fd`. On standard output, a failure ends the command.
    private static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                if fd == 1 { outputFailed(errno) }
                return
            }
            offset += n
        }
    }

    /// Says why the output could not be written, in the command's language, and exits with 1.
    static func outputFailed(_ code: Int32) -> Never {
        failure(OutputError(reason: FileProblem(errno: code, creating: true)), Outreach.speaking(command))
        exit(1)
    }

    /// Whether standard error is a terminal (progress lines are shown only then).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}

extension Day {
    /// Today in Vietnam (UTC+7), whatever the machine's time zone: the only place the clock is read.
    static func today() -> Day { Day(Date(), in: .vietnam) }
}

extension OutputFormat: ExpressibleByArgument {}

extension Day: ExpressibleByArgument {
    /// Reads `2026-11-20` or `20/11/2026` from the command line.
    public init?(argument: String) { self.init(parsing: argument) }
}

/// The `--lang` option of every command that prints for people.
struct LanguageOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(Help.text("option.lang"), valueName: "vi|en"),
            completion: .list(["vi", "en"]))
    var lang: String?

    /// The labels of the chosen language.
    func labels() throws -> Labels {
        Labels(try Language.resolve(option: lang, environment: ProcessInfo.processInfo.environment))
    }
}

/// A command that prints for people: its errors are written in the language of its `--lang`.
protocol SpeaksLanguage {
    var language: LanguageOptions { get }
}

extension Console {
    /// Writes a warning line to standard error: `cảnh báo: …` (vi), `warning: …` (en).
    static func warning(_ text: String, _ labels: Labels) {
        error(labels("cli.warning", ["message": text]))
    }

    /// Writes a warning of the library to standard error, in the language of `labels` when it
    /// has labels, else in English with an English prefix (no line mixes two languages).
    static func warning(_ warning: Warning, _ labels: Labels = Labels(.en)) {
        if let text = warning.description(in: labels) {
            error(labels("cli.warning", ["message": text]))
        } else {
            error(Labels(.en)("cli.warning", ["message": warning.description]))
        }
    }

    /// Writes `error` to standard error: in the language of `labels` when the error has labels,
    /// else in English with an English prefix.
    static func failure(_ error: UserFacingError, _ labels: Labels) {
        if let text = error.message(in: labels) {
            self.error(labels("cli.error", ["message": text]))
        } else {
            self.error(Labels(.en)("cli.error", ["message": error.message]))
        }
    }
}

/// The value of an option that cannot be read (`teams`, `members`, `structure`, `leaflets`),
/// with what to write instead.
struct OptionValue: Error, UserFacingError {
    enum Problem {
        /// A required text is empty.
        case empty
        /// Not a day.
        case notADate(String)
        /// Not a mobile number.
        case badPhone(PhoneProblem)
        /// A number of leaflets below 1.
        case tooFewLeaflets(String)
        /// Not a whole number of leaflets.
        case notALeafletCount(String)
    }

    let option: String
    let problem: Problem

    var message: String { text(Labels(.en)) }

    func message(in l: Labels) -> String? { text(l) }

    private func text(_ l: Labels) -> String {
        switch problem {
        case .empty: l("cli.error.empty", ["option": option])
        case let .notADate(text): l("cli.error.not_a_date", ["option": option, "text": text, "why": Day.problem(parsing: text).text(l)])
        case let .badPhone(problem): "\(option): " + problem.phrase.text(l)
        case let .tooFewLeaflets(text): l("leaflets.error.too_few", ["text": text])
        case let .notALeafletCount(text): l("leaflets.error.not_a_number", ["text": text])
        }
    }

    /// The trimmed NFC text of a required option; empty text is refused.
    static func text(_ value: String, option: String) throws -> String {
        let text = Member.canonicalName(value)
        if text.isEmpty { throw OptionValue(option: option, problem: .empty) }
        return text
    }

    /// A day written `2026-11-20` or `20/11/2026`; nil when the option was not given.
    static func day(_ value: String?, option: String) throws -> Day? {
        guard let value else { return nil }
        guard let day = Day(parsing: value) else { throw OptionValue(option: option, problem: .notADate(value)) }
        return day
    }

    /// A mobile number, normalised; nil when the option was not given. The message masks it.
    static func phone(_ value: String?, option: String) throws -> PhoneReading? {
        guard let value else { return nil }
        switch Phone.parse(value) {
        case .success(let reading): return reading
        case .failure(let problem): throw OptionValue(option: option, problem: .badPhone(problem))
        }
    }

    /// `--quantity` as a number of leaflets: digits, or digits grouped by `.`, `,` or space.
    static func leaflets(_ text: String) throws -> Int {
        switch CountParser.parse(text) {
        case let .success(n?) where n > 0:
            return n
        case .success(.some), .failure(.negative):
            throw OptionValue(option: "--quantity", problem: .tooFewLeaflets(text))
        case .success(nil), .failure:
            throw OptionValue(option: "--quantity", problem: .notALeafletCount(text))
        }
    }
}
