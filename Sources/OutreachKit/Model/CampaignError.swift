/// A campaign that cannot be found or read. Problems inside a campaign file are an
/// `ImportRejected` that lists every one of them with its line.
public enum CampaignError: Error, Equatable, Sendable, UserFacingError {
    /// No campaign file `<id>.yaml` in the folder; `available` are the ids that are there.
    case unknownCampaign(id: String, directory: String, available: [String])
    /// The campaigns folder does not exist (or is not a folder).
    case noDirectory(String)
    /// A file could not be read; `reason` is the system's.
    case cannotRead(file: String, reason: String)
    /// A campaign file has problems (the CLI's `campaigns check FILE` lists them).
    case invalid(ImportRejected)

    public var message: String {
        switch self {
        case let .unknownCampaign(id, directory, available):
            var text = "there is no campaign \"\(id)\" in \(directory)"
            if let near = Spelling.suggestion(for: id, among: available) { text += "; did you mean \"\(near)\"?" } else { text += "." }
            if available.isEmpty {
                text += " The folder holds no campaign files. Add \(directory)/\(id).yaml (see the README, \"Campaigns\"), or choose another folder with --campaigns DIR."
            } else {
                text += " Campaigns there: \(available.joined(separator: ", ")). See them with `outreach campaigns list`."
            }
            return text
        case let .noDirectory(directory):
            return "the campaigns folder \(directory) does not exist. Pass --campaigns DIR, set OUTREACH_CAMPAIGNS, or run the command where a Campaigns folder is."
        case let .cannotRead(file, reason):
            return "\(file): cannot be read (\(reason)). Check the path and that you may read it."
        case let .invalid(rejected):
            var lines = rejected.problems.map(\.description)
            if rejected.total > rejected.problems.count {
                lines.append("… and \(rejected.total - rejected.problems.count) more problems.")
            }
            let count = rejected.total == 1 ? "1 problem" : "\(rejected.total) problems"
            lines.append("\(rejected.file): the campaign cannot be used (\(count)). Fix the file; `outreach campaigns check \(rejected.file)` checks it again.")
            return lines.joined(separator: "\n")
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
