import Dispatch
import Foundation
import PostgresNIO

// `sessions import` on PostgreSQL: COPY into a staging table, applied in one transaction.
extension PostgresWorkspace {
    /// Imports a sessions file, all or nothing, with the semantics of SQLite's
    /// `Store.importSessions`: the same summary, the same problems (file, line, column), the same
    /// warnings.
    ///
    /// The reading thread of SQLite's import (`SessionProducer`) parses and validates the file
    /// into batches; here each batch is written as COPY text into a temporary table, which one
    /// set-based statement then adds to `session` (`ON CONFLICT DO NOTHING`), rows already held
    /// being compared first. Campaign metrics go to `session_metric`. Running totals are kept by
    /// the schema's triggers. A serialization failure or deadlock starts the import again from
    /// the file's first row.
    public func importSessions(file path: String, name: String?, today: Day, campaignMetrics: [String], problemLimit: Int,
                               corrections: LikelyCorrections, progress: ImportProgress?) async throws -> SessionImportSummary {
        let file = try SessionImport.SessionFile(path: path, name: name, campaignMetrics: campaignMetrics)
        let hash = file.digest, display = file.display
        _ = try file.open()  // a file that cannot be read, or a bad header, is refused before connecting
        let metricCodes = SessionImport.metricCodes(campaignMetrics)
        return try await transaction { connection in
            let (reader, header) = try file.open()
            let run = PostgresSessionImport(
                connection: connection, reader: reader, reopen: { try CSVReader(path: path, name: display) },
                header: header, campaignMetrics: metricCodes.filter { header[$0] != nil },
                hash: hash, today: today, problemLimit: problemLimit, corrections: corrections)
            return try await run.run(progress: progress)
        }
    }
}

/// One attempt at importing a sessions file into PostgreSQL, on a connection inside a transaction.
struct PostgresSessionImport {
    /// Asks for the import to start again: a concurrent writer stored one of the file's ids
    /// between the comparison and the insert.
    
    let connection: PostgresConnection
    let reader: CSVReader
    let reopen: () throws -> CSVReader
    let header: CSVHeader
    /// The campaign metrics that are columns of this file, in the order the batches index them.
    let campaignMetrics: [String]
    let hash: [UInt8]
    let today: Day
    let problemLimit: Int
    let corrections: LikelyCorrections

    static let metricCodes = Metric.allCases.map(\.code)

    /// The staging table's columns: the batch's, then one per campaign metric (`c0`, `c1` …).
    var stagedColumns: [String] {
        ["line", "keyed", "uuid", "day", "area_id", "team_id", "logged_by"] + Self.metricCodes + ["notes"]
            + campaignMetrics.indices.map { "c\($0)" }
    }

    func run(progress: ImportProgress?) async throws -> SessionImportSummary {
        let file = reader.name
        let logger = PostgresWorkspace.quiet
        var summary = SessionImportSummary(file: file)
        let digest = Data(hash)
        if let prior = try await previous(digest) {
            summary.previousImport = prior.imported
            summary.alreadyPresent = prior.rows
            summary.rows = prior.rows
            return summary
        }
        // Another import of the same file that committed meanwhile makes this one a repeat too.
        var importID: Int64? = nil
        for try await id in try await connection.query("""
            INSERT INTO import_file (file_digest, name, rows, imported_by) VALUES (\(digest), \(file), 0, \(Recorder.current.name))
            ON CONFLICT (file_digest) DO NOTHING RETURNING id
            """, logger: logger).decode(Int64.self) { importID = id }
        guard let importID else {
            let prior = try await previous(digest)
            summary.previousImport = prior?.imported
            summary.alreadyPresent = prior?.rows ?? 0
            summary.rows = prior?.rows ?? 0
            return summary
        }
        var storedBefore: Int64 = 0
        for try await max in try await connection.query("SELECT coalesce(max(id), 0) FROM session", logger: logger)
            .decode(Int64.self) { storedBefore = max }
        let (areas, teams) = try await facts()
        var gate = try await PostgresWorkspace.lockGate(connection, today: today)

        // Into a workspace without sessions, a file without campaign metrics is copied straight
        // into `session`: no stored session to compare with, and an id on two rows breaks the
        // unique index (the rows are then read again to name them). Otherwise rows are staged.
        let direct = storedBefore == 0 && campaignMetrics.isEmpty
        if !direct {
            let metricColumns = Self.metricCodes.map { "\($0) BIGINT" }.joined(separator: ", ")
            let campaignColumns = campaignMetrics.indices.map { ", c\($0) BIGINT" }.joined()
            try await connection.query(PostgresQuery(unsafeSQL: """
                CREATE TEMP TABLE import_row (line INTEGER NOT NULL, keyed BOOLEAN NOT NULL, uuid BYTEA NOT NULL,
                    day INTEGER NOT NULL, area_id BIGINT NOT NULL, team_id BIGINT, logged_by TEXT, \(metricColumns),
                    notes TEXT\(campaignColumns)) ON COMMIT DROP
                """), logger: logger)
        }

        // The reading thread fills batches; this task writes each as COPY text.
        let producer = SessionProducer(reader: reader, header: header, campaignMetrics: campaignMetrics,
                                       today: today, areas: areas, teams: teams, problemLimit: problemLimit,
                                       progress: progress)
        let queue = producer.queue
        let thread = Thread { producer.run() }
        thread.stackSize = 1 << 22
        thread.start()
        var staged = 0
        // An id on two rows of the file.
        var repeatedID = false
        do {
            let campaignWidth = campaignMetrics.count
            let table = direct ? "session" : "import_row"
            let columns = direct ? ["uuid", "day", "area_id", "team_id", "logged_by"] + Self.metricCodes + ["notes", "import_id", "row_key"]
                                 : stagedColumns
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                var encoder = CopyTextEncoder()
                while let batch = await Self.next(queue) {
                    if direct, gate != nil {
                        for row in 0..<batch.count {
                            gate!.check(LockProbe(areaID: batch.areas[row], area: "", day: Day(number: batch.days[row]), line: batch.lines[row]))
                        }
                    }
                    encoder.encode(batch, campaignWidth: campaignWidth, into: direct ? importID : nil)
                    staged += batch.count
                    queue.recycle(batch)
                    try await writer.write(encoder.take())
                }
            }
        } catch let error as PSQLError where direct && error.serverInfo?[.sqlState] == "23505" {
            // The reading goes on to the end, so that every problem of the file is named.
            while let batch = await Self.next(queue) { queue.recycle(batch) }
            repeatedID = true
        } catch {
            // Let the reading thread finish before the error goes up.
            queue.cancel()
            while let batch = await Self.next(queue) { queue.recycle(batch) }
            throw error
        }
        let result = queue.result()
        if let error = result.error { throw error }

        var problems = result.problems
        var conflicts = DiagnosticList(file: file, limit: problemLimit)
        var alreadyPresent = 0
        var matchedLines = 0
        if !direct && storedBefore > 0 && staged > 0 {
            try await connection.query("ANALYZE import_row", logger: logger)
            // Each row's stored session, by its id or (a row without id) its key: a session
            // imported before migration 6 has its key under another id. `same`: the same day,
            // area, team and counts, campaign metrics included.
            let sameCounts = Self.metricCodes.map { "s.\($0) IS NOT DISTINCT FROM i.\($0)" }.joined(separator: " AND ")
            try await connection.query(PostgresQuery(unsafeSQL: """
                CREATE TEMP TABLE import_hit ON COMMIT DROP AS
                SELECT DISTINCT ON (h.line) h.line, i.keyed, i.uuid, s.id AS session_id,
                    (s.day = i.day AND s.area_id = i.area_id AND s.team_id IS NOT DISTINCT FROM i.team_id AND \(sameCounts)
                     AND \(storedCampaign("s.id")) IS NOT DISTINCT FROM \(rowCampaign("i"))) AS same
                FROM (SELECT i.line, s.id FROM import_row i JOIN session s ON s.uuid = i.uuid
                      UNION ALL
                      SELECT i.line, s.id FROM import_row i JOIN session s ON s.row_key = i.uuid WHERE i.keyed) h
                JOIN import_row i ON i.line = h.line JOIN session s ON s.id = h.id
                ORDER BY h.line, s.id
                """, binds: campaignBinds()), logger: logger)
            for try await (line, same, uuid) in try await connection.query(
                "SELECT line, same, uuid FROM import_hit ORDER BY line", logger: logger).decode((Int, Bool, ByteBuffer).self) {
                matchedLines += 1
                if same {
                    alreadyPresent += 1
                } else {
                    let id = SessionID.format(Array(buffer: uuid))
                    conflicts.add(line: line, column: header["id"] != nil ? "id" : nil, Phrase("sessions.error.conflict", ["id": id]))
                }
            }
        }
        // Rows without id that look like the correction of a live session stored before this
        // file (same day, area and team, other counts), unless a row of the file holds that
        // session unchanged.
        var likely: [LikelyCorrection] = []
        var checksCorrections = storedBefore > 0 && staged > 0
        if case .asNew = corrections { checksCorrections = false }
        if checksCorrections {
            let sameCounts = Self.metricCodes.map { "e.\($0) IS NOT DISTINCT FROM i.\($0)" }.joined(separator: " AND ")
            let hits = matchedLines > 0
            var binds = campaignBinds()
            binds.append(storedBefore, context: .default)
            let query = PostgresQuery(unsafeSQL: """
                SELECT i.line, e.id, e.uuid, f.name
                FROM import_row i
                JOIN session e ON e.area_id = i.area_id AND e.day = i.day AND e.team_id IS NOT DISTINCT FROM i.team_id
                LEFT JOIN import_file f ON f.id = e.import_id
                WHERE i.keyed AND e.id <= $\(binds.count)
                  AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = e.id)
                  \(hits ? "AND NOT EXISTS (SELECT 1 FROM import_hit h WHERE h.line = i.line)" : "")
                  \(hits ? "AND NOT EXISTS (SELECT 1 FROM import_hit h WHERE h.session_id = e.id AND h.keyed AND h.same)" : "")
                  AND NOT (\(sameCounts) AND \(storedCampaign("e.id")) IS NOT DISTINCT FROM \(rowCampaign("i")))
                ORDER BY i.line, e.id
                """, binds: binds)
            for try await (line, earlier, uuid, name) in try await connection.query(query, logger: logger)
                .decode((Int, Int64, ByteBuffer, String?).self) {
                likely.append(LikelyCorrection(line: line, session: 0, area: 0, day: 0, earlier: earlier,
                                               earlierID: SessionID.format(Array(buffer: uuid)), earlierFile: name))
            }
        }

        problems.append(conflicts)
        var imported = direct && !repeatedID ? staged : 0
        if !direct && problems.isEmpty && staged > 0 {
            // An id on two rows of the file: the insert adds fewer rows than are new.
            let codes = Self.metricCodes.joined(separator: ", ")
            for try await count in try await connection.query(PostgresQuery(unsafeSQL: """
                WITH added AS (
                    INSERT INTO session (uuid, day, area_id, team_id, logged_by, \(codes), notes, import_id, row_key)
                    SELECT uuid, day, area_id, team_id, logged_by, \(codes), notes, $1, CASE WHEN keyed THEN uuid END
                    FROM import_row ORDER BY line
                    ON CONFLICT DO NOTHING RETURNING 1)
                SELECT count(*) FROM added
                """, binds: Self.binds([importID])), logger: logger).decode(Int.self) { imported = count }
            repeatedID = imported < staged - matchedLines
        }
        if let idColumn = header["id"], repeatedID || alreadyPresent > 0 || !problems.isEmpty {
            let before = problems.total
            SessionImport.reportRepeatedIDs(in: try reopen(), column: idColumn, into: &problems)
            if repeatedID && problems.total == before { throw PostgresWorkspace.Retry() }
        } else if repeatedID {
            throw PostgresWorkspace.Retry()
        }
        let replacements = likely.isEmpty ? [] : LikelyCorrection.review(likely, choice: corrections, into: &problems)
        problems.sortByLine()
        try problems.check()
        if gate != nil {
            // The rows this import added (a staged import), and the sessions its corrections void.
            if !direct && imported > 0 {
                for try await (area, day, line) in try await connection.query("""
                    SELECT s.area_id, s.day, i.line FROM import_row i JOIN session s ON s.uuid = i.uuid AND s.import_id = \(importID)
                    """, logger: logger).decode((Int64, Int, Int).self) {
                    gate!.check(LockProbe(areaID: area, area: "", day: Day(number: day), line: line))
                }
            }
            if case .asCorrections = corrections {
                for r in replacements {
                    for try await (area, day) in try await connection.query(
                        "SELECT area_id, day FROM session WHERE id = \(r.earlier)", logger: logger).decode((Int64, Int).self) {
                        gate!.check(LockProbe(areaID: area, area: "", day: Day(number: day), line: r.line))
                    }
                }
            }
            if let refusal = gate!.refusal(source: file, codes: try await PostgresWorkspace.codes(connection, gate!.areasWithoutCode)) {
                throw refusal
            }
        }

        if !campaignMetrics.isEmpty && imported > 0 {
            let pairs = campaignMetrics.indices.map { "($\($0 + 1)::text, i.c\($0))" }.joined(separator: ", ")
            var binds = campaignBinds()
            binds.append(importID, context: .default)
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO session_metric (session_id, metric, value)
                SELECT s.id, m.metric, m.value
                FROM import_row i JOIN session s ON s.uuid = i.uuid AND s.import_id = $\(binds.count)
                CROSS JOIN LATERAL (VALUES \(pairs)) AS m(metric, value)
                WHERE m.value IS NOT NULL
                ORDER BY s.id, m.metric
                """, binds: binds), logger: logger)
        }
        var corrected = 0
        if case .asCorrections(let labels) = corrections, !replacements.isEmpty {
            // Void each replaced session, linked to the row's new session (the schema's
            // triggers take it out of the totals).
            for r in replacements {
                let reason = Phrase("sessions.import.correction_reason", ["file": file, "line": String(r.line)]).text(labels)
                try await connection.query("""
                    INSERT INTO session_void (session_id, day, reason, replaced_by, voided_by)
                    SELECT \(r.earlier), \(today.number), \(reason), s.id, \(Recorder.current.name)
                    FROM import_row i JOIN session s ON s.uuid = i.uuid AND s.import_id = \(importID)
                    WHERE i.line = \(r.line)
                    """, logger: logger)
            }
            corrected = replacements.count
        }
        try await connection.query("UPDATE import_file SET rows = \(result.rows) WHERE id = \(importID)", logger: logger)
        try await PostgresWorkspace.audit(connection, ImportAudit.sessions(file: file, rows: result.rows, imported: imported,
                                                                           alreadyPresent: alreadyPresent, corrected: corrected))

        summary.rows = result.rows
        summary.imported = imported
        summary.alreadyPresent = alreadyPresent
        summary.corrected = corrected
        summary.warnings = result.warnings
        summary.warningCount = result.warningCount
        summary.maskedNumbers = result.maskedNumbers
        return summary
    }

    /// When and with how many rows the file whose digest is `digest` was imported before.
    private func previous(_ digest: Data) async throws -> (imported: String, rows: Int)? {
        for try await (imported, rows) in try await connection.query(
            "SELECT imported, rows FROM import_file WHERE file_digest = \(digest)", logger: PostgresWorkspace.quiet)
            .decode((String, Int).self) { return (imported, rows) }
        return nil
    }

    /// Every area and team, as the reading thread checks rows against them (one query each).
    private func facts() async throws -> (AreaFactsTable, TeamFactsTable) {
        let logger = PostgresWorkspace.quiet
        let levels = AreaLevel.allCases.filter(\.isCommuneLevel).map { "'\($0.rawValue)'" }.joined(separator: ",")
        var areas = AreaFactsTable(capacity: 0)
        var parents: [Int64] = [], communeLevel: [Bool] = []
        for try await (id, code, parent, commune, adults, population, households, workingAge) in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT id, code, coalesce(parent_id, 0), level IN (\(levels)), adults, population, households, working_age
            FROM area ORDER BY id
            """), logger: logger).decode((Int64, String, Int64, Bool, Int64?, Int64?, Int64?, Int64?).self) {
            var code = code
            code.withUTF8 { bytes in
                areas.add(id: id, code: bytes, adults: adults.map(Int.init), population: population.map(Int.init),
                          households: households.map(Int.init), workingAge: workingAge.map(Int.init))
            }
            parents.append(parent)
            communeLevel.append(commune)
        }
        areas.resolveCommunes(parents: parents, communeLevel: communeLevel)
        var teams = TeamFactsTable(capacity: 0)
        for try await (id, code, area, active) in try await connection.query(
            "SELECT id, code, area_id, status = 'active' FROM team ORDER BY id", logger: logger)
            .decode((Int64, String, Int64, Bool).self) {
            var code = code
            code.withUTF8 { teams.add(id: id, code: $0, commune: areas.commune(ofID: area), active: active) }
        }
        return (areas, teams)
    }

    /// A stored session's campaign counts as one comparable text (NULL for none).
    private func storedCampaign(_ session: String) -> String {
        "(SELECT string_agg(m.metric || '=' || m.value, ',' ORDER BY m.metric) FROM session_metric m WHERE m.session_id = \(session))"
    }

    /// A staged row's campaign counts as the same text (`$1` … are the metrics' codes).
    private func rowCampaign(_ row: String) -> String {
        guard !campaignMetrics.isEmpty else { return "NULL::text" }
        let pairs = campaignMetrics.indices.map { "($\($0 + 1)::text, \(row).c\($0))" }.joined(separator: ", ")
        return "(SELECT string_agg(v.metric || '=' || v.value, ',' ORDER BY v.metric) FROM (VALUES \(pairs)) AS v(metric, value) WHERE v.value IS NOT NULL)"
    }

    /// The campaign metrics' codes as `$1` … of a query.
    private func campaignBinds() -> PostgresBindings {
        var binds = PostgresBindings()
        for code in campaignMetrics { binds.append(code, context: .default) }
        return binds
    }

    private static func binds(_ values: [Int64]) -> PostgresBindings {
        var binds = PostgresBindings()
        for v in values { binds.append(v, context: .default) }
        return binds
    }

    /// The next filled batch, waited for off the task's thread (nil once the reading is done).
    static func next(_ queue: BatchQueue) async -> SessionBatch? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: queue.take()) }
        }
    }
}

/// Writes batches of validated rows as PostgreSQL's COPY text format: tab-separated, `\N` for
/// NULL, backslash escapes in text, ids as `\\x` and hex.
struct CopyTextEncoder {
    private var out: [UInt8] = []
    private static let hex = Array("0123456789abcdef".utf8)

    /// The rows of `batch`: for the staging table (`into` nil) its line, whether it is keyed,
    /// the session's columns and `campaignWidth` campaign metric columns; for `session` itself
    /// (`into` the import's id) the session's columns, the import and the row key.
    mutating func encode(_ batch: SessionBatch, campaignWidth: Int, into importID: Int64?) {
        let width = MetricValues.width
        out.reserveCapacity(batch.count * 160)
        var nextCount = 0
        var campaign = [Int?](repeating: nil, count: campaignWidth)
        batch.text.withUnsafeBufferPointer { text in
            for row in 0..<batch.count {
                if importID == nil {
                    number(batch.lines[row]); tab()
                    out.append(batch.keyed[row] ? UInt8(ascii: "t") : UInt8(ascii: "f")); tab()
                }
                uuid(batch, row); tab()
                number(batch.days[row]); tab()
                number(Int(batch.areas[row])); tab()
                if batch.teams[row] >= 0 { number(Int(batch.teams[row])) } else { null() }
                tab()
                self.text(text, batch.loggedBy[row])
                for m in 0..<width {
                    tab()
                    if batch.recorded[width * row + m] { number(batch.metrics[width * row + m]) } else { null() }
                }
                tab()
                self.text(text, batch.notes[row])
                if let importID {
                    tab()
                    number(Int(importID))
                    tab()
                    if batch.keyed[row] { uuid(batch, row) } else { null() }
                } else if campaignWidth > 0 {
                    for k in 0..<campaignWidth { campaign[k] = nil }
                    while nextCount < batch.campaignCounts.count, batch.campaignCounts[nextCount].row == row {
                        let c = batch.campaignCounts[nextCount]
                        campaign[Int(c.metric)] = c.value
                        nextCount += 1
                    }
                    for k in 0..<campaignWidth {
                        tab()
                        if let v = campaign[k] { number(v) } else { null() }
                    }
                }
                out.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// Row `row`'s id as bytea text: `\\x` and hex.
    @inline(__always)
    private mutating func uuid(_ batch: SessionBatch, _ row: Int) {
        out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "x"))
        for i in 16 * row..<16 * row + 16 {
            let b = batch.uuids[i]
            out.append(Self.hex[Int(b >> 4)])
            out.append(Self.hex[Int(b & 15)])
        }
    }

    /// What was encoded since the last call, as one buffer.
    mutating func take() -> ByteBuffer {
        let buffer = ByteBuffer(bytes: out)
        out.removeAll(keepingCapacity: true)
        return buffer
    }

    @inline(__always) private mutating func tab() { out.append(9) }
    @inline(__always) private mutating func null() { out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "N")) }

    @inline(__always)
    private mutating func number(_ value: Int) {
        var v = value
        if v < 0 { out.append(UInt8(ascii: "-")); v = -v }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                n += 1
            } while v > 0
            while n > 0 { n -= 1; out.append(d[n]) }
        }
    }

    private mutating func text(_ arena: UnsafeBufferPointer<UInt8>, _ range: TextRange) {
        guard range.start >= 0 else { null(); return }
        for i in range.start..<range.start + range.count {
            let b = arena[i]
            switch b {
            case UInt8(ascii: "\\"): out.append(b); out.append(b)
            case 9: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 10: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 13: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            default: out.append(b)
            }
        }
    }
}
