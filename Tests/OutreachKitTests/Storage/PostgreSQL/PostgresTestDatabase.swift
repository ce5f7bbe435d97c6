import Foundation
import Logging
import PostgresNIO
import Testing
@testable import OutreachKit

/// The throw-away PostgreSQL cluster of `.ci/postgres.sh`, when the tests run with it:
/// `OUTREACH_TEST_PG` holds the URI of a database on it.
enum PostgresTestServer {
    /// The cluster's URI, or nil when the tests run on SQLite only.
    static let uri: String? = {
        let value = ProcessInfo.processInfo.environment["OUTREACH_TEST_PG"] ?? ""
        return value.isEmpty ? nil : value
    }()

    /// Whether PostgreSQL tests run (a trait: `.enabled(if: PostgresTestServer.available)`).
    static var available: Bool { uri != nil }

    /// A new, empty database on the test cluster, and its location.
    static func freshDatabase() async throws -> PostgresLocation {
        let admin = try PostgresLocation(uri: uri ?? "")
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await sql(admin, "CREATE DATABASE \(name)")
        let text = uri ?? ""
        guard let range = text.range(of: "/\(admin.database)") else { return admin }
        return try PostgresLocation(uri: text.replacingCharacters(in: range, with: "/\(name)"))
    }

    /// Runs one statement on the database at `location` (test set-up).
    static func sql(_ location: PostgresLocation, _ statement: String) async throws {
        let connection = try await PostgresWorkspace.connect(location)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "test"))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
