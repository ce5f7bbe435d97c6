/// Reads and validates `areas.csv` (SPEC.md): `code,name,kind,parent_code[,population,adults,working_age,households]`.
///
/// Checks what a single file can tell (cells, kinds, counts, duplicate codes); parents and
/// cycles need the workspace's tree and are checked by `Store.importAreas`.
public enum AreaFile {
    /// The columns an areas file may have.
    public static let required = ["code", "name", "kind", "parent_code"]
    public static let optional = AreaAttributes.names + ["source", "as_of"]

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
            let sourceName = r.text(header["source"], column: "source", into: &problems)
            let sourceDay = r.rosterDay(header["as_of"], column: "as_of", into: &problems)
            let source = sourceName == nil && sourceDay == nil ? nil : AreaSource(source: sourceName, asOf: sourceDay)
            guard let code else {
                problems.add(line: r.line, column: "code", Phrase("areas.error.empty_code"))
                return
            }
            if let first = firstLine[code] {
                problems.add(line: r.line, column: "code", Phrase("areas.error.duplicate_code", ["code": code, "first": String(first)]))
                return
            }
            firstLine[code] = r.line
            guard let name else {
                problems.add(line: r.line, column: "name", Phrase("areas.error.empty_name"))
                return
            }
            guard let kind else {
                problems.add(line: r.line, column: "kind", Phrase("areas.error.empty_kind", ["english": AreaLevel.englishWordList, "vietnamese": AreaLevel.vietnameseWordList]))
                return
            }
            let kindKey = parent == nil ? kind : kind + "\u{0}"
            if kinds[kindKey] == nil { kinds[kindKey] = .some(AreaLevel.parse(kind, hasParent: parent != nil)) }
            guard let (level, local) = kinds[kindKey]!.map({ ($0.level, $0.localWord) }) else {
                problems.add(line: r.line, column: "kind", Phrase("areas.error.unknown_kind", ["kind": kind, "english": AreaLevel.englishWordList,
                                                                                   "vietnamese": AreaLevel.vietnameseWordList]))
                return
            }
            if parent == code {
                problems.add(line: r.line, column: "parent_code", Phrase("areas.error.own_parent", ["code": code]))
                return
            }
            rows.append(AreaRow(line: r.line, code: code, name: name, level: level, localKind: local,
                                parentCode: parent, attributes: attributes, source: source))
        } }
        problems.append(csvProblems)
        try problems.check()
        return rows
    }
}
