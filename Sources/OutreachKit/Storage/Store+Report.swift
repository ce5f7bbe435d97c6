import GRDB
import GRDBSQLite

extension Store {
    /// The district report of `campaign` under the area `code` (the campaign's scope when nil)
    /// on `asOf`: coverage built exactly as `outreach coverage` builds it, the team structure,
    /// the leaflet stock, the weekly progress and the units gone quiet.
    public func districtReport(campaign: Campaign, under code: String?, asOf: Day) throws -> DistrictReport {
        // The whole tree, the teams and the leaflet moves are read once, for every part of the
        // report: coverage, structure and stock are built from them as their own commands build them.
        let areas = try areaTree()
        let tree = campaign.coversWholeTree ? areas.addingRoot((code: Campaign.wholeTreeScope, name: Campaign.wholeTreeName)) : areas
        let coverage = try coverageReport(campaign: campaign, options: .init(asOf: asOf, under: code), wholeTree: tree)
        let teams = try self.teams()
        let counts = try memberCounts(on: asOf)
        let (moves, handedOut) = try read { db in
            (try Store.leafletMoves(db, through: asOf), try Store.leafletsHandedOut(db, through: asOf))
        }
        guard let start = tree.index(of: coverage.startCode) else { throw AreaLookupError.unknownCode(coverage.startCode) }
        let isRoot = tree.nodes[start].level == .country
        // The added root is the last node: every other index is the same in `areas`.
        let unit = isRoot ? nil : start
        let ids = isRoot ? nil : tree.preorder(from: [start]).map { tree.nodes[$0.index].id }
        let through = min(asOf, campaign.end)
        let daily = through < campaign.start ? [:] : try dailyTotals(areas: ids, from: campaign.start, through: through)
        let units = DistrictReport.sessionUnits(tree: tree, start: start)
        let lastDays = try lastSessionDays(areas: units.map { tree.nodes[$0].id }, through: asOf)
        let structure = StructureReport(tree: areas, start: unit, teams: teams, memberCounts: counts, asOf: asOf)
        let stock = LeafletStock(tree: areas, start: unit, moves: moves, handedOut: handedOut, asOf: asOf)
        return DistrictReport(campaign: campaign, tree: tree, start: start, coverage: coverage, structure: structure,
                              leaflets: stock, daily: daily, units: units, lastDays: lastDays, teams: teams)
    }

    /// Live sessions summed per day, dated `from`…`through`, over the areas `areas` (every
    /// area when nil): what a weekly progress line is drawn from.
    public func dailyTotals(areas: [Int64]?, from: Day, through: Day) throws -> [Day: AreaTotals] {
        let filter = areas.map { " AND s.area_id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
        let sql = """
            SELECT s.day, count(*), \(Metric.allCases.map { "sum(s.\($0.code))" }.joined(separator: ", "))
            FROM session s WHERE s.day BETWEEN ? AND ?\(filter)
              AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
            GROUP BY s.day
            """
        return try read { db in
            var out: [Day: AreaTotals] = [:]
            // Summed checked as they are read: once the whole period's totals fit, no sum of
            // some of its days (a week, the report's totals) can overflow.
            var all = AreaTotals()
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: [from.number, through.number])
            while let row = try cursor.next() {
                var metrics = MetricValues()
                for (i, metric) in Metric.allCases.enumerated() { metrics.values[i] = try StoredCount.value(row, 2 + i, metric.code) }
                let day = Day(number: row[0])
                let totals = AreaTotals(sessions: try StoredCount.required(row, 1, "sessions"), metrics: metrics, lastDay: day)
                try all.addChecked(totals)
                out[day] = totals
            }
            return out
        }
    }

    /// The day of the last live session up to `through` in each of `areas` (by area id); areas
    /// without one are absent. One index lookup per area.
    public func lastSessionDays(areas: [Int64], through: Day) throws -> [Int64: Day] {
        try read { db in
            let statement = try db.makeStatement(sql: """
                SELECT s.day FROM session s WHERE s.area_id = ? AND s.day <= ?
                  AND NOT EXISTS (SELECT 1 FROM session_void v WHERE v.session_id = s.id)
                ORDER BY s.day DESC LIMIT 1
                """)
            var out: [Int64: Day] = [:]
            for id in areas {
                if let day = try Int.fetchOne(statement, arguments: [id, through.number]) { out[id] = Day(number: day) }
            }
            return out
        }
    }
}
