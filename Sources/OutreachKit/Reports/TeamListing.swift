/// The `teams list` report: teams in tree order of their areas, then by code.
public struct TeamListing: Sendable {
    /// One listed team.
    public struct Row: Equatable, Sendable {
        public var code: String
        public var name: String
        public var kind: TeamKind
        public var areaCode: String
        public var areaName: String
        public var leader: String?
        public var leaderPhone: Phone?
        public var formed: Day?
        public var status: TeamStatus
        public var inactiveSince: Day?
        /// Whether the team is working on the listing's day.
        public var active: Bool
        /// Members on the listing's day.
        public var members: Int
    }

    public var rows: [Row]
    /// The day members and activity are counted on.
    public var asOf: Day

    /// Lists the teams whose area lies under `start` (everywhere when nil), of `kind` (every
    /// kind when nil). `memberCounts` holds current members by team code on `asOf`.
    public init(tree: AreaTree, start: Int?, kind: TeamKind?, teams: [Team], memberCounts: [String: Int], asOf: Day) {
        self.asOf = asOf
        var order: [Int: Int] = [:]
        let visits = tree.preorder(from: start.map { [$0] } ?? tree.roots)
        for (position, visit) in visits.enumerated() { order[visit.index] = position }
        let placed = teams.compactMap { team -> (Int, Team)? in
            guard kind == nil || team.kind == kind, let i = tree.index(of: team.areaCode), let position = order[i] else { return nil }
            return (position, team)
        }
        rows = placed.sorted { ($0.0, $0.1.code) < ($1.0, $1.1.code) }.map { position, team in
            let node = tree.nodes[visits[position].index]
            return Row(code: team.code, name: team.name, kind: team.kind, areaCode: team.areaCode,
                       areaName: TeamListing.areaName(tree, visits[position].index, node),
                       leader: team.leader, leaderPhone: team.leaderPhone, formed: team.formed, status: team.status,
                       inactiveSince: team.inactiveSince, active: team.isActive(on: asOf),
                       members: memberCounts[team.code] ?? 0)
        }
    }

    /// A hamlet's name with its commune's ("Thôn 3 — Tân Phúc"): hamlet names repeat.
    static func areaName(_ tree: AreaTree, _ index: Int, _ node: AreaTree.Node) -> String {
        guard node.level == .hamlet, let parent = node.parent else { return node.name }
        return node.name + " — " + tree.nodes[parent].name.withoutAdministrativePrefix
    }

    /// The listing in `format`; phones are masked (`0912***678`) unless `showPhones`. The table
    /// speaks the language of `labels`; CSV and JSON keep ISO dates and the English codes.
    public func rendered(as format: OutputFormat, labels: Labels, showPhones: Bool = false) throws -> String {
        let phone = { (p: Phone?) in p.map { showPhones ? $0.digits : $0.masked } }
        switch format {
        case .table:
            return TextTable.render(
                [TableColumn(labels["teams.col.code"]), TableColumn(labels["teams.col.name"]), TableColumn(labels["teams.col.kind"]),
                 TableColumn(labels["teams.col.area"]), TableColumn(labels["teams.col.leader"]), TableColumn(labels["teams.col.phone"]),
                 TableColumn(labels["teams.col.formed"]), TableColumn(labels["teams.col.status"]),
                 TableColumn(labels["teams.col.members"], rightAligned: true)],
                rows.map { row in
                    [row.code, row.name, labels.teamKind(row.kind), "\(row.areaName) (\(row.areaCode))", row.leader ?? "",
                     phone(row.leaderPhone) ?? "", row.formed.map(labels.date) ?? "", TeamListing.status(row, labels),
                     labels.count(row.members)]
                })
        case .csv:
            return CSVWriter.render(
                header: ["code", "name", "kind", "area_code", "area_name", "leader", "leader_phone", "formed", "status",
                         "inactive_since", "active", "members"],
                rows: rows.map { row in
                    [row.code, row.name, row.kind.rawValue, row.areaCode, row.areaName, row.leader ?? "",
                     phone(row.leaderPhone) ?? "", row.formed?.iso ?? "", row.status.rawValue, row.inactiveSince?.iso ?? "",
                     row.active ? "yes" : "no", String(row.members)]
                })
        case .json:
            return try JSONOutput.render(rows.map { row in
                JSONRow(code: row.code, name: row.name, kind: row.kind, areaCode: row.areaCode, areaName: row.areaName,
                        leader: row.leader, leaderPhone: phone(row.leaderPhone), formed: row.formed, status: row.status,
                        inactiveSince: row.inactiveSince, active: row.active, members: row.members)
            })
        }
    }

    /// `hoạt động`, `ngừng hoạt động từ 01/03/2026`, `chưa thành lập` (vi).
    static func status(_ row: Row, _ labels: Labels) -> String {
        if row.status == .inactive {
            return row.inactiveSince.map { labels("team.status.inactive_since", ["date": labels.date($0)]) }
                ?? labels["team.status.inactive"]
        }
        return row.active ? labels["team.status.active"] : labels["team.status.not_formed"]
    }

    private struct JSONRow: Encodable {
        var code: String
        var name: String
        var kind: TeamKind
        var areaCode: String
        var areaName: String
        var leader: String?
        var leaderPhone: String?
        var formed: Day?
        var status: TeamStatus
        var inactiveSince: Day?
        var active: Bool
        var members: Int
    }
}

/// The `members list` report: members in the order `Store.members(ofTeam:)` gives.
public struct MemberListing: Sendable {
    public var members: [Member]
    /// The day that decides who is a current member.
    public var asOf: Day

    public init(members: [Member], asOf: Day) {
        self.members = members
        self.asOf = asOf
    }

    /// The listing in `format`; phones are masked (`0912***678`) unless `showPhones`. The CSV
    /// has the columns of a members file, so with `showPhones` it imports back unchanged.
    /// Member ids are left out: they are derived from the phone, which would give it away. The
    /// table speaks the language of `labels`.
    public func rendered(as format: OutputFormat, labels: Labels, showPhones: Bool = false) throws -> String {
        let phone = { (p: Phone?) in p.map { showPhones ? $0.digits : $0.masked } ?? "" }
        switch format {
        case .table:
            return TextTable.render(
                [TableColumn(labels["members.col.team"]), TableColumn(labels["members.col.name"]),
                 TableColumn(labels["members.col.phone"]), TableColumn(labels["members.col.role"]),
                 TableColumn(labels["members.col.joined"]), TableColumn(labels["members.col.left"])],
                members.map { m in
                    [m.teamCode, m.name, phone(m.phone), labels.role(m.role), m.joined.map(labels.date) ?? "",
                     m.left.map(labels.date) ?? ""]
                })
        case .csv:
            return CSVWriter.render(
                header: MemberFile.required + MemberFile.optional,
                rows: members.map { m in
                    [m.teamCode, m.name, phone(m.phone), m.role.rawValue, m.joined?.iso ?? "", m.left?.iso ?? ""]
                })
        case .json:
            return try JSONOutput.render(members.map { m in
                JSONRow(team: m.teamCode, name: m.name, phone: m.phone.map { showPhones ? $0.digits : $0.masked },
                        role: m.role, joined: m.joined, left: m.left, current: m.isCurrent(on: asOf))
            })
        }
    }

    private struct JSONRow: Encodable {
        var team: String
        var name: String
        var phone: String?
        var role: MemberRole
        var joined: Day?
        var left: Day?
        var current: Bool
    }
}
