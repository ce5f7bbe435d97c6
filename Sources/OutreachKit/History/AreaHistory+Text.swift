import Foundation

extension AreaChangeSummary {
    /// What a dated change did, a line per province of the tree after it, in the user's words.
    public func text(_ l: Labels, effective: Day) -> String {
        var lines: [String] = []
        if isEmpty {
            lines.append(l("history.nothing", ["date": l.date(effective)]))
        } else {
            for c in provinces where c.created + c.versioned + c.ended + c.moved > 0 {
                let name = c.province.isEmpty ? l["history.no_province"] : "\(c.provinceName) (\(c.province))"
                lines.append(l("history.summary", ["province": name, "created": l.count(c.created), "versions": l.count(c.versioned),
                                                   "ended": l.count(c.ended), "moved": l.count(c.moved), "date": l.date(effective)]))
            }
        }
        if !homeless.isEmpty {
            lines.append(l("history.homeless", ["count": l.count(homeless.count), "hamlets": homeless.prefix(20).joined(separator: ", "),
                                                "date": effective.iso]))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `areas history CODE`: a unit's versions, what it came from and what it went into.
public struct AreaHistoryListing: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
        public var kind: AreaLevel
        public var from: Day?
        public var until: Day?
        public var parent: String?
        public var parentName: String?
    }
    public struct Link: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
        public var date: Day
        public var change: String
        public var basis: String?
    }
    public struct Event: Sendable, Codable, Equatable {
        public var date: Day
        public var change: String
        public var detail: String?
        public var basis: String?
        public var by: String?
    }
    public var code: String
    public var versions: [Entry] = []
    public var cameFrom: [Link] = []
    public var wentInto: [Link] = []
    public var changes: [Event] = []

    public init(history: AreaHistory, code: String) throws {
        guard let unit = history.unit(code: code) else { throw AreaLookupError.unknownCode(code) }
        self.code = code
        func name(_ id: Int64?, on day: Day?) -> (String, String)? {
            guard let id, let u = history.unit(id: id) else { return nil }
            let v = day.flatMap { u.version(on: $0) } ?? u.latest
            return (u.code, v.name)
        }
        for v in unit.versions {
            let parent = name(v.parentID, on: v.to ?? v.from)
            versions.append(Entry(code: unit.code, name: v.name, kind: v.level, from: v.from, until: v.to,
                                  parent: parent?.0, parentName: parent?.1))
        }
        for c in history.changes where c.otherID == unit.id && (c.kind == "merge" || c.kind == "split") {
            if let n = name(c.areaID, on: c.day.adding(days: -1)) {
                cameFrom.append(Link(code: n.0, name: n.1, date: c.day, change: c.kind, basis: c.basis))
            }
        }
        for c in history.changes where c.areaID == unit.id {
            if c.kind == "merge" || c.kind == "split", let n = name(c.otherID, on: c.day) {
                wentInto.append(Link(code: n.0, name: n.1, date: c.day, change: c.kind, basis: c.basis))
            }
            var detail: String? = nil
            if c.kind == "rename" { detail = c.oldName }
            if c.kind == "move" { detail = name(c.oldParentID, on: c.day.adding(days: -1)).map { "\($0.1) (\($0.0))" } }
            changes.append(Event(date: c.day, change: c.kind, detail: detail, basis: c.basis, by: c.by))
        }
    }

    /// The listing as text, in the user's words.
    public func text(_ l: Labels) -> String {
        var out: [String] = [l("history.title", ["code": code])]
        for v in versions {
            let span: String
            switch (v.from, v.until) {
            case (nil, nil): span = l["history.always"]
            case let (f?, nil): span = l("history.from", ["date": l.date(f)])
            case let (nil, t?): span = l("history.until", ["date": l.date(t)])
            case let (f?, t?): span = l("history.between", ["from": l.date(f), "to": l.date(t)])
            }
            let parent = v.parent.map { " — " + l("history.under", ["name": v.parentName ?? "", "code": $0]) } ?? ""
            out.append("  \(v.code) \(v.name) (\(span)), \(l.kind(v.kind))\(parent)")
        }
        func links(_ key: String, _ list: [Link]) {
            guard !list.isEmpty else { return }
            out.append(l[key])
            for k in list {
                let basis = k.basis.map { " — \($0)" } ?? ""
                out.append("  \(k.code) \(k.name), \(l.date(k.date)) (\(l["history.change." + k.change]))\(basis)")
            }
        }
        links("history.came_from", cameFrom)
        links("history.went_into", wentInto)
        if !changes.isEmpty {
            out.append(l["history.changes"])
            for e in changes {
                var line = "  \(l.date(e.date)) \(l["history.change." + e.change])"
                if let d = e.detail { line += " (\(l("history.was", ["what": d])))" }
                if let b = e.basis { line += " — \(b)" }
                if let by = e.by { line += " — \(by)" }
                out.append(line)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension AreaHistory {
    /// `areas find` across time: every version whose name matches, today's first; a past one
    /// says what it is now.
    public func find(_ query: String, limit: Int, today: Day) -> [AreaMatch] {
        let search = AreaSearch(query)
        if search.isEmpty { return [] }
        let current = tree(on: today)
        var found: [(rank: (Int, Int, Int), past: Bool, level: Int, match: AreaMatch)] = []
        for unit in units {
            // One line per name the unit has had (a hamlet that only moved keeps its name: one line),
            // its latest version under that name; dates only where names or an end tell versions apart.
            let names = Set(unit.versions.map(\.name))
            let distinct = names.count > 1 || unit.latest.to != nil
            for (k, v) in unit.versions.enumerated() where !unit.versions[(k + 1)...].contains(where: { $0.name == v.name }) {
                guard let r = search.rank(name: v.name, key: TextFolding.fold(v.name), code: unit.code) else { continue }
                let past = !v.holds(on: today) && (v.to.map { $0 < today } ?? false)
                var path = [v.name]
                var p = v.parentID
                var steps = 0
                let day = v.to ?? today
                while let id = p, let u = self.unit(id: id), let pv = u.version(on: day) ?? Optional(u.latest), steps < 8 {
                    path.append(pv.name.withoutAdministrativePrefix)
                    p = pv.parentID
                    steps += 1
                }
                var match = AreaMatch(code: unit.code, name: v.name, kind: v.level, path: path.joined(separator: " — "),
                                      exactAccents: r.0 <= 1, from: distinct ? unit.versions.first { $0.name == v.name }?.from : nil,
                                      until: distinct ? v.to : nil, isPast: past)
                if past {
                    let nowID = current.tree.index(ofID: unit.id) != nil ? unit.id : current.placement[unit.id]
                    if let nowID, let i = current.tree.index(ofID: nowID) {
                        let node = current.tree.nodes[i]
                        match.now = "\(node.name) (\(node.code))"
                        match.nowSameUnit = nowID == unit.id
                    }
                }
                found.append((r, past, v.level.rank, match))
            }
        }
        found.sort { ($0.past ? 1 : 0, $0.rank.0, $0.rank.1, $0.rank.2, $0.level, $0.match.code) <
                     ($1.past ? 1 : 0, $1.rank.0, $1.rank.1, $1.rank.2, $1.level, $1.match.code) }
        return found.prefix(limit).map(\.match)
    }
}

extension AreaMatch {
    /// The name as `areas find` shows it: dates that tell versions apart, "(cũ)" and what it is now.
    public func display(_ l: Labels) -> String {
        var text = path
        if isPast {
            if let until { text += " (" + l("history.until", ["date": l.date(until)]) + ")" }
            text += " " + l["history.old"]
            if let now { text += " " + l("history.now_in", ["unit": now]) }
        } else if let from {
            text += " (" + l("history.from", ["date": l.date(from)]) + ")"
        }
        return text
    }
}

extension WorkspaceStore {
    /// `areas find`: today's tree, and with dated history every earlier name too.
    public func findAreas(_ query: String, limit: Int, today: Day) async throws -> [AreaMatch] {
        guard try await hasDatedAreas() else { return try await findAreas(query, limit: limit) }
        return try await areaHistory().find(query, limit: limit, today: today)
    }
}
