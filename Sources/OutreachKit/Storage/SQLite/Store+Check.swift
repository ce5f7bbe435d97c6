import Foundation
import GRDB
import GRDBSQLite

/// The result of `outreach check`: SQLite's integrity check and the product's own invariants.
public struct WorkspaceCheck: Equatable, Sendable {
    public enum Status: String, Equatable, Sendable {
        case ok, warning, problem
    }

    /// One thing checked.
    public struct Item: Equatable, Sendable {
        /// What was checked, as a stable English code ("monthly totals"); the command line names
        /// it in the chosen language.
        public var name: String
        public var status: Status
        /// What was found, in words any language can write.
        public var found: CheckText
        /// What to do about a problem or a warning, in words any language can write.
        public var todo: CheckText?

        /// What was found, in English.
        public var detail: String { found.english }
        /// What to do, in English.
        public var advice: String? { todo?.english }
    }

    public var items: [Item] = []

    /// Whether nothing is wrong (warnings allowed).
    public var passed: Bool { !items.contains { $0.status == .problem } }

    /// Whether `Store.repair()` can fix every problem found.
    public var repairable: Bool { items.filter { $0.status == .problem }.allSatisfy { Self.repairableNames.contains($0.name) } }

    static let repairableNames: Set<String> = ["schema", "triggers", "monthly totals", "campaign period totals", "campaign metric totals"]

    mutating func add(_ name: String, _ status: Status, _ found: CheckText, advice: CheckText? = nil) {
        items.append(Item(name: name, status: status, found: found, todo: advice))
    }

    /// The item of a table of running totals: `rows` stored, `wrong` of them (or missing) not
    /// equal to the totals recomputed from the sessions, described by `examples`.
    mutating func addTotals(_ name: String, table: String, rows: Int, wrong: Int, examples: [CheckText]) {
        if wrong == 0 {
            let rows = rows == 1 ? Phrase("check.count.table_row.one", ["table": table], counts: ["count": 1])
                                 : Phrase("check.count.table_row.other", ["table": table], counts: ["count": rows])
            add(name, .ok, .phrase(Phrase("check.totals.ok"), parts: ["rows": .phrase(rows)]))
        } else {
            let count = wrong == 1 ? Phrase("check.count.row.one", counts: ["count": 1])
                                   : Phrase("check.count.row.other", counts: ["count": wrong])
            add(name, .problem, .phrase(Phrase("check.totals.problem", ["table": table]),
                                        parts: ["rows": .phrase(count), "examples": .list(examples, separator: "; ")]),
                advice: .phrase(Phrase("check.totals.advice")))
        }
    }
}

/// Words of `outreach check` that any language can write: a label phrase whose placeholders may
/// hold other such words (`{units}` → `2 units`, `2 đơn vị`), a list of them, or text that is
/// the same in every language (SQLite's own messages, codes, table names).
public indirect enum CheckText: Equatable, Sendable {
    case phrase(Phrase, parts: [String: CheckText])
    case list([CheckText], separator: String)
    case plain(String)

    /// A phrase without nested parts.
    static func phrase(_ phrase: Phrase) -> CheckText { .phrase(phrase, parts: [:]) }

    /// The words in the language of `labels`.
    public func text(_ labels: Labels) -> String {
        switch self {
        case let .phrase(phrase, parts):
            var text = phrase.text(labels)
            for (name, part) in parts { text = text.replacingOccurrences(of: "{\(name)}", with: part.text(labels)) }
            return text
        case let .list(items, separator):
            return items.map { $0.text(labels) }.joined(separator: separator)
        case let .plain(text):
            return text
        }
    }

    /// The words in English.
    public var english: String { text(Labels(.en)) }
}

/// What `Store.repair()` did.
public struct RepairSummary: Equatable, Sendable {
    /// Indexes and triggers re-created from the schema.
    public var schemaObjects: [String] = []
    /// Monthly and campaign-period buckets rewritten from the sessions.
    public var totals = 0
}

extension Store {
    /// Advice for damage only a backup can undo.
    static let restore = CheckText.phrase(Phrase("check.advice.restore"))
    /// The same in English.
    static var restoreAdvice: String { restore.english }

    /// Checks the workspace: SQLite's integrity check and foreign keys, the schema's indexes and
    /// triggers, every session's area, the area tree, the stored running totals against totals
    /// recomputed from the live sessions, and leaflet stock below zero that no allocation allowed.
    /// Reads one consistent snapshot; never writes.
    public func check() throws -> WorkspaceCheck {
        let reference = try Store.referenceSchema()
        return try read { db in
            var result = WorkspaceCheck()
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check(20)")
            if integrity == ["ok"] {
                result.add("SQLite integrity", .ok, .phrase(Phrase("check.integrity.ok")))
            } else {
                result.add("SQLite integrity", .problem, .plain(integrity.prefix(5).joined(separator: "; ")), advice: Store.restore)
            }
            let broken = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            if broken.isEmpty {
                result.add("references", .ok, .phrase(Phrase("check.references.ok")))
            } else {
                let tables = Dictionary(grouping: broken) { $0[0] as String }.sorted { $0.key < $1.key }
                    .map { CheckText.phrase(Phrase("check.references.in", ["table": $0.key], counts: ["count": $0.value.count])) }
                result.add("references", .problem, .phrase(Phrase("check.references.problem", counts: ["count": broken.count]),
                                                           parts: ["tables": .list(tables, separator: ", ")]),
                           advice: Store.restore)
            }
            let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('index','trigger','table')"))
            let missing = reference.keys.filter { !present.contains($0) }.sorted()
            if missing.isEmpty {
                result.add("schema", .ok, .phrase(Phrase("check.schema.ok")))
            } else {
                result.add("schema", .problem, .phrase(Phrase("check.schema.missing", ["names": missing.joined(separator: ", ")])),
                           advice: .phrase(Phrase("check.schema.advice"), parts: ["restore": Store.restore]))
            }
            try Store.checkSessionsAndTree(db, into: &result)
            if present.contains("session_row_key") { try Store.checkRowKeys(db, into: &result) }
            guard present.contains("session"), present.contains("area_month"), present.contains("area_month_metric") else { return result }
            let outOfRange = try Store.checkSessionCounts(db, into: &result)
            let recomputed: TotalsByKey
            do {
                recomputed = try Store.recomputedTotals(db)
            } catch let overflow as CountOverflow {
                // The live sessions' counts add up past what a total can hold: no total can be
                // right until the sessions at fault are voided (named above).
                if !outOfRange {
                    result.add("session counts", .problem, .phrase(Phrase("check.counts.overflow", ["what": overflow.what])),
                               advice: .phrase(Phrase("check.counts.advice")))
                }
                try Store.checkLeafletsUnlessOverflowing(db, codes: Store.areaCodes(db), into: &result)
                return result
            }
            let stored = try Store.storedTotals(db)
            let codes = try Store.areaCodes(db)
            result.addTotals(recomputed: recomputed, stored: stored, codes: codes)
            try Store.checkLeafletsUnlessOverflowing(db, codes: codes, into: &result)
            return result
        }
    }

    /// Area codes by id.
    private static func areaCodes(_ db: Database) throws -> [Int64: String] {
        try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, code FROM area").map { ($0[0] as Int64, $0[1] as String) })
    }

    /// Live sessions with a count outside 0…`SessionCount.maximum` (logged by an older version,
    /// or written by another program): named, with how to void them. Returns whether any was.
    private static func checkSessionCounts(_ db: Database, into result: inout WorkspaceCheck) throws -> Bool {
        let outside = Metric.allCases.map { "s.\($0.code) NOT BETWEEN 0 AND \(SessionCount.maximum)" }.joined(separator: " OR ")
        let live = "NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)"
        let rows = try Row.fetchAll(db, sql: """
            SELECT s.uuid FROM session s WHERE (\(outside)) AND \(live)
            UNION SELECT s.uuid FROM session s JOIN session_metric m ON m.session_id = s.id
            WHERE (typeof(m.value) <> 'integer' OR m.value NOT BETWEEN 0 AND \(SessionCount.maximum)) AND \(live)
            """)
        let ids = rows.compactMap { row -> String? in
            guard case .blob(let data) = (row[0] as DatabaseValue).storage, data.count == 16 else { return nil }
            return SessionID.format(Array(data))
        }
        return result.addSessionCounts(ids: ids, count: rows.count)
    }

    /// Rebuilds the running totals from the live sessions and re-creates missing indexes and
    /// triggers, in one transaction.
    public func repair() throws -> RepairSummary {
        let reference = try Store.referenceSchema()
        return try write { db in
            var summary = RepairSummary()
            let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master"))
            for (name, object) in reference.sorted(by: { $0.key < $1.key }) where !present.contains(name) && object.type != "table" {
                try db.execute(sql: object.sql)
                summary.schemaObjects.append(name)
            }
            let totals = try Store.recomputedTotals(db)
            try db.execute(sql: "DELETE FROM area_month; DELETE FROM period_total; DELETE FROM area_month_metric")
            let metricStatement = try db.makeStatement(sql: "INSERT INTO area_month_metric (metric, month, area_id, value) VALUES (?, ?, ?, ?)")
            for key in totals.metrics.keys.sorted(by: { ($0.metric, $0.month, $0.area) < ($1.metric, $1.month, $1.area) }) {
                try metricStatement.execute(arguments: [key.metric, key.month, key.area, totals.metrics[key]!])
                summary.totals += 1
            }
            let codes = Metric.allCases.map(\.code).joined(separator: ", ")
            let marks = Metric.allCases.map { _ in "?" }.joined(separator: ", ")
            for (table, group, rows) in [("area_month", "month", totals.months), ("period_total", "period_id", totals.periods)] {
                let statement = try db.makeStatement(sql: """
                    INSERT INTO \(table) (area_id, \(group), sessions, \(codes), last_day) VALUES (?, ?, ?, \(marks), ?)
                    """)
                for key in rows.keys.sorted(by: { ($0.group, $0.area) < ($1.group, $1.area) }) {
                    let t = rows[key]!
                    var args: [(any DatabaseValueConvertible)?] = [key.area, key.group, t.sessions]
                    for v in t.metrics.values { args.append(v) }
                    args.append(t.lastDay?.number)
                    try statement.execute(arguments: StatementArguments(args))
                    summary.totals += 1
                }
            }
            return summary
        }
    }

    /// Name → (type, SQL) of every table, index and trigger the migrations create.
    private static func referenceSchema() throws -> [String: (type: String, sql: String)] {
        let fresh = try Store.inMemory()
        return try fresh.read { db in
            var out: [String: (String, String)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT name, type, sql FROM sqlite_master WHERE type IN ('index','trigger','table') AND sql IS NOT NULL
                  AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
                """) {
                out[row[0]] = (row[1], row[2])
            }
            return out
        }
    }

    /// Every row key is the key of its session's content (at some occurrence); sessions that an
    /// earlier import of the same rows brought a second time before keys existed are named.
    /// Keys are not repaired: the occurrence comes from the file, which the workspace does not keep.
    private static func checkRowKeys(_ db: Database, into result: inout WorkspaceCheck) throws {
        var keyed = 0
        var wrong: [String] = []
        var wrongCount = 0
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT s.uuid, s.row_key, \(RowKeyContent.storedColumns) \(RowKeyContent.storedJoins) WHERE s.row_key IS NOT NULL
            """)
        while let row = try cursor.next() {
            keyed += 1
            let key = [UInt8](row[1] as Data)
            let digest = RowKeyContent.ofStored(row, at: 2).digest()
            // Identical rows of one file beyond a few thousand are not met in practice.
            if (0..<4096).contains(where: { RowKey.key(digest, occurrence: $0) == key }) { continue }
            wrongCount += 1
            if wrong.count < 3 { wrong.append(SessionID.format([UInt8](row[0] as Data))) }
        }
        // Sessions from rows without id (a derived id) of a file, left without a key by migration 6
        // because an earlier session of another file had the same key.
        var twice: [String] = []
        var twiceCount = 0
        for row in try Row.fetchAll(db, sql: """
            SELECT s.uuid FROM session s JOIN import_file f ON f.id = s.import_id
            WHERE s.row_key IS NULL AND length(f.file_digest) = 16
            """) {
            let id = [UInt8](row[0] as Data)
            guard RowKey.isDerivedLayout(id) else { continue }
            twiceCount += 1
            if twice.count < 3 { twice.append(SessionID.format(id)) }
        }
        result.addRowKeys(keyed: keyed, wrong: wrong, wrongCount: wrongCount, twice: twice, twiceCount: twiceCount)
    }

    private static func checkSessionsAndTree(_ db: Database, into result: inout WorkspaceCheck) throws {
        let sessions = try Int.fetchOne(db, sql: "SELECT count(*) FROM session") ?? 0
        let voided = try Int.fetchOne(db, sql: "SELECT count(*) FROM session_void") ?? 0
        let orphans = try Int.fetchOne(db, sql: "SELECT count(*) FROM session WHERE area_id NOT IN (SELECT id FROM area)") ?? 0
        var parent: [Int64: Int64] = [:]
        var code: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, code, parent_id FROM area") {
            code[row[0]] = row[1]
            if let p: Int64 = row[2] { parent[row[0]] = p }
        }
        result.addSessionsAndTree(sessions: sessions, voided: voided, orphans: orphans, codes: code, parents: parent)
    }

    /// Running totals keyed by (month or period id, area), and campaign metrics' by (metric,
    /// month, area).
    struct TotalsByKey {
        /// A campaign metric's monthly bucket.
        struct MetricKey: Hashable { var metric: String; var month: Int; var area: Int64 }
        var months: [MonthBuckets.Key: AreaTotals] = [:]
        var periods: [MonthBuckets.Key: AreaTotals] = [:]
        var metrics: [MetricKey: Int] = [:]
        /// Stored buckets holding a value that is not an integer (a sum that overflowed in an
        /// older version: SQLite made it a REAL), left out of the dictionaries above.
        var notWholeMonths: Set<MonthBuckets.Key> = []
        var notWholePeriods: Set<MonthBuckets.Key> = []
        var notWholeMetrics: Set<MetricKey> = []
    }

    /// `2026-11` for a month index (months since 1970-01).
    static func monthText(_ month: Int) -> String {
        "\(1970 + month / 12)-\(month % 12 + 1 < 10 ? "0" : "")\(month % 12 + 1)"
    }

    /// The totals every live session adds up to, per month and per registered period, and the
    /// monthly totals of campaign metrics.
    static func recomputedTotals(_ db: Database) throws -> TotalsByKey {
        let periods = try PeriodRange.all(db)
        var out = TotalsByKey()
        let statement = try db.makeStatement(sql: """
            SELECT s.area_id, s.day, \(Metric.allCases.map { "s.\($0.code)" }.joined(separator: ", ")) FROM session s
            WHERE NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            """)
        let c = SQLiteColumns(statement.sqliteStatement)
        defer { sqlite3_reset(c.stmt) }
        var one = AreaTotals(sessions: 1)
        while try c.step(db) {
            let area = Int64(c.int(0) ?? 0), day = c.int(1) ?? 0
            for (m, metric) in Metric.allCases.enumerated() { one.metrics.values[m] = try StoredCount.column(c.stmt, Int32(2 + m), metric.code) }
            one.lastDay = Day(number: day)
            try out.months[MonthBuckets.Key(area: area, group: Day(number: day).monthIndex), default: AreaTotals()].addChecked(one)
            for p in periods where p.start <= day && day <= p.end {
                try out.periods[MonthBuckets.Key(area: area, group: Int(p.id)), default: AreaTotals()].addChecked(one)
            }
        }
        let counts = try Row.fetchCursor(db, sql: """
            SELECT m.metric, s.day, s.area_id, m.value FROM session_metric m JOIN session s ON s.id = m.session_id
            WHERE NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            """)
        while let row = try counts.next() {
            let code: String = row[0]
            let key = TotalsByKey.MetricKey(metric: code, month: Day(number: row[1]).monthIndex, area: row[2])
            out.metrics[key] = try (out.metrics[key] ?? 0).addingCount(StoredCount.value(row, 3, code) ?? 0, code)
        }
        return out
    }

    static func storedTotals(_ db: Database) throws -> TotalsByKey {
        var out = TotalsByKey()
        let columns = "sessions, \(Metric.allCases.map(\.code).joined(separator: ", ")), last_day"
        for (table, group) in [("area_month", "month"), ("period_total", "period_id")] {
            for row in try Row.fetchAll(db, sql: "SELECT area_id, \(group), \(columns) FROM \(table)") {
                let key = MonthBuckets.Key(area: row[0], group: row[1])
                do {
                    var metrics = MetricValues()
                    for m in 0..<MetricValues.width { metrics.values[m] = try StoredCount.value(row, 3 + m, "") }
                    let totals = AreaTotals(sessions: try StoredCount.required(row, 2, ""),
                                            metrics: metrics, lastDay: Day(number: row[3 + MetricValues.width]))
                    if table == "area_month" { out.months[key] = totals } else { out.periods[key] = totals }
                } catch {
                    if table == "area_month" { out.notWholeMonths.insert(key) } else { out.notWholePeriods.insert(key) }
                }
            }
        }
        for row in try Row.fetchAll(db, sql: "SELECT metric, month, area_id, value FROM area_month_metric") {
            let key = TotalsByKey.MetricKey(metric: row[0], month: row[1], area: row[2])
            if let value = try? StoredCount.value(row, 3, "") { out.metrics[key] = value } else { out.notWholeMetrics.insert(key) }
        }
        return out
    }

    static func describe(_ totals: AreaTotals?) -> CheckText {
        guard let totals else { return .phrase(Phrase("check.totals.nothing")) }
        let figures = Metric.allCases.compactMap { m in totals.metrics[m].map { CheckText.plain("\(m.code) \($0)") } }
        return .list([sessionCount(totals.sessions)] + figures, separator: ", ")
    }

    /// The leaflet stock check, left out when the monthly totals it reads cannot be summed (the
    /// totals' own items say why, and `--repair` or voiding the sessions at fault comes first).
    private static func checkLeafletsUnlessOverflowing(_ db: Database, codes: [Int64: String], into result: inout WorkspaceCheck) throws {
        var leaflets = result
        do {
            try checkLeaflets(db, codes: codes, into: &leaflets)
            result = leaflets
        } catch is CountOverflow {}
    }

    /// Stock below zero: an error where allocations alone took a unit below zero and none of its
    /// allocations up to that day was recorded with --allow-negative (two copies passed on the
    /// same leaflets); a warning where only the leaflets handed out in sessions did, which
    /// `outreach leaflets stock` flags as "over".
    private static func checkLeaflets(_ db: Database, codes: [Int64: String], into result: inout WorkspaceCheck) throws {
        var changes: [Int64: [(day: Day, change: Int)]] = [:]
        var allowed: [Int64: [Day]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT day, from_area_id, to_area_id, quantity, allowed_negative FROM leaflet_move") {
            let day = Day(number: row[0]), quantity: Int = row[3]
            changes[row[2], default: []].append((day, quantity))
            if let from: Int64 = row[1] {
                changes[from, default: []].append((day, -quantity))
                if row[4] as Bool { allowed[from, default: []].append(day) }
            }
        }
        let handedOut = try leafletsHandedOut(db, through: nil)
        result.addLeaflets(changes: changes, allowed: allowed, handedOut: handedOut, codes: codes)
    }
}

/// "1 session", "2 sessions" (en); "2 buổi" (vi).
func sessionCount(_ n: Int) -> CheckText {
    .phrase(n == 1 ? Phrase("check.count.session.one", counts: ["count": 1]) : Phrase("check.count.session.other", counts: ["count": n]))
}
