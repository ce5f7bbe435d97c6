/// One area found by `areas find`.
public struct AreaMatch: Equatable, Sendable, Codable {
    public var code: String
    public var name: String
    public var kind: AreaLevel
    /// "Xã Ia Mơ — Gia Lai": the name, then its ancestors.
    public var path: String
    /// Whether the name contains the query with its accents as typed.
    public var exactAccents: Bool
}

/// Matches what people type (often without accents) against area names.
public struct AreaSearch: Sendable {
    /// The query folded to plain lower-case letters.
    public let folded: String
    let tokens: [Substring]
    let toneKey: String
    let raw: String

    public init(_ query: String) {
        raw = TextFolding.normalizedName(query)
        folded = TextFolding.fold(raw)
        tokens = folded.split(separator: " ")
        toneKey = TextFolding.toneKey(raw)
    }

    /// Whether the query has any letter to match.
    public var isEmpty: Bool { tokens.isEmpty }

    /// The rank of `name` (folded to `key`) for this query, lower first, or nil when it does not
    /// match: every word of the query must start a word of the name.
    public func rank(name: String, key: String, code: String) -> (Int, Int, Int)? {
        if code == raw { return (0, 0, 0) }
        let words = key.split(separator: " ")
        var whole = true
        for token in tokens {
            if words.contains(where: { $0 == token }) { continue }
            guard words.contains(where: { $0.hasPrefix(token) }) else { return nil }
            whole = false
        }
        let exact = TextFolding.toneKey(name).contains(toneKey)
        let phrase = key.contains(folded)
        return (exact ? 1 : 2, phrase ? 0 : 1, whole ? 0 : 1)
    }

    /// The longest word of the query: a cheap SQL pre-filter before `rank`.
    var longestToken: String { String(tokens.max(by: { $0.count < $1.count }) ?? "") }
}
