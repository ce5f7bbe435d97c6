/// Reads and validates `teams.csv` (SPEC.md): `code,name,kind,area_code[,leader,leader_phone,formed,status]`.
///
/// Checks what a single file can tell (cells, kinds, phones, dates, duplicate codes); whether
/// each area exists is checked by `Store.importTeams`.
public enum TeamFile {
    /// The columns a teams file must have.
    public static let required = ["code", "name", "kind", "area_code"]
    /// The columns a teams file may have.
    public static let optional = ["leader", "leader_phone", "formed", "status"]

    /// Every valid row and the warnings (old phone numbers), or `ImportRejected` with every
    /// problem found.
    public static func read(_ reader: CSVReader) throws -> (rows: [TeamRow], warnings: [Warning]) {
        let header = try CSVHeader(reader.header, file: reader.name, line: reader.headerLine,
                                   required: required, optional: optional)
        var problems = DiagnosticList(file: reader.name)
        var warnings: [Warning] = []
        var rows: [TeamRow] = []
        var firstLine: [String: Int] = [:]
        let width = reader.header.count
        // A broken quote ends the pass but is reported with the rows before it.
        var shape = DiagnosticList(file: reader.name)
        try shape.collecting(header: reader.header) { try reader.forEachRecord { r in
            guard r.checkWidth(width, into: &problems) else { return }
            let before = problems.total
            let code = r.text(header["code"], column: "code", into: &problems)
            let name = r.text(header["name"], column: "name", into: &problems)
            let kindText = r.text(header["kind"], column: "kind", into: &problems)
            let area = r.text(header["area_code"], column: "area_code", into: &problems)
            let leader = r.text(header["leader"], column: "leader", into: &problems)
            let phone = r.rosterPhone(header["leader_phone"], column: "leader_phone", file: reader.name,
                                      into: &problems, warnings: &warnings)
            let formed = r.rosterDay(header["formed"], column: "formed", into: &problems)
            let statusText = r.text(header["status"], column: "status", into: &problems)
            if let code {
                if let first = firstLine[code] {
                    problems.add(line: r.line, column: "code", Phrase("teams.error.duplicate_code", ["code": code, "first": String(first)]))
                } else {
                    firstLine[code] = r.line
                }
            } else {
                problems.add(line: r.line, column: "code", Phrase("teams.error.empty_code"))
            }
            if name == nil {
                problems.add(line: r.line, column: "name", Phrase("teams.error.empty_name"))
            }
            var kind: TeamKind?
            if let kindText {
                kind = TeamKind(parsing: kindText)
                if kind == nil {
                    problems.add(line: r.line, column: "kind", Phrase("teams.error.unknown_kind", ["kind": kindText, "kinds": TeamKind.codeList]))
                }
            } else {
                problems.add(line: r.line, column: "kind", Phrase("teams.error.empty_kind", ["kinds": TeamKind.codeList]))
            }
            if area == nil {
                problems.add(line: r.line, column: "area_code", Phrase("teams.error.empty_area"))
            }
            var status = TeamStatus.active
            if let statusText {
                if let parsed = TeamStatus(parsing: statusText) {
                    status = parsed
                } else {
                    problems.add(line: r.line, column: "status", Phrase("teams.error.unknown_status", ["status": statusText]))
                }
            }
            guard problems.total == before, let code, let name, let kind, let area else { return }
            rows.append(TeamRow(line: r.line, team: Team(
                code: code, name: name, kind: kind, areaCode: area, leader: leader.map(Member.canonicalName),
                leaderPhone: phone, formed: formed, status: status)))
        } }
        problems.append(shape)
        try problems.check()
        return (rows, warnings)
    }
}

extension CSVRecord {
    /// Field `i` as a day (`YYYY-MM-DD` or `DD/MM/YYYY`); nil when empty or absent.
    func rosterDay(_ i: Int?, column: String, into problems: inout DiagnosticList) -> Day? {
        guard let i, i < count, !isBlank(i) else { return nil }
        let text = string(i)
        if let text, let day = Day(parsing: text) { return day }
        let shown = TextFolding.normalizedName(text ?? String(decoding: bytes(i), as: UTF8.self))
        problems.add(line: line(ofField: i), column: column, Phrase("csv.error.not_a_date", ["text": shown]))
        return nil
    }

    /// Field `i` as a mobile number, normalised; nil when empty or absent. An old 11-digit
    /// number becomes a warning that names its new form. Messages show the number masked.
    func rosterPhone(_ i: Int?, column: String, file: String, into problems: inout DiagnosticList,
                     warnings: inout [Warning]) -> Phone? {
        guard let i, i < count, !isBlank(i) else { return nil }
        guard let text = string(i) else {
            problems.add(line: line(ofField: i), column: column, Phrase("csv.error.not_utf8"))
            return nil
        }
        switch Phone.parse(text) {
        case .success(let reading):
            if let notice = reading.conversionPhrase(column: column) {
                warnings.append(Warning(file: file, line: line(ofField: i), notice))
            }
            return reading.phone
        case .failure(let problem):
            problems.add(line: line(ofField: i), column: column, problem.phrase)
            return nil
        }
    }
}
