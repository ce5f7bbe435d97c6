/// A campaign that cannot be found or read. Problems inside a campaign file are an
/// `ImportRejected` that lists every one of them with its line.
public enum CampaignError: Error, Equatable, Sendable, UserFacingError {
    /// No campaign file `<id>.yaml` in the folder; `available` are the ids that are there.
    case unknownCampaign(id: String, directory: String, available: [String])
    /// The campaigns folder does not exist (or is not a folder).
    case noDirectory(String)
    /// A file or folder could not be read.
    case cannotRead(file: String, reason: FileProblem)
    /// A campaign file has problems (the CLI's `campaigns check FILE` lists them).
    case invalid(ImportRejected)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? {
        if case let .invalid(rejected) = self, !rejected.isTranslated { return nil }
        return text(labels)
    }

    func text(_ labels: Labels) -> String {
        switch self {
        case let .unknownCampaign(id, directory, available):
            let near = Spelling.suggestion(for: id, among: available)
            var text = near.map { labels("campaigns.error.unknown.near", ["id": id, "directory": directory, "near": $0]) }
                ?? labels("campaigns.error.unknown", ["id": id, "directory": directory])
            text += " " + (available.isEmpty
                ? labels("campaigns.error.unknown.empty_folder", ["id": id, "directory": directory])
                : labels("campaigns.error.unknown.available", ["ids": available.joined(separator: ", ")]))
            return text
        case let .noDirectory(directory):
            return labels("campaigns.error.no_directory", ["directory": directory])
        case let .cannotRead(file, reason):
            return labels("diagnostic.cannot_read", ["file": file, "reason": reason.text(labels)])
        case let .invalid(rejected):
            let summary = labels.counted(rejected.total, one: labels["campaigns.error.invalid.one"],
                                         other: labels["campaigns.error.invalid.other"], ["file": rejected.file])
            return (rejected.lines(labels) + [summary]).joined(separator: "\n")
        }
    }
}

/// Suggestions for misspelt words: keys, metric codes, ids.
enum Spelling {
    /// The candidate nearest to `word`, when it is close enough to be a likely typo.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)? = nil
        for candidate in candidates {
            let d = distance(lowered, candidate.lowercased())
            if best == nil || d < best!.1 { best = (candidate, d) }
        }
        guard let (candidate, d) = best else { return nil }
        // One edit in a short word, up to a third of the letters in a longer one.
        let allowed = max(1, min(3, max(word.count, candidate.count) / 3))
        return d <= allowed ? candidate : nil
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of neighbours.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
