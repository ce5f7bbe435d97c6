import Foundation
import OutreachKit

/// Benchmarks of the product's hot paths, run whole-process by Benchmarks/run.sh.
///
///   OutreachBench csv FILE            parse a CSV file, touching every field (no SQLite)
///   OutreachBench areas FILE DB       import an areas file into a new workspace DB
///   OutreachBench tree DB             load the area tree 5 times, print each time in ms
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
    default:
        fail("usage: OutreachBench csv|areas|tree …")
    }
} catch let error as UserFacingError {
    fail(error.message)
}
