import Foundation
import GRDB

// Targets set in the workspace, in an SQLite file: `TargetSQL`'s statements, checked by
// `AreaTargetRules` as on PostgreSQL.
extension Store {
    public func areaTargets(campaign: String?) throws -> [AreaTarget] {
        try read { db in
            let rows = if let campaign {
                try Row.fetchAll(db, sql: TargetSQL.listOfCampaign, arguments: [campaign])
            } else {
                try Row.fetchAll(db, sql: TargetSQL.list)
            }
            return try rows.compactMap { row in try TargetSQL.row(text: { row[$0] }, double: { row[$0] }, int: { row[$0] }) }
        }
    }

    public func changeAreaTarget(_ request: AreaTargetRequest) throws -> AreaTargetChange {
        let recorder = Recorder.current
        return try write { db in
            guard let area = try Row.fetchOne(db, sql: TargetSQL.area, arguments: [request.area]) else {
                throw AreaTargetError.unknownArea(request.area)
            }
            let areaID: Int64 = area[0]
            let key: StatementArguments = [request.campaign.id, areaID, request.indicator]
            let before = try Row.fetchOne(db, sql: TargetSQL.one, arguments: key).flatMap { TargetSQL.target(share: $0[0], count: $0[1]) }
            let (change, audit) = try AreaTargetRules.plan(request, areaName: area[1], chain: try Store.areaChain(db, areaID).map(\.code),
                                                           before: before, recorder: recorder)
            guard let audit else { return change }
            if let target = request.target {
                try db.execute(sql: TargetSQL.upsert, arguments: Store.arguments(TargetSQL.upsertValues(
                    campaign: request.campaign.id, areaID: areaID, indicator: request.indicator, target: target, recorder: recorder,
                    stamp: audit.stamp)))
            } else {
                try db.execute(sql: TargetSQL.delete, arguments: key)
            }
            try Store.audit(db, audit)
            return change
        }
    }
}
