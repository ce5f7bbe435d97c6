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
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            let v = scalar.value
            if (0x0300...0x036F).contains(v) { continue }
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            switch v {
            case 0x0110, 0x0111: out.append("d")
            default:
                for lower in scalar.properties.lowercaseMapping.unicodeScalars { out.append(lower) }
            }
        }
        return String(out)
    }

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
        text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
