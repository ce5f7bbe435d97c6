import Foundation
import GRDB
import Testing

/// A workspace with a commune of two hamlets.
private func twoHamlets(_ cli: CLI) throws {
    try cli.run("init", "--db", "w.sqlite")
    let areas = try cli.write("areas.csv", """
        code,name,kind,parent_code
        16282,Xã Tân Phúc,commune,
        16282-01,Thôn 1,thôn,16282
        16282-02,Thôn 2,thôn,16282
        """)
    let r = try cli.run("areas", "import", areas, "--db", "w.sqlite")
    try #require(r.status == 0, "\(r.stderr)")
}

private let sheet = """
    date,area,logged_by,eid_l2,leaflets,notes
    2026-11-03,16282-01,Lê Văn Hùng,5,1010,Họp thôn
    2026-11-04,16282-02,Lê Văn Hùng,3,20,

    """

/// The sheet re-saved by a spreadsheet (`;`, CRLF, grouped numbers, DD/MM/YYYY), one row appended.
private let resavedPlusOne = "date;area;logged_by;eid_l2;leaflets;notes\r\n03/11/2026;16282-01;Lê Văn Hùng;5;1.010;Họp thôn\r\n"
    + "04/11/2026;16282-02;Lê Văn Hùng;3;20;\r\n05/11/2026;16282-01;Lê Văn Hùng;2;;\r\n"

/// The sheet with the second row's eid_l2 corrected from 3 to 4.
private let corrected = sheet.replacingOccurrences(of: ",3,20,", with: ",4,20,")

private func eid(_ cli: CLI) throws -> Int {
    try cli.integer("w.sqlite", "SELECT coalesce(sum(eid_l2), 0) FROM area_month")
}

@Suite("Resent sheets and likely corrections, end to end")
struct ResendCLITests {
    @Test("a re-saved sheet with one row appended brings one session: the summary says so", arguments: ["vi", "en"])
    func resend(lang: String) throws {
        let cli = try CLI(lang: lang)
        defer { cli.cleanUp() }
        try twoHamlets(cli)
        let first = try cli.write("thon.csv", sheet)
        let a = try cli.run("sessions", "import", first, "--db", "w.sqlite")
        #expect(a.status == 0, "\(a.stderr)")
        let again = try cli.write("thon-gui-lai.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(resavedPlusOne.utf8))
        let b = try cli.run("sessions", "import", again, "--db", "w.sqlite")
        #expect(b.status == 0, "\(b.stderr)")
        if lang == "vi" {
            #expect(b.stdout == "\(again): 3 dòng — nhập mới 1, đã có 2, 0 cảnh báo.\n")
        } else {
            #expect(b.stdout == "\(again): 3 rows — 1 imported, 2 already present, 0 warnings.\n")
        }
        #expect(try eid(cli) == 10)
    }

    @Test("a likely correction is refused with what to do; --as-corrections replaces, --as-new adds", arguments: ["vi", "en"])
    func likelyCorrection(lang: String) throws {
        let cli = try CLI(lang: lang)
        defer { cli.cleanUp() }
        try twoHamlets(cli)
        let first = try cli.write("thon.csv", sheet)
        #expect(try cli.run("sessions", "import", first, "--db", "w.sqlite").status == 0)
        let list = try cli.run("sessions", "list", "--format", "csv", "--db", "w.sqlite")
        let earlier = try #require(list.stdout.split(separator: "\n").first { $0.contains(",2026-11-04,") }?.prefix(36))
        let fixed = try cli.write("thon-sua.csv", corrected)
        let refused = try cli.run("sessions", "import", fixed, "--db", "w.sqlite")
        #expect(refused.status == 1)
        if lang == "vi" {
            #expect(refused.stderr.contains("\(fixed):3: cùng ngày, thôn và tổ với buổi đã lưu \(earlier) (\(first)) nhưng số liệu khác"), "\(refused.stderr)")
            #expect(refused.stderr.contains("Chạy lại với --as-corrections để hủy buổi cũ và thay bằng dòng này, hoặc với --as-new"))
        } else {
            #expect(refused.stderr.contains("\(fixed):3: same day, hamlet and team as the stored session \(earlier) (\(first)) but other counts"), "\(refused.stderr)")
            #expect(refused.stderr.contains("Run again with --as-corrections to void the stored session and replace it with this row, or with --as-new"))
        }
        #expect(try eid(cli) == 8)
        let both = try cli.run("sessions", "import", fixed, "--as-new", "--as-corrections", "--db", "w.sqlite")
        #expect(both.status != 0)
        #expect(both.stderr.contains("--as-new"))

        let replaced = try cli.run("sessions", "import", fixed, "--as-corrections", "--db", "w.sqlite")
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains(lang == "vi" ? "đã hủy 1 buổi đã lưu và thay bằng bản sửa" : "1 stored sessions voided and replaced"))
        #expect(try eid(cli) == 9)
        let voided = try cli.run("sessions", "list", "--include-voided", "--format", "csv", "--db", "w.sqlite")
        #expect(voided.stdout.contains(lang == "vi" ? "sửa lại theo \(fixed), dòng 3" : "corrected by \(fixed), line 3"))

        // Another correction of the same row, taken as a new session this time.
        let twice = try cli.write("thon-sua-2.csv", corrected.replacingOccurrences(of: ",4,20,", with: ",6,20,"))
        let added = try cli.run("sessions", "import", twice, "--as-new", "--db", "w.sqlite")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try eid(cli) == 15)
    }

    @Test("a hamlet code typed in decomposed letters keys as the stored code: the NFC copy imports nothing and check passes")
    func decomposedCode() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let code = "16282-Mới"
        try "code,name,kind,parent_code\n\(code.precomposedStringWithCanonicalMapping),Thôn Mới,hamlet,16282\n"
            .write(toFile: cli.path("moi.csv"), atomically: true, encoding: .utf8)
        try #require(try cli.run("areas", "import", "moi.csv", "--db", "w.sqlite").status == 0)
        try "date,area,eid_l2\n2026-11-10,\(code.decomposedStringWithCanonicalMapping),4\n"
            .write(toFile: cli.path("nfd.csv"), atomically: true, encoding: .utf8)
        try "date,area,eid_l2\n2026-11-10,\(code.precomposedStringWithCanonicalMapping),4\n"
            .write(toFile: cli.path("nfc.csv"), atomically: true, encoding: .utf8)
        let first = try cli.run("sessions", "import", "nfd.csv", "--db", "w.sqlite", "--lang", "en")
        #expect(first.status == 0, "\(first.stderr)")
        let again = try cli.run("sessions", "import", "nfc.csv", "--db", "w.sqlite", "--lang", "en")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("0 imported, 1 already present"), "\(again.stdout)")
        #expect(try cli.run("check", "--db", "w.sqlite").status == 0)
    }
}
