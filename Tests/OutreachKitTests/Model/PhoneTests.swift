import Testing
@testable import OutreachKit

@Suite("Reading Vietnamese mobile numbers")
struct PhoneTests {
    @Test("normalises the ways people write a number to 10 digits", arguments: [
        ("0912345678", "0912345678"),
        ("+84 91 234 5678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        ("+84 (0) 91 234 5678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("(091) 234 5678", "0912345678"),
        (" 0912 345 678 ", "0912345678"),
        ("0321234567", "0321234567"),
        ("0561234567", "0561234567"),
        ("0701234567", "0701234567"),
        ("0861234567", "0861234567"),
    ])
    func normalises(text: String, digits: String) throws {
        let reading = try Phone.parse(text).get()
        #expect(reading.phone.digits == digits)
        #expect(reading.converted == nil)
        #expect(reading.conversionNotice == nil)
    }

    /// Every prefix of the 2018 conversion, old → new.
    static let conversions: [(String, String)] = [
        ("0162", "032"), ("0163", "033"), ("0164", "034"), ("0165", "035"), ("0166", "036"),
        ("0167", "037"), ("0168", "038"), ("0169", "039"),
        ("0120", "070"), ("0121", "079"), ("0122", "077"), ("0126", "076"), ("0128", "078"),
        ("0123", "083"), ("0124", "084"), ("0125", "085"), ("0127", "081"), ("0129", "082"),
        ("0186", "056"), ("0188", "058"), ("0199", "059"),
    ]

    @Test("accepts an old 11-digit number in its new form", arguments: conversions)
    func oldNumbers(old: String, new: String) throws {
        let reading = try Phone.parse(old + "1234567").get()
        #expect(reading.phone.digits == new + "1234567")
        #expect(reading.converted == old + "***567")
    }

    @Test("accepts an old number written with +84 or separators")
    func oldWithCountryCode() throws {
        #expect(try Phone.parse("+84 168 123 4567").get().phone.digits == "0381234567")
        #expect(try Phone.parse("0168.123.4567").get().phone.digits == "0381234567")
        #expect(try Phone.parse("841681234567").get().phone.digits == "0381234567")
    }

    @Test("names the new form of an old number in its warning, masked")
    func conversionNotice() throws {
        let notice = try #require(try Phone.parse("01681234567").get().conversionNotice)
        #expect(notice == "phone 0168***567 is an 11-digit number from before the 2018 change; it was stored as 0381***567, its new 10-digit form (0168 → 038). Write the new form in the file.")
    }

    @Test("refuses what is not a mobile number, saying why", arguments: [
        ("", PhoneProblem.empty),
        ("  ", .empty),
        ("091234567x", .notDigits),
        ("0912 345 678 ext 2", .notDigits),
        ("0912+345678", .notDigits),
        ("+1 212 555 0100", .foreign(masked: "1212***100")),
        ("912345678", .leadingZeroLost(masked: "0912***678")),
        ("02439876543", .landline(masked: "0243***543")),
        ("0243987654", .landline(masked: "0243***654")),
        ("0112345678", .notMobile(masked: "0112***678")),
        ("0612345678", .notMobile(masked: "0612***678")),
        ("1234567890", .notMobile(masked: "1234***890")),
        ("01301234567", .unknownOldPrefix(masked: "0130***567")),
        ("091234567", .wrongLength(masked: "0912***567", digits: 9)),
        ("091234567890", .wrongLength(masked: "0912***890", digits: 12)),
        ("0912", .wrongLength(masked: "09***", digits: 4)),
    ])
    func refuses(text: String, problem: PhoneProblem) {
        #expect(throws: problem) { try Phone.parse(text).get() }
    }

    @Test("never shows a number whole in an error", arguments: [
        "02439876543", "0612345678", "01301234567", "091234567890", "+1 212 555 0100", "912345678", "1234567890",
    ])
    func adviceIsMasked(text: String) throws {
        let digits = text.filter(\.isNumber)
        let problem = try #require(Phone.parse(text).failure)
        #expect(!problem.advice.contains(digits))
        #expect(!problem.advice.contains(String(digits.dropFirst(2))))
        #expect(problem.advice.contains("***"))
    }

    @Test("masks all but the first four and last three digits")
    func masking() throws {
        let phone = try #require(Phone(digits: "0912345678"))
        #expect(phone.masked == "0912***678")
        #expect(phone.description == "0912***678")
        #expect("\(phone)" == "0912***678")
        #expect(Phone.mask("0912") == "09***")
    }

    @Test("wraps only normalised digits", arguments: ["912345678", "0212345678", "09123456789", "091234567a", ""])
    func wrapsOnlyNormalised(digits: String) {
        #expect(Phone(digits: digits) == nil)
    }
}

fileprivate extension Result {
    /// The failure, or nil on success.
    var failure: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
