import Foundation

/// Who is making the changes of the current task, and the campaigns whose periods close
/// themselves: set once by the command line (`--by`, `OUTREACH_USER`, the login name) or by
/// the server for each request (the signed-in account), read by every write of both engines.
public struct Recorder: Sendable {
    /// The name stored with every change and audit row.
    public var name: String
    /// Periods that close themselves (`lock_after_days` of the campaigns known to the caller).
    public var autoLocks: [AutoLock]
    /// The session rules of the campaigns known to the caller, checked on every session entered.
    public var sessionRules: [EntryRules]
    /// The clock of audit stamps.
    public var now: @Sendable () -> Date

    public init(name: String, autoLocks: [AutoLock] = [], sessionRules: [EntryRules] = [],
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.sessionRules = sessionRules
        self.name = name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? Recorder.fallbackName : name
        self.autoLocks = autoLocks
        self.now = now
    }

    /// The recorder of the current task: the login name, with no self-closing periods, unless
    /// a caller bound another with `Recorder.$current.withValue(…)`.
    @TaskLocal public static var current = Recorder(name: Recorder.fallbackName)

    /// `OUTREACH_USER`, else the login name (`USER`, `LOGNAME`, the account's), else "outreach".
    public static var fallbackName: String {
        let env = ProcessInfo.processInfo.environment
        for key in ["OUTREACH_USER", "USER", "LOGNAME"] {
            if let value = env[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name, !String(cString: name).isEmpty {
            return String(cString: name)
        }
        return "outreach"
    }

    /// A stamp of `now()`: ISO 8601 in UTC, to the millisecond.
    public func stamp() -> String { Recorder.stamp(now()) }

    public static func stamp(_ date: Date) -> String {
        // Written by hand: Foundation's ISO8601DateFormatter loads ICU, a few milliseconds of
        // every `log`.
        let ms = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let (day, hour, minute) = Timestamp(secondsSince1970: seconds).local(in: .utc)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        let milli = ms - seconds * 1000
        return "\(day.iso)T\(two(hour)):\(two(minute)):\(two(seconds % 60))."
            + (milli < 10 ? "00" : milli < 100 ? "0" : "") + "\(milli)Z"
    }
}

/// A campaign's periods that close themselves `days` after they end, in the subtree of `scope`
/// (`lock_after_days`).
public struct AutoLock: Sendable, Equatable {
    public var campaign: String
    public var scope: String
    public var start: Day
    public var end: Day
    public var kind: PeriodKind
    public var days: Int

    public init(campaign: Campaign) {
        self.campaign = campaign.id
        self.scope = campaign.scope
        self.start = campaign.start
        self.end = campaign.end
        self.kind = campaign.closing.approval
        self.days = campaign.closing.lockAfterDays ?? 0
    }

    /// The self-closing periods of the campaigns that set `lock_after_days`.
    public static func of(_ campaigns: [Campaign]) -> [AutoLock] {
        campaigns.filter { $0.closing.lockAfterDays != nil }.map(AutoLock.init)
    }

    /// Whether the period holding `day` has closed itself by `today`.
    func closes(_ day: Day, today: Day) -> Period? {
        guard start <= day, day <= end else { return nil }
        let period = Period(kind, containing: day)
        return today > period.end.adding(days: days) ? period : nil
    }
}
