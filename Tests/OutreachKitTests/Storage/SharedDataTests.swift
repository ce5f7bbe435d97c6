import Foundation
import GRDB
import Testing
@testable import OutreachKit

/// `Resources/areas` of the package, found from this file's path.
let areasFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent() // Storage
    .deletingLastPathComponent() // OutreachKitTests
    .deletingLastPathComponent() // Tests
    .deletingLastPathComponent() // package root
    .appendingPathComponent("Resources/areas")

/// What each shipped file must import as.
struct SharedFile: Sendable, CustomTestStringConvertible {
    var name: String
    var rows: Int
    var roots: Int
    var communeLevel: Int
    /// Children of each district, by district code.
    var districts: [String: Int]

    var path: String { areasFolder.appendingPathComponent(name).path }
    var testDescription: String { name }

    static let all = [
        SharedFile(name: "nong_cong.csv", rows: 31, roots: 1, communeLevel: 29, districts: ["404": 29]),
        SharedFile(name: "thanh_phu.csv", rows: 20, roots: 1, communeLevel: 18, districts: ["837": 18]),
        SharedFile(name: "thanh_ba.csv", rows: 21, roots: 1, communeLevel: 19, districts: ["232": 19]),
        SharedFile(name: "cang_long.csv", rows: 16, roots: 1, communeLevel: 14, districts: ["844": 14]),
        SharedFile(name: "vn_units_2025.csv", rows: 3_355, roots: 34, communeLevel: 3_321, districts: [:]),
    ]
}

extension Store {
    /// Imports the areas file at `path`, named `name` in messages.
    @discardableResult
    func importAreas(path: String, name: String) throws -> AreaImportSummary {
        try importAreas(AreaFile.read(CSVReader(path: path, name: name)), file: name, on: reformDay)
    }

    /// The whole tree as `areas list --format csv` prints it.
    func listing() throws -> String {
        try AreaListing(tree: areaTree(), start: nil, maxDepth: nil).rendered(as: .csv, labels: Labels(.en))
    }
}

@Suite("Importing the shipped administrative data")
struct SharedDataTests {
    @Test("ships exactly the files these tests know")
    func everyFileIsKnown() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: areasFolder.path).filter { $0.hasSuffix(".csv") }
        #expect(Set(names) == Set(SharedFile.all.map(\.name)))
    }

    @Test("imports each file into an empty workspace", arguments: SharedFile.all)
    func importsAlone(file: SharedFile) throws {
        let store = try Store.inMemory()
        let summary = try store.importAreas(path: file.path, name: file.name)
        #expect(summary == AreaImportSummary(added: file.rows))
        #expect(try store.count("area") == file.rows)
        let tree = try store.areaTree()
        #expect(tree.nodes.count == file.rows)
        #expect(tree.roots.count == file.roots)
        #expect(tree.roots.allSatisfy { tree.nodes[$0].level == .province })
        #expect(tree.nodes.filter(\.level.isCommuneLevel).count == file.communeLevel)
        let districts = tree.nodes.indices.filter { tree.nodes[$0].level == .district }
        #expect(Dictionary(uniqueKeysWithValues: districts.map { (tree.nodes[$0].code, tree.children[$0].count) }) == file.districts)
        // Every commune-level unit hangs from a district when there is one, else from its province.
        for i in tree.nodes.indices where tree.nodes[i].level.isCommuneLevel {
            let parent = try #require(tree.nodes[i].parent)
            #expect(tree.nodes[parent].level == (file.districts.isEmpty ? .province : .district), "\(tree.nodes[i].code)")
        }
        #expect(try store.importAreas(path: file.path, name: file.name) == AreaImportSummary(unchanged: file.rows))
    }

    @Test("imports the 2025 units with their kinds and finds Xã Ia Mơ in Gia Lai")
    func units2025() throws {
        let store = try Store.inMemory()
        let file = SharedFile.all.last!
        try store.importAreas(path: file.path, name: file.name)
        let levels = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT level, count(*) FROM area GROUP BY level ORDER BY level")
                .map { "\($0[0] as String) \($0[1] as Int)" }
        }
        #expect(levels == ["commune 2621", "province 34", "special_zone 13", "ward 687"])
        let hit = try #require(try store.findAreas("ia mo").first)
        #expect(hit == AreaMatch(code: "23938", name: "Xã Ia Mơ", kind: .commune, path: "Xã Ia Mơ — Gia Lai", exactAccents: false))
        #expect(try store.findAreas("thanh phu").filter { $0.name == "Xã Thạnh Phú" }.map(\.code) == ["28444", "29182", "31249"])
        #expect(try store.findAreas("01").map(\.name) == ["Thành phố Hà Nội"])
    }

    @Test("records the renames and moves when the 2025 units replace an old district")
    func reformOverOldDistrict() throws {
        let store = try Store.inMemory()
        try store.importAreas(path: SharedFile.all[1].path, name: "thanh_phu.csv")
        let summary = try store.importAreas(path: SharedFile.all[4].path, name: "vn_units_2025.csv")
        #expect(summary.added + summary.updated + summary.unchanged == 3_355)
        #expect(summary.renamed >= 1)
        #expect(summary.moved >= 1)
        let history = try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT c.change || ' ' || coalesce(c.old_name, '') || coalesce(p.code, '')
                FROM area_change c JOIN area a ON a.id = c.area_id LEFT JOIN area p ON p.id = c.old_parent_id
                WHERE a.code = '29182' ORDER BY c.change
                """)
        }
        #expect(history == ["move 837", "rename Thị trấn Thạnh Phú"])
        let tree = try store.areaTree()
        let i = try #require(tree.index(of: "29182"))
        #expect(tree.pathName(of: i) == "Xã Thạnh Phú — Vĩnh Long")
    }

    @Test("imports the Nông Cống file saved by a spreadsheet (semicolons, BOM, CRLF) to the same tree",
          arguments: [64, 1 << 20])
    func spreadsheetCopy(chunkSize: Int) throws {
        let original = SharedFile.all[0]
        var copy: [UInt8] = [0xEF, 0xBB, 0xBF]
        let reader = try CSVReader(path: original.path)
        copy += Array((reader.header.joined(separator: ";") + "\r\n").utf8)
        try reader.forEachRecord { r in
            let fields = (0..<r.count).map { i -> String in
                let text = r.string(i) ?? ""
                return text.contains(where: { $0 == ";" || $0 == "\"" || $0.isNewline })
                    ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            }
            copy += Array((fields.joined(separator: ";") + "\r\n").utf8)
        }
        #expect(copy.filter { $0 == UInt8(ascii: ";") }.count >= 3 * original.rows)
        #expect(!copy.contains(UInt8(ascii: ",")))
        let file = try TemporaryFile(copy)
        defer { file.remove() }

        let fromOriginal = try Store.inMemory()
        try fromOriginal.importAreas(path: original.path, name: original.name)
        let fromSpreadsheet = try Store.inMemory()
        let rows = try AreaFile.read(CSVReader(path: file.path, name: "nong_cong_excel.csv", chunkSize: chunkSize))
        #expect(try fromSpreadsheet.importAreas(rows, file: "nong_cong_excel.csv", on: reformDay) == AreaImportSummary(added: 31))
        let listing = try fromOriginal.listing()
        #expect(listing.hasPrefix("code,name,kind,parent_code,depth,children,population,adults,working_age,households\n38,Tỉnh Thanh Hóa,province,,1,1,"))
        #expect(listing.split(separator: "\n").count == 32)
        #expect(try fromSpreadsheet.listing() == listing)
    }
}
