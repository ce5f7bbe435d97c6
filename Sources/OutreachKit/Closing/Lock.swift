import Foundation

/// A stored approval row: the state of one unit's figures for one period.
public struct ApprovalRow: Sendable, Equatable {
    public enum State: String, Sendable { case closed, open }
    public var areaID: Int64
    public var code: String
    public var name: String
    public var period: Period
    public var state: State
    public var actor: String
    public var stamp: String
    public var reason: String?

    public init(areaID: Int64, code: String, name: String, period: Period, state: State, actor: String, stamp: String,
                reason: String? = nil) {
        self.areaID = areaID
        self.code = code
        self.name = name
        self.period = period
        self.state = state
        self.actor = actor
        self.stamp = stamp
        self.reason = reason
    }
}

/// What keeps a session's figures from changing: the closed unit and period, and who closed it
/// (nil `actor`: the campaign's `lock_after_days` closed it).
public struct Lock: Sendable, Equatable {
    public var code: String
    public var name: String
    public var period: Period
    public var actor: String?
    public var stamp: String?
    /// The campaign whose period closed itself.
    public var campaign: String?
}

/// Decides which writes a closed period refuses, the same for every write path of both engines:
/// a session dated in a period that a unit at or above its area closed (`approval` rows), or that
/// a campaign's `lock_after_days` closed and no unit at or above its area reopened.
struct LockRules: Sendable {
    /// Closed and reopened rows, by area id.
    private var rows: [Int64: [ApprovalRow]]
    private var autoLocks: [(lock: AutoLock, scopeID: Int64?, code: String, name: String)]
    let today: Day

    init(rows: [ApprovalRow], autoLocks: [(lock: AutoLock, scopeID: Int64?, code: String, name: String)], today: Day) {
        self.rows = Dictionary(grouping: rows, by: \.areaID)
        self.autoLocks = autoLocks
        self.today = today
    }

    /// Nothing can be locked: the common case, which needs no look at the tree.
    var isEmpty: Bool { !rows.values.contains { $0.contains { $0.state == .closed } } && autoLocks.isEmpty }

    /// Throws `LockRefusal` listing every one of `probes` dated in a closed period; `chains`
    /// holds each probe's area and the units above it.
    func refuse(_ probes: [LockProbe], chains: [Int64: [Int64]], source: String?) throws {
        var locked: [LockedSession] = []
        for p in probes {
            if let lock = lock(day: p.day, chain: chains[p.areaID] ?? [p.areaID]) {
                locked.append(LockedSession(session: p.session, area: p.area, day: p.day, line: p.line, lock: lock))
            }
        }
        if !locked.isEmpty { throw LockRefusal(sessions: locked, source: source) }
    }

    /// The chain (itself, then each unit above) of each of `areas`, from the whole tree's `parents`.
    static func chains(_ areas: Set<Int64>, parents: [Int64: Int64]) -> [Int64: [Int64]] {
        var out: [Int64: [Int64]] = [:]
        for area in areas {
            var c = [area]
            while let p = parents[c[c.count - 1]], c.count < 64 { c.append(p) }
            out[area] = c
        }
        return out
    }

    /// The lock on a session dated `day` in the area whose chain of ids (itself, then each unit
    /// above it) is `chain`, with the names of `chain`'s units for messages; nil when it is free.
    func lock(day: Day, chain: [Int64]) -> Lock? {
        let periods = Period.holding(day)
        for id in chain {
            for row in rows[id] ?? [] where row.state == .closed && periods.contains(row.period) {
                return Lock(code: row.code, name: row.name, period: row.period, actor: row.actor, stamp: row.stamp)
            }
        }
        for auto in autoLocks where auto.scopeID.map(chain.contains) ?? true {
            guard let period = auto.lock.closes(day, today: today) else { continue }
            let reopened = chain.contains { id in (rows[id] ?? []).contains { $0.state == .open && $0.period == period } }
            if !reopened {
                return Lock(code: auto.code, name: auto.name, period: period, actor: nil, stamp: nil, campaign: auto.lock.campaign)
            }
        }
        return nil
    }
}

/// The lock check of a write of many sessions (an import, a merge): each session is checked as
/// it is read; the write is refused at its end, listing every locked one.
struct LockGate {
    let rules: LockRules
    /// The parent of every area that has one.
    let parents: [Int64: Int64]
    private var chains: [Int64: [Int64]] = [:]
    private(set) var locked: [(session: LockedSession, areaID: Int64)] = []

    init(rules: LockRules, parents: [Int64: Int64]) {
        self.rules = rules
        self.parents = parents
    }

    mutating func check(_ probe: LockProbe) {
        let chain: [Int64]
        if let known = chains[probe.areaID] {
            chain = known
        } else {
            chain = LockRules.chains([probe.areaID], parents: parents)[probe.areaID] ?? [probe.areaID]
            chains[probe.areaID] = chain
        }
        if let lock = rules.lock(day: probe.day, chain: chain) {
            locked.append((LockedSession(session: probe.session, area: probe.area, day: probe.day, line: probe.line, lock: lock),
                           probe.areaID))
        }
    }

    /// The areas of the locked sessions whose probes had no code.
    var areasWithoutCode: [Int64] { Array(Set(locked.filter { $0.session.area.isEmpty }.map(\.areaID))) }

    /// The refusal of what was found locked, with area codes from `codes` (by id) where the
    /// probes had none; nil when nothing was.
    func refusal(source: String?, codes: [Int64: String] = [:]) -> LockRefusal? {
        guard !locked.isEmpty else { return nil }
        var sessions = locked.map { entry in
            var s = entry.session
            if s.area.isEmpty { s.area = codes[entry.areaID] ?? "" }
            return s
        }
        sessions.sort { ($0.line ?? 0, $0.day) < ($1.line ?? 0, $1.day) }
        return LockRefusal(sessions: sessions, source: source)
    }
}

/// One session a closed period refuses: which, and why.
public struct LockedSession: Sendable, Equatable {
    /// The session's id, or nil for a new one.
    public var session: String?
    public var area: String
    public var day: Day
    /// Where it came from: a line of a file, a record of a bundle.
    public var line: Int?
    public var lock: Lock
}

/// A write refused because it touches closed figures: nothing was changed. The command line
/// exits with status 3; the API answers 423.
public struct LockRefusal: Error, UserFacingError, Equatable {
    public var sessions: [LockedSession]
    /// The file or bundle the sessions came from.
    public var source: String?

    public var message: String { message(in: Labels(.en)) ?? "" }

    public func message(in l: Labels) -> String? {
        guard let first = sessions.first else { return nil }
        var lines = [LockRefusal.sentence(first.lock, day: first.day, area: first.area, l)]
        if sessions.count > 1 || source != nil {
            lines = [l("closing.lock.many", ["source": source ?? "", "count": l.count(sessions.count)])]
            for s in sessions.prefix(50) {
                let at = s.line.map { l("closing.lock.line", ["line": String($0)]) } ?? ""
                lines.append("  " + at + LockRefusal.sentence(s.lock, day: s.day, area: s.area, l, withHow: false))
            }
            if sessions.count > 50 { lines.append("  " + l("closing.lock.more", ["count": l.count(sessions.count - 50)])) }
            lines.append(LockRefusal.how(first.lock, l))
        }
        return lines.joined(separator: "\n")
    }

    /// "Số liệu tháng 11/2026 của Xã Tân Phúc (16282) đã được chốt bởi … lúc …; …"
    static func sentence(_ lock: Lock, day: Day, area: String, _ l: Labels, withHow: Bool = true) -> String {
        let text = if let actor = lock.actor {
            l("closing.lock.closed", ["period": lock.period.text(l), "name": lock.name, "code": lock.code, "actor": actor,
                                      "when": lock.stamp.map { l.time(utc: $0) } ?? ""])
        } else {
            l("closing.lock.auto", ["period": lock.period.text(l), "name": lock.name, "code": lock.code, "campaign": lock.campaign ?? ""])
        }
        let dated = l("closing.lock.session", ["date": l.date(day), "area": area]) + " " + text
        return withHow ? dated + " " + how(lock, l) : dated
    }

    static func how(_ lock: Lock, _ l: Labels) -> String {
        l("closing.lock.how", ["code": lock.code, "period": lock.period.description])
    }
}

/// A session a write would change, as the lock check needs it.
struct LockProbe: Sendable {
    var areaID: Int64
    var area: String
    var day: Day
    var session: String? = nil
    var line: Int? = nil
}

/// The audit rows of approval changes, written once.
enum ApprovalChange {
    static func entry(code: String, period: Period, from: ApprovalRow.State, to: ApprovalRow.State, reason: String?,
                      recorder: Recorder) -> AuditEntry {
        AuditEntry(stamp: recorder.stamp(), actor: recorder.name, action: to == .closed ? .approvalClose : .approvalReopen,
                   subject: "approval", key: "\(code) \(period)", area: code,
                   before: AuditValue.json(["state": .text(from.rawValue)]), after: AuditValue.json(["state": .text(to.rawValue)]),
                   reason: reason)
    }
}

/// One unit of the chain from an area up to the top of the tree.
struct AreaLink: Sendable, Equatable {
    var id: Int64
    var code: String
}
