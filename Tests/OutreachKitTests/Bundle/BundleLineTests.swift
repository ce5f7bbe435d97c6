import Foundation
import Testing
@testable import OutreachKit

private func parse(_ text: String) -> [BundleValue]? {
    Array(text.utf8).withUnsafeBufferPointer { BundleLineParser.parse($0) }
}

@Suite("Bundle records are one JSON array per line, read back exactly")
struct BundleLineTests {
    @Test("text with quotes, backslashes, line breaks, control characters and Vietnamese comes back unchanged", arguments: [
        "Họp thôn; phát tờ rơi", "say \"xin chào\"", "C:\\tmp\\a", "line 1\nline 2\r\n\tend", "\u{1}\u{1F}\u{7F}", "😀 Đ đ", "",
    ])
    func roundTrip(text: String) throws {
        var w = BundleLineWriter()
        w.begin("t")
        w.add(text)
        w.add(-12 as Int?)
        w.add(nil as String?)
        w.add(true)
        w.end()
        #expect(w.bytes.last == 0x0A)
        #expect(!w.bytes.dropLast().contains(0x0A))
        let values = try #require(parse(String(decoding: w.bytes.dropLast(), as: UTF8.self)))
        #expect(values == [.string("t"), .string(text), .int(-12), .null, .bool(true)])
    }

    @Test("escapes other writers use are read: \\u with surrogate pairs, \\/ and spaces between values")
    func otherWriters() {
        #expect(parse(#" [ "a\u00e9\ud83d\ude00\/" , 0 ,null ] "#) == [.string("aé😀/"), .int(0), .null])
    }

    @Test("anything else is refused", arguments: [
        "", "[", "[\"a\",]", "[\"a\" \"b\"]", "[1.5]", "[1e3]", "[01]", "[-]", "[\"a]", "[\"\\ud800\"]", "[\"\\x\"]",
        "{\"a\":1}", "[\"a\"] x", "[tru]", "[99999999999999999999]", "[\"tab\there\"]",
    ])
    func refused(text: String) {
        #expect(parse(text) == nil)
    }

    @Test("text that is not UTF-8 is refused")
    func notUTF8() {
        let bytes: [UInt8] = Array("[\"a".utf8) + [0xC3, 0x28] + Array("\"]".utf8)
        #expect(bytes.withUnsafeBufferPointer { BundleLineParser.parse($0) } == nil)
    }

    @Test("a session record reads back as the same session, void included")
    func sessionRecord() throws {
        let id = StableID(UUID())
        let record = SessionRecord(id: id, day: Day(parsing: "2026-11-03")!, area: "16282-01", team: "P06", loggedBy: "Lê Văn Hùng",
                                   metrics: MetricValues([.eidL2: 24, .leaflets: 0]), notes: "a \"b\"",
                                   void: VoidRecord(day: Day(parsing: "2026-11-22")!, reason: "counted twice", replacedBy: StableID(UUID())))
        var w = BundleLineWriter()
        record.encode(&w)
        let values = try #require(parse(String(decoding: w.bytes.dropLast(), as: UTF8.self)))
        #expect(try SessionRecord(values) == record)
    }

    @Test("a record with a wrong field names the column", arguments: [
        (#"["area","1","A","village",null,null,null,null,null,null,""]"#, #"column "kind": "village" is not a known value"#),
        (#"["area","1","A","hamlet",null,null,-1,null,null,null,""]"#, #"column "population": expected a count (0 or more) or null, found -1"#),
        (#"["area","1","A","hamlet",null,"1",null,null,null,null,""]"#, #"area "1" is its own parent"#),
        (#"["area","1","A","hamlet"]"#, "area records have 10 fields, this one has 3"),
        (#"["area","","A","hamlet",null,null,null,null,null,null,""]"#, #"column "code": must not be empty"#),
    ])
    func badField(line: String, message: String) throws {
        let values = try #require(parse(line))
        #expect(throws: RecordError(message)) { try AreaRecord(values) }
    }
}
