/// Reads and validates `members.csv` (SPEC.md): `team,name[,phone,role,joined,left]`.
///
/// Checks what a single file can tell: cells, phones, dates, the same person twice, and two
/// current leaders of one team. Whether each team exists, and leaders already in the
/// workspace, are checked by `Store.importMembers`.
public enum MemberFile {
    /// The columns a members file must have.
    public static let required = ["team", "name"]
    /// The columns a members file may have.
    public static let optional = ["phone", "role", "joined", "left"]

    /// Every valid row and the warnings (old phone numbers), or `ImportRejected` with every
    /// problem found.
    public static func read(_ reader: CSVReader) throws -> (rows: [MemberRow], warnings: [Warning]) {
        let header = try CSVHeader(reader.header, file: reader.name, line: reader.headerLine,
                                   required: required, optional: optional)
        var problems = DiagnosticList(file: reader.name)
        var warnings: [Warning] = []
        var rows: [MemberRow] = []
        var firstLine: [StableID: Int] = [:]
        var leaderOf: [String: MemberRow] = [:]
        let width = reader.header.count
        // A broken quote ends the pass but is reported with the rows before it.
        var shape = DiagnosticList(file: reader.name)
        try shape.collecting(header: reader.header) { try reader.forEachRecord { r in
            guard r.checkWidth(width, into: &problems) else { return }
            let before = problems.total
            let team = r.text(header["team"], column: "team", into: &problems)
            let name = r.text(header["name"], column: "name", into: &problems)
            let phone = r.rosterPhone(header["phone"], column: "phone", file: reader.name,
                                      into: &problems, warnings: &warnings)
            let roleText = r.text(header["role"], column: "role", into: &problems)
            let joined = r.rosterDay(header["joined"], column: "joined", into: &problems)
            let left = r.rosterDay(header["left"], column: "left", into: &problems)
            if team == nil {
                problems.add(line: r.line, column: "team", Phrase("members.error.empty_team"))
            }
            if name == nil {
                problems.add(line: r.line, column: "name", Phrase("members.error.empty_name"))
            }
            var role = MemberRole.member
            if let roleText {
                if let parsed = MemberRole(parsing: roleText) {
                    role = parsed
                } else {
                    problems.add(line: r.line, column: "role", Phrase("members.error.unknown_role", ["role": roleText]))
                }
            }
            if let joined, let left, left < joined {
                problems.add(line: r.line, column: "left", Phrase("members.error.left_before_joining", days: ["left": left, "joined": joined]))
            }
            guard problems.total == before, let team, let name else { return }
            let row = MemberRow(line: r.line, member: Member(teamCode: team, name: name, phone: phone, role: role,
                                                             joined: joined, left: left))
            let id = row.member.id
            if let first = firstLine[id] {
                let values = ["name": row.member.name, "team": team, "first": String(first)]
                problems.add(line: r.line, phone == nil ? Phrase("members.error.duplicate.no_phone", values)
                                                        : Phrase("members.error.duplicate.same_phone", values))
                return
            }
            firstLine[id] = r.line
            if row.member.isCurrentLeader {
                if let earlier = leaderOf[team] {
                    problems.add(line: r.line, column: "role", MemberFile.secondLeader(team: team, earlier: earlier.member.name, line: earlier.line, newcomer: row.member.name))
                    return
                }
                leaderOf[team] = row
            }
            rows.append(row)
        } }
        problems.append(shape)
        try problems.check()
        return (rows, warnings)
    }

    /// The problem of a second current leader of `team`: the earlier one is on `line` of the
    /// file, or already in the workspace when `line` is nil.
    static func secondLeader(team: String, earlier: String, line: Int?, newcomer: String) -> Phrase {
        let values = ["team": team, "earlier": earlier, "newcomer": newcomer, "line": line.map(String.init) ?? ""]
        return line == nil ? Phrase("members.error.two_leaders.workspace", values) : Phrase("members.error.two_leaders.line", values)
    }
}
