import ArgumentParser
import Foundation
import OutreachKit

/// A value on the command line that cannot be read, with why and what to write instead:
/// thrown by the options' transforms, found again at the root inside ArgumentParser's error
/// and written in the user's language.
struct ArgumentValueError: Error, UserFacingError, CustomStringConvertible {
    /// The option as typed (`--eid-l2`); filled at the root from ArgumentParser's error when
    /// the transform does not know it.
    var option: String
    var value: String
    var why: Phrase

    var message: String { text(Labels(.en)) }
    var description: String { message }

    func message(in l: Labels) -> String? { text(l) }

    private func text(_ l: Labels) -> String {
        l("cli.error.value", ["option": option, "value": value, "why": why.text(l).replacingOccurrences(of: "{option}", with: option)])
    }
}

/// Transforms of option values that explain a refusal (`@Option(transform: ArgumentValue.count)`).
enum ArgumentValue {
    /// A count: digits, or digits grouped by `.`, `,` or space (`1.010`); 0 or more.
    static func count(_ text: String) throws -> Int {
        let why: String
        switch CountParser.parse(text) {
        case let .success(n?): return n
        case .success(nil), .failure(.notANumber): why = "cli.error.count.not_a_number"
        case .failure(.negative): why = "cli.error.count.negative"
        case .failure(.decimal): why = "cli.error.count.decimal"
        case .failure(.tooLarge): why = "cli.error.count.too_large"
        }
        throw ArgumentValueError(option: "", value: text, why: Phrase(why, counts: ["max": SessionCount.maximum]))
    }

    /// A day: `2026-11-20` or `20/11/2026`; an impossible day (31/02) says why.
    static func day(_ text: String) throws -> Day {
        guard let day = Day(parsing: text) else {
            throw ArgumentValueError(option: "", value: text, why: Phrase("cli.error.not_a_date.why", parts: ["why": Day.problem(parsing: text)]))
        }
        return day
    }

    /// The tree a report rolls up under: `current` (today's) or a day.
    static func tree(_ text: String) throws -> Day {
        if text.lowercased() == "current" || text.lowercased() == "hien-tai" { return .today() }
        return try day(text)
    }
}

/// ArgumentParser's own errors (an unknown option, a missing value or argument, a value that is
/// not one of an option's values) in the user's language, from the kinds of error it reports.
enum ArgumentErrorText {
    /// The message for `error`, without the `lỗi:`/`error:` prefix, or nil for an error this
    /// does not know (ArgumentParser's English message is shown then).
    static func message(for error: Error, scan: CommandLineScan, labels l: Labels) -> String? {
        /// `<code>` → `<mã>`: a run that shows no help gives ArgumentParser the value names' keys
        /// (`Help.argument`), written here in the language of `l`.
        func valueNames(_ text: String, _ l: Labels) -> String {
            var out = text
            for key in ["path", "text", "name", "dir", "file", "date", "code", "id", "n"] where l.has("help.value." + key) {
                out = out.replacingOccurrences(of: "<\(key)>", with: "<\(l["help.value." + key])>")
                out = out.replacingOccurrences(of: "<\(key)...>", with: "<\(l["help.value." + key])...>")
            }
            return out
        }
        let english = Outreach.message(for: error)
        let command = scan.commandLine
        let see = l("help.see_help", ["command": command])
        if var value = embedded(ArgumentValueError.self, in: error) {
            if value.option.isEmpty { value.option = quoted(in: english, after: "is invalid for '").map(optionName) ?? "" }
            return value.message(in: l)
        }
        if let userFacing = embedded((any UserFacingError).self, in: error) { return userFacing.message(in: l) ?? userFacing.message }
        if english.hasPrefix("Unknown option '") {
            let option = quoted(in: english, after: "Unknown option '") ?? ""
            if let near = quoted(in: english, after: "Did you mean '") {
                return l("cli.error.unknown_option.near", ["option": option, "near": near, "command": command, "see": see])
            }
            return l("cli.error.unknown_option", ["option": option, "command": command, "see": see])
        }
        if english.hasPrefix("Missing value for '"), let synopsis = quoted(in: english, after: "Missing value for '") {
            let parts = synopsis.split(separator: " ", maxSplits: 1).map(String.init)
            return l("cli.error.missing_value", ["option": parts[0], "value": parts.count > 1 ? valueNames(parts[1], l) : "…", "see": see])
        }
        if english.hasPrefix("Missing expected argument '"), let argument = quoted(in: english, after: "Missing expected argument '") {
            return l("cli.error.missing_argument", ["command": command, "argument": valueNames(argument, l), "see": see])
        }
        if english.hasPrefix("Missing one of: '") {
            let list = english.dropFirst("Missing one of: ".count)
            return l("cli.error.missing_options", ["command": command, "arguments": String(list), "see": see])
        }
        if english.hasPrefix("Unexpected argument '"), let value = quoted(in: english, after: "Unexpected argument '") {
            return l("cli.error.unexpected_argument", ["command": command, "value": value, "see": see])
        }
        if let range = english.range(of: " unexpected arguments: ") {
            return l("cli.error.unexpected_arguments", ["command": command, "values": String(english[range.upperBound...]), "see": see])
        }
        if english.hasPrefix("The value '"), let value = quoted(in: english, after: "The value '") {
            let option = quoted(in: english, after: "is invalid for '").map(optionName) ?? ""
            if let list = english.range(of: ". Please provide one of ") {
                let values = english[list.upperBound...].replacingOccurrences(of: "'", with: "")
                    .replacingOccurrences(of: " and ", with: ", ").replacingOccurrences(of: " or ", with: ", ")
                return l("cli.error.not_one_of", ["option": option, "value": value,
                                                  "values": String(values.hasSuffix(".") ? values.dropLast() : values[...])])
            }
            return l("cli.error.invalid_value", ["option": option, "value": value, "see": see])
        }
        if english.hasPrefix("The option '"), let option = quoted(in: english, after: "The option '"),
           let value = quoted(in: english, after: "but '") {
            return l("cli.error.no_value_for_flag", ["option": option, "value": value])
        }
        if english == "Missing required subcommand." {
            return l("cli.error.missing_subcommand", ["command": command, "see": see])
        }
        return nil
    }

    /// `--eid-l2 <eid-l2>` → `--eid-l2`.
    private static func optionName(_ synopsis: String) -> String {
        String(synopsis.split(separator: " ").first ?? Substring(synopsis))
    }

    /// The text between `prefix` and the next `'` in `text`.
    private static func quoted(in text: String, after prefix: String) -> String? {
        guard let start = text.range(of: prefix) else { return nil }
        let rest = text[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }

    /// An error of type `T` inside ArgumentParser's error (the error a transform or `validate()`
    /// threw), found by reflection: ArgumentParser keeps it in an internal enum.
    static func embedded<T>(_ type: T.Type, in error: Any, depth: Int = 0) -> T? {
        if let found = error as? T { return found }
        guard depth < 6 else { return nil }
        for child in Mirror(reflecting: error).children {
            if let found = embedded(type, in: child.value, depth: depth + 1) { return found }
        }
        return nil
    }
}
