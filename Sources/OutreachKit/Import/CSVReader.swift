#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A streaming RFC 4180 reader shared by every import.
///
/// It reads a file in chunks of fixed size (the memory used does not grow with the file, only
/// with the longest record), accepts UTF-8 with or without a byte-order mark, CRLF or LF line
/// ends, detects the delimiter (`,`, `;` or tab) from the header line and keeps physical line
/// numbers for diagnostics. Records are handed out as byte ranges into its buffer, so the hot
/// path of an import never creates a `String` it does not need.
public final class CSVReader {
    /// The name used in diagnostics (usually the path as the user typed it).
    public let name: String
    /// The delimiter found on the header line.
    public let delimiter: UInt8
    /// Header names, trimmed, NFC and lower-cased (header names are case-insensitive).
    public let header: [String]
    /// The physical line of the header (1, unless blank lines precede it).
    public let headerLine: Int
    /// Size of the file in bytes, when known; for progress reports.
    public let totalBytes: Int64?

    private var scanner: Scanner

    /// Opens `path` and reads its header line.
    public init(path: String, name: String? = nil, chunkSize: Int = 1 << 20) throws {
        let display = name ?? path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CSVError.cannotOpen(file: display, reason: FileProblem(errno: errno))
        }
        var info = stat()
        var size: Int64? = nil
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw CSVError.cannotOpen(file: display, reason: .isFolder)
            }
            size = Int64(info.st_size)
        }
        self.name = display
        self.totalBytes = size
        var s = Scanner(fd: fd, capacity: max(chunkSize, 64), bytes: nil)
        (delimiter, header, headerLine) = try CSVReader.readHeader(&s, name: display)
        scanner = s
    }

    /// Reads CSV text already in memory (tests, and campaign files that name CSV tables).
    public init(bytes: [UInt8], name: String) throws {
        self.name = name
        self.totalBytes = Int64(bytes.count)
        var s = Scanner(fd: -1, capacity: max(bytes.count, 64), bytes: bytes)
        (delimiter, header, headerLine) = try CSVReader.readHeader(&s, name: name)
        scanner = s
    }

    deinit { scanner.release() }

    /// Calls `body` with every data record, in file order. Blank lines and rows whose cells are
    /// all empty (spreadsheets write `;;;;` for them) are skipped.
    ///
    /// A record is valid only during the call: its fields point into the reader's buffer.
    public func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
        var s = scanner
        defer { scanner = s }
        while let record = try s.next(name: name) {
            try body(record)
        }
    }

    /// Bytes of the file consumed so far.
    public var bytesRead: Int64 { scanner.consumed + Int64(scanner.start) }

    private static func readHeader(_ s: inout Scanner, name: String) throws -> (UInt8, [String], Int) {
        try s.fill(minimum: 64)
        if let bigEndian = UTF16Sniffer.byteOrder(UnsafeBufferPointer(start: s.buf + s.start, count: min(s.end - s.start, 64))) {
            throw CSVError.utf16(file: name, bigEndian: bigEndian)
        }
        if s.end - s.start >= 3, s.buf[s.start] == 0xEF, s.buf[s.start + 1] == 0xBB, s.buf[s.start + 2] == 0xBF {
            s.start += 3
        }
        s.delimiter = try s.detectDelimiter()
        guard let record = try s.next(name: name) else { throw CSVError.empty(file: name) }
        var names: [String] = []
        for i in 0..<record.count {
            guard let text = record.string(i) else {
                throw CSVError.invalidUTF8(file: name, line: record.line, column: i + 1)
            }
            names.append(TextFolding.normalizedName(text).lowercased())
        }
        return (s.delimiter, names, record.line)
    }
}

/// One record of a CSV file: fields as byte ranges into the reader's buffer.
public struct CSVRecord {
    /// Physical line (1-based) on which the record starts.
    public let line: Int
    /// Number of fields.
    public let count: Int
    /// Byte offset of the record in the file, for progress reports.
    public let offset: Int64
    let base: UnsafeMutablePointer<UInt8>
    let starts: UnsafeMutablePointer<Int>
    let ends: UnsafeMutablePointer<Int>
    let lines: UnsafeMutablePointer<Int>

    /// The bytes of field `i` (0-based), quotes removed; empty past the last field.
    @inline(__always)
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard i < count else { return UnsafeBufferPointer(start: base, count: 0) }
        return UnsafeBufferPointer(start: base + starts[i], count: ends[i] - starts[i])
    }

    /// Field `i` as a string, or nil when it is not valid UTF-8. Empty past the last field.
    public func string(_ i: Int) -> String? {
        String(validating: bytes(i), as: UTF8.self)
    }

    /// The physical line on which field `i` starts (differs from `line` after a quoted line break).
    public func line(ofField i: Int) -> Int { i < count ? lines[i] : line }

    /// Whether field `i` is empty or white space only.
    public func isBlank(_ i: Int) -> Bool {
        for b in bytes(i) where b != 0x20 && b != 0x09 { return false }
        return true
    }
}

/// Problems with the shape of a CSV file, found before any row is looked at.
public enum CSVError: Error, Equatable, Sendable, UserFacingError {
    /// The file cannot be opened or read, for `reason`.
    case cannotOpen(file: String, reason: FileProblem)
    case empty(file: String)
    /// UTF-16 text (two bytes a character), recognised by its byte-order mark or, without one,
    /// by the zero bytes of its ASCII characters; `bigEndian` tells the two byte orders apart.
    case utf16(file: String, bigEndian: Bool)
    /// A cell whose bytes are not UTF-8 (Windows-1258, TCVN3 or Latin-1 text): the first one found.
    case invalidUTF8(file: String, line: Int, column: Int)
    /// A cell holding a NUL byte (character 0), which would cut the text short where it is stored.
    case nulByte(file: String, line: Int, column: Int)
    case unterminatedQuote(file: String, line: Int, column: Int)
    case textAfterQuote(file: String, line: Int, column: Int)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String {
        switch self {
        case let .cannotOpen(file, reason):
            labels("diagnostic.cannot_read", ["file": file, "reason": reason.text(labels)])
        case let .empty(file):
            labels("csv.error.empty", ["file": file])
        case let .utf16(file, bigEndian):
            labels("csv.error.utf16", ["file": file, "variant": bigEndian ? "UTF-16 BE" : "UTF-16 LE"])
        case let .invalidUTF8(file, line, column):
            labels("csv.error.invalid_utf8", ["place": "\(file):\(line)", "column": String(column)])
        case let .nulByte(file, line, column):
            labels("csv.error.nul", ["place": "\(file):\(line)", "column": String(column)])
        case let .unterminatedQuote(file, line, column):
            labels("csv.error.unterminated_quote", ["place": "\(file):\(line)", "column": String(column)])
        case let .textAfterQuote(file, line, column):
            labels("csv.error.text_after_quote", ["place": "\(file):\(line)", "column": String(column)])
        }
    }
}

/// The byte-level state machine. A struct held in a local while records are read, so its hot
/// loop works on locals rather than on a class's stored properties.
struct Scanner {
    var fd: Int32
    var buf: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var start = 0
    var end = 0
    var eof = false
    var line = 1
    var consumed: Int64 = 0
    var delimiter: UInt8 = 0x2C
    var fieldCapacity = 64
    var starts: UnsafeMutablePointer<Int>
    var ends: UnsafeMutablePointer<Int>
    var lines: UnsafeMutablePointer<Int>
    var escaped: UnsafeMutablePointer<Bool>

    init(fd: Int32, capacity: Int, bytes: [UInt8]?) {
        self.fd = fd
        self.capacity = capacity
        buf = .allocate(capacity: capacity)
        starts = .allocate(capacity: fieldCapacity)
        ends = .allocate(capacity: fieldCapacity)
        lines = .allocate(capacity: fieldCapacity)
        escaped = .allocate(capacity: fieldCapacity)
        if let bytes {
            bytes.withUnsafeBufferPointer { src in
                if let base = src.baseAddress { buf.update(from: base, count: src.count) }
            }
            end = bytes.count
            eof = true
        }
    }

    func release() {
        if fd >= 0 { close(fd) }
        buf.deallocate()
        starts.deallocate()
        ends.deallocate()
        lines.deallocate()
        escaped.deallocate()
    }

    /// Moves unread bytes to the front, grows the buffer when one record fills it, and reads
    /// more. Returns false at the end of the file.
    mutating func refill() throws -> Bool {
        if eof { return false }
        if start > 0 {
            let live = end - start
            if live > 0 { buf.update(from: buf + start, count: live) }
            consumed += Int64(start)
            end = live
            start = 0
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buf, count: end)
            buf.deallocate()
            buf = bigger
            capacity *= 2
        }
        while true {
            let n = read(fd, buf + end, capacity - end)
            if n > 0 { end += n; return true }
            if n == 0 { eof = true; return false }
            if errno == EINTR { continue }
            eof = true
            return false
        }
    }

    mutating func fill(minimum: Int) throws {
        while end - start < minimum, try refill() {}
    }

    /// Counts `,` `;` and tab outside quotes on the first line; the most frequent wins (comma on a tie).
    mutating func detectDelimiter() throws -> UInt8 {
        while true {
            var inQuotes = false
            var counts = (0, 0, 0)
            var i = start
            // Blank lines before the header do not count.
            while i < end, buf[i] == 0x0A || buf[i] == 0x0D { i += 1 }
            var complete = false
            while i < end {
                let b = buf[i]
                if b == 0x22 { inQuotes.toggle() }
                else if !inQuotes {
                    if b == 0x0A { complete = true; break }
                    if b == 0x2C { counts.0 += 1 } else if b == 0x3B { counts.1 += 1 } else if b == 0x09 { counts.2 += 1 }
                }
                i += 1
            }
            if complete || eof || end - start >= (1 << 20) {
                if counts.1 > counts.0 && counts.1 >= counts.2 { return 0x3B }
                if counts.2 > counts.0 && counts.2 > counts.1 { return 0x09 }
                return 0x2C
            }
            _ = try refill()
        }
    }

    private mutating func growFields() {
        let n = fieldCapacity * 2
        func grow<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: n)
            q.moveInitialize(from: p, count: fieldCapacity)
            p.deallocate()
            return q
        }
        starts = grow(starts); ends = grow(ends); lines = grow(lines); escaped = grow(escaped)
        fieldCapacity = n
    }

    private enum State { case fieldStart, unquoted, quoted, afterQuote, expectLF }

    /// The next non-blank record, or nil at the end of the file.
    mutating func next(name: String) throws -> CSVRecord? {
        while true {
            // Offsets are kept relative to `start`, so a refill that moves the bytes keeps them valid.
            var pos = start
            var field = 0
            var state = State.fieldStart
            var newlines = 0
            var fieldOffset = 0
            var hasEscapes = false
            let delim = delimiter
            scan: while true {
                if pos == end {
                    let offset = pos - start
                    let more = try refill()
                    pos = start + offset
                    if more { continue scan }
                    // End of file.
                    switch state {
                    case .fieldStart:
                        if pos == start { return nil }
                        if field == fieldCapacity { growFields() }
                        lines[field] = line + newlines
                        fieldOffset = pos - start
                        closeField(&field, fieldOffset, pos - start, newlines, false)
                    case .unquoted:
                        var e = pos - start
                        if e > fieldOffset && buf[start + e - 1] == 0x0D { e -= 1 }
                        closeField(&field, fieldOffset, e, newlines, false)
                    case .quoted:
                        throw CSVError.unterminatedQuote(file: name, line: lines[field], column: field + 1)
                    case .afterQuote:
                        closeField(&field, fieldOffset, pos - 1 - start, newlines, hasEscapes)
                    case .expectLF:
                        break
                    }
                    break scan
                }
                switch state {
                case .fieldStart:
                    if field == fieldCapacity { growFields() }
                    lines[field] = line + newlines
                    if buf[pos] == 0x22 {
                        pos += 1
                        fieldOffset = pos - start
                        hasEscapes = false
                        state = .quoted
                    } else {
                        fieldOffset = pos - start
                        state = .unquoted
                    }
                case .unquoted:
                    while pos < end {
                        let b = buf[pos]
                        if b == delim {
                            closeField(&field, fieldOffset, pos - start, newlines, false)
                            pos += 1
                            state = .fieldStart
                            continue scan
                        }
                        if b == 0x0A {
                            var e = pos - start
                            if e > fieldOffset && buf[start + e - 1] == 0x0D { e -= 1 }
                            closeField(&field, fieldOffset, e, newlines, false)
                            pos += 1
                            newlines += 1
                            break scan
                        }
                        pos += 1
                    }
                case .quoted:
                    while pos < end {
                        let b = buf[pos]
                        if b == 0x22 { pos += 1; state = .afterQuote; continue scan }
                        if b == 0x0A { newlines += 1 }
                        pos += 1
                    }
                case .afterQuote:
                    let b = buf[pos]
                    if b == 0x22 {
                        hasEscapes = true
                        pos += 1
                        state = .quoted
                    } else if b == delim {
                        closeField(&field, fieldOffset, pos - 1 - start, newlines, hasEscapes)
                        pos += 1
                        state = .fieldStart
                    } else if b == 0x0A {
                        closeField(&field, fieldOffset, pos - 1 - start, newlines, hasEscapes)
                        pos += 1
                        newlines += 1
                        break scan
                    } else if b == 0x0D {
                        closeField(&field, fieldOffset, pos - 1 - start, newlines, hasEscapes)
                        pos += 1
                        state = .expectLF
                    } else {
                        throw CSVError.textAfterQuote(file: name, line: line + newlines, column: field + 1)
                    }
                case .expectLF:
                    if buf[pos] == 0x0A {
                        pos += 1
                        newlines += 1
                        break scan
                    }
                    throw CSVError.textAfterQuote(file: name, line: line + newlines, column: field)
                }
            }
            let recordLine = line
            let recordStart = start
            let base = buf + start
            line += newlines
            start = pos
            // Skip blank records: one empty unquoted field, or cells that are all empty.
            var blank = true
            for i in 0..<field where ends[i] > starts[i] || escaped[i] { blank = false; break }
            if blank { continue }
            // One pass of eight bytes at a time says whether the record has a NUL byte or a
            // non-ASCII byte; only then are its fields looked at one by one.
            let found = Scanner.unusualBytes(UnsafeRawPointer(base), pos - recordStart)
            if found.nul { try refuseNul(base: base, fields: field, name: name) }
            // Delimiters, quotes and line ends are ASCII, so the record is valid UTF-8 exactly
            // when every field is: one pass over it, and a field's pass only to name a bad one.
            if found.nonASCII, !Scanner.isValidUTF8(UnsafePointer(base), pos - recordStart) {
                for i in 0..<field where !Scanner.isValidUTF8(UnsafePointer(base + starts[i]), ends[i] - starts[i]) {
                    throw CSVError.invalidUTF8(file: name, line: lines[i], column: i + 1)
                }
            }
            for i in 0..<field where escaped[i] {
                // Collapse "" to " in place; the result is never longer than the source.
                var r = starts[i], w = starts[i]
                let e = ends[i]
                while r < e {
                    let b = base[r]
                    base[w] = b
                    w += 1
                    r += (b == 0x22) ? 2 : 1
                }
                ends[i] = w
            }
            return CSVRecord(line: recordLine, count: field, offset: consumed + Int64(recordStart),
                             base: base, starts: starts, ends: ends, lines: lines)
        }
    }

    /// Whether `count` bytes at `p` hold a zero byte, and a byte of 0x80 or above: SWAR on
    /// eight-byte words (a zero byte sets the high bit of `(w - 0x01…01) & ~w`).
    @inline(__always)
    static func unusualBytes(_ p: UnsafeRawPointer, _ count: Int) -> (nul: Bool, nonASCII: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var any: UInt64 = 0, zero: UInt64 = 0
        var i = 0
        while i + 8 <= count {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            any |= w
            zero |= (w &- ones) & ~w
            i += 8
        }
        var tail: UInt8 = 0xFF, high: UInt8 = 0
        while i < count {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            tail = min(tail, b)
            high |= b
            i += 1
        }
        return ((zero & highs) != 0 || tail == 0, (any & highs) != 0 || high >= 0x80)
    }

    /// Whether `count` bytes at `p` are well-formed UTF-8 (no overlong forms, no surrogates, at
    /// most U+10FFFF); ASCII is skipped eight bytes at a time, straight to the next non-ASCII byte.
    static func isValidUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        var i = 0
        while i < count {
            if i + 8 <= count {
                let high = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080
                if high == 0 { i += 8; continue }
                // Straight to the first non-ASCII byte (little-endian: the lowest set bit).
                i += high.littleEndian.trailingZeroBitCount >> 3
            }
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            if b < 0xE0 {  // two bytes: C2…DF, then a continuation byte
                guard b >= 0xC2, i + 1 < count, p[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
            } else if b < 0xF0 {  // three bytes; E0 must not be overlong, ED must not be a surrogate
                guard i + 2 < count else { return false }
                let c1 = p[i + 1]
                guard c1 & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80, b != 0xE0 || c1 >= 0xA0, b != 0xED || c1 <= 0x9F else { return false }
                i += 3
            } else {  // four bytes: F0 (not overlong) … F4 (at most U+10FFFF)
                guard b <= 0xF4, i + 3 < count else { return false }
                let c1 = p[i + 1]
                guard c1 & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80,
                      b != 0xF0 || c1 >= 0x90, b != 0xF4 || c1 <= 0x8F else { return false }
                i += 4
            }
        }
        return true
    }

    /// Throws `nulByte` for the first NUL byte of the record at `base`, with its field and line.
    private func refuseNul(base: UnsafeMutablePointer<UInt8>, fields: Int, name: String) throws {
        for i in 0..<fields {
            var line = lines[i]
            for k in starts[i]..<ends[i] {
                if base[k] == 0 { throw CSVError.nulByte(file: name, line: line, column: i + 1) }
                if base[k] == 0x0A { line += 1 }
            }
        }
    }

    @inline(__always)
    private mutating func closeField(_ field: inout Int, _ s: Int, _ e: Int, _ newlines: Int, _ hasEscapes: Bool) {
        if field == fieldCapacity { growFields() }
        starts[field] = s
        ends[field] = e
        escaped[field] = hasEscapes
        field += 1
    }
}

/// Recognises UTF-16 text by its first bytes.
enum UTF16Sniffer {
    /// `true` for big-endian UTF-16, `false` for little-endian, nil when `bytes` do not look like
    /// UTF-16: a byte-order mark (`FF FE`, `FE FF`), or, without one, a zero in one byte of
    /// every character pair and none in the other, as the ASCII letters of a header make it.
    static func byteOrder(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        if bytes.count >= 2 {
            if bytes[0] == 0xFF && bytes[1] == 0xFE { return false }
            if bytes[0] == 0xFE && bytes[1] == 0xFF { return true }
        }
        let pairs = bytes.count / 2
        guard pairs >= 2 else { return nil }
        var zeroFirst = 0, zeroSecond = 0
        for k in 0..<pairs {
            if bytes[2 * k] == 0 { zeroFirst += 1 }
            if bytes[2 * k + 1] == 0 { zeroSecond += 1 }
        }
        // Mostly ASCII: three pairs in four carry a zero, always on the same side.
        if zeroSecond * 4 >= pairs * 3 && zeroFirst == 0 { return false }
        if zeroFirst * 4 >= pairs * 3 && zeroSecond == 0 { return true }
        return nil
    }
}
