import Foundation
import Crypto
import HummingbirdBcrypt

/// What an account may do, over the part of the tree under its area.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// A volunteer leader: logs and corrects sessions in the hamlets under their area.
    case leader
    /// A commune officer: what a leader does, for the whole commune.
    case officer
    /// A district or province office: reads everything under its area.
    case viewer
    /// Manages accounts.
    case admin

    /// Whether the role logs, voids and corrects sessions.
    public var writesSessions: Bool { self == .leader || self == .officer || self == .admin }
}

/// A person who signs in to `outreach serve`, or a script with a token.
public struct Account: Sendable, Equatable, Codable {
    public var name: String
    public var role: Role
    /// The code of the area the account's scope starts at.
    public var area: String
    /// A leader's team: the team a new session is logged for by default.
    public var team: String?
    public var disabled: Bool
    /// Failed sign-ins in a row (10 lock the account for 15 minutes).
    public var failedLogins: Int
    /// Until when it is locked (ISO 8601, UTC), if it is.
    public var lockedUntil: String?
    /// When it was made (ISO 8601, UTC).
    public var created: String
    public var hasPassword: Bool
    public var hasToken: Bool

    public init(name: String, role: Role, area: String, team: String? = nil, disabled: Bool = false, failedLogins: Int = 0,
                lockedUntil: String? = nil, created: String = "", hasPassword: Bool = false, hasToken: Bool = false) {
        self.name = name
        self.role = role
        self.area = area
        self.team = team
        self.disabled = disabled
        self.failedLogins = failedLogins
        self.lockedUntil = lockedUntil
        self.created = created
        self.hasPassword = hasPassword
        self.hasToken = hasToken
    }
}

/// A change to a stored account.
public enum AccountChange: Sendable, Equatable {
    case disabled(Bool)
    case password(hash: String)
    case token(digest: String)
    /// A failed sign-in: one more in a row, and the account locked until then when given.
    case loginFailed(lockUntil: String?)
    case loginSucceeded
}

/// Why an account cannot be made, changed or signed in to.
public enum AccountError: Error, Equatable, Sendable, UserFacingError {
    case exists(String)
    case unknown(String)
    case badName(String)
    case unknownArea(String)
    case unknownTeam(String)
    case shortPassword(minimum: Int)
    /// Wrong name or password (which of the two is not said).
    case wrongCredentials
    case disabled(String)
    case locked(String, until: String)
    case noPassword(String)

    public var message: String { text(Labels(.en)) }
    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String {
        switch self {
        case let .exists(name): labels("accounts.error.exists", ["name": name])
        case let .unknown(name): labels("accounts.error.unknown", ["name": name])
        case let .badName(name): labels("accounts.error.bad_name", ["name": name])
        case let .unknownArea(code): labels("accounts.error.unknown_area", ["code": code])
        case let .unknownTeam(code): labels("accounts.error.unknown_team", ["team": code])
        case let .shortPassword(minimum): labels("accounts.error.short_password", ["minimum": String(minimum)])
        case .wrongCredentials: labels["accounts.error.wrong_credentials"]
        case let .disabled(name): labels("accounts.error.disabled", ["name": name])
        case let .locked(name, until):
            labels("accounts.error.locked", ["name": name, "time": Accounts.vietnamTime(until) ?? until])
        case let .noPassword(name): labels("accounts.error.no_password", ["name": name])
        }
    }
}

/// Accounts of a workspace: made, signed in to, given tokens, on either engine.
public enum Accounts {
    /// Failed sign-ins in a row that lock an account, and for how long.
    public static let lockThreshold = 10
    public static let lockDuration: TimeInterval = 15 * 60
    public static let minimumPassword = 8
    /// bcrypt's cost (2^cost rounds): 10 takes about 60 ms here.
    public static let bcryptCost: UInt8 = 10

    /// Makes an account, its area (and team) checked against the workspace.
    public static func add(name: String, role: Role, area: String, team: String?, password: String?,
                           in store: any WorkspaceStore, now: Date = Date()) async throws -> Account {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ !$0.isWhitespace && !$0.isNewline && $0 != "/" && $0 != ":" }) else {
            throw AccountError.badName(name)
        }
        guard try await store.areaTree(around: area, addingRoot: nil) != nil else { throw AccountError.unknownArea(area) }
        if let team {
            guard try await store.teams().contains(where: { $0.code == team }) else { throw AccountError.unknownTeam(team) }
        }
        if let password, password.count < minimumPassword { throw AccountError.shortPassword(minimum: minimumPassword) }
        let account = Account(name: name, role: role, area: area, team: team, created: stamp(now), hasPassword: password != nil)
        try await store.insertAccount(account, passwordHash: password.map(hash))
        return account
    }

    /// The account `name` signs in to with `password`. Ten failures in a row lock it for 15
    /// minutes; a locked or disabled account is refused whatever the password.
    public static func login(name: String, password: String, in store: any WorkspaceStore, now: Date = Date()) async throws -> Account {
        guard let (account, passwordHash) = try await store.accountCredentials(named: name) else {
            _ = Bcrypt.verify(password, hash: dummyHash)  // the same time whether the name exists or not
            throw AccountError.wrongCredentials
        }
        if account.disabled { throw AccountError.disabled(account.name) }
        if let until = account.lockedUntil, let end = date(until), end > now { throw AccountError.locked(account.name, until: until) }
        guard let passwordHash, Bcrypt.verify(password, hash: passwordHash) else {
            let failures = (account.lockedUntil == nil ? account.failedLogins : 0) + 1  // a lock that ran out starts the count again
            let lock = failures >= lockThreshold ? stamp(now.addingTimeInterval(lockDuration)) : nil
            try await store.updateAccount(named: account.name, .loginFailed(lockUntil: lock))
            if let lock { throw AccountError.locked(account.name, until: lock) }
            throw AccountError.wrongCredentials
        }
        if account.failedLogins > 0 || account.lockedUntil != nil { try await store.updateAccount(named: account.name, .loginSucceeded) }
        return account
    }

    /// A new API token for `name` (shown once; only its digest is stored, replacing any earlier one).
    public static func newToken(for name: String, in store: any WorkspaceStore) async throws -> String {
        guard try await store.accountCredentials(named: name) != nil else { throw AccountError.unknown(name) }
        let token = "otk_" + randomHex(24)
        try await store.updateAccount(named: name, .token(digest: digest(token)))
        return token
    }

    /// The enabled account a bearer token belongs to.
    public static func account(forToken token: String, in store: any WorkspaceStore) async throws -> Account? {
        guard token.hasPrefix("otk_"), token.count < 200, let account = try await store.account(tokenDigest: digest(token)),
              !account.disabled else { return nil }
        return account
    }

    public static func setPassword(_ password: String, for name: String, in store: any WorkspaceStore) async throws {
        if password.count < minimumPassword { throw AccountError.shortPassword(minimum: minimumPassword) }
        guard try await store.accountCredentials(named: name) != nil else { throw AccountError.unknown(name) }
        try await store.updateAccount(named: name, .password(hash: hash(password)))
    }

    public static func setDisabled(_ disabled: Bool, for name: String, in store: any WorkspaceStore) async throws {
        guard try await store.accountCredentials(named: name) != nil else { throw AccountError.unknown(name) }
        try await store.updateAccount(named: name, .disabled(disabled))
    }

    /// A password that is easy to read out and type on a phone: 12 letters and digits.
    public static func newPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: bcryptCost) }
    private static let dummyHash = Bcrypt.hash("not a password", cost: bcryptCost)

    /// SHA-256 of a token, hex.
    public static func digest(_ token: String) -> String {
        Checksum.sha256Hex(Array(token.utf8))  // every API call asks: no `String(format:)` per byte
    }

    public static func randomHex(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Checksum.hex((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func stamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func date(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }

    /// A stamp as Vietnam's clock shows it: `HH:mm dd/MM/yyyy`.
    static func vietnamTime(_ text: String) -> String? {
        guard let date = date(text) else { return nil }
        let f = DateFormatter()
        f.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        f.dateFormat = "HH:mm dd/MM/yyyy"
        return f.string(from: date)
    }
}
