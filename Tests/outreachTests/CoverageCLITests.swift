import Foundation
import Testing

@Suite("The coverage command, end to end")
struct CoverageCLITests {
    /// The rows of a `--format json` report.
    private func rows(_ result: CLI.Result) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["rows"] as? [[String: Any]] ?? []
    }

    @Test("e-payment coverage: each commune's value and denominator are the sums of its hamlets'")
    func communeEqualsSumOfHamlets() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let campaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path
        let result = try cli.run("coverage", "--campaign", "thanh-toan-dien-tu", "--as-of", "2026-11-22",
                                 "--format", "json", "--campaigns", campaigns, "--db", "w.sqlite")
        #expect(result.status == 0, "\(result.stderr)")
        let all = try rows(result)
        let byCode = Dictionary(all.filter { $0["kind"] as? String != "total" }.map { ($0["code"] as! String, $0) },
                                uniquingKeysWith: { a, _ in a })
        for commune in ["16282", "16285"] {
            let hamlets = byCode.values.filter { ($0["code"] as! String).hasPrefix(commune + "-") }
            #expect(!hamlets.isEmpty)
            let value = hamlets.compactMap { $0["value"] as? Int }.reduce(0, +)
            let denominator = hamlets.compactMap { $0["denominator"] as? Int }.reduce(0, +)
            #expect(byCode[commune]?["value"] as? Int == value)
            #expect(byCode[commune]?["denominator"] as? Int == denominator)
            let coverage = try #require(byCode[commune]?["coverage"] as? Double)
            #expect(abs(coverage - Double(value) / Double(denominator)) < 1e-12)
        }
        // Under one commune only its part of the tree is read: the same figures.
        let under = try rows(try cli.run("coverage", "--campaign", "thanh-toan-dien-tu", "--as-of", "2026-11-22", "--under", "16282",
                                         "--format", "json", "--campaigns", campaigns, "--db", "w.sqlite"))
        for row in under where row["kind"] as? String != "total" {
            let code = row["code"] as! String
            #expect(row["value"] as? Int == byCode[code]?["value"] as? Int, "\(code)")
            #expect(row["denominator"] as? Int == byCode[code]?["denominator"] as? Int, "\(code)")
            #expect(row["status"] as? String == byCode[code]?["status"] as? String, "\(code)")
        }
        #expect(under.count == 6)
        // 16282-01: bank 6 + e-wallet 9 of 870 adults.
        #expect(byCode["16282-01"]?["value"] as? Int == 15)
        #expect(byCode["16282-04"]?["status"] as? String == "no data")
        #expect(byCode["16279"]?["coverage"] is NSNull)
    }

    @Test("a voided session leaves the coverage; sessions after --as-of do not count yet")
    func voidsAndAsOf() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let campaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path
        func eid(_ asOf: String) throws -> Int? {
            let r = try cli.run("coverage", "--campaign", "de-an-06", "--indicator", "eid-l2", "--under", "16282",
                                "--as-of", asOf, "--format", "json", "--campaigns", campaigns, "--db", "w.sqlite")
            return try rows(r).first { $0["code"] as? String == "16282" }?["value"] as? Int
        }
        #expect(try eid("2026-11-22") == 72)
        #expect(try eid("2026-11-04") == 24)
        let id = try cli.run("sessions", "list", "--under", "16282-03", "--format", "csv", "--db", "w.sqlite")
            .stdout.split(separator: "\n")[1].split(separator: ",")[0]
        #expect(try cli.run("sessions", "void", String(id), "--reason", "duplicate", "--db", "w.sqlite").status == 0)
        #expect(try eid("2026-11-22") == 41)
        let unknown = try cli.run("coverage", "--campaign", "nope", "--campaigns", campaigns, "--db", "w.sqlite")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("de-an-06"))
    }

    @Test("--level, --behind, --sort and --format md reach the report; a level that is neither a kind nor a depth is refused")
    func selectionOptions() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let campaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path
        let md = try cli.run("coverage", "--campaign", "de-an-06", "--indicator", "eid-l2", "--under", "16282", "--as-of", "2026-11-20",
                             "--level", "hamlet", "--behind", "--sort", "coverage", "--format", "md",
                             "--campaigns", campaigns, "--db", "w.sqlite")
        #expect(md.status == 0, "\(md.stderr)")
        let rows = md.stdout.split(separator: "\n").filter { $0.hasPrefix("| 16282") }
        // The hamlets behind, lowest coverage first, then 16282-04 that never logged (no coverage
        // sorts last), then the total of the 4 hamlets.
        #expect(rows == [
            "| 16282-02 | Thôn 2 — Tân Phúc | hamlet | 17 | 705 | 2.4% | 90% | behind |  |",
            "| 16282-01 | Thôn 1 — Tân Phúc | hamlet | 24 | 870 | 2.8% | 90% | behind |  |",
            "| 16282-03 | Thôn Phúc Lâm — Tân Phúc | hamlet | 31 | 1,050 | 3.0% | 90% | behind |  |",
            "| 16282-04 | Thôn Đồng Lạc — Tân Phúc | hamlet | - | 600 | no data | 90% | no data |  |",
            "| 16282 | **Total of 4 areas** |  | 72 | 3,225 | 2.2% | 90% | behind |  |",
        ])
        #expect(md.stdout.contains("Listing hamlet areas; the total sums them. Only areas behind their target, and areas with no data (no session logged)."))
        let bad = try cli.run("coverage", "--campaign", "de-an-06", "--level", "hamlets?", "--campaigns", campaigns, "--db", "w.sqlite")
        #expect(bad.status != 0)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--level \"hamlets?\": this is neither a kind of area (province, district, commune, hamlet …) nor a depth such as 2."))
        #expect(bad.stdout.isEmpty)
    }

    @Test("a hamlet with a count and no denominator stays out of its commune's ratio, which says so in every format")
    func hamletWithoutDenominator() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let campaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path
        // Tân Thọ: Thôn Tân Thọ (985 adults, 12 activations in the sample sheet) and Thôn Đông
        // Hòa (770, nothing logged); Thôn Mới has no adults figure and logs 10; Thôn Vắng has
        // none and never logs. Before: 22/1.755, 10 of the 22 from a hamlet without a denominator.
        let areas = try cli.write("new.csv", "code,name,kind,parent_code\n16285-03,Thôn Mới,thôn,16285\n16285-04,Thôn Vắng,thôn,16285\n")
        #expect(try cli.run("areas", "import", areas, "--db", "w.sqlite").status == 0)
        for (hamlet, n) in [("16285-03", "10")] {
            let r = try cli.run("log", "--area", hamlet, "--date", "2026-11-03", "--eid-l2", n, "--db", "w.sqlite")
            #expect(r.status == 0, "\(r.stderr)")
        }
        func coverage(_ extra: String...) throws -> CLI.Result {
            try cli.run(["coverage", "--campaign", "de-an-06", "--indicator", "eid-l2", "--under", "16285", "--as-of", "2026-11-22",
                         "--campaigns", campaigns, "--db", "w.sqlite"] + extra)
        }
        let table = try coverage()
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map { $0.replacingOccurrences(of: "  +", with: " ", options: .regularExpression) }
        #expect(lines.contains("16285 Xã Tân Thọ xã 12 1.755 0,7% 90% chậm không tính 1 đơn vị không có mẫu số"), "not 22/1.755")
        #expect(lines.contains("16285-03 Thôn Mới thôn 10 không xác định không xác định 90% không có mẫu số"))
        #expect(lines.contains("16285-04 Thôn Vắng thôn - không xác định chưa có số liệu 90% chưa có số liệu"))
        #expect(lines.contains("16285 Tổng cộng 12 1.755 0,7% 90% chậm không tính 1 đơn vị không có mẫu số"))

        let csv = try coverage("--format", "csv").stdout.split(separator: "\n")
        #expect(csv.first?.hasSuffix(",coverage_is_mean,left_out") == true)
        #expect(csv.contains("de-an-06,2026-11-22,eid-l2,16285,Xã Tân Thọ,commune,0,12,1755,0.0068,0.9000,behind,false,false,1"))
        #expect(csv.contains("de-an-06,2026-11-22,eid-l2,16285-03,Thôn Mới,hamlet,1,10,,,0.9000,no denominator,false,false,0"))
        let json = try rows(try coverage("--format", "json"))
        #expect(json.first?["leftOut"] as? Int == 1)
        #expect(json.first { $0["code"] as? String == "16285-03" }?["status"] as? String == "no denominator")
        let md = try coverage("--format", "md", "--lang", "en").stdout
        #expect(md.contains("| 16285 | Xã Tân Thọ | commune | 12 | 1,755 | 0.7% | 90% | behind | left out 1 unit with no denominator |"))

        // --behind keeps the hamlet that never logged, not the one without a denominator.
        let behind = try coverage("--behind", "--format", "csv").stdout.split(separator: "\n").map { $0.split(separator: ",")[3] }
        #expect(behind == ["code", "16285", "16285-01", "16285-02", "16285-04", "16285"])
    }
}
