import Foundation

/// Why one record of a bundle cannot be read (the bundle passed its checksum, so it was made
/// by another program or a buggy writer).
struct RecordError: Error, Equatable {
    var text: String
    init(_ text: String) { self.text = text }
}

/// Reads the values of one record in column order, with messages that name the column.
struct RecordFields {
    private let values: [BundleValue]
    private let columns: [String]
    private var at = 1

    /// `columns` includes the record type at position 0.
    init(_ values: [BundleValue], columns: [String]) throws {
        guard values.count == columns.count else {
            throw RecordError("\(columns[0]) records have \(columns.count - 1) fields, this one has \(values.count - 1)")
        }
        self.values = values
        self.columns = columns
    }

    private mutating func next() -> (BundleValue, String) {
        defer { at += 1 }
        return (values[at], columns[at])
    }

    private func describe(_ value: BundleValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .string(let s): return "\"\(s.prefix(40))\""
        }
    }

    mutating func optionalText() throws -> String? {
        let (v, name) = next()
        switch v {
        case .null: return nil
        case .string(let s): return s
        default: throw RecordError("column \"\(name)\": expected text or null, found \(describe(v))")
        }
    }

    /// A revision stamp: empty (never changed) or a UTC time as the workspace writes it,
    /// `2026-11-05T08:30:00.000Z` (seconds' fraction optional), so that stamps compare as text.
    mutating func revisionStamp() throws -> String {
        let name = columns[at]
        let stamp = try optionalText() ?? ""
        guard stamp.isEmpty || RevisionStamp.isWellFormed(stamp) else {
            throw RecordError("column \"\(name)\": not a revision stamp (a UTC time such as 2026-11-05T08:30:00.000Z)")
        }
        return stamp
    }

    mutating func text() throws -> String {
        let name = columns[at]
        guard let s = try optionalText(), !s.isEmpty else { throw RecordError("column \"\(name)\": must not be empty") }
        return s
    }

    mutating func optionalCount() throws -> Int? {
        let (v, name) = next()
        switch v {
        case .null: return nil
        case .int(let i) where SessionCount.allows(i): return i
        case .int(let i) where i > SessionCount.maximum:
            throw RecordError("column \"\(name)\": \(i) is more than the largest count (\(SessionCount.maximum))")
        default: throw RecordError("column \"\(name)\": expected a count (0 or more) or null, found \(describe(v))")
        }
    }

    mutating func count() throws -> Int {
        let name = columns[at]
        guard let n = try optionalCount() else { throw RecordError("column \"\(name)\": must not be null") }
        return n
    }

    mutating func bool() throws -> Bool {
        let (v, name) = next()
        guard case .bool(let b) = v else { throw RecordError("column \"\(name)\": expected true or false, found \(describe(v))") }
        return b
    }

    mutating func optionalDay() throws -> Day? {
        let name = columns[at]
        guard let s = try optionalText() else { return nil }
        guard s.utf8.count == 10, let day = Day(parsing: s), day.iso == s else {
            throw RecordError("column \"\(name)\": \"\(s.prefix(40))\" is not a date (YYYY-MM-DD)")
        }
        return day
    }

    mutating func day() throws -> Day {
        let name = columns[at]
        guard let d = try optionalDay() else { throw RecordError("column \"\(name)\": must not be null") }
        return d
    }

    mutating func optionalID() throws -> StableID? {
        let name = columns[at]
        guard let s = try optionalText() else { return nil }
        guard let bytes = SessionID.parse(s), SessionID.format(bytes) == s else {
            throw RecordError("column \"\(name)\": \"\(s.prefix(40))\" is not an id (a lower-case UUID)")
        }
        return StableID(bytes: bytes)
    }

    mutating func id() throws -> StableID {
        let name = columns[at]
        guard let id = try optionalID() else { throw RecordError("column \"\(name)\": must not be null") }
        return id
    }

    mutating func optionalPhone() throws -> Phone? {
        let name = columns[at]
        guard let s = try optionalText() else { return nil }
        guard let phone = Phone(digits: s) else { throw RecordError("column \"\(name)\": not a stored phone number") }
        return phone
    }

    /// A value of a closed list (a kind, a status, a role).
    mutating func choice<T: RawRepresentable>(_ type: T.Type) throws -> T where T.RawValue == String {
        let name = columns[at]
        let s = try text()
        guard let value = T(rawValue: s) else { throw RecordError("column \"\(name)\": \"\(s.prefix(40))\" is not a known value") }
        return value
    }
}

/// An area as a bundle carries it.
struct AreaRecord: Equatable {
    static let columns = ["area", "code", "name", "kind", "local_kind", "parent", "population", "adults",
                          "working_age", "households", "revised"]
    var code: String
    var name: String
    var level: AreaLevel
    var localKind: String?
    var parent: String?
    var attributes: AreaAttributes
    /// When it last changed in the exporting workspace; "" when never.
    var revised: String

    func encode(_ w: inout BundleLineWriter, revised withStamp: Bool = true) {
        w.begin(Self.columns[0])
        w.add(code); w.add(name); w.add(level.rawValue); w.add(localKind); w.add(parent)
        w.add(attributes.population); w.add(attributes.adults); w.add(attributes.workingAge); w.add(attributes.households)
        if withStamp { w.add(revised) }
        w.end()
    }
}

extension AreaRecord {
    /// Reads a record from its values, checking every field.
    init(_ values: [BundleValue]) throws {
        var f = try RecordFields(values, columns: Self.columns)
        code = try f.text()
        name = try f.text()
        level = try f.choice(AreaLevel.self)
        if level == .country { throw RecordError("column \"kind\": \"country\" is not a kind of stored area") }
        localKind = try f.optionalText()
        parent = try f.optionalText()
        attributes = AreaAttributes(population: try f.optionalCount(), adults: try f.optionalCount(),
                                    workingAge: try f.optionalCount(), households: try f.optionalCount())
        revised = try f.revisionStamp()
        if parent == code { throw RecordError("area \"\(code)\" is its own parent") }
    }
}

/// A team as a bundle carries it. `leaderPhone` is nil when the bundle was made without phones.
struct TeamRecord: Equatable {
    static let columns = ["team", "code", "name", "kind", "area", "leader", "leader_phone", "formed", "status",
                          "inactive_since", "revised"]
    var code: String
    var name: String
    var kind: TeamKind
    var area: String
    var leader: String?
    var leaderPhone: Phone?
    var formed: Day?
    var status: TeamStatus
    var inactiveSince: Day?
    var revised: String

    func encode(_ w: inout BundleLineWriter, revised withStamp: Bool = true) {
        w.begin(Self.columns[0])
        w.add(code); w.add(name); w.add(kind.rawValue); w.add(area); w.add(leader); w.add(leaderPhone?.digits)
        w.add(formed); w.add(status.rawValue); w.add(inactiveSince)
        if withStamp { w.add(revised) }
        w.end()
    }
}

extension TeamRecord {
    /// Reads a record from its values, checking every field.
    init(_ values: [BundleValue]) throws {
        var f = try RecordFields(values, columns: Self.columns)
        code = try f.text()
        name = try f.text()
        kind = try f.choice(TeamKind.self)
        area = try f.text()
        leader = try f.optionalText()
        leaderPhone = try f.optionalPhone()
        formed = try f.optionalDay()
        status = try f.choice(TeamStatus.self)
        inactiveSince = try f.optionalDay()
        revised = try f.revisionStamp()
    }
}

/// A team member as a bundle carries it. Without phones, `id` (derived from the phone) and
/// `phone` are both nil: the member is known by team, name and `namesake`.
struct MemberRecord: Equatable {
    static let columns = ["member", "id", "team", "name", "namesake", "phone", "role", "joined", "left", "revised"]
    var id: StableID?
    var team: String
    var name: String
    /// 1, or 2, 3 … for members of the same team with the same name (in the order of their ids in
    /// the exporting workspace): what tells namesakes apart in a bundle without phones.
    var namesake: Int = 1
    var phone: Phone?
    var role: MemberRole
    var joined: Day?
    var left: Day?
    var revised: String

    /// With `revised: false`, what two versions of the member compare: no stamp, no namesake rank.
    func encode(_ w: inout BundleLineWriter, revised withStamp: Bool = true) {
        w.begin(Self.columns[0])
        w.add(id); w.add(team); w.add(name)
        if withStamp { w.add(namesake) }
        w.add(phone?.digits); w.add(role.rawValue); w.add(joined); w.add(left)
        if withStamp { w.add(revised) }
        w.end()
    }

    /// Whether the member leads the team now.
    var isCurrentLeader: Bool { role == .leader && left == nil }
}

extension MemberRecord {
    /// Reads a record from its values, checking every field.
    init(_ values: [BundleValue]) throws {
        var f = try RecordFields(values, columns: Self.columns)
        id = try f.optionalID()
        team = try f.text()
        name = try f.text()
        namesake = try f.count()
        if namesake < 1 { throw RecordError("column \"namesake\": must be at least 1") }
        phone = try f.optionalPhone()
        role = try f.choice(MemberRole.self)
        joined = try f.optionalDay()
        left = try f.optionalDay()
        revised = try f.revisionStamp()
        if let joined, let left, left < joined { throw RecordError("member \"\(name)\" left before joining") }
    }
}

/// Why, when and by what a session was voided.
struct VoidRecord: Equatable {
    var day: Day
    var reason: String
    var replacedBy: StableID?

    /// The order in which two voids of one session are compared: the earlier one is kept.
    var order: (Int, String, String) { (day.number, reason, replacedBy?.uuidString ?? "") }
}

/// A session as a bundle carries it, with its void when it was voided.
struct SessionRecord: Equatable {
    static let columns = ["session", "id", "date", "area", "team", "logged_by"] + Metric.allCases.map(\.code)
        + ["notes", "key", "voided_on", "void_reason", "replaced_by"]
    /// The columns of format version 1, before sessions carried their row key.
    static let columnsV1 = columns.filter { $0 != "key" }
    var id: StableID
    var day: Day
    var area: String
    var team: String?
    var loggedBy: String?
    var metrics: MetricValues
    var notes: String?
    /// The row key of a session imported from a row without id (RowKey.swift): a merge treats
    /// a session with the key of one it holds under another id (imported before migration 6
    /// in one copy, after it in the other) as that session.
    var key: StableID? = nil
    var void: VoidRecord?

    func encode(_ w: inout BundleLineWriter) {
        w.begin(Self.columns[0])
        w.add(id); w.add(day); w.add(area); w.add(team); w.add(loggedBy)
        for v in metrics.values { w.add(v) }
        w.add(notes)
        w.add(key)
        w.add(void?.day); w.add(void?.reason); w.add(void?.replacedBy)
        w.end()
    }

    /// Whether `other` is the same session (everything but the void and the key, which a
    /// session imported before migration 6 may lack in one copy).
    func sameContent(as other: SessionRecord) -> Bool {
        id == other.id && day == other.day && area == other.area && team == other.team && loggedBy == other.loggedBy
            && metrics == other.metrics && notes == other.notes
    }
}

extension SessionRecord {
    /// Reads a record from its values, checking every field (format 1 records have no key).
    init(_ values: [BundleValue]) throws {
        let keyed = values.count != Self.columnsV1.count
        var f = try RecordFields(values, columns: keyed ? Self.columns : Self.columnsV1)
        id = try f.id()
        day = try f.day()
        area = try f.text()
        team = try f.optionalText()
        loggedBy = try f.optionalText()
        metrics = MetricValues()
        for i in 0..<MetricValues.width { metrics.values[i] = try f.optionalCount() }
        notes = try f.optionalText()
        key = keyed ? try f.optionalID() : nil
        let voided = try f.optionalDay()
        let reason = try f.optionalText()
        let replacement = try f.optionalID()
        switch (voided, reason) {
        case let (day?, reason?) where !reason.isEmpty:
            void = VoidRecord(day: day, reason: reason, replacedBy: replacement)
        case (nil, nil) where replacement == nil:
            void = nil
        default:
            throw RecordError("a void needs both \"voided_on\" and \"void_reason\"")
        }
    }
}

/// A count of a metric declared by a campaign, logged in a session.
struct SessionMetricRecord: Equatable {
    static let columns = ["session_metric", "session", "metric", "value"]
    var session: StableID
    var metric: String
    var value: Int

    func encode(_ w: inout BundleLineWriter) {
        w.begin(Self.columns[0])
        w.add(session); w.add(metric); w.add(value)
        w.end()
    }
}

extension SessionMetricRecord {
    /// Reads a record from its values, checking every field.
    init(_ values: [BundleValue]) throws {
        var f = try RecordFields(values, columns: Self.columns)
        session = try f.id()
        metric = try f.text()
        value = try f.count()
    }
}

/// A leaflet receipt or allocation as a bundle carries it.
struct MoveRecord: Equatable {
    static let columns = ["leaflet_move", "id", "date", "from", "to", "quantity", "batch", "allowed_negative"]
    var id: StableID
    var day: Day
    var from: String?
    var to: String
    var quantity: Int
    var batch: String?
    var allowedNegative: Bool

    func encode(_ w: inout BundleLineWriter) {
        w.begin(Self.columns[0])
        w.add(id); w.add(day); w.add(from); w.add(to); w.add(quantity); w.add(batch); w.add(allowedNegative)
        w.end()
    }
}

extension MoveRecord {
    /// Reads a record from its values, checking every field.
    init(_ values: [BundleValue]) throws {
        var f = try RecordFields(values, columns: Self.columns)
        id = try f.id()
        day = try f.day()
        from = try f.optionalText()
        to = try f.text()
        quantity = try f.count()
        batch = try f.optionalText()
        allowedNegative = try f.bool()
        if quantity < 1 { throw RecordError("column \"quantity\": must be at least 1") }
        if from == to { throw RecordError("leaflets moved from an area to itself") }
    }
}

/// The revision stamps of areas, teams and members (schema v4): when a row last changed, in UTC.
public enum RevisionStamp {
    /// How far after "now" a stamp may be before a merge refuses it: clocks differ a little
    /// (time zones set wrong, a phone's clock), but a stamp from the future would win every
    /// later merge of the row.
    public static let tolerance: TimeInterval = 24 * 60 * 60

    /// The latest stamp a merge at `now` accepts: `now` plus `tolerance`, as stamps are written.
    public static func latestAccepted(now: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: now.addingTimeInterval(tolerance))
    }

    /// Whether `stamp` is later than a merge at `now` accepts.
    public static func isTooFarAhead(_ stamp: String, now: Date) -> Bool {
        !stamp.isEmpty && stamp > latestAccepted(now: now)
    }

    /// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of digits, then `Z`.
    static func isWellFormed(_ stamp: String) -> Bool {
        let b = Array(stamp.utf8)
        guard b.count >= 20, b.count <= 40, b.last == UInt8(ascii: "Z") else { return false }
        let shape = Array("dddd-dd-ddTdd:dd:dd".utf8)
        for (i, c) in shape.enumerated() {
            if c == UInt8(ascii: "d") { guard b[i] >= 0x30 && b[i] <= 0x39 else { return false } } else if b[i] != c { return false }
        }
        let rest = b[shape.count..<(b.count - 1)]
        if rest.isEmpty { return true }
        return rest.first == UInt8(ascii: ".") && rest.count > 1 && rest.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

/// The state of a unit's figures for a period, as a bundle carries it (format 3): a merge keeps
/// the later of two states of one unit and period.
struct ApprovalRecord: Equatable {
    static let columns = ["approval", "area", "period", "state", "by", "at", "reason"]
    var area: String
    var period: Period
    var state: ApprovalRow.State
    var actor: String
    var stamp: String
    var reason: String?

    func encode(_ w: inout BundleLineWriter) {
        w.begin(Self.columns[0])
        w.add(area); w.add(period.description); w.add(state.rawValue); w.add(actor); w.add(stamp); w.add(reason)
        w.end()
    }

    init(area: String, period: Period, state: ApprovalRow.State, actor: String, stamp: String, reason: String?) {
        (self.area, self.period, self.state, self.actor, self.stamp, self.reason) = (area, period, state, actor, stamp, reason)
    }

    init(_ row: ApprovalRow) {
        self.init(area: row.code, period: row.period, state: row.state, actor: row.actor, stamp: row.stamp, reason: row.reason)
    }

    /// Reads a record from its values, checking every field.
    init(_ values: [BundleValue]) throws {
        var f = try RecordFields(values, columns: Self.columns)
        area = try f.text()
        let periodText = try f.text()
        guard let period = Period(parsing: periodText) else { throw RecordError("column \"period\": \"\(periodText)\" is not a period") }
        self.period = period
        let stateText = try f.text()
        guard let state = ApprovalRow.State(rawValue: stateText) else { throw RecordError("column \"state\": \"\(stateText)\" is not a state") }
        self.state = state
        actor = try f.text()
        stamp = try f.text()
        reason = try f.optionalText()
        if !RevisionStamp.isWellFormed(stamp) { throw RecordError("column \"at\": \"\(stamp)\" is not a UTC stamp") }
    }
}

/// An audit row, as a bundle carries it (format 3): a merge adds the rows it does not hold.
struct AuditRecord: Equatable {
    static let columns = ["audit", "id", "at", "by", "action", "table", "key", "area", "before", "after", "reason", "workspace"]
    var entry: AuditEntry

    func encode(_ w: inout BundleLineWriter) {
        w.begin(Self.columns[0])
        w.add(StableID(entry.id)); w.add(entry.stamp); w.add(entry.actor); w.add(entry.action.rawValue); w.add(entry.subject)
        w.add(entry.key); w.add(entry.area); w.add(entry.before); w.add(entry.after); w.add(entry.reason); w.add(entry.workspace)
        w.end()
    }

    init(entry: AuditEntry) { self.entry = entry }

    /// Reads a record from its values, checking every field.
    init(_ values: [BundleValue]) throws {
        var f = try RecordFields(values, columns: Self.columns)
        let id = try f.id()
        let stamp = try f.text()
        let actor = try f.text()
        let actionText = try f.text()
        guard let action = AuditAction(rawValue: actionText) else { throw RecordError("column \"action\": \"\(actionText)\" is not an action") }
        entry = AuditEntry(id: id.bytes.withUnsafeBytes { UUID(uuid: $0.load(as: uuid_t.self)) }, stamp: stamp, actor: actor, action: action, subject: try f.text(), key: try f.text(),
                           area: try f.optionalText(), before: try f.optionalText(), after: try f.optionalText(),
                           reason: try f.optionalText(), workspace: try f.optionalText())
        if !RevisionStamp.isWellFormed(stamp) { throw RecordError("column \"at\": \"\(stamp)\" is not a UTC stamp") }
    }
}
