import Foundation
import Testing

@Suite("The 2025 reform, end to end")
struct ReformCLITests {
    /// Thạnh Phú's old tree with two hamlets per commune, a campaign over the whole tree for
    /// 2024–2026, and sessions logged in 2024 in five communes.
    private func oldDistrict(_ cli: CLI) throws {
        var areas = "code,name,kind,parent_code,adults\n"
        let old = try String(contentsOfFile: CLI.resource("areas/thanh_phu.csv"), encoding: .utf8)
        for line in old.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            areas += line + ",\n"
            if cells[2] == "commune" || cells[2] == "town" {
                let short = cells[1].split(separator: " ").dropFirst(cells[2] == "town" ? 2 : 1).joined(separator: " ")
                areas += "\(cells[0])-01,Ấp 1 \(short),ấp,\(cells[0]),100\n\(cells[0])-02,Ấp 2 \(short),ấp,\(cells[0]),200\n"
            }
        }
        try cli.write("areas.csv", areas)
        try FileManager.default.createDirectory(at: cli.dir.appendingPathComponent("campaigns"), withIntermediateDirectories: true)
        try cli.write("campaigns/thanh-phu.yaml", """
            version: 1
            id: thanh-phu
            name: Kích hoạt định danh điện tử 2024–2026
            scope: all
            period:
              start: 2024-01-01
              end: 2026-12-31
            indicators:
              - id: eid-l2
                label: Người từ đủ 15 tuổi trở lên đã kích hoạt
                numerator: [eid_l2]
                denominator: adults
                target: 90%
            """)
        for args in [["init"], ["areas", "import", "areas.csv"]] {
            let r = try cli.run(args + ["--db", "w.sqlite"])
            try #require(r.status == 0, "\(r.stderr)")
        }
        for commune in ["29182", "29185", "29188", "29194", "29203"] {
            let r = try cli.run("log", "--area", "\(commune)-01", "--date", "2024-05-10", "--eid-l2", "10", "--people-reached", "12",
                                "--db", "w.sqlite")
            try #require(r.status == 0, "\(r.stderr)")
        }
    }

    private func total(_ result: CLI.Result) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let rows = object["rows"] as? [[String: Any]] else { return nil }
        return rows.first { $0["kind"] as? String == "total" }?["value"] as? Int
    }

    @Test("old tree, sessions in 2024, the official conversion, sessions in 2026: the same totals under either tree")
    func doneMeans() throws {
        var cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        cli.environment["OUTREACH_CAMPAIGNS"] = cli.path("campaigns")
        try oldDistrict(cli)
        let mapping = CLI.resource("areas/conversions/thanh_phu_2025_mapping.csv")
        let tree = CLI.resource("areas/vn_units_2025.csv")
        let reform = try cli.run("areas", "reform", mapping, "--tree", tree, "--effective", "2025-07-01",
                                 "--basis", "Nghị quyết 1686/NQ-UBTVQH15", "--db", "w.sqlite")
        #expect(reform.status == 0, "\(reform.stderr)")
        #expect(reform.stdout == "Tỉnh Vĩnh Long (86): from 1 Jul 2025, 1 new units, 6 units renamed or moved, 14 units ended, 24 hamlets moved to a new unit.\n")
        let again = try cli.run("areas", "reform", mapping, "--tree", tree, "--effective", "2025-07-01", "--db", "w.sqlite")
        #expect(again.stdout == "Nothing changed: this change has been in force since 1 Jul 2025.\n")
        for (area, n) in [("29185-02", "7"), ("29224-01", "4")] {
            let r = try cli.run("log", "--area", area, "--date", "2026-03-10", "--eid-l2", n, "--people-reached", "9", "--db", "w.sqlite")
            #expect(r.status == 0, "\(r.stderr)")
        }
        let now = try cli.run("coverage", "--campaign", "thanh-phu", "--as-of", "2026-06-30", "--level", "commune", "--db", "w.sqlite")
        #expect(now.status == 0, "\(now.stderr)")
        let communes = now.stdout.split(separator: "\n").filter { $0.hasPrefix("29") }.map { String($0.prefix(5)) }
        #expect(communes == ["29182", "29191", "29194", "29221", "29224", "29227"])
        #expect(now.stdout.contains("Xã Đại Điền"))
        let old = try cli.run("coverage", "--campaign", "thanh-phu", "--as-of", "2026-06-30", "--level", "commune",
                              "--tree", "2025-06-30", "--db", "w.sqlite")
        #expect(old.stdout.split(separator: "\n").filter { $0.hasPrefix("29") }.count == 18)
        #expect(old.stdout.contains("Xã Tân Phong"))
        #expect(old.stdout.contains("Rolled up under the tree in force on 30 Jun 2025."))
        var totals: [Int?] = []
        for choice in [[], ["--tree", "2025-06-30"], ["--tree", "current"]] {
            totals.append(total(try cli.run(["coverage", "--campaign", "thanh-phu", "--as-of", "2026-06-30", "--format", "json",
                                             "--db", "w.sqlite"] + choice)))
        }
        #expect(totals == [61, 61, 61])

        let found = try cli.run("areas", "find", "tân phong", "--lang", "vi", "--db", "w.sqlite")
        #expect(found.stdout.contains("Xã Tân Phong — Thạnh Phú — Bến Tre (đến 30/06/2025) (cũ) → nay thuộc Xã Đại Điền (29194)"))
        let listed = try cli.run("areas", "list", "--depth", "1", "--db", "w.sqlite")
        #expect(listed.stdout.contains("86    Tỉnh Vĩnh Long") && !listed.stdout.contains("Bến Tre"))
        let before = try cli.run("areas", "list", "--depth", "1", "--tree", "2025-06-30", "--db", "w.sqlite")
        #expect(before.stdout.contains("Tỉnh Bến Tre") && !before.stdout.contains("Vĩnh Long"))
        let history = try cli.run("areas", "history", "29194", "--db", "w.sqlite")
        #expect(history.stdout.contains("29194 Xã Tân Phong (until 30 Jun 2025), commune — under Huyện Thạnh Phú (837)"))
        #expect(history.stdout.contains("29194 Xã Đại Điền (from 1 Jul 2025), commune — under Tỉnh Vĩnh Long (86)"))
        // Completeness, the chase list and the structure under the old tree: its 36 hamlets under its 18 communes.
        let completeness = try cli.run("completeness", "--campaign", "thanh-phu", "--period", "2026-03", "--tree", "2025-06-30",
                                       "--format", "json", "--db", "w.sqlite")
        #expect(completeness.status == 0, "\(completeness.stderr)")
        #expect(completeness.stdout.contains("\"code\" : \"29185\"") && !completeness.stdout.contains("\"code\" : \"86\""))
        let chase = try cli.run("chase", "--campaign", "thanh-phu", "--tree", "2025-06-30", "--format", "csv", "--db", "w.sqlite")
        #expect(chase.status == 0, "\(chase.stderr)")
        #expect(chase.stdout.hasPrefix("code,name,within,reason"))
        let structure = try cli.run("structure", "--tree", "2025-06-30", "--format", "csv", "--db", "w.sqlite")
        #expect(structure.status == 0, "\(structure.stderr)")
        let structureNow = try cli.run("structure", "--format", "csv", "--db", "w.sqlite")
        #expect(structure.stdout.contains("district,project06,0,1,") && structure.stdout.contains("commune,project06,0,18,"))
        #expect(!structureNow.stdout.contains("district,") && structureNow.stdout.contains("commune,project06,0,6,"))
    }

    @Test("a split commune's hamlets without a home: refused, every one named, nothing changed")
    func homeless() throws {
        var cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        cli.environment["OUTREACH_CAMPAIGNS"] = cli.path("campaigns")
        try oldDistrict(cli)
        var mapping = try String(contentsOfFile: CLI.resource("areas/conversions/thanh_phu_2025_mapping.csv"), encoding: .utf8)
        mapping = mapping.replacingOccurrences(of: "29215,Xã An Thuận,commune,837,29224,Xã An Qui,86,full",
                                               with: "29215,Xã An Thuận,commune,837,29224,Xã An Qui,86,partial")
        mapping += "29215,Xã An Thuận,commune,837,29221,Xã Thạnh Hải,86,partial,no\n"
        try cli.write("mapping.csv", mapping)
        let tree = CLI.resource("areas/vn_units_2025.csv")
        let refused = try cli.run("areas", "reform", "mapping.csv", "--tree", tree, "--effective", "2025-07-01", "--db", "w.sqlite")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("2 hamlets of split communes have no new commune: 29215-01 Ấp 1 An Thuận (29215), 29215-02 Ấp 2 An Thuận (29215)"))
        let find = try cli.run("areas", "history", "29194", "--db", "w.sqlite")
        #expect(!find.stdout.contains("Đại Điền (from"))
        try cli.write("homes.csv", "hamlet_code,new_code\n29215-01,29224\n29215-02,29221\n")
        let applied = try cli.run("areas", "reform", "mapping.csv", "--tree", tree, "--effective", "2025-07-01",
                                  "--hamlets", "homes.csv", "--db", "w.sqlite")
        #expect(applied.status == 0, "\(applied.stderr)")
        try cli.write("bad.csv", "hamlet_code,new_code\n29215-01,29182\n")
        let bad = try cli.run("areas", "reform", "mapping.csv", "--tree", tree, "--effective", "2025-07-01",
                              "--hamlets", "bad.csv", "--db", "w.sqlite")
        #expect(bad.stderr.contains("bad.csv, line 2: 29215-01 cannot go to 29182"))
    }

    @Test("merge, move, rename and retire from the command line, refused when they cannot be true")
    func singleChanges() throws {
        var cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        cli.environment["OUTREACH_CAMPAIGNS"] = cli.path("campaigns")
        try oldDistrict(cli)
        let merged = try cli.run("areas", "merge", "29185", "29188", "--into", "29194", "--effective", "2025-01-01",
                                 "--basis", "test", "--by", "Lan", "--db", "w.sqlite")
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("2 units ended, 4 hamlets moved"))
        let twice = try cli.run("areas", "merge", "29185", "--into", "29191", "--effective", "2025-01-01", "--db", "w.sqlite")
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("cannot be merged twice on one date"))
        let toEnded = try cli.run("areas", "move", "29182-01", "--to", "29185", "--effective", "2025-02-01", "--db", "w.sqlite")
        #expect(toEnded.stderr.contains("nothing can move or merge into a unit that has ended"))
        let renamed = try cli.run("areas", "rename", "29191", "Xã Quới Điền Mới", "--effective", "2025-03-01", "--db", "w.sqlite")
        #expect(renamed.status == 0, "\(renamed.stderr)")
        let retire = try cli.run("areas", "retire", "29191", "--effective", "2025-04-01", "--db", "w.sqlite")
        #expect(retire.stderr.contains("still has 2 units under it"))
        let audit = try cli.run("audit", "--format", "csv", "--db", "w.sqlite")
        #expect(audit.stdout.contains("area.merge"))
        #expect(audit.stdout.contains("Lan"))
        // The merge's totals: Đại Điền (29194) holds the three communes' 2024 sessions under today's tree.
        let now = try cli.run("coverage", "--campaign", "thanh-phu", "--as-of", "2025-06-30", "--under", "29194", "--format", "json",
                              "--db", "w.sqlite")
        #expect(total(now) == 30)
    }
}
