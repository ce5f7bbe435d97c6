/// The cells of consecutive lines of a text table, as UTF-8 bytes in one buffer, with each
/// cell's end and width and each column's widest cell.
///
/// A national coverage table has about a million cells: as `String`s (one array slot,
/// reference counts and a second pass to measure each) they cost more than the rest of the
/// report, so the cells are copied and measured once, here.
struct TableCells: Sendable {
    let columns: Int
    /// The column whose cells are indented.
    let indentColumn: Int
    private(set) var bytes: [UInt8] = []
    /// Where each cell ends in `bytes` (it starts where the previous one ends). 32 bits: a
    /// million cells' ends and widths stay small.
    private(set) var ends: [UInt32] = []
    /// Each cell's width in columns, its line's indent included.
    private(set) var widths: [UInt32] = []
    /// The widest cell of each column.
    private(set) var columnWidths: [Int]
    /// Each line's indent (spaces before its cell in `indentColumn`).
    private(set) var indents: [Int] = []
    /// The indent of the current line.
    private var indent = 0

    /// Room for `lines` lines of `columns` cells.
    init(columns: Int, lines: Int = 0, indentColumn: Int = 0) {
        self.columns = columns
        self.indentColumn = indentColumn
        columnWidths = Array(repeating: 0, count: columns)
        bytes.reserveCapacity(lines * columns * 12)
        ends.reserveCapacity(lines * columns)
        widths.reserveCapacity(lines * columns)
        indents.reserveCapacity(lines)
    }

    /// The number of complete lines.
    var lines: Int { ends.count / columns }

    /// Starts a line whose `indentColumn` cell is indented by `indent` spaces. Call it before
    /// the line's first cell.
    mutating func startLine(indent: Int) { self.indent = indent }

    /// Adds the next cell.
    mutating func add(_ text: String) {
        var text = text
        var width = text.withUTF8 { utf8 in
            bytes.append(contentsOf: utf8)
            return TableCells.width(utf8)
        }
        let column = ends.count % columns
        if column == 0 { indents.append(indent) }
        if column == indentColumn { width += indent }
        ends.append(UInt32(bytes.count))
        widths.append(UInt32(width))
        if width > columnWidths[column] { columnWidths[column] = width }
        if column == columns - 1 { indent = 0 }
    }

    /// A line's cells given at once.
    mutating func addLine(_ cells: [String], indent: Int = 0) {
        startLine(indent: indent)
        for cell in cells { add(cell) }
    }

    /// The lines as text: each cell padded to its column's width in `widths` (right or left as
    /// `rightAligned` says), two spaces between columns, trailing spaces trimmed, each line
    /// ending in a newline.
    ///
    /// Written through pointers into a buffer of the largest size the lines can take: a
    /// national table is 13 MB, written in two halves at once.
    func written(rightAligned: [Bool], widths columnWidths: [Int]) -> [UInt8] {
        let capacity = bytes.count + lines * (columnWidths.reduce(0, +) + 2 * columns + 1)
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            guard let out = buffer.baseAddress else { return }
            var p = 0
            bytes.withUnsafeBufferPointer { source in
            ends.withUnsafeBufferPointer { ends in
            widths.withUnsafeBufferPointer { widths in
            indents.withUnsafeBufferPointer { indents in
            rightAligned.withUnsafeBufferPointer { right in
            columnWidths.withUnsafeBufferPointer { columnWidths in
                func blank(_ n: Int) {
                    guard n > 0 else { return }
                    (out + p).initialize(repeating: 0x20, count: n)
                    p += n
                }
                var start = 0
                var cell = 0
                for line in 0..<lines {
                    let lineStart = p
                    for c in 0..<columns {
                        let end = Int(ends[cell])
                        let pad = columnWidths[c] - Int(widths[cell])
                        blank((c > 0 ? 2 : 0) + (right[c] ? pad : 0) + (c == indentColumn ? indents[line] : 0))
                        if end > start, let from = source.baseAddress {
                            (out + p).initialize(from: from + start, count: end - start)
                            p += end - start
                        }
                        if !right[c], c < columns - 1 { blank(pad) }
                        start = end
                        cell += 1
                    }
                    while p > lineStart, out[p - 1] == 0x20 { p -= 1 }
                    out[p] = 0x0A
                    p += 1
                }
            } } } } } }
            count = p
        }
    }

    /// Columns the text takes: Unicode scalars, less combining diacritics (U+0300–U+036F), which
    /// is the number of characters for the NFC text names are stored as.
    static func width(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var previous: UInt8 = 0
        for b in utf8 {
            if b & 0xC0 != 0x80 {
                count += 1
            } else if previous == 0xCC || (previous == 0xCD && b <= 0xAF) {
                count -= 1
            }
            previous = b
        }
        return count
    }

    /// The width of a string, as `width` counts it.
    static func width(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { width($0) }
    }
}
