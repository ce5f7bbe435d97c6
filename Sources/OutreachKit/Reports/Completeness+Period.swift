extension CompletenessReport {
    /// The period `text` names (`2026-11`, `2026-Q4`, `11/2026`), which must overlap the
    /// campaign's dates; without text, the last period of the campaign's approval kind that
    /// had ended by `today` (the campaign's last one once it is over).
    public static func period(_ text: String?, campaign: Campaign, today: Day) throws -> Period {
        if let text {
            guard let period = Period(parsing: text) else { throw CompletenessError.badPeriod(text) }
            guard period.end >= campaign.start, period.start <= campaign.end else {
                throw CompletenessError.periodOutsideCampaign(period: period.description, campaign: campaign.id,
                                                              start: campaign.start, end: campaign.end)
            }
            return period
        }
        guard let period = lastEndedPeriod(campaign: campaign, today: today) else {
            throw CompletenessError.noEndedPeriod(campaign: campaign.id, start: campaign.start,
                                                  first: Period(campaign.closing.approval, containing: campaign.start).description)
        }
        return period
    }

    /// The last period of the campaign's approval kind that ended before `today`, bounded by
    /// the campaign's dates; nil while its first period is still running.
    public static func lastEndedPeriod(campaign: Campaign, today: Day) -> Period? {
        let kind = campaign.closing.approval
        var period = Period(kind, containing: today.adding(days: -1))
        if period.end >= today { period = Period(kind, containing: period.start.adding(days: -1)) }
        if period.end > campaign.end { period = Period(kind, containing: campaign.end) }
        return period.end < campaign.start ? nil : period
    }
}

/// A completeness or chase request that cannot be answered, and what to write instead.
public enum CompletenessError: Error, Equatable, Sendable, UserFacingError {
    /// `--period` is not a month or a quarter.
    case badPeriod(String)
    /// `--period` lies outside the campaign's dates.
    case periodOutsideCampaign(period: String, campaign: String, start: Day, end: Day)
    /// No period of the campaign has ended yet and none was named.
    case noEndedPeriod(campaign: String, start: Day, first: String)
    /// `--under` names no area.
    case unknownArea(String)
    /// `--under` names an area outside the campaign's scope.
    case outsideScope(code: String, campaign: String, scope: String)
    /// `--days` is below 1.
    case badDays(Int)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ l: Labels) -> String {
        switch self {
        case let .badPeriod(text): l("completeness.error.bad_period", ["text": text])
        case let .periodOutsideCampaign(period, campaign, start, end):
            l("completeness.error.outside_campaign", ["period": period, "campaign": campaign, "start": l.date(start), "end": l.date(end)])
        case let .noEndedPeriod(campaign, start, first):
            l("completeness.error.no_ended_period", ["campaign": campaign, "start": l.date(start), "first": first])
        case let .unknownArea(code): l("completeness.error.unknown_area", ["code": code])
        case let .outsideScope(code, campaign, scope):
            l("completeness.error.outside_scope", ["code": code, "campaign": campaign, "scope": scope])
        case let .badDays(days): l("chase.error.days", ["days": String(days)])
        }
    }
}
