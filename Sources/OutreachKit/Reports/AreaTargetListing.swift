import Foundation

/// The per-area targets of a campaign, as `outreach targets list` prints them: every area of the
/// part of the tree asked for that has a target of its own, in tree order, each indicator in
/// campaign order, with the target in force and where it comes from (set in the workspace, which
/// overrides the campaign file's table).
public struct AreaTargetListing: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var code: String
        public var name: String
        /// Levels below the start.
        public var depth: Int
        public var indicator: String
        public var target: Target
        public var origin: TargetOrigin
        /// The campaign file's target it overrides, for a target set in the workspace.
        public var overrides: Target?
        /// Who set it and when (ISO 8601, UTC), for a target set in the workspace.
        public var setBy: String?
        public var stamp: String?
    }

    public var campaign: String
    public var lines: [Line]

    /// The lines of `campaign` (with the targets set in the workspace, `workspace`) over `tree`
    /// from the area at index `start` down.
    public init(campaign: Campaign, workspace: [AreaTarget], tree: AreaTree, start: Int) {
        let set = Dictionary(workspace.filter { $0.campaign == campaign.id }.map { ("\($0.area)\u{0}\($0.indicator)", $0) },
                             uniquingKeysWith: { a, _ in a })
        let withTargets = campaign.withWorkspaceTargets(workspace)
        var lines: [Line] = []
        for (index, depth) in tree.preorder(from: [start]) {
            let node = tree.nodes[index]
            for indicator in campaign.indicators {
                let (target, origin) = withTargets.effectiveTarget(indicator, area: node.code)
                guard origin != .indicator else { continue }
                let stored = origin == .workspace ? set["\(node.code)\u{0}\(indicator.id)"] : nil
                lines.append(Line(code: node.code, name: node.name, depth: depth, indicator: indicator.id, target: target, origin: origin,
                                  overrides: origin == .workspace ? campaign.areaTargets[indicator.id]?[node.code] : nil,
                                  setBy: stored?.setBy, stamp: stored?.stamp))
            }
        }
        self.campaign = campaign.id
        self.lines = lines
    }

    /// The lines in `format`: the table in the language of `labels` (targets as people write
    /// them, times in Vietnam); CSV and JSON with shares as fractions, origins as codes, UTC stamps.
    public func rendered(as format: OutputFormat, labels l: Labels) throws -> String {
        switch format {
        case .table:
            if lines.isEmpty { return l["targets.none"] + "\n" }
            return TextTable.render(
                [TableColumn(l["targets.col.area"]), TableColumn(l["targets.col.indicator"]), TableColumn(l["targets.col.target"], rightAligned: true),
                 TableColumn(l["targets.col.origin"]), TableColumn(l["targets.col.by"]), TableColumn(l["targets.col.when"])],
                lines.map { line in
                    [String(repeating: "  ", count: line.depth) + "\(line.name) (\(line.code))", line.indicator, l.target(line.target),
                     l["targets.origin." + line.origin.rawValue] + (line.overrides.map { " " + l("targets.overrides", ["target": l.target($0)]) } ?? ""),
                     line.setBy ?? "", line.stamp.map { l.time(utc: $0) } ?? ""]
                })
        case .csv:
            return CSVWriter.render(header: ["campaign", "code", "name", "indicator", "target", "origin", "overrides", "set_by", "at"],
                                    rows: lines.map { line in
                [campaign, line.code, line.name, line.indicator, CoverageReport.Machine.target(line.target), line.origin.rawValue,
                 line.overrides.map(CoverageReport.Machine.target) ?? "", line.setBy ?? "", line.stamp ?? ""]
            })
        case .json:
            return try JSONOutput.render(lines.map { line in
                JSONLine(campaign: campaign, code: line.code, name: line.name, indicator: line.indicator, target: JSONTarget(line.target),
                         origin: line.origin.rawValue, overrides: line.overrides.map(JSONTarget.init), setBy: line.setBy, at: line.stamp)
            })
        }
    }

    private struct JSONLine: Encodable {
        var campaign, code, name, indicator: String
        var target: JSONTarget
        var origin: String
        var overrides: JSONTarget?
        var setBy, at: String?

        func encode(to encoder: any Encoder) throws {
            enum Keys: String, CodingKey { case campaign, code, name, indicator, target, origin, overrides, setBy, at }
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(campaign, forKey: .campaign)
            try c.encode(code, forKey: .code)
            try c.encode(name, forKey: .name)
            try c.encode(indicator, forKey: .indicator)
            try c.encode(target, forKey: .target)
            try c.encode(origin, forKey: .origin)
            try c.encode(overrides, forKey: .overrides)
            try c.encode(setBy, forKey: .setBy)
            try c.encode(at, forKey: .at)
        }
    }

    /// A share as a number from 0 to 1, a count as an integer.
    private struct JSONTarget: Encodable {
        var target: Target
        init(_ target: Target) { self.target = target }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch target {
            case let .share(s): try c.encode(s)
            case let .count(n): try c.encode(n)
            }
        }
    }
}

extension WorkspaceStore {
    /// The per-area targets of `campaign` from `under` (the campaign's scope when nil) down.
    public func targetListing(campaign: Campaign, under: String?) async throws -> AreaTargetListing {
        let workspace = try await areaTargets(campaign: campaign.id)
        let tree: AreaTree
        if let code = campaign.startCode(under: under) {
            guard let part = try await areaTree(around: code, addingRoot: nil) else { throw AreaLookupError.unknownCode(code) }
            tree = part
        } else {
            tree = try await areaTree(addingRoot: (code: Campaign.wholeTreeScope, name: Campaign.wholeTreeName))
        }
        let code = campaign.startCode(under: under) ?? Campaign.wholeTreeScope
        guard let start = tree.index(of: code) else { throw AreaLookupError.unknownCode(code) }
        return AreaTargetListing(campaign: campaign, workspace: workspace, tree: tree, start: start)
    }
}

extension AreaTargetChange {
    /// What a change did, for people: "Đã đặt chỉ tiêu eid-l2 của Thôn 1 (16282-01): chưa đặt → 90%."
    /// and, after a clear, the target in force.
    public func text(_ l: Labels) -> String {
        let shownBefore = before.map(l.target) ?? l["targets.none_before"]
        let shownAfter = after.map(l.target) ?? ""
        if before == after {
            return l("targets.unchanged", ["indicator": indicator, "name": areaName, "code": area, "after": shownAfter])
        }
        guard after == nil else {
            return l("targets.set", ["indicator": indicator, "name": areaName, "code": area, "before": shownBefore, "after": shownAfter])
        }
        return l("targets.cleared", ["indicator": indicator, "name": areaName, "code": area, "before": shownBefore]) + " "
            + l("targets.in_force", ["target": l.target(effective), "origin": l["targets.origin." + origin.rawValue]])
    }
}
