import Foundation

/// The decisions of a bundle merge that do not depend on the engine, and what they leave: the
/// summary, the notes, the problems that refuse the bundle, and the merge log. SQLite's
/// `BundleMerge` and PostgreSQL's merge both decide through it, so that one bundle gives the same
/// summary, the same messages and the same merge log on either.
struct MergeLedger {
    /// One version a merge did not keep, for `merge_conflict`.
    struct LogEntry: Equatable {
        var kind: String
        var key: String
        var kept: [UInt8]
        var setAside: [UInt8]
    }

    /// Which version of a row to keep.
    enum Outcome { case same, oursWins, theirsWins }

    let fileName: String
    /// The latest revision stamp accepted (`RevisionStamp.latestAccepted`).
    let latestStamp: String
    let setAsideConflicts: Bool
    var summary: MergeSummary
    private(set) var problems: [MergeRefused.Problem] = []
    private(set) var problemTotal = 0
    private(set) var log: [LogEntry] = []
    private let noteLimit = 20
    private let problemLimit = 50

    init(reader: BundleReader, latestStamp: String, setAsideConflicts: Bool) {
        fileName = reader.name
        self.latestStamp = latestStamp
        self.setAsideConflicts = setAsideConflicts
        summary = MergeSummary(file: reader.name, header: reader.header)
    }

    /// The refusal of the whole bundle, when any problem was found.
    var refusal: MergeRefused? {
        problemTotal > 0 ? MergeRefused(file: fileName, problems: problems, total: problemTotal) : nil
    }

    /// Which version of a row to keep: the same content is the same row; otherwise the later
    /// revision stamp wins, then the greater content, so every merge order keeps the same one.
    static func compare(_ theirs: [UInt8], _ theirStamp: String, _ ours: [UInt8], _ ourStamp: String) -> Outcome {
        if theirs == ours { return .same }
        if theirStamp != ourStamp { return theirStamp > ourStamp ? .theirsWins : .oursWins }
        return ours.lexicographicallyPrecedes(theirs) ? .theirsWins : .oursWins
    }

    /// Records a problem when `stamp` is later than the merge accepts. The record is still
    /// merged, so that the rows that refer to it do not fail too; the problem refuses the whole
    /// merge at the end, and the transaction is rolled back.
    mutating func checkStamp(_ stamp: String, _ what: String, line: Int) {
        guard !stamp.isEmpty, stamp > latestStamp else { return }
        problem(line, "\(what): its revision stamp \(stamp) is more than a day after this merge. The copy that exported it has its clock set wrong, and a stamp from the future would win every later merge of this row. Set that computer's date and time right, change the row there again (or import its file again) and export a new bundle.", canSetAside: false)
    }

    /// This workspace's newer version of a row was kept; the bundle's goes to the merge log.
    mutating func keepOurs(_ kind: String, _ key: String, ours: [UInt8], theirs: [UInt8],
                           count: WritableKeyPath<MergeSummary, MergeCount>) {
        summary[keyPath: count].setAside += 1
        log.append(LogEntry(kind: kind, key: key, kept: ours, setAside: theirs))
        note("\(kind.replacingOccurrences(of: "_", with: " ")) \(key) was changed in both copies (\(MergeLedger.differingColumns(ours, theirs, MergeLedger.columns(of: kind)))): this workspace's newer version was kept; the bundle's is in the merge log.")
    }

    /// The bundle's newer version of a row replaced this workspace's, which goes to the merge log.
    mutating func takeTheirs(_ kind: String, _ key: String, ours: [UInt8], theirs: [UInt8],
                             count: WritableKeyPath<MergeSummary, MergeCount>) {
        summary[keyPath: count].updated += 1
        log.append(LogEntry(kind: kind, key: key, kept: theirs, setAside: ours))
        note("\(kind.replacingOccurrences(of: "_", with: " ")) \(key) was changed in both copies (\(MergeLedger.differingColumns(ours, theirs, MergeLedger.columns(of: kind)))): the bundle's newer version replaced this workspace's, which is in the merge log.")
    }

    /// A row with the same id and other content: a problem, or set aside with --set-aside-conflicts.
    mutating func conflict(_ kind: String, _ key: String, ours: [UInt8], theirs: [UInt8], line: Int,
                           count: WritableKeyPath<MergeSummary, MergeCount>, _ text: String) {
        guard setAsideConflicts else {
            problem(line, text, canSetAside: true)
            return
        }
        summary[keyPath: count].setAside += 1
        log.append(LogEntry(kind: kind, key: key, kept: ours, setAside: theirs))
        note(text + " This workspace's version was kept; the bundle's is in the merge log.")
    }

    /// A session conflict (same id, other content).
    mutating func sessionConflict(ours: SessionRecord, theirs: SessionRecord, line: Int) {
        let differing = MergeLedger.differingColumns(ours.bytes, theirs.bytes, SessionRecord.columns)
        conflict("session", theirs.id.uuidString, ours: ours.bytes, theirs: theirs.bytes, line: line, count: \.sessions,
                 "session \(theirs.id) is in this workspace with other content (different \(differing)).")
    }

    /// A count of a campaign metric of a session whose bundle version was set aside.
    mutating func metricOfSetAsideSession(_ record: SessionMetricRecord) {
        summary.sessionMetrics.setAside += 1
        log.append(LogEntry(kind: "session_metric", key: "\(record.session.uuidString)|\(record.metric)", kept: [], setAside: record.bytes))
    }

    /// A count of a campaign metric stored here with another value.
    mutating func metricConflict(ours value: Int, theirs record: SessionMetricRecord, line: Int) {
        let ours = SessionMetricRecord(session: record.session, metric: record.metric, value: value)
        conflict("session_metric", "\(record.session.uuidString)|\(record.metric)", ours: ours.bytes, theirs: record.bytes,
                 line: line, count: \.sessionMetrics,
                 "session \(record.session): this workspace records \(record.metric) = \(value), the bundle \(record.value).")
    }

    /// A leaflet move stored here with other content.
    mutating func moveConflict(ours: MoveRecord, theirs record: MoveRecord, line: Int) {
        let differing = MergeLedger.differingColumns(ours.bytes, record.bytes, MoveRecord.columns)
        conflict("leaflet_move", record.id.uuidString, ours: ours.bytes, theirs: record.bytes, line: line, count: \.leafletMoves,
                 "leaflet move \(record.id) is in this workspace with other content (different \(differing)).")
    }

    /// Two different voids of one session (`ours` and `theirs` hold the session with each):
    /// the earlier is kept (by day, reason, replacement). Whether the bundle's replaces ours.
    mutating func decideVoids(ours: SessionRecord, theirs: SessionRecord, line: Int) -> Bool {
        let mine = ours.void!, their = theirs.void!
        let replacements = Set([mine.replacedBy, their.replacedBy].compactMap { $0 })
        if replacements.count == 2 {
            summary.warnings.append(Warning(file: fileName, line: line, "session \(theirs.id) was voided in both copies and replaced by two different sessions (\(replacements.map(\.uuidString).sorted().joined(separator: " and "))); both count. Void the one that should not count."))
        }
        if their.order < mine.order {
            takeTheirs("void", theirs.id.uuidString, ours: ours.bytes, theirs: theirs.bytes, count: \.voids)
            return true
        }
        keepOurs("void", theirs.id.uuidString, ours: ours.bytes, theirs: theirs.bytes, count: \.voids)
        return false
    }

    /// A member that would be a second current leader of its team (`replaced`: this
    /// workspace's version of the member, if it had one).
    mutating func secondLeader(_ r: MemberRecord, replaced: MemberRecord?, isNew: Bool, leader: String, line: Int) {
        if setAsideConflicts {
            if isNew { summary.members.new -= 1 }
            summary.members.setAside += 1
            note("member \(r.name) of team \(r.team): would be a second current leader besides \(leader); the bundle's version is kept in the merge log.")
            log.append(LogEntry(kind: "member", key: r.id!.uuidString, kept: replaced?.bytes ?? [], setAside: r.bytes))
        } else {
            problem(line, "team \"\(r.team)\" would have two current leaders, \(leader) (this workspace) and \(r.name) (the bundle). In the copy that is wrong, give one of them a left date (`outreach members import`), export again and merge; or merge with --set-aside-conflicts to keep \(leader).", canSetAside: true)
        }
    }

    /// Refuses a tree whose parents form a cycle after the bundle's moves.
    mutating func checkCycles(_ areas: StoredAreas) {
        for start in areas.rows {
            var seen: [String] = [start.code]
            var parent = start.parentID
            while let p = parent, let i = areas.position[p] {
                let area = areas.rows[i]
                if area.id == start.id {
                    problem(nil, "area \"\(start.code)\": with the bundle's changes its parents form a cycle (\((seen + [start.code]).joined(separator: " → "))). Fix the parent_code in the copy that is wrong (`outreach areas import`), export again and merge.", canSetAside: false)
                    return
                }
                seen.append(area.code)
                if seen.count > areas.rows.count { break }
                parent = area.parentID
            }
        }
    }

    mutating func note(_ text: String) {
        summary.noteCount += 1
        if summary.notes.count < noteLimit { summary.notes.append(text) }
    }

    mutating func problem(_ line: Int?, _ text: String, canSetAside: Bool) {
        problemTotal += 1
        if problems.count < problemLimit { problems.append(.init(line: line, text: text, canSetAside: canSetAside)) }
    }

    static func columns(of kind: String) -> [String] {
        BundleHeader.recordColumns.first { $0[0] == kind } ?? SessionRecord.columns
    }

    /// The names of the columns where two encoded records differ (never their values: phones).
    static func differingColumns(_ a: [UInt8], _ b: [UInt8], _ columns: [String]) -> String {
        let x = a.withUnsafeBufferPointer { BundleLineParser.parse(UnsafeBufferPointer(rebasing: $0.dropLast())) } ?? []
        let y = b.withUnsafeBufferPointer { BundleLineParser.parse(UnsafeBufferPointer(rebasing: $0.dropLast())) } ?? []
        let names = columns.indices.filter { i in
            columns[i] != "revised" && i < x.count && i < y.count && x[i] != y[i]
        }.map { columns[$0] }
        return names.isEmpty ? "content" : names.joined(separator: ", ")
    }

    /// An encoded record without its newline, for the merge log.
    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.last == 0x0A ? bytes.dropLast() : bytes[...], as: UTF8.self)
    }
}

/// How a bundle's team or member meets this workspace's: the decisions of a merge, without the
/// writes.
enum MergeMatch {
    /// A phone missing on one side (or withheld by the bundle) is the other side's: both
    /// versions of a team with the phone filled in, and whether ours gained it.
    static func team(theirs record: TeamRecord, ours local: TeamRecord) -> (theirs: TeamRecord, ours: TeamRecord, filled: Bool) {
        var (theirs, ours) = (record, local)
        if theirs.leaderPhone == nil { theirs.leaderPhone = ours.leaderPhone }
        if ours.leaderPhone == nil { ours.leaderPhone = theirs.leaderPhone }
        return (theirs, ours, ours != local)
    }

    /// Which of this workspace's members a bundle's member is: by id with phones; by team, name
    /// and rank among namesakes without. `namesakes` are the team's members of that name in the
    /// order of their ids; `byID` finds a member by id. Nil for a new member.
    static func member<Local>(_ record: MemberRecord, byID: (StableID) -> Local?, namesakes: [Local],
                              phone: (Local) -> Phone?) -> Local? {
        if let id = record.id {
            return byID(id) ?? namesakes.first { phone($0) == nil }
                ?? (record.phone == nil && record.namesake <= namesakes.count ? namesakes[record.namesake - 1] : nil)
        }
        return record.namesake <= namesakes.count ? namesakes[record.namesake - 1] : nil
    }

    /// The id a new member without one takes: derived from team, name and rank.
    static func newMember(_ record: MemberRecord) -> MemberRecord {
        var theirs = record
        if theirs.id == nil {
            let rank = record.namesake == 1 ? "" : "#\(record.namesake)"
            theirs.id = StableID.derived(from: "\(record.team)|\(record.name)|\(rank)")
        }
        return theirs
    }

    /// Both versions of a member with a phone missing on one side filled from the other (with
    /// the id derived from it), and whether ours gained it.
    static func member(theirs record: MemberRecord, ours local: MemberRecord) -> (theirs: MemberRecord, ours: MemberRecord, filled: Bool) {
        var (theirs, ours) = (record, local)
        if theirs.phone == nil { (theirs.phone, theirs.id) = (ours.phone, ours.id) }
        if ours.phone == nil { (ours.phone, ours.id) = (theirs.phone, theirs.id) }
        return (theirs, ours, ours != local)
    }

    static func nameKey(_ member: MemberRecord) -> String { member.team + "\u{0}" + member.name }
}

/// The members a merge decides, for either engine: this workspace's members (by id and by
/// team and name), and the writes the bundle's members call for. Records are decided one by
/// one as `MergeMatch` and `MergeLedger` say; each engine then writes `writes` its own way.
struct MemberMerge {
    /// A member of this workspace: its row and its record.
    struct Local {
        var rowID: Int64
        var record: MemberRecord
    }

    /// A member to write: new (no row id), a phone filled in, or a newer version.
    struct Write {
        var line: Int
        var rowID: Int64?
        var teamID: Int64
        var record: MemberRecord
        /// The version it replaces (for the merge log), nil for a new member or a phone filled in.
        var replaced: MemberRecord?
    }

    private var members: [StableID: Local] = [:]
    private var membersByName: [String: [StableID]] = [:]
    private(set) var writes: [Write] = []

    /// Adds a stored member (records without id are left out).
    mutating func add(stored record: MemberRecord, rowID: Int64) {
        guard let id = record.id else { return }
        members[id] = Local(rowID: rowID, record: record)
        membersByName[MergeMatch.nameKey(record), default: []].append(id)
    }

    /// Once every stored member is added: namesakes in the order of their ids (the order the
    /// exporter ranks them in).
    mutating func finishLoading() {
        for key in membersByName.keys { membersByName[key]!.sort { $0.bytes.lexicographicallyPrecedes($1.bytes) } }
    }

    /// Matches a member of the bundle to this workspace's: by id with phones; by team, name and
    /// rank among namesakes without. A member without a phone on one side is the same person as
    /// one with the same team and name on the other, and takes that phone (and the id derived
    /// from it). `teamID` is its team's row; the record's stamp is checked by the caller.
    mutating func decide(_ record: MemberRecord, line: Int, teamID: Int64, ledger: inout MergeLedger) {
        let members = self.members
        let namesakes = (membersByName[MergeMatch.nameKey(record)] ?? []).compactMap { members[$0] }
        let local = MergeMatch.member(record, byID: { members[$0] }, namesakes: namesakes, phone: { $0.record.phone })
        guard let local else {
            writes.append(Write(line: line, rowID: nil, teamID: teamID, record: MergeMatch.newMember(record), replaced: nil))
            ledger.summary.members.new += 1
            return
        }
        var (theirs, ours, filled) = MergeMatch.member(theirs: record, ours: local.record)
        let key = ours.id!.uuidString
        switch MergeLedger.compare(theirs.content, theirs.revised, ours.content, ours.revised) {
        case .same:
            if filled { ledger.summary.members.updated += 1 } else { ledger.summary.members.present += 1 }
            if filled || theirs.revised > ours.revised {
                ours.revised = max(ours.revised, theirs.revised)
                writes.append(Write(line: line, rowID: local.rowID, teamID: teamID, record: ours, replaced: nil))
            }
        case .oursWins:
            if filled { writes.append(Write(line: line, rowID: local.rowID, teamID: teamID, record: ours, replaced: nil)) }
            ledger.keepOurs("member", key, ours: ours.line, theirs: theirs.line, count: \.members)
        case .theirsWins:
            writes.append(Write(line: line, rowID: local.rowID, teamID: teamID, record: theirs, replaced: local.record))
        }
    }

    /// The writes, current leaders last (so the one-leader rule holds after each).
    var orderedWrites: [Write] { writes.sorted { !$0.record.isCurrentLeader && $1.record.isCurrentLeader } }
}
