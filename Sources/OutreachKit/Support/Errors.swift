/// An error whose message is written for the person at the keyboard: where, which rule, and
/// what to do. The command line prints `message` and exits with a non-zero status.
public protocol UserFacingError: Error {
    /// The whole message, without an "error:" prefix.
    var message: String { get }
}

/// One problem found in an input file.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// Physical line, 1-based.
    public var line: Int
    /// Column name (header) where there is one.
    public var column: String?
    /// Which rule was broken and what to do.
    public var text: String

    public init(file: String, line: Int, column: String? = nil, _ text: String) {
        self.file = file
        self.line = line
        self.column = column
        self.text = text
    }

    public var description: String {
        if let column { return "\(file):\(line): column \"\(column)\": \(text)" }
        return "\(file):\(line): \(text)"
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

    public var message: String {
        var lines = problems.map(\.description)
        if total > problems.count { lines.append("… and \(total - problems.count) more problems.") }
        let count = total == 1 ? "1 problem" : "\(total) problems"
        lines.append("\(file): nothing was imported (\(count)). Fix the rows above and import the file again.")
        return lines.joined(separator: "\n")
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

    mutating func add(line: Int, column: String? = nil, _ text: String) {
        total += 1
        if items.count < limit { items.append(Diagnostic(file: file, line: line, column: column, text)) }
    }

    var isEmpty: Bool { total == 0 }

    /// Adds the problems of another list (a second pass over the same file).
    mutating func append(_ other: DiagnosticList) {
        for p in other.items { add(line: p.line, column: p.column, p.text) }
        total += other.total - other.items.count
    }

    /// Puts the kept problems in line order (problems found by two passes).
    mutating func sortByLine() {
        items.sort { $0.line < $1.line }
    }

    /// Runs `body` (a pass over a CSV file); a broken quote ends the pass but joins the other
    /// problems instead of hiding them.
    mutating func collecting(header: [String] = [], _ body: () throws -> Void) throws {
        func name(_ column: Int) -> String? { column >= 1 && column <= header.count ? header[column - 1] : nil }
        do {
            try body()
        } catch let error as CSVError {
            switch error {
            case let .unterminatedQuote(_, line, column):
                add(line: line, column: name(column), "\(name(column) == nil ? "column \(column): " : "")a quoted field is never closed, so it swallows the rest of the file. Add the closing \" or remove the opening one.")
            case let .textAfterQuote(_, line, column):
                add(line: line, column: name(column), "\(name(column) == nil ? "column \(column): " : "")text follows the closing quote of a field; the rest of the file was not read. Put the whole field in quotes and write a quote inside it as \"\".")
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
    public var text: String

    public init(file: String? = nil, line: Int? = nil, _ text: String) {
        self.file = file
        self.line = line
        self.text = text
    }

    public var description: String {
        switch (file, line) {
        case let (f?, l?): return "\(f):\(l): \(text)"
        case let (f?, nil): return "\(f): \(text)"
        default: return text
        }
    }
}
