import Foundation
import PostgresNIO

// Targets set in the workspace, on PostgreSQL: `TargetSQL`'s statements, checked by
// `AreaTargetRules` as on SQLite. Two officers changing one target at once: the second waits
// for the first's row (the upsert or delete locks it) and its audit row says what it replaced.
extension PostgresWorkspace {
    public func areaTargets(campaign: String?) async throws -> [AreaTarget] {
        try await read { connection in
            let (sql, values): (String, [ClosingSQL.Value]) = campaign.map { (TargetSQL.listOfCampaign, [.text($0)]) } ?? (TargetSQL.list, [])
            return try await Self.closingRows(connection, sql, values) { cells in
                try TargetSQL.row(text: { cells[$0].text }, double: { try cells[$0].decode(Double?.self) }, int: { cells[$0].int.map(Int64.init) })
            }.compactMap { $0 }
        }
    }

    public func changeAreaTarget(_ request: AreaTargetRequest) async throws -> AreaTargetChange {
        let recorder = Recorder.current
        return try await transaction { connection in
            guard let (areaID, name) = try await Self.closingRows(connection, TargetSQL.area, [.text(request.area)], {
                (Int64($0[0].int ?? 0), $0[1].text ?? "")
            }).first else {
                throw AreaTargetError.unknownArea(request.area)
            }
            let key: [ClosingSQL.Value] = [.text(request.campaign.id), .int(areaID), .text(request.indicator)]
            // FOR UPDATE: a concurrent change of the same target waits, then reads what it replaces.
            let before = try await Self.closingRows(connection, TargetSQL.one + " FOR UPDATE", key) { cells in
                TargetSQL.target(share: try cells[0].decode(Double?.self), count: cells[1].int.map(Int64.init))
            }.first ?? nil
            let chain = try await Self.areaChain(connection, areaID).map(\.code)
            let (change, audit) = try AreaTargetRules.plan(request, areaName: name, chain: chain, before: before, recorder: recorder)
            guard let audit else { return change }
            if let target = request.target {
                _ = try await Self.closingRows(connection, TargetSQL.upsert, TargetSQL.upsertValues(
                    campaign: request.campaign.id, areaID: areaID, indicator: request.indicator, target: target, recorder: recorder,
                    stamp: audit.stamp)) { _ in 0 }
            } else {
                _ = try await Self.closingRows(connection, TargetSQL.delete, key) { _ in 0 }
            }
            try await Self.audit(connection, audit)
            return change
        }
    }
}
