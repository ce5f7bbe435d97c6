import Testing
@testable import OutreachKit

@Suite("Counts written in spreadsheets")
struct CountParserTests {
    @Test("reads plain and grouped digits as whole counts", arguments: [
        ("12", 12),
        ("0", 0),
        ("007", 7),
        ("1.010", 1010),
        ("1,010", 1010),
        ("1 010", 1010),
        ("1.010.000", 1_010_000),
        ("1,010,000", 1_010_000),
        ("12 345 678", 12_345_678),
        ("999.999", 999_999),
        ("  42\t", 42),
        ("+5", 5),
        ("1000", 1000),
    ])
    func readsCounts(text: String, expected: Int) {
        #expect(CountParser.parse(text) == .success(expected))
    }

    @Test("treats an empty or blank cell as not recorded", arguments: ["", " ", "\t ", "   "])
    func blankIsNotRecorded(text: String) {
        #expect(CountParser.parse(text) == .success(nil))
    }

    @Test("rejects what is not a whole non-negative count, saying why", arguments: [
        ("-3", CountParser.Failure.negative),
        ("-1.010", .negative),
        ("1.5", .decimal),
        ("1,5", .decimal),
        ("1.01", .decimal),
        ("1.0100", .decimal),
        ("1234.567", .decimal),
        ("1.010,5", .decimal),
        ("1.010,000", .decimal),
        ("1,010.000", .decimal),
        ("1 010.000", .decimal),
        ("12a", .notANumber),
        ("abc", .notANumber),
        ("1e3", .notANumber),
        ("+", .notANumber),
        (".5", .notANumber),
        ("1..010", .notANumber),
        ("1.", .notANumber),
        ("1 01", .notANumber),
        ("1\t010", .notANumber),
        ("1.000.000.000.001", .tooLarge),
        ("99999999999999999999999", .tooLarge),
    ])
    func rejects(text: String, failure: CountParser.Failure) {
        #expect(CountParser.parse(text) == .failure(failure))
    }

    @Test("gives the same answer on bytes as on a string", arguments: ["1.010", "12", "", "-3", "1.5", "12a"])
    func bytesAndStringAgree(text: String) {
        let bytes = Array(text.utf8)
        let fromBytes = bytes.withUnsafeBufferPointer { CountParser.parse($0) }
        #expect(fromBytes == CountParser.parse(text))
    }

    @Test("advises on every failure in words a user can act on, in either language")
    func adviceIsSpecific() {
        let en = Labels(.en), vi = Labels(.vi)
        #expect(CountParser.Failure.negative.phrase("\"-1\"").text(en) == "\"-1\" is negative. Counts are whole numbers from 0 up.")
        #expect(CountParser.Failure.decimal.phrase("\"2,5\"").text(vi) == "\"2,5\" không phải là số nguyên. Ghi số lượng như 12 hoặc 1.010.")
        #expect(CountParser.Failure.notANumber.phrase("\"x\"").text(en).contains("leave the cell empty"))
        let all: [CountParser.Failure] = [.negative, .decimal, .notANumber, .tooLarge]
        #expect(Set(all.map { $0.phrase("1").text(en) }).count == 4)
        #expect(Set(all.map { $0.phrase("1").text(vi) }).count == 4)
    }
}
