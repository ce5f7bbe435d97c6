/// Reads and validates `areas.csv` (SPEC.md): `code,name,kind,parent_code[,population,adults,working_age,households]`.
///
/// Checks what a single file can tell (cells, kinds, counts, duplicate codes); parents and
/// cycles need the workspace's tree and are checked by `Store.importAreas`.
public enum AreaFile {
    /// The columns an areas file may have.
    public static let required = ["code", "name", "kind", "parent_code"]
    public static let optional = AreaAttributes.names

    /// Every valid row, or `ImportRejected` with every problem found.
    public static func read(_ reader: CSVReader) throws -> [AreaRow] {
        let header = try CSVHeader(reader.header, file: reader.name, line: reader.headerLine,
                                   required: required, optional: optional)
        var problems = DiagnosticList(file: reader.name)
        var rows: [AreaRow] = []
        var firstLine: [String: Int] = [:]
        let width = reader.header.count
        var kinds: [String: (level: AreaLevel, localWord: String?)?] = [:]
        let codeAt = header["code"], nameAt = header["name"], kindAt = header["kind"], parentAt = header["parent_code"]
        var csvProblems = DiagnosticList(file: reader.name)
        try csvProblems.collecting(header: reader.header) { try reader.forEachRecord { r in
            guard r.checkWidth(width, into: &problems) else { return }
            let code = r.text(codeAt, column: "code", into: &problems)
            let name = r.text(nameAt, column: "name", into: &problems)
            let kind = r.text(kindAt, column: "kind", into: &problems)
            let parent = r.text(parentAt, column: "parent_code", into: &problems)
            var attributes = AreaAttributes()
            for attribute in AreaAttributes.names {
                attributes[attribute] = r.count(header[attribute], column: attribute, into: &problems)
            }
            guard let code else {
                problems.add(line: r.line, column: "code", "the code is empty. Give every area a code (statistics-office code, or commune code and suffix for a hamlet).")
                return
            }
            if let first = firstLine[code] {
                problems.add(line: r.line, column: "code", "code \"\(code)\" is already used on line \(first). Codes must be unique; remove or renumber one of the rows.")
                return
            }
            firstLine[code] = r.line
            guard let name else {
                problems.add(line: r.line, column: "name", "the name is empty. Give the area its name.")
                return
            }
            guard let kind else {
                problems.add(line: r.line, column: "kind", "the kind is empty. Write \(AreaLevel.acceptedWords).")
                return
            }
            let kindKey = parent == nil ? kind : kind + "\u{0}"
            if kinds[kindKey] == nil { kinds[kindKey] = .some(AreaLevel.parse(kind, hasParent: parent != nil)) }
            guard let (level, local) = kinds[kindKey]!.map({ ($0.level, $0.localWord) }) else {
                problems.add(line: r.line, column: "kind", "\"\(kind)\" is not a kind of area. Write \(AreaLevel.acceptedWords).")
                return
            }
            if parent == code {
                problems.add(line: r.line, column: "parent_code", "area \"\(code)\" names itself as its parent. Give the code of the area that contains it, or leave it empty for a root.")
                return
            }
            rows.append(AreaRow(line: r.line, code: code, name: name, level: level, localKind: local,
                                parentCode: parent, attributes: attributes))
        } }
        problems.append(csvProblems)
        try problems.check()
        return rows
    }
}
