import Foundation

/// Codes (of areas, of teams) numbered 0, 1, 2 … in the order added, found again from their
/// UTF-8 bytes: every code's bytes end to end in one buffer, and an open-addressing hash table
/// of 32-bit positions at most half full.
///
/// Codes are compared as Swift compares strings, by canonical equivalence: a code with
/// non-ASCII bytes is kept in NFC, and a lookup that misses with non-ASCII bytes is tried
/// again in NFC (a sheet saved with decomposed Vietnamese letters still finds its team).
///
/// A national tree's 111,367 area codes take about 2.5 MB here, its 221,198 team codes about
/// 5 MB; a `[String: …]` dictionary of the same codes took 20–35 MB, and a lookup needed a
/// `String` made from the file's bytes first.
struct CodeIndex {
    /// Every code's bytes, end to end.
    private var bytes: [UInt8] = []
    /// Where code `i` ends in `bytes` (it starts where code `i - 1` ends).
    private var ends: [UInt32] = []
    /// 1 + a code's number, or 0 for an empty slot.
    private var slots: [UInt32]
    private var mask: Int

    init(capacity: Int = 0) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
        ends.reserveCapacity(capacity)
    }

    /// How many codes there are.
    var count: Int { ends.count }

    /// Adds `code` as number `count` and returns that number. Codes come from a UNIQUE
    /// column: a code added twice is found as its first number.
    @discardableResult
    mutating func add(_ code: UnsafeBufferPointer<UInt8>) -> Int {
        if let nfc = CodeIndex.nfc(code) {
            var nfc = nfc
            return nfc.withUTF8 { insert($0) }
        }
        return insert(code)
    }

    private mutating func insert(_ code: UnsafeBufferPointer<UInt8>) -> Int {
        if 2 * (count + 1) > slots.count { rehash(size: 2 * slots.count) }
        let number = count
        bytes.append(contentsOf: code)
        ends.append(UInt32(bytes.count))
        var i = CodeIndex.hash(code) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = UInt32(number + 1)
        return number
    }

    /// Adds `code` as number `count` and returns that number.
    @discardableResult
    mutating func add(_ code: String) -> Int {
        var code = code
        return code.withUTF8 { add($0) }
    }

    /// The number of the code whose bytes are `code`, if there is one.
    @inline(__always)
    func index(of code: UnsafeBufferPointer<UInt8>) -> Int? {
        if let found = find(code) { return found }
        guard var nfc = CodeIndex.nfc(code) else { return nil }
        return nfc.withUTF8 { find($0) }
    }

    @inline(__always)
    private func find(_ code: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = CodeIndex.hash(code) & mask
        while true {
            let slot = Int(slots[i])
            if slot == 0 { return nil }
            if equals(slot - 1, code) { return slot - 1 }
            i = (i + 1) & mask
        }
    }

    /// The number of `code`, if it is known.
    func index(of code: String) -> Int? {
        var code = code
        return code.withUTF8 { index(of: $0) }
    }

    /// Code number `i`.
    func code(_ i: Int) -> String {
        let start = i == 0 ? 0 : Int(ends[i - 1])
        return String(decoding: bytes[start..<Int(ends[i])], as: UTF8.self)
    }

    @inline(__always)
    private func equals(_ i: Int, _ code: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = i == 0 ? 0 : Int(ends[i - 1])
        let end = Int(ends[i])
        guard end - start == code.count else { return false }
        return bytes.withUnsafeBufferPointer { stored in
            guard let base = code.baseAddress else { return true }
            return memcmp(stored.baseAddress! + start, base, code.count) == 0
        }
    }

    private mutating func rehash(size: Int) {
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
        var start = 0
        bytes.withUnsafeBufferPointer { all in
            for n in 0..<ends.count {
                let end = Int(ends[n])
                var i = CodeIndex.hash(UnsafeBufferPointer(rebasing: all[start..<end])) & mask
                while slots[i] != 0 { i = (i + 1) & mask }
                slots[i] = UInt32(n + 1)
                start = end
            }
        }
    }

    /// `code` in NFC when it has non-ASCII bytes and NFC differs from it; nil otherwise.
    private static func nfc(_ code: UnsafeBufferPointer<UInt8>) -> String? {
        guard code.contains(where: { $0 >= 0x80 }) else { return nil }
        let text = String(decoding: code, as: UTF8.self)
        let nfc = text.precomposedStringWithCanonicalMapping
        return nfc.utf8.elementsEqual(code) ? nil : nfc
    }

    /// FNV-1a over the bytes, then mixed so that codes differing in their last digit spread out.
    @inline(__always)
    private static func hash(_ code: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in code { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h ^= h >> 29
        h &*= 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }
}

/// The facts every area's sessions are checked against (id, commune, denominators), found by
/// the code's bytes as read from a file. Struct-of-arrays: 40 bytes an area besides its code.
struct AreaFactsTable {
    private(set) var codes: CodeIndex
    /// Sorted by id (the table is read in id order), so a parent is found by binary search.
    private var ids: [Int64] = []
    /// The commune-level area that is the area or contains it; 0 for none.
    private var communes: [Int64] = []
    /// Each area's parent id (0: none), by position; set by `resolveCommunes`.
    private var parents: [Int64] = []
    private var adults: [Int] = []
    private var population: [Int] = []
    private var households: [Int] = []
    private var workingAge: [Int] = []
    /// A denominator the area does not have.
    static let none = Int.min

    /// An empty table for `n` areas, filled by `add` in id order, then `resolveCommunes`.
    init(capacity n: Int) {
        codes = CodeIndex(capacity: n)
        ids.reserveCapacity(n)
        adults.reserveCapacity(n)
        population.reserveCapacity(n)
        households.reserveCapacity(n)
        workingAge.reserveCapacity(n)
    }

    /// Adds an area (in increasing id order); nil denominators are those it does not have.
    mutating func add(id: Int64, code: UnsafeBufferPointer<UInt8>, adults: Int?, population: Int?, households: Int?,
                      workingAge: Int?) {
        ids.append(id)
        codes.add(code)
        self.adults.append(adults ?? AreaFactsTable.none)
        self.population.append(population ?? AreaFactsTable.none)
        self.households.append(households ?? AreaFactsTable.none)
        self.workingAge.append(workingAge ?? AreaFactsTable.none)
    }

    /// Finds each area's commune: itself or the nearest commune-level ancestor (64 steps at
    /// most, against a loop in a damaged tree). `parents` (0: none) and `communeLevel` are by
    /// position, as the areas were added.
    mutating func resolveCommunes(parents: [Int64], communeLevel: [Bool]) {
        self.parents = parents
        communes = [Int64](repeating: 0, count: ids.count)
        for start in ids.indices {
            var at: Int? = start
            var steps = 0
            while let i = at, steps < 64 {
                if communeLevel[i] { communes[start] = ids[i]; break }
                at = position(of: parents[i])
                steps += 1
            }
        }
    }

    /// How many areas there are.
    var count: Int { ids.count }

    /// The position of the area whose id is `id`.
    func position(of id: Int64) -> Int? {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < ids.count && ids[lo] == id ? lo : nil
    }

    /// Whether the area `id` is `top` or lies under it (64 steps at most).
    func isWithin(_ id: Int64, under top: Int64) -> Bool {
        var at = id
        for _ in 0..<64 {
            if at == top { return true }
            guard let i = position(of: at), i < parents.count, parents[i] != 0 else { return false }
            at = parents[i]
        }
        return false
    }

    /// The id of the area whose code is `code`.
    func id(ofCode code: String) -> Int64? { codes.index(of: code).map { ids[$0] } }

    /// The commune of the area whose id is `id` (nil: none, or no such area).
    func commune(ofID id: Int64) -> Int64? {
        guard let i = position(of: id), communes[i] != 0 else { return nil }
        return communes[i]
    }

    /// The facts of the area at `position`.
    func facts(at i: Int) -> AreaFacts {
        func denominator(_ v: Int) -> Int? { v == AreaFactsTable.none ? nil : v }
        return AreaFacts(id: ids[i], communeID: communes[i] == 0 ? nil : communes[i], adults: denominator(adults[i]),
                         population: denominator(population[i]), households: denominator(households[i]),
                         workingAge: denominator(workingAge[i]))
    }

    /// The facts of the area whose code is `code` (its bytes, as read).
    @inline(__always)
    subscript(code: UnsafeBufferPointer<UInt8>) -> AreaFacts? {
        codes.index(of: code).map(facts(at:))
    }

    /// The facts of the area whose code is `code`.
    subscript(code: String) -> AreaFacts? {
        codes.index(of: code).map(facts(at:))
    }
}

/// The facts sessions are checked against for every team (id, commune, status), found by the
/// code's bytes as read from a file: 17 bytes a team besides its code.
struct TeamFactsTable {
    private(set) var codes: CodeIndex
    private var ids: [Int64] = []
    /// The commune of the team's area; 0 for none.
    private var communes: [Int64] = []
    private var active: [Bool] = []

    /// An empty table for `n` teams, filled by `add`.
    init(capacity n: Int) {
        codes = CodeIndex(capacity: n)
        ids.reserveCapacity(n)
        communes.reserveCapacity(n)
        active.reserveCapacity(n)
    }

    /// Adds a team; `commune` is its area's commune (nil: none).
    mutating func add(id: Int64, code: UnsafeBufferPointer<UInt8>, commune: Int64?, active: Bool) {
        ids.append(id)
        codes.add(code)
        communes.append(commune ?? 0)
        self.active.append(active)
    }

    /// How many teams there are.
    var count: Int { ids.count }

    /// The facts of the team whose code is `code` (its bytes, as read).
    @inline(__always)
    subscript(code: UnsafeBufferPointer<UInt8>) -> TeamFacts? {
        guard let i = codes.index(of: code) else { return nil }
        return TeamFacts(id: ids[i], code: String(decoding: code, as: UTF8.self), communeID: communes[i] == 0 ? nil : communes[i],
                         active: active[i])
    }

    /// The facts of the team whose code is `code`.
    subscript(code: String) -> TeamFacts? {
        var code = code
        return code.withUTF8 { self[$0] }
    }
}
