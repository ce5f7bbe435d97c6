import Foundation
import Testing
@testable import OutreachKit

@Suite("Times people read are Vietnam time (UTC+7); stored times stay UTC")
struct LocalTimeTests {
    @Test("a stored UTC timestamp is shown in Vietnam time, in the product's date style", arguments: [
        ("2026-11-22T11:28:08Z", "22/11/2026 18:28", "22 Nov 2026 18:28"),
        ("2026-11-22T11:28:08.123Z", "22/11/2026 18:28", "22 Nov 2026 18:28"),
        // 17:05 UTC is already the next day in Vietnam.
        ("2021-10-19T17:05:00Z", "20/10/2021 00:05", "20 Oct 2021 00:05"),
        ("2026-12-31T16:59:59Z", "31/12/2026 23:59", "31 Dec 2026 23:59"),
        ("2026-12-31T17:00:00Z", "01/01/2027 00:00", "1 Jan 2027 00:00"),
        ("2026-02-28 20:30", "01/03/2026 03:30", "1 Mar 2026 03:30"),
    ])
    func vietnamTime(stamp: String, vietnamese: String, english: String) {
        #expect(Labels(.vi).time(utc: stamp) == vietnamese)
        #expect(Labels(.en).time(utc: stamp) == english)
    }

    @Test("the zone is a parameter: UTC shows the stored clock")
    func zoneIsAParameter() throws {
        let moment = try #require(Timestamp(utc: "2021-10-20T07:05:00Z"))
        #expect(Labels(.vi).time(moment, in: .utc) == "20/10/2021 07:05")
        #expect(Labels(.vi).time(moment) == "20/10/2021 14:05")
        #expect(Labels(.vi).time(moment, in: ZoneOffset(seconds: -3600)) == "20/10/2021 06:05")
    }

    @Test("the clock is a parameter: today in Vietnam from a given Date, whatever the machine's zone")
    func todayFromAClock() throws {
        let lateEvening = Date(timeIntervalSince1970: TimeInterval(try #require(Timestamp(utc: "2026-11-20T18:00:00Z")).secondsSince1970))
        #expect(Day(lateEvening) == Day(parsing: "2026-11-21"))
        #expect(Day(lateEvening, in: .utc) == Day(parsing: "2026-11-20"))
        #expect(Timestamp(lateEvening) == Timestamp(utc: "2026-11-20T18:00:00Z"))
    }

    @Test("text that is not a timestamp is shown as it is", arguments: ["", "yesterday", "2026-11-22", "2026-11-22T25:00:00Z",
                                                                       "2026-02-30T10:00:00Z", "2026-11-22T10:00:00+07:00"])
    func notATimestamp(text: String) {
        #expect(Timestamp(utc: text) == nil)
        #expect(Labels(.vi).time(utc: text) == text)
    }

    @Test("a date that cannot be read says why, in both languages", arguments: [
        ("31/02/2026", "tháng 2 năm 2026 chỉ có 28 ngày.", "month 2 of 2026 has only 28 days."),
        ("2024-02-30", "tháng 2 năm 2024 chỉ có 29 ngày.", "month 2 of 2024 has only 29 days."),
        ("2026-13-01", "không có tháng 13; tháng từ 1 đến 12.", "there is no month 13; months go from 1 to 12."),
        ("20.11.2026", "đây không phải là ngày.", "this is not a date."),
        ("hôm qua", "đây không phải là ngày.", "this is not a date."),
    ])
    func dayProblems(text: String, vietnamese: String, english: String) {
        #expect(Day(parsing: text) == nil)
        #expect(Day.problem(parsing: text).text(Labels(.vi)) == vietnamese)
        #expect(Day.problem(parsing: text).text(Labels(.en)) == english)
    }

    @Test("the versions: one tool version, the schema is the number of migrations, the bundle format is the bundles'")
    func versions() throws {
        #expect(!OutreachVersion.tool.isEmpty)
        #expect(OutreachVersion.schema == Schema.migrator.migrations.count)
        #expect(OutreachVersion.bundleFormat == BundleHeader.currentVersion)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("w.sqlite").path
        #expect(try Store.schemaVersion(ofWorkspaceAt: path) == nil)
        #expect(!FileManager.default.fileExists(atPath: path), "reading the version must not create the workspace")
        _ = try Store.open(path: path, create: true)
        #expect(try Store.schemaVersion(ofWorkspaceAt: path) == OutreachVersion.schema)
        let text = folder.appendingPathComponent("notes.txt").path
        try Data("not a workspace".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: StoreError.self) { try Store.schemaVersion(ofWorkspaceAt: text) }
    }
}
