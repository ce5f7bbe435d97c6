import Foundation

/// Where areas' denominators come from (`source`, `as_of` in areas files), kept beside the areas:
/// a file with the columns sets them, a file without leaves them as they were. Written once for
/// both engines.
enum ProvenanceSQL {
    static let table = """
        CREATE TABLE area_source (
            area_id INTEGER PRIMARY KEY REFERENCES area(id),
            source TEXT,
            as_of INTEGER
        )
        """
    static let pgTable = table.replacingOccurrences(of: "INTEGER PRIMARY KEY", with: "BIGINT PRIMARY KEY")
    static let upsert = """
        INSERT INTO area_source (area_id, source, as_of) VALUES ((SELECT id FROM area WHERE code = $1), $2, $3)
        ON CONFLICT (area_id) DO UPDATE SET source = excluded.source, as_of = excluded.as_of
        """
    static let list = "SELECT area_id, source, as_of FROM area_source"

    static func values(_ row: AreaRow) -> [ClosingSQL.Value]? {
        guard let s = row.source else { return nil }
        return [.text(row.code), .text(s.source), .int(s.asOf.map { Int64($0.number) })]
    }
}
