import Foundation

/// How a listing or report is printed.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns for people.
    case table
    /// RFC 4180 CSV with a header line (ISO dates, `.` decimals).
    case csv
    /// JSON with sorted keys.
    case json
}

/// A column of a text table.
public struct TableColumn: Sendable {
    public var title: String
    public var rightAligned: Bool

    public init(_ title: String, rightAligned: Bool = false) {
        self.title = title
        self.rightAligned = rightAligned
    }
}

/// Renders rows of cells as aligned text columns (two spaces apart).
public enum TextTable {
    /// The table as text, one line per row, ending in a newline.
    public static func render(_ columns: [TableColumn], _ rows: [[String]]) -> String {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        func line(_ cells: [String]) {
            var text = ""
            for (i, column) in columns.enumerated() {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                let last = i == columns.count - 1
                if i > 0 { text += "  " }
                text += column.rightAligned ? pad + cell : (last ? cell : cell + pad)
            }
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
        }
        line(columns.map(\.title))
        for row in rows { line(row) }
        return out
    }
}

/// Writes CSV text: fields quoted only when they hold the delimiter, a quote or a line break,
/// and neutralised when a spreadsheet would read them as a formula.
public enum CSVWriter {
    /// One record, ending in `\n`.
    public static func line(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        record(fields, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A whole table: header then rows.
    public static func render(header: [String], rows: [[String]]) -> String {
        var bytes: [UInt8] = []
        record(header, into: &bytes)
        for row in rows { record(row, into: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one record, ending in `\n`, to `bytes`.
    static func record(_ fields: [String], into bytes: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            append(field, to: &bytes)
        }
        bytes.append(0x0A)
    }

    /// Appends one cell: the one place that writes a CSV cell.
    ///
    /// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to a
    /// spreadsheet (`=HYPERLINK(…)` opens a link, `=cmd|…` runs a program): it is written with a
    /// `'` in front (OWASP's advice), which a spreadsheet shows as text. A plain negative number
    /// (`-12`, `-0.5`) is not a formula and stays as it is. Cells holding `,`, `;`, `"` or a line
    /// break are quoted, `"` doubled.
    static func append(_ field: String, to bytes: inout [UInt8]) {
        let utf8 = field.utf8
        let formula = utf8.first.map(isFormulaStart) == true && !isNegativeNumber(utf8)
        let quoted = utf8.contains(where: needsQuotes)
        if quoted { bytes.append(0x22) }
        if formula { bytes.append(0x27) }
        if quoted {
            for b in utf8 {
                if b == 0x22 { bytes.append(0x22) }
                bytes.append(b)
            }
            bytes.append(0x22)
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    /// `,` `;` `"` or a line break.
    @inline(__always)
    private static func needsQuotes(_ b: UInt8) -> Bool {
        b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D || b == 0x3B
    }

    @inline(__always)
    private static func isFormulaStart(_ b: UInt8) -> Bool {
        b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D
    }

    /// `-` then digits, with at most one `.` between digits.
    private static func isNegativeNumber(_ utf8: String.UTF8View) -> Bool {
        var digits = 0, dot = false, last: UInt8 = 0
        for (i, b) in utf8.enumerated() {
            if i == 0 { guard b == 0x2D else { return false }; last = b; continue }
            if b >= 0x30 && b <= 0x39 { digits += 1 } else if b == 0x2E && !dot && last != 0x2D { dot = true } else { return false }
            last = b
        }
        return digits > 0 && last != 0x2E
    }
}

/// JSON as the product prints it: sorted keys, pretty, ending in a newline.
public enum JSONOutput {
    public static func render<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
