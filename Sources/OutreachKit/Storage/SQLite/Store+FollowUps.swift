import Foundation
import GRDB
import GRDBSQLite

// Follow-ups of data quality in an SQLite workspace: `FollowUpSQL`'s statements.
extension Store {
    public func recordFollowUps(_ flags: [OutlierFlag]) throws -> Int {
        let recorder = Recorder.current
        let stamp = recorder.stamp()
        return try write { db in
            var added = 0
            let statement = try db.makeStatement(sql: FollowUpSQL.insert)
            let encoder = JSONEncoder()
            for flag in flags {
                guard let values = FollowUpSQL.insertValues(flag, recorder: recorder, stamp: stamp, encoder: encoder) else { continue }
                try statement.execute(arguments: Store.arguments(values))
                added += db.changesCount
            }
            if added > 0 { try Store.audit(db, QualityAudit.flagged(added, of: flags.count)) }
            return added
        }
    }

    public func followUps(_ query: FollowUpQuery) throws -> [FollowUp] {
        try read { db in try Store.followUps(db, query) }
    }

    public func followUpMarks(under: String?) throws -> [FollowUpMark] {
        try read { db in
            let statement = try db.makeStatement(sql: FollowUpSQL.marks(under: under != nil))
            if let under { try statement.setArguments([under]) }
            var out: [FollowUpMark] = []
            try statement.forEachRawRow(db) { stmt in
                guard sqlite3_column_bytes(stmt, 0) == 16, let blob = sqlite3_column_blob(stmt, 0) else { return }
                let (high, low) = ScannedSession.halves(blob)
                out.append(FollowUpMark(uuidHigh: high, uuidLow: low, open: sqlite3_column_int(stmt, 1) != 0))
            }
            return out
        }
    }

    public func resolveFollowUp(_ id: Int64, reason: String) throws -> FollowUp {
        let recorder = Recorder.current
        let reason = try QualityAudit.reason(reason)
        return try write { db in
            guard let current = try Store.followUps(db, FollowUpQuery(id: id)).first else {
                throw FollowUpError.unknown(String(id))
            }
            guard current.state == .open else { throw FollowUpError.alreadyResolved(id: id, state: current.state, by: current.resolvedBy) }
            let stamp = recorder.stamp()
            try db.execute(sql: FollowUpSQL.resolve, arguments: Store.arguments([.text(stamp), .text(recorder.name), .text(reason), .int(id)]))
            try Store.audit(db, QualityAudit.resolved(current, reason: reason, recorder: recorder))
            return try Store.followUps(db, FollowUpQuery(id: id)).first ?? current
        }
    }

    public func areaSources() throws -> [Int64: AreaSource] {
        try read { db in
            var out: [Int64: AreaSource] = [:]
            for row in try Row.fetchAll(db, sql: ProvenanceSQL.list) {
                out[row[0]] = AreaSource(source: row[1], asOf: (row[2] as Int?).map(Day.init(number:)))
            }
            return out
        }
    }

    private static func followUps(_ db: Database, _ query: FollowUpQuery) throws -> [FollowUp] {
        let (sql, values) = FollowUpSQL.list(query)
        let decoder = JSONDecoder()
        return try Row.fetchAll(db, sql: sql, arguments: Store.arguments(values)).compactMap { row in
            try FollowUpSQL.followUp(int: { row[$0] }, text: { row[$0] }, decoder: decoder)
        }
    }
}
