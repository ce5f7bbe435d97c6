import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// A temporary folder for bundle files, and workspaces to exchange them between.
struct BundleLab {
    let dir: URL
    static let today = Day(parsing: "2026-11-22")!
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    /// When the lab merges: the machine's clock (read once), as a merge reads it. Revision
    /// stamps come from SQLite's clock, and a merge refuses those more than a day after its time.
    static let mergeTime = Date()

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A workspace with a district, two communes, five hamlets, two teams and three members.
    static func seeded() throws -> Store {
        let store = try Store.inMemory()
        let rows = [
            AreaRow(line: 2, code: "404", name: "Huyện Nông Cống", level: .district),
            AreaRow(line: 3, code: "16282", name: "Xã Tân Phúc", level: .commune, parentCode: "404"),
            AreaRow(line: 4, code: "16282-01", name: "Thôn 1", level: .hamlet, localKind: "thôn", parentCode: "16282",
                    attributes: AreaAttributes(population: 1200, adults: 900, households: 320)),
            AreaRow(line: 5, code: "16282-02", name: "Thôn 2", level: .hamlet, parentCode: "16282",
                    attributes: AreaAttributes(adults: 600)),
            AreaRow(line: 6, code: "16282-03", name: "Thôn Phúc Lâm", level: .hamlet, parentCode: "16282"),
            AreaRow(line: 7, code: "16285", name: "Xã Tân Thọ", level: .commune, parentCode: "404"),
            AreaRow(line: 8, code: "16285-01", name: "Thôn Đông", level: .hamlet, parentCode: "16285"),
        ]
        _ = try store.importAreas(rows, file: "areas.csv", on: Day(parsing: "2026-01-01")!)
        try store.addTeam(Team(code: "P06-16282", name: "Tổ công tác Đề án 06 Xã Tân Phúc", kind: .project06, areaCode: "16282",
                               leader: "Lê Văn Hùng", leaderPhone: Phone(digits: "0912345678")), on: today)
        try store.addTeam(Team(code: "TN-16285", name: "Đội thanh niên Tân Thọ", kind: .volunteer, areaCode: "16285"), on: today)
        try store.addMember(Member(teamCode: "P06-16282", name: "Lê Văn Hùng", phone: Phone(digits: "0912345678"), role: .leader))
        try store.addMember(Member(teamCode: "P06-16282", name: "Đỗ Thị Mai", phone: Phone(digits: "0388123456")))
        try store.addMember(Member(teamCode: "TN-16285", name: "Phạm Thu Hà"))
        return store
    }

    /// Logs one session and returns its id.
    @discardableResult
    static func log(_ store: Store, _ area: String, _ date: String, eid: Int, leaflets: Int? = nil, team: String? = nil,
                    notes: String? = nil) throws -> String {
        var metrics = MetricValues([.eidL2: eid])
        metrics[.leaflets] = leaflets
        return try store.logSession(NewSession(day: Day(parsing: date)!, area: area, team: team, metrics: metrics, notes: notes),
                                    today: today).id
    }

    /// Exports `store` to `name` in the folder and returns the path.
    @discardableResult
    func export(_ store: Store, _ name: String, scope: BundleScope = BundleScope()) throws -> String {
        let path = self.path(name)
        _ = try store.exportBundle(to: path, scope: scope, now: BundleLab.now)
        return path
    }

    /// Merges the bundle at `path` into `store`.
    @discardableResult
    static func merge(_ path: String, into store: Store, setAside: Bool = false) throws -> MergeSummary {
        try store.mergeBundle(file: path, name: URL(fileURLWithPath: path).lastPathComponent, today: today, now: mergeTime,
                              setAsideConflicts: setAside)
    }

    /// Everything `store` holds, as the checksum of a full export with phones, plus its running
    /// totals: equal digests mean equal workspaces.
    func digest(_ store: Store) throws -> String {
        let path = self.path("digest-\(UUID().uuidString).bundle")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = try store.exportBundle(to: path, scope: BundleScope(includePhones: true), now: BundleLab.now)
        let totals = try store.read { db in
            // Every column of the monthly totals, and the campaign metrics' totals.
            try (Row.fetchAll(db, sql: """
                SELECT a.code, m.month, m.sessions, \(Metric.allCases.map { "m." + $0.code }.joined(separator: ", ")), m.last_day
                FROM area_month m JOIN area a ON a.id = m.area_id ORDER BY a.code, m.month
                """) + Row.fetchAll(db, sql: """
                SELECT a.code, m.month, m.metric, m.value FROM area_month_metric m JOIN area a ON a.id = m.area_id
                ORDER BY a.code, m.month, m.metric
                """)).map { "\($0)" }.joined(separator: "\n")
        }
        return header.contentDigest + "\n" + totals
    }

    /// Whether a record is data, not history: an audit row differs between copies that merged
    /// the same data in another order.
    static func isData(_ record: String) -> Bool { !record.hasPrefix("[\"audit\"") }

    /// The records of a bundle file, without its header.
    static func records(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
    }

    /// Writes a bundle with these record lines and a correct header.
    func handMade(_ name: String, _ records: [String], version: Int = 1, phones: Bool = false) throws -> String {
        let path = self.path(name)
        var writer = try BundleWriter(path: path, name: name)
        var counts = [Int](repeating: 0, count: 9)
        for r in records {
            try writer.write(Array((r + "\n").utf8))
            let type = r.split(separator: "\"")[1]
            let kind = ["area", "team", "member", "session", "void", "session_metric", "leaflet_move", "approval", "audit"].firstIndex(of: String(type))!
            counts[kind] += 1
            if type == "session", !r.hasSuffix("null,null,null]") { counts[4] += 1 }
        }
        let body = try writer.seal()
        try writer.finish(header: BundleHeader(version: version, workspace: "hand-made", exported: "2026-11-22T00:00:00Z",
                                               phones: phones, counts: BundleCounts(values: counts), bodyBytes: body.bytes,
                                               bodySHA256: body.sha256))
        return path
    }

    static func count(_ store: Store, _ table: String) throws -> Int {
        try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }
}

extension BundleCounts {
    /// The counts of data, without the audit rows (which each copy writes its own of).
    var data: BundleCounts {
        var c = self
        c.audit = 0
        return c
    }
}
