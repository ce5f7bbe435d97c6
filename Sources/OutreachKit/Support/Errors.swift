/// An error whose message is written for the person at the keyboard: where, which rule, and
/// what to do. The command line prints `message` and exits with a non-zero status.
public protocol UserFacingError: Error {
    /// The whole message in English, without an "error:" prefix.
    var message: String { get }

    /// The whole message in the language of `labels`, or nil while it has no labels: the
    /// English `message` is shown then, after an English prefix, so that no line mixes two
    /// languages.
    func message(in labels: Labels) -> String?
}

extension UserFacingError {
    public func message(in labels: Labels) -> String? { nil }
}

/// A sentence for people kept as a label key and its values, so that it can be written in any
/// language: `Phrase("csv.error.not_a_date", ["text": "31/02/2024"])`. Keys live in the label
/// tables like every other label, and the label tests check that each key named as
/// `Phrase("…"` exists.
public struct Phrase: Equatable, Sendable {
    public var key: String
    /// Values written as they are (codes, names, the text of a cell).
    public var values: [String: String]
    /// Days, written as the language writes them (`20/11/2026`, `20 Nov 2026`).
    public var days: [String: Day]
    /// Counts, written with the language's grouping (`1.010`, `1,010`).
    public var counts: [String: Int]
    /// Phrases written inside this one, in the same language (a problem inside the indicator it
    /// belongs to, the name of a kind of value inside a problem).
    public var parts: [String: Phrase]
    /// Words the data gives in each language (a campaign rule's message), written in the
    /// language of the labels, else in Vietnamese.
    public var texts: [String: [Language: String]] = [:]

    public init(_ key: String, _ values: [String: String] = [:], days: [String: Day] = [:], counts: [String: Int] = [:],
                parts: [String: Phrase] = [:]) {
        self.key = key
        self.values = values
        self.days = days
        self.counts = counts
        self.parts = parts
    }

    /// The sentence in the language of `labels`.
    public func text(_ labels: Labels) -> String {
        var text = labels[key]
        func fill(_ name: String, _ value: String) { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        for (name, value) in values { fill(name, value) }
        for (name, day) in days { fill(name, labels.date(day)) }
        for (name, count) in counts { fill(name, labels.count(count)) }
        for (name, part) in parts { fill(name, part.text(labels)) }
        for (name, byLanguage) in texts { fill(name, byLanguage[labels.language] ?? byLanguage[.vi] ?? "") }
        return text
    }

    /// The sentence in English, as `message` and `description` give it.
    public var english: String { text(Labels(.en)) }
}

/// One problem found in an input file.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// Physical line, 1-based.
    public var line: Int
    /// Column name (header) where there is one.
    public var column: String?
    /// Which rule was broken and what to do, in English (written when asked for: a command
    /// reads the labels of its own language only).
    public var text: String { phrase?.english ?? plainText }
    /// The same in words any language can write, when the problem has a label.
    public var phrase: Phrase?
    /// The text of a problem without a label.
    private var plainText: String

    public init(file: String, line: Int, column: String? = nil, _ text: String) {
        self.file = file
        self.line = line
        self.column = column
        self.plainText = text
    }

    public init(file: String, line: Int, column: String? = nil, _ phrase: Phrase) {
        self.init(file: file, line: line, column: column, "")
        self.phrase = phrase
    }

    public var description: String { description(Labels(.en)) }

    /// `areas.csv:14: column "date": …` in the language of `labels` (English text where the
    /// problem has no label yet).
    public func description(_ labels: Labels) -> String {
        let text = phrase?.text(labels) ?? self.text
        guard let column else { return "\(file):\(line): \(text)" }
        return labels("diagnostic.column", ["place": "\(file):\(line)", "column": column, "text": text])
    }

    /// Equal when they say the same thing at the same place, whether or not one has a phrase.
    public static func == (a: Diagnostic, b: Diagnostic) -> Bool {
        a.file == b.file && a.line == b.line && a.column == b.column && a.text == b.text
    }
}

/// A file was rejected as a whole; nothing was written. Carries every problem found, up to a limit.
public struct ImportRejected: Error, Equatable, Sendable, UserFacingError {
    /// The problems, in file order.
    public var problems: [Diagnostic]
    /// How many problems there were in all (more than `problems.count` when the limit cut the list).
    public var total: Int
    /// The file as the user named it.
    public var file: String

    public init(file: String, problems: [Diagnostic], total: Int? = nil) {
        self.file = file
        self.problems = problems
        self.total = total ?? problems.count
    }

    public var message: String { text(Labels(.en)) }

    /// The message in the language of `labels` when every problem kept has a label.
    public func message(in labels: Labels) -> String? { isTranslated ? text(labels) : nil }

    /// Whether every problem kept can be written in any language.
    public var isTranslated: Bool { problems.allSatisfy { $0.phrase != nil } }

    /// The problems and the summary line in the language of `labels`.
    public func text(_ labels: Labels) -> String {
        (lines(labels) + [labels.counted(total, one: labels["diagnostic.rejected.one"], other: labels["diagnostic.rejected.other"],
                                         ["file": file])]).joined(separator: "\n")
    }

    /// One line per problem kept, and how many more there were.
    public func lines(_ labels: Labels) -> [String] {
        var lines = problems.map { $0.description(labels) }
        if total > problems.count {
            lines.append(labels("diagnostic.more", ["count": labels.count(total - problems.count)]))
        }
        return lines
    }
}

/// Collects diagnostics while a file is validated, keeping the first `limit`.
struct DiagnosticList {
    let file: String
    let limit: Int
    private(set) var items: [Diagnostic] = []
    private(set) var total = 0

    init(file: String, limit: Int = 50) {
        self.file = file
        self.limit = limit
    }

    mutating func add(line: Int, column: String? = nil, _ phrase: Phrase) {
        total += 1
        if items.count < limit { items.append(Diagnostic(file: file, line: line, column: column, phrase)) }
    }

    var isEmpty: Bool { total == 0 }

    /// Adds the problems of another list (a second pass over the same file).
    mutating func append(_ other: DiagnosticList) {
        for p in other.items {
            total += 1
            if items.count < limit { items.append(p) }
        }
        total += other.total - other.items.count
    }

    /// Puts the kept problems in line order (problems found by two passes).
    mutating func sortByLine() {
        items.sort { $0.line < $1.line }
    }

    /// Runs `body` (a pass over a CSV file); a broken quote ends the pass but joins the other
    /// problems instead of hiding them, and so does, on a pass over the records (`header` given),
    /// a cell that is not UTF-8 or holds a NUL byte.
    mutating func collecting(header: [String] = [], _ body: () throws -> Void) throws {
        func name(_ column: Int) -> String? { column >= 1 && column <= header.count ? header[column - 1] : nil }
        do {
            try body()
        } catch let error as CSVError {
            switch error {
            case let .unterminatedQuote(_, line, column):
                let position = ["position": String(column)]
                add(line: line, column: name(column), name(column) == nil ? Phrase("csv.problem.unterminated_quote.at", position)
                                                                          : Phrase("csv.problem.unterminated_quote"))
            case let .textAfterQuote(_, line, column):
                let position = ["position": String(column)]
                add(line: line, column: name(column), name(column) == nil ? Phrase("csv.problem.text_after_quote.at", position)
                                                                          : Phrase("csv.problem.text_after_quote"))
            case let .invalidUTF8(_, line, column) where !header.isEmpty:
                add(line: line, column: name(column), name(column) == nil ? Phrase("csv.problem.not_utf8.at", ["position": String(column)])
                                                                          : Phrase("csv.problem.not_utf8"))
            case let .nulByte(_, line, column) where !header.isEmpty:
                add(line: line, column: name(column), name(column) == nil ? Phrase("csv.problem.nul.at", ["position": String(column)])
                                                                          : Phrase("csv.problem.nul"))
            default:
                throw error
            }
        }
    }

    /// Throws `ImportRejected` when anything was found.
    func check() throws {
        if total > 0 { throw ImportRejected(file: file, problems: items, total: total) }
    }
}

/// A notice that does not stop an import (an outlier, an old phone number).
public struct Warning: Equatable, Sendable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    /// What to check, in English (written when asked for, as `Diagnostic.text`).
    public var text: String { phrase?.english ?? plainText }
    /// The same in words any language can write, when the warning has a label.
    public var phrase: Phrase?
    /// The text of a warning without a label.
    private var plainText: String

    public init(file: String? = nil, line: Int? = nil, _ text: String) {
        self.file = file
        self.line = line
        self.plainText = text
    }

    public init(file: String? = nil, line: Int? = nil, _ phrase: Phrase) {
        self.init(file: file, line: line, "")
        self.phrase = phrase
    }

    public var description: String { place + text }

    /// The warning in the language of `labels`, or nil when it has no label yet.
    public func description(in labels: Labels) -> String? {
        phrase.map { place + $0.text(labels) }
    }

    private var place: String {
        switch (file, line) {
        case let (f?, l?): return "\(f):\(l): "
        case let (f?, nil): return "\(f): "
        default: return ""
        }
    }

    /// Equal when they say the same thing at the same place, whether or not one has a phrase.
    public static func == (a: Warning, b: Warning) -> Bool {
        a.file == b.file && a.line == b.line && a.text == b.text
    }
}
