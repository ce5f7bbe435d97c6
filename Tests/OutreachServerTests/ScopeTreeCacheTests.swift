import Foundation
import OutreachKit
import Testing
@testable import OutreachServer

/// The scope tree kept by the server: a burst of requests on a cold cache reads it once (before,
/// 64 posts at start-up made 45 reads of a province's tree on PostgreSQL, 6 s of its work).
@Suite("outreach serve: the scope tree is read once per burst")
struct ScopeTreeCacheTests {
    final class Reads: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    static let tree = AreaTree(nodes: [.init(id: 1, code: "86", name: "Tỉnh Vĩnh Long", level: .province)])

    @Test("64 requests at once on a cold cache make one read and all get its tree")
    func oneReadPerBurst() async throws {
        let state = ServerState(secret: "s", setupToken: nil)
        let reads = Reads()
        let codes = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    try await state.tree("86") {
                        reads.add()
                        try await Task.sleep(nanoseconds: 100_000_000)
                        return Self.tree
                    }?.nodes.first?.code
                }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(reads.value == 1)
        #expect(codes == Array(repeating: "86", count: 64))
        // Kept: no read on the next request.
        _ = try await state.tree("86") { reads.add(); return Self.tree }
        #expect(reads.value == 1)
    }

    @Test("forgetting the trees makes the next request read again; a failed read is not kept")
    func forgetAndFailure() async throws {
        struct Down: Error {}
        let state = ServerState(secret: "s", setupToken: nil)
        let reads = Reads()
        await #expect(throws: Down.self) { try await state.tree("86") { reads.add(); throw Down() } }
        _ = try await state.tree("86") { reads.add(); return Self.tree }
        #expect(reads.value == 2)
        state.forgetTrees()
        _ = try await state.tree("86") { reads.add(); return Self.tree }
        #expect(reads.value == 3)
    }

    @Test("a read under way when the trees are forgotten is not kept: the next request reads again")
    func forgottenDuringRead() async throws {
        let state = ServerState(secret: "s", setupToken: nil)
        let reads = Reads()
        async let first = state.tree("86") {
            reads.add()
            try await Task.sleep(nanoseconds: 200_000_000)
            return Self.tree
        }
        try await Task.sleep(nanoseconds: 20_000_000)
        state.forgetTrees()
        #expect(try await first?.nodes.first?.code == "86")
        _ = try await state.tree("86") { reads.add(); return Self.tree }
        #expect(reads.value == 2)
    }
}

/// The accounts of API tokens kept by the server for `ServerState.tokenLifetime`: every API call
/// asked the workspace before (on PostgreSQL a round trip per post).
@Suite("outreach serve: a token's account is kept a few seconds")
struct TokenCacheTests {
    static let lan = Account(name: "lan", role: .leader, area: "16285", team: nil, created: "2026-12-06T00:00:00Z", hasPassword: true)

    @Test("a token's account is read once, then kept; forgetting the tokens reads again; no account is never kept")
    func keptAndForgotten() async throws {
        let state = ServerState(secret: "s", setupToken: nil)
        let reads = ScopeTreeCacheTests.Reads()
        for _ in 0..<3 {
            #expect(try await state.tokenAccount("otk_a") { reads.add(); return Self.lan }?.name == "lan")
        }
        #expect(reads.value == 1)
        // Another token is another key.
        #expect(try await state.tokenAccount("otk_b") { reads.add(); return nil } == nil)
        #expect(try await state.tokenAccount("otk_b") { reads.add(); return nil } == nil)
        #expect(reads.value == 3)
        state.forgetTokens()
        #expect(try await state.tokenAccount("otk_a") { reads.add(); return nil } == nil)  // disabled meanwhile
        #expect(reads.value == 4)
    }

    @Test("an account read while the tokens are forgotten is not kept")
    func forgottenDuringRead() async throws {
        let state = ServerState(secret: "s", setupToken: nil)
        let reads = ScopeTreeCacheTests.Reads()
        _ = try await state.tokenAccount("otk_a") {
            reads.add()
            state.forgetTokens()  // an administrator disables the account while it is read
            return Self.lan
        }
        _ = try await state.tokenAccount("otk_a") { reads.add(); return nil }
        #expect(reads.value == 2)
    }
}
