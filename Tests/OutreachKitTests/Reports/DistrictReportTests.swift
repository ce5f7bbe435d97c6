import Foundation
import Testing
@testable import OutreachKit

@Suite("District report")
struct DistrictReportTests {
    static let asOf = Day(year: 2026, month: 11, day: 20)!

    static func day(_ text: String) -> Day { Day(parsing: text)! }

    static let campaign = Campaign(
        id: "de-an-06", name: "Kích hoạt tài khoản định danh điện tử mức 2 năm 2026", nameEnglish: "Level-2 VNeID, 2026",
        scope: "404", start: day("2026-01-01"), end: day("2026-12-31"),
        indicators: [
            Indicator(id: "eid-l2", label: "Người từ 15 tuổi có định danh mức 2", labelEnglish: "Adults with level-2 VNeID",
                      numerator: ["eid_l2"], denominator: "adults", target: .share(0.9),
                      milestones: [Milestone(day: day("2026-06-30"), target: .share(0.55))]),
            Indicator(id: "households", label: "Hộ gia đình được tuyên truyền", numerator: ["households_visited"],
                      denominator: "households", target: .share(1)),
            Indicator(id: "leaflets", label: "Tờ rơi đã phát", numerator: ["leaflets"], denominator: nil, target: .count(500)),
        ])

    /// A district with two communes and three hamlets (one with an awkward name), a year of
    /// sessions (one voided), teams and leaflets.
    static func store(hamletName: String = "Thôn 2") throws -> Store {
        let store = try Store.inMemory()
        func area(_ code: String, _ name: String, _ level: AreaLevel, _ parent: String?, adults: Int? = nil, households: Int? = nil) -> AreaRow {
            AreaRow(line: 1, code: code, name: name, level: level, parentCode: parent,
                    attributes: AreaAttributes(adults: adults, households: households))
        }
        _ = try store.importAreas([
            area("38", "Tỉnh Thanh Hóa", .province, nil), area("404", "Huyện Nông Cống", .district, "38"),
            area("16282", "Xã Tân Phúc", .commune, "404"), area("16285", "Xã Tân Thọ", .commune, "404"),
            area("16282-01", "Thôn 1", .hamlet, "16282", adults: 870, households: 330),
            area("16282-02", hamletName, .hamlet, "16282", adults: 705, households: 268),
            area("16285-01", "Thôn Tân Thọ", .hamlet, "16285", adults: 985, households: 371),
        ], file: "areas.csv", on: asOf)
        _ = try store.importTeams([
            TeamRow(line: 2, team: Team(code: "P06-16282", name: "Tổ công tác Đề án 06 xã Tân Phúc", kind: .project06, areaCode: "16282")),
            TeamRow(line: 3, team: Team(code: "P06-16282-01", name: "Tổ công tác Đề án 06 Thôn 1", kind: .project06,
                                        areaCode: "16282-01", leader: "Lê Văn Hùng")),
            TeamRow(line: 4, team: Team(code: "P06-16282-02", name: "Tổ công tác Đề án 06 Thôn 2", kind: .project06,
                                        areaCode: "16282-02", leader: "Đỗ Thị Mai")),
        ], file: "teams.csv", on: asOf)
        _ = try store.importMembers([
            MemberRow(line: 2, member: Member(teamCode: "P06-16282", name: "Nguyễn Văn An", role: .leader)),
            MemberRow(line: 3, member: Member(teamCode: "P06-16282", name: "Trần Thị Bình")),
            MemberRow(line: 4, member: Member(teamCode: "P06-16282-01", name: "Lê Văn Hùng", role: .leader)),
        ], file: "members.csv")
        _ = try store.receiveLeaflets(into: "404", quantity: 1000, on: day("2026-09-25"))
        _ = try store.allocateLeaflets(from: "404", to: "16282", quantity: 600, on: day("2026-09-27"))
        _ = try store.allocateLeaflets(from: "16282", to: "16282-01", quantity: 300, on: day("2026-09-28"))
        func log(_ date: String, _ area: String, _ metrics: [Metric: Int]) throws -> String {
            try store.logSession(NewSession(day: day(date), area: area, metrics: MetricValues(metrics)), today: asOf).id
        }
        _ = try log("2026-01-05", "16282-01", [.eidL2: 100, .householdsVisited: 50])
        _ = try log("2026-11-15", "16282-01", [.eidL2: 300, .leaflets: 120])
        _ = try log("2026-10-01", "16282-02", [.eidL2: 200, .householdsVisited: 80])
        let wrong = try log("2026-11-10", "16285-01", [.eidL2: 999])
        try store.voidSession(wrong, reason: "nhập nhầm thôn", on: asOf)
        _ = try log("2026-11-25", "16285-01", [.eidL2: 50])  // after the report's day
        return store
    }

    static func report(_ store: Store, under: String? = nil) async throws -> DistrictReport {
        try await store.districtReport(campaign: campaign, under: under, asOf: asOf)
    }

    @Test("its coverage is exactly the coverage report built as `outreach coverage` builds it", arguments: [nil, "16282"])
    func coverageEqualsCoverageCommand(under: String?) async throws {
        let store = try Self.store()
        let report = try await Self.report(store, under: under)
        // As Commands/Coverage.swift does it: the tree, the period totals, the report.
        let tree = try store.areaTree()
        var own: [Int: AreaTotals] = [:]
        for (id, t) in try store.periodTotals(start: Self.campaign.start, end: Self.campaign.end, asOf: Self.asOf) {
            if let i = tree.index(ofID: id) { own[i] = t }
        }
        let expected = try CoverageReport(campaign: Self.campaign, tree: tree, ownTotals: own,
                                          options: .init(asOf: Self.asOf, under: under))
        #expect(report.coverage == expected)
        let eid = Self.campaign.indicators[0]
        #expect(report.total(of: eid)?.value == (under == nil ? 600 : 600))
        #expect(report.total(of: eid)?.denominator == (under == nil ? 2560 : 1575))
    }

    @Test("its team lines and leaflet stock are exactly what `structure` and `leaflets stock` print", arguments: [nil, "16282"])
    func structureAndStockEqualTheirCommands(under: String?) async throws {
        let store = try Self.store()
        let report = try await Self.report(store, under: under)
        let start = under ?? Self.campaign.scope  // without --under, the campaign's scope
        #expect(report.structure == (try await store.structureReport(under: start, asOf: Self.asOf)))
        #expect(report.leaflets == (try await store.leafletStock(under: start, asOf: Self.asOf)))
    }

    @Test("a whole-country campaign reports from the country row, with the whole tree's teams and stock")
    func wholeCountry() async throws {
        let store = try Self.store()
        var campaign = Self.campaign
        campaign.scope = Campaign.wholeTreeScope
        let report = try await store.districtReport(campaign: campaign, under: nil, asOf: Self.asOf)
        #expect(report.place == .init(code: Campaign.wholeTreeScope, name: Campaign.wholeTreeName, level: .country))
        #expect(report.coverage == (try await store.coverageReport(campaign: campaign, options: .init(asOf: Self.asOf))))
        #expect(report.structure == (try await store.structureReport(under: nil, asOf: Self.asOf)))
        #expect(report.leaflets == (try await store.leafletStock(under: nil, asOf: Self.asOf)))
        #expect(report.sessions == 3 && report.sessionUnits == 3)
    }

    @Test("headline totals, weekly progress, quiet hamlets and leaflets come from the live sessions up to the day")
    func figures() async throws {
        let report = try await Self.report(try Self.store())
        #expect(report.sessions == 3)
        #expect(report.metricTotals[.eidL2] == 600)
        #expect(report.metricTotals[.householdsVisited] == 130)
        #expect(report.metricTotals[.bankAccount] == nil)
        #expect(report.structure.lines.first { $0.level == .commune && $0.kind == .project06 }.map { "\($0.withTeam)/\($0.units)" } == "1/2")

        let eid = try #require(report.progress.first { $0.indicator == "eid-l2" })
        #expect(eid.points.first == .init(day: Self.day("2026-01-07"), value: 100))
        #expect(eid.points.last == .init(day: Self.asOf, value: 600))
        #expect(eid.points.count == 47)  // 46 whole weeks, then 17–20 November
        #expect(eid.points.last?.value == report.total(of: Self.campaign.indicators[0])?.value)
        #expect(zip(eid.points, eid.points.dropFirst()).allSatisfy { $0.value <= $1.value && $0.day < $1.day })

        // Thôn Tân Thọ's only session before the day was voided: it has never logged one.
        #expect(report.sessionUnits == 3)
        #expect(report.quiet.map(\.code) == ["16285-01", "16282-02"])
        #expect(report.quiet[0].lastSession == nil)
        #expect(report.quiet[1].lastSession == Self.day("2026-10-01"))
        #expect(report.quiet[1].team == "P06-16282-02" && report.quiet[1].leader == "Đỗ Thị Mai")

        #expect(report.leafletLines == [DistrictReport.LeafletLine(code: "16282", name: "Xã Tân Phúc", received: 600,
                                                                   handedOut: 120, onHand: 480, over: false)])
        #expect(report.leaflets.total.receivedFromOutside == 1000)
    }

    @Test("a hamlet is quiet from the 14th day without a session")
    func quietBoundary() async throws {
        let store = try Self.store()
        #expect(try await store.districtReport(campaign: Self.campaign, under: "16282", asOf: Self.day("2026-11-28"))
            .quiet.map(\.code) == ["16282-02"])
        #expect(try await store.districtReport(campaign: Self.campaign, under: "16282", asOf: Self.day("2026-11-29"))
            .quiet.map(\.code) == ["16282-02", "16282-01"])
    }

    @Test("the hamlets furthest behind come first, with what each still needs")
    func furthestBehind() async throws {
        let report = try await Self.report(try Self.store())
        let rows = report.furthestBehind(Self.campaign.indicators[0])
        #expect(rows.map(\.code) == ["16282-02", "16282-01"])  // 28,4% then 46,0%; Thôn Tân Thọ has no data
        #expect(rows.map(DistrictReport.stillNeeded) == [435, 383])  // ⌈0,9 × 705⌉ − 200, ⌈0,9 × 870⌉ − 400
        #expect(report.furthestBehind(Self.campaign.indicators[2]).isEmpty)  // a count target is the district's
    }

    @Test("the HTML is well-formed, self-contained and complete", arguments: Language.allCases)
    func htmlIsWellFormed(language: Language) async throws {
        let html = try await Self.report(try Self.store(hamletName: "Thôn <Mới> & \"Cũ\" | 2")).html(labels: Labels(language))
        let problems = XMLCheck.problems(in: html), wellFormed = problems.isEmpty
        #expect(wellFormed, "not well-formed: \(problems.prefix(5))")
        for reference in ["//", "http", "<script", "<link", "@import", "url(", "src="] {
            #expect(!html.contains(reference), "the page refers to \(reference)")
        }
        #expect(!html.contains("⟦"), "a label is missing")
        #expect(html.contains("Thôn &lt;Mới&gt; &amp; &quot;Cũ&quot; | 2"))
        #expect(html.components(separatedBy: "<svg").count > 6)
        #expect(html.contains("@media print") && html.contains("size: A4"))
        if language == .vi {
            // Dated after 1 July 2025: no district committee; the province issues it (issue 17).
            #expect(!html.contains("HUYỆN NÔNG CỐNG</"))
            for text in ["ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "Thanh Hóa, ngày 20 tháng 11 năm 2026", "BÁO CÁO", "23,4%", "600/2.560"] {
                #expect(html.contains(text), "missing \(text)")
            }
        } else {
            #expect(html.contains("SOCIALIST REPUBLIC OF VIET NAM") && html.contains("Thanh Hóa, 20 November 2026"))
            #expect(html.contains("Adults with level-2 VNeID") && html.contains("23.4%"))
        }
    }

    @Test("every unit table puts the rate and the status right after the unit, for a 390 px phone")
    func rateAndStatusFirst() async throws {
        let html = try await Self.report(try Self.store()).html(labels: Labels(.vi))
        // The share indicator's table: unit, rate, status, then the figures.
        #expect(html.contains("<tr><th>Đơn vị</th><th class=\"num\">Tỷ lệ</th><th>Đánh giá</th><th class=\"num\">Đã thực hiện</th>"))
        #expect(html.contains("<td>Toàn huyện Nông Cống</td><td class=\"num\">23,4%</td><td><span class=\"pill\">Chậm tiến độ</span></td>"))
        // The hamlets furthest behind: rank, hamlet, rate first; the quiet hamlets: days quiet first.
        #expect(html.contains("<tr><th class=\"num\">STT</th><th>Thôn</th><th class=\"num\">Tỷ lệ</th>"))
        #expect(html.contains("<tr><th>Thôn</th><th class=\"num\">Số ngày</th>"))
        // On a narrow screen the unit's name wraps so that the columns after it stay in view.
        let narrow = try #require(ReportStyle.css.range(of: "@media (max-width: 640px)"))
        #expect(ReportStyle.css[narrow.upperBound...].contains(".table-wrap.wrap td:first-child, .table-wrap.wrap-second td:nth-child(2) { min-width: 6.5em; }"))
    }

    @Test("prints on A4 without forced page breaks, its tables fitting the text width")
    func printRules() throws {
        let css = ReportStyle.css
        let print = try #require(css.range(of: "@media print")).upperBound
        #expect(!css.contains("break-before: page"), "a forced break leaves the page before it half empty")
        #expect(css[print...].contains("size: A4; margin: 20mm 15mm 18mm 25mm;"))
        #expect(css[print...].contains("th, td { white-space: normal;"))
        #expect(css[print...].contains(".table-wrap { overflow: visible; }"))
    }

    @Test("signs for the People's Committee by its chair by default, or as --issuer, --signer-title and --signer-name say")
    func signature() async throws {
        var report = try await Self.report(try Self.store())
        let html = report.html(labels: Labels(.vi))
        #expect(html.contains("<div class=\"signer\"><p class=\"strong\">TM. ỦY BAN NHÂN DÂN</p><p class=\"strong\">CHỦ TỊCH</p>"))
        #expect(!html.contains("signer-name"))
        #expect(report.html(labels: Labels(.en)).contains("<p class=\"strong\">FOR THE PEOPLE'S COMMITTEE</p><p class=\"strong\">CHAIRPERSON</p>"))
        #expect(report.markdown(labels: Labels(.vi)).contains("| Nơi nhận: | TM. ỦY BAN NHÂN DÂN |"))

        report.signature = ReportSignature(issuer: " BAN CHỈ ĐẠO ĐỀ ÁN 06 ", title: "TRƯỞNG BAN", name: "Nguyễn Văn An")
        let signed = report.html(labels: Labels(.vi))
        #expect(signed.contains("<span class=\"strong\">BAN CHỈ ĐẠO ĐỀ ÁN 06</span><br/><span class=\"strong\">TỈNH THANH HÓA</span>"))
        #expect(signed.contains("<p class=\"strong\">TM. BAN CHỈ ĐẠO ĐỀ ÁN 06</p><p class=\"strong\">TRƯỞNG BAN</p>"))
        #expect(signed.contains("<p class=\"strong signer-name\">Nguyễn Văn An</p>"))
        #expect(!signed.contains("CHỦ TỊCH") && !signed.contains("ỦY BAN NHÂN DÂN"))
        let markdown = report.markdown(labels: Labels(.vi))
        #expect(markdown.contains("| BAN CHỈ ĐẠO ĐỀ ÁN 06 TỈNH THANH HÓA | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |"))
        #expect(markdown.contains("| Nơi nhận: | TM. BAN CHỈ ĐẠO ĐỀ ÁN 06 |"))
        #expect(markdown.contains("| **TRƯỞNG BAN** |") && markdown.contains("| **Nguyễn Văn An** |"))
        #expect(ReportSignature(issuer: "  ", title: "", name: nil) == ReportSignature())
    }

    @Test("the leaflet table is arithmetic: received − handed out = on hand on every line, and each column sums to the total")
    func leafletArithmetic() async throws {
        // The district received 1.000 and passed 600 to Tân Phúc, which passed 300 to Thôn 1 (120 handed out).
        let report = try await Self.report(try Self.store())
        let lines = report.leafletTable
        #expect(lines.map(\.name) == ["Xã Tân Phúc", "Huyện Nông Cống"])
        #expect(lines.map(\.received) == [600, 400], "the district's own line is what it kept: 1.000 − 600")
        for line in lines { #expect(line.received - line.handedOut == line.onHand, "\(line.name)") }
        let total = report.leafletTotal
        #expect(total.received == 1000 && total.handedOut == 120 && total.onHand == 880)
        #expect(total.received == lines.reduce(0) { $0 + $1.received })
        #expect(total.onHand == lines.reduce(0) { $0 + $1.onHand })
        #expect(total.received == report.leaflets.total.receivedFromOutside)
        let html = report.html(labels: Labels(.vi))
        #expect(html.contains("<th class=\"num\">Còn lại (3) = (1) − (2)</th>"))
        #expect(html.contains("<tr class=\"total\"><td>Toàn huyện Nông Cống</td><td class=\"num\">1.000</td><td class=\"num\">120</td><td class=\"num\">880</td></tr>"))
        #expect(html.contains("<td>Huyện Nông Cống (giữ lại)</td><td class=\"num\">400</td><td class=\"num\">0</td><td class=\"num\">400</td>"))
        #expect(html.contains("đã nhận 1.000 tờ, cấp cho các đơn vị trực thuộc 600 tờ, giữ lại 400 tờ"))
        #expect(report.markdown(labels: Labels(.vi)).contains("| **Toàn huyện Nông Cống** | **1.000** | **120** | **880** |"))
    }

    @Test("a hamlet with a count and no denominator is shown as such, and its commune says it left it out")
    func leftOutUnits() async throws {
        let store = try Self.store()
        _ = try store.importAreas([AreaRow(line: 2, code: "16285-02", name: "Thôn Mới", level: .hamlet, parentCode: "16285")],
                                  file: "more.csv", on: Self.asOf)
        _ = try store.logSession(NewSession(day: Self.day("2026-11-01"), area: "16285-02", metrics: MetricValues([.eidL2: 40])),
                                 today: Self.asOf)
        let report = try await Self.report(store)
        let eid = Self.campaign.indicators[0]
        #expect(report.total(of: eid)?.value == 600 && report.total(of: eid)?.denominator == 2560, "Thôn Mới's 40 stay out")
        #expect(report.total(of: eid)?.leftOut == 1)
        let html = report.html(labels: Labels(.vi))
        #expect(html.contains("Xã Tân Thọ: tỷ lệ không tính 1 đơn vị có kết quả nhưng không có mẫu số"))
        #expect(html.contains("Toàn huyện Nông Cống: tỷ lệ không tính 1 đơn vị"))
        let commune = try await store.districtReport(campaign: Self.campaign, under: "16285", asOf: Self.asOf)
        #expect(commune.html(labels: Labels(.vi)).contains("<td>Thôn Mới</td><td class=\"num\">không xác định</td><td><span class=\"pill\">Không có mẫu số</span></td>"))
        #expect(commune.markdown(labels: Labels(.en)).contains("| Thôn Mới | 40 | — | n/a | 90% | — | No denominator |"))
    }

    @Test("the Markdown tables are valid and carry the figures", arguments: Language.allCases)
    func markdownTables(language: Language) async throws {
        let markdown = try await Self.report(try Self.store(hamletName: "Thôn | 2")).markdown(labels: Labels(language))
        #expect(!markdown.contains("⟦"), "a label is missing")
        let problems = MarkdownTableCheck.problems(in: markdown)
        #expect(problems.isEmpty, "\(problems)")
        #expect(MarkdownTableCheck.tables(in: markdown) >= 10)
        #expect(markdown.contains("Thôn \\| 2"))
        if language == .vi {
            #expect(markdown.contains("| **Toàn huyện Nông Cống** | **600** | **2.560** | **23,4%** | **90%** |"))
        }
    }

    @Test("the XML check catches unbalanced tags, bare ampersands, unquoted attributes and a second root")
    func xmlCheckCatches() {
        #expect(XMLCheck.problems(in: "<!DOCTYPE html>\n<html lang=\"vi\"><p class=\"a\">x &amp; y<br/></p></html>\n").isEmpty)
        for bad in ["<html><p><b>x</p></html>", "<html><p>a & b</p></html>", "<html><p class=x>y</p></html>",
                    "<html></html><html></html>", "<html><p>"] {
            #expect(!XMLCheck.problems(in: bad).isEmpty, "\(bad)")
        }
    }

    @Test("the table check catches a row of the wrong width and a missing separator")
    func tableCheckCatches() {
        #expect(MarkdownTableCheck.problems(in: "| a | b |\n| --- | --- |\n| 1 | 2 |\n").isEmpty)
        #expect(!MarkdownTableCheck.problems(in: "| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n").isEmpty)
        #expect(!MarkdownTableCheck.problems(in: "| a | b |\n| 1 | 2 |\n").isEmpty)
        #expect(MarkdownTableCheck.problems(in: "| a \\| b | c |\n| --- | ---: |\n").isEmpty)
    }
}

/// Checks Markdown pipe tables: a separator row second, every row as wide as the header.
enum MarkdownTableCheck {
    /// Cells of a table row: `|` splits, `\|` does not.
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for ch in line.dropFirst() {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; current.append(ch); continue }
            if ch == "|" { cells.append(current); current = ""; continue }
            current.append(ch)
        }
        return cells
    }

    static func blocks(_ markdown: String) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") { current.append(line) } else if !current.isEmpty { blocks.append(current); current = [] }
        }
        if !current.isEmpty { blocks.append(current) }
        return blocks
    }

    static func tables(in markdown: String) -> Int { blocks(markdown).count }

    static func problems(in markdown: String) -> [String] {
        var problems: [String] = []
        for block in blocks(markdown) {
            guard block.count >= 2 else { problems.append("a table without separator: \(block[0])"); continue }
            let width = cells(block[0]).count
            let separator = cells(block[1]).map { $0.trimmingCharacters(in: .whitespaces) }
            if !block[0].hasSuffix("|") || separator.count != width
                || !separator.allSatisfy({ $0.range(of: "^:?-{3,}:?$", options: .regularExpression) != nil }) {
                problems.append("bad header or separator: \(block[0]) / \(block[1])")
            }
            for row in block.dropFirst(2) where cells(row).count != width || !row.hasSuffix("|") {
                problems.append("row of \(cells(row).count) cells under a header of \(width): \(row)")
            }
        }
        return problems
    }
}

/// Checks that a page is well-formed XML: tags balanced and properly nested, every element
/// closed or self-closed, attribute values quoted, `&` only in entities, one root element.
enum XMLCheck {
    static func problems(in text: String) -> [String] {
        var problems: [String] = []
        var stack: [String] = []
        var roots = 0
        let chars = Array(text.unicodeScalars)
        let attribute = try! NSRegularExpression(pattern: #"^(\s+[A-Za-z][A-Za-z0-9:-]*="[^"<]*")*\s*/?$"#)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "&" {
                let rest = String(String.UnicodeScalarView(chars[i..<min(chars.count, i + 12)]))
                if rest.range(of: #"^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);"#, options: .regularExpression) == nil {
                    problems.append("bare & near \(rest)")
                }
                i += 1
                continue
            }
            guard c == "<" else { i += 1; continue }
            var j = i + 1
            var quoted = false
            while j < chars.count, quoted || chars[j] != ">" {
                if chars[j] == "\"" { quoted.toggle() }
                j += 1
            }
            guard j < chars.count else { problems.append("unclosed <"); break }
            let tag = String(String.UnicodeScalarView(chars[(i + 1)..<j]))
            i = j + 1
            if tag.hasPrefix("!") { continue }
            if tag.hasPrefix("/") {
                let name = String(tag.dropFirst())
                if stack.popLast() != name { problems.append("</\(name)> closes the wrong element") }
                continue
            }
            let name = String(tag.prefix { !$0.isWhitespace && $0 != "/" })
            let attributes = String(tag.dropFirst(name.count))
            if name.isEmpty || attribute.firstMatch(in: attributes, range: NSRange(attributes.startIndex..., in: attributes)) == nil {
                problems.append("malformed tag <\(tag)>")
            }
            if stack.isEmpty { roots += 1 }
            if !tag.hasSuffix("/") { stack.append(name) }
        }
        if !stack.isEmpty { problems.append("unclosed: \(stack)") }
        if roots != 1 { problems.append("\(roots) root elements") }
        return problems
    }
}
