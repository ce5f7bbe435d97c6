import Foundation

/// Forms of Vietnamese text used for matching what people type.
public enum TextFolding {
    /// Lower-case, accent-free, `đ` → `d`, single spaces: the key that `areas find` matches on.
    ///
    /// Foundation's diacritic folding leaves `đ`/`Đ` alone (they are letters, not marks), so the
    /// fold is done by hand on the canonical decomposition.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            if v < 0x80 {
                out.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v + 32)! : scalar)
            } else {
                out.append(contentsOf: foldedScalars(scalar))
            }
        }
        return String(out)
    }

    /// The folded form of one non-ASCII scalar: marks dropped, `đ` → `d`, lower-cased.
    private static func foldedScalars(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let v = scalar.value
        if (0x0300...0x036F).contains(v) { return [] }
        if v == 0x0110 || v == 0x0111 { return ["d"] }
        // Vietnamese letters live in Latin-1, Latin Extended-A/B and Latin Extended Additional:
        // decompose those through a table built once, everything else on the fly.
        if v < 0x1F00, let cached = latinFolds[v] { return cached }
        return fold(decomposing: scalar)
    }

    private static func fold(decomposing scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for s in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
        where !(0x0300...0x036F).contains(s.value) {
            if s.value == 0x0110 || s.value == 0x0111 { out.append("d"); continue }
            out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
        }
        return out
    }

    private static let latinFolds: [UInt32: [Unicode.Scalar]] = {
        var table: [UInt32: [Unicode.Scalar]] = [:]
        for v in UInt32(0x80)..<0x250 { if let s = Unicode.Scalar(v) { table[v] = fold(decomposing: s) } }
        for v in UInt32(0x1E00)..<0x1F00 { if let s = Unicode.Scalar(v) { table[v] = fold(decomposing: s) } }
        return table
    }()

    /// Lower-case text with every tone mark moved to the end of its word, so that the old and new
    /// tone placements (`hoà` and `hòa`) compare equal while vowel marks (`ơ`, `â`) still count.
    public static func toneKey(_ text: String) -> String {
        let tones: Set<UInt32> = [0x0300, 0x0301, 0x0303, 0x0309, 0x0323]
        var out = String.UnicodeScalarView()
        var wordTones: [Unicode.Scalar] = []
        func endWord() { out.append(contentsOf: wordTones); wordTones.removeAll() }
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if tones.contains(scalar.value) {
                wordTones.append(scalar)
            } else if scalar.properties.isWhitespace {
                endWord()
                out.append(" ")
            } else {
                out.append(scalar)
            }
        }
        endWord()
        return String(out).split(separator: " ").joined(separator: " ")
    }

    /// NFC-normalised text with surrounding white space removed: how names are stored.
    public static func normalizedName(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var needsWork = false
        if let first = scalars.first, let last = scalars.last {
            needsWork = first.properties.isWhitespace || last.properties.isWhitespace
        }
        // Combining marks (U+0300–U+036F) are the bytes CC/CD in UTF-8: without them a
        // Vietnamese name is already NFC, and Foundation's normalisation can be skipped.
        if !needsWork { needsWork = text.utf8.contains { $0 == 0xCC || $0 == 0xCD || $0 == 0xE2 } }
        guard needsWork else { return text }
        return text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }

}
