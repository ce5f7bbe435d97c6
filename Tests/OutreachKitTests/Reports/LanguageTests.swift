import Foundation
import Testing
@testable import OutreachKit

/// What people read comes in Vietnamese by default and in English on request; what machines
/// read (CSV, JSON) is the same in both.
@Suite("Reports in Vietnamese and English")
struct LanguageTests {
    static let vi = Labels(.vi)
    static let en = Labels(.en)

    @Test("the coverage table in Vietnamese: headers, statuses, kinds, 1.800, 30,0% and 05/01/2025")
    func coverageTableInVietnamese() throws {
        let text = try CoverageFixture().report().rendered(as: .table, labels: Self.vi)
        #expect(text == """
            Tiến độ Kích hoạt định danh điện tử (e2) tại Huyện An (001) đến ngày 05/01/2025; đã qua 50,0% thời gian kế hoạch 01/01/2025–10/01/2025

            eid: Người trưởng thành có VNeID mức 2 — eid_l2 trên người từ 15 tuổi trở lên, chỉ tiêu 50%, tổng kết quả chia tổng mẫu số
            MÃ        TÊN           LOẠI    KẾT QUẢ      TỪ 15 TUỔI            TỶ LỆ  CHỈ TIÊU  ĐÁNH GIÁ         GHI CHÚ
            001       Huyện An      huyện       540           1.800            30,0%       50%  đúng tiến độ
            00001       Xã Một      xã          300           1.200            25,0%       50%  đúng tiến độ
            00001-01      Thôn 1    thôn        200             400            50,0%       50%  đạt
            00001-02      Thôn 2    thôn        100             600            16,7%       50%  chậm
            00001-03      Thôn 3    thôn          -  không xác định  chưa có số liệu       50%  chưa có số liệu
            00002       Phường Hai  phường      240             600            40,0%       50%  đúng tiến độ
            00002-01      Tổ 1      thôn        240             200           120,0%       50%  đạt              vượt 100%
            00002-02      Tổ 2      thôn          -             300  chưa có số liệu       50%  chưa có số liệu
            00002-03      Tổ 3      thôn          0             100             0,0%       50%  chậm
            001       Tổng cộng                 540           1.800            30,0%       50%  đúng tiến độ

            """)
    }

    @Test("the coverage Markdown in Vietnamese, with a level filter and a count of areas in the total")
    func coverageMarkdownInVietnamese() throws {
        let report = try CoverageFixture().report(CoverageFixture.options(level: .kind(.hamlet), behindOnly: true))
        let text = try report.rendered(as: .md, labels: Self.vi)
        #expect(text == """
            # Tiến độ Kích hoạt định danh điện tử (e2)

            Tại Huyện An (001), đến ngày 05/01/2025: đã qua 50,0% thời gian kế hoạch 01/01/2025–10/01/2025.

            Chỉ liệt kê các thôn; dòng tổng cộng gộp các đơn vị này. Chỉ gồm các địa bàn chậm so với chỉ tiêu và các địa bàn chưa có số liệu (chưa ghi nhận buổi nào).

            ## eid: Người trưởng thành có VNeID mức 2

            eid\\_l2 trên người từ 15 tuổi trở lên, chỉ tiêu 50%, tổng kết quả chia tổng mẫu số.

            | Mã | Tên | Loại | Kết quả | Từ 15 tuổi | Tỷ lệ | Chỉ tiêu | Đánh giá | Ghi chú |
            | --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |
            | 00001-02 | Thôn 2 | thôn | 100 | 600 | 16,7% | 50% | chậm |  |
            | 00001-03 | Thôn 3 | thôn | - | không xác định | chưa có số liệu | 50% | chưa có số liệu |  |
            | 00002-02 | Tổ 2 | thôn | - | 300 | chưa có số liệu | 50% | chưa có số liệu |  |
            | 00002-03 | Tổ 3 | thôn | 0 | 100 | 0,0% | 50% | chậm |  |
            | 001 | **Tổng 6 đơn vị** |  | 540 | 1.600 | 33,8% | 50% | đúng tiến độ |  |

            """)
    }

    @Test("an indicator without a denominator, with milestones, under roll-up mean, in both languages")
    func definitions() throws {
        var indicator = Indicator(id: "tr", label: "Tờ rơi", numerator: ["leaflets"], denominator: nil, target: .count(6000))
        indicator.labelEnglish = "Leaflets"
        indicator.milestones = [Milestone(day: Day(year: 2025, month: 1, day: 3)!, target: .count(1500))]
        indicator.rollUp = .mean
        let wording = (vi: CoverageWording(Self.vi), en: CoverageWording(Self.en))
        #expect(wording.vi.heading(indicator)
            == "tr: Tờ rơi — leaflets (đếm số lượng), chỉ tiêu 6.000 (các mốc: 1.500 đến 03/01/2025), đơn vị cấp trên lấy trung bình tỷ lệ của các đơn vị trực thuộc")
        #expect(wording.en.heading(indicator)
            == "tr: Leaflets — leaflets (a count), target 6,000 (milestones: 1,500 by 3 Jan 2025), parents show the mean of their units' coverage")
        #expect(wording.vi.denominatorTitle(indicator) == "Mẫu số")
        #expect(wording.en.denominatorTitle(indicator) == "Denominator")
    }

    @Test("the words of the domain", arguments: [
        (CoverageReport.Status.met, "đạt", "met"), (.onTrack, "đúng tiến độ", "on track"), (.behind, "chậm", "behind"),
        (.noData, "chưa có số liệu", "no data"),
    ])
    func statuses(status: CoverageReport.Status, vietnamese: String, english: String) {
        #expect(Self.vi.status(status) == vietnamese)
        #expect(Self.en.status(status) == english)
    }

    @Test("kinds of area: the local word in Vietnamese, the level and the word in English")
    func kinds() {
        #expect(AreaLevel.allCases.map(Self.vi.kind) == ["tỉnh", "huyện", "xã", "phường", "thị trấn", "đặc khu", "thôn", "cả nước"])
        #expect(Self.vi.kind(.hamlet, local: "tổ dân phố") == "tổ dân phố")
        #expect(Self.en.kind(.hamlet, local: "tổ dân phố") == "hamlet (tổ dân phố)")
        #expect(Self.en.kind(.hamlet, local: "thôn") == "hamlet")
        #expect(Self.en.kind(.hamlet, local: "Thôn") == "hamlet")
        #expect(Self.en.kind(.commune, local: "xã") == "commune")
        #expect(Self.en.kind(.hamlet, local: "ấp") == "hamlet (ấp)")
        #expect(Self.vi.kind(.hamlet, local: "ấp") == "ấp")
        #expect(Self.en.kind(.specialZone, local: nil) == "special zone")
        #expect(Self.vi.teamKind(.project06) == "Đề án 06")
        #expect(Self.vi.role(.leader) == "tổ trưởng")
        #expect(Self.en.counted(1, one: Self.en["structure.members.one"], other: Self.en["structure.members.other"]) == "1 member")
        #expect(Self.en.counted(1010, one: Self.en["structure.members.one"], other: Self.en["structure.members.other"]) == "1,010 members")
        #expect(Self.vi.counted(1010, one: Self.vi["structure.members.one"], other: Self.vi["structure.members.other"]) == "1.010 thành viên")
    }

    @Test("the structure report in Vietnamese names the units without a team")
    func structureInVietnamese() throws {
        var data = try NongCong()
        data.deactivate("P06-16282", since: Day(year: 2026, month: 10, day: 1)!)
        #expect(try data.report().rendered(as: .table, labels: Self.vi) == """
            Cơ cấu các tổ tại Huyện Nông Cống ngày 20/11/2026
            28/29 xã có tổ Đề án 06 (308 thành viên)
              chưa có (1): Xã Tân Phúc
            201/201 thôn có tổ Đề án 06 (1.010 thành viên)

            """)
    }

    @Test("CSV and JSON are the same in both languages, for every report", arguments: ["csv", "json"])
    func machineFormatsIgnoreLanguage(format: String) throws {
        let outputFormat = try #require(OutputFormat(rawValue: format))
        let coverage = try CoverageFixture().report()
        let coverageFormat = try #require(CoverageFormat(rawValue: format))
        #expect(try coverage.rendered(as: coverageFormat, labels: Self.vi) == coverage.rendered(as: coverageFormat, labels: Self.en))

        let data = try NongCong()
        let tree = data.tree
        let structure = data.report()
        #expect(try structure.rendered(as: outputFormat, labels: Self.vi) == structure.rendered(as: outputFormat, labels: Self.en))
        let areas = AreaListing(tree: tree, start: tree.index(of: "16282"), maxDepth: nil)
        #expect(try areas.rendered(as: outputFormat, labels: Self.vi) == areas.rendered(as: outputFormat, labels: Self.en))
        let teams = TeamListing(tree: tree, start: nil, kind: nil, teams: data.teams, memberCounts: ["P06-16282": 1010],
                                asOf: NongCong.asOf)
        #expect(try teams.rendered(as: outputFormat, labels: Self.vi) == teams.rendered(as: outputFormat, labels: Self.en))
        let members = MemberListing(members: data.members, asOf: NongCong.asOf)
        #expect(try members.rendered(as: outputFormat, labels: Self.vi) == members.rendered(as: outputFormat, labels: Self.en))
        let stock = LeafletStock(tree: tree, start: nil, moves: [LeafletMove(day: NongCong.formed, to: "404", quantity: 6000)],
                                 handedOut: ["16282-01": 7000], asOf: NongCong.asOf)
        #expect(try stock.rendered(as: outputFormat, labels: Self.vi) == stock.rendered(as: outputFormat, labels: Self.en))
        let sessions = [SessionEntry(id: "f384acf9-88fe-80ea-90ed-bf083a136a9e", date: NongCong.asOf, area: "16282-01",
                                     areaName: "Thôn 1", team: "P06-16282", loggedBy: nil, metrics: ["leaflets": 1010],
                                     notes: "Họp thôn", voided: .init(date: NongCong.asOf, reason: "trùng", replacedBy: nil))]
        #expect(try SessionListing.render(sessions, as: outputFormat, labels: Self.vi)
            == SessionListing.render(sessions, as: outputFormat, labels: Self.en))
        // And they keep the machine forms: ISO dates, plain digits, English codes.
        let csv = try coverage.rendered(as: .csv, labels: Self.vi) + stock.rendered(as: .csv, labels: Self.vi)
            + SessionListing.render(sessions, as: .csv, labels: Self.vi)
        if format == "csv" {
            #expect(csv.contains(",6000,") && csv.contains("2025-01-05") && csv.contains("on track") && csv.contains(",1010,"))
            #expect(!csv.contains("1.010") && !csv.contains("05/01/2025") && !csv.contains("đúng tiến độ"))
        }
    }

    @Test("a leaflet table in Vietnamese groups thousands and flags a unit that gave out more than it got")
    func leafletsInVietnamese() throws {
        let data = try NongCong()
        let tree = data.tree
        let stock = LeafletStock(tree: tree, start: tree.index(of: "16282"), moves: [], handedOut: ["16282-01": 1010],
                                 asOf: NongCong.asOf)
        #expect(try stock.rendered(as: .table, labels: Self.vi) == """
            Tờ rơi tồn thuộc 16282 đến ngày 20/11/2026
            MÃ        TÊN                       LOẠI  ĐÃ NHẬN  ĐÃ CẤP  ĐÃ PHÁT  CÒN LẠI  CẢNH BÁO
            16282     Xã Tân Phúc               xã          0       0        0        0
            16282-01    Thôn 1                  thôn        0       0    1.010   -1.010  vượt
                      Tổng (nhận từ bên ngoài)              0            1.010   -1.010

            Vượt: 1 đơn vị đã phát hoặc cấp nhiều tờ rơi hơn số nhận:
              Thôn 1 (16282-01): nhiều hơn số nhận 1.010 tờ (nhận 0, cấp 0, phát 1.010).
            Ghi nhận số tờ rơi các đơn vị này đã nhận (`outreach leaflets receive`, hoặc `outreach leaflets allocate --from MÃ_CẤP_TRÊN --to MÃ`), hoặc kiểm tra số tờ rơi ghi trong các buổi của họ.

            """)
    }

    @Test("a rejected file lists its problems in Vietnamese, with file, line and column")
    func diagnosticsInVietnamese() throws {
        let rejection = try #require(areaRejection("code,name,kind,parent_code,population\n1,A,county,,\n2,B,province,,1.5\n2,C,province,,\n"))
        #expect(rejection.isTranslated)
        #expect(rejection.message(in: Self.vi) == """
            areas.csv:2: cột "kind": "county" không phải là loại địa bàn. Ghi tỉnh, huyện, xã, phường, thị trấn, đặc khu, thôn, ấp, bản, tổ dân phố, hoặc từ tiếng Anh province, district, commune, ward, town, special_zone, hamlet.
            areas.csv:3: cột "population": "1.5" không phải là số nguyên. Ghi số lượng như 12 hoặc 1.010.
            areas.csv:4: cột "code": mã "2" đã dùng ở dòng 3. Mỗi mã chỉ dùng một lần; xóa hoặc đổi mã một trong hai dòng.
            areas.csv: chưa nhập gì (3 lỗi). Sửa các dòng trên rồi nhập lại tệp.
            """)
        #expect(rejection.message(in: Self.en) == rejection.message)
        #expect(rejection.message.hasSuffix("areas.csv: nothing was imported (3 problems). Fix the rows above and import the file again."))
    }

    @Test("a problem without labels keeps the whole message English")
    func untranslatedStaysEnglish() {
        let rejected = ImportRejected(file: "f.csv", problems: [Diagnostic(file: "f.csv", line: 2, "something English")])
        #expect(!rejected.isTranslated)
        #expect(rejected.message(in: Self.vi) == nil)
        #expect(rejected.message == "f.csv:2: something English\nf.csv: nothing was imported (1 problem). Fix the rows above and import the file again.")
    }

    @Test("numbers at the edges: signs, rounding to zero, long numbers, no decimals", arguments: [
        (Labels(.vi).percent(-0.04), "-4,0%"), (Labels(.vi).percent(-0.0004), "0,0%"), (Labels(.en).percent(0.99999), "100.0%"),
        (Labels(.vi).decimal(1_234_567.891, digits: 2), "1.234.567,89"), (Labels(.en).decimal(0.05, digits: 0), "0"),
        (Labels(.vi).count(Int.min), "-9.223.372.036.854.775.808"), (Labels(.en).count(Int.max), "9,223,372,036,854,775,807"),
        (Labels(.en).count(-999), "-999"), (Labels(.vi).count(100_000), "100.000"),
    ])
    func numberEdges(text: String, expected: String) {
        #expect(text == expected)
    }

    @Test("label tables are NFC, so that table columns line up")
    func tablesAreNFC() throws {
        for language in Language.allCases {
            for (key, text) in try Labels.bundledTable(language) {
                #expect(text == text.precomposedStringWithCanonicalMapping, "\(language.rawValue): \(key)")
            }
        }
    }
}
