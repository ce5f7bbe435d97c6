import Foundation
import Testing
@testable import OutreachKit

/// The audit rows' JSON, written without Foundation's writer, says what `JSONSerialization`
/// said (sorted keys, slashes unescaped): the rows written before read the same.
@Suite("audit JSON")
struct AuditJSONTests {
    static func foundation(_ values: [String: AuditValue]) throws -> String {
        var object: [String: Any] = [:]
        for (key, value) in values {
            switch value {
            case let .text(t): object[key] = t ?? NSNull()
            case let .int(n): object[key] = n.map { $0 as Any } ?? NSNull()
            case let .list(l): object[key] = l
            }
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
                      as: UTF8.self)
    }

    @Test("a session's audit values, with quotes, backslashes, slashes, control characters, Vietnamese and nulls")
    func sameAsFoundation() throws {
        let cases: [[String: AuditValue]] = [
            [:],
            ["date": .text("2026-11-20"), "area": .text("29185"), "team": .text(nil), "logged_by": .text("lan"),
             "notes": .text("Ấp 3 \"Bà Tư\" c:\\tmp a/b\nline\ttab\r\u{08}\u{0C}\u{01}\u{1F}"), "eid_l2": .int(3), "bank_account": .int(nil),
             "people_reached": .int(-12), "vneid_kich_hoat": .int(7)],
            ["added": .int(4), "rows": .list(["a", "b/\"c\"", ""]), "already_present": .list([])],
            ["voided": .int(1)],
        ]
        for values in cases {
            #expect(AuditValue.json(values) == (try Self.foundation(values)))
        }
    }
}
