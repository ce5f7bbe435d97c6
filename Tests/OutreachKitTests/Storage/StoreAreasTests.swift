import Foundation
import GRDB
import Testing
@testable import OutreachKit

let reformDay = Day(year: 2025, month: 7, day: 1)!

extension Store {
    /// Reads `text` as an areas file and imports it.
    @discardableResult
    func importAreas(text: String, file: String = "areas.csv", on day: Day = reformDay) throws -> AreaImportSummary {
        try importAreas(readAreas(text, name: file), file: file, on: day)
    }

    func count(_ table: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }

    /// `code → parent code` for every stored area.
    func parents() throws -> [String: String] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.code, coalesce(p.code, '') FROM area a LEFT JOIN area p ON p.id = a.parent_id
                """)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as String, $0[1] as String) })
        }
    }

    /// Every stored area as `code|name|level|local_kind|parent|population…`, by code.
    func snapshot() throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT a.code || '|' || a.name || '|' || a.level || '|' || coalesce(a.local_kind, '') || '|'
                    || coalesce(p.code, '') || '|' || coalesce(a.population, '') || '|' || a.search_key
                FROM area a LEFT JOIN area p ON p.id = a.parent_id ORDER BY a.code
                """)
        }
    }
}

/// The rejection that `body` throws, or nil (and a recorded issue) when it does not throw one.
func rejection(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> ImportRejected? {
    #expect(throws: ImportRejected.self, sourceLocation: sourceLocation) { try body() }
}

@Suite("Importing and finding areas")
struct StoreAreasTests {
    let store: Store

    init() throws {
        store = try Store.inMemory()
    }

    // MARK: Importing

    @Test("imports rows in any order, children before their parents")
    func anyOrder() throws {
        let summary = try store.importAreas(text: areasHeader + """
            29089-07,Thôn 7,thôn,29089
            29089,Xã Đông Hòa,xã,837
            837,Huyện Thạnh Phú,huyện,83
            83,Tỉnh Bến Tre,province,

            """)
        #expect(summary == AreaImportSummary(added: 4))
        #expect(try store.parents() == ["83": "", "837": "83", "29089": "837", "29089-07": "29089"])
        let tree = try store.areaTree()
        let hamlet = try #require(tree.index(of: "29089-07"))
        #expect(tree.pathName(of: hamlet) == "Thôn 7 — Đông Hòa — Thạnh Phú — Bến Tre")
        #expect(tree.nodes[hamlet].localKind == "thôn")
        #expect(tree.nodes[hamlet].level == .hamlet)
    }

    @Test("stores the folded search key and the local kind word")
    func storedColumns() throws {
        try store.importAreas(text: "code,name,kind,parent_code,population\n52,Tỉnh Gia Lai,tỉnh,,1.010\n23938,Xã Ia Mơ,commune,52,\n")
        #expect(try store.snapshot() == [
            "23938|Xã Ia Mơ|commune||52||xa ia mo",
            "52|Tỉnh Gia Lai|province|tỉnh||1010|tinh gia lai",
        ])
    }

    @Test("attaches new rows to parents already in the workspace")
    func parentInWorkspace() throws {
        try store.importAreas(text: areasHeader + "52,Tỉnh Gia Lai,province,\n")
        let summary = try store.importAreas(text: areasHeader + "23938-01,Làng Ia,làng,23938\n23938,Xã Ia Mơ,commune,52\n", file: "ia_mo.csv")
        #expect(summary == AreaImportSummary(added: 2))
        #expect(try store.parents() == ["52": "", "23938": "52", "23938-01": "23938"])
    }

    @Test("refuses unknown parents, naming every line, and writes nothing")
    func unknownParent() throws {
        try store.importAreas(text: areasHeader + "52,Tỉnh Gia Lai,province,\n")
        let before = try store.snapshot()
        let error = rejection {
            try store.importAreas(text: areasHeader + "23938,Xã Ia Mơ,commune,52\n1,A,commune,99\n2,B,commune,052\n", file: "new.csv")
        }
        let advice = "is neither in this file nor in the workspace. Add a row for it (rows may come in any order) or fix the code."
        #expect(error == ImportRejected(file: "new.csv", problems: [
            Diagnostic(file: "new.csv", line: 3, column: "parent_code", "parent \"99\" \(advice)"),
            Diagnostic(file: "new.csv", line: 4, column: "parent_code", "parent \"052\" \(advice)"),
        ]))
        #expect(try store.snapshot() == before)
        #expect(try store.count("area") == 1)
    }

    @Test("refuses a cycle of parents, naming its lines, and writes nothing")
    func cycle() throws {
        let error = rejection {
            try store.importAreas(text: areasHeader + "r,Root,province,\na,A,commune,b\nb,B,commune,a\nc,C,hamlet,a\n")
        }
        #expect(error == ImportRejected(file: "areas.csv", problems: [
            Diagnostic(file: "areas.csv", line: 3, column: "parent_code",
                       "parents form a cycle: a → b → a (lines 3, 4). Fix a parent_code so that the chain ends at a root."),
        ]))
        #expect(try store.count("area") == 0)
    }

    @Test("reports each cycle once, whichever row leads into it")
    func cycleReachedFromOutside() throws {
        let error = rejection {
            try store.importAreas(text: areasHeader + "h,H,hamlet,x\nx,X,commune,y\ny,Y,district,z\nz,Z,province,x\np,P,province,\nq,Q,commune,q2\nq2,Q2,commune,q\n")
        }
        #expect(error?.problems.map(\.line) == [3, 7])
        #expect(error?.problems.map { $0.text.components(separatedBy: " (lines")[0] } == [
            "parents form a cycle: x → y → z → x", "parents form a cycle: q → q2 → q",
        ])
        #expect(error?.problems.first?.text.contains("(lines 3, 4, 5)") == true)
        #expect(try store.count("area") == 0)
    }

    @Test("refuses a move that would close a cycle through the workspace")
    func cycleThroughWorkspace() throws {
        try store.importAreas(text: areasHeader + "1,A,province,\n2,B,district,1\n3,C,commune,2\n")
        let before = try store.snapshot()
        let error = rejection { try store.importAreas(text: areasHeader + "1,A,province,3\n") }
        #expect(error?.problems.count == 1)
        #expect(error?.problems.first?.line == 2)
        #expect(error?.problems.first?.column == "parent_code")
        #expect(error?.problems.first?.text.hasPrefix("parents form a cycle: 1 → 3 → 2 → 1") == true)
        #expect(try store.snapshot() == before)
        #expect(try store.count("area_change") == 0)
    }

    @Test("writes nothing when a file is rejected, even rows that were valid")
    func allOrNothing() throws {
        try store.importAreas(text: areasHeader + "38,Tỉnh Thanh Hóa,province,\n404,Huyện Nông Cống,district,38\n")
        let before = try store.snapshot()
        // A rename, a new row and an unknown parent: none of them may land.
        #expect(throws: ImportRejected.self) {
            try store.importAreas(text: areasHeader + "404,Huyện Nông Cống Mới,district,38\n16279,Thị trấn Nông Cống,town,404\n16282,Xã Tân Phúc,commune,4040\n")
        }
        #expect(try store.count("area") == 2)
        #expect(try store.count("area_change") == 0)
        #expect(try store.snapshot() == before)
    }

    @Test("reports a second import of the same file as unchanged")
    func reimportIsUnchanged() throws {
        let text = "code,name,kind,parent_code,population\n38,Tỉnh Thanh Hóa,province,,\n404,Huyện Nông Cống,huyện,38,1.010\n16279,Thị trấn Nông Cống,thị trấn,404,\n"
        #expect(try store.importAreas(text: text) == AreaImportSummary(added: 3))
        let before = try store.snapshot()
        #expect(try store.importAreas(text: text) == AreaImportSummary(unchanged: 3))
        #expect(try store.snapshot() == before)
        #expect(try store.count("area_change") == 0)
    }

    @Test("updates renamed and moved areas, counting them and recording their history")
    func renameAndMove() throws {
        try store.importAreas(text: areasHeader + """
            38,Tỉnh Thanh Hóa,province,
            404,Huyện Nông Cống,district,38
            16309,Xã Tế Thắng,commune,404
            16282,Xã Tân Phúc,commune,404
            16279,Thị trấn Nông Cống,town,404

            """, on: Day(year: 2025, month: 1, day: 1)!)
        let summary = try store.importAreas(text: "code,name,kind,parent_code,population\n" + """
            38,Tỉnh Thanh Hóa,province,,
            404,Huyện Nông Cống,district,38,
            16309,Xã Thắng Lợi,commune,38,
            16282,Xã Tân Phúc,commune,38,
            16279,Thị trấn Nông Cống,town,404,1.010

            """)
        #expect(summary == AreaImportSummary(updated: 3, unchanged: 2, renamed: 1, moved: 2))
        #expect(try store.parents()["16309"] == "38")
        #expect(try store.parents()["16282"] == "38")
        let history = try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT a.code || ' ' || c.change || ' ' || c.day || ' ' || coalesce(c.old_name, '-') || ' ' || coalesce(p.code, '-')
                FROM area_change c JOIN area a ON a.id = c.area_id LEFT JOIN area p ON p.id = c.old_parent_id
                ORDER BY a.code, c.change
                """)
        }
        #expect(history == [
            "16282 move \(reformDay.number) - 404",
            "16309 move \(reformDay.number) - 404",
            "16309 rename \(reformDay.number) Xã Tế Thắng -",
        ])
        #expect(try store.findAreas("te thang").isEmpty)
        #expect(try store.findAreas("thang loi").map(\.code) == ["16309"])
    }

    @Test("updates the kind and local word of a known code")
    func kindChange() throws {
        try store.importAreas(text: areasHeader + "86,Tỉnh Vĩnh Long,province,\n29182,Thị trấn Thạnh Phú,thị trấn,86\n")
        let summary = try store.importAreas(text: areasHeader + "29182,Thị trấn Thạnh Phú,xã,86\n")
        #expect(summary == AreaImportSummary(updated: 1))
        #expect(try store.snapshot() == [
            "29182|Thị trấn Thạnh Phú|commune|xã|86||thi tran thanh phu",
            "86|Tỉnh Vĩnh Long|province||||tinh vinh long",
        ])
    }

    @Test("never deletes an area")
    func noDeletes() throws {
        try store.importAreas(text: areasHeader + "52,Tỉnh Gia Lai,province,\n23938,Xã Ia Mơ,commune,52\n")
        #expect(throws: StoreError.self) {
            try store.write { db in try db.execute(sql: "DELETE FROM area WHERE code = '23938'") }
        }
        #expect(throws: StoreError.self) {
            try store.write { db in try db.execute(sql: "DELETE FROM area") }
        }
        #expect(try store.count("area") == 2)
    }

    // MARK: Finding

    /// A small tree with the names the tests look for.
    func importSearchTree() throws {
        try store.importAreas(text: areasHeader + """
            52,Tỉnh Gia Lai,province,
            23938,Xã Ia Mơ,commune,52
            23941,Xã Ia Mơ Nông,commune,52
            38,Tỉnh Thanh Hóa,province,
            16279,Thị trấn Nông Cống,town,404
            404,Huyện Nông Cống,district,38
            86,Tỉnh Vĩnh Long,province,
            29182,Xã Thạnh Phú,commune,86
            29183,Xã Phú Thạnh,commune,86
            91,Tỉnh An Giang,province,
            31024,Xã Đông Hòa,commune,91
            31025,Xã Hoa An,commune,91
            31026,Xã Hòa An,commune,91
            31027,Xã Dong Tâm,commune,91

            """)
    }

    @Test("finds an area typed without accents, with its path")
    func findWithoutAccents() throws {
        try importSearchTree()
        let hits = try store.findAreas("ia mo")
        #expect(hits.first == AreaMatch(code: "23938", name: "Xã Ia Mơ", kind: .commune, path: "Xã Ia Mơ — Gia Lai", exactAccents: false))
        #expect(hits.map(\.code) == ["23938", "23941"])
    }

    @Test("finds names whatever the accents and case of the query", arguments: [
        ("thanh phu", ["29182", "29183"]),
        ("THẠNH PHÚ", ["29182", "29183"]),
        ("phu thanh", ["29183", "29182"]),
        ("phu", ["29182", "29183"]),
        ("nong cong", ["404", "16279"]),
        ("Nông Cống", ["404", "16279"]),
        ("nong", ["404", "16279", "23941"]),
        ("gia lai", ["52"]),
        ("hoa", ["31025", "38", "31024", "31026"]),
        ("xyz", []),
        ("a mo", []),
        ("", []),
        ("  ", []),
    ])
    func findAccentInsensitive(query: String, codes: [String]) throws {
        try importSearchTree()
        #expect(try store.findAreas(query).map(\.code) == codes)
    }

    @Test("finds a district before its town of the same name")
    func findLevels() throws {
        try importSearchTree()
        let hits = try store.findAreas("nong cong")
        #expect(hits.map(\.name) == ["Huyện Nông Cống", "Thị trấn Nông Cống"])
        #expect(hits.map(\.path) == ["Huyện Nông Cống — Thanh Hóa", "Thị trấn Nông Cống — Nông Cống — Thanh Hóa"])
        #expect(hits.map(\.kind) == [.district, .town])
    }

    @Test("finds the same areas for a query typed decomposed (NFD)", arguments: ["Ia Mơ", "Đông Hòa", "Nông Cống", "hòa"])
    func findNFD(query: String) throws {
        try importSearchTree()
        let nfd = query.decomposedStringWithCanonicalMapping
        try #require(Array(nfd.unicodeScalars) != Array(query.precomposedStringWithCanonicalMapping.unicodeScalars))
        let composed = try store.findAreas(query.precomposedStringWithCanonicalMapping)
        #expect(!composed.isEmpty)
        #expect(try store.findAreas(nfd) == composed)
    }

    @Test("lists names with the accents as typed first", arguments: ["hòa", "Hòa An", "hoà", "HOÀ AN"])
    func accentedFirst(query: String) throws {
        try importSearchTree()
        let hits = try store.findAreas(query).filter { $0.name.hasSuffix(" An") }
        #expect(hits.map(\.name) == ["Xã Hòa An", "Xã Hoa An"])
        #expect(hits.map(\.exactAccents) == [true, false])
    }

    @Test("lists the unaccented name first for an unaccented query")
    func unaccentedFirst() throws {
        try importSearchTree()
        let hits = try store.findAreas("hoa an")
        #expect(hits.map(\.name) == ["Xã Hoa An", "Xã Hòa An"])
        #expect(hits.map(\.exactAccents) == [true, false])
    }

    @Test("matches đ as d in either direction", arguments: [
        ("dong", ["31027", "31024"]),
        ("đông", ["31024", "31027"]),
        ("Đông Hòa", ["31024"]),
        ("dong hoa", ["31024"]),
    ])
    func dStroke(query: String, codes: [String]) throws {
        try importSearchTree()
        #expect(try store.findAreas(query).map(\.code) == codes)
    }

    @Test("finds an area by its exact code")
    func findByCode() throws {
        try importSearchTree()
        #expect(try store.findAreas("23938").map(\.name) == ["Xã Ia Mơ"])
        #expect(try store.findAreas(" 404 ").first?.name == "Huyện Nông Cống")
        #expect(try store.findAreas("2393").isEmpty)
    }

    @Test("returns at most the limit, best first")
    func limit() throws {
        try importSearchTree()
        #expect(try store.findAreas("xa", limit: 3).map(\.code) == ["23938", "23941", "29182"])
        #expect(try store.findAreas("xa").count == 8)
    }
}
