import PostgresNIO

// Reading a result's cells straight from their bytes: the tree, the totals and the bundles read
// hundreds of thousands of them, and postgres-nio's generic `decode` costs more per cell than
// the rest of the work. One reader for every part of the PostgreSQL engine.
extension PostgresCell {
    /// An integer column (int2, int4, int8) in either format; nil for NULL.
    var int: Int? {
        guard var b = bytes else { return nil }
        if format == .binary {
            switch b.readableBytes {
            case 8: return b.readInteger(as: Int64.self).map(Int.init)
            case 4: return b.readInteger(as: Int32.self).map(Int.init)
            case 2: return b.readInteger(as: Int16.self).map(Int.init)
            default: return nil
            }
        }
        return b.readString(length: b.readableBytes).flatMap { Int($0) }
    }

    /// A text column (UTF-8 in either format); nil for NULL.
    var text: String? { bytes.map { String(buffer: $0) } }

    /// A bytea column's bytes; nil for NULL.
    var blob: [UInt8]? { bytes.map { Array($0.readableBytesView) } }
}
