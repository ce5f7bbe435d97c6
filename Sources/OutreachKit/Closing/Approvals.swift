import Foundation

/// Closing and accepting a unit's figures for a period, bottom-up as DHIS2 approves data: the
/// commune officer closes (chốt) a commune; the office above accepts (duyệt) its communes by
/// closing its own unit, which it may do only when every unit below it that has sessions in the
/// period is closed. A closed unit whose parent is closed is accepted. Reopening needs a reason
/// and is refused while the unit above has accepted it. The rules are here, once; the engines
/// only store rows (`setApproval`).
public struct Approvals: Sendable {
    public let store: any WorkspaceStore
    /// The campaigns known (periods, approval kind, self-closing).
    public let campaigns: [Campaign]
    public let today: Day

    public init(store: any WorkspaceStore, campaigns: [Campaign], today: Day) {
        self.store = store
        self.campaigns = campaigns
        self.today = today
    }

    /// What `approve` or `unapprove` did.
    public struct Outcome: Sendable, Equatable {
        public var code: String
        public var name: String
        public var period: Period
        public var state: ApprovalState
        /// The units below that this acceptance accepted.
        public var accepted: [String]
    }

    /// Closes `code`'s figures for `period` (accepting the closed units below it).
    public func approve(code: String, period text: String, campaign: String? = nil) async throws -> Outcome {
        let (tree, index) = try await unit(code)
        let period = try checkedPeriod(text, unit: tree, index: index, campaign: campaign)
        let rows = try await store.approvalRows(period: period)
        let state = Self.state(of: tree.nodes[index].id, in: rows)
        if state == .closed, let row = rows.first(where: { $0.areaID == tree.nodes[index].id }) {
            throw ApprovalError.alreadyClosed(code: code, name: tree.nodes[index].name, period: period, actor: row.actor, stamp: row.stamp)
        }
        // Every unit directly below with sessions in the period must be closed first.
        let subtree = tree.preorder(from: [index]).map(\.index)
        let totals = try await store.periodTotals(start: period.start, end: period.end, asOf: today,
                                                  areas: subtree.map { tree.nodes[$0].id })
        var open: [String] = []
        var accepted: [String] = []
        for child in tree.children[index] where tree.nodes[child].level != .hamlet {
            let sessions = tree.preorder(from: [child]).reduce(0) { $0 + (totals[tree.nodes[$1.index].id]?.sessions ?? 0) }
            switch Self.state(of: tree.nodes[child].id, in: rows) {
            case .closed: accepted.append(tree.nodes[child].code)
            case .open where sessions > 0: open.append("\(tree.nodes[child].name) (\(tree.nodes[child].code))")
            case .open: break
            }
        }
        if !open.isEmpty { throw ApprovalError.openBelow(code: code, period: period, units: open) }
        try await store.setApproval(area: code, period: period, state: .closed, reason: nil, expected: state)
        return Outcome(code: code, name: tree.nodes[index].name, period: period, state: .closed, accepted: accepted)
    }

    /// Reopens `code`'s figures for `period`, with a reason.
    public func unapprove(code: String, period text: String, reason: String?, campaign: String? = nil) async throws -> Outcome {
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw ApprovalError.noReason
        }
        let (tree, index) = try await unit(code)
        guard let period = Period(parsing: text) else { throw ApprovalError.badPeriod(text) }
        let rows = try await store.approvalRows(period: period)
        let id = tree.nodes[index].id
        let explicit = Self.state(of: id, in: rows)
        let closedByCampaign = explicit == .open && !rows.contains { $0.areaID == id } && selfClosed(tree: tree, index: index, period: period) != nil
        guard explicit == .closed || closedByCampaign else {
            throw ApprovalError.notClosed(code: code, name: tree.nodes[index].name, period: period)
        }
        if let parent = tree.nodes[index].parent, tree.nodes[parent].id != 0, Self.state(of: tree.nodes[parent].id, in: rows) == .closed,
           let row = rows.first(where: { $0.areaID == tree.nodes[parent].id }) {
            throw ApprovalError.acceptedAbove(code: code, period: period, parent: tree.nodes[parent].code,
                                              parentName: tree.nodes[parent].name, actor: row.actor, stamp: row.stamp)
        }
        try await store.setApproval(area: code, period: period, state: .open, reason: reason, expected: explicit)
        return Outcome(code: code, name: tree.nodes[index].name, period: period, state: .open, accepted: [])
    }

    /// The state of every unit (not hamlets) under `under` for each period asked for (every
    /// period some row names when nil).
    public func table(under: String?, period text: String?) async throws -> ApprovalTable {
        var periods: [Period] = []
        if let text {
            guard let p = Period(parsing: text) else { throw ApprovalError.badPeriod(text) }
            periods = [p]
        }
        let rows = try await store.approvalRows(period: periods.first)
        if periods.isEmpty { periods = Array(Set(rows.map(\.period))).sorted() }
        let tree: AreaTree
        var starts: [Int]
        if let under {
            guard let t = try await store.areaTree(around: under, addingRoot: nil), let i = t.index(of: under) else {
                throw AreaLookupError.unknownCode(under)
            }
            (tree, starts) = (t, [i])
        } else {
            tree = try await store.areaTree(addingRoot: nil)
            starts = tree.roots
        }
        let byArea = Dictionary(grouping: rows, by: \.areaID)
        var lines: [ApprovalTable.Line] = []
        for period in periods {
            for (i, depth) in tree.preorder(from: starts) where tree.nodes[i].level != .hamlet {
                let row = byArea[tree.nodes[i].id]?.first { $0.period == period }
                var state: ApprovalState = row?.state == .closed ? .closed : .open
                if state == .closed, let p = tree.nodes[i].parent,
                   byArea[tree.nodes[p].id]?.contains(where: { $0.period == period && $0.state == .closed }) == true {
                    state = .accepted
                }
                if state == .open, row == nil, let auto = selfClosed(tree: tree, index: i, period: period) {
                    state = .selfClosed(campaign: auto)
                }
                lines.append(.init(code: tree.nodes[i].code, name: tree.nodes[i].name, level: tree.nodes[i].level, depth: depth,
                                   period: period, state: state, actor: row?.actor, stamp: row?.stamp, reason: row?.reason))
            }
        }
        return ApprovalTable(lines: lines)
    }

    // MARK: Steps

    static func state(of id: Int64, in rows: [ApprovalRow]) -> ApprovalRow.State {
        rows.first { $0.areaID == id }?.state ?? .open
    }

    /// The unit `code` in the part of the tree around it; hamlets are closed with their commune.
    private func unit(_ code: String) async throws -> (AreaTree, Int) {
        guard let tree = try await store.areaTree(around: code, addingRoot: nil), let index = tree.index(of: code) else {
            throw AreaLookupError.unknownCode(code)
        }
        if tree.nodes[index].level == .hamlet {
            let commune = tree.ancestors(of: index).first { tree.nodes[$0].level.isCommuneLevel }
            throw ApprovalError.hamlet(code: code, commune: commune.map { tree.nodes[$0].code } ?? "")
        }
        return (tree, index)
    }

    /// The campaigns whose scope holds the unit or lies under it.
    private func campaigns(touching tree: AreaTree, index: Int) -> [Campaign] {
        campaigns.filter { c in
            if c.coversWholeTree { return true }
            guard let s = tree.index(of: c.scope) else { return false }
            return tree.isInSubtree(index, of: s) || tree.isInSubtree(s, of: index)
        }
    }

    /// The campaign whose `lock_after_days` has closed `period` for the unit, if one has.
    private func selfClosed(tree: AreaTree, index: Int, period: Period) -> String? {
        campaigns(touching: tree, index: index).first { c in
            guard let days = c.closing.lockAfterDays, c.closing.approval == period.kind,
                  c.coversWholeTree || tree.index(of: c.scope).map({ tree.isInSubtree(index, of: $0) }) == true else { return false }
            return period.end >= c.start && period.start <= c.end && today > period.end.adding(days: days)
        }?.id
    }

    /// `text` as a period that has ended, inside a campaign that covers the unit, of the kind the
    /// campaign approves by.
    private func checkedPeriod(_ text: String, unit tree: AreaTree, index: Int, campaign id: String?) throws -> Period {
        guard let period = Period(parsing: text) else { throw ApprovalError.badPeriod(text) }
        if period.end >= today { throw ApprovalError.notEnded(period: period, end: period.end) }
        var relevant = campaigns(touching: tree, index: index)
        if let id {
            guard let c = campaigns.first(where: { $0.id == id }) else { throw ApprovalError.unknownCampaign(id) }
            relevant = [c]
        }
        guard !relevant.isEmpty else { return period }
        let overlapping = relevant.filter { period.end >= $0.start && period.start <= $0.end }
        guard let c = overlapping.first else {
            let c = relevant[0]
            throw ApprovalError.outsideCampaign(period: period, campaign: c.id, start: c.start, end: c.end)
        }
        if !overlapping.contains(where: { $0.closing.approval == period.kind }) {
            throw ApprovalError.wrongKind(period: period, campaign: c.id, kind: c.closing.approval,
                                          suggestion: Period(c.closing.approval, containing: period.start))
        }
        return period
    }
}

/// The state people read: open (mở), closed (chốt), accepted (duyệt: closed, and the unit above
/// closed too), or closed by the campaign's `lock_after_days`.
public enum ApprovalState: Sendable, Equatable {
    case open
    case closed
    case accepted
    case selfClosed(campaign: String)

    public var word: String {
        switch self {
        case .open: "open"
        case .closed: "closed"
        case .accepted: "accepted"
        case .selfClosed: "self_closed"
        }
    }

    public func text(_ l: Labels) -> String {
        switch self {
        case .selfClosed(let c): l("closing.state.self_closed", ["campaign": c])
        default: l["closing.state." + word]
        }
    }
}

/// The states of units and periods, as `outreach approvals` lists them.
public struct ApprovalTable: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var code: String
        public var name: String
        public var level: AreaLevel
        public var depth: Int
        public var period: Period
        public var state: ApprovalState
        public var actor: String?
        public var stamp: String?
        public var reason: String?
    }
    public var lines: [Line]
}

/// Why a closing or a reopening was refused; nothing was changed.
public enum ApprovalError: Error, Equatable, Sendable, UserFacingError {
    case badPeriod(String)
    case notEnded(period: Period, end: Day)
    case outsideCampaign(period: Period, campaign: String, start: Day, end: Day)
    case wrongKind(period: Period, campaign: String, kind: PeriodKind, suggestion: Period)
    case unknownCampaign(String)
    case hamlet(code: String, commune: String)
    case alreadyClosed(code: String, name: String, period: Period, actor: String, stamp: String)
    case openBelow(code: String, period: Period, units: [String])
    case notClosed(code: String, name: String, period: Period)
    case acceptedAbove(code: String, period: Period, parent: String, parentName: String, actor: String, stamp: String)
    case noReason
    case changedMeanwhile(code: String, period: Period)

    public var message: String { text(Labels(.en)) }
    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ l: Labels) -> String {
        switch self {
        case let .badPeriod(text): l("closing.error.bad_period", ["text": text])
        case let .notEnded(period, end): l("closing.error.not_ended", ["period": period.text(l), "end": l.date(end)])
        case let .outsideCampaign(period, campaign, start, end):
            l("closing.error.outside_campaign", ["period": period.text(l), "campaign": campaign, "start": l.date(start), "end": l.date(end)])
        case let .wrongKind(period, campaign, kind, suggestion):
            l("closing.error.wrong_kind", ["period": period.description, "campaign": campaign, "kind": l["closing.kind." + kind.rawValue],
                                           "suggestion": suggestion.description])
        case let .unknownCampaign(id): l("closing.error.unknown_campaign", ["campaign": id])
        case let .hamlet(code, commune): l("closing.error.hamlet", ["code": code, "commune": commune])
        case let .alreadyClosed(code, name, period, actor, stamp):
            l("closing.error.already_closed", ["code": code, "name": name, "period": period.text(l), "actor": actor,
                                               "when": l.time(utc: stamp), "raw": period.description])
        case let .openBelow(code, period, units):
            l("closing.error.open_below", ["code": code, "period": period.text(l), "units": units.joined(separator: ", "),
                                           "raw": period.description])
        case let .notClosed(code, name, period): l("closing.error.not_closed", ["code": code, "name": name, "period": period.text(l)])
        case let .acceptedAbove(code, period, parent, parentName, actor, stamp):
            l("closing.error.accepted_above", ["code": code, "period": period.text(l), "parent": parent, "parent_name": parentName,
                                               "actor": actor, "when": l.time(utc: stamp), "raw": period.description])
        case .noReason: l["closing.error.no_reason"]
        case let .changedMeanwhile(code, period): l("closing.error.changed_meanwhile", ["code": code, "period": period.text(l)])
        }
    }
}

extension Approvals.Outcome {
    /// "Đã chốt số liệu tháng 11/2026 của Xã Tân Phúc (16282)." and what it accepted.
    public func text(_ l: Labels) -> String {
        var line = l(state == .closed ? "closing.done.closed" : "closing.done.reopened",
                     ["period": period.text(l), "name": name, "code": code])
        if !accepted.isEmpty { line += " " + l("closing.done.accepted", ["units": accepted.joined(separator: ", ")]) }
        return line
    }
}
