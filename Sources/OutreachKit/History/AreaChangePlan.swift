import Foundation

/// One step of a dated change to the tree, as the engines apply it (`HistorySQL.apply`): a new
/// unit, a new version of a unit, an end, or a row of the tree's dated history.
public struct AreaStep: Sendable, Equatable {
    public enum Kind: String, Sendable { case new, version, retire, change }
    public var kind: Kind
    public var code: String
    public var name: String?
    public var level: AreaLevel?
    public var localKind: String?
    public var parentCode: String?
    public var attributes = AreaAttributes()
    /// The first day of the new unit or version; the day after the last of an ended unit; the
    /// day of a change.
    public var day: Day
    /// For `change`: create, rename, move, merge, split or retire.
    public var change: String?
    public var otherCode: String?
    public var oldName: String?
    public var oldParentCode: String?
    public var basis: String?

    /// The values of `HistorySQL.stepColumns` after `seq`, `kind` and `code`.
    func values(seq: Int, by: String, stamp: String) -> [ClosingSQL.Value] {
        [.int(Int64(seq)), .text(kind.rawValue), .text(code), .text(name), .text(level?.rawValue), .text(localKind),
         .text(parentCode), .int(attributes.population.map(Int64.init)), .int(attributes.adults.map(Int64.init)),
         .int(attributes.workingAge.map(Int64.init)), .int(attributes.households.map(Int64.init)),
         .text(name.map(TextFolding.fold)), .int(Int64(day.number)), .text(change), .text(otherCode), .text(oldName),
         .text(oldParentCode), .text(basis), .text(kind == .change ? by : nil), .text(kind == .change ? stamp : nil)]
    }
}

/// What a dated change does, worked out from the history before it is written: the steps, the
/// audit row and a summary. Nothing to do is an empty plan (a change applied twice).
public struct AreaChangePlan: Sendable {
    public var steps: [AreaStep] = []
    public var summary = AreaChangeSummary()
    public var audit: [AuditEntry] = []

    public var isEmpty: Bool { steps.isEmpty }
}

/// What a dated change did, per province of the tree after it (`""`: no province).
public struct AreaChangeSummary: Sendable, Equatable, Codable {
    public struct Counts: Sendable, Equatable, Codable {
        public var province = ""
        public var provinceName = ""
        public var created = 0
        public var versioned = 0
        public var ended = 0
        public var moved = 0
        public init() {}
    }
    public var provinces: [Counts] = []
    /// Hamlets of a unit split without a home yet (`areas split`: place them with `areas move`).
    public var homeless: [String] = []

    public var isEmpty: Bool { provinces.allSatisfy { $0.created + $0.versioned + $0.ended + $0.moved == 0 } }
}

/// A dated change refused: nothing was written.
public enum AreaChangeError: Error, Equatable, Sendable, UserFacingError {
    case unknown(code: String)
    case notOnDate(code: String, date: Day)
    case alreadyEnded(code: String, name: String, date: Day)
    case endedAlready(code: String, name: String, date: Day, into: String)
    case laterChanges(code: String, name: String, date: Day)
    case beforeExisted(code: String, name: String, date: Day)
    case mergeIntoItself(code: String)
    case retiredTarget(code: String, name: String, date: Day)
    case cycle(code: String, target: String)
    case hasChildren(code: String, name: String, children: [String])
    case emptyName
    case noTargets
    case missingNewUnit(code: String, line: Int, file: String)
    case unknownOld(code: String, line: Int, file: String)
    case homeless(hamlets: [String])
    case badHamlet(code: String, line: Int, file: String)
    case badHamletTarget(code: String, target: String, line: Int, file: String)
    case badMapping(file: String, detail: String)

    public var message: String { text(Labels(.en)) }
    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ l: Labels) -> String {
        switch self {
        case let .unknown(code): l("history.error.unknown", ["code": code])
        case let .notOnDate(code, date): l("history.error.not_on_date", ["code": code, "date": l.date(date)])
        case let .alreadyEnded(code, name, date): l("history.error.already_ended", ["code": code, "name": name, "date": l.date(date)])
        case let .endedAlready(code, name, date, into):
            l("history.error.ended_already", ["code": code, "name": name, "date": l.date(date), "into": into])
        case let .laterChanges(code, name, date): l("history.error.later_changes", ["code": code, "name": name, "date": l.date(date)])
        case let .beforeExisted(code, name, date): l("history.error.before_existed", ["code": code, "name": name, "date": l.date(date)])
        case let .mergeIntoItself(code): l("history.error.into_itself", ["code": code])
        case let .retiredTarget(code, name, date): l("history.error.retired_target", ["code": code, "name": name, "date": l.date(date)])
        case let .cycle(code, target): l("history.error.cycle", ["code": code, "target": target])
        case let .hasChildren(code, name, children):
            l("history.error.has_children", ["code": code, "name": name, "count": l.count(children.count),
                                             "children": children.prefix(10).joined(separator: ", ")])
        case .emptyName: l["history.error.empty_name"]
        case .noTargets: l["history.error.no_targets"]
        case let .missingNewUnit(code, line, file): l("history.error.missing_new", ["code": code, "line": l.count(line), "file": file])
        case let .unknownOld(code, line, file): l("history.error.unknown_old", ["code": code, "line": l.count(line), "file": file])
        case let .homeless(hamlets):
            l("history.error.homeless", ["count": l.count(hamlets.count), "hamlets": hamlets.prefix(20).joined(separator: ", ")])
        case let .badHamlet(code, line, file): l("history.error.bad_hamlet", ["code": code, "line": l.count(line), "file": file])
        case let .badHamletTarget(code, target, line, file):
            l("history.error.bad_hamlet_target", ["code": code, "target": target, "line": l.count(line), "file": file])
        case let .badMapping(file, detail): l("history.error.bad_mapping", ["file": file, "detail": detail])
        }
    }
}
