import Foundation

/// One change in the audit trail: what (the table and the row's key), the values before and
/// after, who, when, and why. Rows are only ever added (triggers refuse edits and deletes); a
/// bundle carries them to other copies, where the same `id` is never added twice.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: UUID
    /// When, ISO 8601 in UTC (shown in Vietnam time).
    public var stamp: String
    public var actor: String
    public var action: AuditAction
    /// The table changed.
    public var subject: String
    /// The changed row's key in that table: a session id, an area code, "16282 2026-11" …
    public var key: String
    /// The area the change belongs to (for `--under`), when it has one.
    public var area: String?
    /// The values before and after, as JSON objects (nil: the row did not exist or is gone).
    public var before: String?
    public var after: String?
    public var reason: String?
    /// The workspace it was made in.
    public var workspace: String?

    public init(id: UUID = UUID(), stamp: String, actor: String, action: AuditAction, subject: String, key: String,
                area: String? = nil, before: String? = nil, after: String? = nil, reason: String? = nil,
                workspace: String? = nil) {
        self.id = id
        self.stamp = stamp
        self.actor = actor
        self.action = action
        self.subject = subject
        self.key = key
        self.area = area
        self.before = before
        self.after = after
        self.reason = reason
        self.workspace = workspace
    }

    /// A change made now by the current task's recorder.
    static func now(_ action: AuditAction, subject: String, key: String, area: String? = nil,
                    before: [String: AuditValue]? = nil, after: [String: AuditValue]? = nil, reason: String? = nil) -> AuditEntry {
        let recorder = Recorder.current
        return AuditEntry(stamp: recorder.stamp(), actor: recorder.name, action: action, subject: subject, key: key, area: area,
                          before: before.map(AuditValue.json), after: after.map(AuditValue.json), reason: reason)
    }
}

/// The kinds of change the trail records.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case sessionLog = "session.log"
    case sessionReplace = "session.replace"
    case sessionVoid = "session.void"
    case sessionsImport = "sessions.import"
    case bundleMerge = "bundle.merge"
    case areasImport = "areas.import"
    case teamsImport = "teams.import"
    case teamAdd = "team.add"
    case membersImport = "members.import"
    case memberAdd = "member.add"
    case leafletsReceive = "leaflets.receive"
    case leafletsAllocate = "leaflets.allocate"
    case approvalClose = "approval.close"
    case approvalReopen = "approval.reopen"
    case followUpFlag = "followup.flag"
    case followUpResolve = "followup.resolve"
    case accountAdd = "account.add"
    case accountChange = "account.change"
    case areaMerge = "area.merge"
    case areaSplit = "area.split"
    case areaMove = "area.move"
    case areaRename = "area.rename"
    case areaRetire = "area.retire"
    case areasReform = "areas.reform"
    case targetSet = "target.set"
    case targetClear = "target.clear"
}

/// A value of an audit row's before or after object.
public enum AuditValue: Sendable, Equatable {
    case text(String?)
    case int(Int?)
    case list([String])

    /// The object as compact JSON with its keys sorted (by code point: the keys are field and
    /// metric codes), as `JSONSerialization` would write it with `.sortedKeys` and
    /// `.withoutEscapingSlashes`, written directly: every logged session makes one, and
    /// Foundation's writer (its casts, `NSNull`, locale-aware key sort) took a sixth of the
    /// server's time under load.
    static func json(_ values: [String: AuditValue]) -> String {
        var out = Array("{".utf8)
        for (i, (key, value)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out += ",".utf8 }
            JSONText.string(key, into: &out)
            out += ":".utf8
            switch value {
            case let .text(t): if let t { JSONText.string(t, into: &out) } else { out += "null".utf8 }
            case let .int(n): out += (n.map(String.init) ?? "null").utf8
            case let .list(l):
                out += "[".utf8
                for (j, item) in l.enumerated() {
                    if j > 0 { out += ",".utf8 }
                    JSONText.string(item, into: &out)
                }
                out += "]".utf8
            }
        }
        out += "}".utf8
        return String(decoding: out, as: UTF8.self)
    }
}

/// Which audit rows to list.
public struct AuditQuery: Sendable, Equatable {
    public var under: String?
    public var since: Day?
    public var by: String?
    public var limit: Int?

    public init(under: String? = nil, since: Day? = nil, by: String? = nil, limit: Int? = nil) {
        self.under = under
        self.since = since
        self.by = by
        self.limit = limit
    }
}

/// The audit rows of session writes, written once for both engines.
enum SessionAudit {
    /// A logged session, or the replacement of `replaced` (voided with `reason`).
    static func logged(_ session: NewSession, id: String, replaced: String?, reason: String?, notes: String?,
                       recorder: Recorder) -> AuditEntry {
        var after: [String: AuditValue] = ["date": .text(session.day.description), "area": .text(session.area),
                                           "team": .text(session.team), "logged_by": .text(session.loggedBy), "notes": .text(notes)]
        for (metric, value) in zip(Metric.allCases, session.metrics.values) where value != nil { after[metric.code] = .int(value) }
        for (code, value) in session.campaignCounts { after[code] = .int(value) }
        return AuditEntry(stamp: recorder.stamp(), actor: recorder.name, action: replaced == nil ? .sessionLog : .sessionReplace,
                          subject: "session", key: id, area: session.area,
                          before: replaced.map { AuditValue.json(["replaces": .text($0)]) }, after: AuditValue.json(after),
                          reason: replaced == nil ? nil : reason)
    }

    static func voided(_ id: String, area: String, reason: String, recorder: Recorder) -> AuditEntry {
        AuditEntry(stamp: recorder.stamp(), actor: recorder.name, action: .sessionVoid, subject: "session", key: id, area: area,
                   before: AuditValue.json(["voided": .int(0)]), after: AuditValue.json(["voided": .int(1)]), reason: reason)
    }
}

/// The audit rows of imports and merges: one row for the whole file, with its counts.
enum ImportAudit {
    static func sessions(file: String, rows: Int, imported: Int, alreadyPresent: Int, corrected: Int) -> AuditEntry {
        .now(.sessionsImport, subject: "import_file", key: file,
             after: ["rows": .int(rows), "added": .int(imported), "already_present": .int(alreadyPresent), "corrected": .int(corrected)])
    }

    static func merge(file: String, source: String, added: Int) -> AuditEntry {
        .now(.bundleMerge, subject: "bundle_merge", key: file, after: ["from_workspace": .text(source), "added": .int(added)])
    }

    /// An import of an area, team or member file: its counts, and the codes it changed.
    static func roster(_ action: AuditAction, subject: String, file: String, counts: [String: Int], changed: [String]) -> AuditEntry {
        var after = counts.mapValues { AuditValue.int($0) }
        if !changed.isEmpty { after["added_codes"] = .list(Array(changed.prefix(200))) }
        return .now(action, subject: subject, key: file, after: after)
    }
}
