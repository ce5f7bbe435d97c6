import Foundation
import PostgresNIO

// Follow-ups of data quality on PostgreSQL: `FollowUpSQL`'s statements, as on SQLite.
extension PostgresWorkspace {
    public func recordFollowUps(_ flags: [OutlierFlag]) async throws -> Int {
        let recorder = Recorder.current
        let stamp = recorder.stamp()
        return try await transaction { connection in
            var added = 0
            let encoder = JSONEncoder()
            for flag in flags {
                guard let values = FollowUpSQL.insertValues(flag, recorder: recorder, stamp: stamp, encoder: encoder) else { continue }
                added += try await Self.closingRows(connection, FollowUpSQL.insert + " RETURNING 1", values) { _ in 1 }.count
            }
            if added > 0 { try await Self.audit(connection, QualityAudit.flagged(added, of: flags.count)) }
            return added
        }
    }

    public func followUps(_ query: FollowUpQuery) async throws -> [FollowUp] {
        try await read { connection in try await Self.followUps(connection, query) }
    }

    public func followUpMarks(under: String?) async throws -> [FollowUpMark] {
        try await read { connection in
            var binds = PostgresBindings()
            if let under { binds.append(under) }
            var out: [FollowUpMark] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: FollowUpSQL.marks(under: under != nil), binds: binds),
                                                            logger: Self.quiet) {
                let cells = row.makeRandomAccess()
                guard var bytes = cells[0].bytes, bytes.readableBytes == 16, let high = bytes.readInteger(as: UInt64.self),
                      let low = bytes.readInteger(as: UInt64.self) else { continue }
                out.append(FollowUpMark(uuidHigh: high, uuidLow: low, open: (cells[1].int ?? 0) != 0))
            }
            return out
        }
    }

    public func resolveFollowUp(_ id: Int64, reason: String) async throws -> FollowUp {
        let recorder = Recorder.current
        let reason = try QualityAudit.reason(reason)
        return try await transaction { connection in
            try await connection.query("SELECT id FROM followup WHERE id = \(id) FOR UPDATE", logger: Self.quiet)
            guard let current = try await Self.followUps(connection, FollowUpQuery(id: id)).first else {
                throw FollowUpError.unknown(String(id))
            }
            guard current.state == .open else { throw FollowUpError.alreadyResolved(id: id, state: current.state, by: current.resolvedBy) }
            _ = try await Self.closingRows(connection, FollowUpSQL.resolve,
                                           [.text(recorder.stamp()), .text(recorder.name), .text(reason), .int(id)]) { _ in 0 }
            try await Self.audit(connection, QualityAudit.resolved(current, reason: reason, recorder: recorder))
            return try await Self.followUps(connection, FollowUpQuery(id: id)).first ?? current
        }
    }

    public func areaSources() async throws -> [Int64: AreaSource] {
        try await read { connection in
            var out: [Int64: AreaSource] = [:]
            for (id, source) in try await Self.closingRows(connection, ProvenanceSQL.list, [], {
                (Int64($0[0].int ?? 0), AreaSource(source: $0[1].text, asOf: $0[2].int.map(Day.init(number:))))
            }) { out[id] = source }
            return out
        }
    }

    private static func followUps(_ connection: PostgresConnection, _ query: FollowUpQuery) async throws -> [FollowUp] {
        let (sql, values) = FollowUpSQL.list(query)
        let decoder = JSONDecoder()
        return try await closingRows(connection, sql, values) { cells in
            try? FollowUpSQL.followUp(int: { cells[$0].int.map(Int64.init) }, text: { cells[$0].text }, decoder: decoder)
        }.compactMap { $0 }
    }
}
