import Foundation
import Testing
@testable import OutreachKit

@Suite("Folding Vietnamese text for matching")
struct TextFoldingTests {
    @Test("folds names to lower-case letters without accents, đ as d", arguments: [
        ("Đông Hòa", "dong hoa"),
        ("đông hoà", "dong hoa"),
        ("Xã Ia Mơ", "xa ia mo"),
        ("Huyện Nông Cống", "huyen nong cong"),
        ("Thạnh Phú", "thanh phu"),
        ("ĐẮK LẮK", "dak lak"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("Xã Mỹ Cẩm", "xa my cam"),
        ("Phường Ngọc Hà", "phuong ngoc ha"),
        ("Tổ dân phố 7", "to dan pho 7"),
        ("29089-07", "29089-07"),
        ("", ""),
    ])
    func folds(text: String, folded: String) {
        #expect(Array(TextFolding.fold(text).unicodeScalars) == Array(folded.unicodeScalars))
    }

    @Test("folds decomposed (NFD) input the same as composed (NFC) input", arguments: [
        "Đông Hòa", "Xã Ia Mơ", "Huyện Nông Cống", "Thạnh Phú", "Thừa Thiên Huế", "Quảng Ngãi",
    ])
    func decomposedFoldsTheSame(text: String) {
        let nfd = text.decomposedStringWithCanonicalMapping
        let nfc = text.precomposedStringWithCanonicalMapping
        #expect(Array(nfd.unicodeScalars) != Array(nfc.unicodeScalars))
        #expect(Array(TextFolding.fold(nfd).unicodeScalars) == Array(TextFolding.fold(nfc).unicodeScalars))
    }

    @Test("collapses runs of white space into single spaces and trims the ends", arguments: [
        ("  Xã   Ia\tMơ  ", "xa ia mo"),
        ("Đông\nHòa", "dong hoa"),
        ("\u{00A0}Đông\u{00A0}\u{00A0}Hòa\r\n", "dong hoa"),
        (" \t ", ""),
    ])
    func collapsesWhiteSpace(text: String, folded: String) {
        #expect(Array(TextFolding.fold(text).unicodeScalars) == Array(folded.unicodeScalars))
    }

    @Test("compares old and new tone placements as equal", arguments: [
        ("hoà", "hòa"),
        ("Hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("Khoẻ", "khỏe"),
        ("Xã Hoà  An", "xã hòa an"),
        ("hoà".decomposedStringWithCanonicalMapping, "hòa"),
    ])
    func tonePlacement(a: String, b: String) {
        #expect(TextFolding.toneKey(a) == TextFolding.toneKey(b))
        #expect(Array(TextFolding.toneKey(a).unicodeScalars) == Array(TextFolding.toneKey(b).unicodeScalars))
    }

    @Test("keeps vowel marks and tones apart", arguments: [
        ("mơ", "mo"),
        ("hòa", "hoa"),
        ("hòa", "hóa"),
        ("mơ", "mô"),
        ("ân", "an"),
        ("đông", "dông"),
    ])
    func vowelMarksCount(a: String, b: String) {
        #expect(TextFolding.toneKey(a) != TextFolding.toneKey(b))
    }

    @Test("trims every kind of white space around a stored name", arguments: [
        " Xã Ia Mơ", "Xã Ia Mơ ", "\tXã Ia Mơ\r\n", "\u{00A0}Xã Ia Mơ", "Xã Ia Mơ\u{00A0}", "Xã Ia Mơ\u{2003}",
        "\u{202F}Xã Ia Mơ\u{202F}", "Xã Ia Mơ\u{3000}",
    ])
    func trimsWhiteSpace(text: String) {
        let expected = Array("Xã Ia Mơ".precomposedStringWithCanonicalMapping.unicodeScalars)
        #expect(Array(TextFolding.normalizedName(text).unicodeScalars) == expected)
        #expect(Array(TextFolding.normalizedName(text.decomposedStringWithCanonicalMapping).unicodeScalars) == expected)
    }

    @Test("stores names NFC-normalised and trimmed")
    func normalizedName() {
        let nfd = "  Xã Ia Mơ\n".decomposedStringWithCanonicalMapping
        let stored = TextFolding.normalizedName(nfd)
        #expect(Array(stored.unicodeScalars) == Array("Xã Ia Mơ".precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(stored.unicodeScalars.count == 8)
    }
}
