import Foundation

/// An official conversion table (`old_code,new_code`, other columns such as names, kinds and
/// `merge_type` read where useful and otherwise ignored), as in
/// `thanh_phu_2025_mapping.csv`.
public struct ReformMapping: Sendable {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var oldCode: String
        public var newCode: String
        /// `partial` when only part of the old unit went into the new one.
        public var partial: Bool
    }
    public var file: String
    public var rows: [Row]

    public init(file: String, rows: [Row]) {
        self.file = file
        self.rows = rows
    }

    public static func read(_ reader: CSVReader) throws -> ReformMapping {
        var problems = DiagnosticList(file: reader.name)
        let names = reader.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_") }
        let old = names.firstIndex(of: "old_code"), new = names.firstIndex(of: "new_code"), type = names.firstIndex(of: "merge_type")
        for (name, at) in [("old_code", old), ("new_code", new)] where at == nil {
            problems.add(line: reader.headerLine, Phrase("csv.error.missing_column", ["name": name, "required": "old_code, new_code"]))
        }
        try problems.check()
        var rows: [Row] = []
        try reader.forEachRecord { r in
            let o = r.string(old!)?.trimmingCharacters(in: .whitespaces) ?? ""
            let n = r.string(new!)?.trimmingCharacters(in: .whitespaces) ?? ""
            if o.isEmpty && n.isEmpty { return }
            if o.isEmpty { problems.add(line: r.line, column: "old_code", Phrase("history.error.empty_cell")); return }
            if n.isEmpty { problems.add(line: r.line, column: "new_code", Phrase("history.error.empty_cell")); return }
            let partial = type.flatMap { r.string($0) }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() == "partial" } ?? false
            rows.append(Row(line: r.line, oldCode: o, newCode: n, partial: partial))
        }
        try problems.check()
        return ReformMapping(file: reader.name, rows: rows)
    }
}

/// Where each hamlet of a split commune goes: `hamlet_code,new_code`.
public struct HamletHomes: Sendable {
    public var file: String
    public var rows: [(line: Int, hamlet: String, newCode: String)]

    public init(file: String, rows: [(line: Int, hamlet: String, newCode: String)]) {
        self.file = file
        self.rows = rows
    }

    public static func read(_ reader: CSVReader) throws -> HamletHomes {
        let header = try CSVHeader(reader.header, file: reader.name, line: reader.headerLine,
                                   required: ["hamlet_code", "new_code"], optional: ["hamlet_name", "new_name", "note"])
        var problems = DiagnosticList(file: reader.name)
        var rows: [(line: Int, hamlet: String, newCode: String)] = []
        try reader.forEachRecord { r in
            let h = header.text(header["hamlet_code"], r, column: "hamlet_code", into: &problems)
            let n = header.text(header["new_code"], r, column: "new_code", into: &problems)
            guard let h, let n else { return }
            rows.append((r.line, h, n))
        }
        try problems.check()
        return HamletHomes(file: reader.name, rows: rows)
    }
}

extension CSVHeader {
    fileprivate func text(_ i: Int?, _ r: CSVRecord, column: String, into problems: inout DiagnosticList) -> String? {
        guard let i, let s = r.string(i)?.trimmingCharacters(in: .whitespaces), !s.isEmpty else {
            problems.add(line: r.line, column: column, Phrase("history.error.empty_cell"))
            return nil
        }
        return s
    }
}

extension AreaChanges {
    /// `areas reform MAPPING --tree NEW_TREE --effective DAY [--hamlets FILE]`: the new units of
    /// the mapping (and their parents in the new tree) begin on `day`, as new units or as new
    /// versions of a reused code; the old units, and the districts and provinces left empty,
    /// end the day before; hamlets move under their new commune. An old unit split between
    /// several (`partial`) needs each of its hamlets placed in `homes`; the reform is refused,
    /// listing them, until each has one. Applying it again plans nothing.
    public func reform(_ mapping: ReformMapping, tree newTree: [AreaRow], homes: HamletHomes?, on day: Day) throws -> AreaChangePlan {
        var b = Builder(self, day: day)
        let last = day.adding(days: -1)
        let newRows = Dictionary(newTree.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })

        // Old units, each with where it went.
        var targets: [String: [String]] = [:]
        var partial: Set<String> = []
        var oldOrder: [String] = []
        for row in mapping.rows {
            guard newRows[row.newCode] != nil else {
                throw AreaChangeError.missingNewUnit(code: row.newCode, line: row.line, file: mapping.file)
            }
            guard let u = history.unit(code: row.oldCode), u.version(on: last) != nil || u.ended == last else {
                throw AreaChangeError.unknownOld(code: row.oldCode, line: row.line, file: mapping.file)
            }
            if targets[row.oldCode] == nil { oldOrder.append(row.oldCode) }
            if !(targets[row.oldCode]?.contains(row.newCode) ?? false) { targets[row.oldCode, default: []].append(row.newCode) }
            if row.partial { partial.insert(row.oldCode) }
        }

        // The new units: those the mapping names and their parents in the new tree, parents first.
        var newCodes: [String] = []
        var seen: Set<String> = []
        func addNew(_ code: String, _ depth: Int) {
            guard depth < 16, !seen.contains(code), let row = newRows[code] else { return }
            if let p = row.parentCode { addNew(p, depth + 1) }
            if seen.insert(code).inserted { newCodes.append(code) }
        }
        for row in mapping.rows { addNew(row.newCode, 0) }
        let newSet = Set(newCodes)
        func provinceOf(_ code: String) -> String {
            var c = code
            var steps = 0
            while let row = newRows[c], row.level != .province, let p = row.parentCode, steps < 16 { c = p; steps += 1 }
            return newRows[c]?.level == .province ? c : ""
        }

        // Parts of each new unit, for denominators the new tree does not give.
        var parts: [String: [String]] = [:]
        for (old, to) in targets where to.count == 1 && !partial.contains(old) { parts[to[0], default: []].append(old) }
        for code in newCodes {
            let row = newRows[code]!
            var attributes = row.attributes
            if attributes == AreaAttributes(), let from = parts[code], !mapping.rows.contains(where: { $0.newCode == code && $0.partial }) {
                let olds = from.compactMap { history.unit(code: $0)?.version(on: last)?.attributes }
                if olds.count == from.count {
                    for name in AreaAttributes.names {
                        let values = olds.compactMap { $0[name] }
                        if values.count == olds.count, !values.isEmpty { attributes[name] = values.reduce(0, +) }
                    }
                }
            }
            try b.setVersion(code, Desired(name: row.name, level: row.level, localKind: row.localKind, parentCode: row.parentCode,
                                           attributes: attributes), province: provinceOf(code))
        }

        // Hamlets (and anything else) under the old units move to their new unit.
        var homeOf: [String: String] = [:]
        if let homes {
            for h in homes.rows {
                guard let u = history.unit(code: h.hamlet), let v = u.version(on: last), let p = b.code(v.parentID),
                      targets[p] != nil else {
                    throw AreaChangeError.badHamlet(code: h.hamlet, line: h.line, file: homes.file)
                }
                guard targets[p]!.contains(h.newCode) else {
                    throw AreaChangeError.badHamletTarget(code: h.hamlet, target: h.newCode, line: h.line, file: homes.file)
                }
                homeOf[h.hamlet] = h.newCode
            }
        }
        let oldIDs = Dictionary(uniqueKeysWithValues: oldOrder.compactMap { c in history.unit(code: c).map { ($0.id, c) } })
        // What was under each unit the day before.
        var under: [Int64: [AreaHistory.Unit]] = [:]
        for unit in history.units { if let p = unit.version(on: last)?.parentID { under[p, default: []].append(unit) } }
        var homeless: [String] = []
        for unit in history.units {
            guard let v = unit.version(on: last), let parent = v.parentID, let old = oldIDs[parent], !targets.keys.contains(unit.code)
            else { continue }
            let to = targets[old]!
            let home = to.count == 1 && !partial.contains(old) ? to[0] : homeOf[unit.code]
            guard let home else {
                homeless.append("\(unit.code) \(v.name) (\(old))")
                continue
            }
            var d = b.desired(unit, on: last)
            d.parentCode = home
            if unit.version(on: day) != nil, b.desired(unit, on: day) == d { continue }
            try b.setVersion(unit.code, d, province: provinceOf(home))
        }
        if !homeless.isEmpty { throw AreaChangeError.homeless(hamlets: homeless.sorted()) }

        // Old units not reused end, with where they went; then the units above them left empty.
        for old in oldOrder where !newSet.contains(old) {
            let (u, _) = try b.endable(old, on: day)
            if u.ended == last {
                try b.sameEnd(u, into: targets[old]!.compactMap { history.unit(code: $0)?.id })
                continue
            }
            let kind = targets[old]!.count > 1 || partial.contains(old) ? "split" : "merge"
            b.end(old, into: targets[old]!.map { ($0, kind) }, province: provinceOf(targets[old]![0]))
        }
        var ended = Set(oldOrder.filter { !newSet.contains($0) })
        var intoOf: [String: String] = [:]
        for old in oldOrder { if let t = targets[old]?.first, let p = newRows[t]?.parentCode { intoOf[old] = p } }
        var level = Set(oldOrder.compactMap { history.unit(code: $0)?.version(on: last)?.parentID }.compactMap { b.code($0) })
        while !level.isEmpty {
            var next: Set<String> = []
            for code in level.sorted() where !newSet.contains(code) && !ended.contains(code) {
                guard let u = history.unit(code: code), u.version(on: last) != nil, u.ended == nil else { continue }
                let below = under[u.id] ?? []
                guard below.allSatisfy({ ended.contains($0.code) || newSet.contains($0.code) }) else { continue }
                // It went where most of what was under it went.
                var votes: [String: Int] = [:]
                for child in below { if let t = intoOf[child.code] { votes[t, default: 0] += 1 } }
                let into = votes.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
                b.end(code, into: into.map { [($0, "merge")] } ?? [], province: into.map(provinceOf) ?? "")
                ended.insert(code)
                if let into { intoOf[code] = newRows[into]?.level == .province ? into : (newRows[into]?.parentCode ?? into) }
                if let p = b.code(u.version(on: last)?.parentID) { next.insert(p) }
            }
            level = next
        }
        return b.finish(.areasReform, key: mapping.file, reason: basis)
    }
}
