import Foundation
import Testing

@Suite("The language of the commands, end to end")
struct LanguageCLITests {
    static let campaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path

    /// Nông Cống with the sample hamlets, teams and sessions of Resources/sample, in `w.sqlite`.
    private static let coverage = ["coverage", "--campaign", "de-an-06", "--indicator", "eid-l2", "--under", "16282",
                                   "--as-of", "2026-11-20", "--campaigns", campaigns, "--db", "w.sqlite"]

    @Test("Vietnamese by default: headers, statuses, kinds, 3.225, 2,8% and 20/11/2026")
    func vietnameseByDefault() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict(members: true, leaflets: true)
        let coverage = try cli.run(Self.coverage)
        #expect(coverage.status == 0, "\(coverage.stderr)")
        #expect(coverage.stdout == """
            Tiến độ Kích hoạt tài khoản định danh điện tử mức 2 năm 2026 (Đề án 06) (de-an-06) tại Xã Tân Phúc (16282) đến ngày 20/11/2026; đã qua 88,8% thời gian kế hoạch 01/01/2026–31/12/2026

            eid-l2: Người từ đủ 15 tuổi trở lên đã kích hoạt tài khoản định danh điện tử mức 2 — eid_l2 trên người từ 15 tuổi trở lên, chỉ tiêu 90% (các mốc: 30% đến 31/03/2026, 55% đến 30/06/2026, 75% đến 30/09/2026), tổng kết quả chia tổng mẫu số
            MÃ        TÊN              LOẠI  KẾT QUẢ  TỪ 15 TUỔI            TỶ LỆ  CHỈ TIÊU  ĐÁNH GIÁ         GHI CHÚ
            16282     Xã Tân Phúc      xã         72       3.225             2,2%       90%  chậm
            16282-01    Thôn 1         thôn       24         870             2,8%       90%  chậm
            16282-02    Thôn 2         thôn       17         705             2,4%       90%  chậm
            16282-03    Thôn Phúc Lâm  thôn       31       1.050             3,0%       90%  chậm
            16282-04    Thôn Đồng Lạc  thôn        -         600  chưa có số liệu       90%  chưa có số liệu
            16282     Tổng cộng                   72       3.225             2,2%       90%  chậm

            """)
        let sessions = try cli.run("sessions", "list", "--under", "16282-03", "--db", "w.sqlite")
        #expect(sessions.stdout == """
            MÃ        NGÀY        ĐỊA BÀN   TỔ            VNEID MỨC 2  TK NGÂN HÀNG  VÍ ĐIỆN TỬ  TỜ RƠI  DVC TRỰC TUYẾN  TRẠNG THÁI  GHI CHÚ
            3e922134  07/11/2026  16282-03  CNS-16282-01           31             8          12   1.010               9  hiệu lực

            """)
        let structure = try cli.run("structure", "--under", "16282", "--as-of", "2026-11-20", "--db", "w.sqlite")
        #expect(structure.stdout.hasPrefix("Cơ cấu các tổ tại Xã Tân Phúc ngày 20/11/2026\n1/1 xã có tổ Đề án 06 (3 thành viên)\n"))
        let imported = try cli.run("areas", "import", CLI.resource("sample/hamlets.csv"), "--db", "w.sqlite")
        #expect(imported.stdout == "\(CLI.resource("sample/hamlets.csv")): 6 đơn vị — thêm mới 0, cập nhật 0, giữ nguyên 6.\n")
        let stock = try cli.run("leaflets", "stock", "--under", "404", "--as-of", "2026-11-20", "--db", "w.sqlite")
        #expect(stock.stdout.contains("404       Huyện Nông Cống           huyện    6.000       0        0    6.000\n"))
    }

    @Test("--lang en and OUTREACH_LANG=en speak English; --lang wins over the environment")
    func english() throws {
        var cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict(members: true, leaflets: true)
        let vietnamese = try cli.run(Self.coverage)
        let english = try cli.run(Self.coverage + ["--lang", "en"])
        #expect(english.status == 0, "\(english.stderr)")
        #expect(english.stdout.hasPrefix("Coverage of Kích hoạt tài khoản định danh điện tử mức 2 năm 2026 (Đề án 06) (de-an-06) under Xã Tân Phúc (16282) on 20 Nov 2026, 88.8% of the period 1 Jan 2026 – 31 Dec 2026 elapsed\n"))
        #expect(english.stdout.contains("""
            CODE      NAME             KIND     VALUE  ADULTS  COVERAGE  TARGET  STATUS   FLAGS
            16282     Xã Tân Phúc      commune     72   3,225      2.2%     90%  behind
            16282-01    Thôn 1         hamlet      24     870      2.8%     90%  behind
            """))
        #expect(english.stdout.contains("16282-04    Thôn Đồng Lạc  hamlet       -     600   no data     90%  no data\n"))
        cli.environment["OUTREACH_LANG"] = "en_US.UTF-8"
        #expect(try cli.run(Self.coverage).stdout == english.stdout)
        #expect(try cli.run(Self.coverage + ["--lang", "vi"]).stdout == vietnamese.stdout)
        let members = try cli.run("members", "list", "--team", "P06-16282", "--db", "w.sqlite")
        #expect(members.stdout.hasPrefix("TEAM       NAME          PHONE       ROLE    JOINED       LEFT\nP06-16282  Lê Văn Hùng   0912***678  leader  15 Mar 2022\n"))
    }

    @Test("CSV and JSON are the same whatever the language", arguments: [
        ["areas", "list", "--under", "16282"], ["areas", "find", "tan phuc"], ["teams", "list"], ["members", "list"],
        ["structure", "--as-of", "2026-11-20"], ["sessions", "list", "--include-voided"], ["leaflets", "stock", "--as-of", "2026-11-20"],
        ["campaigns", "list", "--campaigns", LanguageCLITests.campaigns],
        ["coverage", "--campaign", "de-an-06", "--as-of", "2026-11-20", "--campaigns", LanguageCLITests.campaigns],
    ])
    func machineFormats(command: [String]) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict(members: true, leaflets: true)
        for format in ["csv", "json"] {
            let args = command + ["--format", format] + (command[0] == "campaigns" ? [] : ["--db", "w.sqlite"])
            let vietnamese = try cli.run(args)
            let english = try cli.run(args + ["--lang", "en"])
            #expect(vietnamese.status == 0, "\(vietnamese.stderr)")
            #expect(!vietnamese.stdout.isEmpty)
            #expect(vietnamese.stdout == english.stdout, "\(args)")
            // Machine forms: no Vietnamese dates, grouped numbers or decimal commas.
            #expect(!vietnamese.stdout.contains("20/11/2026") && !vietnamese.stdout.contains("1.010") && !vietnamese.stdout.contains("6.000"))
        }
        let sessions = try cli.run("sessions", "list", "--format", "csv", "--db", "w.sqlite")
        #expect(sessions.stdout.contains(",2026-11-07,16282-03,CNS-16282-01,Trần Văn Nam,31,8,12,1010,9,"))
    }

    @Test("a whole-country campaign names its country row in the language of the table, and the same in CSV and JSON")
    func wholeCountry() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict(members: true, leaflets: true)
        try FileManager.default.createDirectory(atPath: cli.path("c"), withIntermediateDirectories: true)
        try cli.write("c/all.yaml", """
            version: 1
            id: all
            name: Toàn quốc
            scope: all
            period: {start: 2026-01-01, end: 2026-12-31}
            indicators:
              - {id: eid, label: VNeID, numerator: [eid_l2], denominator: adults, target: 90%}

            """)
        let args = ["coverage", "--campaign", "all", "--as-of", "2026-11-20", "--campaigns", cli.path("c"), "--db", "w.sqlite"]
        #expect(try cli.run(args).stdout.contains("\nall       Cả nước "))
        #expect(try cli.run(args + ["--lang", "en"]).stdout.contains("\nall       Whole country "))
        for format in ["csv", "json"] {
            let vietnamese = try cli.run(args + ["--format", format])
            #expect(vietnamese.status == 0, "\(vietnamese.stderr)")
            #expect(vietnamese.stdout.contains("Cả nước"))
            #expect(try cli.run(args + ["--format", format, "--lang", "en"]).stdout == vietnamese.stdout)
        }
    }

    @Test("errors in Vietnamese by default, in English with --lang en; an English-only message keeps an English prefix")
    func errors() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict(members: true, leaflets: true)
        let unknown = try cli.run("areas", "list", "--under", "999", "--db", "w.sqlite")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "lỗi: không có địa bàn mã \"999\". Tra cứu bằng `outreach areas find TÊN`, hoặc nhập bằng `outreach areas import`.\n")
        let english = try cli.run("areas", "list", "--under", "999", "--db", "w.sqlite", "--lang", "en")
        #expect(english.stderr == "error: there is no area with code \"999\". Look it up with `outreach areas find NAME`, or import it with `outreach areas import`.\n")
        let bad = try cli.write("bad.csv", "code,name,kind,parent_code,adults\n1,A,county,,\n2,B,province,,1.5\n")
        let rejected = try cli.run("areas", "import", bad, "--db", "w.sqlite")
        #expect(rejected.status == 1)
        #expect(rejected.stderr == """
            lỗi: \(bad):2: cột "kind": "county" không phải là loại địa bàn. Ghi tỉnh, huyện, xã, phường, thị trấn, đặc khu, thôn, ấp, bản, tổ dân phố, hoặc từ tiếng Anh province, district, commune, ward, town, special_zone, hamlet.
            \(bad):3: cột "adults": "1.5" không phải là số nguyên. Ghi số lượng như 12 hoặc 1.010.
            \(bad): chưa nhập gì (2 lỗi). Sửa các dòng trên rồi nhập lại tệp.

            """)
        let date = try cli.run("structure", "--as-of", "31/02/2026", "--db", "w.sqlite")
        #expect(date.stderr == "lỗi: --as-of \"31/02/2026\": tháng 2 năm 2026 chỉ có 28 ngày. Ghi một ngày có thật, ví dụ 2026-11-20 hoặc 20/11/2026.\n")
        let noWorkspace = try cli.run("areas", "list", "--db", "nowhere.sqlite")
        #expect(noWorkspace.stderr.hasPrefix(TestEngine.isSQLite ? "lỗi: nowhere.sqlite: chưa có tệp dữ liệu ở đây."
                                             : "lỗi: \(cli.shown("nowhere.sqlite")): cơ sở dữ liệu này chưa có dữ liệu Outreach."))
        let short = try cli.run("leaflets", "allocate", "--from", "16282", "--to", "16282-01", "--quantity", "1500",
                                "--date", "2026-11-02", "--db", "w.sqlite")
        #expect(short.status == 1)
        #expect(short.stderr.hasPrefix("lỗi: Xã Tân Phúc (16282) còn 0 tờ rơi ngày 02/11/2026, không đủ để cấp 1.500 tờ."))
        let phone = try cli.run("members", "add", "--team", "P06-16282", "--name", "Ngô Thị Dung", "--phone", "0243 987 6543",
                                "--db", "w.sqlite")
        #expect(phone.status == 1)
        #expect(phone.stderr.hasPrefix("lỗi: --phone: số 0243***543 là số điện thoại cố định."))
        try FileManager.default.createDirectory(atPath: cli.path("c"), withIntermediateDirectories: true)
        try cli.write("c/bad.yaml", "version: 1\nid: bad\nname: Thử\nscope: \"404\"\nperiod: {start: 2026-01-01, end: 2026-12-31}\nindicatrs: []\n")
        let campaign = try cli.run("campaigns", "show", "bad", "--campaigns", "c")
        #expect(campaign.status == 1)
        #expect(campaign.stderr == """
            lỗi: c/bad.yaml:6: "indicatrs" không phải là khóa của kế hoạch; có phải ý bạn là "indicators"?
            c/bad.yaml: không dùng được kế hoạch này (1 lỗi). Sửa tệp; `outreach campaigns check c/bad.yaml` sẽ kiểm tra lại.

            """)
        let logged = try cli.run("log", "--area", "16282-02", "--date", "2099-01-02", "--eid-l2", "1010", "--db", "w.sqlite")
        #expect(logged.status == 0)
        #expect(logged.stderr.hasPrefix("cảnh báo: ngày 02/01/2099 sau ngày hôm nay ("))
        #expect(logged.stderr.hasSuffix("""
            cảnh báo: eid_l2 = 1.010 nhiều hơn số người từ 15 tuổi trở lên (705) của địa bàn "16282-02". Kiểm tra lại số liệu; buổi vẫn được ghi.

            """))
        let language = try cli.run("areas", "list", "--lang", "fr", "--db", "w.sqlite")
        #expect(language.status == 1)
        #expect(language.stderr.contains("--lang: \"fr\" is not a language Outreach speaks. Write vi (Tiếng Việt) or en (English)."))
    }
}
