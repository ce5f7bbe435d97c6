import Foundation

/// The level of an area in the administrative tree (the English words of SPEC.md's glossary).
public enum AreaLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case province, district, commune, ward, town
    case specialZone = "special_zone"
    case hamlet
    /// The whole country: never stored, only the root a whole-tree report adds above the provinces.
    case country

    /// The first day of the two-level local government (Resolution 202/2025/QH15): from 1 July
    /// 2025 there are no districts; provinces stand directly above communes.
    public static let twoLevelSince = Day(year: 2025, month: 7, day: 1)!

    /// Commune-level units: the level that assigns targets to hamlets.
    public var isCommuneLevel: Bool { [.commune, .ward, .town, .specialZone].contains(self) }

    /// Rank from the top of the tree (province 0 … hamlet 3).
    public var rank: Int {
        switch self {
        case .country: return -1
        case .province: return 0
        case .district: return 1
        case .commune, .ward, .town, .specialZone: return 2
        case .hamlet: return 3
        }
    }

    public static func < (a: AreaLevel, b: AreaLevel) -> Bool { a.rank < b.rank }

    /// Reads a kind as written in a file: an English level or a Vietnamese word, with or without
    /// accents. "thành phố" is a province at the top of the tree and a district below it.
    /// Returns the level and, for a Vietnamese word, that word as written (kept for display).
    public static func parse(_ word: String, hasParent: Bool) -> (level: AreaLevel, localWord: String?)? {
        let trimmed = TextFolding.normalizedName(word)
        let folded = TextFolding.fold(trimmed).replacingOccurrences(of: "_", with: " ")
        if let english = englishWords[folded] { return (english, nil) }
        let local = trimmed.lowercased()
        if folded == "thanh pho" || folded == "tp" { return (hasParent ? .district : .province, local) }
        if let level = vietnameseWords[folded] { return (level, local) }
        return nil
    }

    /// The English words `parse` accepts, for error messages.
    public static let englishWordList = "province, district, commune, ward, town, special_zone, hamlet"

    /// The commonest Vietnamese words `parse` accepts, for error messages.
    public static let vietnameseWordList = "tỉnh, huyện, xã, phường, thị trấn, đặc khu, thôn, ấp, bản, tổ dân phố"

    /// Every word `parse` accepts, for English error messages.
    public static let acceptedWords = "\(englishWordList), or a Vietnamese word such as \(vietnameseWordList)"

    private static let englishWords: [String: AreaLevel] = [
        "province": .province, "district": .district, "commune": .commune, "ward": .ward,
        "town": .town, "special zone": .specialZone, "hamlet": .hamlet, "village": .hamlet,
    ]

    private static let vietnameseWords: [String: AreaLevel] = [
        "tinh": .province, "thanh pho truc thuoc trung uong": .province,
        "huyen": .district, "quan": .district, "thi xa": .district, "thanh pho thuoc tinh": .district,
        "xa": .commune, "phuong": .ward, "thi tran": .town, "dac khu": .specialZone,
        "thon": .hamlet, "ap": .hamlet, "ban": .hamlet, "lang": .hamlet, "buon": .hamlet,
        "soc": .hamlet, "to dan pho": .hamlet, "tieu khu": .hamlet, "khom": .hamlet,
        "khu pho": .hamlet, "xom": .hamlet, "khu": .hamlet, "to": .hamlet, "plei": .hamlet,
    ]

    /// Whether `local` is just the usual Vietnamese word for this level (`thôn` for a hamlet,
    /// `xã` for a commune): a word that tells no more than the level.
    public func isUsualWord(_ local: String) -> Bool {
        let usual: String
        switch self {
        case .province: usual = "tinh"
        case .district: usual = "huyen"
        case .commune: usual = "xa"
        case .ward: usual = "phuong"
        case .town: usual = "thi tran"
        case .specialZone: usual = "dac khu"
        case .hamlet: usual = "thon"
        case .country: usual = "ca nuoc"
        }
        return TextFolding.fold(local) == usual
    }
}

/// Denominators an area may carry: non-negative counts, each optional.
public struct AreaAttributes: Hashable, Codable, Sendable {
    public var population: Int?
    /// People aged 15 and over.
    public var adults: Int?
    public var workingAge: Int?
    public var households: Int?

    public init(population: Int? = nil, adults: Int? = nil, workingAge: Int? = nil, households: Int? = nil) {
        self.population = population
        self.adults = adults
        self.workingAge = workingAge
        self.households = households
    }

    /// The attribute names as CSV columns and campaign denominators use them.
    public static let names = ["population", "adults", "working_age", "households"]

    /// The value of the attribute called `name` (one of `names`).
    public subscript(name: String) -> Int? {
        get {
            switch name {
            case "population": return population
            case "adults": return adults
            case "working_age": return workingAge
            case "households": return households
            default: return nil
            }
        }
        set {
            switch name {
            case "population": population = newValue
            case "adults": adults = newValue
            case "working_age": workingAge = newValue
            case "households": households = newValue
            default: break
            }
        }
    }
}

/// One row of an areas file, validated but not yet checked against the tree.
public struct AreaRow: Equatable, Sendable {
    public var line: Int
    public var code: String
    public var name: String
    public var level: AreaLevel
    public var localKind: String?
    public var parentCode: String?
    public var attributes: AreaAttributes
    /// Where the attributes come from (which census, which police count) and their date, when
    /// the file says (`source`, `as_of`).
    public var source: AreaSource?

    public init(line: Int, code: String, name: String, level: AreaLevel, localKind: String? = nil,
                parentCode: String? = nil, attributes: AreaAttributes = AreaAttributes(), source: AreaSource? = nil) {
        self.source = source
        self.line = line
        self.code = code
        self.name = name
        self.level = level
        self.localKind = localKind
        self.parentCode = parentCode
        self.attributes = attributes
    }
}

extension String {
    /// An area name without its administrative prefix ("Tỉnh Gia Lai" → "Gia Lai"), for paths.
    ///
    /// Compared as NFC bytes (names are stored NFC): a national report strips 10,000 commune
    /// names, and `hasPrefix` with character counts costs several times more.
    public var withoutAdministrativePrefix: String {
        var name = self
        return name.withUTF8 { bytes in
            for prefix in String.administrativePrefixes
            where bytes.count > prefix.count && bytes.starts(with: prefix) {
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[prefix.count...]), as: UTF8.self)
            }
            return self
        }
    }

    private static let administrativePrefixes: [[UInt8]] =
        ["Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ", "Đặc khu "]
        .map { Array($0.precomposedStringWithCanonicalMapping.utf8) }
}

/// Where an area's denominators come from: the source named in its areas file and its date.
public struct AreaSource: Hashable, Sendable, Codable {
    public var source: String?
    public var asOf: Day?

    public init(source: String?, asOf: Day?) {
        self.source = source
        self.asOf = asOf
    }

    /// "Công an xã Tân Phúc (01/10/2026)".
    public func text(_ l: Labels) -> String {
        let name = source ?? l["provenance.unnamed"]
        return asOf.map { "\(name) (\(l.date($0)))" } ?? name
    }
}
