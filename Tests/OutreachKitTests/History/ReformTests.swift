import Foundation
import Testing
@testable import OutreachKit

/// Huyện Thạnh Phú (Bến Tre, 83) with two hamlets per commune, sessions in 2024, and the official
/// conversion of 1 July 2025 into six communes of Tỉnh Vĩnh Long (86).
struct ReformWorkspace {
    let store: any WorkspaceStore
    static let today = Day(year: 2026, month: 12, day: 5)!
    static let reformDay = Day(year: 2025, month: 7, day: 1)!
    static let before = Day(year: 2025, month: 6, day: 30)!
    static let spring2024 = Day(year: 2024, month: 5, day: 10)!
    static let spring2026 = Day(year: 2026, month: 3, day: 10)!

    static let campaign = Campaign(
        id: "thanh-phu", name: "Kích hoạt 2024–2026", scope: Campaign.wholeTreeScope, start: Day(year: 2024, month: 1, day: 1)!,
        end: Day(year: 2026, month: 12, day: 31)!,
        indicators: [Indicator(id: "eid", label: "eID", numerator: ["eid_l2"], denominator: "adults", target: .share(0.9))])

    /// The old tree and its hamlets (`<commune>-01`, `-02`, 100 and 200 adults).
    static func oldTree() throws -> [AreaRow] {
        let path = ClosingWorkspace.resource("areas/thanh_phu.csv")
        var rows = try AreaFile.read(try CSVReader(path: path))
        var line = 100
        for commune in rows where commune.level.isCommuneLevel {
            for i in 1...2 {
                line += 1
                rows.append(AreaRow(line: line, code: "\(commune.code)-0\(i)", name: "Ấp \(i) \(commune.name.withoutAdministrativePrefix)",
                                    level: .hamlet, localKind: "ấp", parentCode: commune.code, attributes: AreaAttributes(adults: 100 * i)))
            }
        }
        return rows
    }

    static func make(_ engine: StorageEngine) async throws -> ReformWorkspace {
        let store = try await Workspaces.open(try await ClosingWorkspace.location(engine), create: true)
        _ = try await store.importAreas(try oldTree(), file: "thanh_phu.csv", on: today)
        let w = ReformWorkspace(store: store)
        for commune in ["29182", "29185", "29188", "29194", "29203", "29215"] { try await w.log("\(commune)-01", spring2024, eid: 10) }
        // One session logged at a commune itself, not in a hamlet.
        try await w.log("29185", spring2024, eid: 5)
        return w
    }

    func log(_ area: String, _ day: Day, eid: Int) async throws {
        _ = try await store.logSession(NewSession(day: day, area: area, metrics: MetricValues([.eidL2: eid])),
                                       today: Self.today, replacing: nil, reason: nil, campaignMetrics: [])
    }

    static func mapping() throws -> ReformMapping {
        try ReformMapping.read(try CSVReader(path: ClosingWorkspace.resource("areas/conversions/thanh_phu_2025_mapping.csv")))
    }

    static func newTree() throws -> [AreaRow] {
        try AreaFile.read(try CSVReader(path: ClosingWorkspace.resource("areas/vn_units_2025.csv")))
    }

    @discardableResult
    func reform(homes: HamletHomes? = nil, mapping: ReformMapping? = nil) async throws -> AreaChangePlan {
        let table = try mapping ?? Self.mapping()
        let tree = try Self.newTree()
        return try await store.changeAreas(basis: "Nghị quyết 1686/NQ-UBTVQH15") {
            try $0.reform(table, tree: tree, homes: homes, on: Self.reformDay)
        }
    }

    /// Each commune-level unit's value of the indicator under the tree of `tree` (nil: as of `asOf`).
    func communes(asOf: Day = today, tree: Day? = nil) async throws -> (rows: [String: Int], total: Int?) {
        let report = try await store.coverageReport(campaign: Self.campaign,
                                                    options: .init(asOf: asOf, level: .kind(.commune), tree: tree))
        var rows: [String: Int] = [:]
        var total: Int?
        for row in report.rows {
            if row.isTotal { total = row.value } else { rows[row.code] = row.value ?? 0 }
        }
        return (rows, total)
    }
}

@Suite("Areas through time: the 2025 reform, dated changes and reports under either tree")
struct ReformTests {
    @Test("the official conversion of Thạnh Phú: six new communes, totals the same under both trees, applied twice changes nothing",
          arguments: ClosingWorkspace.engines)
    func thanhPhu(_ engine: StorageEngine) async throws {
        let w = try await ReformWorkspace.make(engine)
        let plan = try await w.reform()
        #expect(plan.summary.provinces.map(\.province) == ["86"])
        let counts = try #require(plan.summary.provinces.first)
        #expect(counts.provinceName == "Tỉnh Vĩnh Long")
        // Province 86 is new; 6 communes keep their code with a new version; 12 old communes,
        // the district and the old province end; the 24 hamlets of the 12 move.
        #expect((counts.created, counts.versioned, counts.ended, counts.moved) == (1, 6, 14, 24))
        try await w.log("29185-02", ReformWorkspace.spring2026, eid: 7)
        try await w.log("29194", ReformWorkspace.spring2026, eid: 3)

        let now = try await w.communes()
        #expect(Set(now.rows.keys) == ["29182", "29191", "29194", "29221", "29224", "29227"])
        // Đại Điền (29194): the hamlets of Phú Khánh, Đại Điền, Tân Phong and Thới Thạnh, the
        // session logged at old Phú Khánh itself, and two sessions of 2026.
        #expect(now.rows["29194"] == 10 + 10 + 10 + 10 + 5 + 7 + 3)
        #expect(now.rows["29224"] == 10)
        let old = try await w.communes(tree: ReformWorkspace.before)
        #expect(old.rows.count == 18)
        #expect(old.rows["29185"] == 10 + 5 + 7)
        #expect(old.rows["29194"] == 10 + 3)
        #expect(old.total == now.total)
        #expect(now.total == 6 * 10 + 5 + 7 + 3)

        // Applied again: nothing to do, nothing written.
        let again = try await w.reform()
        #expect(again.isEmpty)
        #expect(try await w.communes().total == now.total)
    }

    @Test("a reused code names two versions told apart by their dates; history and search show where a unit went",
          arguments: ClosingWorkspace.engines)
    func identityThroughTime(_ engine: StorageEngine) async throws {
        let w = try await ReformWorkspace.make(engine)
        try await w.reform()
        let history = try await w.store.areaHistory()
        let unit = try #require(history.unit(code: "29194"))
        #expect(unit.versions.map(\.name) == ["Xã Tân Phong", "Xã Đại Điền"])
        let l = Labels(.vi)
        #expect(history.label(unit, unit.versions[0], l) == "29194 Xã Tân Phong (đến 30/06/2025)")
        #expect(history.label(unit, unit.versions[1], l) == "29194 Xã Đại Điền (từ 01/07/2025)")
        // A hamlet keeps one identity: the same id, another parent.
        let hamlet = try #require(history.unit(code: "29185-01"))
        #expect(hamlet.version(on: ReformWorkspace.before)?.parentID == history.unit(code: "29185")?.id)
        #expect(hamlet.version(on: ReformWorkspace.reformDay)?.parentID == unit.id)

        let listing = try AreaHistoryListing(history: history, code: "29194")
        #expect(Set(listing.cameFrom.map(\.code)) == ["29185", "29188", "29203"])
        #expect(listing.cameFrom.allSatisfy { $0.basis == "Nghị quyết 1686/NQ-UBTVQH15" })
        #expect(try AreaHistoryListing(history: history, code: "29218").wentInto.map(\.code) == ["29224"])

        let tanPhong = try await w.store.findAreas("tân phong", limit: 10, today: ReformWorkspace.today)
        let former = try #require(tanPhong.first { $0.code == "29194" })
        #expect(former.isPast)
        #expect(former.display(l).hasSuffix("(cũ) → nay thuộc Xã Đại Điền (29194)"))
        let daiDien = try await w.store.findAreas("đại điền", limit: 10, today: ReformWorkspace.today)
        let communes = daiDien.filter { $0.kind == .commune }.map { "\($0.code) \($0.isPast)" }
        #expect(communes == ["29194 false", "29188 true"])
    }

    @Test("a split commune's hamlets need a home: refused listing them, then placed by --hamlets", arguments: ClosingWorkspace.engines)
    func splitWithHamlets(_ engine: StorageEngine) async throws {
        let w = try await ReformWorkspace.make(engine)
        // The official table, with old Xã An Thuận (29215) split between An Qui and Thạnh Hải.
        var table = try ReformWorkspace.mapping()
        for i in table.rows.indices where table.rows[i].oldCode == "29215" { table.rows[i].partial = true }
        table.rows.append(ReformMapping.Row(line: 20, oldCode: "29215", newCode: "29221", partial: true))
        await #expect(throws: AreaChangeError.homeless(hamlets: ["29215-01 Ấp 1 An Thuận (29215)", "29215-02 Ấp 2 An Thuận (29215)"])) {
            try await w.reform(mapping: table)
        }
        #expect(try await w.store.hasDatedAreas() == false)
        let homes = HamletHomes(file: "hamlets.csv", rows: [(2, "29215-01", "29224"), (3, "29215-02", "29221")])
        try await w.reform(homes: homes, mapping: table)
        let now = try await w.communes()
        #expect(now.rows["29224"] == 10)
        #expect(now.rows["29221"] == 0)
        let history = try await w.store.areaHistory()
        #expect(Set(try AreaHistoryListing(history: history, code: "29215").wentInto.map(\.code)) == ["29221", "29224"])
        #expect(try AreaHistoryListing(history: history, code: "29215").wentInto.allSatisfy { $0.change == "split" })
    }

    @Test("a rename without a merge keeps the old name for earlier dates and in search", arguments: ClosingWorkspace.engines)
    func renameOnly(_ engine: StorageEngine) async throws {
        let w = try await ReformWorkspace.make(engine)
        let day = Day(year: 2024, month: 9, day: 1)!
        try await w.store.changeAreas(basis: nil) { try $0.rename("29233", to: "Xã Mỹ An Mới", on: day) }
        let before = try await w.store.tree(on: Day(year: 2024, month: 8, day: 31)!)
        let after = try await w.store.tree(on: day)
        #expect(before.index(of: "29233").map { before.nodes[$0].name } == "Xã Mỹ An")
        #expect(after.index(of: "29233").map { after.nodes[$0].name } == "Xã Mỹ An Mới")
        let found = try await w.store.findAreas("my an", limit: 10, today: ReformWorkspace.today)
        #expect(found.contains { $0.code == "29233" && $0.isPast && $0.name == "Xã Mỹ An" })
        // The same rename again: nothing to do.
        #expect(try await w.store.changeAreas(basis: nil) { try $0.rename("29233", to: "Xã Mỹ An Mới", on: day) }.isEmpty)
    }

    @Test("what cannot be true is refused, and nothing is written", arguments: ClosingWorkspace.engines)
    func refusals(_ engine: StorageEngine) async throws {
        let w = try await ReformWorkspace.make(engine)
        let day = Day(year: 2025, month: 1, day: 1)!
        try await w.store.changeAreas(basis: nil) { try $0.merge(["29185"], into: "29188", on: day) }
        // Merged twice on one date.
        await #expect(throws: AreaChangeError.endedAlready(code: "29185", name: "Xã Phú Khánh", date: day, into: "29188 Xã Đại Điền")) {
            try await w.store.changeAreas(basis: nil) { try $0.merge(["29185"], into: "29194", on: day) }
        }
        // A move to a unit that has ended.
        await #expect(throws: AreaChangeError.retiredTarget(code: "29185", name: "Xã Phú Khánh", date: Day(year: 2024, month: 12, day: 31)!)) {
            try await w.store.changeAreas(basis: nil) { try $0.move("29182-01", to: "29185", on: Day(year: 2025, month: 2, day: 1)!) }
        }
        // The reform cannot find a commune that had already ended: refused, naming the line.
        await #expect(throws: AreaChangeError.unknownOld(code: "29185", line: 3, file: ClosingWorkspace.resource("areas/conversions/thanh_phu_2025_mapping.csv"))) {
            try await w.reform()
        }
        // A date before the unit existed.
        let v = try await ReformWorkspace.make(engine)
        try await v.reform()
        await #expect(throws: AreaChangeError.beforeExisted(code: "86", name: "Tỉnh Vĩnh Long", date: ReformWorkspace.reformDay)) {
            try await v.store.changeAreas(basis: nil) { try $0.rename("86", to: "Tỉnh Vĩnh Long Mới", on: day) }
        }
        // A unit with units under it cannot end; one cannot move under itself.
        await #expect(throws: AreaChangeError.self) {
            try await v.store.changeAreas(basis: nil) { try $0.retire("29194", on: ReformWorkspace.today) }
        }
        await #expect(throws: AreaChangeError.cycle(code: "86", target: "29194-01")) {
            try await v.store.changeAreas(basis: nil) { try $0.move("86", to: "29194-01", on: ReformWorkspace.today) }
        }
        let history = try await v.store.areaHistory()
        #expect(history.unit(code: "29194")?.ended == nil)
        #expect(history.unit(code: "86")?.versions.count == 1)
    }

    @Test("a district's report dated after 1 July 2025 is issued by its province, never by a district committee")
    func issuerFollowsTheLaw() async throws {
        let w = try await ReformWorkspace.make(.sqlite)
        let campaign = Campaign(id: "tp", name: "Thạnh Phú", scope: "837", start: Day(year: 2024, month: 1, day: 1)!,
                                end: Day(year: 2025, month: 12, day: 31)!, indicators: ReformWorkspace.campaign.indicators)
        let early = try await w.store.districtReport(campaign: campaign, under: nil, asOf: Day(year: 2025, month: 6, day: 1)!)
        #expect(early.issuingBody == nil)
        let late = try await w.store.districtReport(campaign: campaign, under: nil, asOf: Day(year: 2025, month: 9, day: 1)!)
        #expect(late.issuingBody?.name == "Tỉnh Bến Tre")
        let html = late.html(labels: Labels(.vi))
        #expect(!html.contains("HUYỆN THẠNH PHÚ</"))
        #expect(html.contains("TỈNH BẾN TRE"))
        // After the reform is recorded, the old tree's district is issued for by the province of the day.
        try await w.reform()
        let dated = try await w.store.districtReport(campaign: campaign, under: nil, asOf: Day(year: 2025, month: 9, day: 1)!,
                                                      treeDay: ReformWorkspace.before)
        #expect(dated.issuingBody?.name == "Tỉnh Vĩnh Long")
    }

    @Test("bundles carry area changes: a laptop on the old tree learns the reform, and its later sessions count under the new communes",
          arguments: ClosingWorkspace.engines)
    func bundles(_ engine: StorageEngine) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-reform-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The laptop is a copy of the office's workspace before the reform.
        let office = try await ReformWorkspace.make(engine)
        let laptop = ReformWorkspace(store: try await Workspaces.open(try await ClosingWorkspace.location(engine), create: true))
        let copy = folder.appendingPathComponent("copy.outreach").path
        _ = try await office.store.exportBundle(to: copy, name: nil, scope: BundleScope(), now: Date())
        _ = try await laptop.store.mergeBundle(file: copy, name: nil, today: ReformWorkspace.today, now: Date(), setAsideConflicts: false)
        try await office.reform()

        // The laptop, still on the old tree, logs in a hamlet of old Phú Khánh after the reform.
        try await laptop.log("29185-02", ReformWorkspace.spring2026, eid: 7)
        let fromLaptop = folder.appendingPathComponent("laptop.outreach").path
        let header = try await laptop.store.exportBundle(to: fromLaptop, name: nil, scope: BundleScope(), now: Date())
        #expect(header.counts.areaHistories == 0)
        _ = try await office.store.mergeBundle(file: fromLaptop, name: nil, today: ReformWorkspace.today, now: Date(),
                                               setAsideConflicts: false)
        // Landed in its hamlet, counted under the new commune; the office's tree is unchanged.
        let office2026 = try await office.communes()
        #expect(office2026.rows["29194"] == 10 + 10 + 10 + 10 + 5 + 7)
        #expect(try await office.store.areaHistory().unit(code: "29185")?.ended == Day(year: 2025, month: 6, day: 30)!)

        // The office's bundle teaches the laptop the reform.
        let fromOffice = folder.appendingPathComponent("office.outreach").path
        let sent = try await office.store.exportBundle(to: fromOffice, name: nil, scope: BundleScope(), now: Date())
        #expect(sent.counts.areaHistories > 0)
        _ = try await laptop.store.mergeBundle(file: fromOffice, name: nil, today: ReformWorkspace.today, now: Date(),
                                               setAsideConflicts: true)
        let learned = try await laptop.communes()
        #expect(Set(learned.rows.keys) == ["29182", "29191", "29194", "29221", "29224", "29227"])
        #expect(learned.total == office2026.total)
        let old = try await laptop.communes(tree: ReformWorkspace.before)
        #expect(old.rows.count == 18 && old.total == learned.total)
        let history = try await laptop.store.areaHistory()
        #expect(history.unit(code: "29194")?.versions.map(\.name) == ["Xã Tân Phong", "Xã Đại Điền"])
        #expect(history.successors(of: try #require(history.unit(code: "29185")?.id)) == [try #require(history.unit(code: "29194")?.id)])
        // Merged again: nothing new.
        _ = try await laptop.store.mergeBundle(file: fromOffice, name: nil, today: ReformWorkspace.today, now: Date(), setAsideConflicts: true)
        #expect(try await laptop.store.areaHistory().changes.count == history.changes.count)
    }

    @Test("a target set on an old commune says what became of it under the new tree, and applies under the old one",
          arguments: ClosingWorkspace.engines)
    func targetOnOldUnit(_ engine: StorageEngine) async throws {
        let w = try await ReformWorkspace.make(engine)
        try await w.reform()
        var campaign = ReformWorkspace.campaign
        campaign.areaTargets = ["eid": ["29185": .share(0.5)]]
        let now = try await w.store.coverageReport(campaign: campaign, options: .init(asOf: ReformWorkspace.today, level: .kind(.commune)))
        #expect(now.treeDay == ReformWorkspace.today)
        #expect(now.targetsElsewhere == [.init(code: "29185", name: "Xã Phú Khánh", until: ReformWorkspace.before, now: "29194 Xã Đại Điền")])
        #expect(now.treeLines(Labels(.vi)).last == "Chỉ tiêu riêng đặt cho 29185 Xã Phú Khánh (đến 30/06/2025) không áp dụng theo cây địa bàn này: đơn vị đó nay thuộc 29194 Xã Đại Điền. Đặt chỉ tiêu cho 29194 Xã Đại Điền nếu cần.")
        let json = try now.rendered(as: .json, labels: Labels(.en))
        #expect(json.contains("\"targetsElsewhere\"") && json.contains("\"tree\" : \"2026-12-05\""))
        let old = try await w.store.coverageReport(campaign: campaign, options: .init(asOf: ReformWorkspace.today, level: .kind(.commune),
                                                                                     tree: ReformWorkspace.before))
        #expect(old.targetsElsewhere.isEmpty)
        // The district report, which hands coverage the tree it read, says the same.
        campaign.scope = "86"
        let report = try await w.store.districtReport(campaign: campaign, under: "29194", asOf: ReformWorkspace.today)
        #expect(report.coverage.targetsElsewhere == now.targetsElsewhere)
        #expect(old.rows.first { $0.code == "29185" }?.target == .share(0.5))
    }

    @Test("teams and leaflets of a commune merged away work under the commune it went into; under the old tree, where they were",
          arguments: ClosingWorkspace.engines)
    func teamsAndLeafletsFollow(_ engine: StorageEngine) async throws {
        let w = try await ReformWorkspace.make(engine)
        let spring = Day(year: 2025, month: 5, day: 2)!
        try await w.store.addTeam(Team(code: "PK", name: "Tổ Đề án 06 Phú Khánh", kind: .project06, areaCode: "29185", leader: "Lê Văn Bảy"),
                                  on: spring)
        _ = try await w.store.receiveLeaflets(into: "29185", quantity: 100, on: spring, batch: nil, id: UUID())
        _ = try await w.store.allocateLeaflets(from: "29185", to: "29185-01", quantity: 30, on: spring, batch: nil,
                                               allowNegative: false, id: UUID())
        try await w.reform()

        func communeTeams(_ report: StructureReport) -> (withTeam: Int, teams: Int)? {
            report.lines.first { $0.level == .commune && $0.kind == .project06 }.map { ($0.withTeam, $0.teams) }
        }
        // Today: Phú Khánh's team works in Đại Điền (29194), which took it in.
        let now = try await w.store.structureReport(under: "29194", asOf: ReformWorkspace.today)
        #expect(communeTeams(now).map { [$0.withTeam, $0.teams] } == [1, 1])
        // A code of the old tree is read as the unit standing for it.
        #expect(try await w.store.structureReport(under: "29185", asOf: ReformWorkspace.today).start?.code == "29194")
        let then = try await w.store.structureReport(under: "29185", asOf: ReformWorkspace.today, treeDay: ReformWorkspace.before)
        #expect(then.start?.code == "29185")
        #expect(communeTeams(then).map { [$0.withTeam, $0.teams] } == [1, 1])

        // The 100 leaflets Phú Khánh received are Đại Điền's; the 30 passed on are in its hamlet.
        let stock = try await w.store.leafletStock(under: "29194", asOf: ReformWorkspace.today)
        let row = try #require(stock.rows.first { $0.code == "29194" })
        #expect((row.received, row.passedOn, row.onHand) == (100, 30, 70))
        #expect(stock.rows.first { $0.code == "29185-01" }?.received == 30)
        #expect(stock.total.receivedFromOutside == 100)

        // The district report of the new commune has the team and the stock too; the chase list names the team.
        let campaign = { var c = ReformWorkspace.campaign; c.scope = "86"; return c }()
        let report = try await w.store.districtReport(campaign: campaign, under: "29194", asOf: ReformWorkspace.today)
        #expect(communeTeams(report.structure).map { [$0.withTeam, $0.teams] } == [1, 1])
        #expect(report.leaflets.total.receivedFromOutside == 100)
        let chase = try await w.store.chaseList(campaign: campaign, under: "29194", today: ReformWorkspace.today, silentDays: 30)
        #expect(chase.lines.contains { $0.team == "PK" && $0.leader == "Lê Văn Bảy" })
    }

    @Test("each province's totals are the same under both trees; a new unit's denominator is the sum of its parts unless given",
          arguments: ClosingWorkspace.engines)
    func provincesConserved(_ engine: StorageEngine) async throws {
        let store = try await Workspaces.open(try await ClosingWorkspace.location(engine), create: true)
        var rows: [AreaRow] = []
        var line = 1
        func add(_ code: String, _ name: String, _ level: AreaLevel, _ parent: String?, adults: Int? = nil) {
            line += 1
            rows.append(AreaRow(line: line, code: code, name: name, level: level, parentCode: parent, attributes: AreaAttributes(adults: adults)))
        }
        var mapping: [ReformMapping.Row] = []
        var newTree: [AreaRow] = []
        for p in ["01", "02"] {
            add(p, "Tỉnh \(p)", .province, nil)
            newTree.append(AreaRow(line: newTree.count + 2, code: p, name: "Tỉnh \(p)", level: .province))
            add("\(p)1", "Huyện \(p)", .district, p)
            for c in 1...4 {
                let code = "\(p)1\(c)"
                add(code, "Xã \(code)", .commune, "\(p)1", adults: 100 * c)
                for h in 1...2 { add("\(code)-\(h)", "Thôn \(h)", .hamlet, code) }
                let head = "\(p)1\(c <= 2 ? 1 : 3)"
                mapping.append(ReformMapping.Row(line: mapping.count + 2, oldCode: code, newCode: head, partial: false))
                if c == 1 || c == 3 {
                    newTree.append(AreaRow(line: newTree.count + 2, code: head, name: "Xã mới \(head)", level: .commune, parentCode: p,
                                           attributes: c == 3 && p == "02" ? AreaAttributes(adults: 999) : AreaAttributes()))
                }
            }
        }
        _ = try await store.importAreas(rows, file: "areas.csv", on: ReformWorkspace.today)
        for (i, r) in rows.enumerated() where r.level == .hamlet || i % 5 == 0 {
            _ = try await store.logSession(NewSession(day: ReformWorkspace.spring2024, area: r.code, metrics: MetricValues([.eidL2: i + 1])),
                                           today: ReformWorkspace.today, replacing: nil, reason: nil, campaignMetrics: [])
        }
        let table = ReformMapping(file: "mapping.csv", rows: mapping)
        let tree = newTree
        _ = try await store.changeAreas(basis: nil) { try $0.reform(table, tree: tree, homes: nil, on: ReformWorkspace.reformDay) }
        func totals(_ tree: Day?) async throws -> [String: Int] {
            let report = try await store.coverageReport(campaign: ReformWorkspace.campaign,
                                                        options: .init(asOf: ReformWorkspace.today, level: .kind(.province), tree: tree))
            return Dictionary(uniqueKeysWithValues: report.rows.filter { !$0.isTotal }.map { ($0.code, $0.value ?? 0) })
        }
        let now = try await totals(nil), old = try await totals(ReformWorkspace.before)
        #expect(now.keys.sorted() == ["01", "02"] && now == old)
        // Denominators: 0111 is the sum of its parts (100 + 200); 0213 was given (999).
        let communes = try await store.coverageReport(campaign: ReformWorkspace.campaign,
                                                      options: .init(asOf: ReformWorkspace.today, level: .kind(.commune)))
        #expect(communes.rows.first { $0.code == "0111" }?.denominator == 300)
        #expect(communes.rows.first { $0.code == "0213" }?.denominator == 999)
        #expect(communes.rows.filter { !$0.isTotal }.count == 4)
    }
}
