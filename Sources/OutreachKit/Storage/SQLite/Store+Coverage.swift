import Foundation
import GRDB
import GRDBSQLite

extension Store {
    /// Live session totals per area (the session's own area, not rolled up) for the sessions
    /// dated from `start` to the earlier of `end` and `asOf`, by area id.
    ///
    /// The period's running totals are built on first use (one pass over its sessions through
    /// the day index) and kept current by every write afterwards, so "as of today" reads one
    /// row per area whatever the number of sessions. An as-of day before the period's last
    /// session is answered from the monthly totals of the whole months and the sessions of the
    /// partial months at each end.
    ///
    /// With `areas`, only those areas are read (a report under one commune).
    public func periodTotals(start: Day, end: Day, asOf: Day, areas: [Int64]? = nil) throws -> [Int64: AreaTotals] {
        try periodTotals(start: start, end: end, asOf: asOf, metrics: Metric.allCases, areas: areas)?.dictionary() ?? [:]
    }

    /// The period totals of `metrics` and `campaignMetrics` only, by area id in flat arrays; nil
    /// when the period has not started on `asOf`.
    ///
    /// With `subtracting`, an as-of day nearer the period's last session than its start is
    /// answered as the period's totals minus the sessions after it (fewer months to read); the
    /// totals' last days are then not kept. Campaign metrics are read from their monthly totals
    /// and the counts of the partial months' sessions (`DenseTotals.addCampaignMetrics`).
    func periodTotals(start: Day, end: Day, asOf: Day, metrics: [Metric], campaignMetrics: [String] = [], areas: [Int64]?,
                      subtracting: Bool = false) throws -> DenseTotals? {
        let filter = areas.map { " AND area_id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
        let through = min(end, asOf)
        if through < start { return nil }
        let registered = try read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM period WHERE start = ? AND end = ?", arguments: [start.number, end.number])
        }
        guard let periodID = try registered ?? (isReadOnly ? nil : write { db in try Store.registerPeriod(db, start: start.number, end: end.number) })
        else {
            // Read-only media: the period's totals cannot be kept, so they are summed from the
            // monthly totals and the partial months' sessions.
            return try read { db in
                var dense = try Store.totalsBetween(db, from: start.number, to: through.number, metrics: metrics, filter: filter)
                if !campaignMetrics.isEmpty {
                    try dense.addCampaignMetrics(db, campaignMetrics, from: start.number, to: through.number, filter: filter)
                }
                return dense
            }
        }
        return try read { db in
            // An indicator of campaign metrics only reads no built-in totals.
            var dense = metrics.isEmpty && !campaignMetrics.isEmpty
                ? DenseTotals(size: Int(try Int64.fetchOne(db, sql: "SELECT max(id) FROM area") ?? 0) + 1, metrics: [])
                : try builtInTotals(db)
            if !campaignMetrics.isEmpty {
                try dense.addCampaignMetrics(db, campaignMetrics, from: start.number, to: through.number, filter: filter)
            }
            return dense
        }
        func builtInTotals(_ db: Database) throws -> DenseTotals {
            let maxID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM area") ?? 0
            var dense = DenseTotals(size: Int(maxID) + 1, metrics: metrics)
            // `period_id = ?`, not a range: with `--under`, SQLite then looks up each area in the
            // primary key instead of reading the period's 100,000 rows (25 ms at national scale).
            try dense.add(db, sql: """
                SELECT area_id, sessions, last_day, \(dense.columns) FROM period_total WHERE period_id = ?\(filter)
                """, Int(periodID))
            guard let last = dense.lastDay, last > through.number else { return dense }
            let monthsBefore = through.monthIndex - start.monthIndex
            let monthsAfter = Day(number: last).monthIndex - through.monthIndex
            guard subtracting, monthsAfter < monthsBefore else {
                return try Store.totalsBetween(db, from: start.number, to: through.number, metrics: metrics, filter: filter)
            }
            let after = try Store.totalsBetween(db, from: through.number + 1, to: last, metrics: metrics, filter: filter)
            // Both sides recorded the metric and nothing is left: was it recorded up to the day?
            var statements: [Metric: Statement] = [:]
            for (area, metric) in dense.subtract(after) {
                if statements[metric] == nil {
                    statements[metric] = try db.makeStatement(sql: """
                        SELECT EXISTS (SELECT 1 FROM session s WHERE s.area_id = ? AND s.day BETWEEN ? AND ?
                          AND s.\(metric.code) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id))
                        """)
                }
                let recorded = try Bool.fetchOne(statements[metric]!, arguments: [area, start.number, through.number]) ?? false
                if !recorded { dense.forget(area: area, metric: metric) }
            }
            return dense
        }
    }

    /// The tree a coverage report of `campaign` is built on and its areas' own totals
    /// (`CoverageInputs.gather`): for the whole tree, the tree and the totals are read at the
    /// same time on two connections, each in its own read transaction.
    public func coverageInputs(campaign: Campaign, options: CoverageReport.Options, countryName: String,
                               wholeTree: AreaTree?) async throws -> CoverageInputs {
        try await CoverageInputs.gather(
            campaign: campaign, options: options, countryName: countryName, wholeTree: wholeTree,
            tree: { root in try self.areaTree(addingRoot: root) },
            around: { code, root in try self.areaTree(around: code, addingRoot: root) },
            totals: { metrics, campaignMetrics, areas in
                try self.periodTotals(start: campaign.start, end: campaign.end, asOf: options.asOf, metrics: metrics,
                                      campaignMetrics: campaignMetrics, areas: areas, subtracting: true)
            })
    }

    /// The metric columns, comma-separated, in `Metric.allCases` order.
    static let metricColumns = Metric.allCases.map(\.code).joined(separator: ", ")

    /// Adds a period and builds its totals from the live sessions; returns its id. Idempotent
    /// under concurrent writers (the period is unique).
    static func registerPeriod(_ db: Database, start: Int, end: Int) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM period WHERE start = ? AND end = ?", arguments: [start, end]) {
            return id
        }
        try db.execute(sql: "INSERT INTO period (start, end) VALUES (?, ?)", arguments: [start, end])
        let id = db.lastInsertedRowID
        let totals = try totalsBetween(db, from: start, to: end).dictionary()
        let statement = try db.makeStatement(sql: """
            INSERT INTO period_total (period_id, area_id, sessions, \(metricColumns), last_day)
            VALUES (?, ?, ?, \(Metric.allCases.map { _ in "?" }.joined(separator: ", ")), ?)
            """)
        for area in totals.keys.sorted() {
            let t = totals[area]!
            var args: [(any DatabaseValueConvertible)?] = [id, area, t.sessions]
            for v in t.metrics.values { args.append(v) }
            args.append(t.lastDay?.number)
            try statement.execute(arguments: StatementArguments(args))
        }
        return id
    }

    /// Totals of live sessions dated `from`…`to` (day numbers, inclusive): whole months from
    /// `area_month`, partial months from the sessions themselves (through the day index).
    ///
    /// Summed in Swift into arrays indexed by area id (ids are dense), rather than by SQL
    /// GROUP BYs that would sort millions of buckets or sessions at national scale.
    static func totalsBetween(_ db: Database, from: Int, to: Int, metrics: [Metric] = Metric.allCases,
                              filter: String = "") throws -> DenseTotals {
        let maxID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM area") ?? 0
        var sums = DenseTotals(size: Int(maxID) + 1, metrics: metrics)
        let monthSQL = "SELECT area_id, sessions, last_day, \(sums.columns) FROM area_month WHERE \(MonthSpan.range(keyed: filter.isEmpty))\(filter)"
        let sessionSQL = """
            SELECT s.area_id, 1, s.day, \(metrics.isEmpty ? "NULL" : metrics.map { "s.\($0.code)" }.joined(separator: ", "))
            FROM session s WHERE s.day BETWEEN ? AND ?\(filter.replacingOccurrences(of: "area_id", with: "s.area_id"))
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            """
        let span = MonthSpan(from: from, to: to)
        if let months = span.months {
            try sums.add(db, sql: monthSQL + span.monthList(if: !filter.isEmpty), months.lowerBound, months.upperBound)
        }
        for days in span.days { try sums.add(db, sql: sessionSQL, days.lowerBound, days.upperBound) }
        return sums
    }

}

/// A range of days (day numbers, inclusive) as the whole months inside it and the days of the
/// partial months at its ends: what monthly totals answer, and what only sessions can.
struct MonthSpan {
    /// The whole months inside the range (months since 1970-01), if any.
    var months: ClosedRange<Int>?
    /// The days outside those months, as at most two ranges.
    var days: [ClosedRange<Int>]

    static func monthStart(_ m: Int) -> Int { Day(year: 1970 + m / 12, month: m % 12 + 1, day: 1)!.number }

    /// `month BETWEEN ? AND ?`; when not `keyed`, with a `+` that keeps SQLite from reading the
    /// key by that range, so that it looks up the listed months and areas instead (see
    /// `monthList`).
    static func range(keyed: Bool) -> String { keyed ? "month BETWEEN ? AND ?" : "+month BETWEEN ? AND ?" }

    /// ` AND month IN (…)` listing the whole months, when `wanted`: beside a filter on the
    /// areas, SQLite then looks each (month, area) up in the key instead of reading every
    /// area's rows of the months (a commune as of a past day at national scale: 3 ms, not 60).
    func monthList(if wanted: Bool) -> String {
        guard wanted, let months else { return "" }
        return " AND month IN (\(months.map(String.init).joined(separator: ",")))"
    }

    init(from: Int, to: Int) {
        let firstMonth = Day(number: from).monthIndex, lastMonth = Day(number: to).monthIndex
        // Whole months inside the range (the end months too when they are whole).
        let wholeFrom = from == MonthSpan.monthStart(firstMonth) ? firstMonth : firstMonth + 1
        let wholeTo = to == MonthSpan.monthStart(lastMonth + 1) - 1 ? lastMonth : lastMonth - 1
        guard wholeFrom <= wholeTo else {
            months = nil
            days = [from...to]
            return
        }
        months = wholeFrom...wholeTo
        days = []
        if wholeFrom > firstMonth { days.append(from...MonthSpan.monthStart(wholeFrom) - 1) }
        if wholeTo < lastMonth { days.append(MonthSpan.monthStart(wholeTo + 1)...to) }
    }

    /// The span with each partial end month counted whole when the rest of that month has no
    /// session (`hasSessions` tells, for a range of days): its monthly totals are then exact,
    /// which spares reading the month's sessions (as of today, the month so far).
    func widened(_ hasSessions: (ClosedRange<Int>) throws -> Bool) rethrows -> MonthSpan {
        var out = self
        out.days = []
        for range in days {
            let month = Day(number: range.lowerBound).monthIndex
            let start = MonthSpan.monthStart(month), end = MonthSpan.monthStart(month + 1) - 1
            var whole = range.upperBound <= end
            if whole, start < range.lowerBound { whole = try !hasSessions(start...range.lowerBound - 1) }
            if whole, range.upperBound < end { whole = try !hasSessions(range.upperBound + 1...end) }
            guard whole else { out.days.append(range); continue }
            out.months = out.months.map { min($0.lowerBound, month)...max($0.upperBound, month) } ?? month...month
        }
        return out
    }
}

/// Totals per area id in flat arrays (area ids are dense), filled from query rows of
/// `area_id, sessions, day, <the metrics' columns…>` read through the C API. Only the metrics
/// asked for are read: a report of one indicator reads one or two columns of eight. Campaign
/// metrics, when asked for, are held apart (`addCampaignMetrics`).
struct DenseTotals {
    /// The metrics read, in column order.
    let metrics: [Metric]
    /// The campaign metrics read, by code.
    private(set) var campaignMetrics: [String] = []
    private var sessions: [Int]
    private var lastDays: [Int]
    private var sums: [Int]
    private var recorded: [Bool]
    /// Sums and recorded flags of the campaign metrics: one array per metric, by area id.
    private var campaignSums: [[Int]] = []
    private var campaignRecorded: [[Bool]] = []

    init(size: Int, metrics: [Metric]) {
        self.metrics = metrics
        sessions = Array(repeating: 0, count: size)
        lastDays = Array(repeating: Int.min, count: size)
        sums = Array(repeating: 0, count: size * metrics.count)
        recorded = Array(repeating: false, count: size * metrics.count)
    }

    /// The metrics' columns for a SELECT list (`NULL` when there are none).
    var columns: String { metrics.isEmpty ? "NULL" : metrics.map(\.code).joined(separator: ", ") }

    /// The latest session day of any area, as a day number.
    var lastDay: Int? {
        let last = lastDays.max() ?? Int.min
        return last == Int.min ? nil : last
    }

    mutating func add(_ db: Database, sql: String, _ a: Int, _ b: Int? = nil) throws {
        let statement = try db.makeStatement(sql: sql)
        let stmt = statement.sqliteStatement
        sqlite3_bind_int64(stmt, 1, Int64(a))
        if let b { sqlite3_bind_int64(stmt, 2, Int64(b)) }
        defer { sqlite3_reset(stmt) }
        let width = metrics.count
        try sessions.withUnsafeMutableBufferPointer { sessions in
        try lastDays.withUnsafeMutableBufferPointer { lastDay in
        try sums.withUnsafeMutableBufferPointer { sums in
        try recorded.withUnsafeMutableBufferPointer { recorded in
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                let area = Int(sqlite3_column_int64(stmt, 0))
                guard area >= 0, area < sessions.count else { continue }
                // Checked: a total that is not an integer, or sums that overflow, throw
                // `CountOverflow` (see `StoredCount`).
                sessions[area] = try sessions[area].addingCount(StoredCount.column(stmt, 1, "sessions") ?? 0, "sessions")
                let day = Int(sqlite3_column_int64(stmt, 2))
                if day > lastDay[area] { lastDay[area] = day }
                let base = area * width
                for i in 0..<width {
                    guard let v = try StoredCount.column(stmt, Int32(3 + i), metrics[i].code) else { continue }
                    sums[base + i] = try sums[base + i].addingCount(v, metrics[i].code)
                    recorded[base + i] = true
                }
            }
        } } } }
    }

    /// Adds one row of totals read by another engine: `values` holds the metrics' sums in
    /// `metrics` order (nil: not recorded). Checked as `add(_:sql:)` is.
    mutating func add(area: Int, sessions count: Int, day: Int, values: [Int?]) throws(CountOverflow) {
        guard area >= 0, area < sessions.count else { return }
        sessions[area] = try sessions[area].addingCount(count, "sessions")
        if day > lastDays[area] { lastDays[area] = day }
        let base = area * metrics.count
        for (i, value) in values.enumerated() where i < metrics.count {
            guard let value else { continue }
            sums[base + i] = try sums[base + i].addingCount(value, metrics[i].code)
            recorded[base + i] = true
        }
    }

    /// Holds the campaign metric `code`'s sums and recorded flags by area id, read by another
    /// engine (see `addCampaignMetrics`).
    mutating func addCampaignMetric(_ code: String, sums: [Int], recorded: [Bool]) {
        campaignMetrics.append(code)
        campaignSums.append(sums)
        campaignRecorded.append(recorded)
    }

    /// Number of area ids the arrays hold (the largest id + 1).
    var size: Int { sessions.count }

    /// Takes away `later` (totals of the same metrics over a later range of the same sessions),
    /// leaving the totals up to the day before that range. Last days are dropped. Returns the
    /// (area, metric) pairs whose recorded state cannot be told from sums alone: recorded on
    /// both sides, with nothing left.
    mutating func subtract(_ later: DenseTotals) -> [(area: Int, metric: Metric)] {
        var unclear: [(Int, Metric)] = []
        let width = metrics.count
        for area in sessions.indices where sessions[area] > 0 {
            lastDays[area] = Int.min
            guard area < later.sessions.count, later.sessions[area] > 0 else { continue }
            sessions[area] -= later.sessions[area]
            for i in 0..<width {
                let k = area * width + i
                guard recorded[k] else { continue }
                if sessions[area] == 0 {
                    recorded[k] = false
                    sums[k] = 0
                } else if later.recorded[k] {
                    sums[k] -= later.sums[k]
                    if sums[k] == 0 { unclear.append((area, metrics[i])) }
                }
            }
        }
        return unclear
    }

    /// Marks `metric` as not recorded in `area`.
    mutating func forget(area: Int, metric: Metric) {
        guard let i = metrics.firstIndex(of: metric) else { return }
        recorded[area * metrics.count + i] = false
        sums[area * metrics.count + i] = 0
    }

    /// The areas with at least one session.
    func dictionary() -> [Int64: AreaTotals] {
        var out: [Int64: AreaTotals] = [:]
        let width = metrics.count
        for area in sessions.indices where sessions[area] > 0 {
            var values = MetricValues()
            for (i, metric) in metrics.enumerated() where recorded[area * width + i] { values[metric] = sums[area * width + i] }
            let last = lastDays[area] == Int.min ? nil : Day(number: lastDays[area])
            out[Int64(area)] = AreaTotals(sessions: sessions[area], metrics: values, lastDay: last)
        }
        return out
    }

    /// Reads the live sessions' counts of `codes` (campaign metrics) dated `from`…`to` (day
    /// numbers, inclusive): whole months from `area_month_metric`, partial months from
    /// `session_metric` joined to the sessions of those days; `filter` limits the areas as in
    /// `Store.totalsBetween`. A metric no session recorded in an area stays unrecorded there.
    mutating func addCampaignMetrics(_ db: Database, _ codes: [String], from: Int, to: Int, filter: String) throws {
        let size = sessions.count
        let anySession = try db.makeStatement(sql: "SELECT EXISTS (SELECT 1 FROM session WHERE day BETWEEN ? AND ?)")
        let span = try MonthSpan(from: from, to: to).widened { days in
            try Bool.fetchOne(anySession, arguments: [days.lowerBound, days.upperBound]) ?? true
        }
        let months = try db.makeStatement(sql: """
            SELECT area_id, value FROM area_month_metric WHERE metric = ? AND \(MonthSpan.range(keyed: filter.isEmpty))\(filter)\(span.monthList(if: !filter.isEmpty))
            """)
        let days = try db.makeStatement(sql: """
            SELECT s.area_id, m.value FROM session s JOIN session_metric m ON m.session_id = s.id AND m.metric = ?
            WHERE s.day BETWEEN ? AND ?\(filter.replacingOccurrences(of: "area_id", with: "s.area_id"))
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            """)
        for code in codes {
            var sums = [Int](repeating: 0, count: size)
            var recorded = [Bool](repeating: false, count: size)
            // Rows of `area_id, value`, read through the C API (a national report as of a past
            // day reads a row per hamlet and month).
            try sums.withUnsafeMutableBufferPointer { sums in
            try recorded.withUnsafeMutableBufferPointer { recorded in
                func add(_ statement: Statement, _ range: ClosedRange<Int>) throws {
                    try statement.setArguments([code, range.lowerBound, range.upperBound])
                    let c = SQLiteColumns(statement.sqliteStatement)
                    defer { sqlite3_reset(c.stmt) }
                    while try c.step(db) {
                        let area = Int(sqlite3_column_int64(c.stmt, 0))
                        guard area >= 0, area < size else { continue }
                        guard let v = try StoredCount.column(c.stmt, 1, code) else { continue }
                        sums[area] = try sums[area].addingCount(v, code)
                        recorded[area] = true
                    }
                }
                if let range = span.months { try add(months, range) }
                for range in span.days { try add(days, range) }
            } }
            campaignMetrics.append(code)
            campaignSums.append(sums)
            campaignRecorded.append(recorded)
        }
    }

    /// Adds the totals of each unit `from` into the unit `to` of `placement` (the unit of a dated
    /// tree that counts the sessions of a unit not in it), leaving none in `from`.
    mutating func fold(_ placement: [Int64: Int64]) {
        let width = metrics.count
        for (from, to) in placement.sorted(by: { $0.key < $1.key }) {
            let f = Int(from), t = Int(to)
            guard f >= 0, f < sessions.count, t >= 0, t < sessions.count, f != t, sessions[f] > 0 else { continue }
            sessions[t] += sessions[f]
            sessions[f] = 0
            lastDays[t] = max(lastDays[t], lastDays[f])
            for i in 0..<width where recorded[f * width + i] {
                sums[t * width + i] = sums[t * width + i].addingClamped(sums[f * width + i])
                recorded[t * width + i] = true
                sums[f * width + i] = 0
                recorded[f * width + i] = false
            }
            for k in campaignSums.indices where f < campaignRecorded[k].count && campaignRecorded[k][f] {
                campaignSums[k][t] = campaignSums[k][t].addingClamped(campaignSums[k][f])
                campaignRecorded[k][t] = true
                campaignSums[k][f] = 0
                campaignRecorded[k][f] = false
            }
        }
    }

    /// The totals by index of `tree` (areas of the tree without an id here have none).
    func own(for tree: AreaTree) -> OwnTotals {
        var own = OwnTotals(count: tree.nodes.count, campaignMetrics: campaignMetrics)
        let width = metrics.count
        let indexes = metrics.map(\.index)
        for (index, node) in tree.nodes.enumerated() {
            let area = Int(node.id)
            guard area >= 0, area < sessions.count, sessions[area] > 0 else { continue }
            for i in 0..<width where recorded[area * width + i] { own.set(index, column: indexes[i], sum: sums[area * width + i]) }
        }
        for (k, recorded) in campaignRecorded.enumerated() {
            for (index, node) in tree.nodes.enumerated() where node.id >= 0 && node.id < recorded.count && recorded[Int(node.id)] {
                own.set(index, column: MetricValues.width + k, sum: campaignSums[k][Int(node.id)])
            }
        }
        return own
    }
}
