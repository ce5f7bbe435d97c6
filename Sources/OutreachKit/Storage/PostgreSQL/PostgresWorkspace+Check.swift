import Foundation
import NIOCore
import PostgresNIO

// Care on PostgreSQL: check and repair.
extension PostgresWorkspace {
    /// Checks the workspace: the migrations applied are this version's, the schema's triggers
    /// are there and enabled, every session's area, the area tree, chains of replacements, row keys, counts within
    /// `SessionCount.maximum`, the stored running totals against totals recomputed from the live
    /// sessions, and leaflet stock below zero. Items are named and worded as SQLite's
    /// (`WorkspaceCheck+Items.swift`). Reads one consistent snapshot; never writes.
    public func check() async throws -> WorkspaceCheck {
        try await read { connection in
            var result = WorkspaceCheck()
            // PostgreSQL enforces every foreign key itself: no row can refer to a missing one.
            result.add("references", .ok, .phrase(Phrase("check.references.ok")))
            try await Self.checkSchema(connection, into: &result)
            let codes = try await Self.areaCodes(connection)
            try await Self.checkSessionsAndTree(connection, codes: codes, into: &result)
            try await Self.checkVoids(connection, into: &result)
            try await Self.checkRowKeys(connection, into: &result)
            let outOfRange = try await Self.checkSessionCounts(connection, into: &result)
            do {
                let recomputed = try await Self.recomputedTotals(connection)
                let stored = try await Self.storedTotals(connection)
                result.addTotals(recomputed: recomputed, stored: stored, codes: codes)
            } catch let overflow as CountOverflow {
                if !outOfRange {
                    result.add("session counts", .problem, .phrase(Phrase("check.counts.overflow", ["what": overflow.what])),
                               advice: .phrase(Phrase("check.counts.advice")))
                }
                return result
            }
            try await Self.checkLeaflets(connection, codes: codes, into: &result)
            return result
        }
    }

    /// Rebuilds the running totals from the live sessions, re-creates the schema's triggers
    /// found missing (from their migration's statement) and enables those found disabled, in
    /// one transaction.
    public func repair() async throws -> RepairSummary {
        try await transaction { connection in
            var summary = RepairSummary()
            for trigger in try await Self.triggers(connection) where !trigger.enabled {
                let sql = trigger.present ? "ALTER TABLE \(trigger.table) ENABLE TRIGGER \(trigger.name)" : trigger.statement
                try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.quiet)
                summary.schemaObjects.append(trigger.name)
            }
            let totals = try await Self.recomputedTotals(connection)
            for table in ["area_month", "period_total", "area_month_metric"] {
                try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"), logger: Self.quiet)
            }
            let metricKeys = totals.metrics.keys.sorted { ($0.metric, $0.month, $0.area) < ($1.metric, $1.month, $1.area) }
            try await connection.copyFrom(table: "area_month_metric", columns: ["metric", "month", "area_id", "value"], logger: Self.quiet) { writer in
                var out = CopyText()
                for key in metricKeys {
                    out.add(key.metric); out.add(key.month); out.add(key.area); out.add(totals.metrics[key]!)
                    out.endRow()
                    if out.isFull { try await out.flush(writer) }
                }
                try await out.flush(writer)
            }
            summary.totals += metricKeys.count
            let columns = Metric.allCases.map(\.code)
            for (table, group, rows) in [("area_month", "month", totals.months), ("period_total", "period_id", totals.periods)] {
                let keys = rows.keys.sorted { ($0.group, $0.area) < ($1.group, $1.area) }
                try await connection.copyFrom(table: table, columns: ["area_id", group, "sessions"] + columns + ["last_day"],
                                              logger: Self.quiet) { writer in
                    var out = CopyText()
                    for key in keys {
                        let t = rows[key]!
                        out.add(key.area); out.add(key.group); out.add(t.sessions)
                        for v in t.metrics.values { out.add(v) }
                        out.add(t.lastDay?.number)
                        out.endRow()
                        if out.isFull { try await out.flush(writer) }
                    }
                    try await out.flush(writer)
                }
                summary.totals += keys.count
            }
            return summary
        }
    }

    // MARK: Items

    /// The migrations applied are exactly this version's ("schema"), and the triggers they
    /// create are there and enabled ("triggers").
    private static func checkSchema(_ connection: PostgresConnection, into result: inout WorkspaceCheck) async throws {
        var applied = Set<String>()
        for try await name in try await connection.query("SELECT name FROM outreach_migration", logger: quiet).decode(String.self) {
            applied.insert(name)
        }
        let missing = PostgresSchema.migrations.map(\.name).filter { !applied.contains($0) }
        if missing.isEmpty {
            result.add("schema", .ok, .phrase(Phrase("check.schema.migrations.ok")))
        } else {
            result.add("schema", .problem, .phrase(Phrase("check.schema.missing", ["names": missing.joined(separator: ", ")])),
                       advice: .phrase(Phrase("check.schema.advice"), parts: ["restore": Store.restore]))
        }
        let wrong = try await triggers(connection).filter { !$0.enabled }.map(\.name).sorted()
        if wrong.isEmpty {
            result.add("triggers", .ok, .phrase(Phrase("check.triggers.ok")))
        } else {
            result.add("triggers", .problem, .phrase(Phrase("check.triggers.problem", ["names": wrong.joined(separator: ", ")])),
                       advice: .phrase(Phrase("check.triggers.advice"), parts: ["restore": Store.restore]))
        }
    }

    /// A trigger the migrations create, and what the database holds of it.
    private struct ExpectedTrigger {
        var table: String
        var name: String
        var statement: String
        var present: Bool
        var enabled: Bool
    }

    /// Every trigger the migrations create (`CREATE TRIGGER name … ON table`), whether it is
    /// there and whether it is enabled.
    private static func triggers(_ connection: PostgresConnection) async throws -> [ExpectedTrigger] {
        var expected: [(String, String, String)] = []
        for migration in PostgresSchema.migrations {
            for statement in migration.statements {
                let words = statement.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
                guard words.count > 3, words[0].uppercased() == "CREATE", words[1].uppercased() == "TRIGGER",
                      let on = words.firstIndex(where: { $0.uppercased() == "ON" }), on + 1 < words.count else { continue }
                expected.append((words[on + 1], words[2], statement))
            }
        }
        var found: [String: Bool] = [:]
        for try await (name, enabled) in try await connection.query("""
            SELECT t.tgname::text, t.tgenabled::text <> 'D' FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
            """, logger: quiet).decode((String, Bool).self) {
            found[name] = enabled
        }
        return expected.map { table, name, statement in
            ExpectedTrigger(table: table, name: name, statement: statement, present: found[name] != nil, enabled: found[name] ?? false)
        }
    }

    private static func areaCodes(_ connection: PostgresConnection) async throws -> [Int64: String] {
        var codes: [Int64: String] = [:]
        for try await (id, code) in try await connection.query("SELECT id, code FROM area", logger: quiet).decode((Int64, String).self) {
            codes[id] = code
        }
        return codes
    }

    private static func checkSessionsAndTree(_ connection: PostgresConnection, codes: [Int64: String],
                                             into result: inout WorkspaceCheck) async throws {
        var sessions = 0, voided = 0, orphans = 0
        for try await (s, v, o) in try await connection.query("""
            SELECT (SELECT count(*) FROM session), (SELECT count(*) FROM session_void),
                (SELECT count(*) FROM session WHERE area_id NOT IN (SELECT id FROM area))
            """, logger: quiet).decode((Int, Int, Int).self) {
            (sessions, voided, orphans) = (s, v, o)
        }
        var parents: [Int64: Int64] = [:]
        for try await (id, parent) in try await connection.query(
            "SELECT id, parent_id FROM area WHERE parent_id IS NOT NULL", logger: quiet).decode((Int64, Int64).self) {
            parents[id] = parent
        }
        result.addSessionsAndTree(sessions: sessions, voided: voided, orphans: orphans, codes: codes, parents: parents)
    }

    /// Every chain of replacements ends: a void whose replacement, or the replacement's
    /// replacement and so on, is the voided session itself leaves none of them counted.
    private static func checkVoids(_ connection: PostgresConnection, into result: inout WorkspaceCheck) async throws {
        var next: [Int64: Int64] = [:]
        var uuids: [Int64: String] = [:]
        var voids = 0
        for try await row in try await connection.query("""
            SELECT v.session_id, v.replaced_by, s.uuid FROM session_void v JOIN session s ON s.id = v.session_id
            """, logger: quiet) {
            let c = CellReader(row)
            voids += 1
            guard let id = try c.int64(0) else { continue }
            if let replacement = try c.int64(1) { next[id] = replacement }
            uuids[id] = c.id(2).map { SessionID.format($0.bytes) }
        }
        var looping = Set<Int64>()
        for start in next.keys {
            var seen: Set<Int64> = [start]
            var at = next[start]
            while let id = at {
                if id == start { looping.insert(start); break }
                guard seen.insert(id).inserted else { break }
                at = next[id]
            }
        }
        if looping.isEmpty {
            result.add("voids", .ok, .phrase(Phrase("check.voids.ok", counts: ["count": voids])))
        } else {
            let ids = looping.compactMap { uuids[$0] }.sorted().prefix(5).joined(separator: ", ")
            result.add("voids", .problem, .phrase(Phrase("check.voids.problem", ["ids": ids], counts: ["count": looping.count])),
                       advice: .phrase(Phrase("check.voids.advice"), parts: ["restore": Store.restore]))
        }
    }

    /// Every row key is the key of its session's content (at some occurrence), as on SQLite.
    private static func checkRowKeys(_ connection: PostgresConnection, into result: inout WorkspaceCheck) async throws {
        let width = Metric.allCases.count
        var keyed = 0
        var wrong: [String] = []
        var wrongCount = 0
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT s.uuid, s.row_key, s.day, a.code, t.code, s.logged_by, \(Metric.allCases.map { "s.\($0.code)" }.joined(separator: ", ")),
                s.notes, (SELECT string_agg(m.metric || chr(31) || m.value, chr(30)) FROM session_metric m WHERE m.session_id = s.id)
            FROM session s JOIN area a ON a.id = s.area_id LEFT JOIN team t ON t.id = s.team_id WHERE s.row_key IS NOT NULL
            """), logger: quiet) {
            let c = CellReader(row)
            keyed += 1
            guard let key = c.id(1) else { continue }
            let campaign = SessionImport.storedCounts(try c.text(7 + width)).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            let digest = RowKeyContent.of(day: try c.int(2) ?? 0, area: try c.text(3) ?? "", team: try c.text(4), loggedBy: try c.text(5),
                                          metrics: try (0..<width).map { try c.int(6 + $0) }, campaign: campaign,
                                          notes: try c.text(6 + width)).digest()
            if (0..<4096).contains(where: { RowKey.key(digest, occurrence: $0) == key.bytes }) { continue }
            wrongCount += 1
            if wrong.count < 3 { wrong.append(c.id(0).map { SessionID.format($0.bytes) } ?? "") }
        }
        // Sessions from rows without id (a derived id) of a file, left without a key because an
        // earlier session of another file had the same key.
        var twice: [String] = []
        var twiceCount = 0
        for try await row in try await connection.query("""
            SELECT s.uuid FROM session s JOIN import_file f ON f.id = s.import_id
            WHERE s.row_key IS NULL AND length(f.file_digest) = 16
            """, logger: quiet) {
            guard let id = CellReader(row).id(0), RowKey.isDerivedLayout(id.bytes) else { continue }
            twiceCount += 1
            if twice.count < 3 { twice.append(SessionID.format(id.bytes)) }
        }
        result.addRowKeys(keyed: keyed, wrong: wrong, wrongCount: wrongCount, twice: twice, twiceCount: twiceCount)
    }

    /// Live sessions with a count above `SessionCount.maximum`; whether there were any.
    private static func checkSessionCounts(_ connection: PostgresConnection, into result: inout WorkspaceCheck) async throws -> Bool {
        let outside = Metric.allCases.map { "s.\($0.code) NOT BETWEEN 0 AND \(SessionCount.maximum)" }.joined(separator: " OR ")
        let live = "NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)"
        var ids: [String] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT s.uuid FROM session s WHERE (\(outside)) AND \(live)
            UNION SELECT s.uuid FROM session s JOIN session_metric m ON m.session_id = s.id
            WHERE m.value NOT BETWEEN 0 AND \(SessionCount.maximum) AND \(live)
            """), logger: quiet) {
            ids.append(CellReader(row).id(0).map { SessionID.format($0.bytes) } ?? "")
        }
        return result.addSessionCounts(ids: ids, count: ids.count)
    }

    /// The totals every live session adds up to, per month and per registered period, and the
    /// monthly totals of campaign metrics: summed per area and day in SQL, then per month and
    /// period as SQLite's check sums them.
    static func recomputedTotals(_ connection: PostgresConnection) async throws -> Store.TotalsByKey {
        var periods: [(id: Int64, start: Int, end: Int)] = []
        for try await p in try await connection.query(#"SELECT id, start, "end" FROM period"#, logger: quiet).decode((Int64, Int, Int).self) {
            periods.append(p)
        }
        var out = Store.TotalsByKey()
        let width = MetricValues.width
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT s.area_id, s.day, count(*), \(Metric.allCases.map { "sum(s.\($0.code))::text" }.joined(separator: ", ")) FROM session s
            WHERE NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            GROUP BY s.area_id, s.day
            """), logger: quiet) {
            let c = CellReader(row)
            let area = try c.int64(0) ?? 0, day = try c.int(1) ?? 0
            var one = AreaTotals(sessions: try c.int(2) ?? 0, lastDay: Day(number: day))
            for m in 0..<width { one.metrics.values[m] = try Self.sum(c, 3 + m, Metric.allCases[m].code) }
            try out.months[MonthBuckets.Key(area: area, group: Day(number: day).monthIndex), default: AreaTotals()].addChecked(one)
            for p in periods where p.start <= day && day <= p.end {
                try out.periods[MonthBuckets.Key(area: area, group: Int(p.id)), default: AreaTotals()].addChecked(one)
            }
        }
        for try await row in try await connection.query("""
            SELECT m.metric, s.day, s.area_id, sum(m.value)::text FROM session_metric m JOIN session s ON s.id = m.session_id
            WHERE NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            GROUP BY m.metric, s.day, s.area_id
            """, logger: quiet) {
            let c = CellReader(row)
            let code = try c.text(0) ?? ""
            let key = Store.TotalsByKey.MetricKey(metric: code, month: Day(number: try c.int(1) ?? 0).monthIndex, area: try c.int64(2) ?? 0)
            out.metrics[key] = try (out.metrics[key] ?? 0).addingCount(try Self.sum(c, 3, code) ?? 0, code)
        }
        return out
    }

    /// A `sum()` (numeric, as text), nil for NULL; past what a count can hold, `CountOverflow`.
    private static func sum(_ c: CellReader, _ i: Int, _ what: String) throws -> Int? {
        guard let text = try c.row[i].decode(String?.self) else { return nil }
        guard let n = Int(text) else { throw CountOverflow(what) }
        return n
    }

    private static func storedTotals(_ connection: PostgresConnection) async throws -> Store.TotalsByKey {
        var out = Store.TotalsByKey()
        let columns = "sessions, \(Metric.allCases.map(\.code).joined(separator: ", ")), last_day"
        for (table, group) in [("area_month", "month"), ("period_total", "period_id")] {
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT area_id, \(group), \(columns) FROM \(table)"),
                                                            logger: quiet) {
                let c = CellReader(row)
                let key = MonthBuckets.Key(area: try c.int64(0) ?? 0, group: try c.int(1) ?? 0)
                var metrics = MetricValues()
                for m in 0..<MetricValues.width { metrics.values[m] = try c.int(3 + m) }
                let totals = AreaTotals(sessions: try c.int(2) ?? 0, metrics: metrics,
                                        lastDay: try c.int(3 + MetricValues.width).map(Day.init(number:)))
                if table == "area_month" { out.months[key] = totals } else { out.periods[key] = totals }
            }
        }
        for try await row in try await connection.query("SELECT metric, month, area_id, value FROM area_month_metric", logger: quiet) {
            let c = CellReader(row)
            out.metrics[.init(metric: try c.text(0) ?? "", month: try c.int(1) ?? 0, area: try c.int64(2) ?? 0)] = try c.int(3) ?? 0
        }
        return out
    }

    /// Stock below zero, as SQLite's check words it (`WorkspaceCheck.addLeaflets`).
    private static func checkLeaflets(_ connection: PostgresConnection, codes: [Int64: String],
                                      into result: inout WorkspaceCheck) async throws {
        var changes: [Int64: [(day: Day, change: Int)]] = [:]
        var allowed: [Int64: [Day]] = [:]
        for try await (dayNumber, from, to, quantity, allowedNegative) in try await connection.query(
            "SELECT day, from_area_id, to_area_id, quantity, allowed_negative FROM leaflet_move", logger: quiet)
            .decode((Int, Int64?, Int64, Int, Int).self) {
            let day = Day(number: dayNumber)
            changes[to, default: []].append((day, quantity))
            if let from {
                changes[from, default: []].append((day, -quantity))
                if allowedNegative != 0 { allowed[from, default: []].append(day) }
            }
        }
        var handedOut: [String: Int] = [:]
        for try await (code, n) in try await connection.query("""
            SELECT a.code, sum(m.leaflets)::bigint FROM area_month m JOIN area a ON a.id = m.area_id WHERE m.leaflets > 0 GROUP BY a.code
            """, logger: quiet).decode((String, Int).self) {
            handedOut[code] = n
        }
        result.addLeaflets(changes: changes, allowed: allowed, handedOut: handedOut, codes: codes)
    }
}
