import Foundation

extension ApprovalTable {
    /// The states in `format`: the table speaks the language of `labels` (Vietnam time); CSV
    /// and JSON keep the period, state words and stamps as stored.
    public func rendered(as format: OutputFormat, labels l: Labels) throws -> String {
        switch format {
        case .table:
            return TextTable.render(
                [TableColumn(l["closing.col.period"]), TableColumn(l["closing.col.unit"]), TableColumn(l["closing.col.state"]),
                 TableColumn(l["closing.col.by"]), TableColumn(l["closing.col.when"]), TableColumn(l["closing.col.reason"])],
                lines.map { line in
                    [line.period.text(l), String(repeating: "  ", count: line.depth) + "\(line.name) (\(line.code))", line.state.text(l),
                     line.actor ?? "", line.stamp.map { l.time(utc: $0) } ?? "", line.reason ?? ""]
                })
        case .csv:
            return CSVWriter.render(header: ["period", "code", "name", "level", "state", "by", "at", "reason"], rows: lines.map { line in
                [line.period.description, line.code, line.name, line.level.rawValue, line.state.word, line.actor ?? "",
                 line.stamp ?? "", line.reason ?? ""]
            })
        case .json:
            return try JSONOutput.render(lines.map { line in
                JSONLine(period: line.period.description, code: line.code, name: line.name, level: line.level.rawValue,
                         state: line.state.word, by: line.actor, at: line.stamp, reason: line.reason)
            })
        }
    }

    private struct JSONLine: Encodable {
        var period, code, name, level, state: String
        var by, at, reason: String?
    }
}

/// The audit trail as `outreach audit` and the web show it.
public struct AuditListing: Sendable {
    public var entries: [AuditEntry]

    public init(entries: [AuditEntry]) { self.entries = entries }

    /// The rows in `format`: the table in Vietnam time and the language of `labels`; CSV and
    /// JSON keep the UTC stamps and the stored JSON of the values.
    public func rendered(as format: OutputFormat, labels l: Labels) throws -> String {
        switch format {
        case .table:
            if entries.isEmpty { return l["audit.none"] + "\n" }
            return TextTable.render(
                [TableColumn(l["audit.col.when"]), TableColumn(l["audit.col.by"]), TableColumn(l["audit.col.action"]),
                 TableColumn(l["audit.col.what"]), TableColumn(l["audit.col.change"]), TableColumn(l["audit.col.reason"])],
                entries.map { e in
                    [l.time(utc: e.stamp), e.actor, AuditListing.action(e.action, l), "\(e.subject) \(e.key)",
                     AuditListing.change(e), e.reason ?? ""]
                })
        case .csv:
            return CSVWriter.render(header: ["at", "by", "action", "table", "key", "area", "before", "after", "reason", "workspace", "id"],
                                    rows: entries.map { e in
                [e.stamp, e.actor, e.action.rawValue, e.subject, e.key, e.area ?? "", e.before ?? "", e.after ?? "", e.reason ?? "",
                 e.workspace ?? "", e.id.uuidString.lowercased()]
            })
        case .json:
            return try JSONOutput.render(entries.map { e in
                JSONEntry(id: e.id.uuidString.lowercased(), at: e.stamp, by: e.actor, action: e.action.rawValue, table: e.subject,
                          key: e.key, area: e.area, before: AuditListing.object(e.before), after: AuditListing.object(e.after),
                          reason: e.reason, workspace: e.workspace)
            })
        }
    }

    /// What people read for an action ("chốt số liệu", "huỷ buổi").
    public static func action(_ action: AuditAction, _ l: Labels) -> String {
        l["audit.action." + action.rawValue]
    }

    /// "old → new" of the values that differ (or the new values of an addition).
    public static func change(_ e: AuditEntry) -> String {
        let before = flat(e.before)
        let after = flat(e.after)
        let keys = Set(before.keys).union(after.keys).sorted()
        return keys.compactMap { key in
            let (b, a) = (before[key], after[key])
            if b == a { return nil }
            switch (b, a) {
            case let (b?, a?): return "\(key): \(b) → \(a)"
            case let (nil, a?): return "\(key)=\(a)"
            case let (b?, nil): return "\(key): \(b) → –"
            default: return nil
            }
        }.joined(separator: "; ")
    }

    private static func flat(_ json: String?) -> [String: String] {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case is NSNull: continue
            case let list as [Any]:
                // A long list (the codes a file added) is shown by its first codes and its length.
                let shown = list.prefix(3).map { "\($0)" }.joined(separator: ",")
                out[key] = list.count > 3 ? "\(shown)… (\(list.count))" : shown
            default: out[key] = "\(value)"
            }
        }
        return out
    }

    private static func object(_ json: String?) -> JSONValue? {
        guard let json, let data = json.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: data)
    }

    private struct JSONEntry: Encodable {
        var id, at, by, action, table, key: String
        var area: String?
        var before, after: JSONValue?
        var reason, workspace: String?
    }
}

/// Any JSON value, to carry stored JSON objects inside printed JSON as objects.
indirect enum JSONValue: Codable, Equatable, Sendable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .number(n): if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }
}
