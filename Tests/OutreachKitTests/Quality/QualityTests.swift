import Foundation
import Testing
@testable import OutreachKit

@Suite("Data quality: outliers, duplicates and bursts; follow-ups; team quality and fair recognition")
struct QualityTests {
    static func session(_ id: Int, _ day: String, _ area: String, team: String? = "T1", _ metrics: [String: Int]) -> SessionEntry {
        SessionEntry(id: String(format: "00000000-0000-4000-8000-%012d", id), date: Day(parsing: day)!, area: area, areaName: area,
                     team: team, loggedBy: nil, metrics: metrics, notes: nil, voided: nil)
    }

    @Test("a value far above its hamlet's and commune's usual values is flagged with its score; low values, and values usual in the hamlet, are not")
    func outliers() {
        var sessions = (1...8).map { Self.session($0, "2026-11-0\(1 + $0 % 8)", "H1", ["eid_l2": 3 + $0 % 3, "people_reached": 20]) }
        sessions += (9...14).map { Self.session($0, "2026-11-1\($0 % 9)", "H2", ["eid_l2": 4, "people_reached": 25]) }
        sessions.append(Self.session(20, "2026-11-20", "H1", ["eid_l2": 550, "people_reached": 3]))
        sessions.append(Self.session(21, "2026-11-21", "H1", ["eid_l2": 0, "people_reached": 20]))
        let flags = OutlierDetection().flags(sessions, commune: { _ in "C" }, metrics: ["eid_l2", "people_reached"])
        let outliers = flags.filter { $0.kind == .outlier }
        #expect(outliers.map(\.session) == [Self.session(20, "2026-11-20", "H1", [:]).id])
        #expect(outliers.first?.metric == "eid_l2" && outliers.first?.value == 550 && (outliers.first?.score ?? 0) > 10)
        #expect(outliers.first?.hamletMedian == 4)
        // A higher threshold flags nothing the lower did not.
        #expect(OutlierDetection(threshold: 1000).flags(sessions, commune: { _ in "C" }, metrics: ["eid_l2"]).filter { $0.kind == .outlier }.isEmpty)
    }

    @Test("robust scores: the MAD, or the mean absolute deviation when the MAD is 0; none when every value is the same")
    func robust() {
        let r = Robust([1, 2, 3, 4, 100])
        #expect(r.median == 3)
        #expect(abs((r.score(100) ?? 0) - 0.6745 * 97) < 1e-9)
        let flat = Robust([5, 5, 5, 5, 9])
        #expect(flat.median == 5 && flat.scale != nil)
        #expect(Robust([2, 2, 2]).score(2) == nil)
    }

    @Test("exact duplicates (same day, hamlet, team and counts) and bursts of a team's sessions in one day")
    func duplicatesAndBursts() {
        var sessions = [Self.session(1, "2026-11-02", "H1", ["eid_l2": 5]), Self.session(2, "2026-11-02", "H1", ["eid_l2": 5]),
                        Self.session(3, "2026-11-02", "H1", team: "T2", ["eid_l2": 5]), Self.session(4, "2026-11-03", "H1", ["eid_l2": 5])]
        sessions += (10..<14).map { Self.session($0, "2026-11-05", "H\($0)", team: "T9", ["people_reached": $0]) }
        let flags = OutlierDetection(burst: 3).flags(sessions, commune: { _ in "C" }, metrics: [])
        let duplicates = flags.filter { $0.kind == .duplicate }
        #expect(duplicates.map(\.session) == [sessions[1].id] && duplicates.first?.other == sessions[0].id)
        let bursts = flags.filter { $0.kind == .burst }
        #expect(bursts.count == 4 && bursts.allSatisfy { $0.team == "T9" && $0.count == 4 })
        #expect(OutlierDetection(burst: 4).flags(sessions, commune: { _ in "C" }, metrics: []).filter { $0.kind == .burst }.isEmpty)
    }

    @Test("recognition ranks by progress against each hamlet's own target, not by size: the largest team is not the best; open flags set data aside")
    func recognition() {
        let nodes = [AreaTree.Node(id: 1, code: "C", name: "Xã", level: .commune),
                     AreaTree.Node(id: 2, code: "BIG", name: "Thôn Lớn", level: .hamlet, parent: 0, attributes: AreaAttributes(adults: 1000)),
                     AreaTree.Node(id: 3, code: "SMALL", name: "Thôn Nhỏ", level: .hamlet, parent: 0, attributes: AreaAttributes(adults: 100))]
        let tree = AreaTree(nodes: nodes)
        let campaign = Campaign(id: "c", name: "C", scope: "C", start: Day(year: 2026, month: 1, day: 1)!, end: Day(year: 2026, month: 12, day: 31)!,
                                indicators: [Indicator(id: "eid", label: "eID", numerator: ["eid_l2"], denominator: "adults", target: .share(0.9))])
        let teams = [Team(code: "BIG-T", name: "Tổ lớn", kind: .project06, areaCode: "BIG"),
                     Team(code: "SMALL-T", name: "Tổ nhỏ", kind: .project06, areaCode: "SMALL")]
        let sessions = (1...10).map { Self.session($0, "2026-11-0\($0 % 9 + 1)", "BIG", team: "BIG-T", ["eid_l2": 50, "people_reached": 80]) }
            + (11...14).map { Self.session($0, "2026-11-1\($0 % 9)", "SMALL", team: "SMALL-T", ["eid_l2": 20, "people_reached": 25]) }
        let report = TeamQualityReport(campaign: campaign, tree: tree, start: 0, teams: teams, sessions: sessions, followUps: [],
                                       from: campaign.start, through: campaign.end)
        #expect(report.recognition.map(\.team) == ["SMALL-T", "BIG-T"])
        #expect(report.recognition.first?.value == 80 && report.recognition.last?.value == 500)
        #expect(abs((report.recognition.first?.progress ?? 0) - 80.0 / 90.0) < 1e-9)
        let big = report.lines.first { $0.team == "BIG-T" }
        #expect(big?.sessions == 10 && big?.peopleReached == 800 && big?.activations == 500 && big?.hamletsCovered == 1)
        // An open flag on two of the small team's sessions sets them aside until someone settles it.
        let flag = OutlierFlag(kind: .outlier, session: sessions[10].id, day: sessions[10].date, area: "SMALL", areaName: "SMALL", team: "SMALL-T",
                               metric: "eid_l2", value: 20)
        let open = FollowUp(id: 1, flag: flag, flagged: "", flaggedBy: "x", state: .open)
        let other = FollowUp(id: 2, flag: OutlierFlag(kind: .duplicate, session: sessions[11].id, day: sessions[11].date, area: "SMALL",
                                                      areaName: "SMALL", team: "SMALL-T", metric: ""), flagged: "", flaggedBy: "x", state: .open)
        let flagged = TeamQualityReport(campaign: campaign, tree: tree, start: 0, teams: teams, sessions: sessions, followUps: [open, other],
                                        from: campaign.start, through: campaign.end)
        #expect(flagged.recognition.map(\.team) == ["BIG-T", "SMALL-T"])
        #expect(flagged.recognition.last?.setAside == 2 && flagged.recognition.last?.value == 40)
        #expect(flagged.lines.first { $0.team == "SMALL-T" }?.flaggedShare == 0.5)
        var settled = open
        settled.state = .correct
        let resolved = TeamQualityReport(campaign: campaign, tree: tree, start: 0, teams: teams, sessions: sessions, followUps: [settled],
                                         from: campaign.start, through: campaign.end)
        #expect(resolved.recognition.first?.team == "SMALL-T")
    }

    @Test("a commune's team: its hamlets are those under the commune, covered once each however often and only inside it; days counted once; expected summed over them")
    func communeTeam() throws {
        let nodes = [AreaTree.Node(id: 1, code: "D", name: "Huyện", level: .district),
                     AreaTree.Node(id: 2, code: "C1", name: "Xã 1", level: .commune, parent: 0),
                     AreaTree.Node(id: 3, code: "H1", name: "Thôn 1", level: .hamlet, parent: 1, attributes: AreaAttributes(adults: 100)),
                     AreaTree.Node(id: 4, code: "H2", name: "Thôn 2", level: .hamlet, parent: 1, attributes: AreaAttributes(adults: 200)),
                     AreaTree.Node(id: 5, code: "H3", name: "Thôn 3", level: .hamlet, parent: 1),
                     AreaTree.Node(id: 6, code: "C2", name: "Xã 2", level: .commune, parent: 0),
                     AreaTree.Node(id: 7, code: "H4", name: "Thôn 4", level: .hamlet, parent: 5, attributes: AreaAttributes(adults: 400))]
        let tree = AreaTree(nodes: nodes)
        var campaign = Campaign(id: "c", name: "C", scope: "D", start: Day(year: 2026, month: 1, day: 1)!, end: Day(year: 2026, month: 12, day: 31)!,
                                indicators: [Indicator(id: "eid", label: "eID", numerator: ["eid_l2"], denominator: "adults", target: .share(0.5))])
        campaign.areaTargets = ["eid": ["H2": .share(0.25)]]
        let teams = [Team(code: "T2", name: "Tổ xã 2", kind: .project06, areaCode: "C2"),
                     Team(code: "T1", name: "Tổ xã 1", kind: .project06, areaCode: "C1"),
                     Team(code: "T0", name: "Tổ thôn 1", kind: .project06, areaCode: "H1")]
        let sessions = [Self.session(1, "2026-11-01", "H1", team: "T1", ["eid_l2": 5]),
                        Self.session(2, "2026-11-01", "H1", team: "T1", ["eid_l2": 5]),
                        Self.session(3, "2026-11-02", "H2", team: "T1", ["eid_l2": 5]),
                        Self.session(4, "2026-11-03", "C1", team: "T1", ["eid_l2": 5]),
                        Self.session(5, "2026-11-03", "H4", team: "T1", ["eid_l2": 5])]
        let report = TeamQualityReport(campaign: campaign, tree: tree, start: 0, teams: teams, sessions: sessions, followUps: [],
                                       from: campaign.start, through: campaign.end)
        // In tree order: Xã 1's team, the hamlet's team under it, then Xã 2's.
        #expect(report.lines.map(\.team) == ["T1", "T0", "T2"])
        let t1 = try #require(report.lines.first)
        #expect([t1.hamlets, t1.hamletsCovered, t1.daysActive, t1.sessions, t1.activations] as [Int] == [3, 2, 3, 5, 25])
        let t2 = try #require(report.lines.last)
        #expect([t2.hamlets, t2.hamletsCovered, t2.sessions] as [Int] == [1, 0, 0])
        // 50% of 100 in Thôn 1, 25% of 200 in Thôn 2, nothing for Thôn 3 (no adults).
        #expect(report.recognition.first { $0.team == "T1" }?.expected == 100.0)
        #expect(report.recognition.first { $0.team == "T2" }?.expected == 200.0)
    }

    @Test("follow-ups: stored once, listed open, resolved with a reason and audited, never reopened by a new run; a void or a correction settles them; the flagged session still counts",
          arguments: ClosingWorkspace.engines)
    func lifecycle(engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine, sessions: false)
        for day in 1...9 { _ = try await w.log("16282-01", Day(year: 2026, month: 11, day: day)!, eid: 3 + day % 3) }
        let big = try await w.log("16282-01", Day(year: 2026, month: 11, day: 12)!, eid: 550)
        let twin = try await w.log("16282-02", Day(year: 2026, month: 11, day: 13)!, eid: 4)
        let twice = try await w.log("16282-02", Day(year: 2026, month: 11, day: 13)!, eid: 4)
        let campaign = ClosingWorkspace.campaign()
        let run = try await recorded("hung") {
            try await w.store.outliers(campaign: campaign, under: "16282", detection: OutlierDetection(), asOf: ClosingWorkspace.today)
        }
        #expect(run.flags.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.duplicate, .outlier])
        #expect(run.flags.first { $0.kind == .outlier }?.session == big.id)
        #expect(Set([twin.id, twice.id]).contains(run.flags.first { $0.kind == .duplicate }?.session ?? ""))
        #expect(run.added == 2)
        let again = try await w.store.outliers(campaign: campaign, under: "16282", detection: OutlierDetection(), asOf: ClosingWorkspace.today)
        #expect(again.added == 0 && again.followUps.count == 2)
        // The flagged session still counts.
        #expect(try await w.store.sessions(SessionQuery(under: "16282-01")).contains { $0.id == big.id })
        let outlier = try #require(run.followUp(of: run.flags.first { $0.kind == .outlier }!))
        await #expect(throws: FollowUpError.noReason) { try await w.store.resolveFollowUp(outlier.id, reason: " ") }
        await #expect(throws: FollowUpError.unknown("999")) { try await w.store.resolveFollowUp(999, reason: "x") }
        let resolved = try await recorded("hung") { try await w.store.resolveFollowUp(outlier.id, reason: "đã gọi tổ trưởng") }
        #expect(resolved.state == .correct && resolved.resolvedBy == "hung" && resolved.reason == "đã gọi tổ trưởng")
        await #expect(throws: FollowUpError.self) { try await w.store.resolveFollowUp(outlier.id, reason: "lần nữa") }
        _ = try await w.store.outliers(campaign: campaign, under: nil, detection: OutlierDetection(), asOf: ClosingWorkspace.today)
        #expect(try await w.store.followUps(FollowUpQuery()).first { $0.id == outlier.id }?.state == .correct)
        // The duplicate is settled by correcting the session.
        let duplicate = try #require(run.followUp(of: run.flags.first { $0.kind == .duplicate }!))
        _ = try await w.log("16282-02", Day(year: 2026, month: 11, day: 13)!, eid: 6, replacing: duplicate.flag.session)
        #expect(try await w.store.followUps(FollowUpQuery()).first { $0.id == duplicate.id }?.state == .replaced)
        #expect(try await w.store.followUps(FollowUpQuery(openOnly: true)).isEmpty)
        #expect(try await w.store.followUps(FollowUpQuery(under: "16285")).isEmpty)
        let audit = try await w.store.auditEntries(AuditQuery(by: "hung"))
        #expect(audit.map(\.action) == [.followUpFlag, .followUpResolve])
    }
    @Test("at most maxResults outliers are kept, the strongest first (DHIS2's 500); duplicates and bursts are all kept")
    func strongestOutliers() {
        func flag(_ kind: OutlierFlag.Kind, _ session: String, score: Double?) -> OutlierFlag {
            OutlierFlag(kind: kind, session: session, day: Day(year: 2026, month: 11, day: 1)!, area: "16282-01", areaName: "Thôn 1",
                        team: nil, metric: kind == .outlier ? "eid_l2" : "", value: 9, hamletMedian: nil, communeMedian: nil,
                        score: score, other: nil, count: nil)
        }
        let flags = [flag(.outlier, "a", score: 3.1), flag(.duplicate, "b", score: nil), flag(.outlier, "c", score: 9.0),
                     flag(.outlier, "d", score: 4.5), flag(.burst, "e", score: nil)]
        let (kept, found) = OutlierDetection(maxResults: 2).strongest(flags)
        #expect(found == 3)
        #expect(kept.map(\.session) == ["b", "c", "d", "e"])
        #expect(OutlierDetection(maxResults: 0).strongest(flags).flags == flags)
        #expect(OutlierDetection().strongest(flags).flags == flags)
    }

    @Test("keeping the strongest while finding them gives the flags that finding all, then keeping the strongest, gives; ties by date, then session")
    func strongestWhileFinding() {
        // Twelve hamlets of one commune, each with usual sessions and two far above, some with the same score.
        var sessions: [SessionEntry] = []
        var id = 0
        for h in 1...12 {
            for k in 1...6 {
                id += 1
                sessions.append(Self.session(id, "2026-11-0\(k)", "H\(h)", ["eid_l2": 3 + k % 2, "people_reached": 20]))
            }
            for (k, value) in [(7, 40 + (h % 3) * 30), (8, 100 + (h % 4) * 50)] {
                id += 1
                sessions.append(Self.session(id, "2026-11-\(10 + (h + k) % 9)", "H\(h)", ["eid_l2": value, "people_reached": 20]))
            }
        }
        let q = QualitySessions(sessions, metrics: ["eid_l2", "people_reached"], commune: { _ in "C" })
        for max in [0, 1, 5, 7, 24, 500] {
            let detection = OutlierDetection(maxResults: max)
            let all = detection.strongest(detection.flags(q, outlierMetrics: [0, 1]))
            let kept = detection.strongestFlags(q, outlierMetrics: [0, 1])
            #expect(kept.outliers == all.outliers && kept.flags == all.flags, "maxResults \(max)")
            #expect(all.outliers >= 20)
        }
    }

}

@Suite("Where denominators come from")
struct ProvenanceTests {
    @Test("source and as_of of an areas file are kept, summarised in coverage JSON and the report's note; a file without the columns keeps them",
          arguments: ClosingWorkspace.engines)
    func provenance(engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine, sessions: false)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-prov-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("h.csv").path
        try """
            code,name,kind,parent_code,population,adults,working_age,households,source,as_of
            16282-01,Thôn 1,thôn,16282,1180,870,760,330,Công an xã Tân Phúc,01/10/2026
            16282-02,Thôn 2,thôn,16282,960,705,615,268,Công an xã Tân Phúc,01/10/2026
            16282-03,Thôn Phúc Lâm,thôn,16282,1425,1050,905,402,Điều tra dân số 2019,
            """.write(toFile: file, atomically: true, encoding: .utf8)
        _ = try await w.store.importAreas(try AreaFile.read(try CSVReader(path: file)), file: "h.csv", on: ClosingWorkspace.today)
        let campaign = Campaign(id: "c", name: "C", scope: "16282", start: Day(year: 2026, month: 1, day: 1)!, end: Day(year: 2026, month: 12, day: 31)!,
                                indicators: [Indicator(id: "eid", label: "eID", numerator: ["eid_l2"], denominator: "adults", target: .share(0.9))])
        let report = try await w.store.coverageReport(campaign: campaign, options: .init(asOf: ClosingWorkspace.today))
        #expect(report.denominatorSources.map(\.areas) == [2, 1, 1])
        #expect(report.denominatorSources.first?.source == AreaSource(source: "Công an xã Tân Phúc", asOf: Day(year: 2026, month: 10, day: 1)))
        let json = try report.rendered(as: .json, labels: Labels(.en))
        #expect(json.contains("\"denominatorSources\" : [") && json.contains("\"source\" : \"Điều tra dân số 2019\""))
        #expect(DenominatorSource.text(report.denominatorSources, Labels(.vi))
            == "Nguồn mẫu số: Công an xã Tân Phúc (01/10/2026): 2 đơn vị; Điều tra dân số 2019: 1 đơn vị; chưa ghi nguồn: 1 đơn vị.")
        // A file without the columns changes names and figures, not the sources.
        let plain = dir.appendingPathComponent("p.csv").path
        try "code,name,kind,parent_code,adults\n16282-01,Thôn Một,thôn,16282,880\n".write(toFile: plain, atomically: true, encoding: .utf8)
        _ = try await w.store.importAreas(try AreaFile.read(try CSVReader(path: plain)), file: "p.csv", on: ClosingWorkspace.today)
        #expect(try await w.store.areaSources().count == 3)
        // A bad date is named with its line and column.
        let bad = dir.appendingPathComponent("b.csv").path
        try "code,name,kind,parent_code,source,as_of\n16282-01,Thôn 1,thôn,16282,Công an,31/02/2026\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: ImportRejected.self) { try AreaFile.read(try CSVReader(path: bad)) }
    }
}
