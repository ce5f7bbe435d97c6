import Foundation
import Testing

@Suite("The targets commands, end to end: set, list, clear; coverage follows; audited; errors say what to do")
struct TargetsCLITests {
    static let campaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path

    private func run(_ cli: CLI, _ args: String...) throws -> CLI.Result {
        try cli.run(args + ["--db", "w.sqlite", "--campaigns", Self.campaigns])
    }

    /// The coverage JSON row of hamlet `code` for `indicator` of the example campaign.
    private func row(_ cli: CLI, _ code: String, _ indicator: String) throws -> [String: Any]? {
        let r = try run(cli, "coverage", "--campaign", "example", "--as-of", "2026-11-20", "--format", "json")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (json?["rows"] as? [[String: Any]])?.first { $0["code"] as? String == code && $0["indicator"] as? String == indicator }
    }

    @Test("set overrides the campaign file's target; coverage says where each target comes from; clear goes back; audit names who")
    func setListClear() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        #expect(try row(cli, "16282-01", "eid-l2")?["targetOrigin"] as? String == "campaign_file")
        #expect(try row(cli, "16282", "eid-l2")?["targetOrigin"] as? String == "indicator")
        let set = try run(cli, "targets", "set", "--campaign", "example", "16282-01", "eid-l2", "95%", "--by", "chi")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout == "Đã đặt chỉ tiêu eid-l2 của Thôn 1 (16282-01): chưa đặt → 95%.\n")
        #expect(try run(cli, "targets", "set", "--campaign", "example", "16282-02", "dvc-submitted", "1.010", "--by", "chi").status == 0)
        let again = try run(cli, "targets", "set", "--campaign", "example", "16282-01", "eid-l2", "0,95")
        #expect(again.stdout == "Chỉ tiêu eid-l2 của Thôn 1 (16282-01) đã là 95%: không có gì thay đổi.\n")
        let eid = try row(cli, "16282-01", "eid-l2")
        #expect(eid?["target"] as? Double == 0.95 && eid?["targetOrigin"] as? String == "workspace")
        let dvc = try row(cli, "16282-02", "dvc-submitted")
        #expect(dvc?["target"] as? Int == 1010 && dvc?["targetOrigin"] as? String == "workspace")

        let csv = try run(cli, "targets", "list", "--campaign", "example", "--format", "csv")
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "campaign,code,name,indicator,target,origin,overrides,set_by,at")
        #expect(lines.count == 9)  // the file's eight, two of them overridden
        #expect(lines.contains { $0.hasPrefix("example,16282-01,Thôn 1,eid-l2,0.9500,workspace,0.9000,chi,20") })
        #expect(lines.contains { $0.hasPrefix("example,16282-02,Thôn 2,dvc-submitted,1010,workspace,50,chi,20") })
        #expect(lines.contains("example,16282-03,Thôn Phúc Lâm,eid-l2,0.8000,campaign_file,,,"))
        let table = try run(cli, "targets", "list", "--campaign", "example", "--under", "16282-01")
        #expect(table.stdout.contains("xã đặt trong dữ liệu (thay cho 90%)"), "\(table.stdout)")
        #expect(!table.stdout.contains("16282-02"))
        let json = try run(cli, "targets", "list", "--campaign", "example", "--under", "16282-02", "--format", "json", "--lang", "en")
        #expect(json.stdout.contains("\"origin\" : \"workspace\"") && json.stdout.contains("\"target\" : 1010"))

        let noReason = try run(cli, "targets", "clear", "--campaign", "example", "16282-01", "eid-l2")
        #expect(noReason.status != 0 && noReason.stderr.contains("--reason"))
        let cleared = try run(cli, "targets", "clear", "--campaign", "example", "16282-01", "eid-l2", "--reason", "giao nhầm", "--by", "hung")
        #expect(cleared.status == 0, "\(cleared.stderr)")
        #expect(cleared.stdout == "Đã bỏ chỉ tiêu eid-l2 đặt riêng cho Thôn 1 (16282-01) (trước đây 95%). Chỉ tiêu đang áp dụng: 90% (bảng chỉ tiêu của kế hoạch).\n")
        #expect(try row(cli, "16282-01", "eid-l2")?["targetOrigin"] as? String == "campaign_file")

        let audit = try cli.run("audit", "--format", "csv", "--db", "w.sqlite")
        let rows = audit.stdout.split(separator: "\n").filter { $0.contains(",area_target,") }
        #expect(rows.count == 3, "\(audit.stdout)")
        #expect(rows.last?.contains(",hung,target.clear,area_target,example 16282-01 eid-l2,16282-01,") == true)
        #expect(rows.last?.contains("giao nhầm") == true)
    }

    @Test("errors name the value, the indicator or the area and say what to do; nothing is written")
    func errors() throws {
        var cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let cases: [([String], String)] = [
            (["16282-01", "eid-l2", "150%"], "chỉ tiêu của chỉ số \"eid-l2\": "),
            (["16282-01", "dvc-submitted", "50%"], "chỉ tiêu của chỉ số \"dvc-submitted\": "),
            (["16282-01", "eid", "50%"], "kế hoạch \"example\" không có chỉ số \"eid\". Dùng một trong: eid-l2, e-payment"),
            (["16285-01", "eid-l2", "50%"], "nằm ngoài phạm vi của kế hoạch \"example\" (16282)"),
            (["99999", "eid-l2", "50%"], "không có địa bàn nào mã \"99999\""),
        ]
        for (args, expected) in cases {
            let r = try cli.run(["targets", "set", "--campaign", "example"] + args + ["--db", "w.sqlite", "--campaigns", Self.campaigns])
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("SQL") && !r.stderr.contains("Fatal"))
        }
        let nothing = try run(cli, "targets", "clear", "--campaign", "example", "16282-01", "eid-l2", "--reason", "x")
        #expect(nothing.status == 1 && nothing.stderr.contains("không có gì để bỏ"), "\(nothing.stderr)")
        #expect(try run(cli, "targets", "list", "--campaign", "example", "--format", "csv").stdout.split(separator: "\n").count == 9)
        cli.environment["OUTREACH_LANG"] = "en"
        let english = try run(cli, "targets", "set", "--campaign", "example", "16282-01", "eid-l2", "abc")
        #expect(english.stderr.contains("target of indicator \"eid-l2\": "), "\(english.stderr)")
        #expect(try run(cli, "targets", "list", "--campaign", "example").stdout.contains("the campaign's target table"))
    }
}
