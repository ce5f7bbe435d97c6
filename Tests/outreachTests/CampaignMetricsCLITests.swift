import Foundation
import GRDB
import Testing

/// A workspace with a commune of two hamlets, and a campaigns folder with a campaign that
/// declares `dvc_submitted` and a campaign file that does not parse.
private func workspace(_ cli: CLI) throws {
    try cli.ok("init", "--db", "w.sqlite")
    let areas = try cli.write("areas.csv", """
        code,name,kind,parent_code
        16282,Xã Tân Phúc,commune,
        16282-01,Thôn 1,thôn,16282
        16282-02,Thôn 2,thôn,16282
        """)
    try cli.ok("areas", "import", areas, "--db", "w.sqlite")
    try FileManager.default.createDirectory(at: cli.dir.appendingPathComponent("camps"), withIntermediateDirectories: true)
    try cli.write("camps/ho-so.yaml", """
        version: 1
        id: ho-so
        name: Hồ sơ trực tuyến
        scope: "16282"
        period: {start: 2026-11-01, end: 2026-12-31}
        metrics: [dvc_submitted]
        indicators:
          - id: dvc
            label: Hồ sơ nộp trực tuyến
            numerator: [dvc_submitted]
            denominator: none
            target: 100
        """)
    try cli.write("camps/hong.yaml", "version: 1\nid: hong\nname: [\n")
}

@Suite("Campaign metrics on the command line: import, log, list, coverage, void, check")
struct CampaignMetricsCLITests {
    @Test("a declared metric is imported, logged, listed, counted in coverage and taken out by a void; check passes throughout")
    func endToEnd() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try workspace(cli)
        let file = try cli.write("s.csv", """
            id;date;area;eid_l2;dvc_submitted
            3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a71;03/11/2026;16282-01;5;1.010
            3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a72;04/11/2026;16282-02;3;
            """)
        // A campaign file that does not parse does not stop sessions that do not need it.
        #expect(try cli.ok("sessions", "import", file, "--campaigns", "camps", "--db", "w.sqlite")
                == "\(file): 2 rows — 2 imported, 0 already present, 0 warnings.\n")
        let logged = try cli.ok("log", "--area", "16282-02", "--date", "2026-11-05", "--metric", "dvc_submitted=12",
                                "--campaigns", "camps", "--db", "w.sqlite").trimmingCharacters(in: .newlines)
        let csv = try cli.ok("sessions", "list", "--format", "csv", "--db", "w.sqlite").split(separator: "\n")
        #expect(csv[0] == "id,date,area,team,logged_by,eid_l2,bank_account,ewallet,leaflets,dvc_guided,households_visited,people_reached,smartphone_setup,dvc_submitted,notes,voided,void_reason,replaced_by")
        #expect(csv[1] == "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a71,2026-11-03,16282-01,,,5,,,,,,,,1010,,,,")
        #expect(csv[2] == "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a72,2026-11-04,16282-02,,,3,,,,,,,,,,,,")
        #expect(csv[3] == "\(logged),2026-11-05,16282-02,,,,,,,,,,,12,,,,")
        let json = try cli.ok("sessions", "list", "--format", "json", "--db", "w.sqlite")
        #expect(json.contains("\"dvc_submitted\" : 12"))
        func values() throws -> [String] {
            try cli.ok("coverage", "--campaign", "ho-so", "--campaigns", "camps", "--as-of", "2026-11-30", "--format", "csv",
                       "--db", "w.sqlite").split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2...7].joined(separator: ",") }
        }
        let header = try cli.ok("coverage", "--campaign", "ho-so", "--campaigns", "camps", "--as-of", "2026-11-30", "--format", "csv",
                                "--db", "w.sqlite").split(separator: "\n")[0]
        #expect(header.hasPrefix("campaign,as_of,indicator,code,name,kind,depth,value,"), "\(header)")
        #expect(try values() == ["dvc,16282,Xã Tân Phúc,commune,0,1022", "dvc,16282-01,Thôn 1,hamlet,1,1010",
                                 "dvc,16282-02,Thôn 2,hamlet,1,12", "dvc,16282,Xã Tân Phúc,total,0,1022"])
        #expect(try cli.ok("check", "--db", "w.sqlite").contains("ok       campaign metric totals: 2 area_month_metric rows equal"))
        try cli.ok("sessions", "void", "3f2b9c1e-8d4a-4e2f-9b1a-2c3d4e5f6a71", "--reason", "counted twice", "--db", "w.sqlite")
        #expect(try values() == ["dvc,16282,Xã Tân Phúc,commune,0,12", "dvc,16282-01,Thôn 1,hamlet,1,",
                                 "dvc,16282-02,Thôn 2,hamlet,1,12", "dvc,16282,Xã Tân Phúc,total,0,12"])
        #expect(try cli.run("check", "--db", "w.sqlite").status == 0)
        // A spoiled total is found and repaired.
        try cli.execute("w.sqlite", "UPDATE area_month_metric SET value = 99")
        let spoiled = try cli.run("check", "--db", "w.sqlite")
        #expect(spoiled.status == 1)
        #expect(spoiled.stdout.contains("PROBLEM  campaign metric totals: area_month_metric does not match the live sessions in 1 row (area 16282-02, 2026-11: stored (dvc_submitted 99), the sessions give (dvc_submitted 12))"))
        try cli.ok("check", "--repair", "--db", "w.sqlite")
        #expect(try values().last == "dvc,16282,Xã Tân Phúc,total,0,12")
    }

    @Test("an unknown column names the accepted columns with the declared metrics, and the campaign files that could not be read")
    func unknownColumn() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try workspace(cli)
        let file = try cli.write("s.csv", "date,area,dvc_submited\n2026-11-03,16282-01,4\n")
        let r = try cli.run("sessions", "import", file, "--campaigns", "camps", "--db", "w.sqlite")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == "lỗi: \(file):1: cột \"dvc_submited\" không hợp lệ (cột 3). Các cột được chấp nhận: date, area, id, team, logged_by, eid_l2, bank_account, ewallet, leaflets, dvc_guided, households_visited, people_reached, smartphone_setup, dvc_submitted, notes. Số liệu riêng của một kế hoạch chỉ được chấp nhận khi một tệp kế hoạch trong thư mục kế hoạch (--campaigns) khai báo nó ở mục `metrics:`.")
        #expect(lines[2] == "lưu ý: không đọc được các tệp kế hoạch sau nên chưa biết các số liệu chúng khai báo: camps/hong.yaml. Lệnh `outreach campaigns check TỆP` liệt kê lỗi của chúng.")
        // A bad count in a declared column is a bad count like any other.
        let bad = try cli.run("sessions", "import", try cli.write("b.csv", "date,area,dvc_submitted\n2026-11-03,16282-01,\"1,5\"\n"),
                              "--campaigns", "camps", "--db", "w.sqlite", "--lang", "en")
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("error: \(cli.path("b.csv")):2: column \"dvc_submitted\": \"1,5\" is not a whole number."))
        #expect(!bad.stderr.contains("note:"))
    }

    @Test("log refuses a metric no campaign declares, a built-in code and a malformed count")
    func logRefuses() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try workspace(cli)
        let unknown = try cli.run("log", "--area", "16282-01", "--metric", "dvc_submited=3", "--campaigns", "camps", "--db", "w.sqlite")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("error: there is no metric \"dvc_submited\" among the campaign metrics declared (dvc_submitted)."))
        #expect(unknown.stderr.contains("note: these campaign files could not be read, so the metrics they declare are not known: camps/hong.yaml."))
        let builtIn = try cli.run("log", "--area", "16282-01", "--metric", "eid_l2=3", "--campaigns", "camps", "--db", "w.sqlite")
        #expect(builtIn.status != 0)
        #expect(builtIn.stderr == "error: --metric \"eid_l2\": eid_l2 is a built-in metric: give it as --eid-l2 N.\n")
        for bad in ["dvc_submitted", "dvc_submitted=-2", "dvc_submitted=1,5", "=4"] {
            let r = try cli.run("log", "--area", "16282-01", "--metric", bad, "--campaigns", "camps", "--db", "w.sqlite")
            #expect(r.status != 0, "\(bad)")
            #expect(r.status == 64, "\(bad)")
            #expect(r.stderr == "error: --metric \"\(bad)\": write CODE=N with a count of 0 or more, such as --metric dvc_submitted=12.\n",
                    "\(bad): \(r.stderr)")
        }
        let twice = try cli.run("log", "--area", "16282-01", "--metric", "dvc_submitted=1", "--metric", "dvc_submitted=2",
                                "--campaigns", "camps", "--db", "w.sqlite")
        #expect(twice.status != 0)
        #expect(twice.stderr == "error: --metric \"dvc_submitted\": this metric is named twice. Give each metric once.\n", "\(twice.stderr)")
        #expect(try sessionCount(cli) == 0)
    }

    @Test("an id on two rows of a file: one Vietnamese line naming both lines, exit 1, nothing imported")
    func repeatedID() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try workspace(cli)
        let id = "11111111-1111-4111-8111-111111111111"
        let file = try cli.write("s.csv", """
            id;date;area;eid_l2;dvc_submitted
            \(id);03/11/2026;16282-01;12;3
            22222222-2222-4222-8222-222222222222;04/11/2026;16282-02;7;
            \(id);05/11/2026;16282-02;1.010;2
            """)
        let r = try cli.run("sessions", "import", file, "--campaigns", "camps", "--db", "w.sqlite")
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("lỗi: \(file):4: cột \"id\": mã buổi \(id) xuất hiện ở dòng 2 và dòng 4; chỉ giữ một dòng"), "\(r.stderr)")
        #expect(try sessionCount(cli) == 0)
    }
}

/// The number of sessions in the workspace `w.sqlite` of a CLI test folder.
private func sessionCount(_ cli: CLI) throws -> Int {
    try cli.integer("w.sqlite", "SELECT count(*) FROM session")
}
