import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import OutreachKit

/// The request context: Hummingbird's, nothing added (who is asking is read per route).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
    public var maxUploadSize: Int { 64 * 1024 }
}

/// Said to the client as a page or an RFC 9457 problem; never the raw error.
struct Refusal: Error {
    var status: HTTPResponse.Status
    var detail: String
}

extension OutreachServer {
    static let sessionCookie = "outreach_session"
    static let loginCookie = "outreach_login"
    static let languageCookie = "outreach_lang"

    func router() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: Guard(server: self))
        router.get("healthz") { _, _ in Self.json(#"{"status":"ok"}"#) }
        router.get("/") { request, _ in
            guard let viewer = try await self.viewer(request) else { return Response.redirect(to: "/login") }
            // Leaders and officers start at the form; offices and administrators at the dashboard.
            return Response.redirect(to: [.leader, .officer].contains(viewer.account.role) ? "/entry" : "/dashboard")
        }
        router.get("login") { request, _ in try await self.loginPage(request, error: nil, status: .ok) }
        router.post("login") { request, _ in try await self.login(request) }
        router.post("logout") { request, _ in try await self.logout(request) }
        router.get("setup") { request, _ in try await self.setupPage(request) }
        router.post("setup") { request, _ in try await self.setup(request) }
        router.get("entry") { request, _ in try await self.entryPage(request) }
        router.post("entry") { request, _ in try await self.entry(request) }
        router.post("sessions/:id/void") { request, context in try await self.voidFromPage(request, id: context.parameters.get("id") ?? "") }
        router.get("dashboard") { request, _ in try await self.dashboard(request) }
        router.get("dashboard/:file") { request, context in try await self.download(request, file: context.parameters.get("file") ?? "") }
        router.get("manage") { request, _ in try await self.managePage(request, message: nil, error: nil) }
        router.post("manage/:what") { request, context in try await self.manage(request, what: context.parameters.get("what") ?? "") }
        router.get("closing") { request, _ in try await self.closingPage(request) }
        router.post("closing/approve") { request, _ in try await self.closingChange(request, reopen: false) }
        router.post("closing/unapprove") { request, _ in try await self.closingChange(request, reopen: true) }
        router.get("closing/:file") { request, context in try await self.closingHistory(request, file: context.parameters.get("file") ?? "") }
        router.get("quality") { request, _ in try await self.qualityPage(request) }
        router.post("quality/resolve") { request, _ in try await self.qualityResolve(request) }
        router.get("quality/:file") { request, context in try await self.qualityDownload(request, file: context.parameters.get("file") ?? "") }
        router.get("accounts") { request, _ in try await self.accountsPage(request, message: nil) }
        router.post("accounts") { request, _ in try await self.addAccount(request) }
        router.post("accounts/:name/:action") { request, context in
            try await self.changeAccount(request, name: context.parameters.get("name") ?? "", action: context.parameters.get("action") ?? "")
        }
        let api = router.group("api/v1")
        api.post("sessions") { request, _ in try await self.apiLog(request) }
        api.get("sessions") { request, _ in try await self.apiSessions(request) }
        api.post("sessions/:id/void") { request, context in try await self.apiVoid(request, id: context.parameters.get("id") ?? "") }
        api.get("coverage") { request, _ in try await self.apiCoverage(request) }
        api.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
        return router
    }

    // MARK: Who is asking

    struct Viewer {
        var account: Account
        var cookie: String
        var csrf: String
        var page: WebPages.Viewer { WebPages.Viewer(name: account.name, role: account.role, csrf: csrf) }
    }

    /// The signed-in account of a page request, if any (disabled accounts are signed out).
    func viewer(_ request: Request) async throws -> Viewer? {
        guard let cookie = request.cookies[Self.sessionCookie]?.value,
              let name = Signing.name(fromCookie: cookie, now: Date(), secret: state.secret),
              let (account, _) = try await store.accountCredentials(named: name), !account.disabled else { return nil }
        return Viewer(account: account, cookie: cookie, csrf: Signing.csrf(forSession: cookie, secret: state.secret))
    }

    /// The account of an API request's bearer token.
    func apiAccount(_ request: Request) async throws -> Account {
        let header = request.headers[.authorization] ?? ""
        let token = String(header.dropFirst(7))
        guard header.hasPrefix("Bearer "),
              let account = try await state.tokenAccount(token, read: { [store] in try await Accounts.account(forToken: token, in: store) }) else {
            throw Refusal(status: .unauthorized, detail: labels(request)["web.api.unauthorized"])
        }
        return account
    }

    /// The language of the reply: `?lang=`, then the language the person chose (its cookie), else
    /// Vietnamese — a phone set to English still gets Vietnamese pages until its user picks
    /// English. The API also follows `Accept-Language: en`.
    func labels(_ request: Request) -> Labels {
        if let lang = request.uri.queryParameters.get("lang").flatMap(Language.init(loosely:)) { return Labels(lang) }
        if let lang = request.cookies[Self.languageCookie].flatMap({ Language(loosely: $0.value) }) { return Labels(lang) }
        if request.uri.path.hasPrefix("/api/"), let accept = request.headers[.acceptLanguage], accept.lowercased().hasPrefix("en") {
            return Labels(.en)
        }
        return Labels(.vi)
    }

    // MARK: Scope

    /// The part of the tree the account's scope starts at (kept for half a minute, read once
    /// however many requests ask at the same time).
    func scopeTree(_ code: String) async throws -> AreaTree? {
        let store = store
        return try await state.tree(code) { try await store.areaTree(around: code, addingRoot: nil) }
    }

    /// Whether `code` is the account's area or under it.
    func inScope(_ code: String, of account: Account) async throws -> Bool {
        guard let tree = try await scopeTree(account.area), let area = tree.index(of: code), let top = tree.index(of: account.area) else {
            return false
        }
        return area == top || tree.ancestors(of: area).contains(top)
    }

    /// The hamlets under the account's area, in tree order.
    func hamlets(of account: Account) async throws -> [(code: String, name: String)] {
        guard let tree = try await scopeTree(account.area), let top = tree.index(of: account.area) else { return [] }
        return tree.preorder(from: [top]).map { tree.nodes[$0.index] }.filter { $0.level == .hamlet }.map { ($0.code, $0.name) }
    }

    func forbidden(_ l: Labels) -> Refusal { Refusal(status: .forbidden, detail: l["web.forbidden.text"]) }

    /// 423: the figures of a closed period (RFC 4918's Locked).
    static let locked = HTTPResponse.Status(code: 423, reasonPhrase: "Locked")

    /// Runs `body` as `account`: every change it makes is stored and audited under its name,
    /// with the self-closing periods and the session rules of the server's campaigns.
    func recording<T: Sendable>(_ account: Account, _ body: () async throws -> T) async throws -> T {
        let campaigns = state.campaigns(from: configuration.campaigns)
        let recorder = Recorder(name: account.name, autoLocks: campaigns.autoLocks, sessionRules: campaigns.entryRules)
        return try await Recorder.$current.withValue(recorder) { try await body() }
    }

    // MARK: Replies

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                           HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                                           HTTPField.Name("Content-Security-Policy")!: "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return json(String(decoding: try encoder.encode(value), as: UTF8.self), status: status)
    }

    static func problem(_ status: HTTPResponse.Status, detail: String) -> Response {
        struct Problem: Encodable {
            var type = "about:blank"
            var title: String
            var status: Int
            var detail: String
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(Problem(title: status.reasonPhrase, status: status.code, detail: detail))) ?? Data()
        return Response(status: status, headers: [.contentType: "application/problem+json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A form's fields (`application/x-www-form-urlencoded`), the body size-limited.
    func formFields(_ request: Request) async throws -> [String: String] {
        var request = request
        let buffer = try await request.collectBody(upTo: configuration.maxBody)
        return Self.parseForm(String(buffer: buffer))
    }

    /// A signed-in page's form: its fields, refused (403) unless it carries the page's CSRF token.
    func signedForm(_ request: Request, _ viewer: Viewer) async throws -> [String: String] {
        let fields = try await formFields(request)
        guard Signing.same(viewer.csrf, fields["csrf"] ?? "") else {
            throw Refusal(status: .forbidden, detail: labels(request)["web.error.csrf"])
        }
        return fields
    }

    static func parseForm(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let key = decode(parts[0])
            if out[key] == nil { out[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return out
    }

    /// The sentence for an error: a user-facing error's own, else the unexpected-error sentence.
    static func sentence(_ error: any Error, _ l: Labels) -> String {
        if let e = error as? any UserFacingError { return e.message(in: l) ?? e.message }
        return l["web.error.unexpected"]
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true, sameSite: .lax)
    }
}

/// Turns every error into a page or a problem in the user's language (never a trace or SQL
/// text), and logs each request: method, path, status, milliseconds; no body, no query.
struct Guard: RouterMiddleware {
    typealias Context = ServerContext
    let server: OutreachServer

    func handle(_ request: Request, context: ServerContext,
                next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = reply(to: error, request)
        }
        // `?lang=` on any page is the person's choice from then on.
        if let lang = request.uri.queryParameters.get("lang").flatMap(Language.init(loosely:)), !request.uri.path.hasPrefix("/api/") {
            response.setCookie(server.cookie(OutreachServer.languageCookie, lang.rawValue, maxAge: 365 * 86400))
        }
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        server.logger.info("request", metadata: ["method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
                                                 "status": "\(response.status.code)", "ms": "\(String(format: "%.1f", ms))"])
        return response
    }

    func reply(to error: any Error, _ request: Request) -> Response {
        let l = server.labels(request)
        let api = request.uri.path.hasPrefix("/api/")
        var status: HTTPResponse.Status
        var detail: String
        switch error {
        case let redirect as Redirect where !api:
            return Response.redirect(to: redirect.to)
        case is Redirect:
            status = .unauthorized
            detail = l["web.api.unauthorized"]
        case let refusal as Refusal:
            status = refusal.status
            detail = refusal.detail
        case let lock as LockRefusal:
            status = OutreachServer.locked
            detail = lock.message(in: l) ?? lock.message
        case let http as HTTPError:
            status = http.status
            detail = http.status == .notFound ? l["web.not_found.text"] : (http.status == .contentTooLarge ? l["web.error.too_large"] : http.status.reasonPhrase)
        case is any UserFacingError:
            status = .unprocessableContent
            detail = OutreachServer.sentence(error, l)
        default:
            if String(describing: type(of: error)).contains("TooManyBytes") {
                status = .contentTooLarge
                detail = l["web.error.too_large"]
            } else {
                status = .internalServerError
                detail = l["web.error.unexpected"]
                server.logger.error("unexpected error", metadata: ["kind": "\(String(describing: type(of: error)))", "path": "\(request.uri.path)"])
            }
        }
        if api { return OutreachServer.problem(status, detail: detail) }
        let title = status == .notFound ? l["web.not_found.title"] : (status == .forbidden ? l["web.forbidden.title"] : l["web.error.title"])
        return OutreachServer.html(WebPages.message(labels: l, viewer: nil, title: title, text: detail), status: status)
    }
}
