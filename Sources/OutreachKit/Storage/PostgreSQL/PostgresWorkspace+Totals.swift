import Foundation
import PostgresNIO

// Running totals and what coverage and the district report read on PostgreSQL.
//
// `area_month`, `area_month_metric` and `period_total` are kept current by the statement-level
// triggers of migration "pg2-totals" (`PostgresWorkspace.totalsMigration`): every INSERT into
// `session`, `session_metric` or `session_void`, whoever makes it (log, import, merge), adds to
// or takes from them with one set-based statement per table. Reads here are those of SQLite's
// `Store+Coverage.swift` and `Store+Report.swift`, with the same results.
extension PostgresWorkspace {
    /// The tree a coverage report of `campaign` is built on and its areas' own totals
    /// (`CoverageInputs.gather`), the totals read from the period's running totals.
    public func coverageInputs(campaign: Campaign, options: CoverageReport.Options, countryName: String,
                               wholeTree: AreaTree?) async throws -> CoverageInputs {
        try await CoverageInputs.gather(
            campaign: campaign, options: options, countryName: countryName, wholeTree: wholeTree,
            tree: { root in try await self.areaTree(addingRoot: root) },
            around: { code, root in try await self.areaTree(around: code, addingRoot: root) },
            totals: { metrics, campaignMetrics, areas in
                try await self.periodTotals(campaign: campaign, asOf: options.asOf, metrics: metrics,
                                            campaignMetrics: campaignMetrics, areas: areas)
            })
    }

    /// Live session totals per area (its own sessions) dated from `start` to the earlier of
    /// `end` and `asOf`, by area id; only `areas` when given. As `Store.periodTotals`: the
    /// period's running totals (registered and built on first use), or, for an as-of day before
    /// the period's last session, the monthly totals and the partial months' sessions.
    public func periodTotals(start: Day, end: Day, asOf: Day, areas: [Int64]?) async throws -> [Int64: AreaTotals] {
        let through = min(end, asOf)
        if through < start { return [:] }
        let period = try await periodID(start: start, end: end)
        return try await read { connection in
            try await Self.periodTotals(connection, period: period, start: start, through: through, metrics: Metric.allCases,
                                        campaignMetrics: [], areas: areas).dictionary()
        }
    }

    /// Live sessions summed per day, dated `from`…`through`, over `areas` (every area when nil).
    public func dailyTotals(areas: [Int64]?, from: Day, through: Day) async throws -> [Day: AreaTotals] {
        var binds = PostgresBindings()
        binds.append(from.number)
        binds.append(through.number)
        var filter = ""
        if let areas {
            binds.append(areas)
            filter = " AND s.area_id = ANY($3)"
        }
        let sql = """
            SELECT s.day::bigint, count(*)::bigint, \(Metric.allCases.map { "sum(s.\($0.code))::bigint" }.joined(separator: ", "))
            FROM session s WHERE s.day BETWEEN $1 AND $2\(filter)
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            GROUP BY s.day
            """
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await read { connection in
            var out: [Day: AreaTotals] = [:]
            // Summed checked as they are read, as on SQLite.
            var all = AreaTotals()
            for try await row in try await connection.query(query, logger: Self.quiet) {
                let cells = try Self.integers(row)
                var metrics = MetricValues()
                for i in Metric.allCases.indices { metrics.values[i] = cells[2 + i] }
                let day = Day(number: cells[0] ?? 0)
                let totals = AreaTotals(sessions: cells[1] ?? 0, metrics: metrics, lastDay: day)
                try all.addChecked(totals)
                out[day] = totals
            }
            return out
        }
    }

    /// The day of the last live session up to `through` in each of `areas` (by area id); areas
    /// without one are absent. One index lookup per area, in one statement.
    public func lastSessionDays(areas: [Int64], through: Day) async throws -> [Int64: Day] {
        guard !areas.isEmpty else { return [:] }
        return try await read { connection in
            let rows = try await connection.query("""
                SELECT a.id, l.day::bigint FROM unnest(\(areas)::bigint[]) AS a(id)
                CROSS JOIN LATERAL (SELECT s.day FROM session s WHERE s.area_id = a.id AND s.day <= \(through.number)
                  AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
                  ORDER BY s.day DESC LIMIT 1) l
                """, logger: Self.quiet)
            var out: [Int64: Day] = [:]
            for try await (id, day) in rows.decode((Int64, Int64).self) { out[id] = Day(number: Int(day)) }
            return out
        }
    }

    // MARK: - Periods

    /// The id of the registered period `start`…`end`; the first call registers it and builds
    /// its totals from the monthly totals and the partial months' sessions, in one transaction.
    ///
    /// Idempotent under concurrent writers: `SHARE` locks on `session` and `session_void` wait
    /// for the writers in flight and hold new ones back until the period is committed, so every
    /// session is either in the totals built here or added by its trigger, which then sees the
    /// period. A second process registering the same period waits on the unique key and reads
    /// the first one's id.
    func periodID(start: Day, end: Day) async throws -> Int64 {
        let find: PostgresQuery = "SELECT id FROM period WHERE start = \(start.number) AND \"end\" = \(end.number)"
        if let id = try await read({ connection in try await Self.first(connection, find) }) { return id }
        return try await transaction { connection in
            try await connection.query("LOCK TABLE session, session_void IN SHARE MODE", logger: Self.quiet)
            let added = try await Self.first(connection, """
                INSERT INTO period (start, "end") VALUES (\(start.number), \(end.number)) ON CONFLICT DO NOTHING RETURNING id
                """)
            guard let id = added else {
                guard let id = try await Self.first(connection, find) else { throw Retry() }
                return id
            }
            let source = Self.totalsSource(from: start.number, to: end.number, metrics: Metric.allCases, areasBind: nil)
            var all = PostgresBindings()
            all.append(id)
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO period_total (period_id, area_id, sessions, \(Self.metricColumns), last_day)
                SELECT $1, area_id, sum(sessions), \(Metric.allCases.map { "sum(\($0.code))" }.joined(separator: ", ")), max(last_day)
                FROM (\(source)) x GROUP BY area_id ORDER BY area_id
                """, binds: all), logger: Self.quiet)
            return id
        }
    }

    /// The metric columns, comma-separated, in `Metric.allCases` order.
    static let metricColumns = Metric.allCases.map(\.code).joined(separator: ", ")

    /// The totals of `campaign`'s period as of `asOf` (nil before it starts), `period` being its
    /// id when the caller registered it.
    func periodTotals(campaign: Campaign, asOf: Day, metrics: [Metric], campaignMetrics: [String],
                      areas: [Int64]?) async throws -> DenseTotals? {
        let through = min(campaign.end, asOf)
        if through < campaign.start { return nil }
        let id = try await periodID(start: campaign.start, end: campaign.end)
        return try await read { connection in
            try await Self.periodTotals(connection, period: id, start: campaign.start, through: through, metrics: metrics,
                                        campaignMetrics: campaignMetrics, areas: areas, subtracting: true)
        }
    }

    /// The period's totals of `metrics` and `campaignMetrics` up to `through`, by area id: its
    /// running totals, unless a session after `through` counts in them (an as-of day in the
    /// past), when they are summed from the monthly totals and the partial months' sessions.
    /// Campaign metrics are always summed so (`area_month_metric` and `session_metric`).
    ///
    /// With `subtracting` (coverage), an as-of day nearer the period's last session than its
    /// start is answered as the period's totals less the sessions after it; last days are then
    /// not kept.
    static func periodTotals(_ connection: PostgresConnection, period: Int64, start: Day, through: Day, metrics: [Metric],
                             campaignMetrics: [String], areas: [Int64]?, subtracting: Bool = false) async throws -> DenseTotals {
        let size = Int(try await first(connection, "SELECT coalesce(max(id), 0) FROM area") ?? 0) + 1
        var dense = DenseTotals(size: size, metrics: metrics)
        // An indicator of campaign metrics only reads no built-in totals.
        if !(metrics.isEmpty && !campaignMetrics.isEmpty) {
            var binds = PostgresBindings()
            binds.append(period)
            var filter = ""
            if let areas {
                binds.append(areas)
                filter = " AND area_id = ANY($2)"
            }
            try await add(connection, PostgresQuery(unsafeSQL: """
                SELECT area_id, sessions, last_day::bigint, \(columns(metrics)) FROM period_total WHERE period_id = $1\(filter)
                """, binds: binds), into: &dense)
            if let last = dense.lastDay, last > through.number {
                let monthsBefore = through.monthIndex - start.monthIndex
                let monthsAfter = Day(number: last).monthIndex - through.monthIndex
                if subtracting, monthsAfter < monthsBefore {
                    // Nearer the last session than the start: the period's totals less the sessions
                    // after the day (fewer months to read), as `Store.periodTotals` does.
                    var after = DenseTotals(size: size, metrics: metrics)
                    try await add(connection, summed(from: through.number + 1, to: last, metrics: metrics, areas: areas), into: &after)
                    var unclear: [Metric: [Int64]] = [:]
                    for (area, metric) in dense.subtract(after) { unclear[metric, default: []].append(Int64(area)) }
                    // Both sides recorded the metric and nothing is left: was it recorded up to the day?
                    for (metric, ids) in unclear {
                        var recorded = Set<Int64>()
                        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                            SELECT DISTINCT s.area_id FROM session s WHERE s.area_id = ANY($1) AND s.day BETWEEN $2 AND $3
                              AND s.\(metric.code) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
                            """, binds: bindings(ids, start.number, through.number)), logger: quiet)
                        for try await id in rows.decode(Int64.self) { recorded.insert(id) }
                        for id in ids where !recorded.contains(id) { dense.forget(area: Int(id), metric: metric) }
                    }
                } else {
                    dense = DenseTotals(size: size, metrics: metrics)
                    try await add(connection, summed(from: start.number, to: through.number, metrics: metrics, areas: areas), into: &dense)
                }
            }
        }
        for code in campaignMetrics {
            let span = MonthSpan(from: start.number, to: through.number)
            var binds = PostgresBindings()
            binds.append(code)
            var parts: [String] = []
            let filter = areas.map { binds.append($0); return " AND area_id = ANY($2)" } ?? ""
            if let months = span.months {
                parts.append("SELECT area_id, value FROM area_month_metric WHERE metric = $1 AND month BETWEEN \(months.lowerBound) AND \(months.upperBound)\(filter)")
            }
            for days in span.days {
                parts.append("""
                    SELECT s.area_id, m.value FROM session s JOIN session_metric m ON m.session_id = s.id AND m.metric = $1
                    WHERE s.day BETWEEN \(days.lowerBound) AND \(days.upperBound)\(filter.replacingOccurrences(of: "area_id", with: "s.area_id"))
                      AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
                    """)
            }
            var sums = [Int](repeating: 0, count: size)
            var recorded = [Bool](repeating: false, count: size)
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT area_id, sum(value)::bigint FROM (\(parts.joined(separator: " UNION ALL "))) x GROUP BY area_id
                """, binds: binds), logger: quiet)
            for try await (area, value) in rows.decode((Int64, Int64).self) where area >= 0 && area < size {
                sums[Int(area)] = Int(value)
                recorded[Int(area)] = true
            }
            dense.addCampaignMetric(code, sums: sums, recorded: recorded)
        }
        return dense
    }

    /// Rows `area_id, sessions, last_day, <metrics…>` summed per area over the live sessions
    /// dated `from`…`to` (day numbers), of `areas` only when given.
    static func summed(from: Int, to: Int, metrics: [Metric], areas: [Int64]?) -> PostgresQuery {
        var binds = PostgresBindings()
        if let areas { binds.append(areas) }
        let source = totalsSource(from: from, to: to, metrics: metrics, areasBind: areas == nil ? nil : 1)
        return PostgresQuery(unsafeSQL: """
            SELECT area_id, sum(sessions)::bigint, max(last_day)::bigint, \(metrics.isEmpty ? "NULL::bigint" : metrics.map { "sum(\($0.code))::bigint" }.joined(separator: ", "))
            FROM (\(source)) x GROUP BY area_id
            """, binds: binds)
    }

    /// Bindings of an id array and two day numbers, for `$1`, `$2`, `$3`.
    static func bindings(_ ids: [Int64], _ a: Int, _ b: Int) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(ids)
        binds.append(a)
        binds.append(b)
        return binds
    }

    /// A query of rows `area_id, sessions, last_day, <metrics…>` over the live sessions dated
    /// `from`…`to` (day numbers): the whole months' rows of `area_month` and the partial months'
    /// sessions, not summed (see `MonthSpan`). With `areasBind`, only the areas in the array
    /// bound at that place (`$n`).
    static func totalsSource(from: Int, to: Int, metrics: [Metric], areasBind: Int?) -> String {
        let filter = areasBind.map { " AND area_id = ANY($\($0))" } ?? ""
        let span = MonthSpan(from: from, to: to)
        var parts: [String] = []
        if let months = span.months {
            parts.append("""
                SELECT area_id, sessions, last_day, \(columns(metrics)) FROM area_month
                WHERE month BETWEEN \(months.lowerBound) AND \(months.upperBound)\(filter)
                """)
        }
        for days in span.days {
            parts.append("""
                SELECT s.area_id, 1::bigint AS sessions, s.day AS last_day, \(metrics.isEmpty ? "NULL::bigint" : metrics.map { "s.\($0.code)" }.joined(separator: ", "))
                FROM session s WHERE s.day BETWEEN \(days.lowerBound) AND \(days.upperBound)\(filter.replacingOccurrences(of: "area_id", with: "s.area_id"))
                  AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
                """)
        }
        return parts.joined(separator: "\nUNION ALL\n")
    }

    /// The metrics' columns for a SELECT list (one NULL when there are none).
    static func columns(_ metrics: [Metric]) -> String {
        metrics.isEmpty ? "NULL::bigint" : metrics.map(\.code).joined(separator: ", ")
    }

    /// Adds the rows `area_id, sessions, last_day, <dense's metrics…>` of `query` to `dense`.
    static func add(_ connection: PostgresConnection, _ query: PostgresQuery, into dense: inout DenseTotals) async throws {
        let width = dense.metrics.count
        var values = [Int?](repeating: nil, count: width)
        for try await row in try await connection.query(query, logger: quiet) {
            let cells = try integers(row)
            for i in 0..<width { values[i] = cells[3 + i] }
            try dense.add(area: cells[0] ?? -1, sessions: cells[1] ?? 0, day: cells[2] ?? Int.min, values: values)
        }
    }

    /// A row's cells as integers (BIGINT or NULL).
    static func integers(_ row: PostgresRow) throws -> [Int?] {
        var out: [Int?] = []
        out.reserveCapacity(12)
        for cell in row {
            switch cell.dataType {
            case .int8, .int4, .int2: out.append(cell.int)
            default: out.append(try cell.decode(Int64?.self).map { Int($0) })
            }
        }
        return out
    }

    /// The first column of the first row of `query` (a BIGINT), if any.
    static func first(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> Int64? {
        for try await value in try await connection.query(query, logger: quiet).decode(Int64?.self) { return value }
        return nil
    }

    /// Rebuilds every running total from the live sessions, in one transaction that holds the
    /// writers of sessions and voids back meanwhile (after a bulk load around the triggers, or
    /// as `check`'s repair).
    func rebuildTotals() async throws {
        try await transaction { connection in
            try await connection.query("LOCK TABLE session, session_metric, session_void IN SHARE MODE", logger: Self.quiet)
            for statement in PostgresSchema.Migration(name: "rebuild", sql: Self.rebuildTotalsSQL).statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Self.quiet)
            }
        }
    }

    // MARK: - Schema

    /// Statements that rebuild every running total from the live sessions (a bulk load that
    /// went around the triggers; `check`'s repair).
    static let rebuildTotalsSQL = """
            TRUNCATE area_month, area_month_metric, period_total;
            INSERT INTO area_month (month, area_id, sessions, eid_l2, bank_account, ewallet, leaflets, dvc_guided, households_visited, people_reached, smartphone_setup, last_day)
            SELECT outreach_month(s.day), s.area_id, count(*), sum(s.eid_l2), sum(s.bank_account), sum(s.ewallet), sum(s.leaflets), sum(s.dvc_guided), sum(s.households_visited), sum(s.people_reached), sum(s.smartphone_setup), max(s.day) FROM session s
            WHERE NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id) GROUP BY 1, 2;
            INSERT INTO area_month_metric (metric, month, area_id, value)
            SELECT m.metric, outreach_month(s.day), s.area_id, sum(m.value) FROM session s JOIN session_metric m ON m.session_id = s.id
            WHERE NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id) GROUP BY 1, 2, 3;
            INSERT INTO period_total (period_id, area_id, sessions, eid_l2, bank_account, ewallet, leaflets, dvc_guided, households_visited, people_reached, smartphone_setup, last_day)
            SELECT p.id, s.area_id, count(*), sum(s.eid_l2), sum(s.bank_account), sum(s.ewallet), sum(s.leaflets), sum(s.dvc_guided), sum(s.households_visited), sum(s.people_reached), sum(s.smartphone_setup), max(s.day) FROM session s JOIN period p ON s.day BETWEEN p.start AND p."end"
            WHERE NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id) GROUP BY 1, 2
        """

    /// The triggers that keep the running totals current.
    static let totalsMigration = PostgresSchema.Migration(name: "pg2-totals running totals kept by statement triggers", sql: """
            -- Day numbers (days since 1970-01-01) to months since 1970-01, and back to a month's first day.
            CREATE FUNCTION outreach_month(integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT ((extract(year FROM date '1970-01-01' + $1) - 1970) * 12 + extract(month FROM date '1970-01-01' + $1) - 1)::integer
            $$;
            CREATE FUNCTION outreach_month_start(integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT make_date(1970 + $1 / 12, $1 % 12 + 1, 1) - date '1970-01-01'
            $$;

            -- New sessions count in their month and in every registered period containing their day: one
            -- set-based UPSERT per table for the whole statement, in key order (two writers lock the
            -- buckets they share in the same order: no deadlock between them). A metric stays NULL (not
            -- recorded) until a session of the bucket records it.
            CREATE FUNCTION outreach_sessions_added() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO area_month AS t (month, area_id, sessions, eid_l2, bank_account, ewallet, leaflets, dvc_guided, households_visited, people_reached, smartphone_setup, last_day)
                SELECT outreach_month(a.day), a.area_id, count(*), sum(a.eid_l2), sum(a.bank_account), sum(a.ewallet), sum(a.leaflets), sum(a.dvc_guided), sum(a.households_visited), sum(a.people_reached), sum(a.smartphone_setup), max(a.day)
                FROM added a GROUP BY 1, 2 ORDER BY 1, 2
                ON CONFLICT (month, area_id) DO UPDATE SET
                    sessions = t.sessions + excluded.sessions,
                    eid_l2 = CASE WHEN excluded.eid_l2 IS NULL THEN t.eid_l2 ELSE coalesce(t.eid_l2, 0) + excluded.eid_l2 END,
                    bank_account = CASE WHEN excluded.bank_account IS NULL THEN t.bank_account ELSE coalesce(t.bank_account, 0) + excluded.bank_account END,
                    ewallet = CASE WHEN excluded.ewallet IS NULL THEN t.ewallet ELSE coalesce(t.ewallet, 0) + excluded.ewallet END,
                    leaflets = CASE WHEN excluded.leaflets IS NULL THEN t.leaflets ELSE coalesce(t.leaflets, 0) + excluded.leaflets END,
                    dvc_guided = CASE WHEN excluded.dvc_guided IS NULL THEN t.dvc_guided ELSE coalesce(t.dvc_guided, 0) + excluded.dvc_guided END,
                    households_visited = CASE WHEN excluded.households_visited IS NULL THEN t.households_visited ELSE coalesce(t.households_visited, 0) + excluded.households_visited END,
                    people_reached = CASE WHEN excluded.people_reached IS NULL THEN t.people_reached ELSE coalesce(t.people_reached, 0) + excluded.people_reached END,
                    smartphone_setup = CASE WHEN excluded.smartphone_setup IS NULL THEN t.smartphone_setup ELSE coalesce(t.smartphone_setup, 0) + excluded.smartphone_setup END,
                    last_day = greatest(t.last_day, excluded.last_day);
                INSERT INTO period_total AS t (period_id, area_id, sessions, eid_l2, bank_account, ewallet, leaflets, dvc_guided, households_visited, people_reached, smartphone_setup, last_day)
                SELECT p.id, a.area_id, count(*), sum(a.eid_l2), sum(a.bank_account), sum(a.ewallet), sum(a.leaflets), sum(a.dvc_guided), sum(a.households_visited), sum(a.people_reached), sum(a.smartphone_setup), max(a.day)
                FROM added a JOIN period p ON a.day BETWEEN p.start AND p."end"
                GROUP BY 1, 2 ORDER BY 1, 2
                ON CONFLICT (period_id, area_id) DO UPDATE SET
                    sessions = t.sessions + excluded.sessions,
                    eid_l2 = CASE WHEN excluded.eid_l2 IS NULL THEN t.eid_l2 ELSE coalesce(t.eid_l2, 0) + excluded.eid_l2 END,
                    bank_account = CASE WHEN excluded.bank_account IS NULL THEN t.bank_account ELSE coalesce(t.bank_account, 0) + excluded.bank_account END,
                    ewallet = CASE WHEN excluded.ewallet IS NULL THEN t.ewallet ELSE coalesce(t.ewallet, 0) + excluded.ewallet END,
                    leaflets = CASE WHEN excluded.leaflets IS NULL THEN t.leaflets ELSE coalesce(t.leaflets, 0) + excluded.leaflets END,
                    dvc_guided = CASE WHEN excluded.dvc_guided IS NULL THEN t.dvc_guided ELSE coalesce(t.dvc_guided, 0) + excluded.dvc_guided END,
                    households_visited = CASE WHEN excluded.households_visited IS NULL THEN t.households_visited ELSE coalesce(t.households_visited, 0) + excluded.households_visited END,
                    people_reached = CASE WHEN excluded.people_reached IS NULL THEN t.people_reached ELSE coalesce(t.people_reached, 0) + excluded.people_reached END,
                    smartphone_setup = CASE WHEN excluded.smartphone_setup IS NULL THEN t.smartphone_setup ELSE coalesce(t.smartphone_setup, 0) + excluded.smartphone_setup END,
                    last_day = greatest(t.last_day, excluded.last_day);
                RETURN NULL;
            END $$;
            CREATE TRIGGER session_totals AFTER INSERT ON session REFERENCING NEW TABLE AS added
                FOR EACH STATEMENT EXECUTE FUNCTION outreach_sessions_added();

            -- A campaign metric's counts of live sessions, per month (a row once a session recorded it).
            CREATE FUNCTION outreach_session_metrics_added() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO area_month_metric AS t (metric, month, area_id, value)
                SELECT m.metric, outreach_month(s.day), s.area_id, sum(m.value)
                FROM added m JOIN session s ON s.id = m.session_id
                WHERE NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                ON CONFLICT (metric, month, area_id) DO UPDATE SET value = t.value + excluded.value;
                RETURN NULL;
            END $$;
            CREATE TRIGGER session_metric_totals AFTER INSERT ON session_metric REFERENCING NEW TABLE AS added
                FOR EACH STATEMENT EXECUTE FUNCTION outreach_session_metrics_added();

            -- A void takes the voided sessions' counts away from their buckets (locked in key order
            -- first). A bucket left without sessions goes, and in the others, what only the live sessions
            -- can tell is read from them: whether each metric is still recorded, and the last day, as
            -- SQLite's recomputation leaves them. A writer adding to a bucket meanwhile waits for its
            -- lock and adds to what the void left, so nothing is lost.
            CREATE FUNCTION outreach_sessions_voided() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM 1 FROM area_month t
                JOIN (SELECT DISTINCT outreach_month(s.day) AS month, s.area_id FROM added v JOIN session s ON s.id = v.session_id) k
                  ON t.month = k.month AND t.area_id = k.area_id
                ORDER BY t.month, t.area_id FOR UPDATE OF t;
                UPDATE area_month t SET
                    sessions = t.sessions - g.sessions,
                    eid_l2 = CASE WHEN g.eid_l2 IS NULL THEN t.eid_l2 ELSE t.eid_l2 - g.eid_l2 END,
                    bank_account = CASE WHEN g.bank_account IS NULL THEN t.bank_account ELSE t.bank_account - g.bank_account END,
                    ewallet = CASE WHEN g.ewallet IS NULL THEN t.ewallet ELSE t.ewallet - g.ewallet END,
                    leaflets = CASE WHEN g.leaflets IS NULL THEN t.leaflets ELSE t.leaflets - g.leaflets END,
                    dvc_guided = CASE WHEN g.dvc_guided IS NULL THEN t.dvc_guided ELSE t.dvc_guided - g.dvc_guided END,
                    households_visited = CASE WHEN g.households_visited IS NULL THEN t.households_visited ELSE t.households_visited - g.households_visited END,
                    people_reached = CASE WHEN g.people_reached IS NULL THEN t.people_reached ELSE t.people_reached - g.people_reached END,
                    smartphone_setup = CASE WHEN g.smartphone_setup IS NULL THEN t.smartphone_setup ELSE t.smartphone_setup - g.smartphone_setup END
                FROM (SELECT outreach_month(s.day) AS month, s.area_id, count(*) AS sessions, sum(s.eid_l2) AS eid_l2, sum(s.bank_account) AS bank_account, sum(s.ewallet) AS ewallet, sum(s.leaflets) AS leaflets, sum(s.dvc_guided) AS dvc_guided, sum(s.households_visited) AS households_visited, sum(s.people_reached) AS people_reached, sum(s.smartphone_setup) AS smartphone_setup
                      FROM added v JOIN session s ON s.id = v.session_id GROUP BY 1, 2) g
                WHERE t.month = g.month AND t.area_id = g.area_id;
                DELETE FROM area_month t
                USING (SELECT DISTINCT outreach_month(s.day) AS month, s.area_id FROM added v JOIN session s ON s.id = v.session_id) k
                WHERE t.month = k.month AND t.area_id = k.area_id AND t.sessions <= 0;
                UPDATE area_month t SET
                    eid_l2 = CASE WHEN r.eid_l2 THEN t.eid_l2 END,
                    bank_account = CASE WHEN r.bank_account THEN t.bank_account END,
                    ewallet = CASE WHEN r.ewallet THEN t.ewallet END,
                    leaflets = CASE WHEN r.leaflets THEN t.leaflets END,
                    dvc_guided = CASE WHEN r.dvc_guided THEN t.dvc_guided END,
                    households_visited = CASE WHEN r.households_visited THEN t.households_visited END,
                    people_reached = CASE WHEN r.people_reached THEN t.people_reached END,
                    smartphone_setup = CASE WHEN r.smartphone_setup THEN t.smartphone_setup END,
                    last_day = r.last_day
                FROM (SELECT k.month, k.area_id, bool_or(s.eid_l2 IS NOT NULL) AS eid_l2, bool_or(s.bank_account IS NOT NULL) AS bank_account, bool_or(s.ewallet IS NOT NULL) AS ewallet, bool_or(s.leaflets IS NOT NULL) AS leaflets, bool_or(s.dvc_guided IS NOT NULL) AS dvc_guided, bool_or(s.households_visited IS NOT NULL) AS households_visited, bool_or(s.people_reached IS NOT NULL) AS people_reached, bool_or(s.smartphone_setup IS NOT NULL) AS smartphone_setup, max(s.day) AS last_day
                      FROM (SELECT DISTINCT outreach_month(s.day) AS month, s.area_id FROM added v JOIN session s ON s.id = v.session_id) k
                      JOIN session s ON s.area_id = k.area_id
                        AND s.day BETWEEN outreach_month_start(k.month) AND outreach_month_start(k.month + 1) - 1
                      WHERE NOT EXISTS (SELECT 1 FROM session_void x WHERE x.session_id = s.id)
                      GROUP BY 1, 2) r
                WHERE t.month = r.month AND t.area_id = r.area_id;

                PERFORM 1 FROM period_total t
                JOIN (SELECT DISTINCT p.id AS period_id, s.area_id FROM added v JOIN session s ON s.id = v.session_id
                      JOIN period p ON s.day BETWEEN p.start AND p."end") k
                  ON t.period_id = k.period_id AND t.area_id = k.area_id
                ORDER BY t.period_id, t.area_id FOR UPDATE OF t;
                UPDATE period_total t SET
                    sessions = t.sessions - g.sessions,
                    eid_l2 = CASE WHEN g.eid_l2 IS NULL THEN t.eid_l2 ELSE t.eid_l2 - g.eid_l2 END,
                    bank_account = CASE WHEN g.bank_account IS NULL THEN t.bank_account ELSE t.bank_account - g.bank_account END,
                    ewallet = CASE WHEN g.ewallet IS NULL THEN t.ewallet ELSE t.ewallet - g.ewallet END,
                    leaflets = CASE WHEN g.leaflets IS NULL THEN t.leaflets ELSE t.leaflets - g.leaflets END,
                    dvc_guided = CASE WHEN g.dvc_guided IS NULL THEN t.dvc_guided ELSE t.dvc_guided - g.dvc_guided END,
                    households_visited = CASE WHEN g.households_visited IS NULL THEN t.households_visited ELSE t.households_visited - g.households_visited END,
                    people_reached = CASE WHEN g.people_reached IS NULL THEN t.people_reached ELSE t.people_reached - g.people_reached END,
                    smartphone_setup = CASE WHEN g.smartphone_setup IS NULL THEN t.smartphone_setup ELSE t.smartphone_setup - g.smartphone_setup END
                FROM (SELECT p.id AS period_id, s.area_id, count(*) AS sessions, sum(s.eid_l2) AS eid_l2, sum(s.bank_account) AS bank_account, sum(s.ewallet) AS ewallet, sum(s.leaflets) AS leaflets, sum(s.dvc_guided) AS dvc_guided, sum(s.households_visited) AS households_visited, sum(s.people_reached) AS people_reached, sum(s.smartphone_setup) AS smartphone_setup
                      FROM added v JOIN session s ON s.id = v.session_id JOIN period p ON s.day BETWEEN p.start AND p."end"
                      GROUP BY 1, 2) g
                WHERE t.period_id = g.period_id AND t.area_id = g.area_id;
                DELETE FROM period_total t
                USING (SELECT DISTINCT p.id AS period_id, s.area_id FROM added v JOIN session s ON s.id = v.session_id
                       JOIN period p ON s.day BETWEEN p.start AND p."end") k
                WHERE t.period_id = k.period_id AND t.area_id = k.area_id AND t.sessions <= 0;
                UPDATE period_total t SET
                    eid_l2 = CASE WHEN r.eid_l2 THEN t.eid_l2 END,
                    bank_account = CASE WHEN r.bank_account THEN t.bank_account END,
                    ewallet = CASE WHEN r.ewallet THEN t.ewallet END,
                    leaflets = CASE WHEN r.leaflets THEN t.leaflets END,
                    dvc_guided = CASE WHEN r.dvc_guided THEN t.dvc_guided END,
                    households_visited = CASE WHEN r.households_visited THEN t.households_visited END,
                    people_reached = CASE WHEN r.people_reached THEN t.people_reached END,
                    smartphone_setup = CASE WHEN r.smartphone_setup THEN t.smartphone_setup END,
                    last_day = r.last_day
                FROM (SELECT k.period_id, k.area_id, bool_or(s.eid_l2 IS NOT NULL) AS eid_l2, bool_or(s.bank_account IS NOT NULL) AS bank_account, bool_or(s.ewallet IS NOT NULL) AS ewallet, bool_or(s.leaflets IS NOT NULL) AS leaflets, bool_or(s.dvc_guided IS NOT NULL) AS dvc_guided, bool_or(s.households_visited IS NOT NULL) AS households_visited, bool_or(s.people_reached IS NOT NULL) AS people_reached, bool_or(s.smartphone_setup IS NOT NULL) AS smartphone_setup, max(s.day) AS last_day
                      FROM (SELECT DISTINCT p.id AS period_id, s.area_id, p.start, p."end" FROM added v JOIN session s ON s.id = v.session_id
                            JOIN period p ON s.day BETWEEN p.start AND p."end") k
                      JOIN session s ON s.area_id = k.area_id AND s.day BETWEEN k.start AND k."end"
                      WHERE NOT EXISTS (SELECT 1 FROM session_void x WHERE x.session_id = s.id)
                      GROUP BY 1, 2) r
                WHERE t.period_id = r.period_id AND t.area_id = r.area_id;

                PERFORM 1 FROM area_month_metric t
                JOIN (SELECT DISTINCT m.metric, outreach_month(s.day) AS month, s.area_id FROM added v
                      JOIN session s ON s.id = v.session_id JOIN session_metric m ON m.session_id = s.id) k
                  ON t.metric = k.metric AND t.month = k.month AND t.area_id = k.area_id
                ORDER BY t.metric, t.month, t.area_id FOR UPDATE OF t;
                UPDATE area_month_metric t SET value = t.value - g.value
                FROM (SELECT m.metric, outreach_month(s.day) AS month, s.area_id, sum(m.value) AS value FROM added v
                      JOIN session s ON s.id = v.session_id JOIN session_metric m ON m.session_id = s.id GROUP BY 1, 2, 3) g
                WHERE t.metric = g.metric AND t.month = g.month AND t.area_id = g.area_id;
                DELETE FROM area_month_metric t
                USING (SELECT DISTINCT m.metric, outreach_month(s.day) AS month, s.area_id FROM added v
                       JOIN session s ON s.id = v.session_id JOIN session_metric m ON m.session_id = s.id) k
                WHERE t.metric = k.metric AND t.month = k.month AND t.area_id = k.area_id
                  AND NOT EXISTS (SELECT 1 FROM session s JOIN session_metric m ON m.session_id = s.id AND m.metric = t.metric
                                  WHERE s.area_id = t.area_id
                                    AND s.day BETWEEN outreach_month_start(t.month) AND outreach_month_start(t.month + 1) - 1
                                    AND NOT EXISTS (SELECT 1 FROM session_void x WHERE x.session_id = s.id));
                RETURN NULL;
            END $$;
            CREATE TRIGGER session_void_totals AFTER INSERT ON session_void REFERENCING NEW TABLE AS added
                FOR EACH STATEMENT EXECUTE FUNCTION outreach_sessions_voided()
        """)
}
