import Foundation
import Testing

@Suite("The report and demo commands, end to end")
struct ReportCLITests {
    static let campaigns = CLI.packageRoot.appendingPathComponent("Campaigns").path

    /// 1010 → "1.010".
    static func vi(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(ch)
        }
        return out
    }

    /// 0.0192 → "1,9%".
    static func viPercent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return "\(vi(tenths / 10)),\(tenths % 10)%"
    }

    @Test("report writes Markdown by extension, with the figures of the coverage command for the same data")
    func markdownMatchesCoverage() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let common = ["--campaign", "de-an-06", "--under", "16282", "--as-of", "2026-11-22", "--campaigns", Self.campaigns, "--db", "w.sqlite"]
        let coverage = try cli.run(["coverage", "--format", "json"] + common)
        try #require(coverage.status == 0, "\(coverage.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(coverage.stdout.utf8)) as? [String: Any]
        let rows = try #require(object?["rows"] as? [[String: Any]]).filter { $0["indicator"] as? String == "eid-l2" }

        let result = try cli.run(["report", "--out", "tan-phuc.md"] + common)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("tan-phuc.md"))
        let markdown = try String(contentsOfFile: cli.path("tan-phuc.md"), encoding: .utf8)
        #expect(!markdown.contains("⟦"))
        #expect(markdown.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && markdown.contains("Tân Phúc, ngày 22 tháng 11 năm 2026"))
        #expect(rows.count == 6)  // the commune, its four hamlets and the total
        for row in rows where row["depth"] as? Int == 1 || row["kind"] as? String == "total" {
            let name = row["name"] as! String
            let denominator = try #require(row["denominator"] as? Int)
            guard let value = row["value"] as? Int, let share = row["coverage"] as? Double else {
                #expect(markdown.contains("| \(name) | — | \(Self.vi(denominator)) | — |"), "\(name): no data")
                continue
            }
            let cells = "\(Self.vi(value)) | \(Self.vi(denominator)) | \(Self.viPercent(share))"
            if row["kind"] as? String == "total" {
                #expect(markdown.contains("| **Toàn xã Tân Phúc** | **\(Self.vi(value))** | **\(Self.vi(denominator))** | **\(Self.viPercent(share))** |"),
                        "total \(cells)")
            } else {
                #expect(markdown.contains("| \(name) | \(cells) |"), "\(name): \(cells)")
            }
        }
    }

    @Test("report writes one self-contained HTML page, in Vietnamese or in English")
    func html() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let common = ["--campaign", "de-an-06", "--as-of", "2026-11-22", "--campaigns", Self.campaigns, "--db", "w.sqlite"]
        for (file, lang, words) in [("vi.html", "vi", ["ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA", "Độc lập - Tự do - Hạnh phúc",
                                                        "Thanh Hóa, ngày 22 tháng 11 năm 2026", "Tổ công tác Đề án 06"]),
                                    ("en.HTML", "en", ["PEOPLE'S COMMITTEE", "SOCIALIST REPUBLIC OF VIET NAM", "Thanh Hóa, 22 November 2026"])] {
            let result = try cli.run(["report", "--out", file, "--lang", lang] + common)
            #expect(result.status == 0, "\(result.stderr)")
            let html = try String(contentsOfFile: cli.path(file), encoding: .utf8)
            #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg") && html.contains("@media print"))
            #expect(!html.contains("⟦") && !html.contains("//") && !html.contains("<script"))
            for word in words { #expect(html.contains(word), "\(file): \(word)") }
        }
    }

    @Test("report refuses a file name that is neither .html nor .md, and writes nothing")
    func unknownExtension() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let result = try cli.run("report", "--campaign", "de-an-06", "--out", "report.pdf", "--campaigns", Self.campaigns, "--db", "w.sqlite")
        #expect(result.status == 1)
        #expect(result.stderr == "lỗi: --out \"report.pdf\": báo cáo được ghi dưới dạng HTML hoặc Markdown. Đặt tên tệp kết thúc bằng .html hoặc .md.\n")
        let english = try cli.run("report", "--campaign", "de-an-06", "--out", "report.pdf", "--campaigns", Self.campaigns,
                                  "--db", "w.sqlite", "--lang", "en")
        #expect(english.stderr == "error: --out \"report.pdf\": the report is written as HTML or Markdown. End the file name with .html or .md.\n")
        #expect(!FileManager.default.fileExists(atPath: cli.path("report.pdf")))
        // A folder that does not exist: said in the command's language, nothing written.
        let missing = try cli.run("report", "--campaign", "de-an-06", "--out", "no/such/folder/r.md", "--campaigns", Self.campaigns,
                                  "--db", "w.sqlite")
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("lỗi: không ghi được no/such/folder/r.md ("), "\(missing.stderr)")
        #expect(missing.stderr.hasSuffix("). Kiểm tra thư mục chứa tệp đã có và được phép ghi, rồi chạy lại.\n"))
    }

    @Test("demo builds a district shaped like Nông Cống's reports, writes report.html, and rebuilds only its own folder", .sqliteFile)
    func demo() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let result = try cli.run("demo", "--dir", "demo")
        #expect(result.status == 0, "\(result.stderr)")
        for line in ["29/29 xã, phường, thị trấn có Tổ công tác Đề án 06 (319 thành viên)",
                     "201/201 thôn, tổ dân phố có Tổ công tác Đề án 06 (1.010 thành viên)",
                     "29/29 xã, phường, thị trấn có đội thanh niên tình nguyện"] {
            #expect(result.stdout.contains(line), "missing: \(line)")
        }
        #expect(result.stdout.contains("demo/report.html") && result.stdout.contains("--db demo/outreach.sqlite"))
        for file in ["report.html", "outreach.sqlite", "Campaigns/de-an-06.yaml", "data/sessions.csv", ".outreach-demo"] {
            #expect(FileManager.default.fileExists(atPath: cli.path("demo/" + file)), "\(file)")
        }
        let html = try String(contentsOfFile: cli.path("demo/report.html"), encoding: .utf8)
        #expect(html.contains("201/201") && html.contains("1.010 thành viên") && html.contains("6.000"))

        // Follow-up commands work on it, as the demo suggests.
        let structure = try cli.run("structure", "--under", "404", "--db", "demo/outreach.sqlite")
        #expect(structure.status == 0 && structure.stdout.contains("29/29") && structure.stdout.contains("201/201"))
        let coverage = try cli.run("coverage", "--campaign", "de-an-06", "--under", "16282", "--campaigns", "demo/Campaigns",
                                   "--db", "demo/outreach.sqlite")
        #expect(coverage.status == 0, "\(coverage.stderr)")

        // The reform story: Thạnh Phú's sessions before and after 1 July 2025, the same totals under either tree.
        #expect(result.stdout.contains("Tỉnh Vĩnh Long (86): từ 01/07/2025, 1 đơn vị mới, 6 đơn vị đổi tên hoặc đổi cấp trên, 14 đơn vị kết thúc"))
        var totals: [String] = []
        for tree in ["current", "2025-06-30"] {
            let r = try cli.run("coverage", "--campaign", "thanh-phu", "--level", "commune", "--tree", tree, "--campaigns", "demo/Campaigns",
                                "--db", "demo/outreach.sqlite")
            #expect(r.status == 0, "\(r.stderr)")
            let total = try #require(r.stdout.split(separator: "\n").last { $0.contains("Tổng") })
            totals.append(String(total.split(separator: " ", omittingEmptySubsequences: true).dropFirst(5).first ?? ""))
            #expect(total.contains(tree == "current" ? "Tổng 6 đơn vị" : "Tổng 18 đơn vị"))
        }
        #expect(totals.count == 2 && totals[0] == totals[1] && !totals[0].isEmpty)

        // Running it again rebuilds the same folder; a folder it did not make is left alone.
        let again = try cli.run("demo", "--dir", "demo")
        #expect(again.status == 0, "\(again.stderr)")
        try FileManager.default.createDirectory(atPath: cli.path("mine"), withIntermediateDirectories: true)
        try cli.write("mine/notes.txt", "")
        let refused = try cli.run("demo", "--dir", "mine")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("mine") && refused.stderr.contains("--dir"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.path("mine")) == ["notes.txt"])
    }

    @Test("demo refuses a file given as its folder, with the whole line in the command's language")
    func demoIntoAFile() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.write("x.txt", "not a folder")
        let vi = try cli.run("demo", "--dir", "x.txt")
        #expect(vi.status == 1)
        #expect(vi.stderr == "lỗi: x.txt là một tệp, không phải thư mục. Chọn thư mục khác bằng --dir.\n")
        let en = try cli.run("demo", "--dir", "x.txt", "--lang", "en")
        #expect(en.status == 1)
        #expect(en.stderr == "error: x.txt is a file, not a folder. Choose another folder with --dir.\n")
        #expect(try String(contentsOf: cli.dir.appendingPathComponent("x.txt"), encoding: .utf8) == "not a folder")
    }

    @Test("report --issuer, --signer-title and --signer-name set the heading and the signature block")
    func signatureOptions() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let common = ["--campaign", "de-an-06", "--under", "16282", "--as-of", "2026-11-22", "--campaigns", Self.campaigns, "--db", "w.sqlite"]
        #expect(try cli.run(["report", "--out", "plain.md"] + common).status == 0)
        let plain = try String(contentsOfFile: cli.path("plain.md"), encoding: .utf8)
        #expect(plain.contains("| Nơi nhận: | TM. ỦY BAN NHÂN DÂN |") && plain.contains("| **CHỦ TỊCH** |"))
        let result = try cli.run(["report", "--out", "signed.html", "--issuer", "BAN CHỈ ĐẠO ĐỀ ÁN 06", "--signer-title", "PHÓ TRƯỞNG BAN",
                                  "--signer-name", "Lê Thị Hoa"] + common)
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: cli.path("signed.html"), encoding: .utf8)
        #expect(html.contains("<span class=\"strong\">BAN CHỈ ĐẠO ĐỀ ÁN 06</span><br/><span class=\"strong\">XÃ TÂN PHÚC</span>"))
        #expect(html.contains("<p class=\"strong\">TM. BAN CHỈ ĐẠO ĐỀ ÁN 06</p><p class=\"strong\">PHÓ TRƯỞNG BAN</p>"))
        #expect(html.contains("<p class=\"strong signer-name\">Lê Thị Hoa</p>"))
    }
}
