import Foundation

/// Logging a session whose id the sender made (a web form's id, an API client's), so that the
/// same entry sent twice — a double tap, a resend after a dropped connection — is stored once,
/// on either engine: the engine refuses a second session under an id (`SessionError.idTaken`),
/// and the stored one is compared with what was sent.
public enum SessionLog {
    /// What became of an entry.
    public enum Outcome: Sendable, Equatable {
        /// Stored now.
        case created(LoggedSession)
        /// Already stored under its id with the same figures: nothing new.
        case alreadyStored(SessionEntry)
    }

    /// Logs `session` (its `id` set by the sender), as the replacement of `replacing` when given;
    /// the same id with the same figures again is `alreadyStored`, with other figures
    /// `SessionError.idConflict`.
    public static func log(_ session: NewSession, in store: any WorkspaceStore, today: Day, campaignMetrics: [String],
                           replacing: String? = nil, reason: String? = nil) async throws -> Outcome {
        do {
            return .created(try await store.logSession(session, today: today, replacing: replacing, reason: reason,
                                                       campaignMetrics: campaignMetrics))
        } catch SessionError.alreadyVoided(let old, let on, let why) where replacing != nil && session.id != nil {
            // A correction sent again: the first one voided the old session and stored this one.
            if let sessionID = session.id, let stored = try await store.sessions(SessionQuery(includeVoided: true, id: sessionID)).first,
               same(stored, session) {
                return .alreadyStored(stored)
            }
            throw SessionError.alreadyVoided(old, on: on, reason: why)
        } catch SessionError.idTaken(let id) {
            guard let sessionID = session.id,
                  let stored = try await store.sessions(SessionQuery(includeVoided: true, id: sessionID)).first else {
                throw SessionError.idConflict(id)
            }
            guard same(stored, session) else { throw SessionError.idConflict(id) }
            return .alreadyStored(stored)
        }
    }

    /// Whether the stored session holds what `session` says: day, area, team, every count
    /// (recorded or not) and the notes as they would be stored.
    static func same(_ stored: SessionEntry, _ session: NewSession) -> Bool {
        var counts = session.campaignCounts
        for (metric, value) in zip(Metric.allCases, session.metrics.values) { if let value { counts[metric.code] = value } }
        return stored.date == session.day && stored.area == session.area && stored.team == session.team
            && stored.metrics == counts && stored.notes == SessionRules.storedNotes(session.notes)?.text
    }
}
