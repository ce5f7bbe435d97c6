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
                problems.add(line: r.line, column: "team", "the team code is empty. Give the code of the member's team (as in the teams file).")
            }
            if name == nil {
                problems.add(line: r.line, column: "name", "the name is empty. Give the member's full name.")
            }
            var role = MemberRole.member
            if let roleText {
                if let parsed = MemberRole(parsing: roleText) {
                    role = parsed
                } else {
                    problems.add(line: r.line, column: "role", "\"\(roleText)\" is not a role. Write leader or member, or leave the cell empty (member).")
                }
            }
            if let joined, let left, left < joined {
                problems.add(line: r.line, column: "left", "the member left (\(left.iso)) before joining (\(joined.iso)). Fix one of the two dates.")
            }
            guard problems.total == before, let team, let name else { return }
            let row = MemberRow(line: r.line, member: Member(teamCode: team, name: name, phone: phone, role: role,
                                                             joined: joined, left: left))
            let id = row.member.id
            if let first = firstLine[id] {
                let phoneNote = phone == nil ? "without a phone" : "with the same phone"
                problems.add(line: r.line, "\(row.member.name) of team \"\(team)\" is already on line \(first) (\(phoneNote)). Remove one of the rows, or give each person their own phone number to tell them apart.")
                return
            }
            firstLine[id] = r.line
            if row.member.isCurrentLeader {
                if let earlier = leaderOf[team] {
                    problems.add(line: r.line, column: "role", MemberFile.secondLeader(team: team, earlier: earlier.member.name, where: "on line \(earlier.line)", newcomer: row.member.name))
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

    /// The message for a second current leader of `team`.
    static func secondLeader(team: String, earlier: String, where place: String, newcomer: String) -> String {
        "team \"\(team)\" would have two current leaders: \(earlier) (\(place)) and \(newcomer). A team has one leader: make one of them a member, or give the earlier leader a left date."
    }
}
