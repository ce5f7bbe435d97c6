import Foundation
import Hummingbird
import HTTPTypes
import OutreachKit

// Closing the month on the web: the states of a unit and the units below it for a period, the
// buttons to close (chốt), accept (duyệt, by closing the unit above) and reopen with a reason,
// and the unit's history of changes. Officers, offices (viewers) and administrators change the
// units of their own scope; every signed-in account reads them.
extension OutreachServer {
    /// The roles that close and reopen figures.
    static let closingRoles: [Role] = [.officer, .viewer, .admin]

    func closingPage(_ request: Request, under asked: String? = nil, period askedPeriod: String? = nil, message: String? = nil,
                     error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let viewer = try await signedIn(request)
        let l = labels(request)
        let under = asked ?? request.uri.queryParameters.get("under").map { String($0) } ?? viewer.account.area
        guard try await inScope(under, of: viewer.account), let tree = try await scopeTree(viewer.account.area),
              let index = tree.index(of: under) else { throw forbidden(l) }
        let today = configuration.today()
        let campaigns = state.campaigns(from: configuration.campaigns).all
        let kind = campaigns.first { $0.closing.approval == .quarter && (tree.index(of: $0.scope).map { tree.isInSubtree(index, of: $0) } ?? false) }
            .map { _ in PeriodKind.quarter } ?? .month
        let last = Period(kind, containing: Period(kind, containing: today).start.adding(days: -1))
        var periods: [Period] = []
        var p = last
        for _ in 0..<12 {
            periods.append(p)
            p = Period(kind, containing: p.start.adding(days: -1))
        }
        let period = (askedPeriod ?? request.uri.queryParameters.get("period").map { String($0) }).flatMap(Period.init(parsing:)) ?? last
        if !periods.contains(period) { periods.insert(period, at: 0) }
        let desk = Approvals(store: store, campaigns: campaigns, today: today)
        let table = try await desk.table(under: under, period: period.description)
        let history = try await store.auditEntries(AuditQuery(under: under, limit: nil)).suffix(100)
        let page = WebPages.closing(labels: l, viewer: viewer.page, .init(
            code: under, name: tree.nodes[index].name, period: period, periods: periods, table: table,
            canChange: Self.closingRoles.contains(viewer.account.role), history: Array(history), message: message, error: error))
        return Self.html(page, status: status)
    }

    /// `approve` or `unapprove` from the closing page, for a unit in the account's scope.
    func closingChange(_ request: Request, reopen: Bool) async throws -> Response {
        let viewer = try await signedIn(request, roles: Self.closingRoles)
        let l = labels(request)
        let fields = try await signedForm(request, viewer)
        let area = (fields["area"] ?? "").trimmingCharacters(in: .whitespaces)
        let period = fields["period"] ?? ""
        guard try await inScope(area, of: viewer.account) else { throw forbidden(l) }
        let desk = Approvals(store: store, campaigns: state.campaigns(from: configuration.campaigns).all, today: configuration.today())
        do {
            let done = try await recording(viewer.account) {
                reopen ? try await desk.unapprove(code: area, period: period, reason: fields["reason"])
                       : try await desk.approve(code: area, period: period)
            }
            return try await closingPage(request, under: area, period: period, message: done.text(l))
        } catch let error as any UserFacingError {
            return try await closingPage(request, under: area, period: period, error: Self.sentence(error, l), status: .unprocessableContent)
        }
    }

    /// The unit's history as CSV or JSON.
    func closingHistory(_ request: Request, file: String) async throws -> Response {
        let viewer = try await signedIn(request)
        let l = labels(request)
        let under = request.uri.queryParameters.get("under").map { String($0) } ?? viewer.account.area
        guard try await inScope(under, of: viewer.account) else { throw forbidden(l) }
        let format: OutputFormat
        switch file {
        case "history.csv": format = .csv
        case "history.json": format = .json
        default: throw HTTPError(.notFound)
        }
        let text = try AuditListing(entries: try await store.auditEntries(AuditQuery(under: under))).rendered(as: format, labels: l)
        return Response(status: .ok, headers: [.contentType: format == .csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"history-\(under).\(format.rawValue)\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
