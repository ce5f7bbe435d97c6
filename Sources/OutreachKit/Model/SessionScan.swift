/// Which live sessions a scan reads (`WorkspaceStore.scanSessions`), and which of their counts.
public struct SessionScan: Sendable, Equatable {
    /// The area whose subtree's sessions are read (every area when nil).
    public var under: String?
    /// The first and last day read, both included.
    public var from: Day
    public var through: Day
    /// The metric codes (built-in or declared by a campaign) whose counts are read, in the order
    /// `ScannedSession.values` holds them.
    public var metrics: [String]

    public init(under: String?, from: Day, through: Day, metrics: [String]) {
        self.under = under
        self.from = from
        self.through = through
        self.metrics = metrics
    }
}

/// One live session as a scan reads it: numbers only, no `String` per session, so that a scan
/// of a whole country's million sessions costs what reading them costs.
public struct ScannedSession: Sendable, Equatable {
    /// The session's row id in its engine: the order it was stored in, the tie-break after the day.
    public var row: Int64
    /// The session's UUID, its 16 bytes as two big-endian halves.
    public var uuidHigh: UInt64
    public var uuidLow: UInt64
    public var day: Day
    /// The area's database id (`AreaTree.Node.id`).
    public var area: Int64
    /// The team's database id, if any.
    public var team: Int64?
    /// The counts of `SessionScan.metrics`, in that order; nil where nothing was recorded.
    public var values: [Int?]

    public init(row: Int64, uuidHigh: UInt64, uuidLow: UInt64, day: Day, area: Int64, team: Int64?, values: [Int?]) {
        self.row = row
        self.uuidHigh = uuidHigh
        self.uuidLow = uuidLow
        self.day = day
        self.area = area
        self.team = team
        self.values = values
    }

    /// The session's id as every listing shows it (lower-case UUID).
    public var id: String { SessionID.format(ScannedSession.bytes(high: uuidHigh, low: uuidLow)) }

    /// The two halves of a UUID's 16 bytes (`bytes` holds at least 16).
    static func halves(_ bytes: UnsafeRawPointer) -> (UInt64, UInt64) {
        (UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)), UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    static func bytes(high: UInt64, low: UInt64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            out[i] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(i)))
            out[8 + i] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(i)))
        }
        return out
    }
}
