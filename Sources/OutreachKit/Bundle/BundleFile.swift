#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Foundation

/// How many records of each kind a bundle holds.
public struct BundleCounts: Equatable, Sendable {
    public var areas = 0
    public var teams = 0
    public var members = 0
    public var sessions = 0
    /// Sessions that come voided (each void travels with its session).
    public var voids = 0
    public var sessionMetrics = 0
    public var leafletMoves = 0
    /// The states of units' figures for periods (format 3).
    public var approvals = 0
    /// Audit rows (format 3).
    public var audit = 0
    /// Units' dated histories (format 4).
    public var areaHistories = 0

    public init() {}

    static let keys = ["areas", "teams", "members", "sessions", "voids", "session_metrics", "leaflet_moves", "approvals", "audit",
                       "area_histories"]
    /// The counts format 1 and 2 have, and format 3.
    static let keysV2 = Array(keys.prefix(7))
    static let keysV3 = Array(keys.prefix(9))

    /// The counts a bundle of format `version` has.
    static func keys(version: Int) -> [String] { version >= 4 ? keys : version >= 3 ? keysV3 : keysV2 }

    var values: [Int] { [areas, teams, members, sessions, voids, sessionMetrics, leafletMoves, approvals, audit, areaHistories] }

    init(values: [Int]) {
        (areas, teams, members, sessions, voids, sessionMetrics, leafletMoves) =
            (values[0], values[1], values[2], values[3], values[4], values[5], values[6])
        if values.count > 8 { (approvals, audit) = (values[7], values[8]) }
        if values.count > 9 { areaHistories = values[9] }
    }
}

/// The first line of a bundle: what it is, where it comes from, what it holds, and the length
/// and SHA-256 checksum of the records that follow (the body).
public struct BundleHeader: Equatable, Sendable {
    /// The value of the header's `format` key.
    public static let formatName = "outreach-bundle"
    /// The bundle format this version writes and reads (and every older one it reads).
    /// 2: sessions carry their row key (`key`, before `voided_on`).
    /// 3: approval states and audit rows follow the leaflet moves.
    /// 4: units' dated histories (areas through time) follow the approval states.
    public static let currentVersion = 4
    /// Bytes the header line takes, newline included: the JSON is padded with spaces, so the
    /// header can be written once the body (and its checksum) is known.
    static let reservedBytes = 2048

    public var version = BundleHeader.currentVersion
    /// The exporting workspace's id (created by `outreach init`).
    public var workspace: String
    /// When it was exported, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    public var exported: String
    /// `--under`: the area whose subtree it holds; nil for the whole workspace.
    public var under: String?
    /// `--since`: sessions dated (or voided) on or after this day; nil for all.
    public var since: Day?
    /// Whether phone numbers (and member ids, which derive from them) are included.
    public var phones: Bool
    public var counts: BundleCounts
    public var bodyBytes: Int
    /// Lower-case hex SHA-256 of the body.
    public var bodySHA256: String
    /// Lower-case hex SHA-256 of the body's data, before the audit rows (format 3): two copies
    /// that hold the same data print the same content digest, whatever their histories.
    public var contentSHA256: String? = nil

    /// The digest people compare: of the data (format 3), else of the whole body.
    public var contentDigest: String { contentSHA256 ?? bodySHA256 }

    /// The record types in the order the body holds them, with their columns.
    static let recordColumns: [[String]] = [AreaRecord.columns, TeamRecord.columns, MemberRecord.columns,
                                            SessionRecord.columns, SessionMetricRecord.columns, MoveRecord.columns,
                                            ApprovalRecord.columns, AreaHistoryRecord.columns, AuditRecord.columns]

    /// The record columns a bundle of format `version` declares.
    static func recordColumns(version: Int) -> [[String]] {
        let kinds = version >= 4 ? recordColumns
            : version >= 3 ? recordColumns.filter { $0[0] != AreaHistoryRecord.columns[0] } : Array(recordColumns.prefix(6))
        return version >= 2 ? kinds : kinds.map { $0[0] == SessionRecord.columns[0] ? SessionRecord.columnsV1 : $0 }
    }

    /// The header as one line of JSON, keys in a fixed order, padded to `reservedBytes`.
    func encoded(file: String) throws -> [UInt8] {
        func quoted(_ s: String?) -> String {
            guard let s else { return "null" }
            var w = BundleLineWriter()
            w.begin(s)
            return String(decoding: w.bytes.dropFirst(), as: UTF8.self)
        }
        let counts = zip(BundleCounts.keys(version: version), self.counts.values)
            .map { "\"\($0)\":\($1)" }.joined(separator: ",")
        let columns = BundleHeader.recordColumns(version: version).map { c in
            "\(quoted(c[0])):[\(c.dropFirst().map(quoted).joined(separator: ","))]"
        }.joined(separator: ",")
        let json = """
            {"format":\(quoted(BundleHeader.formatName)),"version":\(version),"workspace":\(quoted(workspace)),\
            "exported":\(quoted(exported)),"scope":{"under":\(quoted(under)),"since":\(quoted(since?.iso))},\
            "phones":\(phones),"counts":{\(counts)},"body_bytes":\(bodyBytes),"body_sha256":\(quoted(bodySHA256)),\
            \(version >= 3 ? "\"content_sha256\":\(quoted(contentSHA256 ?? bodySHA256))," : "")\
            "columns":{\(columns)}}
            """
        var bytes = Array(json.utf8)
        guard bytes.count < BundleHeader.reservedBytes else {
            throw BundleError.headerTooLong(file: file, limit: BundleHeader.reservedBytes)
        }
        bytes += [UInt8](repeating: 0x20, count: BundleHeader.reservedBytes - 1 - bytes.count)
        bytes.append(0x0A)
        return bytes
    }

    /// Reads a header line (without its newline); `file` names the bundle in errors.
    static func decode(_ line: [UInt8], file: String) throws -> BundleHeader {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              object["format"] as? String == formatName else {
            throw BundleError.notABundle(file: file)
        }
        func damaged(_ damage: BundleError.Damage) -> BundleError { .damaged(file: file, reason: damage) }
        guard let version = object["version"] as? Int, version >= 1 else { throw damaged(.headerVersion) }
        if version > currentVersion { throw BundleError.newerVersion(file: file, version: version) }
        guard let workspace = object["workspace"] as? String, let exported = object["exported"] as? String,
              let scope = object["scope"] as? [String: Any], let phones = object["phones"] as? Bool,
              let countsObject = object["counts"] as? [String: Any], let bodyBytes = object["body_bytes"] as? Int,
              let sha = object["body_sha256"] as? String, sha.utf8.count == 64,
              let columns = object["columns"] as? [String: Any] else {
            throw damaged(.headerField)
        }
        var values: [Int] = []
        for key in BundleCounts.keys(version: version) {
            guard let n = countsObject[key] as? Int, n >= 0 else { throw damaged(.headerCount(kind: key)) }
            values.append(n)
        }
        for c in recordColumns(version: version) where (columns[c[0]] as? [String]) != Array(c.dropFirst()) {
            throw damaged(.headerColumns(kind: c[0], version: version))
        }
        var since: Day? = nil
        if let text = scope["since"] as? String {
            guard let day = Day(parsing: text) else { throw damaged(.headerScope) }
            since = day
        }
        return BundleHeader(version: version, workspace: workspace, exported: exported, under: scope["under"] as? String,
                            since: since, phones: phones, counts: BundleCounts(values: values), bodyBytes: bodyBytes,
                            bodySHA256: sha.lowercased(), contentSHA256: (object["content_sha256"] as? String)?.lowercased())
    }
}

/// A bundle file opened for reading: the header read and the body checked against its length
/// and checksum before any record is looked at.
struct BundleReader {
    /// The file as the user named it.
    let name: String
    let header: BundleHeader
    private let data: Data
    private let bodyStart: Int

    /// Opens and verifies the bundle at `path`. Throws `BundleError` when it is not a bundle,
    /// is newer, incomplete or damaged.
    init(path: String, name: String) throws {
        self.name = name
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw BundleError.cannotRead(file: name, reason: FileProblem(errno: errno))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw BundleError.cannotRead(file: name, reason: .isFolder) }
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw BundleError.cannotRead(file: name, reason: FileProblem(error))
        }
        let prefix = Array("{\"format\":\"\(BundleHeader.formatName)\"".utf8)
        let probe = Array(data.prefix(64 << 10))
        guard let newline = probe.firstIndex(of: 0x0A) else {
            if probe.starts(with: prefix) || prefix.starts(with: probe) && !probe.isEmpty {
                throw BundleError.truncated(file: name, expected: 0, actual: 0)
            }
            throw BundleError.notABundle(file: name)
        }
        header = try BundleHeader.decode(Array(probe[..<newline]), file: name)
        bodyStart = newline + 1
        let actual = data.count - bodyStart
        if actual < header.bodyBytes {
            throw BundleError.truncated(file: name, expected: header.bodyBytes, actual: actual)
        }
        if actual > header.bodyBytes {
            throw BundleError.damaged(file: name, reason: .extraBytes(actual - header.bodyBytes))
        }
        var hash = SHA256()
        data.withUnsafeBytes { raw in
            hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[bodyStart...]))
        }
        if Checksum.hex(hash.finalize()) != header.bodySHA256 {
            throw BundleError.damaged(file: name, reason: .checksum)
        }
    }

    /// Calls `body` with every record: its line number in the file, its type and its values.
    /// Records must come in the order of `BundleHeader.recordColumns`, as many of each as the
    /// header counts.
    func forEachRecord(_ body: (_ line: Int, _ type: String, _ values: [BundleValue]) throws -> Void) throws {
        var cursor = Cursor(start: bodyStart)
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            while let (line, type, values) = try step(bytes, &cursor) {
                do {
                    try body(line, type, values)
                } catch let error as RecordError {
                    throw BundleError.badRecord(file: name, line: line, text: error.text)
                }
            }
        }
    }

    /// The record types, in body order.
    private static let recordTypes = BundleHeader.recordColumns.map { $0[0] }

    /// Where a reading of the records is: what `next` reads from, and what it has seen so far.
    struct Cursor {
        var start: Int
        var line = 1
        var kind = 0
        var seen = [Int](repeating: 0, count: BundleHeader.recordColumns.count)
        var voids = 0
        var done = false
    }

    /// A cursor at the first record.
    var cursor: Cursor { Cursor(start: bodyStart) }

    /// The next record (its line number, the index of its kind in `BundleHeader.recordColumns`
    /// and its values), or nil after the last one, once the counts are checked against the
    /// header. For a reader that stops between records (an engine that writes asynchronously).
    func next(_ cursor: inout Cursor) throws -> (line: Int, kind: Int, values: [BundleValue])? {
        try data.withUnsafeBytes { raw in
            guard let (line, _, values) = try step(raw.bindMemory(to: UInt8.self), &cursor) else { return nil }
            return (line, cursor.kind, values)
        }
    }

    private func step(_ bytes: UnsafeBufferPointer<UInt8>, _ c: inout Cursor) throws -> (Int, String, [BundleValue])? {
        let order = BundleReader.recordTypes
        guard c.start < bytes.count else {
            if !c.done {
                c.done = true
                let h = header.counts
                let expected = [h.areas, h.teams, h.members, h.sessions, h.sessionMetrics, h.leafletMoves, h.approvals, h.areaHistories,
                                h.audit]
                if c.seen != expected || c.voids != h.voids { throw BundleError.damaged(file: name, reason: .recordCounts) }
            }
            return nil
        }
        c.line += 1
        let lineNumber = c.line
        guard let found = memchr(bytes.baseAddress! + c.start, 0x0A, bytes.count - c.start) else {
            throw BundleError.badRecord(file: name, line: lineNumber, text: "the last record does not end with a line break")
        }
        let end = c.start + (UnsafeRawPointer(found) - UnsafeRawPointer(bytes.baseAddress! + c.start))
        let line = UnsafeBufferPointer(rebasing: bytes[c.start..<end])
        c.start = end + 1
        guard let values = BundleLineParser.parse(line), case .string(let type)? = values.first else {
            throw BundleError.badRecord(file: name, line: lineNumber, text: "this line is not a record (a JSON array that starts with its type)")
        }
        guard let k = order.firstIndex(of: type) else {
            throw BundleError.badRecord(file: name, line: lineNumber, text: "\"\(type.prefix(40))\" is not a type of record")
        }
        if k < c.kind {
            throw BundleError.badRecord(file: name, line: lineNumber, text: "\(type) records must come before the \(order[c.kind]) records")
        }
        c.kind = k
        c.seen[k] += 1
        if type == SessionRecord.columns[0],
           values.count == SessionRecord.columns.count || values.count == SessionRecord.columnsV1.count,
           values[values.count - 3] != .null { c.voids += 1 }
        return (lineNumber, type, values)
    }
}

/// Writes a bundle: the body is streamed to a temporary file next to the destination and
/// hashed on the way; `finish` writes the header in the space reserved for it and renames the
/// file into place, so a bundle under the final name is always whole.
struct BundleWriter {
    let path: String
    let name: String
    private let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var hash = SHA256()
    /// The hash of the body up to the audit rows, once `markContentEnd` is called.
    private var contentHash: SHA256?
    /// The data's digest, known after `seal` (the body's when no audit rows were marked).
    private(set) var contentSHA256: String?
    private(set) var bodyBytes = 0

    /// Refuses to replace an existing file that is not a bundle.
    init(path: String, name: String) throws {
        self.path = path
        self.name = name
        if let existing = FileHandle(forReadingAtPath: path) {
            let head = (try? existing.read(upToCount: 11)) ?? Data()
            try? existing.close()
            if head != Data("{\"format\":\"".utf8) { throw BundleError.wouldOverwrite(file: name) }
        }
        PartialFiles.removeStale(for: path)
        temporary = PartialFiles.name(for: path)
        fd = open(temporary, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        guard fd >= 0 else { throw BundleError.cannotWrite(file: name, reason: FileProblem(errno: errno, creating: true)) }
        buffer.reserveCapacity(1 << 20)
        try writeAll([UInt8](repeating: 0x20, count: BundleHeader.reservedBytes))
    }

    /// Adds the records in `line` to the body, and empties `line`.
    mutating func write(_ line: inout BundleLineWriter) throws {
        try write(line.bytes)
        line.clear()
    }

    /// Adds encoded records to the body.
    mutating func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private mutating func flush() throws {
        buffer.withUnsafeBytes { hash.update(bufferPointer: $0) }
        bodyBytes += buffer.count
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8], at offset: off_t? = nil) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = offset.map { pwrite(fd, raw.baseAddress! + done, raw.count - done, $0 + off_t(done)) }
                    ?? SystemCalls.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw BundleError.cannotWrite(file: name, reason: FileProblem(errno: errno, creating: true))
                }
                done += n
            }
        }
    }

    /// The body's length and checksum, once everything is written.
    mutating func seal() throws -> (bytes: Int, sha256: String) {
        try flush()
        let body = Checksum.hex(hash.finalize())
        contentSHA256 = contentHash.map { Checksum.hex($0.finalize()) } ?? body
        return (bodyBytes, body)
    }

    /// Marks the end of the data: what follows (the audit rows) is history, left out of the
    /// content digest.
    mutating func markContentEnd() throws {
        try flush()
        contentHash = hash
    }

    /// Writes `header` (made from `seal()`), syncs and renames the file into place.
    mutating func finish(header: BundleHeader) throws {
        try writeAll(try header.encoded(file: name), at: 0)
        guard fsync(fd) == 0 else { throw BundleError.cannotWrite(file: name, reason: FileProblem(errno: errno, creating: true)) }
        close(fd)
        fd = -1
        guard rename(temporary, path) == 0 else {
            let reason = FileProblem(errno: errno, creating: true)
            unlink(temporary)
            throw BundleError.cannotWrite(file: name, reason: reason)
        }
    }

    /// Removes the temporary file after a failure.
    mutating func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporary)
    }
}
