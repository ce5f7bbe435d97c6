import Foundation
import Testing

/// The shipped campaigns folder.
private let shippedCampaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path

/// A small valid campaign with id `id`, over area `scope`, naming `extra` lines at the end.
private func campaignYAML(_ id: String, scope: String = "404", extra: String = "") -> String {
    """
    version: 1
    id: \(id)
    name: Chiến dịch \(id)
    scope: "\(scope)"
    period: {start: 2026-01-01, end: 2026-12-31}
    indicators:
      - id: eid-l2
        label: Kích hoạt định danh điện tử mức 2
        numerator: [eid_l2]
        denominator: adults
        target: 90%
    \(extra)
    """
}

/// A campaign file with three mistakes, one per indicator line.
private let threeMistakes = """
    version: 1
    id: bad
    name: Chiến dịch thử
    scope: "404"
    period: {start: 2026-01-01, end: 2026-12-31}
    indicators:
      - id: eid-l2
        label: Kích hoạt định danh mức 2
        numerater: [eid_l2]
        denominator: adults
        target: 150%
      - id: leaflets
        label: Tờ rơi
        numerator: [leaflets]
        denominator: none
        target: 6000
        milestones: {2027-03-31: 3000}

    """

@Suite("The campaigns commands, end to end")
struct CampaignsCLITests {
    /// A runner that finds campaigns as a user's shell would, whatever the developer's environment.
    private func cli() throws -> CLI {
        var cli = try CLI(lang: "en")
        cli.environment["OUTREACH_CAMPAIGNS"] = ""
        return cli
    }

    @Test("campaigns list shows the shipped campaigns, found from any folder")
    func listShipped() throws {
        let cli = try cli()
        defer { cli.cleanUp() }
        let listed = try cli.run("campaigns", "list")
        #expect(listed.status == 0)
        #expect(listed.stderr == "")
        #expect(listed.stdout == """
            ID                  NAME                                                       SCOPE  PERIOD                    INDICATORS
            de-an-06            Project 06 — level-2 VNeID activation, 2026                38     1 Jan 2026 – 31 Dec 2026           2
            example             Example — digital outreach in Tân Phúc commune             16282  1 Nov 2026 – 31 Dec 2026           4
            thanh-phu           Level-2 VNeID activation, 2024–2026 (Thạnh Phú)            86     1 Jan 2024 – 31 Dec 2026           1
            thanh-toan-dien-tu  E-payment accounts for people aged 15 and over, 2025–2030  38     1 Jan 2025 – 31 Dec 2030           1
            to-cong-nghe-so     Community digital teams — online public services, Q4 2026  38     1 Oct 2026 – 31 Dec 2026           4

            """)
        let json = try cli.run("campaigns", "list", "--format", "json")
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.map { $0["id"] as? String } == ["de-an-06", "example", "thanh-phu", "thanh-toan-dien-tu", "to-cong-nghe-so"])
        #expect(rows?.first?["indicators"] as? Int == 2)
        #expect(rows?.first?["start"] as? String == "2026-01-01")
    }

    @Test("the folder is --campaigns, else OUTREACH_CAMPAIGNS, else ./Campaigns, else the package's")
    func folderChoice() throws {
        var cli = try cli()
        defer { cli.cleanUp() }
        for (folder, id) in [("Campaigns", "local"), ("env", "from-env"), ("option", "from-option")] {
            try FileManager.default.createDirectory(atPath: cli.path(folder), withIntermediateDirectories: true)
            try cli.write("\(folder)/\(id).yaml", campaignYAML(id))
        }
        func ids(_ args: String...) throws -> [String] {
            let r = try cli.run(["campaigns", "list", "--format", "csv"] + args)
            #expect(r.status == 0)
            return r.stdout.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        }
        #expect(try ids() == ["local"])
        cli.environment["OUTREACH_CAMPAIGNS"] = cli.path("env")
        #expect(try ids() == ["from-env"])
        #expect(try ids("--campaigns", "option") == ["from-option"])
        cli.environment["OUTREACH_CAMPAIGNS"] = ""
        try FileManager.default.removeItem(atPath: cli.path("Campaigns"))
        #expect(try ids() == ["de-an-06", "example", "thanh-phu", "thanh-toan-dien-tu", "to-cong-nghe-so"])
        let missing = try cli.run("campaigns", "list", "--campaigns", "nowhere")
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: the campaigns folder nowhere does not exist. Pass --campaigns DIR, set OUTREACH_CAMPAIGNS, or run the command where a Campaigns folder is.\n")
    }

    @Test("campaigns list leaves out a broken file, names it, and exits 1")
    func listBroken() throws {
        let cli = try cli()
        defer { cli.cleanUp() }
        try FileManager.default.createDirectory(atPath: cli.path("c"), withIntermediateDirectories: true)
        try cli.write("c/good.yaml", campaignYAML("good"))
        try cli.write("c/bad.yaml", threeMistakes)
        let listed = try cli.run("campaigns", "list", "--campaigns", "c")
        #expect(listed.status == 1)
        #expect(listed.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) } == ["ID", "good"])
        #expect(listed.stderr == "error: c/bad.yaml has 3 problems and is left out. See them with `outreach campaigns check c/bad.yaml`.\n")
    }

    @Test("campaigns show prints every part of a campaign")
    func show() throws {
        let cli = try cli()
        defer { cli.cleanUp() }
        let shown = try cli.run("campaigns", "show", "de-an-06")
        #expect(shown.status == 0)
        #expect(shown.stdout == """
            de-an-06: Kích hoạt tài khoản định danh điện tử mức 2 năm 2026 (Đề án 06)
              English:          Project 06 — level-2 VNeID activation, 2026
              File:             \(shippedCampaigns)/de-an-06.yaml
              Scope:            38
              Period:           1 Jan 2026 – 31 Dec 2026 (365 days)
              Extra metrics:    none
              Per-area targets: none
              Baselines:        none
              Closing:          by month; locked only when closed; on time within 5 days after the period

            Indicator eid-l2: Người từ đủ 15 tuổi trở lên đã kích hoạt tài khoản định danh điện tử mức 2
              English:          People aged 15+ with an activated level-2 VNeID account
              Numerator:        eid_l2
              Denominator:      adults
              Target:           90% by 31 Dec 2026
              Milestones:       31 Mar 2026 30%, 30 Jun 2026 55%, 30 Sep 2026 75%
              Roll-up:          ratio (sum of values over sum of denominators)

            Indicator households: Hộ gia đình được tuyên truyền, hướng dẫn về Đề án 06
              English:          Households visited and told about Project 06
              Numerator:        households_visited
              Denominator:      households
              Target:           100% by 31 Dec 2026
              Roll-up:          ratio (sum of values over sum of denominators)

            """)
        let example = try cli.run("campaigns", "show", "example", "--campaigns", shippedCampaigns)
        #expect(example.status == 0)
        #expect(example.stdout.contains("  Per-area targets: 8 (4 areas)\n  Baselines:        6 (4 areas)\n"))
        #expect(example.stdout.contains("  Numerator:        bank_account + ewallet\n"))
        #expect(example.stdout.contains("  Denominator:      none (a count)\n  Target:           200 by 31 Dec 2026\n  Milestones:       30 Nov 2026 80\n"))
        #expect(example.stdout.contains("  Roll-up:          all (met only when every unit meets its target)\n"))
    }

    @Test("baselines say where they come from: campaigns show, the coverage JSON and the report's notes")
    func baselineProvenance() throws {
        let cli = try cli()
        defer { cli.cleanUp() }
        let show = try cli.run("campaigns", "show", "example", "--campaigns", shippedCampaigns)
        #expect(show.stdout.contains("  Baseline sources: Công an xã Tân Phúc (30 Oct 2026): 4 rows; Agribank Nông Cống: 2 rows\n"),
                "\(show.stdout)")
        #expect(show.stdout.contains("  Baselines:        Công an xã Tân Phúc (30 Oct 2026): 4 areas\n"), "eid-l2: \(show.stdout)")
        #expect(show.stdout.contains("  Baselines:        Agribank Nông Cống: 2 areas\n"), "e-payment: \(show.stdout)")

        try cli.importSampleDistrict()
        let json = try cli.run("coverage", "--campaign", "example", "--as-of", "2026-11-30", "--format", "json",
                               "--campaigns", shippedCampaigns, "--db", "w.sqlite")
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let sources = try #require(document["baselineSources"] as? [[String: Any]], "\(json.stdout.prefix(600))")
        #expect(sources.map { "\($0["indicator"]!) \($0["source"]!) \($0["asOf"]!) \($0["areas"]!)" }
                == ["eid-l2 Công an xã Tân Phúc 2026-10-30 4", "e-payment Agribank Nông Cống <null> 2"], "\(sources)")
        let one = try cli.run("coverage", "--campaign", "example", "--under", "16282-02", "--indicator", "eid-l2", "--as-of", "2026-11-30",
                              "--format", "json", "--campaigns", shippedCampaigns, "--db", "w.sqlite")
        #expect(one.stdout.contains("\"areas\" : 1,") && !one.stdout.contains("Agribank"), "only the unit's baselines: \(one.stdout.prefix(600))")

        let report = try cli.run("report", "--campaign", "example", "--as-of", "2026-11-30", "--out", "r.md",
                                 "--campaigns", shippedCampaigns, "--db", "w.sqlite")
        #expect(report.status == 0, "\(report.stderr)")
        let markdown = try String(contentsOfFile: cli.path("r.md"), encoding: .utf8)
        #expect(markdown.contains("Baselines counted in: indicator eid-l2 (Công an xã Tân Phúc (30 Oct 2026): 4 areas); indicator e-payment (Agribank Nông Cống: 2 areas)."),
                "\(markdown.suffix(800))")
    }

    @Test("campaigns show of an unknown id lists the ids there are and exits 1")
    func showUnknown() throws {
        let cli = try cli()
        defer { cli.cleanUp() }
        let r = try cli.run("campaigns", "show", "de-an-6", "--campaigns", shippedCampaigns)
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == "error: there is no campaign \"de-an-6\" in \(shippedCampaigns); did you mean \"de-an-06\"? Campaigns there: de-an-06, example, thanh-phu, thanh-toan-dien-tu, to-cong-nghe-so. See them with `outreach campaigns list`.\n")
    }

    @Test("campaigns show of a broken campaign prints its problems and exits 1")
    func showBroken() throws {
        let cli = try cli()
        defer { cli.cleanUp() }
        try FileManager.default.createDirectory(atPath: cli.path("c"), withIntermediateDirectories: true)
        try cli.write("c/bad.yaml", threeMistakes)
        let r = try cli.run("campaigns", "show", "bad", "--campaigns", "c")
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: c/bad.yaml:9: \"numerater\" is not a key of an indicator; did you mean \"numerator\"?\n"))
        #expect(r.stderr.hasSuffix("c/bad.yaml: the campaign cannot be used (3 problems). Fix the file; `outreach campaigns check c/bad.yaml` checks it again.\n"))
    }

    @Test("campaigns check passes the shipped campaigns")
    func checkShipped() throws {
        let cli = try cli()
        defer { cli.cleanUp() }
        let files = ["de-an-06", "thanh-toan-dien-tu", "to-cong-nghe-so", "example"].map { "\(shippedCampaigns)/\($0).yaml" }
        let r = try cli.run(["campaigns", "check"] + files)
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout == """
            \(files[0]): OK — 2 indicators
            \(files[1]): OK — 1 indicator
            \(files[2]): OK — 4 indicators
            \(files[3]): OK — 4 indicators

            """)
    }

    @Test("campaigns check lists three mistakes as three messages with lines, and exits 1")
    func checkThreeMistakes() throws {
        let cli = try cli()
        defer { cli.cleanUp() }
        try cli.write("bad.yaml", threeMistakes)
        try cli.write("good.yaml", campaignYAML("good"))
        let r = try cli.run("campaigns", "check", "bad.yaml", "good.yaml", "missing.yaml")
        #expect(r.status == 1)
        #expect(r.stdout == "good.yaml: OK — 1 indicator\n")
        #expect(r.stderr == """
            bad.yaml:9: "numerater" is not a key of an indicator; did you mean "numerator"?
            bad.yaml:11: indicator "eid-l2": target "150%" is over 100%. A share is from 0% to 100%.
            bad.yaml:17: indicator "leaflets": milestone 31 Mar 2027 is outside the period 1 Jan 2026 – 31 Dec 2026. Move it into the period, or fix the date.
            bad.yaml: 3 problems.
            error: missing.yaml: cannot be read (no such file). Check the path and that you may read it.

            """)
        let alone = try cli.run("campaigns", "check", "good.yaml")
        #expect(alone.status == 0)
    }

    @Test("campaigns check speaks Vietnamese by default: three mistakes, three Vietnamese messages with their lines; --lang en gives the English ones")
    func checkThreeMistakesInBothLanguages() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.write("bad.yaml", threeMistakes)
        let vietnamese = try cli.run("campaigns", "check", "bad.yaml", "missing.yaml")
        #expect(vietnamese.status == 1)
        #expect(vietnamese.stdout == "")
        #expect(vietnamese.stderr == """
            bad.yaml:9: "numerater" không phải là khóa của chỉ số; có phải ý bạn là "numerator"?
            bad.yaml:11: chỉ số "eid-l2": chỉ tiêu "150%" vượt quá 100%. Tỷ lệ chỉ từ 0% đến 100%.
            bad.yaml:17: chỉ số "leaflets": mốc 31/03/2027 nằm ngoài kỳ kế hoạch 01/01/2026 – 31/12/2026. Đưa mốc vào trong kỳ, hoặc sửa lại ngày.
            bad.yaml: 3 lỗi.
            lỗi: missing.yaml: không đọc được (không có tệp này). Kiểm tra đường dẫn và quyền đọc tệp.

            """)
        let english = try cli.run("campaigns", "check", "bad.yaml", "--lang", "en")
        #expect(english.status == 1)
        #expect(english.stderr == """
            bad.yaml:9: "numerater" is not a key of an indicator; did you mean "numerator"?
            bad.yaml:11: indicator "eid-l2": target "150%" is over 100%. A share is from 0% to 100%.
            bad.yaml:17: indicator "leaflets": milestone 31 Mar 2027 is outside the period 1 Jan 2026 – 31 Dec 2026. Move it into the period, or fix the date.
            bad.yaml: 3 problems.

            """)
    }

    @Test("campaigns show and list name a broken campaign in Vietnamese by default")
    func brokenInVietnamese() throws {
        var cli = try CLI()
        defer { cli.cleanUp() }
        cli.environment["OUTREACH_CAMPAIGNS"] = ""
        try FileManager.default.createDirectory(atPath: cli.path("c"), withIntermediateDirectories: true)
        try cli.write("c/bad.yaml", threeMistakes)
        try cli.write("c/t.yaml", campaignYAML("t", extra: "targets: t.csv\n"))
        try cli.write("c/t.csv", "area,indicator,target\n404,eid,80%\n")
        let shown = try cli.run("campaigns", "show", "bad", "--campaigns", "c")
        #expect(shown.status == 1)
        #expect(shown.stderr == """
            lỗi: c/bad.yaml:9: "numerater" không phải là khóa của chỉ số; có phải ý bạn là "numerator"?
            c/bad.yaml:11: chỉ số "eid-l2": chỉ tiêu "150%" vượt quá 100%. Tỷ lệ chỉ từ 0% đến 100%.
            c/bad.yaml:17: chỉ số "leaflets": mốc 31/03/2027 nằm ngoài kỳ kế hoạch 01/01/2026 – 31/12/2026. Đưa mốc vào trong kỳ, hoặc sửa lại ngày.
            c/bad.yaml: không dùng được kế hoạch này (3 lỗi). Sửa tệp; `outreach campaigns check c/bad.yaml` sẽ kiểm tra lại.

            """)
        let table = try cli.run("coverage", "--campaign", "t", "--campaigns", "c")
        #expect(table.status == 1)
        #expect(table.stderr.hasPrefix("""
            lỗi: c/t.csv:2: cột "indicator": "eid" không phải là chỉ số của kế hoạch. Các chỉ số của kế hoạch: eid-l2.
            c/t.yaml: không dùng được kế hoạch này (1 lỗi).
            """))
        let listed = try cli.run("campaigns", "list", "--campaigns", "c")
        #expect(listed.status == 1)
        #expect(listed.stderr == """
            lỗi: c/bad.yaml có 3 lỗi nên bị bỏ qua. Xem các lỗi bằng `outreach campaigns check c/bad.yaml`.
            lỗi: c/t.yaml có 1 lỗi nên bị bỏ qua. Xem lỗi bằng `outreach campaigns check c/t.yaml`.

            """)
    }

    @Test("campaigns check reads the tables next to the file and names their problems")
    func checkTables() throws {
        let cli = try cli()
        defer { cli.cleanUp() }
        try FileManager.default.createDirectory(atPath: cli.path("c"), withIntermediateDirectories: true)
        try cli.write("c/t.yaml", campaignYAML("t", extra: "targets: t-targets.csv\n"))
        try cli.write("c/t-targets.csv", "area,indicator,target\n404,eid-l2,95%\n404,eid,80%\n")
        let r = try cli.run("campaigns", "check", "c/t.yaml")
        #expect(r.status == 1)
        #expect(r.stderr == """
            c/t-targets.csv:3: column "indicator": "eid" is not an indicator of the campaign. Its indicators: eid-l2.
            c/t.yaml: 1 problem.

            """)
    }

    @Test("with a workspace, campaigns check warns about area codes it lacks or that lie outside the scope")
    func checkAreas() throws {
        let cli = try cli()
        defer { cli.cleanUp() }
        #expect(try cli.run("init").status == 0)
        #expect(try cli.run("areas", "import", CLI.resource("areas/nong_cong.csv")).status == 0)
        try cli.write("t.yaml", campaignYAML("t", scope: "16282", extra: "targets: t.csv\n"))
        try cli.write("t.csv", "area,indicator,target\n16282-09,eid-l2,95%\n16285,eid-l2,80%\n")
        let r = try cli.run("campaigns", "check", "t.yaml")
        #expect(r.status == 0)
        #expect(r.stdout == "t.yaml: OK — 1 indicator\n")
        #expect(r.stderr == """
            warning: t.yaml: the workspace outreach.sqlite has no area "16282-09". Import the areas with `outreach areas import`, or fix the codes.
            warning: t.yaml: "16285" is outside the scope "16282", so its targets and baselines never count.

            """)
    }
}
