/// The team structure of a part of the tree, the way district reports state it: for each level
/// and kind of team, the units that keep an active team out of all units ("29/29"), the
/// members of those teams, and the units without one.
///
/// Pure: built from a tree, the teams and their member counts, and a day. Project 06 is
/// reported at every level below the start; the other kinds at the levels where they have
/// teams. The start's own level is reported only when a team is attached at that level.
public struct StructureReport: Equatable, Sendable, Encodable {
    /// A level of the tree as the report groups it; commune, ward, town and special zone are
    /// one level (`AreaLevel.isCommuneLevel`).
    public enum Level: String, CaseIterable, Codable, Sendable, Comparable {
        case province, district, commune, hamlet

        /// The report level of an area level.
        public init(_ level: AreaLevel) {
            switch level {
            case .province, .country: self = .province
            case .district: self = .district
            case .hamlet: self = .hamlet
            case .commune, .ward, .town, .specialZone: self = .commune
            }
        }

        public static func < (a: Level, b: Level) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// An area named in the report.
    public struct Unit: Equatable, Sendable, Codable {
        public var code: String
        public var name: String
        /// The name of the area above a hamlet, without its prefix ("Tân Phúc"): hamlet names repeat.
        public var within: String?

        public init(code: String, name: String, within: String? = nil) {
            self.code = code
            self.name = name
            self.within = within
        }
    }

    /// One level and kind of team.
    public struct Line: Equatable, Sendable, Codable {
        public var level: Level
        public var kind: TeamKind
        /// Units of the level with at least one active team of the kind.
        public var withTeam: Int
        /// All units of the level under the start.
        public var units: Int
        /// Active teams of the kind at the level (a unit may keep more than one).
        public var teams: Int
        /// Members of those teams on the report's day.
        public var members: Int
        /// Units without an active team of the kind, in tree order.
        public var withoutTeam: [Unit]
    }

    /// Where the report starts (nil: the whole tree).
    public var start: Unit?
    /// The day teams and members are counted on.
    public var asOf: Day
    /// Lines by level from the top of the tree, then by kind.
    public var lines: [Line]

    /// Builds the report for `tree` from `start` (its roots when nil) on `asOf`.
    ///
    /// A team counts when it is active on `asOf` (formed by then or on an unknown day, and not
    /// inactive); `memberCounts` holds each team's members on `asOf`, by team code. A team
    /// counts for the area it is attached to, not for the areas above it.
    public init(tree: AreaTree, start: Int?, teams: [Team], memberCounts: [String: Int], asOf: Day) {
        self.asOf = asOf
        self.start = start.map { Unit(code: tree.nodes[$0].code, name: tree.nodes[$0].name) }
        let starts = start.map { [$0] } ?? tree.roots
        let startSet = Set(starts)
        var units: [Level: [Int]] = [:]
        var belowStart = Set<Level>()
        for visit in tree.preorder(from: starts) {
            let level = Level(tree.nodes[visit.index].level)
            units[level, default: []].append(visit.index)
            if !startSet.contains(visit.index) { belowStart.insert(level) }
        }
        var teamsAt: [Int: [Team]] = [:]
        var kindsAt: [Level: Set<TeamKind>] = [:]
        for team in teams {
            guard let i = tree.index(of: team.areaCode), starts.contains(where: { tree.isInSubtree(i, of: $0) }) else { continue }
            teamsAt[i, default: []].append(team)
            kindsAt[Level(tree.nodes[i].level), default: []].insert(team.kind)
        }
        var lines: [Line] = []
        for level in Level.allCases {
            guard let unitsOfLevel = units[level] else { continue }
            let attached = kindsAt[level] ?? []
            guard belowStart.contains(level) || !attached.isEmpty else { continue }
            for kind in TeamKind.allCases where kind == .project06 || attached.contains(kind) {
                var line = Line(level: level, kind: kind, withTeam: 0, units: unitsOfLevel.count, teams: 0, members: 0, withoutTeam: [])
                for i in unitsOfLevel {
                    let active = (teamsAt[i] ?? []).filter { $0.kind == kind && $0.isActive(on: asOf) }
                    if active.isEmpty {
                        let node = tree.nodes[i]
                        let within = node.level == .hamlet ? node.parent.map { tree.nodes[$0].name.withoutAdministrativePrefix } : nil
                        line.withoutTeam.append(Unit(code: node.code, name: node.name, within: within))
                    } else {
                        line.withTeam += 1
                        line.teams += active.count
                        line.members += active.reduce(0) { $0 + (memberCounts[$1.code] ?? 0) }
                    }
                }
                lines.append(line)
            }
        }
        self.lines = lines
    }

    /// The same report from the members themselves: those who joined by `asOf` (or on an
    /// unknown day) and had not left by then are counted.
    public init(tree: AreaTree, start: Int?, teams: [Team], members: [Member], asOf: Day) {
        var counts: [String: Int] = [:]
        for member in members where member.isCurrent(on: asOf) { counts[member.teamCode, default: 0] += 1 }
        self.init(tree: tree, start: start, teams: teams, memberCounts: counts, asOf: asOf)
    }

    /// The report in `format`: sentences for people in the language of `labels`, one row per
    /// line in CSV, the model in JSON.
    public func rendered(as format: OutputFormat, labels: Labels) throws -> String {
        switch format {
        case .table:
            let wording = StructureWording(labels)
            var out = wording.title(start: start?.name, asOf: asOf) + "\n"
            if lines.isEmpty { out += labels["structure.no_areas"] + "\n" }
            for line in lines {
                out += wording.sentence(line) + "\n"
                if !line.withoutTeam.isEmpty {
                    out += "  " + labels("structure.without", ["count": labels.count(line.withoutTeam.count),
                                                              "units": line.withoutTeam.map(\.displayName).joined(separator: ", ")]) + "\n"
                }
            }
            return out
        case .csv:
            return CSVWriter.render(header: StructureReport.csvHeader, rows: lines.map { line in
                [line.level.rawValue, line.kind.rawValue, String(line.withTeam), String(line.units), String(line.teams),
                 String(line.members), line.withoutTeam.map(\.displayName).joined(separator: "; "),
                 line.withoutTeam.map(\.code).joined(separator: " ")]
            })
        case .json:
            return try JSONOutput.render(self)
        }
    }

    static let csvHeader = ["level", "team_kind", "units_with_team", "units", "active_teams", "members",
                            "without_team", "without_team_codes"]
}

extension StructureReport.Unit {
    /// "Thôn 3 — Tân Phúc" for a hamlet, the plain name otherwise.
    public var displayName: String { within.map { "\(name) — \($0)" } ?? name }
}

/// The sentences of the structure report in one language: "29/29 xã có tổ Đề án 06 (319 thành
/// viên)", "Communes with an active Project 06 team: 29/29 (319 members)".
struct StructureWording: Sendable {
    let labels: Labels

    init(_ labels: Labels) { self.labels = labels }

    /// "Cơ cấu tổ công tác tại Xã Tân Phúc ngày 20/11/2026".
    func title(start: String?, asOf: Day) -> String {
        labels("structure.title", ["area": start ?? labels["structure.everywhere"], "date": labels.date(asOf)])
    }

    /// One line of the report, without the units that lack a team.
    func sentence(_ line: StructureReport.Line) -> String {
        labels("structure.sentence", ["units": level(line.level), "team": team(line.kind),
                                      "ratio": "\(labels.count(line.withTeam))/\(labels.count(line.units))",
                                      "members": labels.counted(line.members, one: labels["structure.members.one"],
                                                                other: labels["structure.members.other"])])
    }

    /// The units of a level, as the sentence names them: `xã` (vi), `Communes` (en).
    func level(_ level: StructureReport.Level) -> String {
        switch level {
        case .province: labels["structure.level.province"]
        case .district: labels["structure.level.district"]
        case .commune: labels["structure.level.commune"]
        case .hamlet: labels["structure.level.hamlet"]
        }
    }

    /// A kind of team, as the sentence names it: `tổ Đề án 06` (vi), `Project 06 team` (en).
    func team(_ kind: TeamKind) -> String {
        switch kind {
        case .project06: labels["structure.team.project06"]
        case .digital: labels["structure.team.digital"]
        case .volunteer: labels["structure.team.volunteer"]
        }
    }
}
