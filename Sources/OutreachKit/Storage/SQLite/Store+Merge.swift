import Foundation
import GRDB

/// What a merge did with one kind of row.
public struct MergeCount: Equatable, Sendable {
    /// Rows this workspace did not have.
    public var new = 0
    /// Rows it already had, the same.
    public var present = 0
    /// Rows both copies changed where the bundle's version was newer: it replaced this
    /// workspace's, which went to the merge log.
    public var updated = 0
    /// Rows where this workspace's version was kept and the bundle's went to the merge log.
    public var setAside = 0

    public init() {}
}

/// What merging one bundle did.
public struct MergeSummary: Equatable, Sendable {
    /// The bundle as the user named it.
    public var file: String
    public var header: BundleHeader
    public var areas = MergeCount()
    public var teams = MergeCount()
    public var members = MergeCount()
    public var sessions = MergeCount()
    /// Voids: new ones (a session this workspace counted is now voided, or a new session came
    /// voided), ones already here, and a second, different void of one session.
    public var voids = MergeCount()
    public var sessionMetrics = MergeCount()
    public var leafletMoves = MergeCount()
    /// One line per version a merge did not keep, up to a limit (no phone numbers).
    public var notes: [String] = []
    /// How many such versions there were.
    public var noteCount = 0
    /// Notices: both copies replaced one session, stock below zero …
    public var warnings: [Warning] = []
    /// When a bundle with the same records was merged before (UTC), if it was.
    public var previousMerge: String?

    public init(file: String, header: BundleHeader) {
        self.file = file
        self.header = header
    }

    /// The kinds of row in bundle order, with their counts.
    public var counts: [(kind: String, count: MergeCount)] {
        [("areas", areas), ("teams", teams), ("members", members), ("sessions", sessions), ("voids", voids),
         ("session metrics", sessionMetrics), ("leaflet moves", leafletMoves)]
    }

    /// Rows this workspace did not have before.
    public var added: Int { counts.reduce(0) { $0 + $1.count.new } }
}

/// A bundle whose merge was refused: nothing was changed.
public struct MergeRefused: Error, Equatable, Sendable, UserFacingError {
    /// One problem: where in the bundle, what, and whether `--set-aside-conflicts` can settle it.
    public struct Problem: Equatable, Sendable {
        public var line: Int?
        public var text: String
        public var canSetAside: Bool
    }

    public var file: String
    /// The problems, up to a limit.
    public var problems: [Problem]
    public var total: Int

    public var message: String {
        var lines = problems.map { p in p.line.map { "\(file):\($0): \(p.text)" } ?? "\(file): \(p.text)" }
        if total > problems.count { lines.append("… and \(total - problems.count) more problems.") }
        lines.append("\(file): nothing was merged (\(total == 1 ? "1 problem" : "\(total) problems")).")
        if problems.contains(where: \.canSetAside) {
            lines.append("Rows with the same id but other content mean one copy is wrong; sessions are never edited. If this workspace is right, merge again with --set-aside-conflicts: the rest comes in, and the bundle's versions are kept in the merge log. If the bundle is right, void the session here and log the right figures (`outreach log … --replaces ID --reason …`), then merge with --set-aside-conflicts.")
        }
        return lines.joined(separator: "\n")
    }
}

extension Store {
    /// Merges the bundle at `path` (named `name` in messages), all or nothing.
    ///
    /// The bundle's length and checksum are verified before anything is written. Merging is
    /// idempotent and order-independent: sessions, voids and leaflet moves are keyed by their
    /// ids; an area, team or member changed in two copies keeps its later version (by revision
    /// stamp, then by content), the other going to the merge log; a void always wins over a live
    /// copy of its session; running totals follow the live sessions. A session or leaflet move
    /// with the same id and other content refuses the whole bundle, unless `setAsideConflicts`:
    /// then this workspace's version is kept and the bundle's goes to the merge log.
    ///
    /// `today` dates the tree history of renames and moves; `now` is recorded as the merge time,
    /// and an area, team or member stamped more than a day after `now` refuses the bundle (a
    /// clock set ahead would make its versions win every later merge).
    public func mergeBundle(file path: String, name: String? = nil, today: Day, now: Date,
                            setAsideConflicts: Bool = false) throws -> MergeSummary {
        let reader = try BundleReader(path: path, name: name ?? path)
        return try guarded { try writer.writeWithoutTransaction { db in
            // As for a big import: a rollback journal when the workspace is ours alone (a store
            // opened with one connection), and a bigger page cache for this merge only.
            let wal = try Store.leaveWAL(db, forBytes: Int64(reader.header.bodyBytes))
            defer { if wal { _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") } }
            try db.execute(sql: "PRAGMA cache_size = -65536")
            defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
            var summary: MergeSummary? = nil
            try db.inTransaction(.immediate) {
                var merge = try BundleMerge(db: db, reader: reader, today: today, now: Store.isoTimestamp(now),
                                            latestStamp: RevisionStamp.latestAccepted(now: now), setAsideConflicts: setAsideConflicts)
                try merge.run()
                summary = merge.summary
                return .commit
            }
            return summary!
        } }
    }
}
