import Foundation
import GRDB

// Approvals, locks and the audit trail in an SQLite workspace: `ClosingSQL`'s statements.
extension Store {
    public func approvalRows(period: Period?) throws -> [ApprovalRow] {
        try read { db in try Store.approvalRows(db, period: period) }
    }

    public func setApproval(area code: String, period: Period, state: ApprovalRow.State, reason: String?,
                            expected: ApprovalRow.State) throws {
        let recorder = Recorder.current
        try write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM area WHERE code = ?", arguments: [code]) else {
                throw AreaLookupError.unknownCode(code)
            }
            let now = try String.fetchOne(db, sql: ClosingSQL.approvalState, arguments: [id, period.description]) ?? "open"
            guard now == expected.rawValue else { throw ApprovalError.changedMeanwhile(code: code, period: period) }
            let entry = ApprovalChange.entry(code: code, period: period, from: expected, to: state, reason: reason, recorder: recorder)
            try db.execute(sql: ClosingSQL.upsertApproval, arguments: Store.arguments(ClosingSQL.upsertValues(
                areaID: id, period: period, state: state, actor: recorder.name, stamp: entry.stamp, reason: reason)))
            try Store.audit(db, entry)
        }
    }

    public func auditEntries(_ query: AuditQuery) throws -> [AuditEntry] {
        let (sql, values) = ClosingSQL.listAudit(query)
        return try read { db in
            if let under = query.under, try Int.fetchOne(db, sql: "SELECT count(*) FROM area WHERE code = ?", arguments: [under]) == 0 {
                throw AreaLookupError.unknownCode(under)
            }
            return try Row.fetchAll(db, sql: sql, arguments: Store.arguments(values)).compactMap { row in
                try ClosingSQL.auditEntry(bytes: { (row[$0] as Data?).map { [UInt8]($0) } }, text: { row[$0] })
            }
        }
    }

    // MARK: Steps shared by the writes

    static func approvalRows(_ db: Database, period: Period?) throws -> [ApprovalRow] {
        let rows = if let period {
            try Row.fetchAll(db, sql: ClosingSQL.listApprovalsOfPeriod, arguments: [period.description])
        } else {
            try Row.fetchAll(db, sql: ClosingSQL.listApprovals)
        }
        return try rows.compactMap { row in try ClosingSQL.approvalRow(int: { row[$0] }, text: { row[$0] }) }
    }

    /// Adds `entry` to the audit trail (once: a row already there is kept).
    static func audit(_ db: Database, _ entry: AuditEntry) throws {
        try db.cachedStatement(sql: ClosingSQL.insertAudit).execute(arguments: arguments(ClosingSQL.auditValues(entry)))
    }

    /// The rules that decide which sessions are locked on `today`, with the current task's
    /// self-closing campaigns.
    static func lockRules(_ db: Database, today: Day) throws -> LockRules {
        let autoLocks = Recorder.current.autoLocks
        if autoLocks.isEmpty, try Int.fetchOne(db.cachedStatement(sql: ClosingSQL.anyClosed)) ?? 0 == 0 {
            return LockRules(rows: [], autoLocks: [], today: today)
        }
        let rows = try Row.fetchAll(db, sql: ClosingSQL.lockRows).compactMap { row in
            try ClosingSQL.approvalRow(int: { row[$0] }, text: { row[$0] })
        }
        let codes = Array(Set(autoLocks.map(\.scope).filter { $0 != Campaign.wholeTreeScope }))
        var scopes: [String: (Int64, String)] = [:]
        if !codes.isEmpty {
            for row in try Row.fetchAll(db, sql: ClosingSQL.areas(codes: codes.count), arguments: StatementArguments(codes)) {
                scopes[row[1]] = (row[0], row[2])
            }
        }
        let resolved = autoLocks.compactMap { lock -> (lock: AutoLock, scopeID: Int64?, code: String, name: String)? in
            if lock.scope == Campaign.wholeTreeScope { return (lock, nil, lock.scope, Campaign.wholeTreeName) }
            return scopes[lock.scope].map { (lock, $0.0, lock.scope, $0.1) }
        }
        return LockRules(rows: rows, autoLocks: resolved, today: today)
    }

    /// The lock check of a write of sessions on `today`; nil when nothing can be locked.
    static func lockGate(_ db: Database, today: Day) throws -> LockGate? {
        let rules = try lockRules(db, today: today)
        guard !rules.isEmpty else { return nil }
        var parents: [Int64: Int64] = [:]
        for row in try Row.fetchAll(db, sql: ClosingSQL.parents) { parents[row[0]] = row[1] }
        return LockGate(rules: rules, parents: parents)
    }

    /// Refuses, with every locked one listed, sessions dated in a closed period.
    /// `known`: chains the caller has read already.
    static func refuseLocked(_ db: Database, _ probes: [LockProbe], today: Day, source: String? = nil,
                             known: [Int64: [Int64]] = [:]) throws {
        guard !probes.isEmpty else { return }
        let rules = try lockRules(db, today: today)
        guard !rules.isEmpty else { return }
        var chains = known
        for area in Set(probes.map(\.areaID)) where chains[area] == nil { chains[area] = try areaChain(db, area).map(\.id) }
        try rules.refuse(probes, chains: chains, source: source)
    }

    /// The codes of areas `ids`.
    static func codes(_ db: Database, _ ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        var out: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, code FROM area WHERE id IN (\(ids.map(String.init).joined(separator: ",")))") {
            out[row[0]] = row[1]
        }
        return out
    }

    /// Runs SQL written once for both engines, whose `$N` markers bind by number: SQLite reads
    /// `?N` so, whatever order the markers come in (as `$N` it would number them by first use).
    static func executeShared(_ db: Database, _ sql: String, _ values: [ClosingSQL.Value]) throws {
        try sharedStatement(db, sql).execute(arguments: arguments(values))
    }

    /// The statement of such SQL, prepared once per connection.
    static func sharedStatement(_ db: Database, _ sql: String) throws -> Statement {
        try db.cachedStatement(sql: sql.replacingOccurrences(of: "$", with: "?"))
    }

    static func arguments(_ values: [ClosingSQL.Value]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case let .text(text): text
            case let .int(n): n
            case let .double(x): x
            case let .bytes(b): Data(b)
            }
        })
    }
}
