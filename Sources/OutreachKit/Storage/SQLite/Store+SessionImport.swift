import Foundation
import GRDB
import GRDBSQLite

extension Store {
    /// The columns a sessions file may have when it takes `campaignMetrics` (`SessionImport.columns`).
    public static func sessionColumns(campaignMetrics: [String]) -> (required: [String], optional: [String]) {
        SessionImport.columns(campaignMetrics: campaignMetrics)
    }

    /// Imports a sessions file (SPEC.md `sessions.csv`), all or nothing.
    ///
    /// Idempotent: rows with an id are skipped when the workspace has that id with the same
    /// content (campaign metrics included); a row without one gets a key from its normalised
    /// content and its occurrence among identical rows of the file (`RowKeyContent`), which is
    /// also its id, so a resent or re-saved sheet brings only its new rows; a file whose SHA-256
    /// is known is not read again. An id on two rows of the file is an error. A row without id
    /// that looks like the correction of a stored session (same day, area and team, other
    /// counts) is handled as `corrections` says: by default the file is refused. Monthly running totals are updated in the same
    /// transaction. Into an empty workspace the indexes are built after the load, which halves
    /// the cost of a first bulk import.
    ///
    /// - Parameter campaignMetrics: the metrics campaigns declare (`metrics:` in campaign
    ///   files), accepted as columns besides the built-in ones; their counts go to `session_metric`.
    public func importSessions(file path: String, name: String? = nil, today: Day, campaignMetrics: [String] = [],
                               problemLimit: Int = 50, corrections: LikelyCorrections = .refuse,
                               progress: ImportProgress? = nil) throws -> SessionImportSummary {
        let file = try SessionImport.SessionFile(path: path, name: name, campaignMetrics: campaignMetrics)
        let hash = file.digest, display = file.display
        let (reader, header) = try file.open()
        // Foreign keys are checked by the loader itself (every area and team id comes from the
        // same transaction's snapshot, and areas are never deleted): SQLite's per-row checks
        // would cost three B-tree searches per session. The pragma only works outside a transaction.
        return try guarded { try writer.writeWithoutTransaction { db in
            // WAL writes every page twice (log, then checkpoint) and checksums it: for a big file
            // a rollback journal is a third faster. It needs the file to itself, so it is tried
            // without waiting and skipped when another process has the workspace open.
            let wal = try Store.leaveWAL(db, forBytes: reader.totalBytes ?? 0)
            defer { if wal { _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") } }
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var summary = SessionImportSummary(file: display)
            try db.inTransaction(.immediate) {
            if let prior = try Row.fetchOne(db, sql: "SELECT imported, rows FROM import_file WHERE file_digest = ?",
                                            arguments: [Data(hash)]) {
                summary.previousImport = prior[0]
                summary.alreadyPresent = prior[1]
                summary.rows = prior[1]
                return .commit
            }
            var loader = try SessionLoader(db: db, reader: reader, reopen: { try CSVReader(path: path, name: display) }, header: header,
                                           campaignMetrics: SessionImport.metricCodes(campaignMetrics), hash: hash,
                                           today: today, problemLimit: problemLimit, corrections: corrections)
            try loader.run(progress: progress)
            summary.rows = loader.rows
            summary.imported = loader.imported
            summary.alreadyPresent = loader.alreadyPresent
            summary.corrected = loader.corrected
            summary.warnings = loader.warnings
            summary.warningCount = loader.warningCount
            summary.maskedNumbers = loader.maskedNumbers
            return .commit
            }
            return summary
        } }
    }

    /// Switches a single connection from WAL to a rollback journal for a large import (over
    /// 16 MiB), without waiting for other connections. Returns whether it switched.
    static func leaveWAL(_ db: Database, forBytes bytes: Int64) throws -> Bool {
        guard bytes > 16 << 20, try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" else { return false }
        sqlite3_busy_timeout(db.sqliteConnection, 0)
        defer { sqlite3_busy_timeout(db.sqliteConnection, 30_000) }
        let mode = try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
        return mode == "delete"
    }

    /// The facts of one area, by code (for single writes: no need to load the whole tree).
    static func areaFacts(_ db: Database, code: String) throws -> AreaFacts? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, adults, population, households, working_age FROM area WHERE code = ?"),
                                         arguments: [code]) else { return nil }
        let id: Int64 = row[0]
        return AreaFacts(id: id, communeID: try communeID(db, of: id), adults: row[1], population: row[2], households: row[3],
                         workingAge: row[4])
    }

    /// The commune-level area that is `areaID` or contains it.
    static func communeID(_ db: Database, of areaID: Int64) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: communeIDSQL), arguments: [areaID])
    }

    static let communeIDSQL: String = {
        let levels = AreaLevel.allCases.filter(\.isCommuneLevel).map { "'\($0.rawValue)'" }.joined(separator: ",")
        return """
            WITH RECURSIVE up(id, parent_id, level, n) AS (
                SELECT id, parent_id, level, 0 FROM area WHERE id = ?
                UNION ALL SELECT a.id, a.parent_id, a.level, up.n + 1 FROM area a JOIN up ON a.id = up.parent_id WHERE up.n < 64)
            SELECT id FROM up WHERE level IN (\(levels)) ORDER BY n LIMIT 1
            """
    }()

    /// The facts of one team, by code.
    static func teamFacts(_ db: Database, code: String) throws -> TeamFacts? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, area_id, status FROM team WHERE code = ?"), arguments: [code]) else {
            return nil
        }
        return TeamFacts(id: row[0], code: code, communeID: try communeID(db, of: row[1]), active: (row[2] as String) == "active")
    }
}

/// Running totals being built in memory during a write: per area and month (`area_month`),
/// per area and registered campaign period (`period_total`), and per campaign metric, month
/// and area (`area_month_metric`).
///
/// Buckets live in flat arrays (one slot per key) so that adding a session costs one
/// dictionary lookup and no allocation.
struct MonthBuckets {
    /// `group` is the month (months since 1970-01) or the period id.
    struct Key: Hashable { var area: Int64; var group: Int }
    /// A campaign metric's bucket: `metric` indexes `metricCodes`.
    struct MetricKey: Hashable { var metric: Int; var month: Int; var area: Int64 }
    static let width = Metric.allCases.count

    /// Registered campaign periods: sessions dated inside one also count in its totals.
    var periods: [PeriodRange] = []
    /// The campaign metrics met so far, by the index `metricIndex(_:)` gave them.
    private(set) var metricCodes: [String] = []

    private var slots: [Key: Int] = [:]
    private var periodSlots: [Key: Int] = [:]
    private var sessions: [Int] = []
    private var lastDay: [Int] = []
    /// `width` sums per slot, and `width` recorded flags per slot.
    private var sums: [Int] = []
    private var recorded: [Bool] = []
    /// Sums of campaign metrics (a bucket exists once a session recorded the metric).
    private var metricSums: [MetricKey: Int] = [:]

    /// How many buckets are held before `isFull` asks for a flush.
    let limit: Int

    init(periods: [PeriodRange] = [], metricCodes: [String] = [], limit: Int = MonthBuckets.flushThreshold) {
        self.periods = periods
        self.metricCodes = metricCodes
        self.limit = limit
    }

    /// The index of a campaign metric's code, for `add(metric:…)`.
    mutating func metricIndex(_ code: String) -> Int {
        if let i = metricCodes.firstIndex(of: code) { return i }
        metricCodes.append(code)
        return metricCodes.count - 1
    }

    /// Adds a live session's count of the campaign metric `metric` (an index of `metricCodes`).
    mutating func add(metric: Int, area: Int64, day: Int, value: Int) {
        metricSums[MetricKey(metric: metric, month: Day(number: day).monthIndex, area: area), default: 0] += value
    }

    /// Adds a live session's counts of campaign metrics, by code.
    mutating func add(metrics: [String: Int], area: Int64, day: Int) {
        for (code, value) in metrics {
            let metric = metricIndex(code)
            add(metric: metric, area: area, day: day, value: value)
        }
    }

    mutating func add(area: Int64, day: Int, values: UnsafePointer<Int>, recorded flags: UnsafePointer<Bool>) {
        addSlot(period: false, Key(area: area, group: Day(number: day).monthIndex), day: day, values: values, flags: flags)
        for p in periods where p.start <= day && day <= p.end {
            addSlot(period: true, Key(area: area, group: Int(p.id)), day: day, values: values, flags: flags)
        }
    }

    private mutating func addSlot(period: Bool, _ key: Key, day: Int, values: UnsafePointer<Int>, flags: UnsafePointer<Bool>) {
        let slot: Int
        if let s = period ? periodSlots[key] : slots[key] {
            slot = s
        } else {
            slot = sessions.count
            if period { periodSlots[key] = slot } else { slots[key] = slot }
            sessions.append(0)
            lastDay.append(Int.min)
            sums.append(contentsOf: repeatElement(0, count: MonthBuckets.width))
            recorded.append(contentsOf: repeatElement(false, count: MonthBuckets.width))
        }
        sessions[slot] += 1
        if day > lastDay[slot] { lastDay[slot] = day }
        let base = slot * MonthBuckets.width
        for i in 0..<MonthBuckets.width where flags[i] {
            sums[base + i] += values[i]
            recorded[base + i] = true
        }
    }

    /// Adds every bucket to `area_month`, `period_total` and `area_month_metric`, in key order,
    /// one UPSERT each.
    func apply(_ db: Database) throws {
        try apply(db, slots, table: "area_month", group: "month")
        try apply(db, periodSlots, table: "period_total", group: "period_id")
        guard !metricSums.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO area_month_metric (metric, month, area_id, value) VALUES (?, ?, ?, ?)
            ON CONFLICT (metric, month, area_id) DO UPDATE SET value = value + excluded.value
            """)
        let order = metricCodes.indices.sorted { metricCodes[$0] < metricCodes[$1] }
        var rank = [Int](repeating: 0, count: metricCodes.count)
        for (r, i) in order.enumerated() { rank[i] = r }
        for key in metricSums.keys.sorted(by: { (rank[$0.metric], $0.month, $0.area) < (rank[$1.metric], $1.month, $1.area) }) {
            try statement.execute(arguments: [metricCodes[key.metric], key.month, key.area, metricSums[key]!])
        }
    }

    /// Number of buckets held in memory before they are written out (bounds memory at national
    /// scale: 100,000 hamlets × 36 months would otherwise be millions of buckets). A bucket
    /// takes about 120 bytes with its share of the key table: 50,000 take 6 MB. A national file
    /// in date order touches about 25,000 buckets a month, so a flush rarely writes a bucket
    /// that a later flush adds to again.
    static let flushThreshold = 50_000

    /// Whether enough buckets are held to write them out now.
    var isFull: Bool { sessions.count + metricSums.count >= limit }

    /// Writes every bucket out and starts empty again.
    mutating func flush(_ db: Database) throws {
        try apply(db)
        self = MonthBuckets(periods: periods, metricCodes: metricCodes, limit: limit)
    }

    private func apply(_ db: Database, _ table: [Key: Int], table name: String, group: String) throws {
        guard !table.isEmpty else { return }
        let codes = Metric.allCases.map(\.code)
        let updates = codes.map { "\($0) = CASE WHEN excluded.\($0) IS NULL THEN \($0) ELSE coalesce(\($0), 0) + excluded.\($0) END" }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO \(name) (area_id, \(group), sessions, \(codes.joined(separator: ", ")), last_day)
            VALUES (?, ?, ?, \(codes.map { _ in "?" }.joined(separator: ", ")), ?)
            ON CONFLICT (\(group), area_id) DO UPDATE SET sessions = sessions + excluded.sessions,
                \(updates.joined(separator: ",\n    ")), last_day = max(last_day, excluded.last_day)
            """)
        // Bound through the C API: at national scale a large import writes a million buckets.
        let stmt = statement.sqliteStatement
        let width = MonthBuckets.width
        for key in table.keys.sorted(by: { ($0.group, $0.area) < ($1.group, $1.area) }) {
            let slot = table[key]!
            sqlite3_reset(stmt)
            sqlite3_bind_int64(stmt, 1, key.area)
            sqlite3_bind_int64(stmt, 2, Int64(key.group))
            sqlite3_bind_int64(stmt, 3, Int64(sessions[slot]))
            for i in 0..<width {
                if recorded[slot * width + i] {
                    sqlite3_bind_int64(stmt, Int32(4 + i), Int64(sums[slot * width + i]))
                } else {
                    sqlite3_bind_null(stmt, Int32(4 + i))
                }
            }
            sqlite3_bind_int64(stmt, Int32(4 + width), Int64(lastDay[slot]))
            let rc = sqlite3_step(stmt)
            guard rc == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
    }
}

/// A registered campaign period (day numbers, inclusive).
struct PeriodRange: Sendable {
    var id: Int64
    var start: Int
    var end: Int

    /// Every registered period.
    static func all(_ db: Database) throws -> [PeriodRange] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT id, start, end FROM period")).map { PeriodRange(id: $0[0], start: $0[1], end: $0[2]) }
    }
}
