import Foundation

/// A session as the phone form or the API sends it, read into a `NewSession` with every problem
/// named by its field in the user's language (the same sentences as `outreach log`), apart from
/// any I/O so that it is tested alone.
public struct EntrySubmission: Sendable {
    public var session: NewSession?
    /// Problems by field: `date`, `area`, `id`, a metric code, or `form` for the whole entry.
    public var errors: [String: String]
    /// The counts as typed, to show again beside their problems.
    public var typed: [String: String]

    /// The phone form's fields: `form_id`, `area`, `date` (DD/MM/YYYY or YYYY-MM-DD), `team`,
    /// `m_<metric>` counts (`1.010` allowed) and `notes`. `metrics` are the codes the form shows.
    public static func form(_ fields: [String: String], metrics: [String], loggedBy: String, labels l: Labels) -> EntrySubmission {
        var errors: [String: String] = [:]
        var typed: [String: String] = [:]
        var counts: [String: Int] = [:]
        for code in metrics {
            let text = fields["m_" + code] ?? ""
            typed[code] = text
            var bytes = Array(text.utf8)
            switch bytes.withUnsafeMutableBufferPointer({ CountParser.parse(UnsafeBufferPointer($0)) }) {
            case .success(let value?): counts[code] = value
            case .success(nil): break
            case .failure(let failure): errors[code] = failure.phrase(text).text(l)
            }
        }
        let dateText = (fields["date"] ?? "").trimmingCharacters(in: .whitespaces)
        let day = Day(parsing: dateText)
        if day == nil { errors["date"] = l("web.entry.bad_date", ["value": dateText]) }
        let area = (fields["area"] ?? "").trimmingCharacters(in: .whitespaces)
        if area.isEmpty { errors["area"] = SessionError.unknownArea("").text(l) }
        let id = fields["form_id"].flatMap(UUID.init(uuidString:))
        if id == nil { errors["form"] = l["web.error.csrf"] }
        guard errors.isEmpty, let day else { return EntrySubmission(session: nil, errors: errors, typed: typed) }
        let team = (fields["team"] ?? "").trimmingCharacters(in: .whitespaces)
        let notes = (fields["notes"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return EntrySubmission(session: session(day: day, area: area, team: team.isEmpty ? nil : team, counts: counts,
                                                notes: notes.isEmpty ? nil : notes, id: id, loggedBy: loggedBy),
                               errors: [:], typed: typed)
    }

    /// The API's JSON body.
    public struct Body: Codable, Sendable, Equatable {
        public var id: UUID
        public var date: String
        public var area: String
        public var team: String?
        public var counts: [String: Int]
        public var notes: String?
    }

    /// A problem with an API body, as the CLI words it.
    public struct Problem: Error, Sendable, Equatable {
        public var detail: String
    }

    /// The API's body as a session, or the first problem.
    public static func api(_ body: Body, loggedBy: String, labels l: Labels) -> Result<NewSession, Problem> {
        guard let day = Day(parsing: body.date), body.date.count == 10, body.date.contains("-") else {
            return .failure(Problem(detail: l("web.entry.bad_date", ["value": body.date])))
        }
        for (code, value) in body.counts where value < 0 || value > SessionCount.maximum {
            return .failure(Problem(detail: SessionError.countOutOfRange(code, value).text(l)))
        }
        return .success(session(day: day, area: body.area, team: body.team, counts: body.counts, notes: body.notes, id: body.id,
                                loggedBy: loggedBy))
    }

    static func session(day: Day, area: String, team: String?, counts: [String: Int], notes: String?, id: UUID?,
                        loggedBy: String) -> NewSession {
        var metrics = MetricValues()
        var campaignCounts: [String: Int] = [:]
        for (code, value) in counts {
            if let metric = Metric(code: code) { metrics[metric] = value } else { campaignCounts[code] = value }
        }
        return NewSession(day: day, area: area, team: team, loggedBy: loggedBy, metrics: metrics, campaignCounts: campaignCounts,
                          notes: notes, id: id)
    }
}
