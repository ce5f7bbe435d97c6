import Foundation
import PostgresNIO

// The accounts of `outreach serve` on PostgreSQL: `AccountSQL`'s statements, as on SQLite.
extension PostgresWorkspace {
    public func insertAccount(_ account: Account, passwordHash: String?) async throws {
        try await transaction { connection in
            try await connection.query("LOCK TABLE account IN SHARE ROW EXCLUSIVE MODE", logger: Self.quiet)
            if try await Self.accountRows(connection, AccountSQL.exists, [.text(account.name)]) { $0.int ?? 0 }.first ?? 0 > 0 {
                throw AccountError.exists(account.name)
            }
            _ = try await Self.accountRows(connection, AccountSQL.insert, AccountSQL.insertValues(account, passwordHash: passwordHash)) { _ in 0 }
            try await Self.audit(connection, RosterAudit.account(account))
        }
    }

    public func accounts() async throws -> [Account] {
        try await read { connection in try await Self.accounts(connection, AccountSQL.list, []).map(\.0) }
    }

    public func accountCredentials(named name: String) async throws -> (Account, passwordHash: String?)? {
        // One statement: no transaction around it (a page request's first question).
        let rows = try await single { connection in try await Self.accounts(connection, AccountSQL.byName, [.text(name)]) }
        return rows.first.map { ($0.0, passwordHash: $0.1) }
    }

    public func account(tokenDigest: String) async throws -> Account? {
        // One statement, prepared once per connection, with no transaction around it: every API
        // call's first question.
        try await single { connection in
            for try await row in try await connection.execute(TokenAccountStatement(digest: tokenDigest), logger: Self.quiet) {
                return try Self.account(row).0
            }
            return nil
        }
    }

    /// `AccountSQL.byToken`, prepared once per connection.
    struct TokenAccountStatement: PostgresPreparedStatement {
        static let sql = AccountSQL.byToken
        typealias Row = PostgresRow
        var digest: String
        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 1)
            binds.append(digest)
            return binds
        }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    public func updateAccount(named name: String, _ change: AccountChange) async throws {
        let (sql, values) = AccountSQL.update(name, change)
        try await transaction { connection in
            _ = try await Self.accountRows(connection, sql, values) { _ in 0 }
            if let entry = RosterAudit.account(name, change) { try await Self.audit(connection, entry) }
        }
    }

    public func serverSecret() async throws -> String {
        try await transaction { connection in
            _ = try await Self.accountRows(connection, AccountSQL.newSecret, [.text(Accounts.randomHex(32))]) { _ in 0 }
            return try await Self.accountRows(connection, AccountSQL.secret, []) { $0.text ?? "" }.first ?? ""
        }
    }

    private static func accounts(_ connection: PostgresConnection, _ sql: String,
                                 _ values: [AccountSQL.Value]) async throws -> [(Account, String?)] {
        var out: [(Account, String?)] = []
        for try await row in try await connection.query(query(sql, values), logger: quiet) { out.append(try account(row)) }
        return out
    }

    /// An account row (`AccountSQL.columns`) and its password hash.
    private static func account(_ row: PostgresRow) throws -> (Account, String?) {
        let cells = row.makeRandomAccess()
        return try AccountSQL.account(text: { cells[$0].text }, int: { cells[$0].int })
    }

    /// The first column of each row of `sql`, read by `cell`.
    private static func accountRows<T: Sendable>(_ connection: PostgresConnection, _ sql: String, _ values: [AccountSQL.Value],
                                                 _ cell: (PostgresCell) -> T) async throws -> [T] {
        var out: [T] = []
        for try await row in try await connection.query(query(sql, values), logger: quiet) {
            if let first = row.first { out.append(cell(first)) }
        }
        return out
    }

    private static func query(_ sql: String, _ values: [AccountSQL.Value]) -> PostgresQuery {
        var binds = PostgresBindings()
        for value in values {
            switch value {
            case let .text(text): binds.append(text)
            case let .int(n): binds.append(n)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
