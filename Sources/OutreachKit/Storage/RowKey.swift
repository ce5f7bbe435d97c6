import Crypto
import Foundation

/// The key of a sessions.csv row without an `id`: what makes a resent or re-saved sheet count
/// once (stored in `session.row_key`, carried by bundles).
///
/// It is made from the row's normalised content, so Excel's re-saves do not change it (line
/// endings, `;` or `,`, a BOM, `1.010` or `1010`, `05/11/2026` or `2026-11-05`): the day, the
/// area and team codes, `logged_by`, every metric as an integer (an empty cell, not recorded,
/// differs from `0`), the campaign metrics' counts by code, and the notes (NFC, trimmed),
/// exactly as the session stores them. The content's SHA-256 is the key of its first
/// occurrence in a file; the n-th identical row of the same file (n ≥ 1) gets the SHA-256 of
/// that digest and n, so two identical sessions of one sheet are both kept and a resend brings
/// none of them again. 16 bytes laid out as a version 8 UUID (RFC 9562); a new row without id
/// also takes its key as its session id.
struct RowKeyContent {
    /// The canonical bytes: each field as its length, `:`, its bytes (so no field can run into
    /// the next), after a version tag.
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(256)
        start()
    }

    /// Starts a new row.
    mutating func start() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: "outreach-row-key-1;".utf8)
    }

    mutating func add(_ field: UnsafeBufferPointer<UInt8>) {
        addLength(field.count)
        bytes.append(contentsOf: field)
    }

    /// An area or team code as stored (NFC): a code typed in decomposed Vietnamese letters, which
    /// the lookup still finds, keys as the stored code does. ASCII codes, nearly all, go as read.
    mutating func add(code field: UnsafeBufferPointer<UInt8>) {
        guard field.contains(where: { $0 >= 0x80 }) else { return add(field) }
        add(String(decoding: field, as: UTF8.self).precomposedStringWithCanonicalMapping)
    }

    mutating func add(_ text: String?) {
        guard var text else { addLength(0); return }
        text.withUTF8 { add($0) }
    }

    /// A count (nil: not recorded, which differs from 0) or a day number.
    mutating func add(count: Int?) {
        guard let count else { bytes.append(UInt8(ascii: "-")); bytes.append(UInt8(ascii: ";")); return }
        var digits = String(count)
        digits.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: ";"))
    }

    private mutating func addLength(_ n: Int) {
        add(count: n)
        bytes[bytes.count - 1] = UInt8(ascii: ":")
    }

    /// The whole content of a session, in the order every caller uses: `campaign` holds the
    /// recorded counts of campaign metrics, sorted by code.
    static func of(day: Int, area: String, team: String?, loggedBy: String?, metrics: [Int?],
                   campaign: [(String, Int)], notes: String?) -> RowKeyContent {
        var c = RowKeyContent()
        c.add(count: day)
        c.add(area)
        c.add(team)
        c.add(loggedBy)
        for v in metrics { c.add(count: v) }
        c.add(count: campaign.count)
        for (code, value) in campaign { c.add(code); c.add(count: value) }
        c.add(notes)
        return c
    }

    /// The content's SHA-256.
    func digest() -> SHA256Digest { bytes.withUnsafeBytes { SHA256.hash(data: $0) } }
}

enum RowKey {
    /// The first 8 bytes of a content digest, never 0: what the per-file table of occurrences keeps.
    static func fingerprint(_ digest: SHA256Digest) -> UInt64 {
        let f = digest.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        return f == 0 ? 1 : f
    }

    /// The key of the `occurrence`-th row (from 0) of a file with the content of `digest`.
    static func key(_ digest: SHA256Digest, occurrence: Int, into out: UnsafeMutablePointer<UInt8>) {
        if occurrence == 0 {
            digest.withUnsafeBytes { d in for i in 0..<16 { out[i] = d[i] } }
        } else {
            var input = Array(digest)
            input.append(UInt8(ascii: "#"))
            var n = UInt64(occurrence).bigEndian
            withUnsafeBytes(of: &n) { input.append(contentsOf: $0) }
            SHA256.hash(data: input).withUnsafeBytes { d in for i in 0..<16 { out[i] = d[i] } }
        }
        out[6] = (out[6] & 0x0F) | 0x80
        out[8] = (out[8] & 0x3F) | 0x80
    }

    /// The key as bytes.
    static func key(_ digest: SHA256Digest, occurrence: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        out.withUnsafeMutableBufferPointer { key(digest, occurrence: occurrence, into: $0.baseAddress!) }
        return out
    }

    /// Whether 16 bytes have the version 8 layout every derived session id has (ids of rows
    /// without id before migration 6 and keys since; ids made by `log` are version 4).
    static func isDerivedLayout(_ id: [UInt8]) -> Bool {
        id.count == 16 && id[6] & 0xF0 == 0x80 && id[8] & 0xC0 == 0x80
    }
}

/// How many times each row content was met in the file being read: an open-addressing table of
/// 8-byte fingerprints (8 bytes a slot, at most half full: a million rows without id take
/// 16 MB), the rare repeated contents counted in a small dictionary beside it.
struct OccurrenceTable {
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int
    private var count = 0
    /// Earlier occurrences of the contents met more than once.
    private var repeats: [UInt64: Int] = [:]

    init(capacity: Int = 1 << 12) {
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    func deallocate() { slots.deallocate() }

    /// How many rows with this fingerprint came before, counting this one for the next.
    mutating func next(_ fingerprint: UInt64) -> Int {
        if 2 * (count + 1) > mask + 1 { grow() }
        var i = Int(truncatingIfNeeded: fingerprint) & mask
        while slots[i] != 0 {
            if slots[i] == fingerprint {
                let n = (repeats[fingerprint] ?? 0) + 1
                repeats[fingerprint] = n
                return n
            }
            i = (i + 1) & mask
        }
        slots[i] = fingerprint
        count += 1
        return 0
    }

    private mutating func grow() {
        let old = slots, oldCapacity = mask + 1
        let capacity = 2 * oldCapacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        mask = capacity - 1
        for j in 0..<oldCapacity where old[j] != 0 {
            var i = Int(truncatingIfNeeded: old[j]) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = old[j]
        }
        old.deallocate()
    }
}

extension RowKeyContent {
    /// A text cell as the session stores it (absent: empty).
    mutating func add(_ field: TextField) {
        switch field {
        case .absent: addLength(0)
        case .raw(let bytes): add(bytes)
        case .normalized(let text): add(text)
        }
    }
}
