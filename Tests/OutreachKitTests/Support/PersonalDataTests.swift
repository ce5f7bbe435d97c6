import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// The notes stored for every session of `store`, in id order.
private func storedNotes(_ store: Store) throws -> [String?] {
    try store.read { try String?.fetchAll($0, sql: "SELECT notes FROM session ORDER BY id") }
}

@Suite("Citizen-ID and phone numbers in notes are masked on the way in")
struct PersonalDataTests {
    @Test("numbers of a citizen-ID or mobile shape are masked, keeping 4 digits and the last 2", arguments: [
        ("CCCD 038012345612 chưa kích hoạt", "CCCD 0380******12 chưa kích hoạt", 1),
        ("gọi chị Lan 0912345678", "gọi chị Lan 0912****78", 1),
        ("gọi 0912 345 678 hoặc 0388.123.456", "gọi 0912****78 hoặc 0388****56", 2),
        ("sđt +84 912 345 678.", "sđt 0912****78.", 1),
        ("sđt 84912345678", "sđt 0912****78", 1),
        ("sđt:0912-345-678, CCCD:038 012 345 612", "sđt:0912****78, CCCD:0380******12", 2),
        ("0912345678 5 người", "0912****78 5 người", 1),
        // Not these shapes: left alone.
        ("phát 1.010 tờ rơi cho 25 hộ", "phát 1.010 tờ rơi cho 25 hộ", 0),
        ("họp ngày 05/11/2026 lúc 8 giờ", "họp ngày 05/11/2026 lúc 8 giờ", 0),
        ("mã 1234567890123 (13 chữ số)", "mã 1234567890123 (13 chữ số)", 0),
        ("số 0212345678 là số bàn", "số 0212345678 là số bàn", 0),
        ("", "", 0),
    ])
    func masks(text: String, masked: String, count: Int) {
        let result = PersonalData.maskNumbers(in: text)
        #expect(result.text == masked)
        #expect(result.masked == count)
    }

    @Test("a note with fewer than ten digits is not looked at further")
    func quickTest() {
        for text in ["", "họp thôn", "25 hộ, 120 tờ rơi", "123456789"] {
            let bytes = Array(text.utf8)
            #expect(!bytes.withUnsafeBufferPointer { PersonalData.mayHoldNumbers($0) })
        }
        #expect(Array("0912345678".utf8).withUnsafeBufferPointer { PersonalData.mayHoldNumbers($0) })
    }

    @Test("log stores the masked note and says how many numbers it masked")
    func log() throws {
        let store = try BundleLab.seeded()
        let logged = try store.logSession(NewSession(day: Day(parsing: "2026-11-03")!, area: "16282-01",
                                                     metrics: MetricValues([.eidL2: 4]), notes: "gọi 0912 345 678, CCCD 038012345612"),
                                          today: BundleLab.today)
        #expect(logged.maskedNumbers == 2)
        #expect(try storedNotes(store) == ["gọi 0912****78, CCCD 0380******12"])
        let plain = try store.logSession(NewSession(day: Day(parsing: "2026-11-03")!, area: "16282-01",
                                                    metrics: MetricValues([.eidL2: 1]), notes: "họp thôn"), today: BundleLab.today)
        #expect(plain.maskedNumbers == 0)
    }

    @Test("sessions import stores masked notes and counts the numbers")
    func sessionsImport() throws {
        let store = try BundleLab.seeded()
        let file = try TemporaryFile(Array("""
            date,area,eid_l2,notes
            2026-11-03,16282-01,5,gọi 0912345678
            2026-11-04,16282-02,3,
            2026-11-05,16282-02,2,"CCCD 038012345612; +84 388 123 456"
            2026-11-06,16282-03,1,họp thôn

            """.utf8))
        defer { file.remove() }
        let summary = try store.importSessions(file: file.path, name: "sessions.csv", today: BundleLab.today)
        #expect(summary.imported == 4)
        #expect(summary.maskedNumbers == 3)
        #expect(try storedNotes(store) == ["gọi 0912****78", nil, "CCCD 0380******12; 0388****56", "họp thôn"])
    }

    @Test("a merge masks the notes of the sessions it brings in")
    func merge() throws {
        let lab = try BundleLab()
        defer { lab.cleanUp() }
        let source = try BundleLab.seeded()
        try BundleLab.log(source, "16282-01", "2026-11-03", eid: 7, notes: "họp")
        // A workspace from before masking: the number went in whole (written past the trigger
        // that keeps sessions from being edited).
        try source.write { db in
            try db.execute(sql: "DROP TRIGGER session_never_edited")
            try db.execute(sql: "UPDATE session SET notes = 'gọi 0912345678'")
        }
        let target = try BundleLab.seeded()
        let bundle = try lab.export(source, "s.bundle")
        try BundleLab.merge(bundle, into: target)
        #expect(try storedNotes(target) == ["gọi 0912****78"])
        // Merged again, the masked copy is the same session: nothing new, no conflict.
        let again = try BundleLab.merge(bundle, into: target)
        #expect(again.sessions.present == 1)
    }
}
