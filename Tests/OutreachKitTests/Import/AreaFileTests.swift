import Foundation
import Testing
@testable import OutreachKit

/// Reads `text` as an areas file called `name`.
func readAreas(_ text: String, name: String = "areas.csv") throws -> [AreaRow] {
    try AreaFile.read(CSVReader(bytes: Array(text.utf8), name: name))
}

/// The rejection that reading `text` throws, or nil (and a recorded issue) when it reads.
func areaRejection(_ text: String, name: String = "areas.csv",
                   sourceLocation: SourceLocation = #_sourceLocation) -> ImportRejected? {
    #expect(throws: ImportRejected.self, sourceLocation: sourceLocation) { try readAreas(text, name: name) }
}

let areasHeader = "code,name,kind,parent_code\n"

@Suite("Reading areas files")
struct AreaFileTests {
    @Test("reads the levels of English and Vietnamese kind words", arguments: [
        ("xã", "04", AreaLevel.commune, "xã"),
        ("Xã", "04", .commune, "xã"),
        ("xa", "04", .commune, "xa"),
        ("thôn", "04", .hamlet, "thôn"),
        ("ấp", "04", .hamlet, "ấp"),
        ("bản", "04", .hamlet, "bản"),
        ("tổ dân phố", "04", .hamlet, "tổ dân phố"),
        ("đặc khu", "04", .specialZone, "đặc khu"),
        ("dac khu", "04", .specialZone, "dac khu"),
        ("phường", "04", .ward, "phường"),
        ("thị trấn", "04", .town, "thị trấn"),
        ("huyện", "04", .district, "huyện"),
        ("thị xã", "04", .district, "thị xã"),
        ("tỉnh", "", .province, "tỉnh"),
        ("thành phố", "", .province, "thành phố"),
        ("Thành Phố", "", .province, "thành phố"),
        ("thành phố", "04", .district, "thành phố"),
        ("thanh pho", "04", .district, "thanh pho"),
        ("commune", "04", .commune, nil),
        ("Hamlet", "04", .hamlet, nil),
        ("village", "04", .hamlet, nil),
        ("special_zone", "04", .specialZone, nil),
        ("Special Zone", "04", .specialZone, nil),
        ("province", "", .province, nil),
        ("district", "04", .district, nil),
    ] as [(String, String, AreaLevel, String?)])
    func kinds(kind: String, parent: String, level: AreaLevel, local: String?) throws {
        let rows = try readAreas(areasHeader + "0401,Nơi,\(kind),\(parent)\n")
        try #require(rows.count == 1)
        #expect(rows[0].level == level)
        #expect(rows[0].localKind == local)
        #expect(rows[0].parentCode == (parent.isEmpty ? nil : parent))
    }

    @Test("reads a whole row: code, NFC name, kind, parent and line")
    func wholeRow() throws {
        let rows = try readAreas(areasHeader + "38,Tỉnh Thanh Hóa,province,\n404,Huyện Nông Cống,huyện,38\n")
        #expect(rows == [
            AreaRow(line: 2, code: "38", name: "Tỉnh Thanh Hóa", level: .province),
            AreaRow(line: 3, code: "404", name: "Huyện Nông Cống", level: .district, localKind: "huyện", parentCode: "38"),
        ])
    }

    @Test("stores names and kind words NFC-normalised from NFD input")
    func normalisesNames() throws {
        let text = (areasHeader + "23938,  Xã Ia Mơ ,xã,52\n0101,Thôn Đông Hòa,thôn,23938\n").decomposedStringWithCanonicalMapping
        #expect(Array(text.utf8) != Array(text.precomposedStringWithCanonicalMapping.utf8))
        let rows = try readAreas(text)
        #expect(rows.map { Array($0.name.utf8) } == ["Xã Ia Mơ", "Thôn Đông Hòa"].map { Array($0.precomposedStringWithCanonicalMapping.utf8) })
        #expect(rows.map { $0.localKind.map { Array($0.utf8) } } == ["xã", "thôn"].map { Array($0.precomposedStringWithCanonicalMapping.utf8) })
        #expect(rows.map(\.level) == [.commune, .hamlet])
    }

    @Test("keeps codes as text: leading zeros stay and 01 is not 1")
    func codesAreText() throws {
        let rows = try readAreas(areasHeader + "01,Thành phố Hà Nội,province,\n1,Một,province,\n00004,Phường Ba Đình,ward,01\n29089-07,Thôn 7,thôn,00004\n")
        #expect(rows.map(\.code) == ["01", "1", "00004", "29089-07"])
        #expect(rows.map(\.parentCode) == [nil, nil, "01", "00004"])
    }

    @Test("reads denominators written with grouped digits")
    func groupedAttributes() throws {
        let comma = try readAreas("code,name,kind,parent_code,population,adults,working_age,households\n404,Huyện Nông Cống,huyện,38,\"1.010\",\"2,500\",3 000,\n")
        let semicolon = try readAreas("code;name;kind;parent_code;population;adults;working_age;households\r\n404;Huyện Nông Cống;huyện;38;1.010;2,500;3 000;\r\n")
        let expected = AreaAttributes(population: 1010, adults: 2500, workingAge: 3000, households: nil)
        #expect(comma.map(\.attributes) == [expected])
        #expect(semicolon.map(\.attributes) == [expected])
    }

    @Test("accepts columns in any order and case, and pads missing optional columns")
    func headerOrderAndCase() throws {
        let rows = try readAreas("Households,PARENT_CODE,Kind,name,Code\n12,38,xã,Xã A,16282\n")
        #expect(rows == [AreaRow(line: 2, code: "16282", name: "Xã A", level: .commune, localKind: "xã", parentCode: "38",
                                 attributes: AreaAttributes(households: 12))])
        let spaced = try readAreas("code,name,kind,Parent Code,Working Age\n1,A,province,,7\n")
        #expect(spaced.map(\.attributes.workingAge) == [7])
    }

    @Test("reads a header with no rows as an empty file of areas")
    func noRows() throws {
        #expect(try readAreas(areasHeader).isEmpty)
        #expect(try readAreas(areasHeader + "\n,,,\n\r\n").isEmpty)
    }

    @Test("accepts padding cells that are empty, refuses extra cells with text")
    func extraCells() throws {
        #expect(try readAreas(areasHeader + "1,A,province,,,\n").count == 1)
        let rejection = areaRejection(areasHeader + "1,A,province,,x\n")
        #expect(rejection?.problems == [
            Diagnostic(file: "areas.csv", line: 2, "the row has 5 cells but the header has 4. Remove the extra cells, or quote a cell that contains the delimiter."),
        ])
    }

    @Test("refuses a row with too few cells, naming its line")
    func tooFewCells() {
        let rejection = areaRejection(areasHeader + "1,A,province,\n2,B,commune\n")
        #expect(rejection == ImportRejected(file: "areas.csv", problems: [
            Diagnostic(file: "areas.csv", line: 3, "the row has 3 cells but the header has 4. Add the missing cells (they may be empty) or check the delimiter."),
        ]))
    }

    @Test("refuses a duplicate code, naming both lines")
    func duplicateCode() {
        let rejection = areaRejection(areasHeader + "01,A,province,\n02,B,commune,01\n\n01,C,province,\n")
        #expect(rejection == ImportRejected(file: "areas.csv", problems: [
            Diagnostic(file: "areas.csv", line: 5, column: "code", "code \"01\" is already used on line 2. Codes must be unique; remove or renumber one of the rows."),
        ]))
    }

    @Test("refuses an unknown kind, listing the accepted words")
    func unknownKind() {
        let rejection = areaRejection(areasHeader + "1,A,county,\n")
        #expect(rejection == ImportRejected(file: "areas.csv", problems: [
            Diagnostic(file: "areas.csv", line: 2, column: "kind", "\"county\" is not a kind of area. Write province, district, commune, ward, town, special_zone, hamlet, or a Vietnamese word such as tỉnh, huyện, xã, phường, thị trấn, đặc khu, thôn, ấp, bản, tổ dân phố."),
        ]))
    }

    @Test("refuses an unknown column, listing the accepted names")
    func unknownColumn() {
        let rejection = areaRejection("code,name,kind,parent_code,region\n1,A,province,,north\n", name: "my areas.csv")
        #expect(rejection == ImportRejected(file: "my areas.csv", problems: [
            Diagnostic(file: "my areas.csv", line: 1, "unknown column \"region\" (column 5). Accepted columns: code, name, kind, parent_code, population, adults, working_age, households, source, as_of."),
        ]))
    }

    @Test("refuses a header that lacks a required column or repeats one")
    func missingOrRepeatedColumn() {
        let missing = areaRejection("code,name,kind\n1,A,province\n")
        #expect(missing == ImportRejected(file: "areas.csv", problems: [
            Diagnostic(file: "areas.csv", line: 1, "the required column \"parent_code\" is missing. The header must name code, name, kind, parent_code."),
        ]))
        let repeated = areaRejection("code,name,kind,parent_code,Name\n1,A,province,,B\n")
        #expect(repeated?.problems == [
            Diagnostic(file: "areas.csv", line: 1, "column \"name\" appears twice. Keep one of them."),
        ])
    }

    @Test("refuses empty cells, bad counts and self-parents, reporting every row in file order")
    func everyProblem() {
        let text = "code,name,kind,parent_code,population\n"
            + ",A,province,,\n"          // 2: empty code
            + "2,,province,,\n"          // 3: empty name
            + "3,C,,,\n"                 // 4: empty kind
            + "4,D,commune,4,\n"         // 5: own parent
            + "5,E,commune,1,-3\n"       // 6: negative
            + "6,F,commune,1,1.5\n"      // 7: decimal
            + "7,G,commune,1,12a\n"      // 8: not a number
            + "8,H,commune,1,1.010\n"    // fine
        let rejection = areaRejection(text)
        let f = "areas.csv"
        #expect(rejection?.problems == [
            Diagnostic(file: f, line: 2, column: "code", "the code is empty. Give every area a code (statistics-office code, or commune code and suffix for a hamlet)."),
            Diagnostic(file: f, line: 3, column: "name", "the name is empty. Give the area its name."),
            Diagnostic(file: f, line: 4, column: "kind", "the kind is empty. Write \(AreaLevel.acceptedWords)."),
            Diagnostic(file: f, line: 5, column: "parent_code", "area \"4\" names itself as its parent. Give the code of the area that contains it, or leave it empty for a root."),
            Diagnostic(file: f, line: 6, column: "population", "\"-3\" is negative. Counts are whole numbers from 0 up."),
            Diagnostic(file: f, line: 7, column: "population", "\"1.5\" is not a whole number. Write a count such as 12 or 1.010."),
            Diagnostic(file: f, line: 8, column: "population", "\"12a\" is not a number. Write a count such as 12 or 1.010, or leave the cell empty."),
        ])
        #expect(rejection?.total == 7)
        #expect(rejection?.message.hasSuffix("areas.csv: nothing was imported (7 problems). Fix the rows above and import the file again.") == true)
    }

    @Test("reports a bad cell on the line where it starts, after quoted line breaks")
    func problemLineAfterQuotedBreak() {
        let rejection = areaRejection("code,name,kind,parent_code,population\n1,\"Tên\ndài\",province,,\"x\"\n")
        #expect(rejection?.problems == [
            Diagnostic(file: "areas.csv", line: 3, column: "population", "\"x\" is not a number. Write a count such as 12 or 1.010, or leave the cell empty."),
        ])
    }

    @Test("stops listing after 50 problems but counts them all")
    func problemLimit() {
        var text = areasHeader
        for i in 0..<70 { text += "\(i),A,county,\n" }
        let rejection = areaRejection(text)
        #expect(rejection?.problems.count == 50)
        #expect(rejection?.total == 70)
        #expect(rejection?.problems.last?.line == 51)
        #expect(rejection?.message.contains("… and 20 more problems.") == true)
    }

    @Test("reports a never-closed quote together with the rows before it")
    func csvErrors() {
        let rejection = areaRejection(areasHeader + "1,A,county,\n2,\"B,province,\n")
        #expect(rejection?.problems == [
            Diagnostic(file: "areas.csv", line: 2, column: "kind", "\"county\" is not a kind of area. Write \(AreaLevel.acceptedWords)."),
            Diagnostic(file: "areas.csv", line: 3, column: "name", "a quoted field is never closed, so it swallows the rest of the file. Add the closing \" or remove the opening one."),
        ])
    }
}
