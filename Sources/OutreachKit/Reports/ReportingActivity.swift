/// One area's own live (not voided) sessions over some days, as the storage seam reads them for
/// completeness and the chase list: a plain `GROUP BY` over the days, no tree walk.
public struct ReportingActivity: Equatable, Sendable {
    /// Live sessions logged for the area itself.
    public var sessions: Int
    /// The day of the earliest and of the latest of them.
    public var firstDay: Day
    public var lastDay: Day
    /// The earliest moment one of them was recorded: `session.recorded`, else its import's time;
    /// nil when none of them has either.
    public var firstRecorded: Timestamp?
    /// How many of them have neither a recorded time nor an import's (older rows): they count
    /// as recorded on time.
    public var unrecorded: Int

    public init(sessions: Int, firstDay: Day, lastDay: Day, firstRecorded: Timestamp? = nil, unrecorded: Int = 0) {
        self.sessions = sessions
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.firstRecorded = firstRecorded
        self.unrecorded = unrecorded
    }

    /// Whether the area's first report came in by the end of `deadline`, a day in Vietnam
    /// (UTC+7): a session recorded at an unknown time counts as on time.
    public func onTime(deadline: Day) -> Bool {
        if unrecorded > 0 { return true }
        guard let firstRecorded else { return true }
        return firstRecorded.local(in: .vietnam).day <= deadline
    }
}
