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
