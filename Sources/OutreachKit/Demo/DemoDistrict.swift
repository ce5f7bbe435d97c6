import Foundation

/// A made-up season of outreach in the real Nông Cống district, shaped like its reports: 201
/// villages over its 29 communes, a Project 06 team in every commune (319 members) and every
/// village (1,010 members), a youth volunteer team in every commune, 6,000 leaflets passed down
/// to the villages, and a year of sessions that leaves some villages ahead of the campaign's
/// pace and some behind, a few gone quiet and two that never logged.
///
/// Pure and deterministic: the same tree, period, day and seed give the same files. The files
/// follow SPEC.md's CSV formats, so the demo loads through the same imports as users' files.
public struct DemoDistrict: Sendable {
    /// What the demo holds, for the summary it prints.
    public struct Figures: Equatable, Sendable {
        public var communes = 0
        public var hamlets = 0
        public var teams = 0
        public var members = 0
        public var sessions = 0
        public var leaflets = 0
    }

    /// The district's code in `nong_cong.csv`.
    public static let districtCode = "404"
    /// Leaflets the district printed (SPEC.md's figures).
    public static let leafletsPrinted = 6000
    /// Members of the communes' Project 06 teams, and of the villages' (SPEC.md's figures).
    public static let communeTeamMembers = 319
    public static let villageTeamMembers = 1010
    public static let villages = 201

    /// `areas.csv` of the villages, with their denominators.
    public var hamlets: String
    /// `teams.csv`: Project 06 teams of communes and villages, volunteer teams of communes.
    public var teams: String
    /// `members.csv`.
    public var members: String
    /// `sessions.csv`: one year's sessions up to the day the demo is built.
    public var sessions: String
    /// The district's receipt of its leaflets, then their allocation to communes and villages.
    public var leafletMoves: [LeafletMove]
    public var figures: Figures

    /// Builds the district.
    ///
    /// - Parameters:
    ///   - tree: the rows of `nong_cong.csv` (the district and its communes).
    ///   - period: the Project 06 campaign's period; sessions fall inside it, up to `today`.
    ///   - quarterStart: the first day of the leaflet and online-services quarter (sessions from
    ///     then on also count leaflets, guided dossiers and smartphone help).
    ///   - today: the last day with sessions.
    public init(tree: [AreaRow], period: ClosedRange<Day>, quarterStart: Day, today: Day, seed: UInt64 = 2026) {
        var rng = SeededRandom(seed: seed)
        let communes = tree.filter { $0.parentCode == DemoDistrict.districtCode && $0.level.isCommuneLevel }
            .sorted { $0.code < $1.code }
        var figures = Figures(communes: communes.count)
        let through = max(period.lowerBound, min(today, period.upperBound))
        let elapsed = Double(through.number - period.lowerBound.number + 1)
            / Double(period.upperBound.number - period.lowerBound.number + 1)

        // Villages and their people.
        let counts = rng.split(DemoDistrict.villages, into: communes.count, each: 5...10)
        var villages: [Village] = []
        var hamletRows: [[String]] = []
        for (c, commune) in communes.enumerated() {
            let isTown = commune.level == .town
            let numbered = isTown || rng.chance(0.4)
            let names = numbered ? (1...counts[c]).map { String($0) } : DemoNames.villageNames(counts[c], using: &rng)
            let drive = rng.double(0.8...1.22)
            for (k, name) in names.enumerated() {
                let population = rng.int(560...1_650)
                let village = Village(
                    code: "\(commune.code)-\(k < 9 ? "0" : "")\(k + 1)", name: (isTown ? "Tiểu khu " : "Thôn ") + name,
                    commune: c, adults: Int(Double(population) * rng.double(0.72...0.78)),
                    workingAge: Int(Double(population) * rng.double(0.58...0.65)),
                    households: Int(Double(population) / rng.double(3.4...4.0)),
                    drive: min(max(drive + rng.double(-0.12...0.12), 0.55), 1.3))
                villages.append(village)
                hamletRows.append([village.code, village.name, isTown ? "tiểu khu" : "thôn", commune.code, String(population),
                                   String(village.adults), String(village.workingAge), String(village.households)])
            }
        }
        figures.hamlets = villages.count
        hamlets = CSVWriter.render(header: ["code", "name", "kind", "parent_code"] + AreaAttributes.names, rows: hamletRows)

        // Teams and members.
        var teamRows: [[String]] = []
        var memberRows: [[String]] = []
        var leaders: [String: String] = [:]
        func addTeam(code: String, name: String, kind: TeamKind, area: String, size: Int, formed: Day) {
            let people = DemoNames.people(size, using: &rng)
            leaders[code] = people[0]
            teamRows.append([code, name, kind.rawValue, area, people[0], formed.iso, "active"])
            for (i, person) in people.enumerated() {
                memberRows.append([code, person, i == 0 ? "leader" : "member", formed.adding(days: i == 0 ? 0 : rng.int(0...60)).iso])
            }
        }
        let communeSizes = rng.split(DemoDistrict.communeTeamMembers, into: communes.count, each: 9...14)
        let villageSizes = rng.split(DemoDistrict.villageTeamMembers, into: villages.count, each: 4...7)
        let year = period.lowerBound.components.year
        for (c, commune) in communes.enumerated() {
            let short = commune.name.withoutAdministrativePrefix
            let unit = commune.level == .town ? "thị trấn" : "xã"
            addTeam(code: "P06-\(commune.code)", name: "Tổ công tác Đề án 06 \(unit) \(short)", kind: .project06,
                    area: commune.code, size: communeSizes[c], formed: Day(year: year - 4, month: 3, day: rng.int(8...28))!)
            addTeam(code: "TN-\(commune.code)", name: "Đội thanh niên tình nguyện \(unit) \(short)", kind: .volunteer,
                    area: commune.code, size: rng.int(8...15), formed: Day(year: year - 3, month: rng.int(3...6), day: rng.int(1...28))!)
        }
        for (v, village) in villages.enumerated() {
            addTeam(code: "P06-\(village.code)", name: "Tổ công tác Đề án 06 \(village.name), \(communes[village.commune].name.withoutAdministrativePrefix)",
                    kind: .project06, area: village.code, size: villageSizes[v],
                    formed: Day(year: year - 4, month: rng.int(5...12), day: rng.int(1...28))!)
        }
        figures.teams = teamRows.count
        figures.members = memberRows.count
        teams = CSVWriter.render(header: ["code", "name", "kind", "area_code", "leader", "formed", "status"], rows: teamRows)
        members = CSVWriter.render(header: ["team", "name", "role", "joined"], rows: memberRows)

        // Leaflets: the district keeps a few, each commune a tenth of its share, the rest goes to the villages.
        let received = quarterStart.adding(days: -6)
        var moves = [LeafletMove(id: rng.uuid(), day: received, to: DemoDistrict.districtCode,
                                 quantity: DemoDistrict.leafletsPrinted, batch: "Đợt \(quarterStart.components.month)/\(year)")]
        let households = communes.indices.map { c in villages.filter { $0.commune == c }.reduce(0) { $0 + $1.households } }
        let toCommunes = SeededRandom.apportion(DemoDistrict.leafletsPrinted - 200, by: households.map(Double.init))
        var allocation = [Int](repeating: 0, count: villages.count)
        for (c, commune) in communes.enumerated() where toCommunes[c] > 0 {
            moves.append(LeafletMove(id: rng.uuid(), day: received.adding(days: 2), from: DemoDistrict.districtCode,
                                     to: commune.code, quantity: toCommunes[c]))
            let members = villages.indices.filter { villages[$0].commune == c }
            let shares = SeededRandom.apportion(toCommunes[c] - toCommunes[c] / 10, by: members.map { Double(villages[$0].households) })
            for (k, v) in members.enumerated() where shares[k] > 0 {
                allocation[v] = shares[k]
                moves.append(LeafletMove(id: rng.uuid(), day: received.adding(days: 4), from: commune.code,
                                         to: villages[v].code, quantity: shares[k]))
            }
        }
        leafletMoves = moves
        figures.leaflets = DemoDistrict.leafletsPrinted

        // Sessions: each village at its own rhythm, some falling quiet, two never logging.
        let never = Set([rng.int(0...(villages.count / 2 - 1)), rng.int((villages.count / 2)...(villages.count - 1))])
        var sessionRows: [[String]] = []
        for (v, village) in villages.enumerated() where !never.contains(v) {
            let quiet = rng.chance(0.05)
            let lastDay = quiet ? through.adding(days: -rng.int(16...45)) : through.adding(days: -rng.int(0...6))
            var days: [Day] = []
            var day = period.lowerBound.adding(days: rng.int(2...12))
            let gap = rng.int(7...13)
            while day < lastDay.adding(days: -3) {
                let c = day.components
                if !(c.month == 2 && (13...22).contains(c.day)) && day.weekday != 6 { days.append(day) }
                day = day.adding(days: max(3, gap + rng.int(-3...3)))
            }
            days.append(lastDay)
            guard !days.isEmpty else { continue }
            let drive = village.drive * (quiet ? 0.8 : 1)
            let weights = days.map { _ in rng.double(0.6...1.4) }
            let eid = SeededRandom.apportion(min(Int(Double(village.adults) * 0.9 * elapsed * drive), village.adults * 97 / 100), by: weights)
            let visits = SeededRandom.apportion(min(Int(Double(village.households) * elapsed * drive * rng.double(0.92...1.08)), village.households),
                                                by: weights.map { $0 * rng.double(0.7...1.3) })
            let quarter = days.indices.filter { days[$0] >= quarterStart }
            let quarterShare = min(1, Double(through.number - quarterStart.number + 1) / 92)
            let quarterWeights = quarter.map { _ in rng.double(0.6...1.4) }
            let dvc = SeededRandom.apportion(Int(15 * quarterShare * drive * rng.double(0.7...1.3)), by: quarterWeights)
            let phones = SeededRandom.apportion(Int(Double(village.workingAge) * 0.09 * quarterShare * drive), by: quarterWeights)
            let handed = SeededRandom.apportion(min(allocation[v], Int(Double(allocation[v]) * min(1, quarterShare * 1.5) * drive)),
                                                by: quarterWeights)
            let communeCode = communes[village.commune].code
            for (i, day) in days.enumerated() {
                let volunteers = rng.chance(0.18)
                let team = volunteers ? "TN-\(communeCode)" : "P06-\(village.code)"
                let bank = Int(Double(eid[i]) * rng.double(0.08...0.2))
                let wallet = Int(Double(eid[i]) * rng.double(0.06...0.16))
                var row = [day.iso, village.code, team, leaders[team] ?? "", String(eid[i]), String(bank), String(wallet)]
                if let q = quarter.firstIndex(of: i) {
                    row += [String(handed[q]), String(dvc[q]), String(phones[q])]
                } else {
                    row += ["", "", ""]
                }
                row += [String(visits[i]), String(eid[i] + visits[i] + rng.int(5...40)),
                        rng.chance(0.1) ? rng.pick(DemoNames.notes) : ""]
                sessionRows.append(row)
            }
        }
        sessionRows.sort { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }
        figures.sessions = sessionRows.count
        sessions = CSVWriter.render(header: ["date", "area", "team", "logged_by", "eid_l2", "bank_account", "ewallet", "leaflets",
                                             "dvc_guided", "smartphone_setup", "households_visited", "people_reached", "notes"],
                                    rows: sessionRows)
        self.figures = figures
    }

    /// A village as the generator builds it.
    private struct Village {
        var code: String
        var name: String
        var commune: Int
        var adults: Int
        var workingAge: Int
        var households: Int
        /// How hard its team works, against the campaign's pace (1 = exactly on it).
        var drive: Double
    }
}

/// Names the demo gives its villages and people: common Vietnamese ones, put together at random.
enum DemoNames {
    static let first = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Yên", "Phú", "Xuân", "Hòa", "An", "Tân",
                        "Văn", "Đồng", "Lộc", "Minh", "Thành", "Hưng", "Cao", "Phúc", "Quang"]
    static let second = ["Thịnh", "Lạc", "Bình", "Phúc", "Lợi", "Hòa", "Vinh", "Thọ", "Sơn", "Giang", "Mỹ", "Lâm", "Hải",
                         "Tiến", "Quang", "Thắng", "Khang", "Điền", "Trang", "Xá", "Nội", "Ninh"]
    static let families = ["Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Trịnh", "Lê", "Nguyễn",
                            "Mai", "Dương", "Lưu", "Hà", "Cao", "Đinh", "Lê"]
    static let menMiddle = ["Văn", "Đình", "Xuân", "Hữu", "Minh", "Quang", "Đức", "Ngọc", "Công", "Văn"]
    static let womenMiddle = ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Thị", "Minh", "Kim"]
    static let men = ["Hùng", "Nam", "Sơn", "Tú", "Bình", "Dũng", "Tuấn", "Long", "Hải", "Cường", "Thắng", "Quân", "Hiếu",
                      "Trung", "Phong", "Đạt", "Khánh", "Tùng", "Hòa", "Lâm", "Việt", "Thành"]
    static let women = ["Mai", "Lan", "Hà", "Hương", "Hoa", "Thảo", "Trang", "Hằng", "Linh", "Nga", "Phương", "Yến",
                        "Loan", "Huyền", "Nhung", "Thủy", "Oanh", "Dung", "Hạnh", "Vân"]
    static let notes = ["Họp thôn, phổ biến Đề án 06", "Trời mưa, ít người", "Phối hợp Đoàn thanh niên",
                        "Hỗ trợ người cao tuổi tại nhà", "Lồng ghép buổi sinh hoạt chi hội phụ nữ",
                        "Nhiều người đi làm xa, hẹn buổi sau", "Hướng dẫn tại nhà văn hóa thôn"]

    /// `count` different village names ("Đông Thịnh", "Yên Lạc" …).
    static func villageNames(_ count: Int, using rng: inout SeededRandom) -> [String] {
        var names: [String] = []
        while names.count < count {
            let (a, b) = (rng.pick(first), rng.pick(second))
            if a != b, !names.contains(a + " " + b) { names.append(a + " " + b) }
        }
        return names
    }

    /// `count` different full names.
    static func people(_ count: Int, using rng: inout SeededRandom) -> [String] {
        var names: [String] = []
        while names.count < count {
            let woman = rng.chance(0.45)
            let name = [rng.pick(families), rng.pick(woman ? womenMiddle : menMiddle), rng.pick(woman ? women : men)]
                .joined(separator: " ")
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}

extension SeededRandom {
    /// A random (version 4) UUID drawn from the generator, so that re-runs give the same ids.
    mutating func uuid() -> UUID {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &self) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
