#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import OutreachKit

@Suite("Why a file cannot be read or written is said in the reader's language")
struct FileProblemTests {
    static let everyCase: [FileProblem] = [
        .noSuchFile, .noSuchFolder, .notAFolderInPath, .isFolder, .permissionDenied, .readOnlyDisk, .diskFull, .readError,
        .cannotCreate, .sqliteCannotOpen, .system(EBUSY), .other("Something odd"),
    ]

    @Test("the usual error numbers have words of their own; a missing path is a missing folder when creating", arguments: [
        (ENOENT, false, FileProblem.noSuchFile), (ENOENT, true, .noSuchFolder), (ENOTDIR, false, .notAFolderInPath),
        (EISDIR, false, .isFolder), (EACCES, false, .permissionDenied), (EPERM, true, .permissionDenied),
        (EROFS, true, .readOnlyDisk), (ENOSPC, true, .diskFull), (EDQUOT, true, .diskFull), (EIO, false, .readError),
        (EIO, true, .system(EIO)), (EBUSY, false, .system(EBUSY)),
    ])
    func errorNumbers(code: Int32, creating: Bool, problem: FileProblem) {
        #expect(FileProblem(errno: code, creating: creating) == problem)
    }

    @Test("every reason has words in both languages, and they differ")
    func everyReasonHasWords() {
        for problem in Self.everyCase {
            let vi = problem.text(Labels(.vi)), en = problem.text(Labels(.en))
            #expect(!vi.contains("⟦") && !en.contains("⟦"), "\(problem): \(vi) / \(en)")
            #expect(vi != en, "\(problem): \(vi)")
        }
    }

    @Test("the system's own words are introduced in Vietnamese and shown alone in English")
    func systemWords() {
        let busy = String(cString: strerror(EBUSY))
        #expect(FileProblem.system(EBUSY).text(Labels(.vi)) == "hệ thống báo: \(busy)")
        #expect(FileProblem.system(EBUSY).text(Labels(.en)) == busy)
        #expect(FileProblem.other("Something odd").text(Labels(.vi)) == "hệ thống báo: Something odd")
        #expect(FileProblem.other("Something odd").text(Labels(.en)) == "Something odd")
    }

    @Test("a Foundation error gives the reason of its error number")
    func foundationErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-fp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func problem(creating: Bool = false, _ body: () throws -> Void) -> FileProblem? {
            do { try body() } catch { return FileProblem(error, creating: creating) }
            return nil
        }
        #expect(problem { _ = try Data(contentsOf: dir.appendingPathComponent("missing.csv")) } == .noSuchFile)
        #expect(problem { _ = try Data(contentsOf: dir) } == .isFolder)
        #expect(problem(creating: true) { try Data().write(to: dir.appendingPathComponent("no/x.md")) } == .noSuchFolder)
        #expect(FileProblem(CocoaError(.fileReadUnknown)) == .other(CocoaError(.fileReadUnknown).localizedDescription))
    }

    @Test("a workspace, a backup, a bundle and a CSV file name the reason where it arises")
    func whereTheyArise() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        try FileManager.default.createDirectory(atPath: lab.path("data"), withIntermediateDirectories: false)
        try Data("x".utf8).write(to: URL(fileURLWithPath: lab.path("file.txt")))
        #expect(throws: StoreError.cannotOpen(path: lab.path("data"), reason: .isFolder)) { try Store.open(path: lab.path("data")) }
        #expect(throws: StoreError.cannotOpen(path: lab.path("no/w.sqlite"), reason: .noSuchFolder)) {
            try Store.open(path: lab.path("no/w.sqlite"), create: true)
        }
        #expect(throws: StoreError.cannotOpen(path: lab.path("file.txt/w.sqlite"), reason: .notAFolderInPath)) {
            try Store.open(path: lab.path("file.txt/w.sqlite"), create: true)
        }
        let store = try Store.open(path: lab.path("w.sqlite"), create: true)
        #expect(throws: BackupError.cannotWrite(path: lab.path("no/b.sqlite"), reason: .noSuchFolder)) {
            try store.backup(to: lab.path("no/b.sqlite"))
        }
        #expect(throws: BundleError.cannotWrite(file: lab.path("no/a.bundle"), reason: .noSuchFolder)) {
            try lab.export(store, "no/a.bundle")
        }
        #expect(throws: BundleError.cannotRead(file: "data", reason: .isFolder)) { try BundleLab.merge(lab.path("data"), into: store) }
        #expect(throws: BundleError.cannotRead(file: "missing.bundle", reason: .noSuchFile)) {
            try BundleLab.merge(lab.path("missing.bundle"), into: store)
        }
        #expect(throws: CSVError.cannotOpen(file: "data", reason: .isFolder)) {
            try store.importSessions(file: lab.path("data"), name: "data", today: BundleLab.today)
        }
        #expect(try !FileManager.default.contentsOfDirectory(atPath: lab.dir.path).contains { $0.contains("partial") })
    }

    @Test("workspace, CSV, backup and bundle errors say why in Vietnamese, and in English as before")
    func messages() {
        let vi = Labels(.vi)
        let folder = StoreError.cannotOpen(path: "data", reason: .isFolder)
        #expect(folder.message(in: vi) == "data: không mở được tệp dữ liệu (đây là một thư mục, không phải tệp). Kiểm tra đường dẫn và quyền truy cập, hoặc chọn tệp khác bằng --db hoặc OUTREACH_DB.")
        #expect(folder.message == "data: the workspace cannot be opened (it is a folder). Check the path and its permissions, or name another file with --db or OUTREACH_DB.")
        #expect(StoreError.cannotOpen(path: "w.sqlite", reason: .system(EBUSY)).message(in: vi)
            == "w.sqlite: không mở được tệp dữ liệu (hệ thống báo: \(String(cString: strerror(EBUSY)))). Kiểm tra đường dẫn và quyền truy cập, hoặc chọn tệp khác bằng --db hoặc OUTREACH_DB.")

        let full = BackupError.cannotWrite(path: "b.sqlite", reason: .diskFull)
        #expect(full.message == "b.sqlite: the backup cannot be written (the disk is full). Check the folder, its permissions and the free space; nothing was written.")
        #expect(full.message(in: vi) == "b.sqlite: không ghi được bản sao lưu (ổ đĩa đã đầy). Hãy chọn thư mục đã có sẵn, được phép ghi và còn chỗ trống, rồi sao lưu lại; chưa ghi gì.")
        #expect(BackupError.cannotWrite(path: "b.sqlite", reason: .cannotCreate).message.contains("(it cannot be created there)"))
        #expect(BackupError.copyFailedCheck(path: "b.sqlite").message(in: vi)?.hasPrefix("b.sqlite: bản sao vừa chép không qua được bước kiểm tra") == true)
        #expect(BackupError.copyFailedCheck(path: "b.sqlite").message.hasPrefix("b.sqlite: the copy failed its integrity check"))

        #expect(BundleError.cannotRead(file: "a.bundle", reason: .permissionDenied).message(in: vi)
            == "a.bundle: không đọc được gói dữ liệu (không có quyền truy cập). Kiểm tra đường dẫn tới tệp gói; chưa có gì thay đổi.")
        #expect(BundleError.cannotRead(file: "a.bundle", reason: .permissionDenied).message
            == "a.bundle: cannot be read (permission denied). Check the path; nothing was changed.")
        #expect(BundleError.cannotWrite(file: "a.bundle", reason: .readOnlyDisk).message(in: vi)
            == "a.bundle: không ghi được gói dữ liệu (ổ đĩa hoặc thẻ nhớ này chỉ cho đọc, không cho ghi). Kiểm tra thư mục và quyền ghi, hoặc chọn nơi khác bằng --out; chưa ghi gói nào.")
        #expect(BundleError.damaged(file: "a.bundle", reason: .extraBytes(1010)).message(in: vi)
            == "a.bundle: gói dữ liệu bị hỏng: gói dài hơn 1.010 byte so với độ dài ghi trong phần đầu gói. Gói đã bị sửa hoặc hỏng sau khi xuất. Hãy nhờ người gửi xuất lại gói (`outreach export`) rồi gửi lại; chưa có gì thay đổi.")
        #expect(BundleError.damaged(file: "a.bundle", reason: .extraBytes(1)).message.contains(": it has 1 byte more than its header announces. "))
        #expect(BundleError.headerTooLong(file: "a.bundle", limit: 2048).message(in: vi)?.contains("dài hơn 2.048 byte") == true)
    }

    @Test("every kind of bundle damage has words in both languages", arguments: [
        BundleError.Damage.headerVersion, .headerField, .headerCount(kind: "areas"), .headerColumns(kind: "session", version: 1),
        .headerScope, .extraBytes(2), .checksum, .recordCounts,
    ])
    func damageWords(damage: BundleError.Damage) {
        let vi = damage.phrase.text(Labels(.vi)), en = damage.phrase.text(Labels(.en))
        #expect(!vi.contains("⟦") && !en.contains("⟦") && !vi.contains("{") && !en.contains("{"), "\(vi) / \(en)")
        #expect(vi != en)
    }
}
