import Foundation

/// A target a commune set in the workspace for one area and one indicator of a campaign
/// (`outreach targets set`, the officer's page). It overrides the campaign file's per-area
/// target, which overrides the indicator's (`Campaign.effectiveTarget`).
public struct AreaTarget: Sendable, Equatable {
    /// The campaign's id.
    public var campaign: String
    /// The area's code and name.
    public var area: String
    public var areaName: String
    /// The indicator's id.
    public var indicator: String
    public var target: Target
    /// Who set it, and when (ISO 8601, UTC).
    public var setBy: String
    public var stamp: String

    public init(campaign: String, area: String, areaName: String, indicator: String, target: Target, setBy: String, stamp: String) {
        self.campaign = campaign
        self.area = area
        self.areaName = areaName
        self.indicator = indicator
        self.target = target
        self.setBy = setBy
        self.stamp = stamp
    }
}

/// Where the target an area is measured against comes from.
public enum TargetOrigin: String, Sendable, Equatable, Codable, CaseIterable {
    /// The indicator's own target (`target:` in the campaign file).
    case indicator
    /// The campaign file's per-area table (`targets:`).
    case campaignFile = "campaign_file"
    /// Set in the workspace by the commune (`outreach targets set`, the officer's page).
    case workspace
}

/// A change of a workspace target: set (a value) or cleared (nil, with a reason).
public struct AreaTargetRequest: Sendable, Equatable {
    public var campaign: Campaign
    /// The area's code.
    public var area: String
    public var indicator: String
    /// The new target; nil clears the one set in the workspace.
    public var target: Target?
    /// Why a target is cleared (required then), or why it is set (optional).
    public var reason: String?

    public init(campaign: Campaign, area: String, indicator: String, target: Target?, reason: String? = nil) {
        self.campaign = campaign
        self.area = area
        self.indicator = indicator
        self.target = target
        self.reason = reason
    }
}

/// What a change did: the area, the workspace target before and after, and the target the area
/// is measured against now with its origin.
public struct AreaTargetChange: Sendable, Equatable {
    public var area: String
    public var areaName: String
    public var indicator: String
    public var before: Target?
    public var after: Target?
    /// The target in force after the change, and where it comes from.
    public var effective: Target
    public var origin: TargetOrigin
}

extension Campaign {
    /// The target `area` is measured against for `indicator`, and its origin: a target set in the
    /// workspace, else the campaign file's per-area target, else the indicator's.
    public func effectiveTarget(_ indicator: Indicator, area code: String) -> (target: Target, origin: TargetOrigin) {
        if let t = workspaceTargets[indicator.id]?[code] { return (t, .workspace) }
        if let t = areaTargets[indicator.id]?[code] { return (t, .campaignFile) }
        return (indicator.target, .indicator)
    }

    /// The campaign with the targets set in the workspace for it (other campaigns' are ignored).
    public func withWorkspaceTargets(_ targets: [AreaTarget]) -> Campaign {
        var copy = self
        copy.workspaceTargets = [:]
        for t in targets where t.campaign == id { copy.workspaceTargets[t.indicator, default: [:]][t.area] = t.target }
        return copy
    }
}
