import Foundation

// The items of `outreach check` computed from what either engine reads: both engines name and
// word them the same.
extension WorkspaceCheck {
    /// The totals items ("monthly totals", "campaign period totals", "campaign metric totals"):
    /// the stored running totals against those recomputed from the live sessions.
    mutating func addTotals(recomputed: Store.TotalsByKey, stored: Store.TotalsByKey, codes: [Int64: String]) {
        for (name, table, isMonth) in [("monthly totals", "area_month", true), ("campaign period totals", "period_total", false)] {
            let a = isMonth ? recomputed.months : recomputed.periods
            let b = isMonth ? stored.months : stored.periods
            let notWhole = isMonth ? stored.notWholeMonths : stored.notWholePeriods
            let wrong = Set(a.keys).union(b.keys).union(notWhole).filter { a[$0] != b[$0] || notWhole.contains($0) }
                .sorted { ($0.group, $0.area) < ($1.group, $1.area) }
            let examples = wrong.prefix(3).map { k -> CheckText in
                let place: CheckText = isMonth ? .plain(Store.monthText(k.group))
                                               : .phrase(Phrase("check.totals.period", ["id": String(k.group)]))
                if notWhole.contains(k) {
                    return .phrase(Phrase("check.totals.not_whole", ["area": codes[k.area] ?? String(k.area)]), parts: ["place": place])
                }
                return .phrase(Phrase("check.totals.example", ["area": codes[k.area] ?? String(k.area)]),
                               parts: ["place": place, "stored": Store.describe(b[k]), "given": Store.describe(a[k])])
            }
            addTotals(name, table: table, rows: b.count + notWhole.count, wrong: wrong.count, examples: examples)
        }
        let a = recomputed.metrics, b = stored.metrics, notWhole = stored.notWholeMetrics
        let wrong = Set(a.keys).union(b.keys).union(notWhole).filter { a[$0] != b[$0] || notWhole.contains($0) }
            .sorted { ($0.metric, $0.month, $0.area) < ($1.metric, $1.month, $1.area) }
        let examples = wrong.prefix(3).map { k -> CheckText in
            func value(_ v: Int?) -> CheckText { v.map { .plain("\(k.metric) \($0)") } ?? .phrase(Phrase("check.totals.nothing")) }
            if notWhole.contains(k) {
                return .phrase(Phrase("check.totals.not_whole", ["area": codes[k.area] ?? String(k.area)]),
                               parts: ["place": .plain(Store.monthText(k.month) + " (\(k.metric))")])
            }
            return .phrase(Phrase("check.totals.example", ["area": codes[k.area] ?? String(k.area)]),
                           parts: ["place": .plain(Store.monthText(k.month)), "stored": value(b[k]), "given": value(a[k])])
        }
        addTotals("campaign metric totals", table: "area_month_metric", rows: b.count + notWhole.count, wrong: wrong.count,
                         examples: examples)
    }

    /// The "session counts" item from the ids of live sessions with a count out of range (and
    /// how many there are); whether there were any.
    @discardableResult
    mutating func addSessionCounts(ids: [String], count: Int) -> Bool {
        let ids = ids.sorted()
        if count == 0 {
            add("session counts", .ok, .phrase(Phrase("check.counts.ok", counts: ["max": SessionCount.maximum])))
            return false
        }
        add("session counts", .problem,
            .phrase(Phrase("check.counts.problem", ["ids": ids.prefix(5).joined(separator: ", ")],
                           counts: ["count": count, "max": SessionCount.maximum])),
            advice: .phrase(Phrase("check.counts.advice")))
        return true
    }

    /// The "row keys" item: `wrong` (of `wrongCount`) sessions whose row key is not the key of
    /// their content, else `twice` (of `twiceCount`) sessions of a file left without a key
    /// because an earlier session had it; `keyed` sessions have one.
    mutating func addRowKeys(keyed: Int, wrong: [String], wrongCount: Int, twice: [String], twiceCount: Int) {
        if wrongCount > 0 {
            add("row keys", .problem, .phrase(Phrase("check.row_keys.problem", ["ids": wrong.joined(separator: ", ")],
                                                     counts: ["count": wrongCount])), advice: Store.restore)
        } else if twiceCount > 0 {
            add("row keys", .warning, .phrase(Phrase("check.row_keys.warning", ["ids": twice.joined(separator: ", ")],
                                                     counts: ["count": twiceCount])),
                advice: .phrase(Phrase("check.row_keys.warning.advice")))
        } else {
            add("row keys", .ok, .phrase(Phrase("check.row_keys.ok", counts: ["count": keyed])))
        }
    }

    /// The "sessions" and "area tree" items: sessions whose area is missing, and parents that
    /// form a cycle (`parents` by area id, `codes` every area's code).
    mutating func addSessionsAndTree(sessions: Int, voided: Int, orphans: Int, codes code: [Int64: String], parents parent: [Int64: Int64]) {
        if orphans == 0 {
            add("sessions", .ok, .phrase(Phrase("check.sessions.ok", counts: ["voided": voided]), parts: ["sessions": sessionCount(sessions)]))
        } else {
            add("sessions", .problem, .phrase(Phrase("check.sessions.orphans", counts: ["count": orphans]), parts: ["sessions": sessionCount(sessions)]),
                       advice: Store.restore)
        }
        var cycles: [String] = []
        var done = Set<Int64>()
        for start in code.keys.sorted() where !done.contains(start) {
            var path: [Int64] = []
            var onPath = Set<Int64>()
            var at: Int64? = start
            while let id = at, !done.contains(id) {
                if onPath.contains(id) {
                    cycles.append(path[path.firstIndex(of: id)!...].compactMap { code[$0] }.joined(separator: " → "))
                    break
                }
                path.append(id)
                onPath.insert(id)
                at = parent[id]
            }
            done.formUnion(path)
        }
        if cycles.isEmpty {
            add("area tree", .ok, .phrase(Phrase("check.tree.ok", counts: ["count": code.count])))
        } else {
            add("area tree", .problem, .phrase(Phrase("check.tree.cycle", ["cycles": cycles.prefix(3).joined(separator: "; ")])),
                       advice: .phrase(Phrase("check.tree.advice")))
        }
    }

    /// The "leaflet stock" item from each area's stock changes (`changes`, by area id), the days
    /// of allocations recorded with --allow-negative (`allowed`, by giver) and the leaflets
    /// handed out in live sessions (by area code).
    mutating func addLeaflets(changes: [Int64: [(day: Day, change: Int)]], allowed: [Int64: [Day]], handedOut: [String: Int],
                              codes: [Int64: String]) {
        func units(_ n: Int) -> CheckText {
            .phrase(n == 1 ? Phrase("check.count.unit.one", counts: ["count": 1]) : Phrase("check.count.unit.other", counts: ["count": n]))
        }
        var unflagged: [CheckText] = []
        var flagged = 0
        for (area, list) in changes.sorted(by: { $0.key < $1.key }) {
            let start = list.map(\.day).min()!
            let low = LeafletLow.lowest(from: start, changes: list)
            guard low.onHand < 0 else { continue }
            if (allowed[area] ?? []).contains(where: { $0 <= low.day }) {
                flagged += 1
            } else {
                unflagged.append(.phrase(Phrase("check.leaflets.below", ["area": codes[area] ?? String(area)],
                                                 days: ["date": low.day], counts: ["count": low.onHand])))
            }
        }
        var codeToID: [String: Int64] = [:]
        for (id, code) in codes { codeToID[code] = id }
        var over = 0
        for (code, n) in handedOut {
            let id = codeToID[code] ?? -1
            if (changes[id] ?? []).reduce(0, { $0 + $1.change }) - n < 0 { over += 1 }
        }
        if !unflagged.isEmpty {
            add("leaflet stock", .problem, .phrase(Phrase("check.leaflets.problem"),
                                                          parts: ["units": units(unflagged.count), "list": .list(Array(unflagged.prefix(5)), separator: "; ")]),
                       advice: .phrase(Phrase("check.leaflets.problem.advice")))
            return
        }
        var notes: [CheckText] = []
        if flagged > 0 { notes.append(.phrase(Phrase("check.leaflets.allowed"), parts: ["units": units(flagged)])) }
        if over > 0 { notes.append(.phrase(Phrase("check.leaflets.over"), parts: ["units": units(over)])) }
        if notes.isEmpty {
            add("leaflet stock", .ok, .phrase(Phrase("check.leaflets.ok")))
        } else {
            add("leaflet stock", .warning, .phrase(Phrase("check.leaflets.warning"), parts: ["notes": .list(notes, separator: "; ")]),
                       advice: .phrase(Phrase("check.leaflets.warning.advice")))
        }
    }
}
