import Foundation
import Hummingbird
import HTTPTypes
import OutreachKit

// The quality page: the open follow-ups under a unit (from `outreach outliers`), "Đúng" (the
// figure is correct) with a reason for officers, offices and administrators, the teams' quality
// and the recognition table. Every signed-in account reads its own scope.
extension OutreachServer {
    func qualityPage(_ request: Request, campaign asked: String? = nil, under askedUnder: String? = nil, message: String? = nil,
                     error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let viewer = try await signedIn(request)
        let l = labels(request)
        var (campaign, campaigns, under, _) = try await dashboardChoice(request, viewer.account, l)
        if let asked, let chosen = campaigns.first(where: { $0.id == asked }) { campaign = chosen }
        if let askedUnder {
            guard try await inScope(askedUnder, of: viewer.account) else { throw forbidden(l) }
            under = askedUnder
        }
        guard let tree = try await scopeTree(viewer.account.area), let index = tree.index(of: under) else { throw forbidden(l) }
        let followUps = try await store.followUps(FollowUpQuery(under: under, openOnly: true))
        let teams = try await store.teamQuality(campaign: campaign, under: under, period: nil, asOf: configuration.today())
        let page = WebPages.quality(labels: l, viewer: viewer.page, .init(
            campaigns: campaigns.map { ($0.id, l.language == .en ? ($0.nameEnglish ?? $0.name) : $0.name) }, campaign: campaign.id,
            under: under, name: tree.nodes[index].name, followUps: followUps, teams: teams,
            canResolve: Self.closingRoles.contains(viewer.account.role), message: message, error: error))
        return Self.html(page, status: status)
    }

    /// "Đúng": a follow-up under the account's scope is settled as correct, with the reason.
    func qualityResolve(_ request: Request) async throws -> Response {
        let viewer = try await signedIn(request, roles: Self.closingRoles)
        let l = labels(request)
        let fields = try await signedForm(request, viewer)
        guard let id = Int64(fields["id"] ?? ""),
              let followUp = try await store.followUps(FollowUpQuery(id: id)).first else {
            throw Refusal(status: .notFound, detail: Self.sentence(FollowUpError.unknown(fields["id"] ?? ""), l))
        }
        guard try await inScope(followUp.flag.area, of: viewer.account) else { throw forbidden(l) }
        do {
            let done = try await recording(viewer.account) { try await store.resolveFollowUp(id, reason: fields["reason"] ?? "") }
            return try await qualityPage(request, campaign: fields["campaign"], under: fields["under"],
                                         message: l("quality.followups.resolved", ["id": String(done.id), "why": FollowUpListing.why(done, l)]))
        } catch let error as FollowUpError {
            return try await qualityPage(request, campaign: fields["campaign"], under: fields["under"], error: Self.sentence(error, l),
                                         status: .unprocessableContent)
        }
    }

    /// The follow-ups under the unit as CSV or JSON.
    func qualityDownload(_ request: Request, file: String) async throws -> Response {
        let viewer = try await signedIn(request)
        let l = labels(request)
        let (_, _, under, _) = try await dashboardChoice(request, viewer.account, l)
        let format: OutputFormat
        switch file {
        case "followups.csv": format = .csv
        case "followups.json": format = .json
        default: throw HTTPError(.notFound)
        }
        let text = try FollowUpListing(followUps: try await store.followUps(FollowUpQuery(under: under))).rendered(as: format, labels: l)
        return Response(status: .ok, headers: [.contentType: format == .csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"followups-\(under).\(format.rawValue)\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
