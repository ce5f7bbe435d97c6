import Foundation
import Yams

/// Reads a campaign file (`Campaigns/<id>.yaml`; the format is in the README, "Campaigns").
///
/// Parsing is pure: the YAML comes as bytes, and the CSV tables the campaign names (per-area
/// targets, baselines) come through `load`, which the caller resolves against the campaign
/// file's folder. Every problem is collected, each with its line, before the file is rejected.
/// Area codes are not checked here (that needs a workspace): see `Campaign.unknownAreas(in:)`.
public enum CampaignFile {
    /// The version of the format this build reads.
    public static let version = 1

    /// Reads the bytes of a file named by a campaign (a path relative to the campaign file's folder).
    public typealias Loader = (String) throws -> [UInt8]

    /// The keys of a campaign, in the order the README documents them.
    public static let campaignKeys = ["version", "id", "name", "name_en", "scope", "period", "metrics",
                                      "indicators", "targets", "baselines"]
    /// The keys of `period`.
    public static let periodKeys = ["start", "end"]
    /// The keys of an indicator.
    public static let indicatorKeys = ["id", "label", "label_en", "numerator", "denominator", "target",
                                       "milestones", "rollup"]
    /// The words `denominator` accepts: an area attribute, or `none` for an absolute count.
    public static let denominatorWords = AreaAttributes.names + ["none"]
    /// The columns of the per-area targets table.
    public static let targetColumns = ["area", "indicator", "target"]
    /// The columns of the baselines table.
    public static let baselineColumns = ["area", "metric", "value"]
    /// Column names of sessions.csv that a declared metric may not take.
    static let reservedMetricCodes = ["id", "date", "area", "team", "logged_by", "notes", "voided",
                                      "void_reason", "replaced_by"]

    /// A loader for campaigns that name no tables: any table it is asked for is a problem.
    public static func noFiles(_ path: String) throws -> [UInt8] {
        throw CampaignError.cannotRead(file: path, reason: "no folder to read it from")
    }

    /// Reads a campaign from the bytes of its YAML file.
    ///
    /// - Parameters:
    ///   - file: the file as the user named it, used in diagnostics (`Campaigns/de-an-06.yaml`).
    ///     The tables the campaign names are shown relative to its folder.
    ///   - expectedID: the id the file must declare (commands find a campaign by its file name).
    ///   - load: reads a table the campaign names, given its path as written in the file.
    /// - Throws: `ImportRejected` listing every problem, YAML and tables together.
    public static func parse(_ bytes: [UInt8], file: String, expectedID: String? = nil,
                             load: Loader = noFiles) throws -> Campaign {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(bytes: body, encoding: .utf8) else {
            throw ImportRejected(file: file, problems: [Diagnostic(file: file, line: 1, "the file is not UTF-8 text. Save it as UTF-8.")])
        }
        return try parse(text, file: file, expectedID: expectedID, load: load)
    }

    /// Reads a campaign from the text of its YAML file (see `parse(_:file:expectedID:load:)`).
    public static func parse(_ text: String, file: String, expectedID: String? = nil,
                             load: Loader = noFiles) throws -> Campaign {
        var reader = CampaignReader(file: file, expectedID: expectedID)
        let campaign = reader.read(text, load: load)
        let problems = reader.sortedProblems()
        guard problems.isEmpty, let campaign else {
            let limit = 50
            throw ImportRejected(file: file, problems: Array(problems.prefix(limit)), total: problems.count)
        }
        return campaign
    }

    /// The name under which diagnostics show a table the campaign names: `path` in the folder of `file`.
    public static func tableName(_ path: String, nextTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let slash = file.lastIndex(of: "/") else { return path }
        return String(file[...slash]) + path
    }

    /// The id a campaign file must declare: its name without `.yaml` (or `.yml`), or nil for another name.
    public static func expectedID(forFile path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) && name.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return nil
    }

    /// Reads a target as campaign files and target tables write it: `85%`, `0.85` or a count.
    ///
    /// `hasDenominator` says which kind the indicator takes (a share over a denominator, a count
    /// without one); nil when unknown. Returns the target, or what to tell the user.
    public static func target(_ raw: String, hasDenominator: Bool?) -> Result<Target, TargetProblem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("-") { return .failure(TargetProblem("\"\(text)\" is negative. A target is 0 or more.")) }
        if text.hasSuffix("%") {
            guard let percent = decimal(text.dropLast().trimmingCharacters(in: .whitespaces)) else {
                return .failure(TargetProblem("\"\(text)\" is not a percentage. Write it as 90% or 96.6%."))
            }
            if percent > 100 { return .failure(TargetProblem("\"\(text)\" is over 100%. A share is from 0% to 100%.")) }
            if hasDenominator == false { return .failure(TargetProblem(shareWithoutDenominator(text))) }
            return .success(.share(percent / 100))
        }
        if hasDenominator == false {
            switch CountParser.parse(text) {
            case .success(let count?): return .success(.count(count))
            case .success(nil): return .failure(TargetProblem("the target is empty. Write a count such as 6000."))
            case .failure(let failure):
                if let fraction = decimal(text), fraction <= 1 { return .failure(TargetProblem(shareWithoutDenominator(text))) }
                return .failure(TargetProblem("\"\(text)\" \(failure.advice)"))
            }
        }
        if let fraction = decimal(text), fraction <= 1 { return .success(.share(fraction)) }
        if hasDenominator == nil, case .success(let count?) = CountParser.parse(text) { return .success(.count(count)) }
        return .failure(TargetProblem("\"\(text)\" is not a share. With a denominator the target is a percentage (90%) or a fraction from 0 to 1 (0.9); for a count, set denominator: none."))
    }

    /// Why a target cannot be read.
    public struct TargetProblem: Error, Equatable, Sendable {
        /// What to tell the user.
        public var text: String
        init(_ text: String) { self.text = text }
    }

    private static func shareWithoutDenominator(_ text: String) -> String {
        "\"\(text)\" is a share, but the indicator has no denominator. Set denominator to \(AreaAttributes.names.joined(separator: ", ")), or give a count such as 6000."
    }

    /// Digits with at most one decimal point (`.` or `,`), nothing else.
    private static func decimal(_ text: String) -> Double? {
        var digits = 0, points = 0
        for c in text {
            if c.isASCII && c.isNumber { digits += 1 } else if c == "." || c == "," { points += 1 } else { return nil }
        }
        guard digits > 0, points <= 1 else { return nil }
        return Double(text.replacingOccurrences(of: ",", with: "."))
    }
}

extension Target {
    /// The target as a campaign file writes it: `90%`, `96.6%`, or a count.
    public var fileText: String {
        switch self {
        case .count(let n): return String(n)
        case .share(let s):
            let percent = (s * 1000).rounded() / 10
            return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
        }
    }
}

extension Campaign {
    /// Area codes the campaign names (its scope, per-area targets, baselines) that `tree` does
    /// not have, sorted. A campaign file alone cannot check them; the CLI warns about them.
    public func unknownAreas(in tree: AreaTree) -> [String] {
        allAreaCodes.filter { tree.index(of: $0) == nil && $0 != Campaign.wholeTreeScope }.sorted()
    }

    /// Codes of per-area targets and baselines that `tree` has but outside the scope's subtree:
    /// their figures never count. Empty when the scope itself is unknown.
    public func areasOutsideScope(in tree: AreaTree) -> [String] {
        guard !coversWholeTree, let root = tree.index(of: scope) else { return [] }
        return allAreaCodes.filter { code in
            guard code != scope, let i = tree.index(of: code) else { return false }
            return !tree.ancestors(of: i).contains(root)
        }.sorted()
    }

    private var allAreaCodes: Set<String> {
        var codes: Set<String> = [scope]
        for byArea in areaTargets.values { codes.formUnion(byArea.keys) }
        codes.formUnion(baselines.keys)
        return codes
    }
}

// MARK: - Reading

/// Walks the YAML tree once, collecting problems and the values that are valid.
private struct CampaignReader {
    let file: String
    let expectedID: String?
    /// Problems in the YAML file.
    var problems: [Diagnostic] = []
    /// Problems in the tables it names, in file order.
    var tableProblems: [Diagnostic] = []
    /// Prepended to the problems found inside an indicator (`indicator "eid-l2": `).
    var context = ""
    /// Keys that the last `fields` call suggested for misspelt ones: their absence is not
    /// reported again.
    var misspelt: Set<String> = []

    init(file: String, expectedID: String?) {
        self.file = file
        self.expectedID = expectedID
    }

    func sortedProblems() -> [Diagnostic] {
        // Stable: problems on one line keep the order they were found in.
        let yaml = problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        return yaml + tableProblems
    }

    mutating func add(_ node: Node?, _ text: String) {
        add(line: node?.mark?.line ?? 1, text)
    }

    mutating func add(line: Int, _ text: String) {
        problems.append(Diagnostic(file: file, line: line, context + text))
    }

    // MARK: The campaign

    mutating func read(_ text: String, load: CampaignFile.Loader) -> Campaign? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            addYAMLError(error)
            return nil
        }
        guard let root else {
            add(line: 1, "the file is empty. Start it with `version: \(CampaignFile.version)`; the README section \"Campaigns\" shows the format.")
            return nil
        }
        guard case .mapping(let top) = root else {
            add(root, "a campaign file is a mapping of keys (version:, id:, name: …), not a list or a single value.")
            return nil
        }
        guard readVersion(top, root) else { return nil }
        let fields = self.fields(root, of: "a campaign", CampaignFile.campaignKeys)
        for (key, hint) in [("id", "id: <the file name without .yaml>"), ("name", "name: <the campaign's Vietnamese name>"),
                            ("scope", "scope: \"<code of the area the campaign covers>\""),
                            ("period", "period: {start: YYYY-MM-DD, end: YYYY-MM-DD}"),
                            ("indicators", "indicators: with at least one indicator")]
        where fields[key] == nil && !misspelt.contains(key) {
            add(root, "the campaign has no \"\(key)\". Add \(hint).")
        }

        let id = fields["id"].flatMap { readID($0.value, key: "id", example: "de-an-06") }
        if let id, let expectedID, id != expectedID, let node = fields["id"]?.value {
            add(node, "id \"\(id)\" differs from the file name \"\(expectedID).yaml\"; commands find a campaign by its file name. Rename the file to \(id).yaml, or write id: \(expectedID).")
        }
        let name = fields["name"].flatMap { string($0.value, key: "name") }
        let nameEnglish = fields["name_en"].flatMap { string($0.value, key: "name_en") }
        let scope = fields["scope"].flatMap { string($0.value, key: "scope") }
        let period = fields["period"].flatMap { readPeriod($0.value) }
        let extraMetrics = fields["metrics"].map { readMetrics($0.value) } ?? []
        let knownMetrics = Metric.allCases.map(\.code) + extraMetrics
        var indicators: [Indicator] = []
        // Every indicator id seen, with whether it has a denominator (nil when that is unknown).
        var indicatorKinds: [String: Bool?] = [:]
        var indicatorOrder: [String] = []
        if let node = fields["indicators"]?.value {
            indicators = readIndicators(node, metrics: knownMetrics, period: period, kinds: &indicatorKinds, order: &indicatorOrder)
        }

        var areaTargets: [String: [String: Target]] = [:]
        var baselines: [String: [String: Int]] = [:]
        if let (_, node) = fields["targets"], let (name, bytes) = loadTable(node, key: "targets", load: load) {
            areaTargets = readTargets(bytes, name: name, kinds: indicatorKinds, order: indicatorOrder)
        }
        if let (_, node) = fields["baselines"], let (name, bytes) = loadTable(node, key: "baselines", load: load) {
            baselines = readBaselines(bytes, name: name, metrics: knownMetrics)
        }

        guard problems.isEmpty, tableProblems.isEmpty, let id, let name, let scope, let period else { return nil }
        return Campaign(id: id, name: name, nameEnglish: nameEnglish, scope: scope, start: period.start, end: period.end,
                        indicators: indicators, extraMetrics: extraMetrics, areaTargets: areaTargets, baselines: baselines)
    }

    /// Checks that `version: 1` comes first. False when the file is for a newer format: its
    /// other keys would only give misleading messages.
    mutating func readVersion(_ top: Node.Mapping, _ root: Node) -> Bool {
        guard let index = top.firstIndex(where: { $0.key.scalarText == "version" }) else {
            add(root, "the file has no version. Make `version: \(CampaignFile.version)` its first line.")
            return true
        }
        let (key, value) = top[index]
        if index != top.startIndex {
            add(key, "version must be the first key of the file. Move `version: \(CampaignFile.version)` to the top.")
        }
        guard let text = value.scalarText, let number = Int(text), number >= 1 else {
            add(value, "version \(value.shown) is not a format version. Write `version: \(CampaignFile.version)`.")
            return true
        }
        if number > CampaignFile.version {
            add(value, "this file is written in version \(number) of the campaign format, newer than this Outreach reads (version \(CampaignFile.version)). Update Outreach, or rewrite the file for version \(CampaignFile.version).")
            return false
        }
        return true
    }

    // MARK: Values

    /// The pairs of mapping `node` by key; reports keys not in `accepted`, with the nearest one.
    mutating func fields(_ node: Node, of what: String, _ accepted: [String]) -> [String: (key: Node, value: Node)] {
        guard case .mapping(let mapping) = node else {
            add(node, "\(what) must be a mapping of keys (\(accepted.joined(separator: ", "))), not \(node.kindName).")
            return [:]
        }
        var out: [String: (key: Node, value: Node)] = [:]
        misspelt = []
        for (key, value) in mapping {
            guard let name = key.scalarText else {
                add(key, "a key must be a word; found \(key.kindName).")
                continue
            }
            guard accepted.contains(name) else {
                if let near = Spelling.suggestion(for: name, among: accepted) {
                    misspelt.insert(near)
                    add(key, "\"\(name)\" is not a key of \(what); did you mean \"\(near)\"?")
                } else {
                    add(key, "\"\(name)\" is not a key of \(what). The keys are: \(accepted.joined(separator: ", ")).")
                }
                continue
            }
            out[name] = (key, value)
        }
        return out
    }

    /// A single non-empty value, NFC with surrounding spaces removed.
    mutating func string(_ node: Node, key: String) -> String? {
        guard case .scalar(let scalar) = node else {
            add(node, "\(key) must be a single value, not \(node.kindName).")
            return nil
        }
        let text = TextFolding.normalizedName(scalar.string)
        if text.isEmpty || node.isNull {
            add(node, "\(key) has no value. Write it after the colon.")
            return nil
        }
        return text
    }

    /// An id: lower-case letters, digits, `-` and `_` (it is typed on the command line).
    mutating func readID(_ node: Node, key: String, example: String) -> String? {
        guard let id = string(node, key: key) else { return nil }
        let valid = id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        guard valid, id.first != "-" else {
            add(node, "\(key) \"\(id)\" may hold only lower-case letters a–z, digits, \"-\" and \"_\" (it is typed on the command line), e.g. \(example).")
            return nil
        }
        return id
    }

    mutating func date(_ node: Node, key: String) -> Day? {
        guard let text = string(node, key: key) else { return nil }
        guard let day = Day(parsing: text) else {
            add(node, "\(key) \"\(text)\" is not a date. Write YYYY-MM-DD or DD/MM/YYYY.")
            return nil
        }
        return day
    }

    /// A list of single values; a single value is a list of one.
    mutating func list(_ node: Node, key: String) -> [(Node, String)] {
        switch node {
        case .scalar:
            return string(node, key: key).map { [(node, $0)] } ?? []
        case .sequence(let sequence):
            var out: [(Node, String)] = []
            for item in sequence {
                if let text = string(item, key: "each item of \(key)") { out.append((item, text)) }
            }
            return out
        default:
            add(node, "\(key) must be a list such as [eid_l2, ewallet], not \(node.kindName).")
            return []
        }
    }

    // MARK: Parts of the campaign

    mutating func readPeriod(_ node: Node) -> (start: Day, end: Day)? {
        let fields = self.fields(node, of: "the period", CampaignFile.periodKeys)
        guard case .mapping = node else { return nil }
        for key in CampaignFile.periodKeys where fields[key] == nil && !misspelt.contains(key) {
            add(node, "the period has no \(key). Write period: {start: YYYY-MM-DD, end: YYYY-MM-DD}.")
        }
        let start = fields["start"].flatMap { date($0.value, key: "start") }
        let end = fields["end"].flatMap { date($0.value, key: "end") }
        guard let start, let end else { return nil }
        if end < start {
            add(fields["end"]!.value, "the period ends on \(end.iso), before it starts on \(start.iso). Check the dates; end is the last day, included.")
            return nil
        }
        return (start, end)
    }

    mutating func readMetrics(_ node: Node) -> [String] {
        var out: [String] = []
        var lines: [String: Int] = [:]
        for (item, code) in list(node, key: "metrics") {
            let valid = code.unicodeScalars.first.map { ("a"..."z").contains($0) } == true
                && code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            if !valid {
                add(item, "metric \"\(code)\" may hold only lower-case letters a–z, digits and \"_\", starting with a letter (it becomes a column of sessions.csv), e.g. dvc_submitted.")
            } else if Metric(code: code) != nil {
                add(item, "\"\(code)\" is a built-in metric. Remove it from metrics; list only new metrics there.")
            } else if CampaignFile.reservedMetricCodes.contains(code) {
                add(item, "\"\(code)\" is a column of sessions.csv and cannot name a metric. Choose another code.")
            } else if let first = lines[code] {
                add(item, "metric \"\(code)\" is declared twice (first on line \(first)). Remove one.")
            } else {
                lines[code] = item.mark?.line ?? 1
                out.append(code)
            }
        }
        return out
    }

    mutating func readIndicators(_ node: Node, metrics: [String], period: (start: Day, end: Day)?,
                                 kinds: inout [String: Bool?], order: inout [String]) -> [Indicator] {
        guard case .sequence(let items) = node else {
            add(node, "indicators must be a list, each item starting with `- id:`, not \(node.kindName).")
            return []
        }
        if items.isEmpty { add(node, "indicators is empty. A campaign needs at least one indicator.") }
        var out: [Indicator] = []
        var lines: [String: Int] = [:]
        for (n, item) in items.enumerated() {
            let (indicator, id, hasDenominator) = readIndicator(item, number: n + 1, metrics: metrics, period: period)
            guard let id else { continue }
            if let first = lines[id] {
                add(item, "indicator id \"\(id)\" is already used on line \(first). Give each indicator its own id.")
                continue
            }
            lines[id] = item.mark?.line ?? 1
            kinds[id] = .some(hasDenominator)
            order.append(id)
            if let indicator { out.append(indicator) }
        }
        return out
    }

    /// One indicator (nil when it has problems), its id, and whether it has a denominator.
    mutating func readIndicator(_ node: Node, number: Int, metrics: [String],
                                period: (start: Day, end: Day)?) -> (Indicator?, String?, Bool?) {
        let before = problems.count
        let fields = self.fields(node, of: "an indicator", CampaignFile.indicatorKeys)
        guard case .mapping = node else { return (nil, nil, nil) }
        let id = fields["id"].flatMap { readID($0.value, key: "the indicator's id", example: "eid-l2") }
        context = id.map { "indicator \"\($0)\": " } ?? "indicator \(number): "
        defer { context = "" }
        for (key, hint) in [("id", "id: <a short id such as eid-l2>"), ("label", "label: <what it measures, in Vietnamese>"),
                            ("numerator", "numerator: [<metric codes>]"),
                            ("denominator", "denominator: \(CampaignFile.denominatorWords.joined(separator: " | "))"),
                            ("target", "target: 90% (a share) or a count such as 6000 with denominator: none")]
        where fields[key] == nil && !misspelt.contains(key) {
            add(node, "no \(key). Add \(hint).")
        }
        let label = fields["label"].flatMap { string($0.value, key: "label") }
        let labelEnglish = fields["label_en"].flatMap { string($0.value, key: "label_en") }
        let numerator = fields["numerator"].map { readNumerator($0.value, metrics: metrics) } ?? []

        var denominatorRead = false
        var denominator: String? = nil
        if let node = fields["denominator"]?.value, let word = string(node, key: "denominator") {
            if CampaignFile.denominatorWords.contains(word) {
                denominatorRead = true
                denominator = word == "none" ? nil : word
            } else {
                let near = Spelling.suggestion(for: word, among: CampaignFile.denominatorWords)
                add(node, "denominator \"\(word)\" is not an area attribute\(near.map { "; did you mean \"\($0)\"?" } ?? ".") Write \(AreaAttributes.names.joined(separator: ", ")), or none for a count.")
            }
        }
        let hasDenominator: Bool? = denominatorRead ? denominator != nil : nil

        var target: Target? = nil
        if let node = fields["target"]?.value { target = readTarget(node, key: "target", hasDenominator: hasDenominator) }
        var milestones: [Milestone] = []
        if let node = fields["milestones"]?.value {
            milestones = readMilestones(node, hasDenominator: hasDenominator, period: period)
        }
        var rollUp = RollUpMode.ratio
        if let node = fields["rollup"]?.value, let word = string(node, key: "rollup") {
            if let mode = RollUpMode(rawValue: word) {
                rollUp = mode
                if mode == .mean && hasDenominator == false {
                    add(node, "rollup: mean averages the units' coverage, which needs a denominator. Use ratio or all for a count.")
                }
            } else {
                let near = Spelling.suggestion(for: word, among: RollUpMode.allCases.map(\.rawValue))
                add(node, "rollup \"\(word)\" is not a roll-up mode\(near.map { "; did you mean \"\($0)\"?" } ?? ".") Write ratio (sum of values over sum of denominators, the default), mean (the mean of the units' coverage) or all (met only when every unit meets the target).")
            }
        }
        guard problems.count == before, let id, let label, !numerator.isEmpty, denominatorRead, let target else {
            return (nil, id, hasDenominator)
        }
        return (Indicator(id: id, label: label, labelEnglish: labelEnglish, numerator: numerator, denominator: denominator,
                          target: target, milestones: milestones, rollUp: rollUp), id, hasDenominator)
    }

    mutating func readNumerator(_ node: Node, metrics: [String]) -> [String] {
        let items = list(node, key: "numerator")
        if items.isEmpty, case .sequence = node { add(node, "the numerator is empty. List the metrics whose counts are summed, e.g. [bank_account, ewallet].") }
        var out: [String] = []
        for (item, code) in items {
            if !metrics.contains(code) {
                let near = Spelling.suggestion(for: code, among: metrics)
                add(item, "\"\(code)\" is not a metric\(near.map { "; did you mean \"\($0)\"?" } ?? ".") Use a built-in metric (\(Metric.codeList)) or declare it under metrics:.")
            } else if out.contains(code) {
                add(item, "\"\(code)\" is listed twice in the numerator, so it would count twice. Remove one.")
            } else {
                out.append(code)
            }
        }
        return out
    }

    mutating func readTarget(_ node: Node, key: String, hasDenominator: Bool?) -> Target? {
        guard let text = string(node, key: key) else { return nil }
        switch CampaignFile.target(text, hasDenominator: hasDenominator) {
        case .success(let target): return target
        case .failure(let problem):
            add(node, "\(key) \(problem.text)")
            return nil
        }
    }

    mutating func readMilestones(_ node: Node, hasDenominator: Bool?, period: (start: Day, end: Day)?) -> [Milestone] {
        if node.isNull { return [] }
        guard case .mapping(let mapping) = node else {
            add(node, "milestones must be a mapping of dates to targets, such as {2026-06-30: 60%, 2026-09-30: 75%}, not \(node.kindName).")
            return []
        }
        var out: [Milestone] = []
        var lines: [Day: Int] = [:]
        for (key, value) in mapping {
            guard let day = date(key, key: "milestone") else { continue }
            if let first = lines[day] {
                add(key, "milestone \(day.iso) is given twice (first on line \(first)). Keep one.")
                continue
            }
            lines[day] = key.mark?.line ?? 1
            if let period, day < period.start || day > period.end {
                add(key, "milestone \(day.iso) is outside the period \(period.start.iso) – \(period.end.iso). Move it into the period, or fix the date.")
                continue
            }
            if let target = readTarget(value, key: "milestone \(day.iso): target", hasDenominator: hasDenominator) {
                out.append(Milestone(day: day, target: target))
            }
        }
        return out.sorted { $0.day < $1.day }
    }

    // MARK: Tables

    /// The display name and bytes of the table that `node` names, or nil after a problem.
    mutating func loadTable(_ node: Node, key: String, load: CampaignFile.Loader) -> (String, [UInt8])? {
        guard let path = string(node, key: key) else { return nil }
        do {
            return (CampaignFile.tableName(path, nextTo: file), try load(path))
        } catch {
            let reason: String
            switch error {
            case let CampaignError.cannotRead(_, why): reason = why
            case let error as UserFacingError: reason = error.message
            default: reason = "\(error)"
            }
            add(node, "\(key): cannot read \"\(path)\" (\(reason)). The path is relative to the campaign file's folder.")
            return nil
        }
    }

    /// Opens a table, turning problems with its shape into diagnostics.
    mutating func openTable(_ bytes: [UInt8], name: String, columns: [String]) -> (CSVReader, CSVHeader)? {
        do {
            let reader = try CSVReader(bytes: bytes, name: name)
            let header = try CSVHeader(reader.header, file: name, line: reader.headerLine, required: columns, optional: [])
            return (reader, header)
        } catch let rejected as ImportRejected {
            tableProblems += rejected.problems
        } catch let error as CSVError {
            switch error {
            case .empty: tableProblems.append(Diagnostic(file: name, line: 1, "the file is empty. Its first line must be the header \(columns.joined(separator: ","))."))
            case .utf16: tableProblems.append(Diagnostic(file: name, line: 1, "the file is UTF-16 text. Save it as \"CSV UTF-8\"."))
            case let .invalidUTF8(_, line, column): tableProblems.append(Diagnostic(file: name, line: line, "column \(column): the header is not UTF-8. Save the file as \"CSV UTF-8\"."))
            default: tableProblems.append(Diagnostic(file: name, line: 1, error.message))
            }
        } catch {
            tableProblems.append(Diagnostic(file: name, line: 1, "\(error)"))
        }
        return nil
    }

    mutating func readTargets(_ bytes: [UInt8], name: String, kinds: [String: Bool?], order: [String]) -> [String: [String: Target]] {
        var out: [String: [String: Target]] = [:]
        var lines: [String: Int] = [:]
        readTable(bytes, name: name, columns: CampaignFile.targetColumns) { r, header, problems in
            let area = r.text(header["area"], column: "area", into: &problems)
            let indicator = r.text(header["indicator"], column: "indicator", into: &problems)
            let text = r.text(header["target"], column: "target", into: &problems)
            guard let area else {
                problems.add(line: r.line, column: "area", "the area is empty. Give the code of the area the target is assigned to.")
                return
            }
            guard let indicator else {
                problems.add(line: r.line, column: "indicator", "the indicator is empty. Write the id of one of the campaign's indicators: \(order.joined(separator: ", ")).")
                return
            }
            guard let kind = kinds[indicator] else {
                let near = Spelling.suggestion(for: indicator, among: order)
                problems.add(line: r.line, column: "indicator", "\"\(indicator)\" is not an indicator of the campaign\(near.map { "; did you mean \"\($0)\"?" } ?? ".") Its indicators: \(order.joined(separator: ", ")).")
                return
            }
            guard let text else {
                problems.add(line: r.line, column: "target", "the target is empty. Write a share (85% or 0.85) or a count.")
                return
            }
            let key = area + "\u{0}" + indicator
            if let first = lines[key] {
                problems.add(line: r.line, "area \"\(area)\" already has a target for \"\(indicator)\" on line \(first). Keep one row.")
                return
            }
            lines[key] = r.line
            switch CampaignFile.target(text, hasDenominator: kind) {
            case .success(let target): out[indicator, default: [:]][area] = target
            case .failure(let problem): problems.add(line: r.line, column: "target", problem.text)
            }
        }
        return out
    }

    mutating func readBaselines(_ bytes: [UInt8], name: String, metrics: [String]) -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        var lines: [String: Int] = [:]
        readTable(bytes, name: name, columns: CampaignFile.baselineColumns) { r, header, problems in
            let area = r.text(header["area"], column: "area", into: &problems)
            let metric = r.text(header["metric"], column: "metric", into: &problems)
            let value = r.count(header["value"], column: "value", into: &problems)
            guard let area else {
                problems.add(line: r.line, column: "area", "the area is empty. Give the code of the area the count is for.")
                return
            }
            guard let metric else {
                problems.add(line: r.line, column: "metric", "the metric is empty. Write a metric code such as eid_l2.")
                return
            }
            guard metrics.contains(metric) else {
                let near = Spelling.suggestion(for: metric, among: metrics)
                problems.add(line: r.line, column: "metric", "\"\(metric)\" is not a metric\(near.map { "; did you mean \"\($0)\"?" } ?? ".") Use a built-in metric (\(Metric.codeList)) or one the campaign declares.")
                return
            }
            guard let value else {
                if !r.isBlank(header["value"]!) { return }  // Not a count: already reported.
                problems.add(line: r.line, column: "value", "the value is empty. Write the count before the campaign started (0 if none).")
                return
            }
            let key = area + "\u{0}" + metric
            if let first = lines[key] {
                problems.add(line: r.line, "area \"\(area)\" already has a baseline for \"\(metric)\" on line \(first). Keep one row.")
                return
            }
            lines[key] = r.line
            out[area, default: [:]][metric] = value
        }
        return out
    }

    /// Opens a table and runs `row` over each record of the right width; its problems, and a
    /// broken quote that ends the pass, join `tableProblems` in line order.
    mutating func readTable(_ bytes: [UInt8], name: String, columns: [String],
                            _ row: (CSVRecord, CSVHeader, inout DiagnosticList) -> Void) {
        guard let (reader, header) = openTable(bytes, name: name, columns: columns) else { return }
        var problems = DiagnosticList(file: name, limit: .max)
        var shape = DiagnosticList(file: name, limit: .max)
        let width = reader.header.count
        do {
            try shape.collecting(header: reader.header) { try reader.forEachRecord { r in
                guard r.checkWidth(width, into: &problems) else { return }
                row(r, header, &problems)
            } }
        } catch let error as UserFacingError {
            shape.add(line: 1, error.message)
        } catch {
            shape.add(line: 1, "\(error)")
        }
        problems.append(shape)
        problems.sortByLine()
        tableProblems += problems.items
    }

    // MARK: YAML errors

    mutating func addYAMLError(_ error: Error) {
        guard let error = error as? YamlError else {
            add(line: 1, "the file cannot be read as YAML (\(error)).")
            return
        }
        let advice = "Check the indentation (spaces, not tabs), the colon after each key, and the quotes."
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var text = "this is not valid YAML: \(problem)"
            if let context { text += " (\(context.text) on line \(context.mark.line))" }
            add(line: mark.line, text + ". " + advice)
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            add(line: context.mark.line, "\(duplicates.count == 1 ? "the key" : "the keys") \(keys) \(duplicates.count == 1 ? "is" : "are") given twice in the same mapping. Keep one of each.")
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { yaml.utf8.prefix($0).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) } } ?? 1
            add(line: line, "the file cannot be read: \(problem). Save it as UTF-8 text.")
        default:
            add(line: 1, "the file cannot be read as YAML (\(error)). " + advice)
        }
    }
}

private extension Node {
    /// The text of a scalar as written in the file (so `01` stays `01`), nil for anything else.
    var scalarText: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return nil
    }

    /// A plain `~`, `null` or nothing at all.
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The value for a message: a scalar in quotes, or what kind of node it is.
    var shown: String { scalarText.map { "\"\($0)\"" } ?? kindName }

    var kindName: String {
        switch self {
        case .scalar: return "a single value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
