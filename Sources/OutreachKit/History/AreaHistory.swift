import Foundation

/// Every area of a workspace through time, in memory: each unit's versions (name, kind, parent
/// and denominators, each in force over a span of days) and the dated changes between them.
///
/// Read once from either engine (`WorkspaceStore.areaHistory()`); trees as of a date, where
/// the sessions of a unit that did not exist then are counted, versions' names and the
/// lineage of a unit are worked out here, in Swift, the same for both engines.
public struct AreaHistory: Sendable {
    /// One version of a unit, in force from `from` (nil: always) to `to` (its last day; nil:
    /// still in force).
    public struct Version: Sendable, Equatable {
        public var name: String
        public var level: AreaLevel
        public var localKind: String?
        public var parentID: Int64?
        public var attributes: AreaAttributes
        public var from: Day?
        public var to: Day?

        public init(name: String, level: AreaLevel, localKind: String? = nil, parentID: Int64?,
                    attributes: AreaAttributes = AreaAttributes(), from: Day?, to: Day?) {
            self.name = name
            self.level = level
            self.localKind = localKind
            self.parentID = parentID
            self.attributes = attributes
            self.from = from
            self.to = to
        }

        /// Whether it is in force on `day`.
        public func holds(on day: Day) -> Bool {
            (from.map { $0 <= day } ?? true) && (to.map { day <= $0 } ?? true)
        }
    }

    /// One unit: its code (a code reused by a new unit is the same unit, with a new version)
    /// and its versions, oldest first.
    public struct Unit: Sendable {
        public var id: Int64
        public var code: String
        public var versions: [Version]

        /// The version in force on `day`, if the unit existed then.
        public func version(on day: Day) -> Version? {
            versions.last { $0.holds(on: day) }
        }

        public var latest: Version { versions[versions.count - 1] }
        /// The day it ended, when it has.
        public var ended: Day? { latest.to }
        /// The first day it existed (nil: always).
        public var began: Day? { versions[0].from }
    }

    /// A dated change as recorded: `create`, `rename`, `move`, `merge`, `split` or `retire`.
    public struct Change: Sendable, Equatable {
        public var areaID: Int64
        public var day: Day
        public var kind: String
        public var oldName: String?
        public var oldParentID: Int64?
        /// The unit it went into (merge, split).
        public var otherID: Int64?
        public var basis: String?
        public var by: String?
        public var recorded: String?

        public init(areaID: Int64, day: Day, kind: String, oldName: String? = nil, oldParentID: Int64? = nil,
                    otherID: Int64? = nil, basis: String? = nil, by: String? = nil, recorded: String? = nil) {
            self.areaID = areaID
            self.day = day
            self.kind = kind
            self.oldName = oldName
            self.oldParentID = oldParentID
            self.otherID = otherID
            self.basis = basis
            self.by = by
            self.recorded = recorded
        }
    }

    public let units: [Unit]
    public let changes: [Change]
    private let position: [Int64: Int]
    private let byCode: [String: Int]
    private let wentInto: [Int64: [Int64]]
    private let cameFrom: [Int64: [Int64]]

    public init(units: [Unit], changes: [Change]) {
        self.units = units
        self.changes = changes
        var position: [Int64: Int] = [:]
        var byCode: [String: Int] = [:]
        position.reserveCapacity(units.count)
        byCode.reserveCapacity(units.count)
        for (i, u) in units.enumerated() {
            position[u.id] = i
            byCode[u.code] = i
        }
        self.position = position
        self.byCode = byCode
        var wentInto: [Int64: [Int64]] = [:], cameFrom: [Int64: [Int64]] = [:]
        for c in changes where c.kind == "merge" || c.kind == "split" {
            guard let other = c.otherID else { continue }
            wentInto[c.areaID, default: []].append(other)
            cameFrom[other, default: []].append(c.areaID)
        }
        self.wentInto = wentInto
        self.cameFrom = cameFrom
    }

    public func unit(id: Int64) -> Unit? { position[id].map { units[$0] } }
    public func unit(code: String) -> Unit? { byCode[code].map { units[$0] } }

    /// The units `id` went into (merge or split), first recorded first.
    public func successors(of id: Int64) -> [Int64] { wentInto[id] ?? [] }

    /// The units that went into `id`.
    public func predecessors(of id: Int64) -> [Int64] { cameFrom[id] ?? [] }

    // MARK: Trees as of a date

    /// The tree in force on `day`, and where the sessions of units that did not exist then are
    /// counted (`placement`: a unit's id → the id of a unit of that tree).
    public func tree(on day: Day, addingRoot root: (code: String, name: String)? = nil) -> DatedTree {
        var nodes: [AreaTree.Node] = []
        nodes.reserveCapacity(units.count + 1)
        var index: [Int64: Int] = [:]
        index.reserveCapacity(units.count)
        var parents: [Int64?] = []
        parents.reserveCapacity(units.count)
        for unit in units {
            guard let v = unit.version(on: day) else { continue }
            index[unit.id] = nodes.count
            nodes.append(AreaTree.Node(id: unit.id, code: unit.code, name: v.name, level: v.level, localKind: v.localKind,
                                       parent: nil, attributes: v.attributes))
            parents.append(v.parentID)
        }
        for i in nodes.indices { nodes[i].parent = parents[i].flatMap { index[$0] } }
        let tree = AreaTree(nodes: nodes, addingRoot: root)
        var placement: [Int64: Int64] = [:]
        var standsIn: [String: String] = [:]
        for unit in units where index[unit.id] == nil {
            if let to = place(unit.id, on: day, present: index, seen: []) {
                placement[unit.id] = to
                if let i = index[to] { standsIn[unit.code] = nodes[i].code }
            }
        }
        return DatedTree(day: day, tree: tree, placement: placement, standsIn: standsIn, history: self)
    }

    /// The unit of the tree of `day` that counts the sessions of `id`: itself when it existed
    /// then; else the unit it went into (an ended unit) or came from (a later one); else where
    /// its parent is counted.
    private func place(_ id: Int64, on day: Day, present: [Int64: Int], seen: Set<Int64>) -> Int64? {
        if present[id] != nil { return id }
        guard !seen.contains(id), let unit = unit(id: id) else { return nil }
        let seen = seen.union([id])
        let ended = unit.ended.map { $0 < day } ?? false
        let next = ended ? successors(of: id) : predecessors(of: id)
        for n in next { if let p = place(n, on: day, present: present, seen: seen) { return p } }
        let nearest = ended ? unit.latest : unit.versions[0]
        if let parent = nearest.parentID { return place(parent, on: day, present: present, seen: seen) }
        return nil
    }

    // MARK: Names through time

    /// "29194 Xã Tân Phong (đến 30/06/2025)": a version told apart by its dates, when the unit has
    /// more than one or has ended; else the plain "code name".
    public func label(_ unit: Unit, _ version: Version, _ l: Labels) -> String {
        "\(unit.code) \(version.name)" + span(unit, version, l).map { " (\($0))" }.orEmpty
    }

    /// "đến 30/06/2025", "từ 01/07/2025", "01/07/2025 – 31/12/2025", nil for a unit that never changed.
    public func span(_ unit: Unit, _ version: Version, _ l: Labels) -> String? {
        switch (version.from, version.to) {
        case (nil, nil): return nil
        case let (from?, nil): return l("history.from", ["date": l.date(from)])
        case let (nil, to?): return l("history.until", ["date": l.date(to)])
        case let (from?, to?): return l("history.between", ["from": l.date(from), "to": l.date(to)])
        }
    }
}

/// A tree as of a date, with where each unit that was not in it is counted.
public struct DatedTree: Sendable {
    public var day: Day
    public var tree: AreaTree
    /// Unit id → id of the unit of `tree` that counts its sessions.
    public var placement: [Int64: Int64]
    /// Code of a unit not in `tree` → code of the unit that stands for it there (a campaign
    /// scoped to a unit made by the reform, reported under the old tree, starts there).
    public var standsIn: [String: String] = [:]
    /// The history the tree was taken from: the tree of another day, or a unit's names and
    /// dates, without reading it again.
    public let history: AreaHistory

    /// `code` as a unit of this tree: itself, or the unit that stands for it.
    public func resolve(_ code: String) -> String {
        tree.index(of: code) != nil ? code : standsIn[code] ?? code
    }

    /// `teams` with each team of a unit not in this tree at the unit that counts that unit's
    /// sessions: a team of a commune merged away works under the commune it went into.
    public func placing(_ teams: [Team]) -> [Team] {
        guard !standsIn.isEmpty else { return teams }
        return teams.map { team in
            var team = team
            team.areaCode = resolve(team.areaCode)
            return team
        }
    }

    /// `moves` between the units of this tree: a move to or from a unit not in it is at the unit
    /// that stands for it, and a move that then stays inside one unit is left out.
    public func placing(_ moves: [LeafletMove]) -> [LeafletMove] {
        guard !standsIn.isEmpty else { return moves }
        return moves.compactMap { move in
            var move = move
            move.to = resolve(move.to)
            move.from = move.from.map(resolve)
            return move.from == move.to ? nil : move
        }
    }

    /// Counts per unit code, those of units not in this tree added to the unit standing for them.
    public func placing(_ counts: [String: Int]) -> [String: Int] {
        guard !standsIn.isEmpty else { return counts }
        var placed: [String: Int] = [:]
        for (code, n) in counts { placed[resolve(code), default: 0] += n }
        return placed
    }
}

extension Optional where Wrapped == String {
    var orEmpty: String { self ?? "" }
}
