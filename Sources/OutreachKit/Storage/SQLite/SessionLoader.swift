import Foundation
import GRDB
import GRDBSQLite

/// The hot path of `sessions import`, as a two-stage pipeline over the machine's two cores.
///
/// A reading thread parses and validates records (no `String` per field) into batches of
/// flat arrays; the database thread binds each batch into one prepared INSERT through the
/// SQLite C API and sums the monthly totals of what it inserted. Memory stays flat: a few
/// batches are in flight, recycled through a small queue.
///
/// Counts of campaign metrics go to `session_metric` through a second prepared INSERT; a file
/// without such columns never touches it.
struct SessionLoader {
    let db: Database
    let reader: CSVReader
    /// Opens the file again from its start (to find the lines of a repeated id).
    let reopen: () throws -> CSVReader
    let header: CSVHeader
    /// The campaign metrics that are columns of this file, in the order the batches index them.
    let campaignMetrics: [String]
    let hash: [UInt8]
    let today: Day
    let areas: AreaFactsTable
    let teams: TeamFactsTable
    let problemLimit: Int
    /// What to do with likely corrections (rows without id that look like a stored session's).
    let corrections: LikelyCorrections
    var problems: DiagnosticList
    var warnings: [Warning] = []
    var warningCount = 0
    /// Citizen-ID and phone numbers masked in notes (`PersonalData`).
    var maskedNumbers = 0
    var rows = 0
    var imported = 0
    var alreadyPresent = 0
    /// Stored sessions voided and replaced by a row (`--as-corrections`).
    var corrected = 0

    /// `campaignMetrics`: the campaign metrics the file may have as columns.
    init(db: Database, reader: CSVReader, reopen: @escaping () throws -> CSVReader, header: CSVHeader,
         campaignMetrics: [String], hash: [UInt8], today: Day, problemLimit: Int,
         corrections: LikelyCorrections = .refuse) throws {
        self.db = db
        self.reader = reader
        self.reopen = reopen
        self.header = header
        self.campaignMetrics = campaignMetrics.filter { header[$0] != nil }
        self.hash = hash
        self.today = today
        self.problemLimit = problemLimit
        self.corrections = corrections
        areas = try AreaFactsTable(db)
        teams = try TeamFactsTable(db, areas: areas)
        problems = DiagnosticList(file: reader.name, limit: problemLimit)
    }

    mutating func run(progress: ImportProgress?) throws {
        let file = reader.name
        let bulk = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM session LIMIT 1)") == 0
        try SessionLoader.useImportMemory(db)
        defer { try? db.execute(sql: "PRAGMA cache_size = -2000; PRAGMA threads = 0") }
        if bulk {
            // A first load builds its indexes afterwards: sorting once beats random inserts. The
            // partial index of row keys stays: rows with an id never enter it.
            try db.execute(sql: "DROP INDEX session_uuid; DROP INDEX session_area_day; DROP INDEX session_day")
        }
        try db.execute(sql: "INSERT INTO import_file (file_digest, name, rows) VALUES (?, ?, 0)",
                       arguments: [Data(hash), file])
        let importID = db.lastInsertedRowID
        // Sessions stored before this file: those a likely correction may replace.
        let storedBefore = try Int64.fetchOne(db, sql: "SELECT max(id) FROM session") ?? 0
        let codes = Metric.allCases.map(\.code)
        let insert = try db.makeStatement(sql: """
            INSERT INTO session (uuid, day, area_id, team_id, logged_by, \(codes.joined(separator: ", ")), notes, import_id, row_key)
            VALUES (?, ?, ?, ?, ?, \(codes.map { _ in "?" }.joined(separator: ", ")), ?, ?, ?)
            \(bulk ? "" : "ON CONFLICT DO NOTHING")
            """)
        // A row's session, by its id or (a row without id) its key: a session imported before
        // migration 6 has its key under another id.
        let existing = try db.makeStatement(sql: """
            SELECT day, area_id, team_id, \(codes.joined(separator: ", ")),
                (SELECT group_concat(m.metric || char(31) || m.value, char(30)) FROM session_metric m WHERE m.session_id = session.id),
                import_id, id
            FROM session WHERE uuid = ?1 OR row_key = ?2
            """)
        // The live sessions stored before this file on a row's day, area and team.
        let sameDay = try db.makeStatement(sql: """
            SELECT s.id, s.uuid, \(codes.map { "s.\($0)" }.joined(separator: ", ")),
                (SELECT group_concat(m.metric || char(31) || m.value, char(30)) FROM session_metric m WHERE m.session_id = s.id),
                f.name
            FROM session s LEFT JOIN import_file f ON f.id = s.import_id
            WHERE s.area_id = ? AND s.day = ? AND s.team_id IS ? AND s.id <= ?
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            """)
        // Stored sessions a row of this file matched by its key, and the rows without id that
        // look like the correction of a stored session.
        var matched = Set<Int64>()
        var likely: [LikelyCorrection] = []
        // Nothing to look for on a first load, or when they are to be imported as new anyway.
        var checksCorrections = !bulk && storedBefore > 0
        if case .asNew = corrections { checksCorrections = false }
        // The stored sessions of the groups met so far (bounded: emptied past 100,000).
        var earlierByGroup: [EarlierSession.Group: [EarlierSession]] = [:]
        var earlierCached = 0
        let stmt = insert.sqliteStatement
        let connection = db.sqliteConnection
        let width = MetricValues.width
        let campaignMetrics = self.campaignMetrics
        let insertMetric = try db.makeStatement(sql: "INSERT INTO session_metric (session_id, metric, value) VALUES (?, ?, ?)")
        let metricStmt = insertMetric.sqliteStatement
        // The codes as C strings that outlive every bind.
        let metricNames = campaignMetrics.map { strdup($0)! }
        defer { metricNames.forEach { free($0) } }

        let producer = SessionProducer(reader: reader, header: header, campaignMetrics: campaignMetrics,
                                       today: today, areas: areas, teams: teams, problemLimit: problemLimit,
                                       progress: progress)
        let queue = producer.queue
        let thread = Thread { producer.run() }
        thread.stackSize = 1 << 22
        thread.start()

        var conflicts = DiagnosticList(file: file, limit: problemLimit)
        var repeatedID = false
        var imported = 0, alreadyPresent = 0
        var buckets = MonthBuckets(periods: try PeriodRange.all(db), metricCodes: campaignMetrics)
        var consumerError: (any Error)? = nil
        while let batch = queue.take() {
            defer { queue.recycle(batch) }
            if consumerError != nil { continue }
            do {
                // The batch's campaign counts (none for a file without such columns), in row
                // order: `nextCount` is the first of the next row's.
                let campaignCounts = batch.campaignCounts
                var nextCount = 0
                try batch.uuids.withUnsafeBufferPointer { uuids in
                try batch.metrics.withUnsafeBufferPointer { metrics in
                try batch.recorded.withUnsafeBufferPointer { recorded in
                try batch.text.withUnsafeBufferPointer { text in
                    for row in 0..<batch.count {
                        let firstCount = nextCount
                        if !campaignCounts.isEmpty {
                            while nextCount < campaignCounts.count, campaignCounts[nextCount].row == row { nextCount += 1 }
                        }
                        let uuid = uuids.baseAddress! + 16 * row
                        let values = metrics.baseAddress! + width * row
                        let flags = recorded.baseAddress! + width * row
                        sqlite3_reset(stmt)
                        sqlite3_bind_blob(stmt, 1, uuid, 16, nil)
                        sqlite3_bind_int64(stmt, 2, Int64(batch.days[row]))
                        sqlite3_bind_int64(stmt, 3, batch.areas[row])
                        if batch.teams[row] >= 0 { sqlite3_bind_int64(stmt, 4, batch.teams[row]) } else { sqlite3_bind_null(stmt, 4) }
                        SessionLoader.bindText(stmt, 5, text, batch.loggedBy[row])
                        for m in 0..<width {
                            if flags[m] { sqlite3_bind_int64(stmt, Int32(6 + m), Int64(values[m])) } else { sqlite3_bind_null(stmt, Int32(6 + m)) }
                        }
                        SessionLoader.bindText(stmt, Int32(6 + width), text, batch.notes[row])
                        sqlite3_bind_int64(stmt, Int32(7 + width), importID)
                        if batch.keyed[row] { sqlite3_bind_blob(stmt, Int32(8 + width), uuid, 16, nil) } else { sqlite3_bind_null(stmt, Int32(8 + width)) }
                        let rc = sqlite3_step(stmt)
                        guard rc == SQLITE_DONE else {
                            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(connection)))
                        }
                        if !bulk && sqlite3_changes(connection) == 0 {
                            // The id is known: the same session is fine, different figures are a conflict.
                            let id = Data(bytes: uuid, count: 16)
                            let known = try Row.fetchOne(existing, arguments: [id, batch.keyed[row] ? id : nil])!
                            // An earlier row of this file: reported with both lines below.
                            if (known[4 + width] as Int64?) == importID {
                                repeatedID = true
                                continue
                            }
                            let team: Int64? = batch.teams[row] >= 0 ? batch.teams[row] : nil
                            var same = (known[0] as Int) == batch.days[row] && (known[1] as Int64) == batch.areas[row]
                                && (known[2] as Int64?) == team
                            for m in 0..<width where same { same = (known[3 + m] as Int?) == (flags[m] ? values[m] : nil) }
                            if same {
                                let stored = SessionLoader.storedCounts(known[3 + width])
                                same = stored.count == nextCount - firstCount && (firstCount..<nextCount).allSatisfy {
                                    stored[campaignMetrics[Int(campaignCounts[$0].metric)]] == campaignCounts[$0].value
                                }
                            }
                            if same {
                                alreadyPresent += 1
                                if batch.keyed[row] { matched.insert(known[5 + width]) }
                            } else {
                                let id = SessionID.format(Array(UnsafeBufferPointer(start: uuid, count: 16)))
                                conflicts.add(line: batch.lines[row], column: producer.hasIDColumn ? "id" : nil, Phrase("sessions.error.conflict", ["id": id]))
                            }
                            continue
                        }
                        imported += 1
                        let sessionID = sqlite3_last_insert_rowid(connection)
                        buckets.add(area: batch.areas[row], day: batch.days[row], values: values, recorded: flags)
                        if checksCorrections && batch.keyed[row] {
                            // A stored session of the same day, area and team with other counts.
                            let group = EarlierSession.Group(area: batch.areas[row], day: batch.days[row], team: batch.teams[row])
                            if earlierByGroup[group] == nil {
                                if earlierCached > 100_000 { earlierByGroup.removeAll(); earlierCached = 0 }
                                let list = try Row.fetchAll(sameDay, arguments: [group.area, group.day, group.team >= 0 ? group.team : nil,
                                                                                 storedBefore]).map { EarlierSession($0, width: width) }
                                earlierByGroup[group] = list
                                earlierCached += list.count + 1
                            }
                            var counts: [String: Int] = [:]
                            for c in campaignCounts[firstCount..<nextCount] { counts[campaignMetrics[Int(c.metric)]] = c.value }
                            for earlier in earlierByGroup[group]! {
                                var same = true
                                for m in 0..<width where same { same = earlier.metrics[m] == (flags[m] ? values[m] : nil) }
                                if same && earlier.campaign == counts { continue }
                                likely.append(LikelyCorrection(line: batch.lines[row], session: sessionID, area: group.area,
                                                               day: group.day, earlier: earlier.id,
                                                               earlierID: SessionID.format(earlier.uuid), earlierFile: earlier.file))
                            }
                        }
                        guard nextCount > firstCount else { continue }
                        for count in campaignCounts[firstCount..<nextCount] {
                            sqlite3_reset(metricStmt)
                            sqlite3_bind_int64(metricStmt, 1, sessionID)
                            sqlite3_bind_text(metricStmt, 2, metricNames[Int(count.metric)], -1, nil)
                            sqlite3_bind_int64(metricStmt, 3, Int64(count.value))
                            let rc = sqlite3_step(metricStmt)
                            guard rc == SQLITE_DONE else {
                                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(connection)))
                            }
                            buckets.add(metric: Int(count.metric), area: batch.areas[row], day: batch.days[row], value: count.value)
                        }
                    }
                    if buckets.isFull { try buckets.flush(db) }
                } } } }
            } catch {
                // Keep draining, so the reading thread can finish, then report.
                consumerError = error
                queue.cancel()
            }
        }
        let result = queue.result()
        if let error = result.error { throw error }
        if let consumerError { throw consumerError }
        // The totals are written before any index is built: the buckets' memory and the
        // sorter's are not held at once.
        try buckets.flush(db)

        rows = result.rows
        self.imported = imported
        self.alreadyPresent = alreadyPresent
        warnings = result.warnings
        warningCount = result.warningCount
        maskedNumbers = result.maskedNumbers
        problems = result.problems
        problems.append(conflicts)
        // An id on two rows of the file: met by the insert on the incremental path, by the
        // unique index on the bulk path (built after the load). Its lines are then found by
        // reading the file again, as they are for a file that is refused anyway, or one with rows
        // the workspace already held (two such rows meet the stored session, not each other): a
        // table of every id read would cost 20 bytes a row on every import.
        var uniqueIndex = false
        if bulk && problems.isEmpty && !repeatedID {
            do {
                try db.execute(sql: "CREATE UNIQUE INDEX session_uuid ON session(uuid)")
                uniqueIndex = true
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                repeatedID = true
            }
        }
        if let idColumn = header["id"], repeatedID || alreadyPresent > 0 || !problems.isEmpty {
            let before = problems.total
            SessionLoader.reportRepeatedIDs(in: try reopen(), column: idColumn, into: &problems)
            if repeatedID && problems.total == before {
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "a session id is on two rows of \(file)")
            }
        }
        // A stored session that a row of this file still holds unchanged is not being corrected.
        likely.removeAll { matched.contains($0.earlier) }
        let replacements = likely.isEmpty ? [] : LikelyCorrection.review(likely, choice: corrections, into: &problems)
        problems.sortByLine()
        try problems.check()

        if bulk {
            if !uniqueIndex { try db.execute(sql: "CREATE UNIQUE INDEX session_uuid ON session(uuid)") }
            try db.execute(sql: "CREATE INDEX session_area_day ON session(area_id, day)")
            try db.execute(sql: "CREATE INDEX session_day ON session(day)")
        }
        if case .asCorrections(let labels) = corrections, !replacements.isEmpty {
            // Void each replaced session, linked to its replacement; then its totals are recomputed.
            let earlier = try Row.fetchAll(db, sql: """
                SELECT id, area_id, day FROM session WHERE id IN (\(replacements.map { String($0.earlier) }.joined(separator: ",")))
                """)
            let where_ = Dictionary(uniqueKeysWithValues: earlier.map { ($0[0] as Int64, ($0[1] as Int64, $0[2] as Int)) })
            for r in replacements {
                let reason = Phrase("sessions.import.correction_reason", ["file": file, "line": String(r.line)]).text(labels)
                try db.execute(sql: "INSERT INTO session_void (session_id, day, reason, replaced_by) VALUES (?, ?, ?, ?)",
                               arguments: [r.earlier, today.number, reason, r.session])
                if let (area, day) = where_[r.earlier] { try Store.recomputeTotals(db, areaID: area, day: day) }
            }
            corrected = replacements.count
        }
        try db.execute(sql: "UPDATE import_file SET rows = ? WHERE id = ?", arguments: [rows, importID])
    }

    /// The memory SQLite may use during an import, set back by `run` when it ends.
    ///
    /// An 8 MiB page cache (SQLite's default is 2 MB); the sorter of an index build keeps
    /// lists of that size in memory before writing them out, one being filled while one helper
    /// thread sorts and writes the other: two threads, all the machine's two cores. (Two helper
    /// threads held a third list, 25 MB of the national import's peak instead of 17, for a
    /// thread that has no core of its own on two cores.)
    static func useImportMemory(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -8192; PRAGMA threads = 1")
    }

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

    /// Binds a text cell stored in a batch's arena (`start < 0`: NULL).
    @inline(__always)
    static func bindText(_ stmt: OpaquePointer?, _ index: Int32, _ arena: UnsafeBufferPointer<UInt8>, _ range: TextRange) {
        guard range.start >= 0 else { sqlite3_bind_null(stmt, index); return }
        (arena.baseAddress! + range.start).withMemoryRebound(to: CChar.self, capacity: range.count) {
            _ = sqlite3_bind_text(stmt, index, $0, Int32(range.count), nil)
        }
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

/// Checks a session's counts against what its area can hold.
enum SessionChecks {
    /// Calls `warn` for each count larger than the area's denominator (more activations than
    /// adults …); `code` is the area's, `logged` tells a logged session from an imported one.
    static func capacity(values: UnsafePointer<Int>, recorded: UnsafePointer<Bool>, area: AreaFacts, areaCode code: String,
                         logged: Bool, warn: (Phrase) -> Void) {
        func check(_ metric: Metric, _ limit: Int?, _ what: Denominator) {
            let i = metric.index
            guard recorded[i], let limit, values[i] > limit else { return }
            let names = ["metric": metric.code, "area": code], counts = ["value": values[i], "limit": limit]
            switch (what, logged) {
            case (.adults, false): warn(Phrase("sessions.warning.capacity.adults.imported", names, counts: counts))
            case (.adults, true): warn(Phrase("sessions.warning.capacity.adults.logged", names, counts: counts))
            case (.people, false): warn(Phrase("sessions.warning.capacity.people.imported", names, counts: counts))
            case (.people, true): warn(Phrase("sessions.warning.capacity.people.logged", names, counts: counts))
            case (.households, false): warn(Phrase("sessions.warning.capacity.households.imported", names, counts: counts))
            case (.households, true): warn(Phrase("sessions.warning.capacity.households.logged", names, counts: counts))
            }
        }
        check(.eidL2, area.adults, .adults)
        check(.bankAccount, area.adults, .adults)
        check(.ewallet, area.adults, .adults)
        check(.smartphoneSetup, area.population, .people)
        check(.peopleReached, area.population, .people)
        check(.dvcGuided, area.population, .people)
        check(.householdsVisited, area.households, .households)
    }

    private enum Denominator { case adults, people, households }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Without leading and trailing spaces and tabs.
    var trimmed: UnsafeBufferPointer<UInt8> {
        guard let base = baseAddress else { return self }
        var lo = 0, hi = count
        while lo < hi, base[lo] == 0x20 || base[lo] == 0x09 { lo += 1 }
        while hi > lo, base[hi - 1] == 0x20 || base[hi - 1] == 0x09 { hi -= 1 }
        return UnsafeBufferPointer(start: base + lo, count: hi - lo)
    }

    /// The bytes as text (invalid UTF-8 repaired), for lookups and messages.
    var text: String { String(decoding: self, as: UTF8.self) }
}

/// UTF-8 validation without building a string.
enum UTF8Check {
    /// Whether `bytes` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        return Scanner.isValidUTF8(base, bytes.count)
    }
}

/// A live session stored before the file being imported, as a likely correction compares it.
struct EarlierSession {
    /// A row's day, area and team (-1: none).
    struct Group: Hashable { var area: Int64; var day: Int; var team: Int64 }
    var id: Int64
    var uuid: [UInt8]
    var metrics: [Int?]
    var campaign: [String: Int]
    var file: String?

    /// From a row of the loader's `sameDay` statement.
    init(_ row: Row, width: Int) {
        id = row[0]
        uuid = [UInt8](row[1] as Data)
        metrics = (0..<width).map { row[2 + $0] }
        campaign = SessionLoader.storedCounts(row[2 + width])
        file = row[3 + width]
    }
}
