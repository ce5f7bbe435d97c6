/// One side of a validation rule (`eid_l2 + bank_account`, `adults * 0.9`): numbers, names of
/// metrics and area attributes, `+ - * /` and parentheses. Parsed by `RuleParser`; evaluated
/// against a table of values (`evaluate`), where a missing value is NaN and spreads.
public indirect enum RuleExpression: Equatable, Sendable {
    /// A number written in the rule.
    case number(Double)
    /// A metric code or an area attribute, as written.
    case name(String)
    /// A name resolved to its place in a value table (`resolved(_:)`).
    case slot(Int)
    /// `-x`.
    case negate(RuleExpression)
    case binary(RuleExpression, ArithmeticOperator, RuleExpression)

    /// Every name the expression uses, each once, in the order written.
    public var names: [String] {
        var out: [String] = []
        func walk(_ e: RuleExpression) {
            switch e {
            case .number, .slot: break
            case .name(let n): if !out.contains(n) { out.append(n) }
            case .negate(let x): walk(x)
            case .binary(let a, _, let b): walk(a); walk(b)
            }
        }
        walk(self)
        return out
    }

    /// The expression with each name replaced by its place in `slots` (names not there stay names
    /// and evaluate as missing).
    public func resolved(_ slots: [String: Int]) -> RuleExpression {
        switch self {
        case .number, .slot: return self
        case .name(let n): return slots[n].map(RuleExpression.slot) ?? self
        case .negate(let x): return .negate(x.resolved(slots))
        case .binary(let a, let op, let b): return .binary(a.resolved(slots), op, b.resolved(slots))
        }
    }

    /// The value over `values` (by slot); NaN when a value it needs is missing (NaN), infinite or
    /// NaN after a division by zero.
    @inline(__always)
    public func evaluate(_ values: UnsafeBufferPointer<Double>) -> Double {
        switch self {
        case .number(let x): return x
        case .slot(let i): return values[i]
        case .name: return .nan
        case .negate(let x): return -x.evaluate(values)
        case .binary(let a, let op, let b):
            let l = a.evaluate(values), r = b.evaluate(values)
            switch op {
            case .add: return l + r
            case .subtract: return l - r
            case .multiply: return l * r
            case .divide: return l / r
            }
        }
    }

    /// The value when every name is given by `value` (nil: missing); nil when a needed value is
    /// missing or a division by zero leaves no number.
    public func evaluate(_ value: (String) -> Double?) -> Double? {
        let names = self.names
        var slots: [String: Int] = [:]
        for (i, n) in names.enumerated() { slots[n] = i }
        let values = names.map { value($0) ?? .nan }
        let result = values.withUnsafeBufferPointer { resolved(slots).evaluate($0) }
        return result.isFinite ? result : nil
    }

    /// Whether the expression is a constant that is zero (`0`, `0.0`, `(1 - 1)`), the divisor no
    /// rule can use.
    var isConstantZero: Bool {
        guard names.isEmpty else { return false }
        return [Double]().withUnsafeBufferPointer { evaluate($0) } == 0
    }
}

/// `+ - * /`.
public enum ArithmeticOperator: String, Equatable, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
}

/// How a rule compares its two sides.
public enum ComparisonOperator: String, CaseIterable, Equatable, Sendable, Codable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// Whether `left op right` holds. Sides equal to within a millionth count as equal (a decimal
    /// factor such as `0.1 * 3` is not exact in binary).
    @inline(__always)
    public func holds(_ left: Double, _ right: Double) -> Bool {
        let tolerance = 1e-6 * max(1, abs(left), abs(right))
        let equal = abs(left - right) <= tolerance
        switch self {
        case .equal: return equal
        case .notEqual: return !equal
        case .less: return left < right && !equal
        case .lessOrEqual: return left < right || equal
        case .greater: return left > right && !equal
        case .greaterOrEqual: return left > right || equal
        }
    }
}

/// Reads `left op right` by recursive descent (`expression := term (('+'|'-') term)*`,
/// `term := factor (('*'|'/') factor)*`, `factor := number | name | '(' expression ')' | '-' factor`).
/// Pure: no metric is looked up here (see `RuleCheck`).
public enum RuleParser {
    /// Why a rule cannot be read, and where: `position` counts characters from 1.
    public struct SyntaxError: Error, Equatable, Sendable {
        public enum Kind: Equatable, Sendable {
            /// A character no rule uses (`%`, `{`, a letter outside a name).
            case unexpectedCharacter(String)
            /// The rule ends where a number, a name or `(` should come.
            case unexpectedEnd
            /// Something else where a number, a name or `(` should come (`+ *`, `()`).
            case expectedOperand(String)
            /// A `(` never closed.
            case unclosedParenthesis
            /// A `)` with no `(`, or text after a complete side (`eid_l2 people_reached`).
            case unexpected(String)
            /// No comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`).
            case noComparison
            /// A second comparison (`a <= b <= c`).
            case secondComparison(String)
            /// `=` alone, or `=<`, `=>`.
            case badComparison(String)
            /// A number too long or malformed (`1.2.3`).
            case badNumber(String)
        }
        public var kind: Kind
        public var position: Int
    }

    /// Parses a whole rule into its two sides and the comparison.
    public static func parse(_ text: String) throws(SyntaxError) -> (left: RuleExpression, op: ComparisonOperator, right: RuleExpression) {
        var p = Parser(tokens: try tokens(text), end: text.count + 1)
        let left = try p.expression()
        guard case .comparison(let op)? = p.peek?.token else {
            if let t = p.peek { throw SyntaxError(kind: .unexpected(t.token.text), position: t.position) }
            throw SyntaxError(kind: .noComparison, position: p.end)
        }
        p.index += 1
        let right = try p.expression()
        if let t = p.peek {
            if case .comparison(let second) = t.token {
                throw SyntaxError(kind: .secondComparison(second.rawValue), position: t.position)
            }
            throw SyntaxError(kind: .unexpected(t.token.text), position: t.position)
        }
        return (left, op, right)
    }

    /// Parses one side alone (no comparison).
    public static func parseExpression(_ text: String) throws(SyntaxError) -> RuleExpression {
        var p = Parser(tokens: try tokens(text), end: text.count + 1)
        let e = try p.expression()
        if let t = p.peek { throw SyntaxError(kind: .unexpected(t.token.text), position: t.position) }
        return e
    }

    enum Token: Equatable {
        case number(Double, String)
        case name(String)
        case arithmetic(ArithmeticOperator)
        case comparison(ComparisonOperator)
        case open, close

        var text: String {
            switch self {
            case .number(_, let t): t
            case .name(let n): n
            case .arithmetic(let op): op.rawValue
            case .comparison(let op): op.rawValue
            case .open: "("
            case .close: ")"
            }
        }
    }

    static func tokens(_ text: String) throws(SyntaxError) -> [(token: Token, position: Int)] {
        let chars = Array(text)
        var out: [(token: Token, position: Int)] = []
        var i = 0
        func isNameStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
        func isNamePart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        while i < chars.count {
            let c = chars[i], at = i + 1
            if c == " " || c == "\t" { i += 1; continue }
            if isDigit(c) || (c == "." && i + 1 < chars.count && isDigit(chars[i + 1])) {
                var j = i
                while j < chars.count, isDigit(chars[j]) || chars[j] == "." { j += 1 }
                let word = String(chars[i..<j])
                guard word.filter({ $0 == "." }).count <= 1, word.last != ".", let value = Double(word), value.isFinite,
                      j >= chars.count || !isNameStart(chars[j]) else {
                    var k = j
                    while k < chars.count, isNamePart(chars[k]) || chars[k] == "." { k += 1 }
                    throw SyntaxError(kind: .badNumber(String(chars[i..<k])), position: at)
                }
                out.append((.number(value, word), at))
                i = j
            } else if isNameStart(c) {
                var j = i
                while j < chars.count, isNamePart(chars[j]) { j += 1 }
                out.append((.name(String(chars[i..<j]).lowercased()), at))
                i = j
            } else if let op = ArithmeticOperator(rawValue: String(c)) {
                out.append((.arithmetic(op), at)); i += 1
            } else if c == "(" {
                out.append((.open, at)); i += 1
            } else if c == ")" {
                out.append((.close, at)); i += 1
            } else if "<>=!".contains(c) {
                let two = i + 1 < chars.count ? String(chars[i...i + 1]) : String(c)
                if let op = ComparisonOperator(rawValue: two), two.count == 2 {
                    out.append((.comparison(op), at)); i += 2
                } else if c == "<" || c == ">" {
                    out.append((.comparison(c == "<" ? .less : .greater), at)); i += 1
                } else {
                    throw SyntaxError(kind: .badComparison(two.count == 2 && "<>=".contains(chars[i + 1]) ? two : String(c)),
                                      position: at)
                }
            } else {
                throw SyntaxError(kind: .unexpectedCharacter(String(c)), position: at)
            }
        }
        return out
    }

    struct Parser {
        let tokens: [(token: Token, position: Int)]
        var index = 0
        /// The position just after the text, where "the rule ends" is reported.
        let end: Int

        init(tokens: [(token: Token, position: Int)], end: Int) {
            self.tokens = tokens
            self.end = end
        }

        var peek: (token: Token, position: Int)? { index < tokens.count ? tokens[index] : nil }

        mutating func expression() throws(SyntaxError) -> RuleExpression {
            var left = try term()
            while case .arithmetic(let op)? = peek?.token, op == .add || op == .subtract {
                index += 1
                left = .binary(left, op, try term())
            }
            return left
        }

        mutating func term() throws(SyntaxError) -> RuleExpression {
            var left = try factor()
            while case .arithmetic(let op)? = peek?.token, op == .multiply || op == .divide {
                index += 1
                left = .binary(left, op, try factor())
            }
            return left
        }

        mutating func factor() throws(SyntaxError) -> RuleExpression {
            guard let t = peek else { throw SyntaxError(kind: .unexpectedEnd, position: end) }
            index += 1
            switch t.token {
            case .number(let x, _): return .number(x)
            case .name(let n): return .name(n)
            case .arithmetic(.subtract): return .negate(try factor())
            case .open:
                let inner = try expression()
                guard case .close? = peek?.token else {
                    throw SyntaxError(kind: .unclosedParenthesis, position: t.position)
                }
                index += 1
                return inner
            default:
                throw SyntaxError(kind: .expectedOperand(t.token.text), position: t.position)
            }
        }
    }
}
