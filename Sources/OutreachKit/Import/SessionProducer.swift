import Foundation

// The engine-neutral half of `sessions import`: a reading thread parses and validates a
// sessions file into batches of flat arrays, handed through `BatchQueue` to the engine's
// writer (SQLite's `SessionLoader`, PostgreSQL's COPY in `PostgresWorkspace+SessionImport`).

/// Helpers of `sessions import` that both engines use.
enum SessionImport {
    /// Reports every id given on more than one row of the file read by `reader` (its id column
    /// at `column`), with the line of its first row. Only on the way to refusing a file: the
    /// table of ids read takes 20 bytes a row.
    static func reportRepeatedIDs(in reader: CSVReader, column: Int, into problems: inout DiagnosticList) {
        var firstLines = SessionIDTable()
        defer { firstLines.deallocate() }
        if let total = reader.totalBytes { firstLines.reserve(Int(total / 100)) }
        let uuid = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
        defer { uuid.deallocate() }
        // A record the first reading could not parse (a quote never closed) ends this one too:
        // its problem is reported already.
        try? reader.forEachRecord { r in
            guard column < r.count, !r.isBlank(column), SessionID.parse(r.bytes(column).trimmed, into: uuid) else { return }
            guard let first = firstLines.claim(uuid, line: r.line) else { return }
            problems.add(line: r.line, column: "id", Phrase("sessions.error.repeated_id", [
                "id": SessionID.format(Array(UnsafeBufferPointer(start: uuid, count: 16))), "first": String(first),
                "line": String(r.line)]))
        }
    }

    /// The campaign counts of a stored session, from metric and value pairs separated by the
    /// ASCII unit and record separators (nil: none).
    static func storedCounts(_ list: String?) -> [String: Int] {
        var out: [String: Int] = [:]
        for pair in (list ?? "").split(separator: "\u{1E}") {
            let parts = pair.split(separator: "\u{1F}", omittingEmptySubsequences: false)
            guard parts.count == 2, let value = Int(parts[1]) else { continue }
            out[String(parts[0])] = value
        }
        return out
    }
}

/// Where a text cell lies in a batch's arena; `start < 0` for none.
struct TextRange {
    var start: Int
    var count: Int
    static let none = TextRange(start: -1, count: 0)
}

/// A recorded count of a campaign metric in a batch: the row, the metric (an index of the
/// loader's `campaignMetrics`) and the value.
struct CampaignCount {
    var row: Int32
    var metric: Int32
    var value: Int
}

/// Validated rows waiting to be inserted, as flat arrays. Moved between the two threads whole,
/// so each side works on a value it owns.
struct SessionBatch {
    static let capacity = 4096
    var count = 0
    var lines: [Int] = []
    /// Whether the row had no id: its id is its row key (RowKey.swift).
    var keyed: [Bool] = []
    var uuids: [UInt8] = []
    var days: [Int] = []
    var areas: [Int64] = []
    /// Team ids, -1 for none.
    var teams: [Int64] = []
    var metrics: [Int] = []
    var recorded: [Bool] = []
    var text: [UInt8] = []
    var loggedBy: [TextRange] = []
    var notes: [TextRange] = []
    /// The campaign metrics' recorded counts, in row order (empty for a file without such columns).
    var campaignCounts: [CampaignCount] = []

    mutating func reset() {
        count = 0
        lines.removeAll(keepingCapacity: true)
        keyed.removeAll(keepingCapacity: true)
        uuids.removeAll(keepingCapacity: true)
        days.removeAll(keepingCapacity: true)
        areas.removeAll(keepingCapacity: true)
        teams.removeAll(keepingCapacity: true)
        metrics.removeAll(keepingCapacity: true)
        recorded.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        loggedBy.removeAll(keepingCapacity: true)
        notes.removeAll(keepingCapacity: true)
        campaignCounts.removeAll(keepingCapacity: true)
    }

    /// Copies a text cell into the arena.
    mutating func store(_ field: TextField) -> TextRange {
        switch field {
        case .absent:
            return .none
        case .raw(let bytes):
            let start = text.count
            text.append(contentsOf: bytes)
            return TextRange(start: start, count: bytes.count)
        case .normalized(let string):
            let start = text.count
            text.append(contentsOf: string.utf8)
            return TextRange(start: start, count: text.count - start)
        }
    }
}

/// Hands batches from the reading thread to the database thread and back.
final class BatchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [SessionBatch] = []
    private var spare: [SessionBatch]
    private var finished = false
    private var cancelled = false
    private var outcome = ProducerResult()

    init(batches: Int) {
        spare = (0..<batches).map { _ in SessionBatch() }
    }

    /// The reading side: an empty batch to fill (waits while all are in use); nil once cancelled.
    func empty() -> SessionBatch? {
        condition.lock()
        defer { condition.unlock() }
        while spare.isEmpty && !cancelled { condition.wait() }
        return cancelled ? nil : spare.removeLast()
    }

    /// The reading side: a filled batch for the database thread.
    func put(_ batch: SessionBatch) {
        condition.lock()
        ready.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// The reading side: no more batches; `result` is what the reading found.
    func finish(_ result: ProducerResult) {
        condition.lock()
        outcome = result
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The database side: the next filled batch, or nil when the reading has finished.
    func take() -> SessionBatch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    /// The database side: gives an inserted batch back for reuse.
    func recycle(_ batch: SessionBatch) {
        var batch = batch
        batch.reset()
        condition.lock()
        spare.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// The database side: stop the reading early (after a database error).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// What the reading thread found; valid once `take()` returned nil.
    func result() -> ProducerResult {
        condition.lock()
        defer { condition.unlock() }
        return outcome
    }
}

/// What the reading thread reports when it is done.
struct ProducerResult {
    var rows = 0
    var problems = DiagnosticList(file: "")
    var warnings: [Warning] = []
    var warningCount = 0
    var maskedNumbers = 0
    var error: (any Error)? = nil
}

/// The reading thread: parses and validates records into batches.
final class SessionProducer: @unchecked Sendable {
    let queue = BatchQueue(batches: 3)
    let reader: CSVReader
    let header: CSVHeader
    /// The campaign metrics that are columns of the file.
    let campaignMetrics: [String]
    let today: Day
    let areas: AreaFactsTable
    let teams: TeamFactsTable
    let problemLimit: Int
    let progress: ImportProgress?
    var hasIDColumn: Bool { header["id"] != nil }
    let warningLimit = 50
    /// The session rules of the recorder that creates the producer (read on its task: the
    /// reading thread has no task-local values).
    let rules: CompiledRules

    init(reader: CSVReader, header: CSVHeader, campaignMetrics: [String], today: Day,
         areas: AreaFactsTable, teams: TeamFactsTable, problemLimit: Int, progress: ImportProgress?) {
        self.reader = reader
        self.header = header
        self.campaignMetrics = campaignMetrics
        self.today = today
        self.areas = areas
        self.teams = teams
        self.problemLimit = problemLimit
        self.progress = progress
        self.rules = CompiledRules(Recorder.current.sessionRules, slots: RuleSlots(campaignMetrics: campaignMetrics),
                                   scopeID: areas.id(ofCode:))
    }

    func run() {
        var result = ProducerResult()
        do {
            try read(into: &result)
        } catch {
            result.error = error
        }
        queue.finish(result)
    }

    private func read(into result: inout ProducerResult) throws {
        let file = reader.name
        let width = reader.header.count
        let idAt = header["id"] ?? -1, dateAt = header["date"]!, areaAt = header["area"]!
        let teamAt = header["team"] ?? -1, byAt = header["logged_by"] ?? -1, notesAt = header["notes"] ?? -1
        let metricAt = Metric.allCases.map { header[$0.code] ?? -1 }
        let metricCount = MetricValues.width
        let campaignMetrics = self.campaignMetrics
        let campaignAt = campaignMetrics.map { header[$0]! }
        // This row's campaign counts, until the row is known to be valid.
        var counts: [CampaignCount] = []
        let uuid = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
        let values = UnsafeMutablePointer<Int>.allocate(capacity: metricCount)
        let recorded = UnsafeMutablePointer<Bool>.allocate(capacity: metricCount)
        defer { uuid.deallocate(); values.deallocate(); recorded.deallocate() }
        values.initialize(repeating: 0, count: metricCount)
        recorded.initialize(repeating: false, count: metricCount)

        var problems = DiagnosticList(file: file, limit: problemLimit)
        var warnings: [Warning] = []
        var warningCount = 0
        var maskedNumbers = 0
        var rows = 0
        let areas = self.areas, teams = self.teams, today = self.today, warningLimit = self.warningLimit
        let rules = self.rules
        // A row's values as the rules read them: NaN for missing, and with 0 for missing.
        var ruleRaw = [Double](repeating: .nan, count: rules.slots.width)
        var ruleZeroed = ruleRaw
        // Rows without id: their content, its occurrences so far, and the campaign metrics by code.
        var content = RowKeyContent()
        var occurrences = OccurrenceTable()
        defer { occurrences.deallocate() }
        let campaignByCode = campaignMetrics.indices.sorted { campaignMetrics[$0] < campaignMetrics[$1] }
        let total = reader.totalBytes
        let progress = self.progress
        func warn(_ line: Int, _ phrase: Phrase) {
            warningCount += 1
            if warnings.count < warningLimit { warnings.append(Warning(file: file, line: line, phrase)) }
        }
        guard var batch = queue.empty() else { return }
        var cancelled = false
        var csvProblems = DiagnosticList(file: file)
        try csvProblems.collecting(header: reader.header) { try reader.forEachRecord { r in
            if cancelled { return }
            rows += 1
            if let progress, rows & 0xFFFF == 0 { progress(r.offset, total, rows) }
            guard r.checkWidth(width, into: &problems) else { return }
            var ok = true
            let line = r.line

            let dateBytes = r.bytes(dateAt).trimmed
            var day = 0
            if dateBytes.isEmpty {
                problems.add(line: line, column: "date", Phrase("sessions.error.empty_date"))
                ok = false
            } else if let d = Day(bytes: dateBytes) {
                day = d.number
            } else {
                problems.add(line: r.line(ofField: dateAt), column: "date", Phrase("csv.error.not_a_date", ["text": dateBytes.text]))
                ok = false
            }

            let areaBytes = r.bytes(areaAt).trimmed
            let area = areas[areaBytes]
            if area == nil {
                if areaBytes.isEmpty {
                    problems.add(line: line, column: "area", Phrase("sessions.error.empty_area"))
                } else {
                    problems.add(line: line, column: "area", Phrase("areas.error.not_found", ["area": areaBytes.text]))
                }
                ok = false
            }

            var team: TeamFacts? = nil
            var teamBytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            if teamAt >= 0 {
                teamBytes = r.bytes(teamAt).trimmed
                if !teamBytes.isEmpty {
                    team = teams[teamBytes]
                    if team == nil {
                        problems.add(line: line, column: "team", Phrase("sessions.error.unknown_team", ["team": teamBytes.text]))
                        ok = false
                    }
                }
            }

            let keyed = idAt < 0 || r.isBlank(idAt)
            if !keyed {
                let idBytes = r.bytes(idAt).trimmed
                if !SessionID.parse(idBytes, into: uuid) {
                    problems.add(line: line, column: "id", Phrase("sessions.error.bad_id", ["text": idBytes.text]))
                    ok = false
                }
            }
            for m in 0..<metricCount {
                recorded[m] = false
                let at = metricAt[m]
                guard at >= 0 else { continue }
                switch CountParser.parse(r.bytes(at)) {
                case .success(let v?):
                    values[m] = v
                    recorded[m] = true
                case .success(nil):
                    break
                case .failure(let f):
                    problems.add(line: r.line(ofField: at), column: Metric.allCases[m].code, f.phrase("\"\(r.bytes(at).text)\""))
                    ok = false
                }
            }
            if !campaignAt.isEmpty {
                counts.removeAll(keepingCapacity: true)
                for (k, at) in campaignAt.enumerated() {
                    switch CountParser.parse(r.bytes(at)) {
                    case .success(let v?):
                        counts.append(CampaignCount(row: Int32(batch.count), metric: Int32(k), value: v))
                    case .success(nil):
                        break
                    case .failure(let f):
                        problems.add(line: r.line(ofField: at), column: campaignMetrics[k], f.phrase("\"\(r.bytes(at).text)\""))
                        ok = false
                    }
                }
            }

            var loggedBy: TextField = .absent
            var notes: TextField = .absent
            if byAt >= 0 { loggedBy = TextField(r.bytes(byAt).trimmed) }
            if notesAt >= 0 { notes = TextField(r.bytes(notesAt).trimmed); maskedNumbers += notes.maskPersonalNumbers() }
            if ok, let area, !rules.isEmpty {
                for m in 0..<metricCount { ruleRaw[m] = recorded[m] ? Double(values[m]) : .nan }
                let at = RuleSlots.attributesAt
                ruleRaw[at] = area.population.map(Double.init) ?? .nan
                ruleRaw[at + 1] = area.adults.map(Double.init) ?? .nan
                ruleRaw[at + 2] = area.workingAge.map(Double.init) ?? .nan
                ruleRaw[at + 3] = area.households.map(Double.init) ?? .nan
                let metricsAt = rules.slots.campaignMetricsAt
                for k in 0..<campaignMetrics.count { ruleRaw[metricsAt + k] = .nan }
                for c in counts { ruleRaw[metricsAt + Int(c.metric)] = Double(c.value) }
                for i in ruleRaw.indices { ruleZeroed[i] = ruleRaw[i].isNaN ? 0 : ruleRaw[i] }
                ruleRaw.withUnsafeBufferPointer { raw in
                    ruleZeroed.withUnsafeBufferPointer { zeroed in
                        rules.broken(day: day, within: { areas.isWithin(area.id, under: $0) }, raw: raw, zeroed: zeroed) { item, outcome in
                            let broken = BrokenRule(campaign: item.campaign, rule: item.rule, outcome: outcome)
                            if item.rule.severity == .error {
                                problems.add(line: line, broken.phrase("rules.import.refused"))
                                ok = false
                            } else if problems.isEmpty {
                                warn(line, broken.phrase("rules.entry.warning"))
                            }
                        }
                    }
                }
            }
            guard ok, problems.isEmpty, let area else { return }

            // Checks that warn but do not stop the import.
            if day > today.number {
                warn(line, Phrase("sessions.warning.future.imported", days: ["date": Day(number: day), "today": today]))
            }
            if let team {
                if !team.active { warn(line, Phrase("sessions.warning.inactive_team.imported", ["team": team.code])) }
                if let c = team.communeID, let a = area.communeID, c != a {
                    warn(line, Phrase("sessions.warning.outside_commune", ["team": team.code, "area": areaBytes.text]))
                }
            }
            SessionChecks.capacity(values: values, recorded: recorded, area: area, areaCode: areaBytes.text, logged: false) { warn(line, $0) }
            if keyed {
                // The row key (RowKey.swift), in the order of `RowKeyContent.of`; it is also the id.
                content.start()
                content.add(count: day)
                content.add(code: areaBytes)
                content.add(code: teamBytes)
                content.add(loggedBy)
                for m in 0..<metricCount { content.add(count: recorded[m] ? values[m] : nil) }
                content.add(count: counts.count)
                for k in campaignByCode {
                    guard let c = counts.first(where: { $0.metric == Int32(k) }) else { continue }
                    content.add(campaignMetrics[k])
                    content.add(count: c.value)
                }
                content.add(notes)
                let digest = content.digest()
                RowKey.key(digest, occurrence: occurrences.next(RowKey.fingerprint(digest)), into: uuid)
            }

            batch.lines.append(line)
            batch.keyed.append(keyed)
            batch.uuids.append(contentsOf: UnsafeBufferPointer(start: uuid, count: 16))
            batch.days.append(day)
            batch.areas.append(area.id)
            batch.teams.append(team?.id ?? -1)
            batch.metrics.append(contentsOf: UnsafeBufferPointer(start: values, count: metricCount))
            batch.recorded.append(contentsOf: UnsafeBufferPointer(start: recorded, count: metricCount))
            let by = batch.store(loggedBy)
            batch.loggedBy.append(by)
            let note = batch.store(notes)
            batch.notes.append(note)
            if !counts.isEmpty { batch.campaignCounts.append(contentsOf: counts) }
            batch.count += 1
            if batch.count == SessionBatch.capacity {
                queue.put(batch)
                guard let next = queue.empty() else { cancelled = true; return }
                batch = next
            }
        } }
        if batch.count > 0 { queue.put(batch) }
        if let progress { progress(total ?? 0, total, rows) }
        problems.append(csvProblems)
        result.rows = rows
        result.problems = problems
        result.warnings = warnings
        result.warningCount = warningCount
        result.maskedNumbers = maskedNumbers
    }
}

/// The session ids met in a file, each with the line of its first row: an open-addressing hash
/// table of the ids' 16 bytes as two integers, in flat buffers, at most three quarters full
/// (20 bytes a slot: a million ids take 40 MB, ten million 320 MB; a lookup costs about a fifth
/// of a `Dictionary`'s keyed by the id).
struct SessionIDTable {
    /// Two words per slot: the id's first and last 8 bytes.
    private var keys: UnsafeMutablePointer<UInt64>
    /// The first line of the id in each slot; 0 for an empty slot (lines start at 1).
    private var lines: UnsafeMutablePointer<Int32>
    private var mask: Int
    private var count = 0

    init(capacity: Int = 1 << 12) {
        keys = .allocate(capacity: 2 * capacity)
        lines = .allocate(capacity: capacity)
        lines.initialize(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// Frees the buffers.
    func deallocate() {
        keys.deallocate()
        lines.deallocate()
    }

    /// Records `line` as the first line of the 16-byte id at `id`, or returns the first line
    /// recorded for it before.
    @inline(__always)
    mutating func claim(_ id: UnsafePointer<UInt8>, line: Int) -> Int? {
        if 4 * (count + 1) > 3 * (mask + 1) { grow() }
        let raw = UnsafeRawPointer(id)
        let high = raw.loadUnaligned(as: UInt64.self), low = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        var i = slot(high, low)
        while lines[i] != 0 {
            if keys[2 * i] == high && keys[2 * i + 1] == low { return Int(lines[i]) }
            i = (i + 1) & mask
        }
        keys[2 * i] = high
        keys[2 * i + 1] = low
        lines[i] = Int32(truncatingIfNeeded: line)
        count += 1
        return nil
    }

    /// The home slot of an id: its two halves mixed as SplitMix64 mixes (ids need not be
    /// random: sequential ones differ in a few bits only).
    @inline(__always)
    private func slot(_ high: UInt64, _ low: UInt64) -> Int {
        var z = high ^ (low &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: z ^ (z >> 31)) & mask
    }

    /// Makes room for `ids` ids in all.
    mutating func reserve(_ ids: Int) {
        var capacity = mask + 1
        while 3 * capacity < 4 * ids { capacity *= 2 }
        if capacity > mask + 1 { rebuild(capacity: capacity) }
    }

    /// Doubles the table.
    private mutating func grow() { rebuild(capacity: 2 * (mask + 1)) }

    private mutating func rebuild(capacity: Int) {
        let oldKeys = keys, oldLines = lines, oldCapacity = mask + 1, oldCount = count
        self = SessionIDTable(capacity: capacity)
        for j in 0..<oldCapacity where oldLines[j] != 0 {
            var i = slot(oldKeys[2 * j], oldKeys[2 * j + 1])
            while lines[i] != 0 { i = (i + 1) & mask }
            keys[2 * i] = oldKeys[2 * j]
            keys[2 * i + 1] = oldKeys[2 * j + 1]
            lines[i] = oldLines[j]
        }
        count = oldCount
        oldKeys.deallocate()
        oldLines.deallocate()
    }
}

/// A text cell as read: absent/empty, raw UTF-8 bytes in the reader's buffer, or a normalised
/// copy when the bytes were decomposed (NFD) Unicode; copied into a batch by `SessionBatch.store`.
enum TextField {
    case absent
    case raw(UnsafeBufferPointer<UInt8>)
    case normalized(String)

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.isEmpty { self = .absent; return }
        var ascii = true
        var marks = false
        for b in bytes where b >= 0x80 {
            ascii = false
            if b == 0xCC || b == 0xCD { marks = true; break }
        }
        if ascii { self = .raw(bytes); return }
        // No second UTF-8 check: the CSV reader hands out only records that are UTF-8.
        self = marks ? .normalized(TextFolding.normalizedName(String(decoding: bytes, as: UTF8.self))) : .raw(bytes)
    }
}
