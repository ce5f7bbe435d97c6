import Testing
@testable import OutreachKit

@Suite("Tables written in chunks")
struct ParallelTableTests {
    @Test("a table written in chunks on several threads equals the one-piece table", arguments: [1, 2, 3, 7])
    func chunksJoinExactly(parts: Int) {
        let columns = [TableColumn("MÃ"), TableColumn("TÊN"), TableColumn("GIÁ TRỊ", rightAligned: true), TableColumn("GHI CHÚ")]
        var rows: [[String]] = []
        for i in 0..<50 {
            rows.append(["\(1000 + i * 37)", String(repeating: "Thôn Đồng ", count: 1 + i % 4), "\(i * i * 91)", i % 5 == 0 ? "" : "quá"])
        }
        let indents = rows.indices.map { ($0 % 3) * 2 }
        var whole = CoverageText()
        whole.table(columns, rows.flatMap { $0 }, indents: indents, indentColumn: 1)
        var chunked = CoverageText()
        let pieces = split(0..<rows.count, into: parts)
        #expect(pieces.count == min(parts, rows.count))
        #expect(pieces.map(\.count).reduce(0, +) == rows.count)
        chunked.table(columns, chunks: pieces.map { r in
            var cells = TableCells(columns: columns.count, indentColumn: 1)
            for i in r { cells.addLine(rows[i], indent: indents[i]) }
            return cells
        })
        #expect(chunked.string == whole.string)
        // Without indents, the one-piece table is TextTable's.
        var plain = CoverageText()
        plain.table(columns, chunks: pieces.map { r in
            var cells = TableCells(columns: columns.count)
            for i in r { cells.addLine(rows[i]) }
            return cells
        })
        #expect(plain.string == TextTable.render(columns, rows))
    }

    @Test("parallelMap keeps the order of its results")
    func parallelMapOrder() {
        #expect(parallelMap(5) { $0 * $0 } == [0, 1, 4, 9, 16])
        #expect(parallelMap(0) { $0 }.isEmpty)
        #expect(split(0..<10, into: 3) == [0..<3, 3..<6, 6..<10])
    }

    @Test("numbers are grouped the same way whatever their size or sign", arguments: [
        (0, "0", "0"), (5, "5", "5"), (999, "999", "999"), (1000, "1.000", "1,000"), (-1010, "-1.010", "-1,010"),
        (92_495_940, "92.495.940", "92,495,940"), (Int.max, "9.223.372.036.854.775.807", "9,223,372,036,854,775,807"),
    ])
    func grouping(n: Int, vi: String, en: String) {
        #expect(Labels(.vi).count(n) == vi)
        #expect(Labels(.en).count(n) == en)
    }

    @Test("decimals and percentages round as before", arguments: [
        (0.9655, "96,6%", "96.6%"), (0.0, "0,0%", "0.0%"), (12.345, "1.234,5%", "1,234.5%"), (-0.0004, "0,0%", "0.0%"),
        (-0.126, "-12,6%", "-12.6%"), (0.00049, "0,0%", "0.0%"),
    ])
    func percentages(share: Double, vi: String, en: String) {
        #expect(Labels(.vi).percent(share) == vi)
        #expect(Labels(.en).percent(share) == en)
        #expect(Labels(.vi).decimal(share * 100) == String(vi.dropLast()))
    }
}
