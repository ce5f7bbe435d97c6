import Foundation
import Testing

@Suite("A file that cannot be opened, read or written is named in Vietnamese, with what to do")
struct FileProblemCLITests {
    @Test("--db naming a folder: the workspace cannot be opened, name a file instead", .sqliteFile)
    func workspaceIsAFolder() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try FileManager.default.createDirectory(atPath: cli.path("dữ liệu"), withIntermediateDirectories: false)
        let r = try cli.run("areas", "list", "--db", "dữ liệu")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "lỗi: dữ liệu: không mở được tệp dữ liệu (đây là một thư mục, không phải tệp). Kiểm tra đường dẫn và quyền truy cập, hoặc chọn tệp khác bằng --db hoặc OUTREACH_DB.\n")
        let english = try cli.run("areas", "list", "--db", "dữ liệu", "--lang", "en")
        #expect(english.status == 1)
        #expect(english.stderr == "error: dữ liệu: the workspace cannot be opened (it is a folder). Check the path and its permissions, or name another file with --db or OUTREACH_DB.\n")
    }

    @Test("sessions import of a folder: nothing is imported, check the path")
    func importAFolder() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let before = try cli.sessionCount("w.sqlite")
        try FileManager.default.createDirectory(atPath: cli.path("bảng"), withIntermediateDirectories: false)
        let r = try cli.run("sessions", "import", "bảng", "--db", "w.sqlite")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "lỗi: bảng: không đọc được (đây là một thư mục, không phải tệp). Kiểm tra đường dẫn và quyền đọc tệp.\n")
        #expect(try cli.sessionCount("w.sqlite") == before)
        let missing = try cli.run("sessions", "import", "bảng/buổi.csv", "--db", "w.sqlite")
        #expect(missing.status == 1)
        #expect(missing.stderr == "lỗi: bảng/buổi.csv: không đọc được (không có tệp này). Kiểm tra đường dẫn và quyền đọc tệp.\n")
        let english = try CLI(lang: "en")
        defer { english.cleanUp() }
        try english.run("init", "--db", "w.sqlite")
        try FileManager.default.createDirectory(atPath: english.path("bảng"), withIntermediateDirectories: false)
        #expect(try english.run("sessions", "import", "bảng", "--db", "w.sqlite").stderr
            == "error: bảng: cannot be read (it is a folder). Check the path and that you may read it.\n")
    }

    @Test("merge of a bundle whose records were altered: damaged, ask the sender to export again, nothing changed")
    func damagedBundle() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok("init", "--db", "w.sqlite")
        try cli.ok("areas", "import", CLI.resource("areas/nong_cong.csv"), "--db", "w.sqlite")
        try cli.ok("export", "--out", "xã.bundle", "--db", "w.sqlite")
        var data = try Data(contentsOf: URL(fileURLWithPath: cli.path("xã.bundle")))
        data[data.count - 10] ^= 0x01
        try data.write(to: URL(fileURLWithPath: cli.path("xã.bundle")))
        try cli.ok("init", "--db", "other.sqlite")
        let r = try cli.run("merge", "xã.bundle", "--db", "other.sqlite")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "lỗi: xã.bundle: gói dữ liệu bị hỏng: các dòng dữ liệu không khớp với mã kiểm tra ghi trong phần đầu gói. Gói đã bị sửa hoặc hỏng sau khi xuất. Hãy nhờ người gửi xuất lại gói (`outreach export`) rồi gửi lại; chưa có gì thay đổi.\n")
        #expect(try cli.ok("areas", "list", "--db", "other.sqlite", "--format", "csv").split(separator: "\n").count == 1, "no area came in")
        let english = try cli.run("merge", "xã.bundle", "--db", "other.sqlite", "--lang", "en")
        #expect(english.stderr == "error: xã.bundle: the bundle is damaged: its records do not match the checksum in its header. It was changed or corrupted after it was exported. Ask the sender to export it again; nothing was changed.\n")
    }

    @Test("backup into a folder that does not exist: choose a folder that exists, nothing written")
    func backupNowhere() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.ok("init", "--db", "w.sqlite")
        let r = try cli.run("backup", "USB/sao lưu.sqlite", "--db", "w.sqlite")
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "lỗi: USB/sao lưu.sqlite: không ghi được bản sao lưu (chưa có thư mục chứa tệp này). Hãy chọn thư mục đã có sẵn, được phép ghi và còn chỗ trống, rồi sao lưu lại; chưa ghi gì.\n")
        #expect(!FileManager.default.fileExists(atPath: cli.path("USB")))
        #expect(try !FileManager.default.contentsOfDirectory(atPath: cli.dir.path).contains { $0.contains("partial") })
        let english = try cli.run("backup", "USB/sao lưu.sqlite", "--db", "w.sqlite", "--lang", "en")
        #expect(english.stderr == "error: USB/sao lưu.sqlite: the backup cannot be written (its folder does not exist). Check the folder, its permissions and the free space; nothing was written.\n")
    }
}
