import Foundation
import Hummingbird
import Logging
import OutreachKit
import ServiceLifecycle

/// `outreach serve`: the phone form, the dashboard and the JSON API on one workspace (SQLite or
/// PostgreSQL, through the storage seam). The pages and every sentence come from `OutreachKit`
/// (`WebPages`, the labels); this target routes, checks who may do what, and renders.
public struct OutreachServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// The folder of campaign files (as `--campaigns`).
        public var campaigns: String
        /// Cookies marked Secure (behind TLS).
        public var secureCookies: Bool
        /// The largest request body taken (bytes).
        public var maxBody: Int
        /// Today, in Vietnam.
        public var today: @Sendable () -> Day

        public init(host: String = "127.0.0.1", port: Int = 8080, campaigns: String, secureCookies: Bool = false,
                    maxBody: Int = 64 * 1024, today: @escaping @Sendable () -> Day = { Day(Date(), in: .vietnam) }) {
            self.host = host
            self.port = port
            self.campaigns = campaigns
            self.secureCookies = secureCookies
            self.maxBody = maxBody
            self.today = today
        }
    }

    let store: any WorkspaceStore
    let configuration: Configuration
    let logger: Logger
    let state: ServerState

    /// A server on `store`. `setupToken` (made when the workspace has no account yet) opens
    /// `/setup` once, to create the first administrator.
    public init(store: any WorkspaceStore, configuration: Configuration, logger: Logger = Logger(label: "outreach.serve"),
                setupToken: String? = nil) async throws {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.state = ServerState(secret: try await store.serverSecret(), setupToken: setupToken)
    }

    /// A one-time token for `/setup` when the workspace has no account yet, else nil.
    public static func setupToken(for store: any WorkspaceStore) async throws -> String? {
        try await store.accounts().isEmpty ? Accounts.randomHex(16) : nil
    }

    /// The application, for `run` and for HummingbirdTesting; `onStart` hears the address it
    /// listens on.
    public func application(onStart: @escaping @Sendable (String) -> Void = { _ in }) -> some ApplicationProtocol {
        let configuration = self.configuration
        return Application(router: router(),
                           configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "outreach"),
                           onServerRunning: { channel in
                               onStart("http://\(configuration.host):\(channel.localAddress?.port ?? configuration.port)")
                           },
                           logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then lets the requests in flight finish.
    public func run(onStart: @escaping @Sendable (String) -> Void) async throws {
        try await application(onStart: onStart).runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

/// What the server keeps between requests: the cookie secret, the one-time setup token and a
/// copy of the area tree for scope checks (read again after `treeLifetime`).
final class ServerState: @unchecked Sendable {
    let secret: String
    private let lock = NSLock()
    private var setupToken: String?
    private var trees: [String: (tree: AreaTree, read: Date)] = [:]
    /// The tree reads under way, one per code, which every request needing that tree awaits.
    private var treeReads: [String: Task<AreaTree?, any Error>] = [:]
    /// Counts `forgetTrees` calls: a read started before one is not kept.
    private var treeGeneration = 0
    static let treeLifetime: TimeInterval = 30

    init(secret: String, setupToken: String?) {
        self.secret = secret
        self.setupToken = setupToken
    }

    /// Whether `token` is the setup token (used up by `takeSetupToken`).
    func isSetupToken(_ token: String?) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard let setupToken, let token else { return false }
        return Signing.same(setupToken, token)
    }

    func takeSetupToken() {
        lock.lock(); defer { lock.unlock() }
        setupToken = nil
    }

    /// The campaign files as read (they are read again after `treeLifetime`, so an edited file
    /// shows within half a minute): the campaigns, and the metrics they declare with their names.
    struct Campaigns {
        var all: [Campaign]
        var metricNames: [String: MetricName]
        var declared: [String]
        /// What every write checks (derived from `all` once per read).
        var autoLocks: [AutoLock]
        var entryRules: [EntryRules]
    }
    private var campaigns: (campaigns: Campaigns, read: Date)?

    func campaigns(from directory: String) -> Campaigns {
        lock.lock(); defer { lock.unlock() }
        if let campaigns, Date().timeIntervalSince(campaigns.read) < Self.treeLifetime { return campaigns.campaigns }
        let catalog = CampaignCatalog(directory: directory)
        let all = (try? catalog.all().campaigns) ?? []
        let read = Campaigns(all: all, metricNames: (try? catalog.declaredMetricNames()) ?? [:],
                             declared: (try? catalog.declaredMetrics().codes) ?? [], autoLocks: AutoLock.of(all), entryRules: EntryRules.of(all))
        campaigns = (read, Date())
        return read
    }

    /// A dashboard's figures, kept until the workspace changes (`WorkspaceStore.changeStamp`).
    struct Dashboard: Sendable {
        var stamp: String
        var campaign: Campaign
        var report: DistrictReport
        var recent: [SessionEntry]
    }
    private var dashboards: [String: Dashboard] = [:]

    /// The figures kept for `key` when they were read at `stamp` for this very campaign.
    func dashboard(_ key: String, stamp: String, campaign: Campaign) -> Dashboard? {
        lock.lock(); defer { lock.unlock() }
        guard let kept = dashboards[key], kept.stamp == stamp, kept.campaign == campaign else { return nil }
        return kept
    }

    func keep(_ dashboard: Dashboard, for key: String) {
        lock.lock(); defer { lock.unlock() }
        // Anything kept at another stamp is out of date.
        dashboards = dashboards.filter { $0.value.stamp == dashboard.stamp }
        if dashboards.count >= 64 { dashboards.removeAll() }
        dashboards[key] = dashboard
    }

    /// The tree around `code` for scope checks. A kept tree younger than `treeLifetime` is
    /// answered at once; an older one is answered too while one read refreshes it in the
    /// background; with none kept, every request awaits the same read. So a burst of requests
    /// on a cold or expired cache makes one read of the tree, not one each (64 at once cost
    /// PostgreSQL seconds of work and every request its wait).
    func tree(_ code: String, read: @escaping @Sendable () async throws -> AreaTree?) async throws -> AreaTree? {
        let (kept, pending): (AreaTree?, Task<AreaTree?, any Error>?) = lock.withLock {
            if let kept = trees[code], Date().timeIntervalSince(kept.read) < Self.treeLifetime { return (kept.tree, nil) }
            if let pending = treeReads[code] { return (trees[code]?.tree, pending) }
            let generation = treeGeneration
            let task = Task<AreaTree?, any Error> { [weak self] in
                do {
                    let tree = try await read()
                    self?.finishRead(code, tree, generation: generation)
                    return tree
                } catch {
                    self?.finishRead(code, nil, generation: generation)
                    throw error
                }
            }
            treeReads[code] = task
            return (trees[code]?.tree, task)
        }
        if let kept { return kept }
        return try await pending?.value
    }

    private func finishRead(_ code: String, _ tree: AreaTree?, generation: Int) {
        lock.lock(); defer { lock.unlock() }
        guard generation == treeGeneration else { return }  // forgotten meanwhile: another read may be under way
        treeReads[code] = nil
        guard let tree else { return }
        if trees.count > 1000 { trees.removeAll() }
        trees[code] = (tree, Date())
    }

    /// The accounts of the API tokens used lately, by the token's digest (never the token),
    /// kept `tokenLifetime`: every API call asked the workspace before, a round trip that cost
    /// PostgreSQL more than its answer. A token replaced or an account disabled by `outreach users`
    /// in another process stops working within that time; through this server's pages, at once
    /// (`forgetTokens`). A token that names no account is asked again each time.
    private var tokenAccounts: [String: (account: Account, read: Date)] = [:]
    static let tokenLifetime: TimeInterval = 5

    func tokenAccount(_ token: String, read: @Sendable () async throws -> Account?) async throws -> Account? {
        let key = Accounts.digest(token)
        let (kept, generation) = lock.withLock { (tokenAccounts[key], tokenGeneration) }
        if let kept, Date().timeIntervalSince(kept.read) < Self.tokenLifetime { return kept.account }
        guard let account = try await read() else { return nil }
        lock.withLock {
            guard generation == tokenGeneration else { return }  // forgotten meanwhile: not kept
            if tokenAccounts.count > 10_000 { tokenAccounts.removeAll() }
            tokenAccounts[key] = (account, Date())
        }
        return account
    }

    /// Counts `forgetTokens` calls: an account read before one is not kept.
    private var tokenGeneration = 0

    func forgetTokens() {
        lock.lock(); defer { lock.unlock() }
        tokenAccounts.removeAll()
        tokenGeneration += 1
    }

    func forgetTrees() {
        lock.lock(); defer { lock.unlock() }
        trees.removeAll()
        treeReads.removeAll()
        treeGeneration += 1
    }
}
