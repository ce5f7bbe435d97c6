import Foundation
import GRDB

// The accounts of `outreach serve` in an SQLite workspace: `AccountSQL`'s statements.
extension Store {
    public func insertAccount(_ account: Account, passwordHash: String?) throws {
        try write { db in
            if try Int.fetchOne(db, sql: AccountSQL.exists, arguments: [account.name]) ?? 0 > 0 { throw AccountError.exists(account.name) }
            try db.execute(sql: AccountSQL.insert, arguments: Self.arguments(AccountSQL.insertValues(account, passwordHash: passwordHash)))
            try Store.audit(db, RosterAudit.account(account))
        }
    }

    public func accounts() throws -> [Account] {
        try read { db in try Row.fetchAll(db, sql: AccountSQL.list).map { try Self.account($0).0 } }
    }

    public func accountCredentials(named name: String) throws -> (Account, passwordHash: String?)? {
        try read { db in try Row.fetchOne(db, sql: AccountSQL.byName, arguments: [name]).map(Self.account) }
    }

    public func account(tokenDigest: String) throws -> Account? {
        try read { db in try Row.fetchOne(db, sql: AccountSQL.byToken, arguments: [tokenDigest]).map { try Self.account($0).0 } }
    }

    public func updateAccount(named name: String, _ change: AccountChange) throws {
        let (sql, values) = AccountSQL.update(name, change)
        try write { db in
            try db.execute(sql: sql, arguments: Self.arguments(values))
            if let entry = RosterAudit.account(name, change) { try Store.audit(db, entry) }
        }
    }

    public func serverSecret() throws -> String {
        try write { db in
            try db.execute(sql: AccountSQL.newSecret, arguments: [Accounts.randomHex(32)])
            return try String.fetchOne(db, sql: AccountSQL.secret) ?? ""
        }
    }

    private static func arguments(_ values: [AccountSQL.Value]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case let .text(text): text
            case let .int(n): n
            }
        })
    }

    private static func account(_ row: Row) throws -> (Account, passwordHash: String?) {
        try AccountSQL.account(text: { row[$0] }, int: { row[$0] })
    }
}
