import Foundation
import OutreachResources

/// Where the demo district's files are: the real tree, and the files written from a `DemoDistrict`.
public struct DemoFiles: Sendable {
    /// `Resources/areas/nong_cong.csv` as bundled: the district and its 29 communes.
    public static let tree = OutreachResources.file("areas", "nong_cong.csv").path

    public var hamlets: String
    public var teams: String
    public var members: String
    public var sessions: String

    /// The four files in `folder`, by their usual names.
    public init(folder: String) {
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        hamlets = base + "hamlets.csv"
        teams = base + "teams.csv"
        members = base + "members.csv"
        sessions = base + "sessions.csv"
    }
}

extension WorkspaceStore {
    /// Loads the demo district through the imports users' files go through: the real tree,
    /// the villages, teams, members and sessions from `files` (written from `demo`), then the
    /// leaflets received and passed down. Returns the warnings the imports gave.
    @discardableResult
    public func loadDemo(_ demo: DemoDistrict, files: DemoFiles, today: Day) async throws -> [Warning] {
        var warnings: [Warning] = []
        for path in [DemoFiles.tree, files.hamlets] {
            _ = try await importAreas(try AreaFile.read(try CSVReader(path: path)), file: path, on: today)
        }
        let teams = try TeamFile.read(try CSVReader(path: files.teams))
        warnings += teams.warnings + (try await importTeams(teams.rows, file: files.teams, on: today)).warnings
        let members = try MemberFile.read(try CSVReader(path: files.members))
        warnings += members.warnings + (try await importMembers(members.rows, file: files.members)).warnings
        for move in demo.leafletMoves {
            if let from = move.from {
                _ = try await allocateLeaflets(from: from, to: move.to, quantity: move.quantity, on: move.day, batch: move.batch,
                                               allowNegative: false, id: move.id)
            } else {
                _ = try await receiveLeaflets(into: move.to, quantity: move.quantity, on: move.day, batch: move.batch, id: move.id)
            }
        }
        warnings += try await importSessions(file: files.sessions, name: nil, today: today, campaignMetrics: [], problemLimit: 50,
                                            corrections: .refuse, progress: nil).warnings
        return warnings
    }
}

/// The accounts `outreach demo` makes so that a newcomer can try `outreach serve` in each role:
/// a leader and an officer of Xã Tân Phúc, and a viewer of the district.
public enum DemoAccounts {
    public struct Made: Sendable {
        public var name: String
        public var role: Role
        public var area: String
        public var password: String
    }

    public static func create(in store: any WorkspaceStore, district: String = "404", commune: String = "16282") async throws -> [Made] {
        let teams = Set(try await store.teams().map(\.code))
        var made: [Made] = []
        for (name, role, area, team) in [("to-truong", Role.leader, commune, "P06-\(commune)"), ("can-bo-xa", Role.officer, commune, nil),
                                         ("phong-huyen", Role.viewer, district, nil)] {
            let password = Accounts.newPassword()
            _ = try await Accounts.add(name: name, role: role, area: area, team: team.flatMap { teams.contains($0) ? $0 : nil },
                                       password: password, in: store)
            made.append(Made(name: name, role: role, area: area, password: password))
        }
        return made
    }
}
