import Foundation
import OutreachResources

/// The language people read: Vietnamese first, English on request.
public enum Language: String, CaseIterable, Sendable {
    case vi
    case en

    /// The language chosen by an option (`--lang`), else by `OUTREACH_LANG`, else Vietnamese.
    /// Accepts `vi`, `en` and locale-like spellings (`vi_VN`, `en-US`, `EN`).
    public static func resolve(option: String?, environment: [String: String]) throws(LanguageError) -> Language {
        if let option, !option.isEmpty {
            guard let language = Language(loosely: option) else { throw .unknown(option, source: "--lang") }
            return language
        }
        if let env = environment["OUTREACH_LANG"], !env.isEmpty {
            guard let language = Language(loosely: env) else { throw .unknown(env, source: "OUTREACH_LANG") }
            return language
        }
        return .vi
    }

    /// `vi`, `VI`, `vi_VN`, `vi-VN.UTF-8` → `.vi`.
    public init?(loosely text: String) {
        let prefix = text.lowercased().prefix(while: { $0.isLetter })
        guard let language = Language(rawValue: String(prefix)) else { return nil }
        self = language
    }
}

/// A language that Outreach does not speak.
public enum LanguageError: Error, Equatable, UserFacingError {
    case unknown(String, source: String)

    public var message: String {
        switch self {
        case let .unknown(text, source):
            "\(source): \"\(text)\" is not a language Outreach speaks. Write vi (Tiếng Việt) or en (English)."
        }
    }
}

/// Everything people read, in one language: the label tables of `Resources/labels/LANG/*.json`
/// (flat `key → text`, placeholders written `{name}`) and the way numbers, shares and dates are
/// written (`1.010`, `96,6%`, `20/11/2026` in Vietnamese; `1,010`, `96.6%`, `20 Nov 2026` in
/// English).
///
/// Machine formats (CSV, JSON) never go through `Labels`: they keep ISO dates, `.` decimals and
/// English keys.
public struct Labels: Sendable {
    public let language: Language
    private let table: [String: String]

    /// The labels of `language`, read once per process from the bundled tables.
    public init(_ language: Language) {
        self.language = language
        self.table = language == .vi ? Labels.vi : Labels.en
    }

    /// Labels over a given table (tests).
    public init(language: Language, table: [String: String]) {
        self.language = language
        self.table = table
    }

    /// The text of `key`, or `⟦key⟧` when the table lacks it (a test keeps the tables complete).
    public subscript(_ key: String) -> String {
        table[key] ?? "⟦\(key)⟧"
    }

    /// The text of `key` with its `{name}` placeholders filled.
    public func callAsFunction(_ key: String, _ values: KeyValuePairs<String, String>) -> String {
        var text = self[key]
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// Whether the table has `key`.
    public func has(_ key: String) -> Bool { table[key] != nil }

    // MARK: Numbers

    /// A whole number with grouped thousands: 1010 → `1.010` (vi), `1,010` (en).
    public func count(_ n: Int) -> String {
        Labels.digits(n.magnitude, negative: n < 0, group: groupByte)
    }

    /// A number with `digits` decimals: 12.5 → `12,5` (vi), `12.5` (en).
    public func decimal(_ x: Double, digits: Int = 1) -> String {
        fixed(x, digits: digits, suffix: nil)
    }

    /// A share as a percentage with one decimal: 0.9655 → `96,6%` (vi), `96.6%` (en).
    public func percent(_ share: Double, digits: Int = 1) -> String {
        fixed(share * 100, digits: digits, suffix: UInt8(ascii: "%"))
    }

    /// A number for machines (CSV): `digits` decimals after a point, no grouping, as
    /// `String(format: "%.3f")` writes it but without Foundation's formatter (a national table
    /// writes half a million of them).
    public static func plain(_ x: Double, digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : x < 0 ? "-inf" : "inf" }
        var scale: UInt = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int(saturating: (x * Double(scale)).rounded())
        return Labels.digits(scaled.magnitude / scale, negative: scaled < 0, group: nil,
                      fraction: (scaled.magnitude % scale, digits, UInt8(ascii: ".")))
    }

    /// The separators as bytes, for the number writer.
    private var groupByte: UInt8 { language == .vi ? UInt8(ascii: ".") : UInt8(ascii: ",") }
    private var decimalByte: UInt8 { language == .vi ? UInt8(ascii: ",") : UInt8(ascii: ".") }

    /// `x` rounded to `digits` decimals, then `suffix`.
    private func fixed(_ x: Double, digits: Int, suffix: UInt8?) -> String {
        var scale: UInt = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int(saturating: (x * Double(scale)).rounded())
        return Labels.digits(scaled.magnitude / scale, negative: scaled < 0, group: groupByte,
                             fraction: (scaled.magnitude % scale, digits, decimalByte), suffix: suffix)
    }

    /// The text of a number, measured first and then written right to left straight into the
    /// string: a national coverage table writes 300,000 numbers, so no intermediate strings, and
    /// numbers of up to 15 characters are small strings (no allocation).
    private static func digits(_ whole: UInt, negative: Bool, group: UInt8?,
                               fraction: (value: UInt, digits: Int, separator: UInt8)? = nil, suffix: UInt8? = nil) -> String {
        var wholeDigits = 1
        var rest = whole
        while rest >= 10 {
            rest /= 10
            wholeDigits += 1
        }
        let fractionDigits = fraction.map { $0.digits > 0 ? $0.digits + 1 : 0 } ?? 0
        let length = (negative ? 1 : 0) + wholeDigits + (group == nil ? 0 : (wholeDigits - 1) / 3) + fractionDigits + (suffix == nil ? 0 : 1)
        return String(unsafeUninitializedCapacity: length) { buffer in
            var i = length
            func put(_ byte: UInt8) {
                i -= 1
                buffer[i] = byte
            }
            if let suffix { put(suffix) }
            if let fraction, fraction.digits > 0 {
                var rest = fraction.value
                for _ in 0..<fraction.digits {
                    put(UInt8(ascii: "0") + UInt8(rest % 10))
                    rest /= 10
                }
                put(fraction.separator)
            }
            var rest = whole
            for written in 0..<wholeDigits {
                if let group, written > 0, written % 3 == 0 { put(group) }
                put(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            }
            if negative { put(UInt8(ascii: "-")) }
            return length
        }
    }

    /// A share target as people write it: whole percentages without decimals (`50%`), others
    /// with one (`92,5%`).
    public func targetPercent(_ share: Double) -> String {
        let tenths = Int(saturating: (share * 1000).rounded())
        return tenths % 10 == 0 ? count(tenths / 10) + "%" : percent(share)
    }

    // MARK: Dates

    /// A day as people write it: `20/11/2026` (vi), `20 Nov 2026` (en).
    public func date(_ day: Day) -> String {
        switch language {
        case .vi:
            return day.vietnamese
        case .en:
            let c = day.components
            return "\(c.day) \(self["month.\(c.month)"].prefix(3)) \(c.year)"
        }
    }

    /// A day written out, as in a document's date line: `ngày 20 tháng 11 năm 2026`,
    /// `20 November 2026`.
    public func longDate(_ day: Day) -> String {
        let c = day.components
        // Vietnamese documents write days below 10 and the months 1 and 2 with a leading zero
        // (Decree 30/2020); the month table carries the month's zero.
        return self("date.long", ["day": c.day < 10 && language == .vi ? "0\(c.day)" : String(c.day),
                                  "monthName": self["month.\(c.month)"], "year": String(c.year)])
    }

    // MARK: Tables

    /// The bundled table of `language`: every `Resources/labels/LANG/*.json` file (flat objects of
    /// strings), merged. A key defined in two files is an error, so no label hides another.
    public static func bundledTable(_ language: Language) throws -> [String: String] {
        let folder = OutreachResources.folder("labels").appendingPathComponent(language.rawValue, isDirectory: true)
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var table: [String: String] = [:]
        for url in files {
            let name = "\(language.rawValue)/\(url.lastPathComponent)"
            guard let part = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: String] else {
                throw LabelTableError(file: name, problem: "must be one JSON object whose values are all strings")
            }
            for (key, text) in part {
                guard table.updateValue(text, forKey: key) == nil else {
                    throw LabelTableError(file: name, problem: "defines \"\(key)\" again; another file of labels/\(language.rawValue) already has it")
                }
            }
        }
        return table
    }

    /// Each language's table, read on first use: a command reads one language, never both.
    private static let vi: [String: String] = (try? bundledTable(.vi)) ?? [:]
    private static let en: [String: String] = (try? bundledTable(.en)) ?? [:]
}

/// A label table that is not a flat JSON object of strings.
public struct LabelTableError: Error, CustomStringConvertible {
    public var file: String
    public var problem: String
    public var description: String { "Resources/labels/\(file) \(problem)" }
}
