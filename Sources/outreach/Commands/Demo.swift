import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Demo: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("demo")

        @Option(help: Help.argument("demo.dir", value: "dir"), completion: .directory) var dir = "outreach-demo"
        /// Only its `--db` is read (never OUTREACH_DB): an empty PostgreSQL database to load.
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        /// The demo's own changes are recorded as "demo" unless --by names someone.
        var recorder: Recorder { Recorder(name: actor.by ?? "demo") }

        /// The campaign the demo's sessions follow and its report shows.
        static let mainCampaign = "de-an-06"
        /// The campaign whose quarter counts leaflets, guided dossiers and smartphone help.
        static let quarterCampaign = "to-cong-nghe-so"

        func run() async throws {
            let started = ContinuousClock.now
            let l = try language.labels()
            let today = Day.today()
            // A PostgreSQL database given with --db is checked before the folder is touched.
            var given: (any WorkspaceStore)? = nil
            if let location = database.db {
                if !PostgresLocation.isURI(location) && Store.isWorkspace(path: location) {
                    throw DemoError(message: l("demo.error.not_empty_db", ["uri": location]))
                }
                let store = try await Workspaces.open(location, create: true)
                if let postgres = store as? PostgresWorkspace, !postgres.created {
                    throw DemoError(message: l("demo.error.not_empty_db", ["uri": postgres.displayLocation]))
                }
                given = store
            }
            let folder = try DemoFolder(path: dir, labels: l)
            try folder.prepare()
            try folder.copyCampaigns(from: campaigns.directory)
            let catalog = CampaignCatalog(directory: folder.campaigns)
            let main = try catalog.campaign(Demo.mainCampaign)
            let quarter = (try? catalog.campaign(Demo.quarterCampaign))?.start
                ?? Day(year: main.start.components.year, month: 10, day: 1)!

            let tree = try AreaFile.read(try CSVReader(path: DemoFiles.tree))
            let demo = DemoDistrict(tree: tree, period: main.start...main.end, quarterStart: quarter, today: today)
            let files = DemoFiles(folder: folder.data)
            for (path, text) in [(files.hamlets, demo.hamlets), (files.teams, demo.teams), (files.members, demo.members),
                                 (files.sessions, demo.sessions)] {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            }
            // The workspace: the folder's SQLite file, or the new PostgreSQL workspace of --db.
            let store: any WorkspaceStore
            if let given { store = given } else { store = try await Workspaces.open(folder.database, create: true) }
            try await store.loadDemo(demo, files: files, today: today)
            let accounts = try await DemoAccounts.create(in: store)
            // The reform story: Thạnh Phú's sessions before and after 1 July 2025, the official conversion between.
            let story = DemoReform(tree: try AreaFile.read(try CSVReader(path: DemoReform.oldTree)), today: today)
            let reform = try await store.loadReformStory(story, folder: folder.data, today: today)
            let storyCampaign = try? catalog.campaign(DemoReform.campaign)

            // The shipped campaigns cover Tỉnh Thanh Hóa (the tree since 1 July 2025); the demo's
            // sessions are those of the communes of the former Huyện Nông Cống, reported on alone.
            let report = try await store.districtReport(campaign: main, under: DemoDistrict.districtCode, asOf: today, quality: true)
            try ReportFile.write(report.html(labels: l, notice: l["demo.notice"]), to: folder.report)
            let coverage = try await store.coverageReport(
                campaign: main, options: .init(asOf: today, indicator: main.indicators.first?.id, under: DemoDistrict.districtCode,
                                               level: .kind(.commune)))
            let took = (ContinuousClock.now - started).components
            let seconds = Double(took.seconds) + Double(took.attoseconds) / 1e18

            let f = demo.figures
            var out = l("demo.built", ["dir": dir, "communes": l.count(f.communes), "hamlets": l.count(f.hamlets),
                                       "teams": l.count(f.teams), "members": l.count(f.members), "sessions": l.count(f.sessions),
                                       "leaflets": l.count(f.leaflets), "seconds": l.decimal(seconds)]) + "\n\n"
            out += try coverage.rendered(as: .table, labels: l) + "\n"
            out += l["demo.structure"] + "\n" + report.structureLines(labels: l).map { "  " + $0 + "\n" }.joined() + "\n"
            out += l("demo.report", ["path": folder.report]) + "\n\n"
            let run = CommandLine.arguments.first.map { $0.contains(".build") } == true ? "swift run outreach" : "outreach"
            let db = "--db " + (database.db == nil ? folder.database : "'\(store.displayLocation)'")
            out += l("demo.reform", ["sessions": l.count(story.sessionCount), "hamlets": l.count(story.hamletCount),
                                     "date": l.date(DemoReform.effective), "basis": DemoReform.basis]) + "\n"
            out += reform.summary.text(l, effective: DemoReform.effective)
            if let storyCampaign {
                let now = try await store.coverageReport(
                    campaign: storyCampaign, options: .init(asOf: today, indicator: storyCampaign.indicators.first?.id, level: .kind(.commune)))
                out += "\n" + (try now.rendered(as: .table, labels: l))
            }
            out += "\n" + l["demo.next"] + "\n"
            for (command, key) in [
                ("\(run) coverage --campaign de-an-06 --under 16282 \(db)", "demo.next.commune"),
                ("\(run) coverage --campaign de-an-06 --level hamlet --behind --sort coverage \(db)", "demo.next.behind"),
                ("\(run) report --campaign to-cong-nghe-so --under \(DemoDistrict.districtCode) --out \(folder.path("to-cong-nghe-so.html")) \(db)", "demo.next.report"),
                ("\(run) report --campaign de-an-06 --under 16282 --out \(folder.path("tan-phuc.md")) \(db)", "demo.next.markdown"),
                ("\(run) leaflets stock --under 16282 \(db)", "demo.next.leaflets"),
                ("\(run) sessions list --under 16282-01 \(db)", "demo.next.sessions"),
                ("\(run) coverage --campaign thanh-phu --level commune --tree 2025-06-30 \(db)", "demo.next.old_tree"),
                ("\(run) areas history 29194 \(db)", "demo.next.history"),
                ("\(run) areas find \"tân phong\" \(db)", "demo.next.find"),
            ] {
                out += "  " + command + "\n      " + l[key] + "\n"
            }
            out += "\n" + l("demo.accounts", ["command": "\(run) serve \(db)"]) + "\n"
            for a in accounts {
                out += "  " + l("demo.account", ["name": a.name, "password": a.password, "role": l["web.role.\(a.role.rawValue)"], "area": a.area]) + "\n"
            }
            Console.out(out)
        }
    }
}

/// The folder the demo builds: its workspace, data files, campaigns and report, and the mark
/// that says the demo made it (so a re-run may rebuild it, and any other folder is left alone).
struct DemoFolder {
    let root: String
    let labels: Labels

    static let mark = ".outreach-demo"
    static let built = ["outreach.sqlite", "outreach.sqlite-wal", "outreach.sqlite-shm", "data", "Campaigns", "report.html", mark]

    init(path: String, labels: Labels) throws {
        root = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        self.labels = labels
    }

    func path(_ name: String) -> String { root + "/" + name }
    var database: String { path("outreach.sqlite") }
    var data: String { path("data") }
    var campaigns: String { path("Campaigns") }
    var report: String { path("report.html") }

    /// Makes the folder ready: new, empty, or a demo folder whose previous build is removed.
    func prepare() throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: root, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw DemoError(message: labels("demo.error.not_folder", ["dir": root])) }
            let entries = try fm.contentsOfDirectory(atPath: root)
            if !entries.isEmpty {
                guard entries.contains(DemoFolder.mark) else {
                    throw DemoError(message: labels("demo.error.not_demo", ["dir": root, "mark": DemoFolder.mark]))
                }
                for name in DemoFolder.built where entries.contains(name) { try fm.removeItem(atPath: path(name)) }
            }
        }
        do {
            try fm.createDirectory(atPath: data, withIntermediateDirectories: true)
            try Data(labels["demo.mark"].utf8).write(to: URL(fileURLWithPath: path(DemoFolder.mark)))
        } catch {
            throw DemoError(message: labels("demo.error.cannot_write", ["dir": root, "reason": FileProblem(error, creating: true).text(labels)]))
        }
    }

    /// Copies the campaign files (`*.yaml` and the tables they name) into `Campaigns/`.
    func copyCampaigns(from source: String) throws {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: source) else {
            throw DemoError(message: labels("demo.error.no_campaigns", ["dir": source]))
        }
        try fm.createDirectory(atPath: campaigns, withIntermediateDirectories: true)
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".csv") {
            try fm.copyItem(atPath: source + "/" + name, toPath: campaigns + "/" + name)
        }
    }
}

/// Why the demo could not be built, and what to do, already in the command's language.
struct DemoError: Error, UserFacingError {
    var message: String

    func message(in labels: Labels) -> String? { message }
}
