import Foundation
import Hummingbird
import OutreachKit

// The JSON API, `/api/v1`, with bearer tokens (`outreach users token NAME`); documented in
// `openapi.yaml` (served at /api/v1/openapi.yaml). Refusals are RFC 9457 problems whose
// `detail` is the sentence the CLI prints.
extension OutreachServer {
    func apiLog(_ request: Request) async throws -> Response {
        let account = try await apiAccount(request)
        let l = labels(request)
        guard account.role.writesSessions else { throw forbidden(l) }
        var request = request
        let buffer = try await request.collectBody(upTo: configuration.maxBody)
        guard let body = try? JSONDecoder().decode(EntrySubmission.Body.self, from: Data(buffer: buffer)) else {
            return Self.problem(.unprocessableContent, detail: l["web.api.bad_json"])
        }
        let session: NewSession
        switch EntrySubmission.api(body, loggedBy: account.name, labels: l) {
        case .success(let s): session = s
        case .failure(let problem): return Self.problem(.unprocessableContent, detail: problem.detail)
        }
        guard try await inScope(session.area, of: account) else { throw forbidden(l) }
        let declared = state.campaigns(from: configuration.campaigns).declared
        struct Stored: Encodable {
            var id: String
            var warnings: [String]
        }
        do {
            let outcome = try await recording(account) {
                try await SessionLog.log(session, in: store, today: configuration.today(), campaignMetrics: declared)
            }
            switch outcome {
            case let .created(logged):
                return try Self.json(Stored(id: logged.id, warnings: logged.warnings.map { $0.description(in: l) ?? $0.text }), status: .created)
            case let .alreadyStored(entry):
                return try Self.json(Stored(id: entry.id, warnings: []))
            }
        } catch let error as SessionError {
            if case .idConflict = error { return Self.problem(.conflict, detail: Self.sentence(error, l)) }
            return Self.problem(.unprocessableContent, detail: Self.sentence(error, l))
        } catch let error as RuleRefusal {
            return Self.problem(.unprocessableContent, detail: error.message(in: l) ?? error.message)
        }
    }

    func apiSessions(_ request: Request) async throws -> Response {
        let account = try await apiAccount(request)
        let l = labels(request)
        let under = request.uri.queryParameters.get("under").map { String($0) } ?? account.area
        guard try await inScope(under, of: account) else { throw forbidden(l) }
        func day(_ name: String) throws -> Day? {
            guard let text = request.uri.queryParameters.get(name) else { return nil }
            guard let day = Day(parsing: text) else { throw Refusal(status: .unprocessableContent, detail: l("web.entry.bad_date", ["value": String(text)])) }
            return day
        }
        let sessions = try await store.sessions(SessionQuery(under: under, from: try day("from"), to: try day("to"),
                                                             includeVoided: request.uri.queryParameters.get("voided") == "true"))
        return try Self.json(sessions)
    }

    func apiVoid(_ request: Request, id: String) async throws -> Response {
        let account = try await apiAccount(request)
        let l = labels(request)
        guard account.role.writesSessions else { throw forbidden(l) }
        var request = request
        let buffer = try await request.collectBody(upTo: configuration.maxBody)
        struct Body: Decodable { var reason: String }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: buffer)) else {
            return Self.problem(.unprocessableContent, detail: Self.sentence(SessionError.emptyReason, l))
        }
        let entry = try await sessionInScope(id, account, l)
        do {
            let voided = try await recording(account) { try await store.voidSession(entry.id, reason: body.reason, on: configuration.today()) }
            return try Self.json(["id": voided])
        } catch let error as SessionError {
            if case .alreadyVoided = error { return Self.problem(.conflict, detail: Self.sentence(error, l)) }
            return Self.problem(.unprocessableContent, detail: Self.sentence(error, l))
        }
    }

    func apiCoverage(_ request: Request) async throws -> Response {
        let account = try await apiAccount(request)
        let l = labels(request)
        let (campaign, _, under, tree) = try await dashboardChoice(request, account, l, dated: true)
        let report = try await store.coverageReport(campaign: campaign,
                                                    options: .init(asOf: configuration.today(), under: under, tree: tree),
                                                    countryName: Campaign.wholeTreeName)
        return Self.json(try report.rendered(as: .json, labels: l))
    }
}
