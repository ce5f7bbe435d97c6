import Foundation

/// The accounts' SQL, written once: both engines accept it as it is (`$n` parameters, numbered
/// in the order they appear so that SQLite's positional binding agrees, INTEGER flags, ISO text
/// stamps). `AccountTests` runs every statement on both engines.
enum AccountSQL {
    /// A value bound to a `$n` parameter.
    enum Value: Sendable, Equatable {
        case text(String?)
        case int(Int)
    }

    /// The columns of `account` after its engine's id column.
    static let tableColumns = """
        name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
                role TEXT NOT NULL CHECK (role IN ('leader','officer','viewer','admin')),
                area_code TEXT NOT NULL,
                team_code TEXT,
                password_hash TEXT,
                token_digest TEXT UNIQUE,
                disabled INTEGER NOT NULL DEFAULT 0,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT,
                created TEXT NOT NULL
        """

    /// What `account(from:)` reads, in order.
    static let columns = """
        name, role, area_code, team_code, disabled, failed_logins, locked_until, created, \
        CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END, CASE WHEN token_digest IS NULL THEN 0 ELSE 1 END, password_hash
        """
    static let exists = "SELECT count(*) FROM account WHERE name = $1"
    static let insert = "INSERT INTO account (name, role, area_code, team_code, password_hash, created) VALUES ($1, $2, $3, $4, $5, $6)"
    static let list = "SELECT \(columns) FROM account ORDER BY name"
    static let byName = "SELECT \(columns) FROM account WHERE name = $1"
    static let byToken = "SELECT \(columns) FROM account WHERE token_digest = $1"
    static let newSecret = "INSERT INTO server_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING"
    static let secret = "SELECT secret FROM server_secret WHERE id = 1"

    static func insertValues(_ account: Account, passwordHash: String?) -> [Value] {
        [.text(account.name), .text(account.role.rawValue), .text(account.area), .text(account.team), .text(passwordHash),
         .text(account.created)]
    }

    /// The statement and values of a change to the account `name`. (Parameters are numbered in
    /// the order they appear: SQLite numbers `$n` by first appearance.)
    static func update(_ name: String, _ change: AccountChange) -> (sql: String, values: [Value]) {
        switch change {
        case let .disabled(flag): ("UPDATE account SET disabled = $1 WHERE name = $2", [.int(flag ? 1 : 0), .text(name)])
        case let .password(hash):
            ("UPDATE account SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE name = $2", [.text(hash), .text(name)])
        case let .token(digest): ("UPDATE account SET token_digest = $1 WHERE name = $2", [.text(digest), .text(name)])
        case let .loginFailed(lock):
            // After a lock has run out the count starts again.
            ("""
             UPDATE account SET failed_logins = CASE WHEN locked_until IS NULL THEN failed_logins + 1 ELSE 1 END,
                 locked_until = $1 WHERE name = $2
             """, [.text(lock), .text(name)])
        case .loginSucceeded: ("UPDATE account SET failed_logins = 0, locked_until = NULL WHERE name = $1", [.text(name)])
        }
    }

    /// An account from a row of `columns`, read through the engine's `text` and `int` of a cell.
    static func account(text: (Int) throws -> String?, int: (Int) throws -> Int?) throws -> (Account, passwordHash: String?) {
        let account = Account(name: try text(0) ?? "", role: Role(rawValue: try text(1) ?? "") ?? .viewer, area: try text(2) ?? "",
                              team: try text(3), disabled: (try int(4) ?? 0) != 0, failedLogins: try int(5) ?? 0,
                              lockedUntil: try text(6), created: try text(7) ?? "", hasPassword: (try int(8) ?? 0) != 0,
                              hasToken: (try int(9) ?? 0) != 0)
        return (account, try text(10))
    }
}
