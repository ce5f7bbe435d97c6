import Foundation
import OutreachKit

/// Benchmarks of the product's hot paths, run whole-process by Benchmarks/run.sh.
///
///   OutreachBench csv FILE            parse a CSV file, touching every field (no SQLite)
///   OutreachBench areas FILE DB       import an areas file into a new workspace DB
///   OutreachBench tree DB             load the area tree 5 times, print each time in ms
///   OutreachBench coverage DB DIR ID [AS_OF] [UNDER]
///                                     the steps of `outreach coverage`, each timed in ms
let args = CommandLine.arguments.dropFirst()

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data((text + "\n").utf8))
    exit(2)
}

do {
    switch args.first {
    case "csv":
        guard args.count == 2 else { fail("usage: OutreachBench csv FILE") }
        let reader = try CSVReader(path: args[args.startIndex + 1])
        var records = 0, fields = 0, bytes = 0
        try reader.forEachRecord { r in
            records += 1
            fields += r.count
            for i in 0..<r.count { bytes &+= r.bytes(i).count }
        }
        print("records \(records) fields \(fields) bytes \(bytes)")
    case "areas":
        guard args.count == 3 else { fail("usage: OutreachBench areas FILE DB") }
        let file = args[args.startIndex + 1]
        let store = try Store.open(path: args[args.startIndex + 2], create: true)
        let rows = try AreaFile.read(try CSVReader(path: file))
        let s = try store.importAreas(rows, file: file, on: Day(number: 20_000))
        print("areas added \(s.added) updated \(s.updated)")
    case "tree":
        guard args.count == 2 else { fail("usage: OutreachBench tree DB") }
        let store = try Store.open(path: args[args.startIndex + 1])
        for _ in 0..<5 {
            let t0 = Date()
            let tree = try store.areaTree()
            print("tree of \(tree.nodes.count) areas: \(Int(Date().timeIntervalSince(t0) * 1000)) ms")
        }
    case "coverage":
        guard (4...6).contains(args.count) else { fail("usage: OutreachBench coverage DB CAMPAIGNS ID [AS_OF] [UNDER]") }
        let a = Array(args)
        var t = Date()
        func lap(_ what: String) {
            FileHandle.standardError.write(Data("\(what): \(Int(Date().timeIntervalSince(t) * 1000)) ms\n".utf8))
            t = Date()
        }
        let catalog = CampaignCatalog(directory: a[2])
        let campaign = try catalog.campaign(a[3])
        let asOf = a.count > 4 ? Day(parsing: a[4])! : Day(number: 20_600)
        let under = a.count > 5 ? a[5] : nil
        lap("campaign")
        let store = try await Workspaces.open(a[1])
        lap("open")
        let report = try await store.coverageReport(campaign: campaign, options: .init(
            asOf: asOf, indicator: nil, under: under, level: nil, behindOnly: false, sort: .tree))
        lap("tree, totals and report (\(report.rows.count) rows)")
        let bytes = try report.renderedBytes(as: .table, labels: Labels(.vi))
        lap("render (\(bytes.count) bytes)")
        FileHandle.standardOutput.write(Data(bytes))
        lap("write")
    default:
        fail("usage: OutreachBench csv|areas|tree|coverage …")
    }
} catch let error as UserFacingError {
    fail(error.message)
}
