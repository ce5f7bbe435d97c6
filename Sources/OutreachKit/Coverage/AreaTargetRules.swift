import Foundation

/// The rules of targets set in the workspace, written once for both engines: what a change may
/// be, what it leaves in force, and its audit row (what, old → new, who, why).
///
/// A closed period does not refuse a target change: closing keeps a period's figures (the
/// sessions) from changing, and a target is not a figure of any period but the goal the figures
/// are measured against; the audit row keeps the old value.
public enum AreaTargetRules {
    /// Reads a target typed by a person for `indicator` of `campaign`: `85%`, `0,85`, `0.85` (a
    /// share, for an indicator with a denominator) or a count such as `1.010` (without one), as
    /// the campaign's target tables accept them.
    public static func parse(_ text: String, indicator id: String, of campaign: Campaign) throws -> Target {
        let indicator = try self.indicator(id, of: campaign)
        switch CampaignFile.target(text, hasDenominator: indicator.denominator != nil) {
        case .success(let target): return target
        case .failure(let problem): throw AreaTargetError.badTarget(indicator: id, problem: problem)
        }
    }

    /// The indicator `id` of `campaign`.
    static func indicator(_ id: String, of campaign: Campaign) throws -> Indicator {
        guard let indicator = campaign.indicator(id) else {
            throw AreaTargetError.unknownIndicator(campaign: campaign.id, indicator: id, known: campaign.indicators.map(\.id))
        }
        return indicator
    }

    /// Checks `request` against its campaign and the area (its name, and the codes of the area
    /// and every unit above it, nearest first), with the workspace target stored `before`: the
    /// change and its audit row, nil when nothing changes (the same target set again).
    static func plan(_ request: AreaTargetRequest, areaName: String, chain: [String], before: Target?,
                     recorder: Recorder) throws -> (change: AreaTargetChange, audit: AuditEntry?) {
        let campaign = request.campaign
        let indicator = try indicator(request.indicator, of: campaign)
        guard campaign.coversWholeTree || chain.contains(campaign.scope) else {
            throw AreaTargetError.outsideScope(code: request.area, name: areaName, campaign: campaign.id, scope: campaign.scope)
        }
        if let target = request.target {
            switch (target, indicator.denominator) {
            case (.share, nil):
                throw AreaTargetError.badTarget(indicator: indicator.id,
                                                problem: .init(kind: .shareWithoutDenominator, text: target.fileText))
            case (.count, .some):
                throw AreaTargetError.badTarget(indicator: indicator.id, problem: .init(kind: .notAShare, text: target.fileText))
            case let (.share(s), _) where !(0...1).contains(s):
                throw AreaTargetError.badTarget(indicator: indicator.id, problem: .init(kind: .over100, text: target.fileText))
            case let (.count(n), _) where n < 0:
                throw AreaTargetError.badTarget(indicator: indicator.id, problem: .init(kind: .negative, text: target.fileText))
            default: break
            }
        } else {
            guard before != nil else {
                throw AreaTargetError.notSet(campaign: campaign.id, area: request.area, indicator: indicator.id)
            }
            guard let reason = request.reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw AreaTargetError.emptyReason
            }
        }
        var after = campaign
        after.workspaceTargets[indicator.id, default: [:]][request.area] = request.target
        let (effective, origin) = after.effectiveTarget(indicator, area: request.area)
        let change = AreaTargetChange(area: request.area, areaName: areaName, indicator: indicator.id, before: before,
                                      after: request.target, effective: effective, origin: origin)
        if before == request.target { return (change, nil) }
        let reason = request.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        let audit = AuditEntry(stamp: recorder.stamp(), actor: recorder.name, action: request.target == nil ? .targetClear : .targetSet,
                               subject: "area_target", key: TargetSQL.key(campaign: campaign.id, area: request.area, indicator: indicator.id),
                               area: request.area, before: before.map { AuditValue.json(["target": .text($0.fileText)]) },
                               after: request.target.map { AuditValue.json(["target": .text($0.fileText)]) },
                               reason: reason?.isEmpty == false ? reason : nil)
        return (change, audit)
    }
}

/// A target change that cannot be made, and what to do instead.
public enum AreaTargetError: Error, Equatable, Sendable, UserFacingError {
    /// The campaign has no indicator with this id.
    case unknownIndicator(campaign: String, indicator: String, known: [String])
    /// No area has this code.
    case unknownArea(String)
    /// The area is outside the campaign's scope.
    case outsideScope(code: String, name: String, campaign: String, scope: String)
    /// The value is not a target this indicator takes.
    case badTarget(indicator: String, problem: CampaignFile.TargetProblem)
    /// `clear` of a target the workspace does not hold.
    case notSet(campaign: String, area: String, indicator: String)
    /// `clear` without a reason.
    case emptyReason

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ l: Labels) -> String {
        switch self {
        case let .unknownIndicator(campaign, indicator, known):
            return l("targets.error.unknown_indicator", ["campaign": campaign, "indicator": indicator, "known": known.joined(separator: ", ")])
        case let .unknownArea(code):
            return l("targets.error.unknown_area", ["code": code])
        case let .outsideScope(code, name, campaign, scope):
            return l("targets.error.outside_scope", ["code": code, "name": name, "campaign": campaign, "scope": scope])
        case let .badTarget(indicator, problem):
            return l("targets.error.bad_target", ["indicator": indicator, "problem": problem.phrase().text(l)])
        case let .notSet(campaign, area, indicator):
            return l("targets.error.not_set", ["campaign": campaign, "area": area, "indicator": indicator])
        case .emptyReason:
            return l["targets.error.empty_reason"]
        }
    }
}

/// The SQL of targets set in the workspace, written once for both engines (`$n` parameters in
/// order). The migrations `v10` (SQLite) and `pg7` (PostgreSQL) create the table; PostgreSQL's
/// widens INTEGER to BIGINT.
enum TargetSQL {
    /// One row per campaign, area and indicator: a share (0…1) or a count, who set it and when.
    static let table = """
        CREATE TABLE area_target (
            campaign TEXT NOT NULL CHECK (length(campaign) > 0),
            area_id INTEGER NOT NULL REFERENCES area(id),
            indicator TEXT NOT NULL CHECK (length(indicator) > 0),
            share DOUBLE PRECISION CHECK (share >= 0 AND share <= 1),
            count INTEGER CHECK (count >= 0),
            set_by TEXT NOT NULL CHECK (length(set_by) > 0),
            stamp TEXT NOT NULL,
            PRIMARY KEY (campaign, area_id, indicator),
            CHECK ((share IS NULL) <> (count IS NULL))
        )
        """
    static let pgTable = table.replacingOccurrences(of: "INTEGER", with: "BIGINT")

    /// The audit key of a target: "campaign area indicator".
    static func key(campaign: String, area: String, indicator: String) -> String { "\(campaign) \(area) \(indicator)" }

    static let select = """
        SELECT t.campaign, a.code, a.name, t.indicator, t.share, t.count, t.set_by, t.stamp
        FROM area_target t JOIN area a ON a.id = t.area_id
        """
    static let list = select + " ORDER BY t.campaign, a.code, t.indicator"
    static let listOfCampaign = select + " WHERE t.campaign = $1 ORDER BY a.code, t.indicator"
    static let one = "SELECT share, count FROM area_target WHERE campaign = $1 AND area_id = $2 AND indicator = $3"
    static let upsert = """
        INSERT INTO area_target (campaign, area_id, indicator, share, count, set_by, stamp) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (campaign, area_id, indicator) DO UPDATE
        SET share = excluded.share, count = excluded.count, set_by = excluded.set_by, stamp = excluded.stamp
        """
    static let delete = "DELETE FROM area_target WHERE campaign = $1 AND area_id = $2 AND indicator = $3"
    static let area = "SELECT id, name FROM area WHERE code = $1"

    static func upsertValues(campaign: String, areaID: Int64, indicator: String, target: Target, recorder: Recorder,
                             stamp: String) -> [ClosingSQL.Value] {
        let (share, count): (Double?, Int64?) = switch target {
        case let .share(s): (s, nil)
        case let .count(n): (nil, Int64(n))
        }
        return [.text(campaign), .int(areaID), .text(indicator), .double(share), .int(count), .text(recorder.name), .text(stamp)]
    }

    /// A target from its `share` and `count` cells.
    static func target(share: Double?, count: Int64?) -> Target? {
        if let share { return .share(share) }
        if let count { return .count(Int(count)) }
        return nil
    }

    /// A row of `select`.
    static func row(text: (Int) throws -> String?, double: (Int) throws -> Double?, int: (Int) throws -> Int64?) throws -> AreaTarget? {
        guard let campaign = try text(0), let code = try text(1), let indicator = try text(3),
              let target = target(share: try double(4), count: try int(5)) else { return nil }
        return AreaTarget(campaign: campaign, area: code, areaName: try text(2) ?? "", indicator: indicator, target: target,
                          setBy: try text(6) ?? "", stamp: try text(7) ?? "")
    }
}
