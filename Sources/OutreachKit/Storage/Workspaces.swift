import Dispatch
import Foundation

/// Opening a workspace by what `--db` or `OUTREACH_DB` names: a `postgresql://` URI opens the
/// PostgreSQL engine, anything else is an SQLite file's path.
public enum Workspaces {
    /// Opens the workspace at `location`. With `create`, a missing one is created.
    /// `singleConnection` is SQLite's one-writer mode for imports and merges (ignored by PostgreSQL,
    /// whose pool serves every command).
    public static func open(_ location: String, create: Bool = false, singleConnection: Bool = false) async throws -> any WorkspaceStore {
        if PostgresLocation.isURI(location) {
            return try await PostgresWorkspace.open(try PostgresLocation(uri: location), create: create)
        }
        return try Store.open(path: location, create: create, singleConnection: singleConnection)
    }

    /// Runs async `body` to completion from synchronous code, and returns its result.
    ///
    /// For the command line's main thread only: called from a task of Swift's cooperative pool
    /// it could wait for a thread that it holds itself.
    public static func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try box.get()
    }
}

/// A result handed from a task to the thread waiting for it.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private var result: Result<T, any Error>?
    private let lock = NSLock()
    func set(_ value: Result<T, any Error>) { lock.lock(); result = value; lock.unlock() }
    func get() throws -> T {
        lock.lock(); defer { lock.unlock() }
        guard let result else { throw CancellationError() }
        return try result.get()
    }
}
