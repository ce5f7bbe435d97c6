import Foundation
import Testing
@testable import OutreachKit

/// A small district with every case of SPEC.md's coverage semantics, figures chosen by hand.
///
/// ```
/// 01        Tỉnh Thử (province)
///   001     Huyện An (district; no adults)          ← the campaign's scope
///     00001 Xã Một (commune; own adults 1200, not the hamlets' 1000)
///       -01 Thôn 1   adults 400   eid_l2 200   → 50 %, met (exactly the target)
///       -02 Thôn 2   adults 600   eid_l2 100   → 16.7 %, behind
///       -03 Thôn 3   no adults    no session   → no data
///     00002 Phường Hai (ward; no adults: 600 from its hamlets)
///       -01 Tổ 1     adults 200   eid_l2 240   → 120 %, met, over
///       -02 Tổ 2     adults 300   leaflets 50 only (eid_l2 not recorded) → no data
///       -03 Tổ 3     adults 100   eid_l2 0     → 0 %, behind
///   002     Huyện Bình (outside the scope)
///     00003 Xã Ba, hamlet Thôn 9: eid_l2 999   → never counts
/// ```
///
/// The period is ten days (1–10/01/2025); on 05/01/2025 half of it has elapsed, so the
/// on-track bar of a 50 % target is 25 %.
struct CoverageFixture {
    static let start = Day(year: 2025, month: 1, day: 1)!
    static let end = Day(year: 2025, month: 1, day: 10)!
    static let asOf = Day(year: 2025, month: 1, day: 5)!

    static let areas: [(code: String, name: String, level: AreaLevel, parent: String?, adults: Int?)] = [
        ("01", "Tỉnh Thử", .province, nil, nil),
        ("001", "Huyện An", .district, "01", nil),
        ("00001", "Xã Một", .commune, "001", 1200),
        ("00001-01", "Thôn 1", .hamlet, "00001", 400),
        ("00001-02", "Thôn 2", .hamlet, "00001", 600),
        ("00001-03", "Thôn 3", .hamlet, "00001", nil),
        ("00002", "Phường Hai", .ward, "001", nil),
        ("00002-01", "Tổ 1", .hamlet, "00002", 200),
        ("00002-02", "Tổ 2", .hamlet, "00002", 300),
        ("00002-03", "Tổ 3", .hamlet, "00002", 100),
        ("002", "Huyện Bình", .district, "01", nil),
        ("00003", "Xã Ba", .commune, "002", 500),
        ("00003-01", "Thôn 9", .hamlet, "00003", 500),
    ]

    let tree: AreaTree
    var totals: [String: MetricValues]
    var campaign: Campaign

    init(indicator: Indicator = CoverageFixture.eid) {
        var index: [String: Int] = [:]
        var nodes: [AreaTree.Node] = []
        // Insert in reverse so that array order differs from tree order.
        let list = Array(Self.areas.reversed())
        for (i, a) in list.enumerated() { index[a.code] = i }
        for (i, a) in list.enumerated() {
            nodes.append(AreaTree.Node(id: Int64(i + 1), code: a.code, name: a.name, level: a.level,
                                       parent: a.parent.map { index[$0]! }, attributes: AreaAttributes(adults: a.adults)))
        }
        tree = AreaTree(nodes: nodes)
        totals = [
            "00001-01": MetricValues([.eidL2: 200]),
            "00001-02": MetricValues([.eidL2: 100]),
            "00002-01": MetricValues([.eidL2: 240]),
            "00002-02": MetricValues([.leaflets: 50]),
            "00002-03": MetricValues([.eidL2: 0]),
            "00003-01": MetricValues([.eidL2: 999, .leaflets: 999]),
        ]
        campaign = Campaign(id: "e2", name: "Kích hoạt định danh điện tử", scope: "001", start: Self.start, end: Self.end,
                            indicators: [indicator])
    }

    static let eid = Indicator(id: "eid", label: "Người trưởng thành có VNeID mức 2", numerator: ["eid_l2"],
                               denominator: "adults", target: .share(0.5))

    var ownTotals: [Int: AreaTotals] {
        var out: [Int: AreaTotals] = [:]
        for (code, metrics) in totals { out[tree.index(of: code)!] = AreaTotals(sessions: 1, metrics: metrics, lastDay: Self.start) }
        return out
    }

    func report(_ options: CoverageReport.Options = .init(asOf: CoverageFixture.asOf)) throws -> CoverageReport {
        try CoverageReport(campaign: campaign, tree: tree, ownTotals: ownTotals, options: options)
    }

    static func options(asOf: Day = CoverageFixture.asOf, under: String? = nil, level: CoverageReport.LevelFilter? = nil,
                        behindOnly: Bool = false, sort: CoverageReport.Sort = .tree) -> CoverageReport.Options {
        .init(asOf: asOf, under: under, level: level, behindOnly: behindOnly, sort: sort)
    }
}

/// The parts of a row the tests compare.
struct Figures: Equatable, CustomStringConvertible {
    var code: String
    var value: Int?
    var denominator: Int?
    var coverage: Double?
    var status: CoverageReport.Status

    init(_ code: String, _ value: Int?, _ denominator: Int?, _ coverage: Double?, _ status: CoverageReport.Status) {
        self.code = code
        self.value = value
        self.denominator = denominator
        self.coverage = coverage
        self.status = status
    }

    init(_ row: CoverageReport.Row) {
        self.init(row.isTotal ? "TOTAL" : row.code, row.value, row.denominator, row.coverage, row.status)
    }

    var description: String { "\(code): \(value.map(String.init) ?? "nil")/\(denominator.map(String.init) ?? "nil") \(coverage.map { String($0) } ?? "nil") \(status.rawValue)" }
}

extension CoverageReport {
    var figures: [Figures] { rows.map(Figures.init) }

    func row(_ code: String) -> Row? { rows.first { $0.code == code && !$0.isTotal } }

    var total: Row? { rows.first(where: \.isTotal) }
}

@Suite("The coverage report")
struct CoverageReportTests {
    @Test("rolls the district up in tree order: own denominators first, no data apart from 0, over 100 % kept")
    func figures() throws {
        let report = try CoverageFixture().report()
        #expect(report.figures == [
            Figures("001", 540, 1800, 0.3, .onTrack),
            Figures("00001", 300, 1200, 0.25, .onTrack),
            Figures("00001-01", 200, 400, 0.5, .met),
            Figures("00001-02", 100, 600, 100.0 / 600.0, .behind),
            Figures("00001-03", nil, nil, nil, .noData),
            Figures("00002", 240, 600, 0.4, .onTrack),
            Figures("00002-01", 240, 200, 1.2, .met),
            Figures("00002-02", nil, 300, nil, .noData),
            Figures("00002-03", 0, 100, 0, .behind),
            Figures("TOTAL", 540, 1800, 0.3, .onTrack),
        ])
        #expect(report.rows.filter(\.over).map(\.code) == ["00002-01"])
        #expect(report.rows.map(\.depth) == [0, 1, 2, 2, 2, 1, 2, 2, 2, 0])
        #expect(report.elapsedShare == 0.5)
    }

    @Test("never counts areas outside the campaign's scope, and refuses a start outside it", arguments: ["002", "00003-01", "01"])
    func outsideScope(code: String) throws {
        let data = CoverageFixture()
        #expect(try !data.report().rows.contains { $0.code.hasPrefix("00003") || $0.code == "002" })
        #expect(throws: CoverageError.self) { try data.report(CoverageFixture.options(under: code)) }
    }

    @Test("starts under an area of the scope, with depths from there")
    func under() throws {
        let report = try CoverageFixture().report(CoverageFixture.options(under: "00002"))
        #expect(report.figures == [
            Figures("00002", 240, 600, 0.4, .onTrack),
            Figures("00002-01", 240, 200, 1.2, .met),
            Figures("00002-02", nil, 300, nil, .noData),
            Figures("00002-03", 0, 100, 0, .behind),
            Figures("TOTAL", 240, 600, 0.4, .onTrack),
        ])
        #expect(report.rows.map(\.depth) == [0, 1, 1, 1, 0])
        #expect(report.startName == "Phường Hai")
    }

    @Test("says what went wrong with the request")
    func errors() throws {
        var data = CoverageFixture()
        #expect(throws: CoverageError.unknownIndicator(campaign: "e2", indicator: "epay", known: ["eid"])) {
            try CoverageReport(campaign: data.campaign, tree: data.tree, ownTotals: [:],
                               options: .init(asOf: CoverageFixture.asOf, indicator: "epay"))
        }
        #expect(throws: CoverageError.unknownArea("9999")) { try data.report(CoverageFixture.options(under: "9999")) }
        #expect(throws: CoverageError.outsideScope(code: "002", name: "Huyện Bình", campaign: "e2", scope: "001", scopeName: "Huyện An")) {
            try data.report(CoverageFixture.options(under: "002"))
        }
        data.campaign.scope = "404"
        #expect(throws: CoverageError.scopeNotFound(campaign: "e2", scope: "404")) { try data.report() }
        #expect(CoverageError.outsideScope(code: "002", name: "Huyện Bình", campaign: "e2", scope: "001", scopeName: "Huyện An").message
            == "Huyện Bình (002) is outside the scope of campaign \"e2\", Huyện An (001). Give --under an area in that scope (`outreach areas list --under 001` lists them), or leave it out.")
    }

    @Test("shows n/a without a denominator: an indicator without one, or areas without the attribute")
    func noDenominator() throws {
        var data = CoverageFixture(indicator: Indicator(id: "eid", label: "VNeID", numerator: ["eid_l2"], denominator: nil,
                                                        target: .share(0.5)))
        let report = try data.report()
        #expect(report.rows.allSatisfy { $0.denominator == nil && $0.coverage == nil && $0.leftOut == 0 })
        #expect(report.rows.allSatisfy { $0.status == ($0.value == nil ? .noData : .noDenominator) })
        #expect(report.row("00001-02")?.value == 100)
        data.campaign.baselines = ["00001-03": ["eid_l2": 30]]
        let withBaseline = try data.report()
        #expect(withBaseline.row("00001-03")?.value == 30)
        #expect(try withBaseline.rendered(as: .table, labels: Labels(.en)).contains("Thôn 3    hamlet       30          n/a       n/a     50%  no denominator"))
    }

    @Test("adds baselines of the numerator's metrics, and only those of areas in the scope")
    func baselines() throws {
        var data = CoverageFixture()
        data.campaign.baselines = [
            "00001-03": ["eid_l2": 30],                 // no sessions: the baseline alone is data
            "00002-02": ["eid_l2": 0, "leaflets": 70],  // a baseline of 0 is data too
            "00001-01": ["leaflets": 500],              // not a numerator metric
            "00003-01": ["eid_l2": 1000],               // outside the scope
        ]
        let report = try data.report()
        #expect(report.row("00001-03").map(Figures.init) == Figures("00001-03", 30, nil, nil, .noDenominator))
        #expect(report.row("00001")?.leftOut == 0, "Xã Một's own adults count Thôn 3's people")
        #expect(report.row("00002-02").map(Figures.init) == Figures("00002-02", 0, 300, 0, .behind))
        #expect(report.row("00001-01")?.value == 200)
        #expect(report.row("00001")?.value == 330)
        #expect(report.total?.value == 570)
    }

    @Test("sums several numerator metrics")
    func severalMetrics() throws {
        var data = CoverageFixture(indicator: Indicator(id: "pay", label: "Thanh toán", numerator: ["bank_account", "ewallet"],
                                                        denominator: "adults", target: .share(0.5)))
        data.totals = ["00001-01": MetricValues([.bankAccount: 30, .ewallet: 20]), "00001-02": MetricValues([.ewallet: 6]),
                       "00002-01": MetricValues([.eidL2: 100])]
        let report = try data.report()
        #expect(report.row("00001-01")?.value == 50)
        #expect(report.row("00001-02")?.value == 6)
        #expect(report.row("00002-01")?.value == nil)
        #expect(report.total?.value == 56)
    }

    @Test("lets a commune's target for a hamlet override the campaign's")
    func areaTarget() throws {
        var data = CoverageFixture()
        data.campaign.areaTargets = ["eid": ["00001-02": .share(0.15), "00001": .share(0.25), "00003-01": .share(0.01)]]
        let report = try data.report()
        #expect(report.row("00001-02")?.status == .met)
        #expect(report.row("00001-02")?.target == .share(0.15))
        #expect(report.row("00001")?.status == .met)
        #expect(report.row("00001-01")?.target == .share(0.5))
        #expect(report.row("001")?.status == .onTrack)
    }

    @Test("measures status against the elapsed share of the period", arguments: [
        // Before the start nothing is expected yet: any figure is on track.
        (Day(year: 2024, month: 12, day: 20)!, [CoverageReport.Status.onTrack, .onTrack, .onTrack, .noData, .onTrack]),
        // 40 % elapsed: the bar is 20 %.
        (Day(year: 2025, month: 1, day: 4)!, [.onTrack, .onTrack, .behind, .noData, .behind]),
        // Half the period: the bar is 25 %, which Xã Một reaches exactly.
        (Day(year: 2025, month: 1, day: 5)!, [.onTrack, .onTrack, .behind, .noData, .behind]),
        // 60 %: the bar is 30 %, which Huyện An reaches exactly and Xã Một does not.
        (Day(year: 2025, month: 1, day: 6)!, [.onTrack, .behind, .behind, .noData, .behind]),
        // The end and after: only the target itself will do.
        (Day(year: 2025, month: 1, day: 10)!, [.behind, .behind, .behind, .noData, .behind]),
        (Day(year: 2025, month: 3, day: 1)!, [.behind, .behind, .behind, .noData, .behind]),
    ])
    func thresholds(asOf: Day, expected: [CoverageReport.Status]) throws {
        let report = try CoverageFixture().report(CoverageFixture.options(asOf: asOf))
        #expect(["001", "00001", "00001-02", "00001-03", "00002-03"].map { report.row($0)?.status } == expected)
        #expect(report.row("00001-01")?.status == .met)
        #expect(report.row("00002-01")?.status == .met)
    }

    @Test("raises the on-track bar to the last milestone passed")
    func milestones() throws {
        var indicator = CoverageFixture.eid
        indicator.milestones = [
            Milestone(day: Day(year: 2025, month: 1, day: 2)!, target: .share(0.1)),
            Milestone(day: Day(year: 2025, month: 1, day: 3)!, target: .share(0.3)),
            Milestone(day: Day(year: 2025, month: 1, day: 4)!, target: .count(1)),    // another kind: ignored
            Milestone(day: Day(year: 2025, month: 1, day: 7)!, target: .share(0.45)), // not passed yet
        ]
        var data = CoverageFixture(indicator: indicator)
        var report = try data.report()
        #expect(report.row("001")?.status == .onTrack)     // 30 % ≥ 30 %
        #expect(report.row("00001")?.status == .behind)    // 25 % < 30 %
        #expect(report.row("00002")?.status == .onTrack)   // 40 %
        #expect(report.total?.status == .onTrack)
        // An area with its own target is measured by the elapsed share only.
        data.campaign.areaTargets = ["eid": ["00001": .share(0.5)]]
        report = try data.report()
        #expect(report.row("00001")?.status == .onTrack)
        // A lower milestone does not lower the bar below the elapsed share.
        indicator.milestones = [Milestone(day: Day(year: 2025, month: 1, day: 3)!, target: .share(0.1))]
        report = try CoverageFixture(indicator: indicator).report()
        #expect(report.row("00001-02")?.status == .behind) // 16.7 % < 25 %
    }

    @Test("compares counts with a count target")
    func countTarget() throws {
        let data = CoverageFixture(indicator: Indicator(id: "leaflets", label: "Tờ rơi", numerator: ["leaflets"],
                                                        denominator: nil, target: .count(40)))
        var report = try data.report()
        #expect(report.row("00002-02").map(Figures.init) == Figures("00002-02", 50, nil, nil, .met))
        #expect(report.row("00002")?.status == .met)
        #expect(report.row("00001-01")?.status == .noData)
        #expect(report.total?.target == .count(40))
        var fewer = data
        fewer.totals["00002-02"] = MetricValues([.leaflets: 20])
        report = try fewer.report()
        #expect(report.row("00002-02")?.status == .onTrack) // 20 ≥ 40 × 0.5
        fewer.totals["00002-02"] = MetricValues([.leaflets: 19])
        report = try fewer.report()
        #expect(report.row("00002-02")?.status == .behind)
    }

    @Test("averages the children's coverage only under roll-up mean, and flags it")
    func meanMode() throws {
        var indicator = CoverageFixture.eid
        indicator.rollUp = .mean
        let report = try CoverageFixture(indicator: indicator).report()
        let xaMot = (0.5 + 100.0 / 600.0) / 2      // Thôn 3 has no coverage: left out, not 0
        let phuongHai = (1.2 + 0.0) / 2            // Tổ 2 has no data: left out
        #expect(report.row("00001")?.coverage == xaMot)
        #expect(report.row("00002")?.coverage == phuongHai)
        #expect(report.row("001")?.coverage == (xaMot + phuongHai) / 2)
        #expect(report.row("00002")?.status == .met)
        #expect(report.row("00001")?.value == 300, "values and denominators stay sums")
        #expect(report.row("00001")?.denominator == 1200)
        #expect(report.rows.filter(\.coverageIsMean).map(\.code) == ["001", "00001", "00002", "001"])
        let communes = try CoverageFixture(indicator: indicator).report(CoverageFixture.options(level: .kind(.commune)))
        #expect(communes.total?.coverage == (xaMot + phuongHai) / 2)
        #expect(communes.total?.coverageIsMean == true)
        #expect(try report.rendered(as: .table, labels: Labels(.en)).contains("00002       Phường Hai  ward        240     600     60.0%     50%  met       mean"))
    }

    @Test("meets a target under roll-up all only when every unit meets it")
    func allMode() throws {
        var indicator = CoverageFixture.eid
        indicator.rollUp = .all
        var data = CoverageFixture(indicator: indicator)
        var report = try data.report()
        #expect(report.row("00001")?.status == .behind)   // met, behind, no data
        #expect(report.row("00002")?.status == .behind)   // ratio 40 % would be on track
        #expect(report.row("00002")?.coverage == 0.4)
        let communes = try data.report(CoverageFixture.options(level: .kind(.commune)))
        #expect(communes.total?.status == .behind, "both communes are behind, though 30 % of the sums is on track")
        #expect(communes.total?.coverage == 0.3)
        data.totals["00002-02"] = MetricValues([.eidL2: 150])
        data.totals["00002-03"] = MetricValues([.eidL2: 50])
        data.totals["00001-02"] = MetricValues([.eidL2: 180])    // 30 %: on track
        data.totals["00001-03"] = MetricValues([.eidL2: 1])      // no denominator: no data
        report = try data.report()
        #expect(report.row("00002")?.status == .met)
        #expect(report.row("00001")?.status == .behind, "a unit without data is not met")
        data.campaign.areaTargets = ["eid": ["00001-03": .count(1)]]
        report = try data.report()
        #expect(report.row("00001")?.status == .onTrack)  // met, on track, met
        #expect(report.row("001")?.status == .onTrack)
        data.totals = [:]
        report = try data.report()
        #expect(report.row("001")?.status == .noData)
    }

    @Test("lists one level and totals the listed areas by summing, never averaging", arguments: [
        CoverageReport.LevelFilter.kind(.hamlet), .depth(2),
    ])
    func levelHamlets(level: CoverageReport.LevelFilter) throws {
        let report = try CoverageFixture().report(CoverageFixture.options(level: level))
        #expect(report.rows.map(\.code) == ["00001-01", "00001-02", "00001-03", "00002-01", "00002-02", "00002-03", "001"])
        let total = try #require(report.total)
        // 200 + 100 + 240 + 0 over 400 + 600 + 200 + 300 + 100 (Xã Một's own 1200 is not a hamlet's).
        #expect(Figures(total) == Figures("TOTAL", 540, 1600, 540.0 / 1600.0, .onTrack))
        #expect(total.summedAreas == 6)
        let coverages = report.rows.filter { !$0.isTotal }.compactMap(\.coverage)
        #expect(total.coverage != coverages.reduce(0, +) / Double(coverages.count))
    }

    @Test("leaves a listed area with a value and no denominator out of a filtered total, and says so")
    func filteredTotalLeavesOut() throws {
        var data = CoverageFixture()
        data.campaign.baselines = ["00001-03": ["eid_l2": 30]]  // Thôn 3 has no adults figure
        let report = try data.report(CoverageFixture.options(level: .kind(.hamlet)))
        let total = try #require(report.total)
        #expect(Figures(total) == Figures("TOTAL", 540, 1600, 540.0 / 1600.0, .onTrack), "not 570/1600")
        #expect(total.leftOut == 1 && total.summedAreas == 6)
        #expect(try report.rendered(as: .table, labels: Labels(.en)).contains("left out 1 unit with no denominator"))
    }

    @Test("counts an area once in a filtered total when a listed area lies inside another")
    func nestedListedAreas() throws {
        // Khu 1 (a hamlet) holds Tổ 1 (a hamlet too): both are listed, the total counts Tổ 1 once.
        let nodes = [
            AreaTree.Node(id: 1, code: "C", name: "Xã C", level: .commune),
            AreaTree.Node(id: 2, code: "C-1", name: "Khu 1", level: .hamlet, parent: 0, attributes: AreaAttributes(adults: 100)),
            AreaTree.Node(id: 3, code: "C-1-1", name: "Tổ 1", level: .hamlet, parent: 1, attributes: AreaAttributes(adults: 50)),
            AreaTree.Node(id: 4, code: "C-2", name: "Khu 2", level: .hamlet, parent: 0, attributes: AreaAttributes(adults: 40)),
        ]
        let tree = AreaTree(nodes: nodes)
        let campaign = Campaign(id: "n", name: "n", scope: "C", start: CoverageFixture.start, end: CoverageFixture.end,
                                indicators: [CoverageFixture.eid])
        let own = [1: AreaTotals(metrics: MetricValues([.eidL2: 10])), 2: AreaTotals(metrics: MetricValues([.eidL2: 5])),
                   3: AreaTotals(metrics: MetricValues([.eidL2: 4]))]
        let report = try CoverageReport(campaign: campaign, tree: tree, ownTotals: own,
                                        options: CoverageFixture.options(level: .kind(.hamlet)))
        #expect(report.figures == [
            Figures("C-1", 15, 100, 0.15, .behind),
            Figures("C-1-1", 5, 50, 0.1, .behind),
            Figures("C-2", 4, 40, 0.1, .behind),
            Figures("TOTAL", 19, 140, 19.0 / 140.0, .behind),
        ])
        #expect(report.total?.summedAreas == 2)
    }

    @Test("counts wards, towns and special zones as communes")
    func levelCommunes() throws {
        let filter = try #require(CoverageReport.LevelFilter(parsing: "xã"))
        #expect(filter == .kind(.commune))
        let report = try CoverageFixture().report(CoverageFixture.options(level: filter))
        #expect(report.figures == [
            Figures("00001", 300, 1200, 0.25, .onTrack),
            Figures("00002", 240, 600, 0.4, .onTrack),
            Figures("TOTAL", 540, 1800, 0.3, .onTrack),
        ])
        let wards = try CoverageFixture().report(CoverageFixture.options(level: .kind(.ward)))
        #expect(wards.rows.map(\.code) == ["00002", "001"])
    }

    @Test("reads --level as a kind or a depth", arguments: [
        ("hamlet", CoverageReport.LevelFilter.kind(.hamlet)), ("thôn", .kind(.hamlet)), ("Commune", .kind(.commune)),
        ("phường", .kind(.ward)), ("2", .depth(2)), ("0", .depth(0)),
    ])
    func parseLevel(text: String, expected: CoverageReport.LevelFilter) {
        #expect(CoverageReport.LevelFilter(parsing: text) == expected)
    }

    @Test("rejects a --level that is neither", arguments: ["-1", "hamlets?", ""])
    func badLevel(text: String) {
        #expect(CoverageReport.LevelFilter(parsing: text) == nil)
    }

    @Test("lists only the areas behind or never logged with --behind, and keeps the whole total")
    func behind() throws {
        let report = try CoverageFixture().report(CoverageFixture.options(behindOnly: true))
        #expect(report.figures == [
            Figures("00001-02", 100, 600, 100.0 / 600.0, .behind),
            Figures("00001-03", nil, nil, nil, .noData),
            Figures("00002-02", nil, 300, nil, .noData),
            Figures("00002-03", 0, 100, 0, .behind),
            Figures("TOTAL", 540, 1800, 0.3, .onTrack),
        ])
        let none = try CoverageFixture().report(CoverageFixture.options(under: "00001", level: .kind(.commune), behindOnly: true))
        #expect(none.rows.map(\.isTotal) == [true])
        #expect(try none.rendered(as: .table, labels: Labels(.en)).contains("No area is behind or without data."))
    }

    @Test("sorts by coverage, name or code, keeping the total last", arguments: [
        (CoverageReport.Sort.coverage, ["00002-03", "00001-02", "00001", "001", "00002", "00001-01", "00002-01", "00001-03", "00002-02"]),
        (.name, ["001", "00002", "00001-01", "00001-02", "00001-03", "00002-01", "00002-02", "00002-03", "00001"]),
        (.code, ["00001", "00001-01", "00001-02", "00001-03", "00002", "00002-01", "00002-02", "00002-03", "001"]),
        (.tree, ["001", "00001", "00001-01", "00001-02", "00001-03", "00002", "00002-01", "00002-02", "00002-03"]),
    ])
    func sorting(sort: CoverageReport.Sort, expected: [String]) throws {
        let report = try CoverageFixture().report(CoverageFixture.options(sort: sort))
        #expect(report.rows.dropLast().map(\.code) == expected)
        #expect(report.rows.last?.isTotal == true)
    }

    @Test("reports every indicator in campaign order, each with its total")
    func everyIndicator() throws {
        var data = CoverageFixture()
        data.campaign.indicators.append(Indicator(id: "leaflets", label: "Tờ rơi", numerator: ["leaflets"], denominator: "households",
                                                  target: .count(100)))
        let report = try data.report(.init(asOf: CoverageFixture.asOf, under: "00002"))
        #expect(report.rows.map { "\($0.indicator) \($0.isTotal ? "total" : $0.code)" } == [
            "eid 00002", "eid 00002-01", "eid 00002-02", "eid 00002-03", "eid total",
            "leaflets 00002", "leaflets 00002-01", "leaflets 00002-02", "leaflets 00002-03", "leaflets total",
        ])
        let only = try data.report(.init(asOf: CoverageFixture.asOf, indicator: "leaflets", under: "00002"))
        #expect(only.rows.map(\.indicator) == Array(repeating: "leaflets", count: 5))
        #expect(only.row("00002-02")?.value == 50)
    }

    @Test("holds on random trees and sessions: rows sum their children, coverage is Σ value / Σ denominator")
    func propertyOverRandomSessions() throws {
        var rng = RandomTrees.SplitMix64(seed: 7)
        for round in 0..<200 {
            let count = Int.random(in: 1...80, using: &rng)
            let base = RandomTrees.tree(count: count, roots: 1, rng: &rng)
            let nodes = base.nodes.map { node in
                var node = node
                if Int.random(in: 0..<3, using: &rng) > 0 { node.attributes.adults = Int.random(in: 0...500, using: &rng) }
                return node
            }
            let tree = AreaTree(nodes: nodes)
            var own: [Int: AreaTotals] = [:]
            for i in 0..<count where Int.random(in: 0..<3, using: &rng) > 0 {
                var metrics = MetricValues()
                if Int.random(in: 0..<4, using: &rng) > 0 { metrics[.eidL2] = Int.random(in: 0...300, using: &rng) }
                if Int.random(in: 0..<2, using: &rng) > 0 { metrics[.leaflets] = Int.random(in: 0...300, using: &rng) }
                own[i] = AreaTotals(sessions: 1, metrics: metrics)
            }
            let campaign = Campaign(id: "r", name: "r", scope: tree.nodes[tree.roots[0]].code, start: CoverageFixture.start,
                                    end: CoverageFixture.end, indicators: [CoverageFixture.eid])
            let report = try CoverageReport(campaign: campaign, tree: tree, ownTotals: own, options: .init(asOf: CoverageFixture.asOf))
            let rows = report.rows.filter { !$0.isTotal }
            #expect(rows.count == count)
            var byCode: [String: CoverageReport.Row] = [:]
            for row in rows { byCode[row.code] = row }
            var ownTallies: [Int: Tally] = [:]
            for i in 0..<count {
                ownTallies[i] = Tally(value: own[i]?.metrics[.eidL2], denominator: tree.nodes[i].attributes.adults)
            }
            let expected = RollUpTests.Expected(tree: tree, own: ownTallies)
            for i in 0..<count {
                let node = tree.nodes[i]
                let row = try #require(byCode[node.code])
                let tally = expected.tally(i)
                #expect(row.value == tally.value, "round \(round), \(node.code)")
                #expect(row.denominator == tally.denominator, "round \(round), \(node.code)")
                #expect(row.leftOut == tally.leftOut, "round \(round), \(node.code)")
                if let v = row.value, let d = row.denominator, d > 0 {
                    #expect(row.coverage == Double(v) / Double(d))
                    #expect(row.over == (v > d))
                } else {
                    #expect(row.coverage == nil)
                    #expect(row.status == (row.value != nil && row.denominator == nil ? .noDenominator : .noData))
                }
                #expect(row.value != nil || row.status == .noData)
            }
        }
    }
}

@Suite("Coverage report rendering")
struct CoverageRenderingTests {
    @Test("prints an aligned table: percentages, n/a, no data apart from 0, over flagged")
    func table() throws {
        let text = try CoverageFixture().report().rendered(as: .table, labels: Labels(.en))
        #expect(text == """
            Coverage of Kích hoạt định danh điện tử (e2) under Huyện An (001) on 5 Jan 2025, 50.0% of the period 1 Jan 2025 – 10 Jan 2025 elapsed

            eid: Người trưởng thành có VNeID mức 2 — eid_l2 over adults, target 50%, ratio of sums
            CODE      NAME          KIND      VALUE  ADULTS  COVERAGE  TARGET  STATUS    FLAGS
            001       Huyện An      district    540   1,800     30.0%     50%  on track
            00001       Xã Một      commune     300   1,200     25.0%     50%  on track
            00001-01      Thôn 1    hamlet      200     400     50.0%     50%  met
            00001-02      Thôn 2    hamlet      100     600     16.7%     50%  behind
            00001-03      Thôn 3    hamlet        -     n/a   no data     50%  no data
            00002       Phường Hai  ward        240     600     40.0%     50%  on track
            00002-01      Tổ 1      hamlet      240     200    120.0%     50%  met       over
            00002-02      Tổ 2      hamlet        -     300   no data     50%  no data
            00002-03      Tổ 3      hamlet        0     100      0.0%     50%  behind
            001       Total                     540   1,800     30.0%     50%  on track

            """)
    }

    @Test("names hamlets with their commune when not in tree order, and counts the areas of a filtered total")
    func tableSorted() throws {
        let text = try CoverageFixture().report(CoverageFixture.options(level: .kind(.hamlet), sort: .coverage)).rendered(as: .table, labels: Labels(.en))
        #expect(text == """
            Coverage of Kích hoạt định danh điện tử (e2) under Huyện An (001) on 5 Jan 2025, 50.0% of the period 1 Jan 2025 – 10 Jan 2025 elapsed
            Listing hamlet areas; the total sums them.

            eid: Người trưởng thành có VNeID mức 2 — eid_l2 over adults, target 50%, ratio of sums
            CODE      NAME              KIND    VALUE  ADULTS  COVERAGE  TARGET  STATUS    FLAGS
            00002-03  Tổ 3 — Hai        hamlet      0     100      0.0%     50%  behind
            00001-02  Thôn 2 — Một      hamlet    100     600     16.7%     50%  behind
            00001-01  Thôn 1 — Một      hamlet    200     400     50.0%     50%  met
            00002-01  Tổ 1 — Hai        hamlet    240     200    120.0%     50%  met       over
            00001-03  Thôn 3 — Một      hamlet      -     n/a   no data     50%  no data
            00002-02  Tổ 2 — Hai        hamlet      -     300   no data     50%  no data
            001       Total of 6 areas            540   1,600     33.8%     50%  on track

            """)
    }

    @Test("writes CSV with ISO dates, fractions to four decimals, and empty cells for no data")
    func csv() throws {
        let text = try CoverageFixture().report(CoverageFixture.options(under: "00002")).rendered(as: .csv, labels: Labels(.en))
        #expect(text == """
            campaign,as_of,indicator,code,name,kind,depth,value,denominator,coverage,target,status,over,coverage_is_mean,left_out
            e2,2025-01-05,eid,00002,Phường Hai,ward,0,240,600,0.4000,0.5000,on track,false,false,0
            e2,2025-01-05,eid,00002-01,Tổ 1,hamlet,1,240,200,1.2000,0.5000,met,true,false,0
            e2,2025-01-05,eid,00002-02,Tổ 2,hamlet,1,,300,,0.5000,no data,false,false,0
            e2,2025-01-05,eid,00002-03,Tổ 3,hamlet,1,0,100,0.0000,0.5000,behind,false,false,0
            e2,2025-01-05,eid,00002,Phường Hai,total,0,240,600,0.4000,0.5000,on track,false,false,0

            """)
    }

    @Test("writes JSON with exactly the documented keys, coverage as a number or null")
    func json() throws {
        var data = CoverageFixture()
        data.campaign.indicators = [Indicator(id: "eid", label: "VNeID", numerator: ["eid_l2"], denominator: "adults", target: .count(200))]
        let text = try data.report(CoverageFixture.options(under: "00002")).rendered(as: .json, labels: Labels(.en))
        #expect(text == """
            {
              "asOf" : "2025-01-05",
              "campaign" : "e2",
              "rows" : [
                {
                  "code" : "00002",
                  "coverage" : 0.4,
                  "denominator" : 600,
                  "depth" : 0,
                  "indicator" : "eid",
                  "kind" : "ward",
                  "leftOut" : 0,
                  "name" : "Phường Hai",
                  "status" : "met",
                  "target" : 200,
                  "targetOrigin" : "indicator",
                  "value" : 240
                },
                {
                  "code" : "00002-01",
                  "coverage" : 1.2,
                  "denominator" : 200,
                  "depth" : 1,
                  "indicator" : "eid",
                  "kind" : "hamlet",
                  "leftOut" : 0,
                  "name" : "Tổ 1",
                  "status" : "met",
                  "target" : 200,
                  "targetOrigin" : "indicator",
                  "value" : 240
                },
                {
                  "code" : "00002-02",
                  "coverage" : null,
                  "denominator" : 300,
                  "depth" : 1,
                  "indicator" : "eid",
                  "kind" : "hamlet",
                  "leftOut" : 0,
                  "name" : "Tổ 2",
                  "status" : "no data",
                  "target" : 200,
                  "targetOrigin" : "indicator",
                  "value" : null
                },
                {
                  "code" : "00002-03",
                  "coverage" : 0,
                  "denominator" : 100,
                  "depth" : 1,
                  "indicator" : "eid",
                  "kind" : "hamlet",
                  "leftOut" : 0,
                  "name" : "Tổ 3",
                  "status" : "behind",
                  "target" : 200,
                  "targetOrigin" : "indicator",
                  "value" : 0
                },
                {
                  "code" : "00002",
                  "coverage" : 0.4,
                  "denominator" : 600,
                  "depth" : 0,
                  "indicator" : "eid",
                  "kind" : "total",
                  "leftOut" : 0,
                  "name" : "Phường Hai",
                  "status" : "met",
                  "target" : 200,
                  "targetOrigin" : "indicator",
                  "value" : 240
                }
              ]
            }

            """)
    }

    @Test("writes share targets in JSON as fractions, and every key of every row")
    func jsonKeys() throws {
        let text = try CoverageFixture().report().rendered(as: .json, labels: Labels(.en))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["campaign", "asOf", "rows"])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 10)
        for row in rows {
            #expect(Set(row.keys) == ["code", "name", "kind", "depth", "indicator", "value", "denominator", "coverage", "target", "status",
                                      "leftOut", "targetOrigin"])
            #expect((row["target"] as? Double) == 0.5)
            #expect((row["targetOrigin"] as? String) == "indicator")
        }
        #expect(rows[6]["coverage"] as? Double == 1.2)
        #expect(rows[4]["coverage"] is NSNull)
    }

    @Test("writes Markdown tables with the total in bold")
    func markdown() throws {
        let text = try CoverageFixture().report(CoverageFixture.options(under: "00001")).rendered(as: .md, labels: Labels(.en))
        #expect(text == """
            # Coverage of Kích hoạt định danh điện tử (e2)

            Under Xã Một (00001), on 5 Jan 2025: 50.0% of the period 1 Jan 2025 – 10 Jan 2025 elapsed.

            ## eid: Người trưởng thành có VNeID mức 2

            eid\\_l2 over adults, target 50%, ratio of sums.

            | Code | Name | Kind | Value | Adults | Coverage | Target | Status | Flags |
            | --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |
            | 00001 | Xã Một | commune | 300 | 1,200 | 25.0% | 50% | on track |  |
            | 00001-01 | \u{00A0}\u{00A0}Thôn 1 | hamlet | 200 | 400 | 50.0% | 50% | met |  |
            | 00001-02 | \u{00A0}\u{00A0}Thôn 2 | hamlet | 100 | 600 | 16.7% | 50% | behind |  |
            | 00001-03 | \u{00A0}\u{00A0}Thôn 3 | hamlet | - | n/a | no data | 50% | no data |  |
            | 00001 | **Total** |  | 300 | 1,200 | 25.0% | 50% | on track |  |

            """)
    }

    /// Names that test escaping and width: quotes, delimiters, slashes, control characters,
    /// a decomposed accent (NFD), and an emoji.
    static let trickyNames = ["Thôn \"Đồng\" 1", "Tổ 2, khu 3; xóm", "Khu A/B \\ C", "Ấp\nMới\tII", "Bản \u{01}\u{1F}\u{7F}",
                              "Tho\u{0302}n 6", "Làng 🌾 7", "Plei | Ia", "Xóm 9; Bắc"]

    static func trickyReport() throws -> CoverageReport {
        var nodes = [AreaTree.Node(id: 1, code: "X", name: "Xã \"X\"", level: .commune)]
        for (i, name) in trickyNames.enumerated() {
            nodes.append(AreaTree.Node(id: Int64(i + 2), code: "X-\(i)", name: name, level: .hamlet, parent: 0,
                                       attributes: AreaAttributes(adults: [3, 100_000, 1, 8, 0, 7, 1_000_000, 2, 9][i])))
        }
        let own = [1: 1, 2: 1, 3: 1, 4: 100, 5: 5, 6: 7, 7: 3, 8: 0, 9: 3].mapValues { AreaTotals(metrics: MetricValues([.eidL2: $0])) }
        let campaign = Campaign(id: "t/1", name: "Thử \"nghiệm\"", scope: "X", start: CoverageFixture.start, end: CoverageFixture.end,
                                indicators: [CoverageFixture.eid, Indicator(id: "n", label: "n", numerator: ["eid_l2"], denominator: nil,
                                                                            target: .count(3))])
        return try CoverageReport(campaign: campaign, tree: AreaTree(nodes: nodes), ownTotals: own, options: .init(asOf: CoverageFixture.asOf))
    }

    @Test("writes the same JSON as JSONEncoder, byte for byte")
    func jsonMatchesEncoder() throws {
        let report = try Self.trickyReport()
        let reference = try JSONOutput.render(CoverageReport.JSONReport(report))
        #expect(try report.rendered(as: .json, labels: Labels(.en)) == reference)
        #expect(reference.contains("\"coverage\" : 1e-05"))   // 1 / 100,000
        #expect(reference.contains("\"coverage\" : 12.5"))
        #expect(reference.contains("\"coverage\" : 1,"))
    }

    @Test("writes the same CSV as CSVWriter, byte for byte")
    func csvMatchesWriter() throws {
        let report = try Self.trickyReport()
        let text = try report.rendered(as: .csv, labels: Labels(.en))
        let records = report.rows.map { row in
            [report.campaign, report.asOf.iso, row.indicator, row.code, row.name, row.isTotal ? "total" : row.kind.rawValue,
             String(row.depth), row.value.map(String.init) ?? "", row.denominator.map(String.init) ?? "",
             row.coverage.map(CoverageReport.Machine.fraction) ?? "", CoverageReport.Machine.target(row.target),
             row.status.rawValue, String(row.over), String(row.coverageIsMean), String(row.leftOut)]
        }
        #expect(text == CSVWriter.render(header: CoverageReport.Machine.csvHeader, rows: records))
    }

    @Test("aligns columns as TextTable does, accents composed or not")
    func tableMatchesTextTable() throws {
        let columns = [TableColumn("CODE"), TableColumn("NAME"), TableColumn("N", rightAligned: true), TableColumn("LAST")]
        var cells: [String] = []
        for (i, name) in Self.trickyNames.enumerated() where !name.contains("\n") && !name.contains("\u{01}") {
            cells += ["X-\(i)", name, String(i * 997), i % 2 == 0 ? "" : "Người"]
        }
        var text = CoverageText()
        text.table(columns, cells)
        let rows = stride(from: 0, to: cells.count, by: 4).map { Array(cells[$0..<($0 + 4)]) }
        #expect(text.string == TextTable.render(columns, rows))
        #expect(TableCells.width("Tho\u{0302}n") == 4)
        #expect(TableCells.width("Thôn") == 4)
    }

    @Test("formats percentages for people and fractions for machines without locale", arguments: [
        (0.0, "0.0%", "0,0%", "0.0000"), (0.96551, "96.6%", "96,6%", "0.9655"), (1.2, "120.0%", "120,0%", "1.2000"),
        (0.05, "5.0%", "5,0%", "0.0500"), (2.0 / 3.0, "66.7%", "66,7%", "0.6667"), (12.5, "1,250.0%", "1.250,0%", "12.5000"),
    ])
    func numbers(share: Double, english: String, vietnamese: String, fraction: String) {
        #expect(Labels(.en).percent(share) == english)
        #expect(Labels(.vi).percent(share) == vietnamese)
        #expect(CoverageReport.Machine.fraction(share) == fraction)
    }
}

@Suite("Local words for kinds of area")
struct LocalKindTests {
    @Test("a hamlet listed as tổ dân phố shows that word in the table, with the level in English; JSON keeps the level")
    func localKind() throws {
        let fixture = CoverageFixture()
        var nodes = fixture.tree.nodes
        let i = try #require(fixture.tree.index(of: "00002-01"))
        nodes[i].localKind = "tổ dân phố"
        // The same nodes in the same order: the fixture's totals by index still apply.
        let report = try CoverageReport(campaign: fixture.campaign, tree: AreaTree(nodes: nodes), ownTotals: fixture.ownTotals,
                                        options: .init(asOf: CoverageFixture.asOf))
        let vi = try report.rendered(as: .table, labels: Labels(.vi)).split(separator: "\n")
        let en = try report.rendered(as: .table, labels: Labels(.en)).split(separator: "\n")
        #expect(vi.first { $0.hasPrefix("00002-01") }?.contains("  tổ dân phố  ") == true)
        #expect(vi.first { $0.hasPrefix("00002-02") }?.contains("  thôn  ") == true)
        #expect(en.first { $0.hasPrefix("00002-01") }?.contains("  hamlet (tổ dân phố)  ") == true)
        #expect(en.first { $0.hasPrefix("00002-02") }?.contains("  hamlet  ") == true)
        let json = try report.rendered(as: .json, labels: Labels(.vi))
        #expect(!json.contains("tổ dân phố"))
        #expect(report.rows.first { $0.code == "00002-01" }?.kind == .hamlet)
    }
}
