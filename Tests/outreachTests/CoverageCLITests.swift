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
        // Only the hamlets behind (16282-04 has no data), lowest coverage first, then the total of the 4 hamlets.
        #expect(rows == [
            "| 16282-02 | Thôn 2 — Tân Phúc | hamlet | 17 | 705 | 2.4% | 90% | behind |  |",
            "| 16282-01 | Thôn 1 — Tân Phúc | hamlet | 24 | 870 | 2.8% | 90% | behind |  |",
            "| 16282-03 | Thôn Phúc Lâm — Tân Phúc | hamlet | 31 | 1,050 | 3.0% | 90% | behind |  |",
            "| 16282 | **Total of 4 areas** |  | 72 | 3,225 | 2.2% | 90% | behind |  |",
        ])
        #expect(md.stdout.contains("Listing hamlet areas; the total sums them. Only areas behind their target."))
        let bad = try cli.run("coverage", "--campaign", "de-an-06", "--level", "hamlets?", "--campaigns", campaigns, "--db", "w.sqlite")
        #expect(bad.status != 0)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--level \"hamlets?\": this is neither a kind of area (province, district, commune, hamlet …) nor a depth such as 2."))
        #expect(bad.stdout.isEmpty)
    }
}
