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
                                      "indicators", "targets", "baselines", "approval", "lock_after_days",
                                      "report_deadline_days", "rules"]
    /// The keys of `period`.
    public static let periodKeys = ["start", "end"]
    /// The keys of a metric written as a mapping under `metrics:`.
    public static let metricKeys = ["code", "label", "label_en"]
    /// The keys of an indicator.
    public static let indicatorKeys = ["id", "label", "label_en", "numerator", "denominator", "target",
                                       "milestones", "rollup"]
    /// The words `denominator` accepts: an area attribute, or `none` for an absolute count.
    public static let denominatorWords = AreaAttributes.names + ["none"]
    /// The columns of the per-area targets table.
    public static let targetColumns = ["area", "indicator", "target"]
    /// The columns of the baselines table.
    public static let baselineColumns = ["area", "metric", "value"]
    /// The optional columns of the baselines table: where a row's figure comes from and its date.
    public static let baselineOptionalColumns = ["source", "as_of"]
    /// Column names of sessions.csv that a declared metric may not take.
    static let reservedMetricCodes = ["id", "date", "area", "team", "logged_by", "notes", "voided",
                                      "void_reason", "replaced_by"]

    /// A loader for campaigns that name no tables: any table it is asked for is a problem.
    public static func noFiles(_ path: String) throws -> [UInt8] {
        throw CampaignError.cannotRead(file: path, reason: .noFolder)
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
            throw ImportRejected(file: file, problems: [Diagnostic(file: file, line: 1, Phrase("campaigns.problem.not_utf8"))])
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

    /// Whether `path`, as a campaign file names a table, stays inside the campaign file's folder:
    /// relative, and never climbing above the folder with `..` (`tables/../targets.csv` is fine,
    /// `../../etc/passwd` and `/etc/passwd` are not). Symbolic links are the loader's to check.
    public static func staysInFolder(_ path: String) -> Bool {
        if path.hasPrefix("/") || path.hasPrefix("~") || path.contains("\\") { return false }
        var depth = 0
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == ".." { depth -= 1 } else if part != "." { depth += 1 }
            if depth < 0 { return false }
        }
        return true
    }

    /// Thrown by a loader for a table whose real location (symbolic links followed) is outside
    /// the campaign file's folder.
    public struct TableOutsideFolder: Error, Equatable, Sendable {
        public var path: String
        public init(path: String) { self.path = path }
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
        func problem(_ kind: TargetProblem.Kind) -> Result<Target, TargetProblem> { .failure(TargetProblem(kind: kind, text: text)) }
        if text.hasPrefix("-") { return problem(.negative) }
        if text.hasSuffix("%") {
            guard let percent = decimal(text.dropLast().trimmingCharacters(in: .whitespaces)) else { return problem(.notAPercentage) }
            if percent > 100 { return problem(.over100) }
            if hasDenominator == false { return problem(.shareWithoutDenominator) }
            return .success(.share(percent / 100))
        }
        if hasDenominator == false {
            switch CountParser.parse(text) {
            case .success(let count?): return .success(.count(count))
            case .success(nil): return problem(.empty)
            case .failure(let failure):
                if let fraction = decimal(text), fraction <= 1 { return problem(.shareWithoutDenominator) }
                return problem(.notACount(failure))
            }
        }
        if let fraction = decimal(text), fraction <= 1 { return .success(.share(fraction)) }
        if hasDenominator == nil, case .success(let count?) = CountParser.parse(text) { return .success(.count(count)) }
        return problem(.notAShare)
    }

    /// Why a target cannot be read.
    public struct TargetProblem: Error, Equatable, Sendable {
        /// What is wrong with it.
        public enum Kind: Equatable, Sendable {
            /// Below zero.
            case negative
            /// A `%` after something that is not a number.
            case notAPercentage
            /// A share over 100%.
            case over100
            /// A share (`50%`, `0.5`) for an indicator without a denominator.
            case shareWithoutDenominator
            /// Nothing, where a count is expected.
            case empty
            /// Not a count, where a count is expected.
            case notACount(CountParser.Failure)
            /// Neither a percentage nor a fraction from 0 to 1, where a share is expected.
            case notAShare
        }

        /// What is wrong.
        public var kind: Kind
        /// The target as written, without surrounding spaces.
        public var text: String

        /// What to tell the user. `key` names the target in a campaign file (`target "150%"`,
        /// `milestone 2026-06-30: target "150%"`); without it the target is shown alone, as in a
        /// table's target column (`"150%"`).
        public func phrase(key: Phrase? = nil) -> Phrase {
            let shown = key.map { Phrase("campaigns.target.named", ["text": text], parts: ["key": $0]) }
                ?? Phrase("campaigns.quoted", ["text": text])
            let parts = ["target": shown]
            switch kind {
            case .negative, .notACount(.negative): return Phrase("campaigns.target.negative", parts: parts)
            case .notAPercentage: return Phrase("campaigns.target.not_a_percentage", parts: parts)
            case .over100: return Phrase("campaigns.target.over_100", parts: parts)
            case .shareWithoutDenominator:
                return Phrase("campaigns.target.share_without_denominator",
                              ["attributes": AreaAttributes.names.joined(separator: ", ")], parts: parts)
            case .empty: return Phrase("campaigns.target.empty", parts: parts)
            case .notACount(.decimal): return Phrase("campaigns.target.not_whole", parts: parts)
            case .notACount(.notANumber): return Phrase("campaigns.target.not_a_number", parts: parts)
            case .notACount(.tooLarge): return Phrase("campaigns.target.too_large", parts: parts)
            case .notAShare: return Phrase("campaigns.target.not_a_share", parts: parts)
            }
        }
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
struct CampaignReader {
    let file: String
    let expectedID: String?
    /// Problems in the YAML file.
    var problems: [Diagnostic] = []
    /// Problems in the tables it names, in file order.
    var tableProblems: [Diagnostic] = []
    /// The indicator whose problems are being reported (`indicator "eid-l2": …`), waiting for
    /// its `problem` part.
    var context: Phrase? = nil
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

    mutating func add(_ node: Node?, _ problem: Phrase) {
        add(line: node?.mark?.line ?? 1, problem)
    }

    mutating func add(line: Int, _ problem: Phrase) {
        var phrase = problem
        if var context {
            context.parts["problem"] = problem
            phrase = context
        }
        problems.append(Diagnostic(file: file, line: line, phrase))
    }

    // MARK: The campaign

    mutating func read(_ text: String, load: CampaignFile.Loader) -> Campaign? {
        let version = ["version": String(CampaignFile.version)]
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            addYAMLError(error)
            return nil
        }
        guard let root else {
            add(line: 1, Phrase("campaigns.problem.empty_file", version))
            return nil
        }
        guard case .mapping(let top) = root else {
            add(root, Phrase("campaigns.problem.file_not_a_mapping"))
            return nil
        }
        guard readVersion(top, root) else { return nil }
        let fields = self.fields(root, of: Phrase("campaigns.what.campaign"), CampaignFile.campaignKeys)
        for (key, hint) in [("id", Phrase("campaigns.hint.id")), ("name", Phrase("campaigns.hint.name")),
                            ("scope", Phrase("campaigns.hint.scope")), ("period", Phrase("campaigns.hint.period")),
                            ("indicators", Phrase("campaigns.hint.indicators"))]
        where fields[key] == nil && !misspelt.contains(key) {
            add(root, Phrase("campaigns.problem.missing", ["key": key], parts: ["hint": hint]))
        }

        let id = fields["id"].flatMap { readID($0.value, key: .fileKey("id"), example: "de-an-06") }
        if let id, let expectedID, id != expectedID, let node = fields["id"]?.value {
            add(node, Phrase("campaigns.problem.id_not_file_name", ["id": id, "expected": expectedID]))
        }
        let name = fields["name"].flatMap { string($0.value, key: .fileKey("name")) }
        let nameEnglish = fields["name_en"].flatMap { string($0.value, key: .fileKey("name_en")) }
        let scope = fields["scope"].flatMap { string($0.value, key: .fileKey("scope")) }
        let period = fields["period"].flatMap { readPeriod($0.value) }
        let declared = fields["metrics"].map { readMetrics($0.value) } ?? []
        let extraMetrics = declared.map(\.code)
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
        var baselineSources: [String: [String: AreaSource]] = [:]
        if let (_, node) = fields["targets"], let (name, bytes) = loadTable(node, key: "targets", load: load) {
            areaTargets = readTargets(bytes, name: name, kinds: indicatorKinds, order: indicatorOrder)
        }
        if let (_, node) = fields["baselines"], let (name, bytes) = loadTable(node, key: "baselines", load: load) {
            (baselines, baselineSources) = readBaselines(bytes, name: name, metrics: knownMetrics)
        }

        var closing = ClosingRules()
        if let node = fields["approval"]?.value, let word = string(node, key: .fileKey("approval")) {
            if let kind = PeriodKind(rawValue: word) {
                closing.approval = kind
            } else {
                add(node, Phrase("campaigns.problem.approval.unknown", ["word": word]))
            }
        }
        if let node = fields["lock_after_days"]?.value {
            closing.lockAfterDays = days(node, key: "lock_after_days")
        }
        if let node = fields["report_deadline_days"]?.value, let n = days(node, key: "report_deadline_days") {
            closing.reportDeadlineDays = n
        }

        let rules = fields["rules"].map { readRules($0.value, metrics: knownMetrics) } ?? []

        guard problems.isEmpty, tableProblems.isEmpty, let id, let name, let scope, let period else { return nil }
        return Campaign(id: id, name: name, nameEnglish: nameEnglish, scope: scope, start: period.start, end: period.end,
                        indicators: indicators, extraMetrics: extraMetrics, areaTargets: areaTargets, baselines: baselines,
                        baselineSources: baselineSources,
                        metricNames: Dictionary(uniqueKeysWithValues: declared.compactMap { m in m.name.map { (m.code, $0) } }),
                        closing: closing, rules: rules)
    }

    /// Checks that `version: 1` comes first. False when the file is for a newer format: its
    /// other keys would only give misleading messages.
    mutating func readVersion(_ top: Node.Mapping, _ root: Node) -> Bool {
        let version = ["version": String(CampaignFile.version)]
        guard let index = top.firstIndex(where: { $0.key.scalarText == "version" }) else {
            add(root, Phrase("campaigns.problem.version.missing", version))
            return true
        }
        let (key, value) = top[index]
        if index != top.startIndex {
            add(key, Phrase("campaigns.problem.version.not_first", version))
        }
        guard let text = value.scalarText, let number = Int(text), number >= 1 else {
            add(value, Phrase("campaigns.problem.version.invalid", version, parts: ["shown": .shown(value)]))
            return true
        }
        if number > CampaignFile.version {
            add(value, Phrase("campaigns.problem.version.newer", ["version": String(CampaignFile.version), "number": String(number)]))
            return false
        }
        return true
    }

    // MARK: Values

    /// The pairs of mapping `node` by key; reports keys not in `accepted`, with the nearest one.
    /// `what` names the mapping: a campaign, the period, an indicator.
    mutating func fields(_ node: Node, of what: Phrase, _ accepted: [String]) -> [String: (key: Node, value: Node)] {
        let keys = accepted.joined(separator: ", ")
        guard case .mapping(let mapping) = node else {
            add(node, Phrase("campaigns.problem.not_a_mapping", ["keys": keys], parts: ["what": what, "kind": .kind(of: node)]))
            return [:]
        }
        var out: [String: (key: Node, value: Node)] = [:]
        misspelt = []
        for (key, value) in mapping {
            guard let name = key.scalarText else {
                add(key, Phrase("campaigns.problem.key_not_a_word", parts: ["kind": .kind(of: key)]))
                continue
            }
            guard accepted.contains(name) else {
                if let near = Spelling.suggestion(for: name, among: accepted) {
                    misspelt.insert(near)
                    add(key, Phrase("campaigns.problem.unknown_key.near", ["key": name, "near": near], parts: ["what": what]))
                } else {
                    add(key, Phrase("campaigns.problem.unknown_key", ["key": name, "keys": keys], parts: ["what": what]))
                }
                continue
            }
            out[name] = (key, value)
        }
        return out
    }

    /// A single non-empty value, NFC with surrounding spaces removed. `key` names it in messages.
    mutating func string(_ node: Node, key: Phrase) -> String? {
        guard case .scalar(let scalar) = node else {
            add(node, Phrase("campaigns.problem.not_single", parts: ["key": key, "kind": .kind(of: node)]))
            return nil
        }
        let text = TextFolding.normalizedName(scalar.string)
        if text.isEmpty || node.isNull {
            add(node, Phrase("campaigns.problem.no_value", parts: ["key": key]))
            return nil
        }
        return text
    }

    /// An id: lower-case letters, digits, `-` and `_` (it is typed on the command line).
    mutating func readID(_ node: Node, key: Phrase, example: String) -> String? {
        guard let id = string(node, key: key) else { return nil }
        let valid = id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        guard valid, id.first != "-" else {
            add(node, Phrase("campaigns.problem.bad_id", ["id": id, "example": example], parts: ["key": key]))
            return nil
        }
        return id
    }

    /// A number of days: a whole number from 0 to 366.
    mutating func days(_ node: Node, key: String) -> Int? {
        guard let text = string(node, key: .fileKey(key)) else { return nil }
        guard let n = Int(text), (0...366).contains(n) else {
            add(node, Phrase("campaigns.problem.days", ["key": key, "text": text]))
            return nil
        }
        return n
    }

    mutating func date(_ node: Node, key: Phrase) -> Day? {
        guard let text = string(node, key: key) else { return nil }
        guard let day = Day(parsing: text) else {
            add(node, Phrase("campaigns.problem.not_a_date", ["text": text], parts: ["key": key]))
            return nil
        }
        return day
    }

    /// A list of single values under `key`; a single value is a list of one.
    mutating func list(_ node: Node, key: String) -> [(Node, String)] {
        switch node {
        case .scalar:
            return string(node, key: .fileKey(key)).map { [(node, $0)] } ?? []
        case .sequence(let sequence):
            var out: [(Node, String)] = []
            for item in sequence {
                if let text = string(item, key: Phrase("campaigns.subject.item", ["key": key])) { out.append((item, text)) }
            }
            return out
        default:
            add(node, Phrase("campaigns.problem.not_a_list", parts: ["key": .fileKey(key), "kind": .kind(of: node)]))
            return []
        }
    }

    // MARK: Parts of the campaign

    mutating func readPeriod(_ node: Node) -> (start: Day, end: Day)? {
        let fields = self.fields(node, of: Phrase("campaigns.what.period"), CampaignFile.periodKeys)
        guard case .mapping = node else { return nil }
        for key in CampaignFile.periodKeys where fields[key] == nil && !misspelt.contains(key) {
            add(node, Phrase("campaigns.problem.period.missing", ["key": key]))
        }
        let start = fields["start"].flatMap { date($0.value, key: .fileKey("start")) }
        let end = fields["end"].flatMap { date($0.value, key: .fileKey("end")) }
        guard let start, let end else { return nil }
        if end < start {
            add(fields["end"]!.value, Phrase("campaigns.problem.period.reversed", days: ["start": start, "end": end]))
            return nil
        }
        return (start, end)
    }

    /// The metrics under `metrics:`: each a code (`dvc_submitted`), or a mapping with the code
    /// and the names people read (`{code: dvc_submitted, label: Hồ sơ DVC đã nộp, label_en: …}`).
    mutating func readMetrics(_ node: Node) -> [(code: String, name: MetricName?)] {
        var items: [(Node, String, MetricName?)] = []
        switch node {
        case .sequence(let sequence):
            for item in sequence {
                if case .mapping = item {
                    if let metric = readNamedMetric(item) { items.append((item, metric.code, metric.name)) }
                } else if let code = string(item, key: Phrase("campaigns.subject.item", ["key": "metrics"])) {
                    items.append((item, code, nil))
                }
            }
        case .mapping:
            if let metric = readNamedMetric(node) { items.append((node, metric.code, metric.name)) }
        default:
            items = list(node, key: "metrics").map { ($0.0, $0.1, nil) }
        }
        var out: [(code: String, name: MetricName?)] = []
        var lines: [String: Int] = [:]
        for (item, code, name) in items {
            let valid = code.unicodeScalars.first.map { ("a"..."z").contains($0) } == true
                && code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            if !valid {
                add(item, Phrase("campaigns.problem.metric.bad_code", ["code": code]))
            } else if Metric(code: code) != nil {
                add(item, Phrase("campaigns.problem.metric.built_in", ["code": code]))
            } else if CampaignFile.reservedMetricCodes.contains(code) {
                add(item, Phrase("campaigns.problem.metric.reserved", ["code": code]))
            } else if let first = lines[code] {
                add(item, Phrase("campaigns.problem.metric.twice", ["code": code], counts: ["line": first]))
            } else {
                lines[code] = item.mark?.line ?? 1
                out.append((code, name))
            }
        }
        return out
    }

    /// A metric written as a mapping: its code, and its label (required there) and English label.
    mutating func readNamedMetric(_ node: Node) -> (code: String, name: MetricName?)? {
        let fields = self.fields(node, of: Phrase("campaigns.what.metric"), CampaignFile.metricKeys)
        for key in ["code", "label"] where fields[key] == nil && !misspelt.contains(key) {
            add(node, Phrase("campaigns.problem.metric.missing", ["key": key]))
        }
        guard let code = fields["code"].flatMap({ string($0.value, key: .fileKey("code")) }) else { return nil }
        let label = fields["label"].flatMap { string($0.value, key: .fileKey("label")) }
        let english = fields["label_en"].flatMap { string($0.value, key: .fileKey("label_en")) }
        return (code, label.map { MetricName(label: $0, labelEnglish: english) })
    }

    mutating func readIndicators(_ node: Node, metrics: [String], period: (start: Day, end: Day)?,
                                 kinds: inout [String: Bool?], order: inout [String]) -> [Indicator] {
        guard case .sequence(let items) = node else {
            add(node, Phrase("campaigns.problem.indicators.not_a_list", parts: ["kind": .kind(of: node)]))
            return []
        }
        if items.isEmpty { add(node, Phrase("campaigns.problem.indicators.empty")) }
        var out: [Indicator] = []
        var lines: [String: Int] = [:]
        for (n, item) in items.enumerated() {
            let (indicator, id, hasDenominator) = readIndicator(item, number: n + 1, metrics: metrics, period: period)
            guard let id else { continue }
            if let first = lines[id] {
                add(item, Phrase("campaigns.problem.indicator.id_twice", ["id": id], counts: ["line": first]))
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
        let fields = self.fields(node, of: Phrase("campaigns.what.indicator"), CampaignFile.indicatorKeys)
        guard case .mapping = node else { return (nil, nil, nil) }
        let id = fields["id"].flatMap { readID($0.value, key: Phrase("campaigns.subject.indicator_id"), example: "eid-l2") }
        context = id.map { Phrase("campaigns.problem.in_indicator", ["id": $0]) }
            ?? Phrase("campaigns.problem.in_indicator.number", counts: ["number": number])
        defer { context = nil }
        for (key, hint) in [("id", Phrase("campaigns.hint.indicator_id")), ("label", Phrase("campaigns.hint.label")),
                            ("numerator", Phrase("campaigns.hint.numerator")),
                            ("denominator", Phrase("campaigns.hint.denominator",
                                                   ["words": CampaignFile.denominatorWords.joined(separator: " | ")])),
                            ("target", Phrase("campaigns.hint.target"))]
        where fields[key] == nil && !misspelt.contains(key) {
            add(node, Phrase("campaigns.problem.indicator.missing", ["key": key], parts: ["hint": hint]))
        }
        let label = fields["label"].flatMap { string($0.value, key: .fileKey("label")) }
        let labelEnglish = fields["label_en"].flatMap { string($0.value, key: .fileKey("label_en")) }
        let numerator = fields["numerator"].map { readNumerator($0.value, metrics: metrics) } ?? []

        var denominatorRead = false
        var denominator: String? = nil
        if let node = fields["denominator"]?.value, let word = string(node, key: .fileKey("denominator")) {
            if CampaignFile.denominatorWords.contains(word) {
                denominatorRead = true
                denominator = word == "none" ? nil : word
            } else {
                let attributes = AreaAttributes.names.joined(separator: ", ")
                if let near = Spelling.suggestion(for: word, among: CampaignFile.denominatorWords) {
                    add(node, Phrase("campaigns.problem.denominator.unknown.near", ["word": word, "near": near, "attributes": attributes]))
                } else {
                    add(node, Phrase("campaigns.problem.denominator.unknown", ["word": word, "attributes": attributes]))
                }
            }
        }
        let hasDenominator: Bool? = denominatorRead ? denominator != nil : nil

        var target: Target? = nil
        if let node = fields["target"]?.value {
            target = readTarget(node, key: Phrase("campaigns.subject.target"), hasDenominator: hasDenominator)
        }
        var milestones: [Milestone] = []
        if let node = fields["milestones"]?.value {
            milestones = readMilestones(node, hasDenominator: hasDenominator, period: period)
        }
        var rollUp = RollUpMode.ratio
        if let node = fields["rollup"]?.value, let word = string(node, key: .fileKey("rollup")) {
            if let mode = RollUpMode(rawValue: word) {
                rollUp = mode
                if mode == .mean && hasDenominator == false {
                    add(node, Phrase("campaigns.problem.rollup.mean_without_denominator"))
                }
            } else if let near = Spelling.suggestion(for: word, among: RollUpMode.allCases.map(\.rawValue)) {
                add(node, Phrase("campaigns.problem.rollup.unknown.near", ["word": word, "near": near]))
            } else {
                add(node, Phrase("campaigns.problem.rollup.unknown", ["word": word]))
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
        if items.isEmpty, case .sequence = node { add(node, Phrase("campaigns.problem.numerator.empty")) }
        var out: [String] = []
        for (item, code) in items {
            if !metrics.contains(code) {
                if let near = Spelling.suggestion(for: code, among: metrics) {
                    add(item, Phrase("campaigns.problem.numerator.unknown.near", ["code": code, "near": near, "codes": Metric.codeList]))
                } else {
                    add(item, Phrase("campaigns.problem.numerator.unknown", ["code": code, "codes": Metric.codeList]))
                }
            } else if out.contains(code) {
                add(item, Phrase("campaigns.problem.numerator.twice", ["code": code]))
            } else {
                out.append(code)
            }
        }
        return out
    }

    /// A target; `key` names it in messages (`target`, `milestone 2026-06-30: target`).
    mutating func readTarget(_ node: Node, key: Phrase, hasDenominator: Bool?) -> Target? {
        guard let text = string(node, key: key) else { return nil }
        switch CampaignFile.target(text, hasDenominator: hasDenominator) {
        case .success(let target): return target
        case .failure(let problem):
            add(node, problem.phrase(key: key))
            return nil
        }
    }

    mutating func readMilestones(_ node: Node, hasDenominator: Bool?, period: (start: Day, end: Day)?) -> [Milestone] {
        if node.isNull { return [] }
        guard case .mapping(let mapping) = node else {
            add(node, Phrase("campaigns.problem.milestones.not_a_mapping", parts: ["kind": .kind(of: node)]))
            return []
        }
        var out: [Milestone] = []
        var lines: [Day: Int] = [:]
        for (key, value) in mapping {
            guard let day = date(key, key: Phrase("campaigns.subject.milestone")) else { continue }
            if let first = lines[day] {
                add(key, Phrase("campaigns.problem.milestone.twice", days: ["day": day], counts: ["line": first]))
                continue
            }
            lines[day] = key.mark?.line ?? 1
            if let period, day < period.start || day > period.end {
                add(key, Phrase("campaigns.problem.milestone.outside", days: ["day": day, "start": period.start, "end": period.end]))
                continue
            }
            if let target = readTarget(value, key: Phrase("campaigns.subject.milestone_target", days: ["day": day]),
                                       hasDenominator: hasDenominator) {
                out.append(Milestone(day: day, target: target))
            }
        }
        return out.sorted { $0.day < $1.day }
    }

    // MARK: Tables

    /// The display name and bytes of the table that `node` names, or nil after a problem.
    mutating func loadTable(_ node: Node, key: String, load: CampaignFile.Loader) -> (String, [UInt8])? {
        guard let path = string(node, key: .fileKey(key)) else { return nil }
        guard CampaignFile.staysInFolder(path) else {
            add(node, Phrase("campaigns.problem.table.outside", ["key": key, "path": path]))
            return nil
        }
        do {
            return (CampaignFile.tableName(path, nextTo: file), try load(path))
        } catch is CampaignFile.TableOutsideFolder {
            add(node, Phrase("campaigns.problem.table.outside", ["key": key, "path": path]))
            return nil
        } catch {
            let problem = Phrase("campaigns.problem.table.cannot_read", ["key": key, "path": path])
            add(node, problem.with(reason: error))
            return nil
        }
    }

    /// Opens a table, turning problems with its shape into diagnostics.
    mutating func openTable(_ bytes: [UInt8], name: String, columns: [String], optional: [String]) -> (CSVReader, CSVHeader)? {
        var shape = DiagnosticList(file: name, limit: .max)
        var opened: (CSVReader, CSVHeader)? = nil
        var notATable: Int? = nil
        do {
            // A broken quote on the header line is a problem like the others.
            try shape.collecting {
                let reader = try CSVReader(bytes: bytes, name: name)
                // Not a table of this kind at all (a path to some other file): say so without
                // quoting its first line, and read no further.
                guard reader.header.contains(where: columns.contains) else { notATable = reader.headerLine; return }
                opened = (reader, try CSVHeader(reader.header, file: name, line: reader.headerLine, required: columns, optional: optional))
            }
            if let line = notATable {
                shape.add(line: line, Phrase("campaigns.problem.table.not_a_table", ["columns": columns.joined(separator: ",")]))
            }
        } catch let rejected as ImportRejected {
            tableProblems += rejected.problems
        } catch let error as CSVError {
            switch error {
            case .empty: shape.add(line: 1, Phrase("campaigns.problem.table.empty", ["columns": columns.joined(separator: ",")]))
            case .utf16: shape.add(line: 1, Phrase("campaigns.problem.table.utf16"))
            case let .invalidUTF8(_, line, column):
                shape.add(line: line, Phrase("campaigns.problem.table.header_not_utf8", ["position": String(column)]))
            default: shape.add(line: 1, Phrase("campaigns.problem.table.unreadable").with(reason: error))
            }
        } catch {
            shape.add(line: 1, Phrase("campaigns.problem.table.unreadable").with(reason: error))
        }
        tableProblems += shape.items
        return opened
    }

    mutating func readTargets(_ bytes: [UInt8], name: String, kinds: [String: Bool?], order: [String]) -> [String: [String: Target]] {
        var out: [String: [String: Target]] = [:]
        var lines: [String: Int] = [:]
        let ids = order.joined(separator: ", ")
        readTable(bytes, name: name, columns: CampaignFile.targetColumns) { r, header, problems in
            let area = r.text(header["area"], column: "area", into: &problems)
            let indicator = r.text(header["indicator"], column: "indicator", into: &problems)
            let text = r.text(header["target"], column: "target", into: &problems)
            guard let area else {
                problems.add(line: r.line, column: "area", Phrase("campaigns.problem.targets.no_area"))
                return
            }
            guard let indicator else {
                problems.add(line: r.line, column: "indicator", Phrase("campaigns.problem.targets.no_indicator", ["ids": ids]))
                return
            }
            guard let kind = kinds[indicator] else {
                if let near = Spelling.suggestion(for: indicator, among: order) {
                    problems.add(line: r.line, column: "indicator",
                                 Phrase("campaigns.problem.targets.unknown_indicator.near", ["id": indicator, "near": near, "ids": ids]))
                } else {
                    problems.add(line: r.line, column: "indicator",
                                 Phrase("campaigns.problem.targets.unknown_indicator", ["id": indicator, "ids": ids]))
                }
                return
            }
            guard let text else {
                problems.add(line: r.line, column: "target", Phrase("campaigns.problem.targets.no_target"))
                return
            }
            let key = area + "\u{0}" + indicator
            if let first = lines[key] {
                problems.add(line: r.line, Phrase("campaigns.problem.targets.twice", ["area": area, "indicator": indicator],
                                                  counts: ["line": first]))
                return
            }
            lines[key] = r.line
            switch CampaignFile.target(text, hasDenominator: kind) {
            case .success(let target): out[indicator, default: [:]][area] = target
            case .failure(let problem): problems.add(line: r.line, column: "target", problem.phrase())
            }
        }
        return out
    }

    /// The baselines by area and metric, and where each row that says so comes from (`source`,
    /// `as_of`).
    mutating func readBaselines(_ bytes: [UInt8], name: String, metrics: [String])
        -> ([String: [String: Int]], [String: [String: AreaSource]]) {
        var out: [String: [String: Int]] = [:]
        var sources: [String: [String: AreaSource]] = [:]
        var lines: [String: Int] = [:]
        readTable(bytes, name: name, columns: CampaignFile.baselineColumns, optional: CampaignFile.baselineOptionalColumns) { r, header, problems in
            let area = r.text(header["area"], column: "area", into: &problems)
            let metric = r.text(header["metric"], column: "metric", into: &problems)
            let value = r.count(header["value"], column: "value", into: &problems)
            let sourceName = r.text(header["source"], column: "source", into: &problems)
            let sourceDay = r.rosterDay(header["as_of"], column: "as_of", into: &problems)
            guard let area else {
                problems.add(line: r.line, column: "area", Phrase("campaigns.problem.baselines.no_area"))
                return
            }
            guard let metric else {
                problems.add(line: r.line, column: "metric", Phrase("campaigns.problem.baselines.no_metric"))
                return
            }
            guard metrics.contains(metric) else {
                if let near = Spelling.suggestion(for: metric, among: metrics) {
                    problems.add(line: r.line, column: "metric",
                                 Phrase("campaigns.problem.baselines.unknown_metric.near", ["code": metric, "near": near, "codes": Metric.codeList]))
                } else {
                    problems.add(line: r.line, column: "metric",
                                 Phrase("campaigns.problem.baselines.unknown_metric", ["code": metric, "codes": Metric.codeList]))
                }
                return
            }
            guard let value else {
                if !r.isBlank(header["value"]!) { return }  // Not a count: already reported.
                problems.add(line: r.line, column: "value", Phrase("campaigns.problem.baselines.no_value"))
                return
            }
            let key = area + "\u{0}" + metric
            if let first = lines[key] {
                problems.add(line: r.line, Phrase("campaigns.problem.baselines.twice", ["area": area, "metric": metric],
                                                  counts: ["line": first]))
                return
            }
            lines[key] = r.line
            out[area, default: [:]][metric] = value
            if sourceName != nil || sourceDay != nil { sources[area, default: [:]][metric] = AreaSource(source: sourceName, asOf: sourceDay) }
        }
        return (out, sources)
    }

    /// Opens a table and runs `row` over each record of the right width; its problems, and a
    /// broken quote that ends the pass, join `tableProblems` in line order.
    mutating func readTable(_ bytes: [UInt8], name: String, columns: [String], optional: [String] = [],
                            _ row: (CSVRecord, CSVHeader, inout DiagnosticList) -> Void) {
        guard let (reader, header) = openTable(bytes, name: name, columns: columns, optional: optional) else { return }
        var problems = DiagnosticList(file: name, limit: .max)
        var shape = DiagnosticList(file: name, limit: .max)
        let width = reader.header.count
        do {
            try shape.collecting(header: reader.header) { try reader.forEachRecord { r in
                guard r.checkWidth(width, into: &problems) else { return }
                row(r, header, &problems)
            } }
        } catch {
            shape.add(line: 1, Phrase("campaigns.problem.table.unreadable").with(reason: error))
        }
        problems.append(shape)
        problems.sortByLine()
        tableProblems += problems.items
    }

    // MARK: YAML errors

    mutating func addYAMLError(_ error: Error) {
        guard let error = error as? YamlError else {
            add(line: 1, Phrase("campaigns.problem.yaml.unreadable", ["reason": "\(error)"]))
            return
        }
        // The parser's own words (`found a tab character …`) are English in every language.
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            if let context {
                add(line: mark.line, Phrase("campaigns.problem.yaml.invalid.context", ["problem": problem, "context": context.text],
                                            counts: ["line": context.mark.line]))
            } else {
                add(line: mark.line, Phrase("campaigns.problem.yaml.invalid", ["problem": problem]))
            }
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = ["keys": duplicates.map { "\"\($0)\"" }.joined(separator: ", ")]
            add(line: context.mark.line, duplicates.count == 1 ? Phrase("campaigns.problem.yaml.duplicate_key", keys)
                                                               : Phrase("campaigns.problem.yaml.duplicate_keys", keys))
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { yaml.utf8.prefix($0).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) } } ?? 1
            add(line: line, Phrase("campaigns.problem.yaml.reader", ["problem": problem]))
        default:
            add(line: 1, Phrase("campaigns.problem.yaml.unreadable.advice", ["reason": "\(error)"]))
        }
    }
}

extension Phrase {
    /// A key of the campaign file, named as it is written (`scope`).
    static func fileKey(_ name: String) -> Phrase { Phrase("campaigns.subject.key", ["key": name]) }

    /// What kind of YAML value `node` is: a single value, a mapping, a list.
    static func kind(of node: Node) -> Phrase {
        switch node {
        case .scalar: Phrase("campaigns.yaml.scalar")
        case .mapping: Phrase("campaigns.yaml.mapping")
        case .sequence: Phrase("campaigns.yaml.sequence")
        case .alias: Phrase("campaigns.yaml.alias")
        }
    }

    /// A value as written, in quotes, or what kind of value it is when it is not a single value.
    static func shown(_ node: Node) -> Phrase {
        node.scalarText.map { Phrase("campaigns.quoted", ["text": $0]) } ?? kind(of: node)
    }

    /// This phrase with its `{reason}`: why a file could not be read, in any language when the
    /// reason is known, else in the words of the error (English).
    func with(reason error: Error) -> Phrase {
        var phrase = self
        switch error {
        case let CampaignError.cannotRead(_, reason): phrase.parts["reason"] = reason.phrase
        case let error as UserFacingError: phrase.values["reason"] = error.message
        default: phrase.values["reason"] = "\(error)"
        }
        return phrase
    }
}

extension Node {
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
}
