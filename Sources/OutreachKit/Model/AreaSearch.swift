/// One area found by `areas find`.
public struct AreaMatch: Equatable, Sendable, Codable {
    public var code: String
    public var name: String
    public var kind: AreaLevel
    /// "Xã Ia Mơ — Gia Lai": the name, then its ancestors.
    public var path: String
    /// Whether the name contains the query with its accents as typed.
    public var exactAccents: Bool
    /// A version told apart by its dates (a workspace with dated history): its first and last day.
    public var from: Day? = nil
    public var until: Day? = nil
    /// An earlier name or a unit that has ended ("cũ").
    public var isPast: Bool = false
    /// What it is now, for a past one: "29194 Xã Đại Điền".
    public var now: String? = nil
    /// Whether `now` is the same unit under a new version (a reused code) rather than the unit it went into.
    public var nowSameUnit: Bool = false
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

    /// An area the SQL pre-filter found.
    struct Candidate: Sendable {
        var id: Int64
        var code: String
        var name: String
        var level: AreaLevel
        var key: String
    }

    /// The pre-filter: areas whose folded name is `LIKE $1` or whose code is `$2`. Columns: id,
    /// code, name, level, search_key.
    static let candidatesSQL = "SELECT id, code, name, level, search_key FROM area WHERE search_key LIKE $1 OR code = $2"

    /// The pattern `$1` of `candidatesSQL`: the longest word, its wildcards dropped; with
    /// `escapingBackslash` (PostgreSQL, where `\` escapes in LIKE), a backslash doubled.
    func likePattern(escapingBackslash: Bool) -> String {
        var token = longestToken.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
        if escapingBackslash { token = token.replacingOccurrences(of: "\\", with: "\\\\") }
        return "%" + token + "%"
    }

    /// The candidates that match, best first, at most `limit`: names with the accents as typed
    /// first, then whole-phrase and whole-word matches, then higher levels, then by code.
    func best(_ candidates: [Candidate], limit: Int) -> [(candidate: Candidate, exactAccents: Bool)] {
        var ranked: [(rank: (Int, Int, Int), level: Int, candidate: Candidate)] = []
        for c in candidates {
            guard let r = rank(name: c.name, key: c.key, code: c.code) else { continue }
            ranked.append((r, c.level.rank, c))
        }
        ranked.sort {
            ($0.rank.0, $0.rank.1, $0.rank.2, $0.level, $0.candidate.code) < ($1.rank.0, $1.rank.1, $1.rank.2, $1.level, $1.candidate.code)
        }
        return ranked.prefix(limit).map { ($0.candidate, $0.rank.0 <= 1) }
    }

    /// The match of `candidate`, its path made of its name and its ancestors' names (nearest
    /// first, as stored).
    static func match(_ candidate: Candidate, exactAccents: Bool, ancestors: [String]) -> AreaMatch {
        AreaMatch(code: candidate.code, name: candidate.name, kind: candidate.level,
                  path: ([candidate.name] + ancestors.map(\.withoutAdministrativePrefix)).joined(separator: " — "),
                  exactAccents: exactAccents)
    }
}
