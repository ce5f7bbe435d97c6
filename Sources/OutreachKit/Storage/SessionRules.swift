import Foundation

/// What logging and voiding a session decide apart from the database, written once for both
/// engines: which sessions are refused, which warnings a logged one gets, how notes and reasons
/// are stored, and how an id a user typed finds a session.
enum SessionRules {
    /// Refuses, before the database is asked, a session that records nothing, a count out of
    /// range, or a count of a metric no campaign declares (`campaignMetrics`).
    static func validate(_ session: NewSession, campaignMetrics: [String]) throws {
        if session.metrics.isEmpty && session.campaignCounts.isEmpty { throw SessionError.nothingRecorded }
        try SessionCount.check(session.metrics, campaignCounts: session.campaignCounts)
        let accepted = SessionImport.metricCodes(campaignMetrics)
        for code in session.campaignCounts.keys.sorted() where !accepted.contains(code) {
            throw SessionError.unknownMetric(code, accepted: accepted)
        }
    }

    /// The warnings of a logged session in `area` by `team`: a date after `today`, an inactive
    /// team, a team outside the area's commune, counts above what the area holds.
    static func warnings(_ session: NewSession, today: Day, area: AreaFacts, team: TeamFacts?) -> [Warning] {
        var warnings: [Warning] = []
        if session.day > today {
            warnings.append(Warning(Phrase("sessions.warning.future.logged", days: ["date": session.day, "today": today])))
        }
        if let team {
            if !team.active { warnings.append(Warning(Phrase("sessions.warning.inactive_team.logged", ["team": team.code]))) }
            if let c = team.communeID, let a = area.communeID, c != a {
                warnings.append(Warning(Phrase("sessions.warning.outside_commune", ["team": team.code, "area": session.area])))
            }
        }
        let values = session.metrics.values.map { $0 ?? 0 }
        let recorded = session.metrics.values.map { $0 != nil }
        values.withUnsafeBufferPointer { v in
            recorded.withUnsafeBufferPointer { r in
                SessionChecks.capacity(values: v.baseAddress!, recorded: r.baseAddress!, area: area, areaCode: session.area,
                                       logged: true) { warnings.append(Warning($0)) }
            }
        }
        return warnings
    }

    /// A void's or a replacement's reason, trimmed; `emptyReason` when there is none.
    static func reason(_ text: String?) throws -> String {
        guard let reason = text?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw SessionError.emptyReason
        }
        return reason
    }

    /// Notes as stored: the name folding of every stored text, numbers that look like citizen
    /// ids or phones masked (`PersonalData`), with how many were.
    static func storedNotes(_ notes: String?) -> (text: String, masked: Int)? {
        notes.map { PersonalData.maskNumbers(in: TextFolding.normalizedName($0)) }
    }

    /// The name of who logged a session, as stored.
    static func storedLoggedBy(_ name: String?) -> String? { name.map(TextFolding.normalizedName) }

    /// How a session id typed by a user is looked up: a whole UUID, or a prefix of at least four
    /// hex digits (dashes ignored).
    enum Lookup: Equatable {
        case whole([UInt8])
        /// Upper-case hex digits.
        case prefix(String)

        /// The 16-byte range a prefix covers (every id that starts with it), for an index scan.
        var range: (low: [UInt8], high: [UInt8])? {
            guard case let .prefix(hex) = self else { return nil }
            func bytes(_ pad: Character) -> [UInt8] {
                let digits = Array(hex.prefix(32)) + Array(repeating: pad, count: max(0, 32 - hex.count))
                return stride(from: 0, to: 32, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
            }
            return (bytes("0"), bytes("F"))
        }
    }

    /// The lookup of `text` (trimmed) and the text itself for messages; `unknownSession` when it
    /// is neither a UUID nor a prefix of one.
    static func lookup(_ text: String) throws -> (lookup: Lookup, shown: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let bytes = SessionID.parse(trimmed) { return (.whole(bytes), trimmed) }
        let hex = trimmed.replacingOccurrences(of: "-", with: "").uppercased()
        guard hex.count >= 4, hex.count <= 32, hex.allSatisfy(\.isHexDigit) else { throw SessionError.unknownSession(trimmed) }
        return (.prefix(hex), trimmed)
    }

    /// The one session among `matches` (at most two are needed), or why there is none: no match,
    /// several, or a voided one (`void`: its day and reason).
    static func live<M>(_ matches: [M], shown: String, uuid: (M) -> [UInt8],
                        void: (M) -> (day: Day, reason: String)?) throws -> M {
        guard let match = matches.first else { throw SessionError.unknownSession(shown) }
        if matches.count > 1 { throw SessionError.ambiguousSession(shown, matches: matches.count) }
        if let v = void(match) { throw SessionError.alreadyVoided(SessionID.format(uuid(match)), on: v.day, reason: v.reason) }
        return match
    }
}
