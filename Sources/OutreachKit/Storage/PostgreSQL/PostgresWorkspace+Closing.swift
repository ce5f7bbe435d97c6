import Foundation
import PostgresNIO

// Approvals, locks and the audit trail on PostgreSQL: `ClosingSQL`'s statements, as on SQLite.
extension PostgresWorkspace {
    public func approvalRows(period: Period?) async throws -> [ApprovalRow] {
        try await read { connection in try await Self.approvalRows(connection, period: period) }
    }

    public func setApproval(area code: String, period: Period, state: ApprovalRow.State, reason: String?,
                            expected: ApprovalRow.State) async throws {
        let recorder = Recorder.current
        try await transaction { connection in
            guard let id = try await Self.closingRows(connection, "SELECT id FROM area WHERE code = $1", [.text(code)], { $0[0].int }).first,
                  let areaID = id else {
                throw AreaLookupError.unknownCode(code)
            }
            // One writer of a unit's state at a time.
            try await connection.query("SELECT pg_advisory_xact_lock(\(Int32(7_015)), \(Int32(truncatingIfNeeded: areaID)))", logger: Self.quiet)
            let now = try await Self.closingRows(connection, ClosingSQL.approvalState, [.int(Int64(areaID)), .text(period.description)]) {
                $0[0].text
            }.first ?? nil
            guard (now ?? "open") == expected.rawValue else { throw ApprovalError.changedMeanwhile(code: code, period: period) }
            let entry = ApprovalChange.entry(code: code, period: period, from: expected, to: state, reason: reason, recorder: recorder)
            _ = try await Self.closingRows(connection, ClosingSQL.upsertApproval, ClosingSQL.upsertValues(
                areaID: Int64(areaID), period: period, state: state, actor: recorder.name, stamp: entry.stamp, reason: reason)) { _ in 0 }
            try await Self.audit(connection, entry)
        }
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        let (sql, values) = ClosingSQL.listAudit(query)
        return try await read { connection in
            if let under = query.under,
               try await Self.closingRows(connection, "SELECT count(*) FROM area WHERE code = $1", [.text(under)], { $0[0].int }).first == 0 {
                throw AreaLookupError.unknownCode(under)
            }
            return try await Self.closingRows(connection, sql, values) { cells in
                try? ClosingSQL.auditEntry(bytes: { cells[$0].blob }, text: { cells[$0].text })
            }.compactMap { $0 }
        }
    }

    // MARK: Steps shared by the writes

    static func approvalRows(_ connection: PostgresConnection, period: Period?) async throws -> [ApprovalRow] {
        let (sql, values): (String, [ClosingSQL.Value]) = period.map { (ClosingSQL.listApprovalsOfPeriod, [.text($0.description)]) }
            ?? (ClosingSQL.listApprovals, [])
        return try await closingRows(connection, sql, values) { cells in
            try? ClosingSQL.approvalRow(int: { cells[$0].int.map(Int64.init) }, text: { cells[$0].text })
        }.compactMap { $0 }
    }

    /// Adds `entry` to the audit trail (once: a row already there is kept).
    static func audit(_ connection: PostgresConnection, _ entry: AuditEntry) async throws {
        _ = try await closingRows(connection, ClosingSQL.insertAudit, ClosingSQL.auditValues(entry)) { _ in 0 }
    }

    /// The rules that decide which sessions are locked on `today`.
    static func lockRules(_ connection: PostgresConnection, today: Day) async throws -> LockRules {
        let autoLocks = Recorder.current.autoLocks
        if autoLocks.isEmpty, try await closingRows(connection, ClosingSQL.anyClosed, [], { $0[0].int }).first ?? 0 == 0 {
            return LockRules(rows: [], autoLocks: [], today: today)
        }
        let rows = try await closingRows(connection, ClosingSQL.lockRows, []) { cells in
            try? ClosingSQL.approvalRow(int: { cells[$0].int.map(Int64.init) }, text: { cells[$0].text })
        }.compactMap { $0 }
        let codes = Array(Set(autoLocks.map(\.scope).filter { $0 != Campaign.wholeTreeScope }))
        var scopes: [String: (Int64, String)] = [:]
        if !codes.isEmpty {
            for (id, code, name) in try await closingRows(connection, ClosingSQL.areas(codes: codes.count), codes.map { .text($0) }, {
                (Int64($0[0].int ?? 0), $0[1].text ?? "", $0[2].text ?? "")
            }) {
                scopes[code] = (id, name)
            }
        }
        let resolved = autoLocks.compactMap { lock -> (lock: AutoLock, scopeID: Int64?, code: String, name: String)? in
            if lock.scope == Campaign.wholeTreeScope { return (lock, nil, lock.scope, Campaign.wholeTreeName) }
            return scopes[lock.scope].map { (lock, $0.0, lock.scope, $0.1) }
        }
        return LockRules(rows: rows, autoLocks: resolved, today: today)
    }

    /// The lock check of a write of sessions on `today`; nil when nothing can be locked.
    static func lockGate(_ connection: PostgresConnection, today: Day) async throws -> LockGate? {
        let rules = try await lockRules(connection, today: today)
        guard !rules.isEmpty else { return nil }
        var parents: [Int64: Int64] = [:]
        for (id, parent) in try await closingRows(connection, ClosingSQL.parents, [], { (Int64($0[0].int ?? 0), Int64($0[1].int ?? 0)) }) {
            parents[id] = parent
        }
        return LockGate(rules: rules, parents: parents)
    }

    /// Refuses, with every locked one listed, sessions dated in a closed period.
    /// `known`: chains the caller has read already.
    static func refuseLocked(_ connection: PostgresConnection, _ probes: [LockProbe], today: Day, source: String? = nil,
                             known: [Int64: [Int64]] = [:]) async throws {
        guard !probes.isEmpty else { return }
        let rules = try await lockRules(connection, today: today)
        guard !rules.isEmpty else { return }
        var chains = known
        for area in Set(probes.map(\.areaID)) where chains[area] == nil {
            chains[area] = try await areaChain(connection, area).map(\.id)
        }
        try rules.refuse(probes, chains: chains, source: source)
    }

    /// The codes of areas `ids`.
    static func codes(_ connection: PostgresConnection, _ ids: [Int64]) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        var out: [Int64: String] = [:]
        let sql = "SELECT id, code FROM area WHERE id IN (\(ids.map(String.init).joined(separator: ",")))"
        for (id, code) in try await closingRows(connection, sql, [], { (Int64($0[0].int ?? 0), $0[1].text ?? "") }) { out[id] = code }
        return out
    }

    /// Each row of `sql` read by `cells`.
    static func closingRows<T: Sendable>(_ connection: PostgresConnection, _ sql: String, _ values: [ClosingSQL.Value],
                                         _ cells: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        var binds = PostgresBindings()
        for value in values {
            switch value {
            case let .text(text): binds.append(text)
            case let .int(n): binds.append(n)
            case let .double(x): binds.append(x)
            case let .bytes(b): binds.append(ByteBuffer(bytes: b))
            }
        }
        var out: [T] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: quiet) {
            out.append(try cells(row.makeRandomAccess()))
        }
        return out
    }
}
