import Foundation

/// `body(0)`, …, `body(count - 1)` run on as many threads as there are cores, the results in
/// order. For the few steps of a national report that are worth splitting in two (building
/// 100,000 rows, formatting their cells).
func parallelMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    let results = ParallelResults<T>(count)
    withoutActuallyEscaping(body) { body in
        // The callers' closures read immutable report data only; each writes its own slot.
        let task = Unchecked(body)
        DispatchQueue.concurrentPerform(iterations: count) { i in results.set(i, task.value(i)) }
    }
    return results.values.map { $0! }
}

/// `first()` on this thread while `second()` runs on another; both results, or the first error.
/// (A whole-tree report reads the tree and the totals at once, each in its own transaction.)
func inParallel<A, B>(_ first: () throws -> A, _ second: () throws -> B) throws -> (A, B) {
    let results = parallelMap(2) { k -> (a: Result<A, Error>?, b: Result<B, Error>?) in
        k == 0 ? (Result { try first() }, nil) : (nil, Result { try second() })
    }
    return (try results[0].a!.get(), try results[1].b!.get())
}

/// `range` cut into `parts` consecutive pieces of nearly equal size (fewer when it is short).
func split(_ range: Range<Int>, into parts: Int) -> [Range<Int>] {
    let parts = max(1, min(parts, range.count))
    return (0..<parts).map { k in
        range.lowerBound + range.count * k / parts..<range.lowerBound + range.count * (k + 1) / parts
    }
}

/// Threads of a national report: two halves when there are enough rows to pay for a thread.
func reportThreads(rows: Int) -> Int {
    rows >= 20_000 ? max(1, min(2, ProcessInfo.processInfo.activeProcessorCount)) : 1
}

private struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

private final class ParallelResults<T>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [T?]

    init(_ count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock()
        values[i] = value
        lock.unlock()
    }
}
