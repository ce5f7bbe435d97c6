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
    /// The lock check of the rows; nil when no period is closed.
    var gate: LockGate?

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
        gate = try Store.lockGate(db, today: today)
        try db.execute(sql: "INSERT INTO import_file (file_digest, name, rows, imported_by) VALUES (?, ?, 0, ?)",
                       arguments: [Data(hash), file, Recorder.current.name])
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
                                let stored = SessionImport.storedCounts(known[3 + width])
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
                        if gate != nil {
                            gate!.check(LockProbe(areaID: batch.areas[row], area: "", day: Day(number: batch.days[row]), line: batch.lines[row]))
                        }
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
            SessionImport.reportRepeatedIDs(in: try reopen(), column: idColumn, into: &problems)
            if repeatedID && problems.total == before {
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "a session id is on two rows of \(file)")
            }
        }
        // A stored session that a row of this file still holds unchanged is not being corrected.
        likely.removeAll { matched.contains($0.earlier) }
        let replacements = likely.isEmpty ? [] : LikelyCorrection.review(likely, choice: corrections, into: &problems)
        problems.sortByLine()
        try problems.check()
        if let gate, let refusal = gate.refusal(source: file, codes: try Store.codes(db, gate.areasWithoutCode)) { throw refusal }

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
            if var gate {
                for r in replacements { if let (area, day) = where_[r.earlier] { gate.check(LockProbe(areaID: area, area: "", day: Day(number: day), line: r.line)) } }
                if let refusal = gate.refusal(source: file, codes: try Store.codes(db, gate.areasWithoutCode)) { throw refusal }
            }
            for r in replacements {
                let reason = Phrase("sessions.import.correction_reason", ["file": file, "line": String(r.line)]).text(labels)
                try db.execute(sql: "INSERT INTO session_void (session_id, day, reason, replaced_by, voided_by) VALUES (?, ?, ?, ?, ?)",
                               arguments: [r.earlier, today.number, reason, r.session, Recorder.current.name])
                if let (area, day) = where_[r.earlier] { try Store.recomputeTotals(db, areaID: area, day: day) }
            }
            corrected = replacements.count
        }
        try db.execute(sql: "UPDATE import_file SET rows = ? WHERE id = ?", arguments: [rows, importID])
        try Store.audit(db, ImportAudit.sessions(file: file, rows: rows, imported: imported, alreadyPresent: alreadyPresent,
                                                 corrected: corrected))
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

    /// Binds a text cell stored in a batch's arena (`start < 0`: NULL).
    @inline(__always)
    static func bindText(_ stmt: OpaquePointer?, _ index: Int32, _ arena: UnsafeBufferPointer<UInt8>, _ range: TextRange) {
        guard range.start >= 0 else { sqlite3_bind_null(stmt, index); return }
        (arena.baseAddress! + range.start).withMemoryRebound(to: CChar.self, capacity: range.count) {
            _ = sqlite3_bind_text(stmt, index, $0, Int32(range.count), nil)
        }
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
        campaign = SessionImport.storedCounts(row[2 + width])
        file = row[3 + width]
    }
}
