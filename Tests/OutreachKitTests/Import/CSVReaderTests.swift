import Foundation
import Testing
@testable import OutreachKit

/// A record copied out of the reader's buffer, so that it can outlive `forEachRecord`.
struct ReadRecord: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [String?]
    var fieldLines: [Int]
    var offset: Int64

    var description: String { "line \(line) @\(offset): \(fields.map { $0.map { "\"\($0)\"" } ?? "nil" }.joined(separator: " | "))" }
}

func readAll(_ reader: CSVReader) throws -> [ReadRecord] {
    var out: [ReadRecord] = []
    try reader.forEachRecord { r in
        out.append(ReadRecord(line: r.line, fields: (0..<r.count).map { r.string($0) },
                              fieldLines: (0..<r.count).map { r.line(ofField: $0) }, offset: r.offset))
    }
    return out
}

/// The fields of every record of `text`: what most tests compare.
private func rows(_ text: String, name: String = "test.csv") throws -> [[String?]] {
    try readAll(CSVReader(bytes: Array(text.utf8), name: name)).map(\.fields)
}

/// A file in the temporary folder, removed by `remove()`.
struct TemporaryFile {
    let path: String

    init(_ bytes: [UInt8], suffix: String = ".csv") throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("outreach-test-\(UUID().uuidString)\(suffix)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("Reading CSV files")
struct CSVReaderTests {
    // MARK: Quoting

    @Test("keeps delimiters inside quoted fields")
    func quotedDelimiters() throws {
        #expect(try rows("a,b,c\n\"x,y\",z,\"1,2,3\"\n") == [["x,y", "z", "1,2,3"]])
        #expect(try rows("a;b\n\"x;y\";\"p,q\"\n") == [["x;y", "p,q"]])
        #expect(try rows("a\tb\n\"x\ty\"\tz\n") == [["x\ty", "z"]])
    }

    @Test("reads a doubled quote inside quotes as one quote", arguments: [
        ("\"say \"\"hi\"\"\",2", "say \"hi\""),
        ("\"\"\"\",2", "\""),
        ("\"\"\"\"\"\",2", "\"\""),
        ("\"\",2", ""),
        ("\"a\"\"\",2", "a\""),
        ("\"\"\"a\",2", "\"a"),
        ("\"Xã \"\"Đông\"\" Hòa\",2", "Xã \"Đông\" Hòa"),
    ])
    func doubledQuotes(line: String, field: String) throws {
        #expect(try rows("a,b\n" + line + "\n") == [[field, "2"]])
    }

    @Test("keeps a quote inside an unquoted field as it is")
    func strayQuote() throws {
        #expect(try rows("a,b\nab\"c,d\n") == [["ab\"c", "d"]])
    }

    @Test("keeps line breaks inside quotes and counts physical lines for later records")
    func lineBreaksInQuotes() throws {
        let text = "code,note\n1,\"line one\nline two\"\n2,plain\n3,\"a\r\nb\n\nc\"\n4,\"x\ny\",z\n5,end\n"
        let records = try readAll(CSVReader(bytes: Array(text.utf8), name: "t.csv"))
        #expect(records.map(\.fields) == [
            ["1", "line one\nline two"], ["2", "plain"], ["3", "a\r\nb\n\nc"], ["4", "x\ny", "z"], ["5", "end"],
        ])
        #expect(records.map(\.line) == [2, 4, 5, 9, 11])
        #expect(records[3].fieldLines == [9, 9, 10])
        #expect(records[0].fieldLines == [2, 2])
    }

    @Test("reports the line of a record after a quoted line break in a field error")
    func errorLineAfterQuotedBreaks() throws {
        let text = "a,b\n1,\"x\ny\"\n2,\"z\"w\n"
        #expect(throws: CSVError.textAfterQuote(file: "t.csv", line: 4, column: 2)) {
            try readAll(CSVReader(bytes: Array(text.utf8), name: "t.csv"))
        }
    }

    // MARK: Line ends

    @Test("reads CRLF, LF and mixed line ends alike", arguments: ["\n", "\r\n"])
    func lineEnds(end: String) throws {
        let text = ["code,name,note", "1,Xã A,\"q\"", "2,\"Xã, B\",", "3,C,x"].joined(separator: end) + end
        let records = try readAll(CSVReader(bytes: Array(text.utf8), name: "t.csv"))
        #expect(records.map(\.fields) == [["1", "Xã A", "q"], ["2", "Xã, B", ""], ["3", "C", "x"]])
        #expect(records.map(\.line) == [2, 3, 4])
        let mixed = "code,name\r\n1,a\n2,\"b\"\r\n3,c\r\n"
        #expect(try rows(mixed) == [["1", "a"], ["2", "b"], ["3", "c"]])
    }

    @Test("keeps a lone carriage return inside a field")
    func loneCR() throws {
        #expect(try rows("a,b\n1,x\ry\n") == [["1", "x\ry"]])
    }

    @Test("reads a last line that has no line end", arguments: [
        ("a,b\n1,2", ["1", "2"]),
        ("a,b\r\n1,x", ["1", "x"]),
        ("a,b\n1,", ["1", ""]),
        ("a,b\n1,\"2\"", ["1", "2"]),
        ("a,b\r\n1,\"x, y\"", ["1", "x, y"]),
        ("a,b\n\"1\",\"\"", ["1", ""]),
        ("a,b\n1,\"say \"\"hi\"\"\"", ["1", "say \"hi\""]),
    ])
    func lastLineWithoutNewline(text: String, fields: [String]) throws {
        #expect(try rows(text) == [fields])
    }

    @Test("reads a header that is the whole file, without a line end", arguments: [
        ("code,name", ["code", "name"]),
        ("code,\"name\"", ["code", "name"]),
    ])
    func headerOnly(text: String, header: [String]) throws {
        let reader = try CSVReader(bytes: Array(text.utf8), name: "t.csv")
        #expect(reader.header == header)
        #expect(try readAll(reader).isEmpty)
    }

    // MARK: Byte-order marks and encodings

    @Test("skips a UTF-8 byte-order mark")
    func utf8BOM() throws {
        let reader = try CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("code;name\r\n01;Xã A\r\n".utf8), name: "t.csv")
        #expect(reader.header == ["code", "name"])
        #expect(reader.delimiter == UInt8(ascii: ";"))
        let records = try readAll(reader)
        #expect(records.map(\.fields) == [["01", "Xã A"]])
        #expect(records.map(\.offset) == [14])
    }

    static func utf16Bytes(_ text: String, bigEndian: Bool) -> [UInt8] {
        var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            out += bigEndian ? [high, low] : [low, high]
        }
        return out
    }

    @Test("refuses UTF-16 text, naming the file", arguments: [false, true])
    func utf16(bigEndian: Bool) throws {
        let bytes = CSVReaderTests.utf16Bytes("code,name\n01,Hà Nội\n", bigEndian: bigEndian)
        #expect(throws: CSVError.utf16(file: "areas.csv", bigEndian: bigEndian)) { try CSVReader(bytes: bytes, name: "areas.csv") }
        let file = try TemporaryFile(bytes)
        defer { file.remove() }
        #expect(throws: CSVError.utf16(file: "areas.csv", bigEndian: bigEndian)) { try CSVReader(path: file.path, name: "areas.csv") }
    }

    @Test("refuses a record that is not UTF-8, naming line and column; UTF-8 records before it are read")
    func invalidUTF8InRecord() throws {
        let bytes = Array("a,b,c\n0,Hòa,x\n1,".utf8) + [0xFF, 0xC3] + Array(",Hòa\n".utf8)
        let reader = try CSVReader(bytes: bytes, name: "t.csv")
        var seen: [String?] = []
        #expect(throws: CSVError.invalidUTF8(file: "t.csv", line: 3, column: 2)) {
            try reader.forEachRecord { r in seen.append(r.string(1)) }
        }
        #expect(seen == ["Hòa"])
    }

    @Test("refuses a header that is not UTF-8, naming line and column")
    func invalidUTF8InHeader() throws {
        let bytes = Array("\ncode,".utf8) + [0xC0, 0x80] + Array("\n1,2\n".utf8)
        #expect(throws: CSVError.invalidUTF8(file: "t.csv", line: 2, column: 2)) {
            try CSVReader(bytes: bytes, name: "t.csv")
        }
    }

    @Test("normalises header names: trimmed, NFC, lower-case")
    func headerNames() throws {
        let header = " Code ,NAME,\"Parent Code\",Tên Xã".decomposedStringWithCanonicalMapping
        let reader = try CSVReader(bytes: Array((header + "\n").utf8), name: "t.csv")
        #expect(reader.header.map { Array($0.unicodeScalars) }
            == ["code", "name", "parent code", "tên xã"].map { Array($0.precomposedStringWithCanonicalMapping.unicodeScalars) })
    }

    // MARK: Delimiters

    @Test("detects the delimiter from the header line", arguments: [
        ("code,name,kind\n1,a,b\n", UInt8(ascii: ","), ["1", "a", "b"]),
        ("code;name;kind\n1;a,x;b\n", UInt8(ascii: ";"), ["1", "a,x", "b"]),
        ("code\tname\tkind\n1\ta;x\tb\n", UInt8(ascii: "\t"), ["1", "a;x", "b"]),
        ("\"a,b\";c;d\n1;2;3\n", UInt8(ascii: ";"), ["1", "2", "3"]),
        ("\"a;b;c\",d\n1,2\n", UInt8(ascii: ","), ["1", "2"]),
        ("code;name,kind\n1;2,3\n", UInt8(ascii: ","), ["1;2", "3"]),
        ("code\tname;kind\n1\t2;3\n", UInt8(ascii: ";"), ["1\t2", "3"]),
        ("code\n1\n", UInt8(ascii: ","), ["1"]),
    ])
    func delimiter(text: String, delimiter: UInt8, record: [String]) throws {
        let reader = try CSVReader(bytes: Array(text.utf8), name: "t.csv")
        #expect(reader.delimiter == delimiter)
        #expect(try readAll(reader).map(\.fields) == [record])
    }

    @Test("detects the delimiter of a header that follows blank lines")
    func delimiterAfterBlankLines() throws {
        let reader = try CSVReader(bytes: Array("\r\n\ncode;name\n1;a\n".utf8), name: "t.csv")
        #expect(reader.headerLine == 3)
        #expect(reader.delimiter == UInt8(ascii: ";"))
        #expect(reader.header == ["code", "name"])
    }

    // MARK: Blank rows

    @Test("skips blank lines and rows of empty cells, keeping line numbers")
    func blankRows() throws {
        let text = "code;name;kind\n\n;;\n;;;;\r\n\r\n1;a;b\n\"\";\"\";\n2;;\n"
        let reader = try CSVReader(bytes: Array(text.utf8), name: "t.csv")
        #expect(reader.headerLine == 1)
        let records = try readAll(reader)
        #expect(records.map(\.fields) == [["1", "a", "b"], ["2", "", ""]])
        #expect(records.map(\.line) == [6, 8])
        let late = try CSVReader(bytes: Array("\n\r\ncode,name\n\n1,a\n".utf8), name: "t.csv")
        #expect(late.headerLine == 3)
        #expect(late.header == ["code", "name"])
        #expect(try readAll(late).map(\.line) == [5])
    }

    @Test("says whether a field is blank")
    func isBlank() throws {
        let reader = try CSVReader(bytes: Array("a,b,c,d\n1, \t,,\" \"\n".utf8), name: "t.csv")
        var blanks: [Bool] = []
        try reader.forEachRecord { r in blanks = (0..<5).map { r.isBlank($0) } }
        #expect(blanks == [false, true, true, true, true])
    }

    @Test("answers empty for a field past the end of a record")
    func pastTheEnd() throws {
        let reader = try CSVReader(bytes: Array("a,b,c\n1,2\n".utf8), name: "t.csv")
        var seen: [String?] = []
        try reader.forEachRecord { r in
            seen = [r.string(1), r.string(2), r.string(5)]
            #expect(r.bytes(7).isEmpty)
            #expect(r.line(ofField: 9) == 2)
        }
        #expect(seen == ["2", "", ""])
    }

    // MARK: Wide and long records

    @Test("reads records of more than 64 fields", arguments: [65, 100, 300])
    func manyFields(width: Int) throws {
        let header = (0..<width).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<width).map { $0 % 7 == 0 ? "\"v,\($0)\"" : "v\($0)" }.joined(separator: ",")
        let reader = try CSVReader(bytes: Array((header + "\n" + row + "\n" + row).utf8), name: "t.csv")
        #expect(reader.header.count == width)
        #expect(reader.header.last == "c\(width - 1)")
        let expected: [String?] = (0..<width).map { $0 % 7 == 0 ? "v,\($0)" : "v\($0)" }
        #expect(try readAll(reader).map(\.fields) == [expected, expected])
    }

    @Test("reads the same records from a file at any chunk size", arguments: [64, 100, 1 << 20])
    func chunkSizes(chunkSize: Int) throws {
        let sample = SampleFile.make()
        let file = try TemporaryFile(sample.bytes)
        defer { file.remove() }
        let reader = try CSVReader(path: file.path, name: "sample.csv", chunkSize: chunkSize)
        #expect(reader.name == "sample.csv")
        #expect(reader.header == sample.header)
        #expect(reader.headerLine == 2)
        #expect(reader.totalBytes == Int64(sample.bytes.count))
        let records = try readAll(reader)
        #expect(records.count == sample.records.count)
        for (got, want) in zip(records, sample.records) {
            #expect(got == want)
        }
        #expect(reader.bytesRead == Int64(sample.bytes.count))
        let inMemory = try readAll(CSVReader(bytes: sample.bytes, name: "sample.csv"))
        #expect(inMemory == records)
    }

    @Test("reads quotes, doubled quotes and CRLF split at every chunk boundary")
    func everyBoundary() throws {
        var text = "id;text\r\n"
        for i in 0..<40 {
            text += "\(i);\"a\"\"b\r\nc;\"\"\";\"\"\r\n" + (i % 3 == 0 ? ";;\r\n" : "") + "x\(i);\"\"\r\n"
        }
        let file = try TemporaryFile(Array(text.utf8))
        defer { file.remove() }
        let expected = try readAll(CSVReader(bytes: Array(text.utf8), name: "t.csv"))
        #expect(expected.count == 80)
        #expect(expected[0].fields == ["0", "a\"b\r\nc;\"", ""])
        #expect(expected[1].fields == ["x0", ""])
        #expect(expected.last?.line == 2 + 40 * 3 + 14 - 1)
        for chunkSize in 64..<140 {
            let reader = try CSVReader(path: file.path, name: "t.csv", chunkSize: chunkSize)
            #expect(reader.delimiter == UInt8(ascii: ";"))
            #expect(try readAll(reader) == expected, "chunk size \(chunkSize)")
        }
    }

    @Test("finds an error in a long record at the same place at any chunk size", arguments: [64, 100, 1 << 20])
    func chunkSizeErrors(chunkSize: Int) throws {
        let long = String(repeating: "Xã Đông Hòa ", count: 40)
        let text = "a,b\n1,\"\(long)\n\(long)\"\n2,\"\(long)\" x\n"
        let file = try TemporaryFile(Array(text.utf8))
        defer { file.remove() }
        #expect(throws: CSVError.textAfterQuote(file: "t.csv", line: 4, column: 2)) {
            try readAll(CSVReader(path: file.path, name: "t.csv", chunkSize: chunkSize))
        }
    }

    // MARK: Shape errors

    @Test("refuses an unterminated quote, naming the line and column where it opens", arguments: [
        ("a,b\n1,\"open\nmore\n2,x\n", 2, 2),
        ("a,b\n1,2\n\n\"open,x\n", 4, 1),
        ("a,b\n1,\"x\ny\"\n3,\"open", 4, 2),
        ("a,\"b\n", 1, 2),
    ])
    func unterminatedQuote(text: String, line: Int, column: Int) throws {
        #expect(throws: CSVError.unterminatedQuote(file: "t.csv", line: line, column: column)) {
            try readAll(CSVReader(bytes: Array(text.utf8), name: "t.csv"))
        }
    }

    @Test("refuses text after a closing quote, naming the line and column", arguments: [
        ("a,b\n1,\"x\"y\n", 2, 2),
        ("a,b\n\"x\" ,1\n", 2, 1),
        ("a,b\n1,\"x\ny\"z\n", 3, 2),
        ("a,b\n\"x\"\rz,1\n", 2, 1),
        ("\"a\"b,c\n", 1, 1),
    ])
    func textAfterQuote(text: String, line: Int, column: Int) throws {
        #expect(throws: CSVError.textAfterQuote(file: "t.csv", line: line, column: column)) {
            try readAll(CSVReader(bytes: Array(text.utf8), name: "t.csv"))
        }
    }

    @Test("refuses a file with no header", arguments: [
        [UInt8](), [0xEF, 0xBB, 0xBF], Array("\n\n\r\n".utf8), Array(";;;\n;;\r\n".utf8),
    ])
    func emptyFile(bytes: [UInt8]) throws {
        #expect(throws: CSVError.empty(file: "t.csv")) { try CSVReader(bytes: bytes, name: "t.csv") }
        let file = try TemporaryFile(bytes)
        defer { file.remove() }
        #expect(throws: CSVError.empty(file: file.path)) { try CSVReader(path: file.path) }
    }

    @Test("refuses a missing file or a folder, naming it as the user did")
    func cannotOpen() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).csv").path
        #expect(throws: CSVError.cannotOpen(file: missing, reason: .noSuchFile)) {
            try CSVReader(path: missing)
        }
        #expect(throws: CSVError.cannotOpen(file: "areas.csv", reason: .noSuchFile)) {
            try CSVReader(path: missing, name: "areas.csv")
        }
        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: CSVError.cannotOpen(file: folder, reason: .isFolder)) {
            try CSVReader(path: folder)
        }
        #expect(CSVError.cannotOpen(file: "areas.csv", reason: .noSuchFile).message
            == "areas.csv: cannot be read (no such file). Check the path and that you may read it.")
        #expect(CSVError.cannotOpen(file: "data", reason: .isFolder).message
            == "data: cannot be read (it is a folder). Check the path and that you may read it.")
        #expect(CSVError.cannotOpen(file: "data", reason: .isFolder).message(in: Labels(.vi))
            == "data: không đọc được (đây là một thư mục, không phải tệp). Kiểm tra đường dẫn và quyền đọc tệp.")
    }

    @Test("words shape errors with file, line, column and what to do")
    func messages() {
        #expect(CSVError.unterminatedQuote(file: "a.csv", line: 3, column: 2).message
            == "a.csv:3: column 2: a quoted field is never closed, so it swallows the rest of the file. Add the closing \" or remove the opening one.")
        #expect(CSVError.utf16(file: "a.csv", bigEndian: false).message.hasPrefix("a.csv: the file is UTF-16 text (UTF-16 LE"))
        #expect(CSVError.empty(file: "a.csv").message.hasPrefix("a.csv:1: the file is empty."))
        #expect(CSVError.cannotOpen(file: "a.csv", reason: .other("why")).message.hasPrefix("a.csv: cannot be read (why)."))
    }
}

/// A file with a BOM, CRLF line ends, a blank line before the header, quoted line breaks,
/// doubled quotes, records far longer than the smallest chunk and a record of 150 fields; and
/// the records it must read as.
struct SampleFile {
    var bytes: [UInt8] = []
    var header: [String] = []
    var records: [ReadRecord] = []

    static func make() -> SampleFile {
        var sample = SampleFile()
        sample.bytes = [0xEF, 0xBB, 0xBF] + Array("\r\n".utf8)
        var line = 2
        func append(_ fields: [String]) -> ReadRecord {
            let offset = Int64(sample.bytes.count)
            var fieldLines: [Int] = []
            var text = ""
            for (i, field) in fields.enumerated() {
                if i > 0 { text += "," }
                fieldLines.append(line + text.utf8.filter { $0 == 0x0A }.count)
                let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
                text += needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }
            text += "\r\n"
            let record = ReadRecord(line: line, fields: fields, fieldLines: fieldLines, offset: offset)
            sample.bytes += Array(text.utf8)
            line += text.utf8.filter { $0 == 0x0A }.count
            return record
        }
        sample.header = ["code", "name", "note"]
        _ = append(sample.header)
        for i in 0..<60 {
            var fields = ["\(29089 + i)", "Thôn \(i) Xã Đông Hòa", ""]
            switch i % 6 {
            case 1: fields[2] = String(repeating: "Ghi chú \"dài\", ", count: 20 + i)
            case 2: fields[2] = (0..<(i % 9 + 2)).map { "dòng \($0)" }.joined(separator: "\r\n")
            case 3: fields[1] = String(repeating: "Đ", count: 200 + i) + "\n" + String(repeating: "x", count: 97)
            case 4: fields += (0..<147).map { "f\($0)" }
            default: break
            }
            sample.records.append(append(fields))
            if i % 10 == 9 {
                sample.bytes += Array(",,\r\n\r\n".utf8)
                line += 2
            }
        }
        return sample
    }
}
