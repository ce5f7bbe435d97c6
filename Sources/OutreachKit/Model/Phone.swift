/// A Vietnamese mobile number, stored as 10 digits starting with 0 (`0912345678`).
///
/// Phones are personal data: `description` is the masked form (`0912***678`), so a phone that
/// slips into a message or a log line never shows in full. Use `digits` only where the whole
/// number is wanted (the database, `--show-phones`). Not `Codable` on purpose: a report
/// decides, field by field, whether it shows a phone masked or whole.
public struct Phone: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 10 digits, starting with 0.
    public let digits: String

    /// Wraps digits that are already normalised (read back from the database); nil otherwise.
    public init?(digits: String) {
        guard digits.utf8.count == 10, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              digits.hasPrefix("0"), Phone.mobilePrefixes.contains(digits.utf8.dropFirst().first!) else { return nil }
        self.digits = digits
    }

    /// The first four and last three digits, the rest starred: `0912***678`.
    public var masked: String { Phone.mask(digits) }

    public var description: String { masked }

    public static func < (a: Phone, b: Phone) -> Bool { a.digits < b.digits }

    /// The second digit of every current mobile number (03, 05, 07, 08, 09), as ASCII bytes.
    static let mobilePrefixes: Set<UInt8> = [0x33, 0x35, 0x37, 0x38, 0x39]

    /// The 2018 conversion of 11-digit mobile numbers: old four-digit prefix → new three-digit prefix.
    public static let conversions2018: [String: String] = [
        "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
        "0167": "037", "0168": "038", "0169": "039",
        "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
        "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
        "0186": "056", "0188": "058", "0199": "059",
    ]

    /// Masks any run of digits for messages: first four and last three shown when there are at
    /// least eight, otherwise only the first two. Other characters are dropped.
    public static func mask(_ text: String) -> String {
        let digits = text.filter { $0.isASCII && $0.isNumber }
        if digits.count >= 8 { return digits.prefix(4) + "***" + digits.suffix(3) }
        return digits.prefix(2) + "***"
    }

    /// Reads a phone number as people write it: `+84 91 234 5678`, `84912345678`,
    /// `091.234.5678`, `0912-345-678`, `(091) 234 5678`. Spaces, dots, dashes and brackets are
    /// ignored; `+84`, `84` and `0084` stand for the leading 0.
    ///
    /// An 11-digit number from before the 2018 conversion (`0168…`) is accepted in its new form,
    /// with `converted` set. Nothing in a failure's advice shows the number unmasked.
    public static func parse(_ text: String) -> Result<PhoneReading, PhoneProblem> {
        var digits = ""
        var plus = false
        var seenSign = false
        for ch in text {
            if ch.isASCII && ch.isNumber { digits.append(ch); seenSign = true; continue }
            if ch == "+" && !seenSign { plus = true; seenSign = true; continue }
            if ch == " " || ch == "." || ch == "-" || ch == "(" || ch == ")" || ch.isWhitespace { continue }
            return .failure(.notDigits)
        }
        if digits.isEmpty { return .failure(.empty) }
        var national = digits
        if plus {
            guard digits.hasPrefix("84") else { return .failure(.foreign(masked: mask(digits))) }
            national = String(digits.dropFirst(2))
        } else if digits.hasPrefix("0084") {
            national = String(digits.dropFirst(4))
        } else if digits.hasPrefix("84") && (digits.count == 11 || digits.count == 12) {
            national = String(digits.dropFirst(2))
        }
        if national != digits {
            // "+84 (0) 91 …": a 0 kept after the country code is dropped with it.
            if !national.hasPrefix("0") { national = "0" + national }
        }
        let masked = mask(national)
        guard national.hasPrefix("0") else {
            if national.count == 9, let second = national.utf8.first, mobilePrefixes.contains(second) {
                return .failure(.leadingZeroLost(masked: mask("0" + national)))
            }
            return .failure(.notMobile(masked: masked))
        }
        let second = national.utf8.dropFirst().first
        if national.count == 10 {
            if let second, mobilePrefixes.contains(second), let phone = Phone(digits: national) {
                return .success(PhoneReading(phone: phone, converted: nil))
            }
            if second == 0x32 { return .failure(.landline(masked: masked)) }
            return .failure(.notMobile(masked: masked))
        }
        if national.count == 11 {
            if let newPrefix = conversions2018[String(national.prefix(4))],
               let phone = Phone(digits: newPrefix + national.dropFirst(4)) {
                return .success(PhoneReading(phone: phone, converted: masked))
            }
            if second == 0x32 { return .failure(.landline(masked: masked)) }
            if second == 0x31 { return .failure(.unknownOldPrefix(masked: masked)) }
        }
        return .failure(.wrongLength(masked: masked, digits: national.count))
    }
}

/// A phone number that was read, and whether it came in its pre-2018 form.
public struct PhoneReading: Equatable, Sendable {
    /// The normalised number.
    public var phone: Phone
    /// The old 11-digit number, masked, when the text held one (it is stored in its new form).
    public var converted: String?

    public init(phone: Phone, converted: String?) {
        self.phone = phone
        self.converted = converted
    }

    /// The warning to show for an old number, in English: it names the new form, masked.
    public var conversionNotice: String? { conversion.map { Phrase("phone.converted", $0).english } }

    /// The warning for an old number read from `column` of a file, in words any language can write.
    public func conversionPhrase(column: String) -> Phrase? {
        conversion.map { Phrase("phone.converted.column", $0.merging(["place": column]) { a, _ in a }) }
    }

    /// The warning for an old number given to `option` on the command line.
    public func conversionPhrase(option: String) -> Phrase? {
        conversion.map { Phrase("phone.converted.option", $0.merging(["place": option]) { a, _ in a }) }
    }

    /// The old number and the new one, masked, with their prefixes.
    private var conversion: [String: String]? {
        converted.map { ["old": $0, "new": phone.masked, "oldPrefix": String($0.prefix(4)), "newPrefix": String(phone.digits.prefix(3))] }
    }
}

/// Why a text is not a Vietnamese mobile number. Messages show the number masked, never whole.
public enum PhoneProblem: Error, Equatable, Sendable {
    case empty
    case notDigits
    case foreign(masked: String)
    case leadingZeroLost(masked: String)
    case landline(masked: String)
    case notMobile(masked: String)
    case unknownOldPrefix(masked: String)
    case wrongLength(masked: String, digits: Int)

    /// What is wrong and what to do, in English, without a column name in front.
    public var advice: String { phrase.english }

    /// What is wrong and what to do, in words any language can write.
    public var phrase: Phrase {
        switch self {
        case .empty: Phrase("phone.error.empty")
        case .notDigits: Phrase("phone.error.not_digits")
        case let .foreign(masked): Phrase("phone.error.foreign", ["phone": masked])
        case let .leadingZeroLost(masked): Phrase("phone.error.leading_zero_lost", ["phone": masked])
        case let .landline(masked): Phrase("phone.error.landline", ["phone": masked])
        case let .notMobile(masked): Phrase("phone.error.not_mobile", ["phone": masked])
        case let .unknownOldPrefix(masked): Phrase("phone.error.unknown_old_prefix", ["phone": masked])
        case let .wrongLength(masked, digits): Phrase("phone.error.wrong_length", ["phone": masked], counts: ["digits": digits])
        }
    }
}
