import Foundation

/// Where a PostgreSQL workspace lives: a libpq-style connection URI, read the way `psql` reads it.
///
/// `postgresql://[user[:password]@][host][:port][/dbname][?param=value&…]`, with `postgres://`
/// accepted too. A host that is a path (`?host=/run/postgresql`, or `%2Frun%2Fpostgresql` in the
/// host part) is the folder of the server's Unix socket. What the URI leaves out comes from the
/// environment as libpq takes it (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`), then
/// from libpq's defaults: the socket folder `/var/run/postgresql`, port 5432, the login name,
/// and a database named after the user.
///
/// The password is never written in messages: `description` shows it as `***`.
public struct PostgresLocation: Equatable, Sendable, CustomStringConvertible {
    /// How to reach the server.
    public enum Endpoint: Equatable, Sendable {
        /// A TCP host name or address and port.
        case tcp(host: String, port: Int)
        /// The folder holding the server's socket, and the port that names the socket file.
        case socket(folder: String, port: Int)
    }

    /// Whether to talk TLS over TCP (libpq's `sslmode`, reduced to what the client can do).
    public enum TLSMode: String, Equatable, Sendable {
        case disable, prefer, require
    }

    public var endpoint: Endpoint
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// Seconds to wait for a connection before saying the server cannot be reached.
    public var connectTimeout: Int
    /// The URI as the user wrote it, with any password replaced by `***`.
    public let masked: String

    public var description: String { masked }

    /// The socket file for a socket endpoint (`FOLDER/.s.PGSQL.PORT`).
    public var socketPath: String? {
        if case let .socket(folder, port) = endpoint { return "\(folder)/.s.PGSQL.\(port)" }
        return nil
    }

    /// Whether `text` names a PostgreSQL database rather than a file.
    public static func isURI(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// Reads a URI; `environment` supplies libpq's variables and `loginName` the default user.
    public init(uri text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                loginName: String = PostgresLocation.currentLoginName()) throws(PostgresError) {
        let masked = PostgresLocation.mask(text)
        self.masked = masked
        guard let schemeEnd = text.range(of: "://"), PostgresLocation.isURI(text) else {
            throw .badURI(masked, problem: "scheme")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query = Substring("")
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userPart: Substring? = nil
        if let at = rest.lastIndex(of: "@") {
            userPart = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var user: String? = nil, password: String? = nil
        if let userPart {
            if let colon = userPart.firstIndex(of: ":") {
                user = try PostgresLocation.decode(userPart[..<colon], masked)
                password = try PostgresLocation.decode(userPart[userPart.index(after: colon)...], masked)
            } else {
                user = try PostgresLocation.decode(userPart, masked)
            }
        }
        if rest.contains(",") { throw .badURI(masked, problem: "several_hosts") }
        var host: String? = nil, port: Int? = nil
        var hostPart = rest
        if hostPart.hasPrefix("[") {  // [IPv6]:port
            guard let close = hostPart.firstIndex(of: "]") else { throw .badURI(masked, problem: "host") }
            host = String(hostPart[hostPart.index(after: hostPart.startIndex)..<close])
            hostPart = hostPart[hostPart.index(after: close)...]
            if hostPart.hasPrefix(":") { port = try PostgresLocation.port(hostPart.dropFirst(), masked) }
            else if !hostPart.isEmpty { throw .badURI(masked, problem: "host") }
        } else {
            if let colon = hostPart.lastIndex(of: ":") {
                port = try PostgresLocation.port(hostPart[hostPart.index(after: colon)...], masked)
                hostPart = hostPart[..<colon]
            }
            if !hostPart.isEmpty { host = try PostgresLocation.decode(hostPart, masked) }
        }
        var database: String? = path.isEmpty ? nil : try PostgresLocation.decode(path, masked)
        var tls: TLSMode? = nil
        var timeout: Int? = nil
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try PostgresLocation.decode(parts[0], masked)
            let value = parts.count > 1 ? try PostgresLocation.decode(parts[1], masked) : ""
            switch key {
            case "host": host = value
            case "port": port = try PostgresLocation.port(Substring(value), masked)
            case "user": user = value
            case "password": password = value
            case "dbname": database = value
            case "sslmode":
                switch value {
                case "disable", "allow": tls = .disable
                case "prefer": tls = .prefer
                case "require", "verify-ca", "verify-full": tls = .require
                default: throw .badURI(masked, problem: "sslmode")
                }
            case "connect_timeout":
                guard let seconds = Int(value), seconds >= 0 else { throw .badURI(masked, problem: "connect_timeout") }
                timeout = seconds
            case "application_name", "options", "target_session_attrs": break
            default: throw .badURI(masked, problem: "parameter:" + key)
            }
        }
        func env(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        let finalHost = host ?? env("PGHOST") ?? "/var/run/postgresql"
        let finalPort = port ?? env("PGPORT").flatMap(Int.init) ?? 5432
        self.user = user ?? env("PGUSER") ?? loginName
        self.password = password ?? env("PGPASSWORD")
        self.database = database ?? env("PGDATABASE") ?? self.user
        self.endpoint = finalHost.hasPrefix("/") ? .socket(folder: finalHost, port: finalPort)
                                                 : .tcp(host: finalHost, port: finalPort)
        if case .socket = endpoint { self.tls = .disable } else { self.tls = tls ?? .prefer }
        self.connectTimeout = timeout ?? 10
    }

    /// The login name of the process, libpq's default user.
    public static func currentLoginName() -> String {
        ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
    }

    /// `text` with the password of its user part and any `password=` parameter replaced by `***`.
    public static func mask(_ text: String) -> String {
        var out = text
        if let schemeEnd = out.range(of: "://") {
            let authorityEnd = out[schemeEnd.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? out.endIndex
            let authority = out[schemeEnd.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                out.replaceSubrange(out.index(after: colon)..<at, with: "***")
            }
        }
        if let range = out.range(of: "password=") {
            let end = out[range.upperBound...].firstIndex(of: "&") ?? out.endIndex
            out.replaceSubrange(range.upperBound..<end, with: "***")
        }
        return out
    }

    private static func decode(_ part: Substring, _ masked: String) throws(PostgresError) -> String {
        guard let text = String(part).removingPercentEncoding else { throw .badURI(masked, problem: "encoding") }
        return text
    }

    private static func port(_ part: Substring, _ masked: String) throws(PostgresError) -> Int? {
        if part.isEmpty { return nil }
        guard let value = Int(part), (1...65535).contains(value) else { throw .badURI(masked, problem: "port") }
        return value
    }
}
