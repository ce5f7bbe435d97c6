import Foundation
import GRDB
import Testing

/// A district with two communes and their hamlets.
private let leafletAreas = """
    code,name,kind,parent_code
    38,Tỉnh Thanh Hóa,province,
    404,Huyện Nông Cống,district,38
    16282,Xã Tân Phúc,commune,404
    16282-01,Thôn 1,hamlet,16282
    16282-02,Thôn 2,hamlet,16282
    16285,Xã Tân Thọ,commune,404
    16285-01,Thôn Đông,hamlet,16285

    """

@Suite("The leaflets commands, end to end")
struct LeafletsCLITests {
    /// A workspace `w.sqlite` holding the areas above.
    private func workspace() throws -> CLI {
        let cli = try CLI(lang: "en")
        #expect(try cli.run("init", "--db", "w.sqlite").status == 0)
        let file = try cli.write("areas.csv", leafletAreas)
        #expect(try cli.run("areas", "import", file, "--db", "w.sqlite").status == 0)
        return cli
    }

    @discardableResult
    private func run(_ cli: CLI, _ args: String...) throws -> CLI.Result {
        try cli.run(args + ["--db", "w.sqlite"])
    }

    @Test("receive and allocate print what was recorded and what is left on hand")
    func receiveAndAllocate() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let received = try run(cli, "leaflets", "receive", "--area", "404", "--quantity", "6.000",
                               "--batch", "in lần 1", "--date", "20/11/2026")
        #expect(received.status == 0)
        #expect(received.stderr.isEmpty)
        #expect(received.stdout == """
            Recorded: Huyện Nông Cống (404) received 6,000 leaflets on 20 Nov 2026, batch "in lần 1".
            On hand: Huyện Nông Cống (404) 6,000.

            """)
        let allocated = try run(cli, "leaflets", "allocate", "--from", "404", "--to", "16282", "--quantity", "2000",
                                "--date", "2026-11-21")
        #expect(allocated.status == 0)
        #expect(allocated.stdout == """
            Recorded: Huyện Nông Cống (404) passed 2,000 leaflets on to Xã Tân Phúc (16282) on 21 Nov 2026.
            On hand: Huyện Nông Cống (404) 4,000, Xã Tân Phúc (16282) 2,000.

            """)
        let hamlet = try run(cli, "leaflets", "allocate", "--from", "16282", "--to", "16282-01", "--quantity", "500",
                             "--date", "22/11/2026")
        #expect(hamlet.status == 0)
        #expect(hamlet.stdout.contains("On hand: Xã Tân Phúc (16282) 1,500, Thôn 1 (16282-01) 500."))
    }

    @Test("without --date or --as-of, the day is today")
    func today() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        // "Today" is the day in Vietnam (UTC+7), whatever the machine's zone: from 17:00 UTC on it
        // is already tomorrow there.
        var vietnam = Calendar(identifier: .gregorian)
        vietnam.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let c = vietnam.dateComponents([.year, .month, .day], from: Date())
        let today = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        let received = try run(cli, "leaflets", "receive", "--area", "16285", "--quantity", "40")
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][c.month! - 1]
        #expect(received.stdout.hasPrefix("Recorded: Xã Tân Thọ (16285) received 40 leaflets on \(c.day!) \(month) \(c.year!).\n"))
        let stock = try run(cli, "leaflets", "stock", "--format", "csv")
        #expect(stock.stdout.contains("\n16285,Xã Tân Thọ,commune,404,2,40,0,0,40,\n"))
        let json = try run(cli, "leaflets", "stock", "--format", "json")
        #expect(json.stdout.contains("\"asOf\" : \"\(today)\""))
    }

    @Test("the stock lists each unit's own stock in tree order, with the total line")
    func stockTable() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        try run(cli, "leaflets", "receive", "--area", "404", "--quantity", "6000", "--date", "2026-11-01")
        try run(cli, "leaflets", "allocate", "--from", "404", "--to", "16282", "--quantity", "2000", "--date", "2026-11-02")
        try run(cli, "leaflets", "allocate", "--from", "16282", "--to", "16282-02", "--quantity", "700", "--date", "2026-11-03")
        try run(cli, "leaflets", "receive", "--area", "404", "--quantity", "1000", "--date", "2026-12-05")
        let stock = try run(cli, "leaflets", "stock", "--as-of", "30/11/2026")
        #expect(stock.status == 0)
        #expect(stock.stdout == """
            Leaflet stock as of 30 Nov 2026
            CODE      NAME                           KIND      RECEIVED  PASSED ON  HANDED OUT  ON HAND  FLAG
            38        Tỉnh Thanh Hóa                 province         0          0           0        0
            404         Huyện Nông Cống              district     6,000      2,000           0    4,000
            16282         Xã Tân Phúc                commune      2,000        700           0    1,300
            16282-02        Thôn 2                   hamlet         700          0           0      700
                      Total (received from outside)               6,000                      0    6,000

            """)
        let later = try run(cli, "leaflets", "stock", "--as-of", "2026-12-31", "--format", "csv")
        #expect(later.stdout.contains("\n404,Huyện Nông Cống,district,38,1,7000,2000,0,5000,\n"))
        #expect(later.stdout.hasSuffix("\n,Total (received from outside),,,,7000,,0,7000,\n"))
        let under = try run(cli, "leaflets", "stock", "--under", "16282", "--as-of", "2026-11-30", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(under.stdout.utf8)) as? [String: Any]
        let rows = object?["rows"] as? [[String: Any]]
        #expect(rows?.map { $0["code"] as? String } == ["16282", "16282-02"])
        #expect((object?["total"] as? [String: Any])?["receivedFromOutside"] as? Int == 2000)
        let empty = try run(cli, "leaflets", "stock", "--under", "16285", "--as-of", "2026-11-30")
        #expect(empty.stdout.contains("No leaflets received, passed on or handed out under 16285 up to 30 Nov 2026."))
    }

    @Test("allocating up or across the tree is an error that says so; nothing is recorded")
    func notBelow() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        try run(cli, "leaflets", "receive", "--area", "16282", "--quantity", "1000", "--date", "2026-11-01")
        for to in ["404", "16285-01"] {
            let result = try run(cli, "leaflets", "allocate", "--from", "16282", "--to", to, "--quantity", "10",
                                 "--date", "2026-11-02")
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("error: "))
            #expect(result.stderr.contains("(\(to)) is not below Xã Tân Phúc (16282) in the area tree."))
        }
        let stock = try run(cli, "leaflets", "stock", "--as-of", "2026-11-30", "--format", "csv")
        #expect(stock.stdout.contains("\n16282,Xã Tân Phúc,commune,404,2,1000,0,0,1000,\n"))
    }

    @Test("allocating more than is on hand is refused unless --allow-negative, which warns and is flagged")
    func moreThanOnHand() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        try run(cli, "leaflets", "receive", "--area", "404", "--quantity", "6000", "--date", "2026-11-01")
        let refused = try run(cli, "leaflets", "allocate", "--from", "404", "--to", "16285", "--quantity", "6500",
                              "--date", "2026-11-02")
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr == "error: Huyện Nông Cống (404) has 6,000 leaflets on hand on 2 Nov 2026, not enough to pass on 6,500. Record what it received first (`outreach leaflets receive`, or `outreach leaflets allocate` from the unit above), allocate at most 6,000, or add --allow-negative to record it anyway (`outreach leaflets stock` will flag the unit as over).\n")
        let before = try run(cli, "leaflets", "stock", "--as-of", "2026-11-30", "--format", "csv")
        #expect(!before.stdout.contains("16285"))

        let forced = try run(cli, "leaflets", "allocate", "--from", "404", "--to", "16285", "--quantity", "6500",
                             "--date", "2026-11-02", "--allow-negative")
        #expect(forced.status == 0)
        #expect(forced.stderr == "warning: Huyện Nông Cống (404) passed on more leaflets than it has: -500 on hand on 2 Nov 2026. `outreach leaflets stock` flags it as over until its receipt is recorded.\n")
        #expect(forced.stdout.contains("On hand: Huyện Nông Cống (404) -500, Xã Tân Thọ (16285) 6,500."))
        let after = try run(cli, "leaflets", "stock", "--as-of", "2026-11-30")
        #expect(after.stdout.contains("404      Huyện Nông Cống              district     6,000      6,500           0     -500  over\n"))
        #expect(after.stdout.contains("\nOver: 1 unit handed out or passed on more leaflets than it received:\n  Huyện Nông Cống (404): 500 more than received (received 6,000, passed on 6,500, handed out 0).\n"))
    }

    @Test("bad dates, quantities and codes name what is wrong and what to do", arguments: [
        (["leaflets", "receive", "--area", "404", "--quantity", "10", "--date", "31/02/2026"],
         "error: --date \"31/02/2026\": month 2 of 2026 has only 28 days. Write a date such as 2026-11-20 or 20/11/2026.\n"),
        (["leaflets", "stock", "--as-of", "2026-13-01"],
         "error: --as-of \"2026-13-01\": there is no month 13; months go from 1 to 12. Write a date such as 2026-11-20 or 20/11/2026.\n"),
        (["leaflets", "receive", "--area", "404", "--quantity", "0"],
         "error: --quantity must be at least 1 leaflet, not \"0\". Write the number of leaflets, such as 6000 or 6.000.\n"),
        (["leaflets", "receive", "--area", "404", "--quantity=-5"],
         "error: --quantity must be at least 1 leaflet, not \"-5\". Write the number of leaflets, such as 6000 or 6.000.\n"),
        (["leaflets", "receive", "--area", "404", "--quantity", "1.5"],
         "error: --quantity \"1.5\" is not a whole number of leaflets. Write a number such as 6000 or 6.000.\n"),
        (["leaflets", "receive", "--area", "999", "--quantity", "10"],
         "error: there is no area with code \"999\". Look it up with `outreach areas find NAME`, or import it with `outreach areas import`.\n"),
        (["leaflets", "allocate", "--from", "404", "--to", "404", "--quantity", "10"],
         "error: cannot allocate leaflets from Huyện Nông Cống (404) to itself. Name a unit below it with --to (`outreach areas list --under 404` lists them).\n"),
        (["leaflets", "stock", "--under", "999"],
         "error: there is no area with code \"999\". Look it up with `outreach areas find NAME`, or import it with `outreach areas import`.\n"),
    ])
    func badArguments(args: [String], stderr: String) throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        let result = try cli.run(args + ["--db", "w.sqlite"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == stderr)
        #expect(try cli.integer("w.sqlite", "SELECT count(*) FROM leaflet_move") == 0)
    }

    @Test("a hamlet that handed out leaflets in a session but never received any is flagged over")
    func sessionWithoutLeaflets() throws {
        let cli = try workspace()
        defer { cli.cleanUp() }
        try run(cli, "leaflets", "receive", "--area", "404", "--quantity", "6000", "--date", "2026-11-01")
        try run(cli, "leaflets", "allocate", "--from", "404", "--to", "16282-01", "--quantity", "300", "--date", "2026-11-02")
        // A session in Thôn Đông (16285-01) with 120 leaflets, and its monthly total, as `outreach log` stores them.
        let day = 20_777  // 2026-11-20
        let month = (2026 - 1970) * 12 + 10
        let area = try cli.integer("w.sqlite", "SELECT id FROM area WHERE code = '16285-01'")
        try cli.execute("w.sqlite", "INSERT INTO session (uuid, day, area_id, leaflets, people_reached) VALUES (\(CLI.randomBytes16), \(day), \(area), 120, 80)")
        // PostgreSQL's statement trigger keeps the monthly total; on SQLite `outreach log` writes it.
        if TestEngine.isSQLite {
            try cli.execute("w.sqlite", "INSERT INTO area_month (area_id, month, sessions, leaflets, people_reached, last_day) VALUES (\(area), \(month), 1, 120, 80, \(day))")
        }
        let stock = try run(cli, "leaflets", "stock", "--as-of", "2026-11-30")
        #expect(stock.status == 0)
        #expect(stock.stdout == """
            Leaflet stock as of 30 Nov 2026
            CODE      NAME                           KIND      RECEIVED  PASSED ON  HANDED OUT  ON HAND  FLAG
            38        Tỉnh Thanh Hóa                 province         0          0           0        0
            404         Huyện Nông Cống              district     6,000        300           0    5,700
            16282         Xã Tân Phúc                commune          0          0           0        0
            16282-01        Thôn 1                   hamlet         300          0           0      300
            16285         Xã Tân Thọ                 commune          0          0           0        0
            16285-01        Thôn Đông                hamlet           0          0         120     -120  over
                      Total (received from outside)               6,000                    120    5,880

            Over: 1 unit handed out or passed on more leaflets than it received:
              Thôn Đông (16285-01): 120 more than received (received 0, passed on 0, handed out 120).
            Record what they received (`outreach leaflets receive`, or `outreach leaflets allocate --from UNIT_ABOVE --to CODE`), or check the leaflet counts of their sessions.

            """)
        let before = try run(cli, "leaflets", "stock", "--as-of", "2026-11-19", "--format", "csv")
        #expect(!before.stdout.contains("16285-01"))
    }
}
