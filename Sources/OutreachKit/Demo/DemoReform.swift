import Foundation
import OutreachResources

/// The demo's reform story: a made-up campaign from 2024 to 2026 in the real Huyện Thạnh Phú
/// (Bến Tre), whose 18 communes became six communes of Tỉnh Vĩnh Long on 1 July 2025 by the
/// official conversion. Its hamlets (ấp) are made up, two to five per commune; sessions are
/// logged in them before the reform and after it, in the same hamlets, so one campaign's figures
/// straddle the change. Pure and deterministic.
public struct DemoReform: Sendable {
    /// `Resources/areas/thanh_phu.csv`: the district before July 2025.
    public static let oldTree = OutreachResources.file("areas", "thanh_phu.csv").path
    /// The official conversion and the two-level tree in force since 1 July 2025.
    public static let mapping = OutreachResources.file("areas/conversions", "thanh_phu_2025_mapping.csv").path
    public static let newTree = OutreachResources.file("areas", "vn_units_2025.csv").path
    public static let effective = AreaLevel.twoLevelSince
    public static let basis = "Nghị quyết 1686/NQ-UBTVQH15"
    /// The campaign of the story (a file in the shipped campaigns), scoped to Tỉnh Vĩnh Long.
    public static let campaign = "thanh-phu"

    /// `areas.csv` of the hamlets, with their denominators.
    public var hamlets: String
    /// `sessions.csv` before the reform (logged on the old tree) and after it.
    public var sessionsBefore: String
    public var sessionsAfter: String
    public var hamletCount = 0
    public var sessionCount = 0

    /// Builds the story from the rows of `thanh_phu.csv`, with sessions up to `today`.
    public init(tree: [AreaRow], today: Day, seed: UInt64 = 2025) {
        var rng = SeededRandom(seed: seed)
        var rows: [[String]] = []
        var codes: [(code: String, adults: Int)] = []
        for commune in tree where commune.level.isCommuneLevel {
            let count = rng.int(2...5)
            let short = commune.name.withoutAdministrativePrefix
            for k in 1...count {
                let population = rng.int(700...1_900)
                let adults = Int(Double(population) * rng.double(0.72...0.78))
                let code = "\(commune.code)-0\(k)"
                rows.append([code, "Ấp \(k) \(short)", "ấp", commune.code, String(population), String(adults),
                             String(Int(Double(population) * 0.6)), String(Int(Double(population) / 3.7))])
                codes.append((code, adults))
            }
        }
        hamletCount = codes.count
        hamlets = CSVWriter.render(header: ["code", "name", "kind", "parent_code"] + AreaAttributes.names, rows: rows)
        let start = Day(year: 2024, month: 3, day: 1)!
        let end = min(today, Day(year: 2026, month: 12, day: 31)!)
        var before: [[String]] = [], after: [[String]] = []
        for hamlet in codes {
            // About one session a month, each reaching a few dozen people.
            var day = start.adding(days: rng.int(0...30))
            while day <= end {
                let reached = rng.int(12...45)
                let row = [day.iso, hamlet.code, String(Int(Double(reached) * rng.double(0.55...0.9))), String(reached),
                           String(rng.int(4...15))]
                if day < Self.effective { before.append(row) } else { after.append(row) }
                day = day.adding(days: rng.int(24...40))
            }
        }
        sessionCount = before.count + after.count
        let header = ["date", "area", "eid_l2", "people_reached", "households_visited"]
        sessionsBefore = CSVWriter.render(header: header, rows: before.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) })
        sessionsAfter = CSVWriter.render(header: header, rows: after.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) })
    }
}

extension WorkspaceStore {
    /// Loads the reform story as a user would: the old tree and its hamlets, the sessions logged
    /// before 1 July 2025, the official conversion, then the sessions logged since. The three
    /// files are in `folder` (`thanh-phu-hamlets.csv`, `thanh-phu-before.csv`, `thanh-phu-after.csv`).
    @discardableResult
    public func loadReformStory(_ story: DemoReform, folder: String, today: Day) async throws -> AreaChangePlan {
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        let files = [(base + "thanh-phu-hamlets.csv", story.hamlets), (base + "thanh-phu-before.csv", story.sessionsBefore),
                     (base + "thanh-phu-after.csv", story.sessionsAfter)]
        for (path, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
        for path in [DemoReform.oldTree, files[0].0] {
            _ = try await importAreas(try AreaFile.read(try CSVReader(path: path)), file: path, on: today)
        }
        _ = try await importSessions(file: files[1].0, name: nil, today: today, campaignMetrics: [], problemLimit: 50,
                                     corrections: .refuse, progress: nil)
        let mapping = try ReformMapping.read(try CSVReader(path: DemoReform.mapping))
        let tree = try AreaFile.read(try CSVReader(path: DemoReform.newTree))
        let plan = try await changeAreas(basis: DemoReform.basis) { try $0.reform(mapping, tree: tree, homes: nil, on: DemoReform.effective) }
        _ = try await importSessions(file: files[2].0, name: nil, today: today, campaignMetrics: [], problemLimit: 50,
                                     corrections: .refuse, progress: nil)
        return plan
    }
}
