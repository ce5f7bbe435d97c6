import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// The compact code tables `sessions import` finds areas and teams in.
@Suite("Compact code tables: every code found, unknown ones not")
struct CodeIndexTests {
    /// Codes shaped like the national tree's: shared prefixes, one- and two-digit suffixes,
    /// team prefixes, a few Vietnamese letters.
    static func codes(_ n: Int) -> [String] {
        (0..<n).map { i in
            switch i % 4 {
            case 0: String(format: "%05d", i)
            case 1: String(format: "%05d-%d", i / 10, i % 10)
            case 2: "CNS-\(String(format: "%05d", i / 100))-\(i % 100)"
            default: "Tổ-\(i)"
            }
        }
    }

    @Test("finds each of 50,000 codes by its bytes and by its text, after every growth of the table")
    func findsEveryCode() {
        let all = Self.codes(50_000)
        var index = CodeIndex()  // starts small: grows many times on the way
        for (i, code) in all.enumerated() { #expect(index.add(code) == i) }
        #expect(index.count == all.count)
        var missed = 0, wrong = 0
        for (i, code) in all.enumerated() {
            var bytes = code
            let found = bytes.withUTF8 { index.index(of: $0) }
            if found == nil { missed += 1 } else if found != i { wrong += 1 }
            if index.index(of: code) != i { wrong += 1 }
            if index.code(i) != code { wrong += 1 }
        }
        #expect(missed == 0)
        #expect(wrong == 0)
    }

    @Test("finds no code that is only close to one: a prefix, a longer code, another case, empty")
    func missesNearCodes() {
        var index = CodeIndex(capacity: 4)
        for code in ["16282", "16282-01", "16282-1", "P06-16282"] { index.add(code) }
        for near in ["1628", "16282-0", "16282-010", "16282 ", "p06-16282", "", "16282-01\0", "16283"] {
            #expect(index.index(of: near) == nil, "\(near.debugDescription)")
        }
        #expect(index.index(of: "16282-1") == 2)
    }

    @Test("a code written with decomposed letters (NFD) finds the same code stored composed (NFC), and back")
    func canonicalEquivalence() {
        let nfc = "Tổ-Đông-1".precomposedStringWithCanonicalMapping
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(Array(nfc.utf8) != Array(nfd.utf8))
        var stored = CodeIndex()
        stored.add(nfc)
        #expect(stored.index(of: nfd) == 0)
        var decomposed = CodeIndex()
        decomposed.add(nfd)
        #expect(decomposed.index(of: nfc) == 0)
    }

    /// Two communes (one a ward), a district above them, hamlets with and without
    /// denominators, teams active and not, one team of the district itself.
    static func workspace() throws -> Store {
        let store = try Store.inMemory()
        try store.importAreas(text: "code,name,kind,parent_code,population,adults,working_age,households\n" + """
            38,Tỉnh Thanh Hóa,province,,,,,
            404,Huyện Nông Cống,district,38,,,,
            16282,Xã Tân Phúc,commune,404,5000,3600,,1200
            16282-01,Thôn 1,thôn,16282,900,650,,210
            16282-02,Thôn 2,thôn,16282,,,,
            16285,Phường Tân Thọ,ward,404,,,,
            16285-01,Khu phố Đông,khu phố,16285,1200,800,,300

            """)
        try store.importTeamsText(teamsHeader + """
            P06-16282,Tổ công tác xã Tân Phúc,project06,16282,,,,
            TN-16282-01,Đội thanh niên thôn 1,volunteer,16282-01,,,,inactive
            KP-16285-01,Tổ khu phố Đông,digital,16285-01,,,,
            H-404,Tổ huyện,digital,404,,,,

            """)
        return store
    }

    @Test("the area and team tables give each code the facts the one-code queries of `log` give")
    func tablesMatchSingleLookups() throws {
        let store = try Self.workspace()
        try store.read { db in
            let areas = try AreaFactsTable(db)
            let teams = try TeamFactsTable(db, areas: areas)
            let areaCodes = try String.fetchAll(db, sql: "SELECT code FROM area ORDER BY code")
            let teamCodes = try String.fetchAll(db, sql: "SELECT code FROM team ORDER BY code")
            #expect(areas.count == areaCodes.count && areaCodes.count >= 7)
            #expect(teams.count == teamCodes.count && teamCodes.count == 4)
            for code in areaCodes {
                let one = try #require(try Store.areaFacts(db, code: code))
                let facts = try #require(areas[code], "\(code)")
                #expect(facts.id == one.id && facts.communeID == one.communeID && facts.adults == one.adults
                        && facts.population == one.population && facts.households == one.households, "\(code)")
            }
            for code in teamCodes {
                let one = try #require(try Store.teamFacts(db, code: code))
                let facts = try #require(teams[code], "\(code)")
                #expect(facts.id == one.id && facts.code == code && facts.communeID == one.communeID
                        && facts.active == one.active, "\(code)")
            }
            // Spot checks that do not lean on the other path.
            #expect(areas["16282-01"]?.adults == 650)
            #expect(areas["16282-02"]?.adults == nil)
            #expect(areas["16285-01"]?.communeID == areas["16285"]?.id)
            #expect(areas["404"]?.communeID == nil)
            #expect(teams["TN-16282-01"]?.active == false)
            #expect(teams["H-404"]?.communeID == nil)
            #expect(areas["16282-03"] == nil && teams["P06-16285"] == nil)
        }
    }

    @Test("a sessions file finds every area and team code; unknown codes are named with their line")
    func importFindsCodes() throws {
        let store = try Self.workspace()
        let good = """
            date,area,team,eid_l2
            2026-11-02,16282-01,P06-16282,4
            2026-11-02, 16282-02 ,TN-16282-01,1
            2026-11-03,16285-01,KP-16285-01,2
            2026-11-03,16282,,3
            """
        let summary = try CampaignMetricsTests.importText(store, good)
        #expect(summary.imported == 4)
        #expect(summary.warningCount == 1)  // the inactive team
        let bad = """
            date,area,team,eid_l2
            2026-11-04,16282-0,P06-16282,4
            2026-11-04,16282-01,P06-1628,1
            2026-11-05,16282-01,KP-16285-01,2
            2026-11-05,16282-010,,2
            """
        var rejection: ImportRejected? = nil
        do { _ = try CampaignMetricsTests.importText(store, bad) } catch let error as ImportRejected { rejection = error }
        let error = try #require(rejection)
        #expect(error.problems.map(\.line) == [2, 3, 5])
        #expect(error.problems.map(\.phrase?.key) == ["areas.error.not_found", "sessions.error.unknown_team", "areas.error.not_found"])
        #expect(error.problems.map(\.column) == ["area", "team", "area"])
        #expect(try BundleLab.count(store, "session") == 4)
    }
}
