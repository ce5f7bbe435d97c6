import Foundation

/// The audit rows of changes to areas, teams, members, leaflets and accounts, written once for
/// both engines: one row for a file (its counts and the codes it added), and one row per known
/// row it changed, with the values before and after. Phones are masked; passwords and tokens
/// are never written.
enum RosterAudit {
    static func areas(_ plan: AreaImportPlan, existing: [AreaImportPlan.Existing], file: String) -> [AuditEntry] {
        let s = plan.summary
        var added: [String] = []
        var entries: [AuditEntry] = []
        let byID = Dictionary(uniqueKeysWithValues: existing.map { ($0.id, $0) })
        let codeOf = Dictionary(uniqueKeysWithValues: existing.map { ($0.id, $0.code) })
        for step in plan.steps {
            switch step {
            case let .insert(row): added.append(row.code)
            case let .update(row, id):
                guard let old = byID[id] else { continue }
                entries.append(.now(.areasImport, subject: "area", key: row.code, area: row.code,
                                    before: values(name: old.name, level: old.level, parent: old.parentID.flatMap { codeOf[$0] }, old.attributes),
                                    after: values(name: row.name, level: row.level, parent: row.parentCode, row.attributes), reason: file))
            }
        }
        let summary = ImportAudit.roster(.areasImport, subject: "area", file: file,
                                         counts: ["added": s.added, "updated": s.updated, "unchanged": s.unchanged,
                                                  "renamed": s.renamed, "moved": s.moved], changed: added)
        return [summary] + entries
    }

    private static func values(name: String, level: AreaLevel, parent: String?, _ a: AreaAttributes) -> [String: AuditValue] {
        ["name": .text(name), "level": .text(level.rawValue), "parent": .text(parent), "population": .int(a.population),
         "adults": .int(a.adults), "working_age": .int(a.workingAge), "households": .int(a.households)]
    }

    static func teams(_ plan: TeamImportPlan, existing: [String: StoredTeam], file: String) -> [AuditEntry] {
        var added: [String] = []
        var entries: [AuditEntry] = []
        let byID = Dictionary(uniqueKeysWithValues: existing.values.map { ($0.id, $0.team) })
        for step in plan.steps {
            switch step {
            case let .insert(team): added.append(team.code)
            case let .update(team, id):
                entries.append(.now(.teamsImport, subject: "team", key: team.code, area: team.areaCode,
                                    before: byID[id].map(values), after: values(team), reason: file))
            }
        }
        let s = plan.summary
        return [ImportAudit.roster(.teamsImport, subject: "team", file: file,
                                   counts: ["added": s.added, "updated": s.updated, "unchanged": s.unchanged], changed: added)] + entries
    }

    static func team(_ team: Team) -> AuditEntry {
        .now(.teamAdd, subject: "team", key: team.code, area: team.areaCode, after: values(team))
    }

    static func values(_ t: Team) -> [String: AuditValue] {
        ["name": .text(t.name), "kind": .text(t.kind.rawValue), "area": .text(t.areaCode), "leader": .text(t.leader),
         "leader_phone": .text(t.leaderPhone?.masked), "formed": .text(t.formed?.iso), "status": .text(t.status.rawValue),
         "inactive_since": .text(t.inactiveSince?.iso)]
    }

    static func members(_ plan: MemberImportPlan, existing: [StableID: StoredMember], file: String) -> [AuditEntry] {
        var added = 0
        var entries: [AuditEntry] = []
        let byID = Dictionary(uniqueKeysWithValues: existing.values.map { ($0.id, $0.member) })
        for step in plan.steps {
            switch step {
            case .insert: added += 1
            case let .update(member, id):
                entries.append(.now(.membersImport, subject: "member", key: "\(member.teamCode) \(member.name)",
                                    before: byID[id].map(values), after: values(member), reason: file))
            }
        }
        let s = plan.summary
        return [ImportAudit.roster(.membersImport, subject: "member", file: file,
                                   counts: ["added": s.added, "updated": s.updated, "unchanged": s.unchanged], changed: [])] + entries
    }

    static func member(_ member: Member) -> AuditEntry {
        .now(.memberAdd, subject: "member", key: "\(member.teamCode) \(member.name)", after: values(member))
    }

    static func values(_ m: Member) -> [String: AuditValue] {
        ["team": .text(m.teamCode), "name": .text(m.name), "phone": .text(m.phone?.masked), "role": .text(m.role.rawValue),
         "joined": .text(m.joined?.iso), "left": .text(m.left?.iso)]
    }

    static func leaflets(_ move: LeafletMove) -> AuditEntry {
        .now(move.from == nil ? .leafletsReceive : .leafletsAllocate, subject: "leaflet_move", key: move.id.uuidString.lowercased(),
             area: move.to,
             after: ["date": .text(move.day.iso), "from": .text(move.from), "to": .text(move.to), "quantity": .int(move.quantity),
                     "batch": .text(move.batch)])
    }

    static func account(_ account: Account) -> AuditEntry {
        .now(.accountAdd, subject: "account", key: account.name, area: nil,
             after: ["role": .text(account.role.rawValue), "area": .text(account.area), "team": .text(account.team)])
    }

    static func account(_ name: String, _ change: AccountChange) -> AuditEntry? {
        let what: [String: AuditValue]
        switch change {
        case let .disabled(flag): what = ["disabled": .int(flag ? 1 : 0)]
        case .password: what = ["password": .text("changed")]
        case .token: what = ["token": .text("issued")]
        case .loginFailed, .loginSucceeded: return nil
        }
        return .now(.accountChange, subject: "account", key: name, after: what)
    }
}
