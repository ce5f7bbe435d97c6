import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// UTF-16 text with no byte-order mark, as some exports write it.
private func utf16WithoutBOM(_ text: String, bigEndian: Bool) -> [UInt8] {
    text.utf16.flatMap { unit -> [UInt8] in
        let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
        return bigEndian ? [high, low] : [low, high]
    }
}

/// A workspace with a commune and two hamlets.
private func hamlets() throws -> Store {
    let store = try Store.inMemory()
    _ = try store.importAreas(try readAreas("""
        code,name,kind,parent_code,population,adults
        16282,Xã Tân Phúc,commune,,,
        16282-01,Thôn 1,thôn,16282,1200,900
        16282-02,Thôn 2,thôn,16282,800,600
        """), file: "areas.csv", on: Day(parsing: "2026-01-01")!)
    return store
}

/// Imports `bytes` as a sessions file into `store`.
private func importSessions(_ bytes: [UInt8], into store: Store) throws -> SessionImportSummary {
    let file = try TemporaryFile(bytes)
    defer { file.remove() }
    return try store.importSessions(file: file.path, name: "sessions.csv", today: Day(parsing: "2026-12-01")!)
}

@Suite("Input that is not what it seems: NUL bytes, UTF-16, other encodings")
struct StrangeInputTests {
    /// Text with `@` replaced by a NUL byte.
    private static func withNul(_ text: String) -> [UInt8] { Array(text.utf8).map { $0 == 0x40 ? 0 : $0 } }

    @Test("a NUL byte in a cell is refused with its line and column", arguments: [
        ("code,name\n01,Hà@Nội\n", 2, 2),
        ("code,name\n01,x\n02,\"Thôn\nĐông@\"\n", 4, 2),
        ("code,name\n01,x\n@02,y\n", 3, 1),
    ] as [(String, Int, Int)])
    func nulByte(text: String, line: Int, column: Int) throws {
        let bytes = StrangeInputTests.withNul(text)
        let reader = try CSVReader(bytes: bytes, name: "areas.csv")
        #expect(throws: CSVError.nulByte(file: "areas.csv", line: line, column: column)) { try readAll(reader) }
        let file = try TemporaryFile(bytes)
        defer { file.remove() }
        #expect(throws: CSVError.nulByte(file: "areas.csv", line: line, column: column)) {
            try readAll(CSVReader(path: file.path, name: "areas.csv", chunkSize: 8))
        }
    }

    @Test("an areas file with a NUL byte in a name is refused at that cell, not cut short")
    func nulInAreas() throws {
        let bytes = Array("code,name,kind,parent_code\n16282,Xã Tân".utf8) + [0] + Array(" Phúc,commune,\n".utf8)
        let error = try #require(throws: ImportRejected.self) { try AreaFile.read(CSVReader(bytes: bytes, name: "areas.csv")) }
        #expect(error.problems.map { "\($0.line) \($0.column ?? "-")" } == ["2 name"])
        #expect(error.problems[0].description(Labels(.en)).contains("NUL byte"))
        #expect(error.problems[0].description(Labels(.vi)).contains("byte NUL"))
    }

    @Test("a sessions file with a NUL byte in its notes is refused and adds nothing")
    func nulInSessions() throws {
        let store = try hamlets()
        let bytes = Array("date,area,eid_l2,notes\n2026-11-03,16282-01,5,họp\n2026-11-04,16282-02,3,gọi".utf8) + [0] + Array("lại\n".utf8)
        let error = try #require(throws: ImportRejected.self) { try importSessions(bytes, into: store) }
        #expect(error.problems.map { "\($0.line) \($0.column ?? "-")" } == ["3 notes"])
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM session") } == 0)
    }

    @Test("UTF-16 with or without a byte-order mark is recognised and explained", arguments: [
        (CSVReaderTests.utf16Bytes("code,name\n01,Hà Nội\n", bigEndian: false), false),
        (CSVReaderTests.utf16Bytes("code,name\n01,Hà Nội\n", bigEndian: true), true),
        (utf16WithoutBOM("code,name,kind,parent_code\n01,Hà Nội,province,\n", bigEndian: false), false),
        (utf16WithoutBOM("code,name,kind,parent_code\n01,Hà Nội,province,\n", bigEndian: true), true),
        (utf16WithoutBOM("date;area;eid_l2\n", bigEndian: false), false),
    ])
    func utf16(bytes: [UInt8], bigEndian: Bool) throws {
        let error = CSVError.utf16(file: "areas.csv", bigEndian: bigEndian)
        #expect(throws: error) { try CSVReader(bytes: bytes, name: "areas.csv") }
        let file = try TemporaryFile(bytes)
        defer { file.remove() }
        #expect(throws: error) { try CSVReader(path: file.path, name: "areas.csv") }
        let vi = try #require(error.message(in: Labels(.vi))), en = error.message
        #expect(vi.hasPrefix("areas.csv: tệp được lưu dạng văn bản UTF-16 (UTF-16 \(bigEndian ? "BE" : "LE")"))
        #expect(vi.contains("CSV UTF-8 (Comma delimited)"))
        #expect(en.hasPrefix("areas.csv: the file is UTF-16 text (UTF-16 \(bigEndian ? "BE" : "LE")"))
        #expect(en.contains("File > Save As"))
    }

    @Test("ASCII and UTF-8 text is not taken for UTF-16", arguments: ["code,name\n", "a\n", "ab", "ngày,thôn\n"])
    func notUTF16(text: String) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { UTF16Sniffer.byteOrder($0) } == nil)
    }

    @Test("Windows-1258 or Latin-1 bytes are refused with line and column, in any column")
    func otherEncodings() throws {
        // "Hòa" in Windows-1258 (ò = 0xF2), in the area column of a sessions file.
        let bytes = Array("date,area,eid_l2\n2026-11-03,16282-01,5\n2026-11-04,H".utf8) + [0xF2] + Array("a,3\n".utf8)
        #expect(throws: CSVError.invalidUTF8(file: "s.csv", line: 3, column: 2)) { try readAll(CSVReader(bytes: bytes, name: "s.csv")) }
        let store = try hamlets()
        let error = try #require(throws: ImportRejected.self) { try importSessions(bytes, into: store) }
        #expect(error.problems.map { "\($0.line) \($0.column ?? "-")" } == ["3 area"])
        let text = error.problems[0].description(Labels(.en))
        #expect(text.contains("not UTF-8") && text.contains("Windows-1258"))
        #expect(!text.contains("\u{FFFD}"))
        // A count cell: no replacement characters quoted back either.
        let counts = Array("date,area,eid_l2\n2026-11-03,16282-01,".utf8) + [0xB5] + Array("\n".utf8)
        let e2 = try #require(throws: ImportRejected.self) { try importSessions(counts, into: store) }
        #expect(e2.problems.map { "\($0.line) \($0.column ?? "-")" } == ["2 eid_l2"])
        #expect(!e2.problems[0].description(Labels(.vi)).contains("\u{FFFD}"))
    }

    @Test("the reader's UTF-8 check agrees with the standard library's")
    func utf8Check() {
        var samples: [[UInt8]] = [Array("Hà Nội, Thôn Đông 🇻🇳 và 12 hộ".utf8), [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                                  [0xE0, 0x80, 0x80], Array("abcdefgh".utf8) + [0xE1, 0xBA], Array("Thủy".utf8) + [0xF2], []]
        // Deterministic pseudo-random strings over bytes that make and break sequences.
        let palette: [UInt8] = [0x41, 0x2C, 0x80, 0xBF, 0xC3, 0xA0, 0xE1, 0xBA, 0xF0, 0x9F, 0xED, 0xF4, 0x90, 0xC2]
        var seed: UInt64 = 2026
        for _ in 0..<2000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(seed >> 59)
            samples.append((0..<length).map { k in palette[Int((seed >> UInt64(k % 50)) % UInt64(palette.count))] })
        }
        for bytes in samples {
            let ours = bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) }
            #expect(ours == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
    }

    @Test("the reader's byte test finds NUL and non-ASCII bytes at any offset")
    func unusualBytes() {
        for length in 0..<20 {
            for at in 0..<max(length, 1) where length > 0 {
                for byte: UInt8 in [0, 0x80, 0xFF] {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    bytes[at] = byte
                    let found = bytes.withUnsafeBytes { Scanner.unusualBytes($0.baseAddress!, length) }
                    #expect(found.nul == (byte == 0) && found.nonASCII == (byte >= 0x80), "length \(length), at \(at), byte \(byte)")
                }
            }
            let plain = [UInt8](repeating: 0x7F, count: length)
            let found = plain.withUnsafeBytes { Scanner.unusualBytes($0.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, length) }
            #expect(!found.nul && !found.nonASCII)
        }
    }
}

@Suite("CSV output is safe to open in a spreadsheet")
struct CSVFormulaTests {
    @Test("cells a spreadsheet would run as a formula get a leading quote", arguments: [
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
        ("+84912345678", "'+84912345678"),
        ("-", "'-"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("=1;2", "\"'=1;2\""),
        // Plain negative numbers and ordinary text stay as they are.
        ("-12", "-12"),
        ("-0.5", "-0.5"),
        ("Thôn 1", "Thôn 1"),
        ("29089-07", "29089-07"),
        ("", ""),
    ])
    func neutralised(cell: String, written: String) {
        #expect(CSVWriter.line(["a", cell]) == "a,\(written)\n")
        #expect(CSVWriter.render(header: [cell], rows: []) == "\(written)\n")
    }

    @Test("the coverage report writes a formula-shaped area name as text")
    func coverage() async throws {
        let store = try hamlets()
        _ = try store.importAreas(try readAreas("code,name,kind,parent_code\n16282-03,=1+1,thôn,16282\n"), file: "areas.csv",
                                  on: Day(parsing: "2026-01-03")!)
        let campaign = try parseCampaign(baseCampaign.replacingOccurrences(of: "\"404\"", with: "\"16282\""))
        let report = try await store.coverageReport(campaign: campaign, options: .init(
            asOf: Day(parsing: "2026-11-30")!, indicator: nil, under: nil, level: nil, behindOnly: false, sort: .tree))
        let text = String(decoding: try report.renderedBytes(as: .csv, labels: Labels(.en)), as: UTF8.self)
        #expect(text.contains(",16282-03,'=1+1,"))
    }
}

@Suite("Campaign tables stay in the campaign's folder and are never quoted back")
struct CampaignTablePathTests {
    @Test("paths that leave the folder are refused before anything is read", arguments: [
        "../../etc/passwd", "/etc/passwd", "tables/../../x.csv", "..", "~/x.csv", "a\\..\\..\\x.csv",
    ])
    func outside(path: String) throws {
        #expect(!CampaignFile.staysInFolder(path))
        var asked: [String] = []
        let text = baseCampaign + "targets: '\(path)'\n"
        let error = try #require(throws: ImportRejected.self) {
            try CampaignFile.parse(text, file: "Campaigns/test.yaml") { asked.append($0); return Array("root:x:0:0\n".utf8) }
        }
        #expect(asked.isEmpty)
        #expect(error.problems.count == 1)
        #expect(error.problems[0].description(Labels(.en)).contains("is outside the campaign file's folder"))
        #expect(error.problems[0].description(Labels(.vi)).contains("nằm ngoài thư mục chứa tệp kế hoạch"))
    }

    @Test("paths inside the folder are accepted", arguments: ["targets.csv", "./targets.csv", "tables/targets.csv", "tables/../targets.csv"])
    func inside(path: String) {
        #expect(CampaignFile.staysInFolder(path))
    }

    @Test("a symbolic link that leads out of the folder is refused; the file it points to is not read")
    func symlinkOut() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("campaign-link-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("Campaigns"), secret = root.appendingPathComponent("secret.csv")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("area,indicator,target\nSECRET-CONTENT,eid-l2,50%\n".utf8).write(to: secret)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("targets.csv"), withDestinationURL: secret)
        try Data((baseCampaign + "targets: targets.csv\n").utf8).write(to: folder.appendingPathComponent("test.yaml"))
        let error = try #require(throws: CampaignError.self) { try CampaignCatalog.load(file: folder.path + "/test.yaml") }
        let text = error.message(in: Labels(.en)) ?? error.message
        #expect(text.contains("is outside the campaign file's folder"))
        #expect(!text.contains("SECRET-CONTENT"))
        // A link that stays inside the folder is followed.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("targets.csv"))
        try FileManager.default.moveItem(at: secret, to: folder.appendingPathComponent("real.csv"))
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("targets.csv"),
                                                   withDestinationURL: folder.appendingPathComponent("real.csv"))
        let campaign = try CampaignCatalog.load(file: folder.path + "/test.yaml")
        #expect(campaign.areaTargets["eid-l2"]?["SECRET-CONTENT"] != nil)
    }

    @Test("a file that is not a table of that kind is refused without quoting its lines")
    func notATable() {
        let text = baseCampaign + "targets: notes.csv\nbaselines: b.csv\n"
        let problems = campaignProblems(text, tables: ["notes.csv": "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1\n",
                                                       "b.csv": "secret line one\nsecret line two\n"])
        #expect(problems.count == 2)
        for p in problems {
            #expect(p.contains("names none of the columns"))
            #expect(!p.contains("root:") && !p.contains("daemon") && !p.contains("secret"))
        }
    }
}
