import Foundation

/// How a campaign's figures are closed (`approval`, `lock_after_days`, `report_deadline_days`
/// in its file).
public struct ClosingRules: Equatable, Sendable {
    /// The period figures are closed and accepted by: a month unless the file says `quarter`.
    public var approval: PeriodKind
    /// Days after its end a period closes itself unless a unit was reopened; nil: never.
    public var lockAfterDays: Int?
    /// Days after its end by which a hamlet's first session of a period counts as on time.
    public var reportDeadlineDays: Int

    public init(approval: PeriodKind = .month, lockAfterDays: Int? = nil, reportDeadlineDays: Int = 5) {
        self.approval = approval
        self.lockAfterDays = lockAfterDays
        self.reportDeadlineDays = reportDeadlineDays
    }
}

extension ClosingRules {
    /// "theo tháng; tự khoá 15 ngày sau kỳ; hạn báo cáo 5 ngày sau kỳ".
    public func text(_ l: Labels) -> String {
        [l["closing.kind." + approval.rawValue],
         lockAfterDays.map { l("closing.rules.lock_after", ["days": String($0)]) } ?? l["closing.rules.no_lock"],
         l("closing.rules.deadline", ["days": String(reportDeadlineDays)])].joined(separator: "; ")
    }
}

/// The length of an approval period.
public enum PeriodKind: String, Sendable, CaseIterable {
    case month
    case quarter
}

/// A reporting period: a calendar month (`2026-11`) or quarter (`2026-Q4`).
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    /// The month 1…12, or the quarter 1…4.
    public var number: Int
    public var kind: PeriodKind

    public init(year: Int, month: Int) {
        (self.year, self.number, self.kind) = (year, month, .month)
    }

    public init(year: Int, quarter: Int) {
        (self.year, self.number, self.kind) = (year, quarter, .quarter)
    }

    /// The period of `kind` that holds `day`.
    public init(_ kind: PeriodKind, containing day: Day) {
        let (y, m, _) = day.components
        switch kind {
        case .month: self.init(year: y, month: m)
        case .quarter: self.init(year: y, quarter: (m - 1) / 3 + 1)
        }
    }

    /// Reads `2026-11`, `11/2026`, `2026-Q4`, `Q4/2026` (case and spaces aside); nil otherwise.
    public init?(parsing raw: String) {
        let text = raw.trimmingCharacters(in: .whitespaces).uppercased()
        func number(_ s: Substring) -> Int? { s.allSatisfy(\.isASCII) ? Int(s) : nil }
        if let dash = text.firstIndex(of: "-") {
            let (a, b) = (text[..<dash], text[text.index(after: dash)...])
            guard a.count == 4, let y = number(a) else { return nil }
            if b.hasPrefix("Q") {
                guard b.count == 2, let q = number(b.dropFirst()), (1...4).contains(q) else { return nil }
                self.init(year: y, quarter: q)
            } else {
                guard (1...2).contains(b.count), let m = number(b), (1...12).contains(m) else { return nil }
                self.init(year: y, month: m)
            }
        } else if let slash = text.firstIndex(of: "/") {
            let (a, b) = (text[..<slash], text[text.index(after: slash)...])
            guard b.count == 4, let y = number(b) else { return nil }
            if a.hasPrefix("Q") {
                guard a.count == 2, let q = number(a.dropFirst()), (1...4).contains(q) else { return nil }
                self.init(year: y, quarter: q)
            } else {
                guard (1...2).contains(a.count), let m = number(a), (1...12).contains(m) else { return nil }
                self.init(year: y, month: m)
            }
        } else {
            return nil
        }
        guard (1970...9999).contains(year) else { return nil }
    }

    /// `2026-11` or `2026-Q4`: how it is stored and typed.
    public var description: String {
        switch kind {
        case .month: String(format: "%04d-%02d", year, number)
        case .quarter: "\(year)-Q\(number)"
        }
    }

    public var start: Day {
        switch kind {
        case .month: Day(year: year, month: number, day: 1)!
        case .quarter: Day(year: year, month: (number - 1) * 3 + 1, day: 1)!
        }
    }

    public var end: Day {
        let months = kind == .month ? 1 : 3
        let first = start.components
        let nextMonth = first.month + months
        let next = nextMonth > 12 ? Day(year: first.year + 1, month: nextMonth - 12, day: 1)! : Day(year: first.year, month: nextMonth, day: 1)!
        return next.adding(days: -1)
    }

    public func contains(_ day: Day) -> Bool { start <= day && day <= end }

    /// The periods of `kind` that hold `day`'s sessions: its month and its quarter.
    public static func holding(_ day: Day) -> [Period] {
        [Period(.month, containing: day), Period(.quarter, containing: day)]
    }

    /// The periods of `kind` from the one holding `from` to the one holding `through`.
    public static func all(_ kind: PeriodKind, from: Day, through: Day) -> [Period] {
        var out: [Period] = []
        var p = Period(kind, containing: from)
        while p.start <= through {
            out.append(p)
            p = Period(kind, containing: p.end.adding(days: 1))
        }
        return out
    }

    /// `tháng 11/2026`, `quý 4/2026`; `November 2026`, `Q4 2026`.
    public func text(_ labels: Labels) -> String {
        labels(kind == .month ? "closing.period.month" : "closing.period.quarter",
               ["number": String(number), "number2": String(format: "%02d", number), "year": String(year)])
    }

    public static func < (a: Period, b: Period) -> Bool {
        (a.start, a.kind == .quarter ? 1 : 0) < (b.start, b.kind == .quarter ? 1 : 0)
    }
}
