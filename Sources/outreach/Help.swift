import ArgumentParser
import Foundation
import OutreachKit

/// What the command line asks for, read before ArgumentParser parses it: the language of the
/// help texts and of the parser's errors (`--lang`, else `OUTREACH_LANG`, else Vietnamese), the
/// subcommands named, and whether help is asked for.
struct CommandLineScan: Sendable {
    /// The arguments after the program's name.
    let arguments: [String]
    let language: Language
    /// `-h`, `--help` or `outreach help …`.
    let wantsHelp: Bool
    /// Whether anything will show the help texts: a help page, a completion script (zsh and fish
    /// show the options' help), or ArgumentParser's dump of the whole tree. A command that only
    /// runs never reads them: `Help` then hands ArgumentParser empty texts and loads no labels
    /// (the whole Vietnamese table was a third of a quiet `outreach log`).
    let needsHelpTexts: Bool

    init(_ arguments: [String], environment: [String: String]) {
        self.arguments = arguments
        language = CommandLineScan.language(arguments, environment: environment)
        wantsHelp = arguments.first == "help" || arguments.prefix { $0 != "--" }.contains { $0 == "-h" || $0 == "--help" }
        // A group named alone (`outreach sessions`) or nothing at all prints the group's help.
        // The words that name commands: not options, nor the value after an option written
        // without "=" (`outreach --lang en` names no command and prints the root's help).
        var words: [String] = []
        var afterOption = false
        for argument in arguments.prefix(while: { $0 != "--" }) {
            if argument.hasPrefix("-") { afterOption = !argument.contains("="); continue }
            if afterOption { afterOption = false; continue }
            words.append(argument)
        }
        needsHelpTexts = wantsHelp || words.isEmpty || (words.count == 1 && CommandLineScan.groups.contains(words[0]))
            || arguments.contains {
                $0.hasPrefix("--generate-completion-script") || $0 == "--experimental-dump-help" || $0 == "--help-hidden"
            }
    }

    /// The commands that only group subcommands (a test checks this list against the tree).
    static let groups: Set<String> = ["areas", "teams", "members", "sessions", "leaflets", "targets", "campaigns", "users", "followups"]

    /// The language `--lang` or `OUTREACH_LANG` asks for; Vietnamese when neither does, or when
    /// it is not one Outreach speaks (the command then reports that).
    static func language(_ arguments: [String], environment: [String: String]) -> Language {
        var option: String? = nil
        for (i, argument) in arguments.enumerated() {
            if argument == "--" { break }
            if argument == "--lang", i + 1 < arguments.count { option = arguments[i + 1] }
            if argument.hasPrefix("--lang=") { option = String(argument.dropFirst(7)) }
        }
        return (try? Language.resolve(option: option, environment: environment)) ?? .vi
    }

    /// The scan of this process's command line.
    static let current = CommandLineScan(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)

    /// The subcommands named, from the root (`["sessions", "import"]`), and the command they name.
    /// Read from the command tree, so not while the help texts are being loaded.
    var named: (path: [String], command: ParsableCommand.Type) {
        var names = arguments
        if names.first == "help" { names.removeFirst() }
        var path: [String] = []
        var command: ParsableCommand.Type = Outreach.self
        for name in names {
            if name == "--" { break }
            guard let sub = command.configuration.subcommands.first(where: { $0._commandName == name }) else { continue }
            path.append(name)
            command = sub
            if sub.configuration.subcommands.isEmpty { break }
        }
        return (path, command)
    }

    var path: [String] { named.path }
    var command: ParsableCommand.Type { named.command }

    /// The command as typed: `outreach sessions import`.
    var commandLine: String { (["outreach"] + path).joined(separator: " ") }
}

/// The help texts of the commands, options and arguments, from `Resources/labels/LANG/help.json`
/// in the language the command line asks for (one language's labels are read).
enum Help {
    static let labels = Labels(CommandLineScan.current.language)

    /// The text of `help.KEY`.
    static func text(_ key: String) -> String { shown ? labels["help." + key] : "" }

    /// Whether this run shows help texts (see `CommandLineScan.needsHelpTexts`).
    static let shown = CommandLineScan.current.needsHelpTexts

    /// The help of an option or argument: the text of `help.KEY`, and the name of its value
    /// (`help.value.NAME`) when given.
    static func argument(_ key: String, value: String? = nil) -> ArgumentHelp {
        ArgumentHelp(text(key), valueName: value.map { shown ? text("value." + $0) : $0 })
    }

    /// The configuration of the command `path` (`sessions.import`): its abstract, and its
    /// discussion when `help.PATH.discussion` exists.
    static func command(_ path: String, name: String? = nil, subcommands: [ParsableCommand.Type] = []) -> CommandConfiguration {
        let discussion = shown && labels.has("help.\(path).discussion") ? text("\(path).discussion") : ""
        return CommandConfiguration(commandName: name ?? path.split(separator: ".").last.map(String.init),
                                    abstract: text("\(path).abstract"), discussion: discussion, subcommands: subcommands)
    }
}

/// The help page of a command: ArgumentParser's, with its section words and fixed phrases in
/// the user's language, and an example.
enum HelpPage {
    /// The page of the command `path` names (`[]` for the root).
    static func render(path: [String], command: ParsableCommand.Type, labels l: Labels) -> String {
        let page = command == Outreach.self ? Outreach.helpMessage() : Outreach.helpMessage(for: command)
        return localised(page, commandLine: (["outreach"] + path).joined(separator: " "), labels: l)
            + example(path, l)
    }

    /// ArgumentParser's page with its words in the language of `l`.
    static func localised(_ page: String, commandLine: String, labels l: Labels) -> String {
        let sections = [("OVERVIEW:", l["help.section.overview"]), ("USAGE:", l["help.section.usage"]),
                        ("ARGUMENTS:", l["help.section.arguments"]), ("OPTIONS:", l["help.section.options"]),
                        ("SUBCOMMANDS:", l["help.section.subcommands"])]
        var out: [String] = []
        var hanging: (from: Int, to: Int)? = nil
        for raw in page.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if let (from, to) = hanging {
                if line.hasPrefix(String(repeating: " ", count: from)), !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    line = String(repeating: " ", count: to) + line.dropFirst(from)
                } else {
                    hanging = nil
                }
            }
            for (word, translated) in sections where line.hasPrefix(word) {
                line = translated + line.dropFirst(word.count)
                if word == "USAGE:" {
                    hanging = (word.count + 1, translated.count + 1)
                    line = line.replacingOccurrences(of: "<subcommand>", with: "<\(l["help.value.subcommand"])>")
                        .replacingOccurrences(of: "[<options>]", with: "[<\(l["help.value.options"])>]")
                }
            }
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("See '"), line.hasSuffix("' for detailed help.") {
                line = "  " + l("help.see_subcommand", ["command": commandLine])
            }
            line = line.replacingOccurrences(of: "Show help information.", with: l["help.flag.help"])
                .replacingOccurrences(of: "(default: ", with: "(\(l["help.default"]): ")
                .replacingOccurrences(of: "; default: ", with: "; \(l["help.default"]): ")
                .replacingOccurrences(of: "(values: ", with: "(\(l["help.values"]): ")
            out.append(line)
        }
        var text = out.joined(separator: "\n")
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    /// The "Ví dụ:" / "Example:" section of the command `path`.
    static func example(_ path: [String], _ l: Labels) -> String {
        let key = "help." + (path.isEmpty ? "outreach" : path.joined(separator: ".")) + ".example"
        let lines = l[key].split(separator: "\n").map { "  " + $0 }
        return "\n" + l["help.section.example"] + "\n" + lines.joined(separator: "\n") + "\n"
    }
}
