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

/// Writes CSV text: fields quoted only when they hold the delimiter, a quote or a line break.
public enum CSVWriter {
    /// One record, ending in `\n`.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\n"
    }

    /// A whole table: header then rows.
    public static func render(header: [String], rows: [[String]]) -> String {
        var out = line(header)
        for row in rows { out += line(row) }
        return out
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
