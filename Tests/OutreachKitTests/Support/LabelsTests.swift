import Foundation
import Testing
@testable import OutreachKit

@Suite("Labels and language")
struct LabelsTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    @Test("both label tables hold the same keys, and no label is empty")
    func tablesAreComplete() throws {
        let vi = try Labels.bundledTable(.vi)
        let en = try Labels.bundledTable(.en)
        let onlyVi = Set(vi.keys).subtracting(en.keys).sorted()
        let onlyEn = Set(en.keys).subtracting(vi.keys).sorted()
        #expect(onlyVi.isEmpty, "labels only in vi.json: \(onlyVi)")
        #expect(onlyEn.isEmpty, "labels only in en.json: \(onlyEn)")
        let empty = (vi.filter { $0.value.isEmpty }.map { "vi:" + $0.key } + en.filter { $0.value.isEmpty }.map { "en:" + $0.key })
        #expect(empty.isEmpty, "empty labels: \(empty.sorted())")
    }

    @Test("placeholders agree between the languages")
    func placeholdersAgree() throws {
        let vi = try Labels.bundledTable(.vi)
        let en = try Labels.bundledTable(.en)
        func names(_ text: String) -> Set<String> {
            var out: Set<String> = []
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                out.insert(String(rest[rest.index(after: open)..<close]))
                rest = rest[rest.index(after: close)...]
            }
            return out
        }
        for (key, text) in vi {
            guard let other = en[key] else { continue }
            #expect(names(text) == names(other), "\(key): vi has \(names(text).sorted()), en has \(names(other).sorted())")
        }
    }

    @Test("every label key the code names exists in both tables")
    func codeKeysExist() throws {
        let vi = try Labels.bundledTable(.vi)
        let en = try Labels.bundledTable(.en)
        // Keys appear in code as labels["a.b"], labels("a.b", …), l["a.b"], l("a.b", …), self[…] inside Labels,
        // and Phrase("a.b", …) for messages written later in either language.
        let pattern = try NSRegularExpression(pattern: #"(?:(?:labels|\bl|self)(?:\[|\()|\bPhrase\()"([a-z0-9_]+(?:\.[a-z0-9_]+)+)""#)
        var used: [String: String] = [:]
        let files = FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                used[key] = url.lastPathComponent
            }
        }
        #expect(!used.isEmpty)
        let missing = used.filter { vi[$0.key] == nil || en[$0.key] == nil }.map { "\($0.key) (\($0.value))" }.sorted()
        #expect(missing.isEmpty, "keys used in code but missing from a table: \(missing)")
    }

    @Test("Vietnamese numbers, shares and dates", arguments: [
        (1010, "1.010"), (0, "0"), (999, "999"), (6000, "6.000"), (1_234_567, "1.234.567"), (-4500, "-4.500"),
    ])
    func vietnameseCounts(n: Int, text: String) {
        #expect(Labels(.vi).count(n) == text)
    }

    @Test("shares, dates and long dates in both languages")
    func sharesAndDates() throws {
        let vi = Labels(.vi), en = Labels(.en)
        #expect(vi.percent(0.9655) == "96,6%")
        #expect(en.percent(0.9655) == "96.6%")
        #expect(vi.percent(1.234) == "123,4%")
        #expect(vi.percent(12.5) == "1.250,0%")
        #expect(vi.targetPercent(0.5) == "50%")
        #expect(vi.targetPercent(0.925) == "92,5%")
        #expect(en.count(1010) == "1,010")
        let day = try #require(Day(year: 2026, month: 11, day: 20))
        #expect(vi.date(day) == "20/11/2026")
        #expect(en.date(day) == "20 Nov 2026")
        #expect(vi.longDate(day) == "ngày 20 tháng 11 năm 2026")
        #expect(en.longDate(day) == "20 November 2026")
        let early = try #require(Day(year: 2026, month: 2, day: 5))
        #expect(vi.date(early) == "05/02/2026")
        #expect(vi.longDate(early) == "ngày 05 tháng 02 năm 2026")
    }

    @Test("Vietnamese grouping agrees with Foundation's vi_VN formatter")
    func agreesWithFoundation() {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "vi_VN")
        formatter.numberStyle = .decimal
        for n in [0, 7, 1010, 6000, 98_765, 1_234_567] {
            #expect(Labels(.vi).count(n) == formatter.string(from: NSNumber(value: n)))
        }
    }

    @Test("the language comes from --lang, then OUTREACH_LANG, then Vietnamese")
    func resolvesLanguage() throws {
        #expect(try Language.resolve(option: nil, environment: [:]) == .vi)
        #expect(try Language.resolve(option: nil, environment: ["OUTREACH_LANG": "en_US.UTF-8"]) == .en)
        #expect(try Language.resolve(option: "vi", environment: ["OUTREACH_LANG": "en"]) == .vi)
        #expect(try Language.resolve(option: "EN", environment: [:]) == .en)
        #expect(throws: LanguageError.unknown("fr", source: "--lang")) { try Language.resolve(option: "fr", environment: [:]) }
        #expect(throws: LanguageError.unknown("de", source: "OUTREACH_LANG")) {
            try Language.resolve(option: nil, environment: ["OUTREACH_LANG": "de"])
        }
    }

    @Test("a missing key is visible, placeholders are filled")
    func missingAndPlaceholders() {
        let labels = Labels(language: .en, table: ["greet": "Hello {name}, {name}!"])
        #expect(labels["nope"] == "⟦nope⟧")
        #expect(labels("greet", ["name": "Lan"]) == "Hello Lan, Lan!")
    }
}
