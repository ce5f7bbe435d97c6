import Foundation

/// The dated changes of the tree — merge, split, move, rename, retire, and a whole reform from
/// an official conversion table — worked out against the history as steps for the engines.
/// What cannot be true is refused here, once for both engines; a change already applied plans
/// nothing.
public struct AreaChanges: Sendable {
    public let history: AreaHistory
    public let basis: String?
    /// Who and when, for the audit row.
    public let actor: String
    public let stamp: String

    public init(history: AreaHistory, basis: String?, actor: String = Recorder.current.name,
                stamp: String = Recorder.current.stamp()) {
        self.history = history
        self.basis = basis.map(TextFolding.normalizedName).flatMap { $0.isEmpty ? nil : $0 }
        self.actor = actor
        self.stamp = stamp
    }

    /// The state a unit should have from a day on.
    struct Desired: Equatable {
        var name: String
        var level: AreaLevel
        var localKind: String?
        var parentCode: String?
        var attributes: AreaAttributes
    }

    // MARK: Single changes

    /// `areas merge OLD… --into NEW`: each old unit ends the day before `day`; what was under it
    /// moves under `into`.
    public func merge(_ old: [String], into target: String, on day: Day) throws -> AreaChangePlan {
        var b = Builder(self, day: day)
        let (t, tv) = try b.existing(target, on: day)
        for code in old {
            if code == target { throw AreaChangeError.mergeIntoItself(code: code) }
            let (u, _) = try b.endable(code, on: day)
            if u.ended == day.adding(days: -1) {
                try b.sameEnd(u, into: [t.id])
                continue
            }
            for child in b.children(of: u.id, on: day.adding(days: -1)) {
                var d = b.desired(child, on: day.adding(days: -1))
                d.parentCode = t.code
                try b.setVersion(child.code, d, province: b.province(t.code, tv))
            }
            b.end(u.code, into: [(t.code, "merge")], province: b.province(t.code, tv))
        }
        return b.finish(.areaMerge, key: target, reason: old.joined(separator: ","))
    }

    /// `areas split OLD --into NEW…`: the old unit ends; its hamlets are then placed with `move`
    /// (the summary lists those without a home).
    public func split(_ old: String, into targets: [String], on day: Day) throws -> AreaChangePlan {
        guard !targets.isEmpty else { throw AreaChangeError.noTargets }
        var b = Builder(self, day: day)
        var into: [(String, String)] = []
        var province = ""
        for t in targets {
            if t == old { throw AreaChangeError.mergeIntoItself(code: t) }
            let (u, v) = try b.existing(t, on: day)
            into.append((u.code, "split"))
            province = b.province(u.code, v)
        }
        let (u, _) = try b.endable(old, on: day)
        if u.ended != day.adding(days: -1) {
            b.end(u.code, into: into, province: province)
        } else {
            try b.sameEnd(u, into: targets.compactMap { history.unit(code: $0)?.id })
        }
        var plan = b.finish(.areaSplit, key: old, reason: targets.joined(separator: ","))
        plan.summary.homeless = b.children(of: u.id, on: day).map(\.code)
        return plan
    }

    /// `areas move CODE --to PARENT`.
    public func move(_ code: String, to parent: String, on day: Day) throws -> AreaChangePlan {
        var b = Builder(self, day: day)
        let (u, _) = try b.changeable(code, on: day)
        let (p, pv) = try b.existing(parent, on: day)
        // Not under itself.
        var up: Int64? = p.id
        while let id = up {
            if id == u.id { throw AreaChangeError.cycle(code: code, target: parent) }
            up = history.unit(id: id)?.version(on: day)?.parentID
        }
        var d = b.desired(u, on: day)
        d.parentCode = p.code
        try b.setVersion(code, d, province: b.province(p.code, pv))
        return b.finish(.areaMove, key: code, reason: parent)
    }

    /// `areas rename CODE NAME`.
    public func rename(_ code: String, to name: String, on day: Day) throws -> AreaChangePlan {
        let name = TextFolding.normalizedName(name)
        guard !name.isEmpty else { throw AreaChangeError.emptyName }
        var b = Builder(self, day: day)
        let (u, v) = try b.changeable(code, on: day)
        var d = b.desired(u, on: day)
        d.name = name
        try b.setVersion(code, d, province: b.province(code, v))
        return b.finish(.areaRename, key: code, reason: name)
    }

    /// `areas retire CODE`: refused while units are still under it.
    public func retire(_ code: String, on day: Day) throws -> AreaChangePlan {
        var b = Builder(self, day: day)
        let (u, v) = try b.endable(code, on: day)
        if u.ended == day.adding(days: -1) { return b.finish(.areaRetire, key: code, reason: nil) }
        let under = b.children(of: u.id, on: day)
        if !under.isEmpty { throw AreaChangeError.hasChildren(code: code, name: v.name, children: under.map(\.code)) }
        b.end(code, into: [], province: b.province(code, v))
        return b.finish(.areaRetire, key: code, reason: nil)
    }

    // MARK: Building a plan

    struct Builder {
        let changes: AreaChanges
        var history: AreaHistory { changes.history }
        let day: Day
        var plan = AreaChangePlan()
        var counts: [String: AreaChangeSummary.Counts] = [:]
        /// Codes planned as new units, with their state.
        var planned: [String: Desired] = [:]

        init(_ changes: AreaChanges, day: Day) {
            self.changes = changes
            self.day = day
        }

        var lastOld: Day { day.adding(days: -1) }

        /// A unit in force on `day` (a target of a merge or move).
        func existing(_ code: String, on day: Day) throws -> (AreaHistory.Unit, AreaHistory.Version) {
            guard let u = history.unit(code: code) else { throw AreaChangeError.unknown(code: code) }
            guard let v = u.version(on: day) else {
                if let to = u.ended, to < day { throw AreaChangeError.retiredTarget(code: code, name: u.latest.name, date: to) }
                throw AreaChangeError.notOnDate(code: code, date: day)
            }
            return (u, v)
        }

        /// A unit that can take a new version from `day` (a move or rename).
        func changeable(_ code: String, on day: Day) throws -> (AreaHistory.Unit, AreaHistory.Version) {
            guard let u = history.unit(code: code) else { throw AreaChangeError.unknown(code: code) }
            if let began = u.began, began > day { throw AreaChangeError.beforeExisted(code: code, name: u.latest.name, date: began) }
            if let from = u.latest.from, from > day { throw AreaChangeError.laterChanges(code: code, name: u.latest.name, date: from) }
            guard let v = u.version(on: day) else {
                throw AreaChangeError.alreadyEnded(code: code, name: u.latest.name, date: u.ended ?? day)
            }
            return (u, v)
        }

        /// A unit that can end the day before `day` (merged, split or retired); one that already
        /// ended that very day is returned as it is (the change was applied before).
        func endable(_ code: String, on day: Day) throws -> (AreaHistory.Unit, AreaHistory.Version) {
            guard let u = history.unit(code: code) else { throw AreaChangeError.unknown(code: code) }
            let last = day.adding(days: -1)
            if let to = u.ended {
                if to == last { return (u, u.latest) }
                throw AreaChangeError.alreadyEnded(code: code, name: u.latest.name, date: to)
            }
            if let began = u.began, began > last { throw AreaChangeError.beforeExisted(code: code, name: u.latest.name, date: began) }
            if let from = u.latest.from, from > last { throw AreaChangeError.laterChanges(code: code, name: u.latest.name, date: from) }
            return (u, u.latest)
        }

        /// A unit that already ended the day before: refused unless it went into `targets` then
        /// (the same change applied again); a unit merged twice on one date cannot be.
        func sameEnd(_ u: AreaHistory.Unit, into targets: [Int64]) throws {
            let went = history.changes.filter { $0.areaID == u.id && $0.day == day && ($0.kind == "merge" || $0.kind == "split") }
                .compactMap(\.otherID)
            guard Set(went) == Set(targets) else {
                let names = went.compactMap { history.unit(id: $0) }.map { "\($0.code) \(($0.version(on: day) ?? $0.latest).name)" }
                throw AreaChangeError.endedAlready(code: u.code, name: u.latest.name, date: day,
                                                   into: names.isEmpty ? "-" : names.joined(separator: ", "))
            }
        }

        /// The units directly under `id` on `day`.
        func children(of id: Int64, on day: Day) -> [AreaHistory.Unit] {
            history.units.filter { $0.version(on: day)?.parentID == id }
        }

        func code(_ id: Int64?) -> String? { id.flatMap { history.unit(id: $0)?.code } }

        /// A unit's state on `day`, parents by code.
        func desired(_ u: AreaHistory.Unit, on day: Day) -> Desired {
            let v = u.version(on: day) ?? u.latest
            return Desired(name: v.name, level: v.level, localKind: v.localKind, parentCode: code(v.parentID), attributes: v.attributes)
        }

        /// The province (code) a unit with this version belongs to, for the summary.
        func province(_ code: String, _ v: AreaHistory.Version) -> String {
            var current: (String, AreaHistory.Version?) = (code, v)
            var steps = 0
            while let version = current.1, version.level != .province, let parent = version.parentID, steps < 16,
                  let p = history.unit(id: parent) {
                current = (p.code, p.version(on: day) ?? p.latest)
                steps += 1
            }
            return current.1?.level == .province ? current.0 : ""
        }

        mutating func count(_ province: String, _ add: (inout AreaChangeSummary.Counts) -> Void) {
            var c = counts[province] ?? AreaChangeSummary.Counts()
            c.province = province
            add(&c)
            counts[province] = c
        }

        /// Gives `code` the state `d` from `day`: a new unit, a new version, or nothing when it
        /// already has it.
        mutating func setVersion(_ code: String, _ d: Desired, province: String) throws {
            let basis = changes.basis
            guard let u = history.unit(code: code) else {
                plan.steps.append(AreaStep(kind: .new, code: code, name: d.name, level: d.level, localKind: d.localKind,
                                           parentCode: d.parentCode, attributes: d.attributes, day: day))
                plan.steps.append(AreaStep(kind: .change, code: code, day: day, change: "create", basis: basis))
                planned[code] = d
                count(province) { $0.created += 1 }
                return
            }
            if let now = u.version(on: day), desired(u, on: day) == d, now.from.map({ $0 <= day }) ?? true { return }
            if let from = u.latest.from, from > day { throw AreaChangeError.laterChanges(code: code, name: u.latest.name, date: from) }
            if let to = u.ended, to < day { throw AreaChangeError.alreadyEnded(code: code, name: u.latest.name, date: to) }
            let old = desired(u, on: day)
            plan.steps.append(AreaStep(kind: .version, code: code, name: d.name, level: d.level, localKind: d.localKind,
                                       parentCode: d.parentCode, attributes: d.attributes, day: day))
            if old.name != d.name {
                plan.steps.append(AreaStep(kind: .change, code: code, day: day, change: "rename", oldName: old.name, basis: basis))
            }
            if old.parentCode != d.parentCode {
                plan.steps.append(AreaStep(kind: .change, code: code, day: day, change: "move", oldParentCode: old.parentCode, basis: basis))
                if d.level == .hamlet { count(province) { $0.moved += 1 }; return }
            }
            count(province) { $0.versioned += 1 }
        }

        /// Ends `code` the day before `day`, recording what it went into.
        mutating func end(_ code: String, into: [(code: String, kind: String)], province: String) {
            plan.steps.append(AreaStep(kind: .retire, code: code, day: day))
            if into.isEmpty {
                plan.steps.append(AreaStep(kind: .change, code: code, day: day, change: "retire", basis: changes.basis))
            }
            for t in into {
                plan.steps.append(AreaStep(kind: .change, code: code, day: day, change: t.kind, otherCode: t.code, basis: changes.basis))
            }
            count(province) { $0.ended += 1 }
        }

        /// The plan, with its audit row and its summary by province.
        mutating func finish(_ action: AuditAction, key: String, reason: String?) -> AreaChangePlan {
            var summary = AreaChangeSummary()
            summary.provinces = counts.values.sorted { $0.province < $1.province }.map { c in
                var c = c
                c.provinceName = planned[c.province]?.name ?? history.unit(code: c.province).map { (u: AreaHistory.Unit) in
                    (u.version(on: day) ?? u.latest).name } ?? ""
                return c
            }
            plan.summary = summary
            guard !plan.steps.isEmpty else { return plan }
            var after: [String: AuditValue] = ["effective": .text(day.iso)]
            if let basis = changes.basis { after["basis"] = .text(basis) }
            for c in summary.provinces {
                after["province." + (c.province.isEmpty ? "-" : c.province)] =
                    .text("created \(c.created), versions \(c.versioned), ended \(c.ended), moved \(c.moved)")
            }
            plan.audit = [AuditEntry(stamp: changes.stamp, actor: changes.actor, action: action, subject: "area", key: key,
                                     area: key, after: AuditValue.json(after), reason: reason)]
            return plan
        }
    }
}
