import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OutreachKit
import Testing
@testable import OutreachServer

/// The engines the server suites run on: SQLite always, PostgreSQL when the test cluster of
/// `.ci/postgres.sh` is there (`OUTREACH_TEST_PG`).
enum Engines {
    static let environment = ProcessInfo.processInfo.environment
    static var all: [StorageEngine] {
        environment["OUTREACH_TEST_PG"].map { $0.isEmpty ? [.sqlite] : [.sqlite, .postgresql] } ?? [.sqlite]
    }

    /// A new empty workspace location on `engine`.
    static func location(_ engine: StorageEngine) throws -> String {
        switch engine {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-server-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return dir.appendingPathComponent("w.sqlite").path
        case .postgresql:
            let uri = environment["OUTREACH_TEST_PG"] ?? ""
            let name = "s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: (environment["PG_CLUSTER_BIN"] ?? "/usr/bin") + "/createdb")
            process.arguments = ["-h", environment["PG_CLUSTER_DIR"] ?? "", "-U", "postgres", name]
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0)
            return uri.replacingOccurrences(of: "/outreach_test?", with: "/\(name)?")
        }
    }
}

/// A workspace with the sample district (Nông Cống: Xã Tân Phúc 16282 and Xã Tân Thọ 16285 with
/// their hamlets, the sample teams) and one account of each role.
struct Fixture {
    let store: any WorkspaceStore
    let server: OutreachServer
    static let today = Day(year: 2026, month: 11, day: 20)!
    static let password = "mat-khau-1234"

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func resource(_ path: String) -> String { packageRoot.appendingPathComponent("Resources/" + path).path }

    /// The accounts: name, role, area, team.
    static let accounts: [(String, Role, String, String?)] = [
        ("lan", .leader, "16282", "P06-16282"), ("tho", .leader, "16285", nil), ("hung", .officer, "16282", nil),
        ("huyen", .viewer, "404", nil), ("admin", .admin, "404", nil),
    ]

    /// `log`, when given, receives every line the server logs (at info level).
    static func make(_ engine: StorageEngine, extraAreas: String? = nil, maxBody: Int = 64 * 1024, accounts: Bool = true,
                     setupToken: String? = nil, log: LogLines? = nil, campaigns: String? = nil) async throws -> Fixture {
        let store = try await Workspaces.open(try Engines.location(engine), create: true)
        for path in [resource("areas/nong_cong.csv"), resource("sample/hamlets.csv")] {
            _ = try await store.importAreas(try AreaFile.read(try CSVReader(path: path)), file: path, on: today)
        }
        if let extraAreas {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("areas-\(UUID().uuidString).csv").path
            try Data(extraAreas.utf8).write(to: URL(fileURLWithPath: path))
            _ = try await store.importAreas(try AreaFile.read(try CSVReader(path: path)), file: path, on: today)
        }
        let teams = try TeamFile.read(try CSVReader(path: resource("sample/teams.csv")))
        _ = try await store.importTeams(teams.rows, file: "teams.csv", on: today)
        for (name, role, area, team) in accounts ? Self.accounts : [] {
            _ = try await Accounts.add(name: name, role: role, area: area, team: team, password: password, in: store)
        }
        var logger = log.map { lines in Logger(label: "outreach.serve.test") { _ in LineCollector(lines: lines) } }
            ?? Logger(label: "outreach.serve.test")
        logger.logLevel = log == nil ? .error : .info
        let server = try await OutreachServer(
            store: store, configuration: .init(campaigns: campaigns ?? packageRoot.appendingPathComponent("Campaigns").path, maxBody: maxBody,
                                               today: { today }), logger: logger, setupToken: setupToken)
        return Fixture(store: store, server: server)
    }

    /// Runs `body` with a test client of the server's router.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await server.application().test(.router, body)
    }

    /// A bearer token of the account `name`.
    func token(_ name: String) async throws -> String { try await Accounts.newToken(for: name, in: store) }
}

/// A browser's side of the pages: its cookies, the CSRF token of the last page, form posts.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var lastPage = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        let response = try await client.executeRequest(uri: uri, method: .get, headers: headers(), body: nil)
        keep(response)
        return response
    }

    @discardableResult
    func post(_ uri: String, _ fields: [String: String], csrf: Bool = true) async throws -> TestResponse {
        var fields = fields
        if csrf, fields["csrf"] == nil { fields["csrf"] = self.csrf }
        let body = fields.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: "&")
        var headers = headers()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.executeRequest(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        keep(response)
        return response
    }

    /// Signs in as `name`; the response of the sign-in.
    @discardableResult
    func signIn(_ name: String, password: String = Fixture.password) async throws -> TestResponse {
        try await get("/login")
        return try await post("/login", ["name": name, "password": password])
    }

    /// The value of the hidden input `name` on the last page.
    func hidden(_ name: String) -> String? {
        guard let range = lastPage.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(lastPage[range.upperBound...].prefix { $0 != "\"" })
    }

    var csrf: String { hidden("csrf") ?? "" }

    private func headers() -> HTTPFields {
        var fields = HTTPFields()
        if !cookies.isEmpty { fields[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return fields
    }

    private func keep(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
        lastPage = String(buffer: response.body)
    }

    private func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }
}

extension TestClientProtocol {
    /// A JSON request with a bearer token.
    func api(_ uri: String, method: HTTPRequest.Method = .get, token: String?, json: String? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await executeRequest(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    /// The `detail` of an RFC 9457 problem body.
    var detail: String? {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["detail"] as? String
    }
}

/// The lines a server logged, message and metadata together.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

/// A swift-log handler that keeps every line in `LogLines`.
struct LineCollector: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String,
             line: UInt) {
        lines.add("\(level) \(message) \((metadata ?? [:]).merging(self.metadata) { a, _ in a })")
    }
}
