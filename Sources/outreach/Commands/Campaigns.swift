import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Campaigns: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, show and check campaign files (Campaigns/<id>.yaml).",
            subcommands: [List.self, Show.self, Check.self])
    }
}

extension Outreach.Campaigns {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the campaigns of the campaigns folder: id, name, scope, period, indicators.",
            discussion: "A file with problems is named on standard error (exit status 1); `campaigns check FILE` lists its problems.")

        @OptionGroup var campaigns: CampaignOptions
        @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table

        func run() throws {
            let catalog = try campaigns.catalog()
            let (all, rejected) = try catalog.all()
            let rows = all.map { CampaignSummary($0) }
            switch format {
            case .table:
                Console.out(TextTable.render(
                    [TableColumn("ID"), TableColumn("NAME"), TableColumn("SCOPE"), TableColumn("PERIOD"),
                     TableColumn("INDICATORS", rightAligned: true)],
                    rows.map { [$0.id, $0.name, $0.scope, "\($0.start.iso) – \($0.end.iso)", String($0.indicators)] }))
            case .csv:
                Console.out(CSVWriter.render(
                    header: ["id", "name", "name_en", "scope", "start", "end", "indicators"],
                    rows: rows.map { [$0.id, $0.name, $0.nameEnglish ?? "", $0.scope, $0.start.iso, $0.end.iso, String($0.indicators)] }))
            case .json:
                Console.out(try JSONOutput.render(rows))
            }
            for r in rejected {
                let count = r.total == 1 ? "1 problem" : "\(r.total) problems"
                Console.error("error: \(r.file) has \(count) and is left out. See them with `outreach campaigns check \(r.file)`.")
            }
            if !rejected.isEmpty { throw ExitCode(1) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a campaign: scope, period, and each indicator with its numerator, denominator, target, milestones and roll-up.")

        @OptionGroup var campaigns: CampaignOptions
        @Argument(help: "The campaign's id, as in Campaigns/<id>.yaml.") var id: String

        func run() throws {
            let catalog = try campaigns.catalog()
            let campaign = try catalog.campaign(id)
            Console.out(CampaignDescription.text(of: campaign, file: catalog.path(of: id)))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check campaign files and list every problem, each with its line.",
            discussion: """
                Exit status 1 when any file has a problem. When the workspace exists (--db, OUTREACH_DB \
                or ./outreach.sqlite), area codes it does not have are warned about.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The campaign files (YAML).") var files: [String]

        func run() throws {
            let tree = workspaceTree()
            var failed = false
            for file in files {
                do {
                    let campaign = try CampaignCatalog.load(file: file)
                    let count = campaign.indicators.count
                    Console.out("\(file): OK — \(count) indicator\(count == 1 ? "" : "s")\n")
                    if let tree { warnAboutAreas(campaign, file: file, tree: tree) }
                } catch let CampaignError.invalid(rejected) {
                    failed = true
                    for problem in rejected.problems { Console.error(problem.description) }
                    if rejected.total > rejected.problems.count {
                        Console.error("… and \(rejected.total - rejected.problems.count) more problems.")
                    }
                    Console.error("\(file): \(rejected.total == 1 ? "1 problem" : "\(rejected.total) problems").")
                } catch let error as UserFacingError {
                    failed = true
                    Console.error("error: " + error.message)
                }
            }
            if failed { throw ExitCode(1) }
        }

        /// The workspace's tree when there is a workspace; nil (after a warning if it cannot be read) otherwise.
        private func workspaceTree() -> AreaTree? {
            guard FileManager.default.fileExists(atPath: database.path) else { return nil }
            do {
                return try database.open().areaTree()
            } catch let error as UserFacingError {
                Console.error("warning: area codes are not checked: " + error.message)
            } catch {
                Console.error("warning: area codes are not checked: \(error)")
            }
            return nil
        }

        private func warnAboutAreas(_ campaign: Campaign, file: String, tree: AreaTree) {
            let unknown = campaign.unknownAreas(in: tree)
            if !unknown.isEmpty {
                Console.error("warning: \(file): the workspace \(database.path) has no area \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")). Import the areas with `outreach areas import`, or fix the codes.")
            }
            let outside = campaign.areasOutsideScope(in: tree)
            if !outside.isEmpty {
                Console.error("warning: \(file): \(outside.map { "\"\($0)\"" }.joined(separator: ", ")) \(outside.count == 1 ? "is" : "are") outside the scope \"\(campaign.scope)\", so \(outside.count == 1 ? "its" : "their") targets and baselines never count.")
            }
        }
    }
}

/// One row of `campaigns list`.
struct CampaignSummary: Encodable {
    var id: String
    var name: String
    var nameEnglish: String?
    var scope: String
    var start: Day
    var end: Day
    var indicators: Int

    init(_ c: Campaign) {
        id = c.id
        name = c.name
        nameEnglish = c.nameEnglish
        scope = c.scope
        start = c.start
        end = c.end
        indicators = c.indicators.count
    }
}

/// The text of `campaigns show`.
enum CampaignDescription {
    static func text(of c: Campaign, file: String) -> String {
        var lines: [String] = []
        func field(_ name: String, _ value: String, indent: String = "  ") {
            lines.append(indent + (name + ":").padding(toLength: 18, withPad: " ", startingAt: 0) + value)
        }
        lines.append("\(c.id): \(c.name)")
        if let english = c.nameEnglish { field("English", english) }
        field("File", file)
        field("Scope", c.scope)
        field("Period", "\(c.start.iso) – \(c.end.iso) (\(c.end.number - c.start.number + 1) days)")
        field("Extra metrics", c.extraMetrics.isEmpty ? "none" : c.extraMetrics.joined(separator: ", "))
        let targetCount = c.areaTargets.values.reduce(0) { $0 + $1.count }
        let targetAreas = Set(c.areaTargets.values.flatMap(\.keys)).count
        field("Per-area targets", targetCount == 0 ? "none" : "\(targetCount) (\(areas(targetAreas)))")
        let baselineCount = c.baselines.values.reduce(0) { $0 + $1.count }
        field("Baselines", baselineCount == 0 ? "none" : "\(baselineCount) (\(areas(c.baselines.count)))")
        for indicator in c.indicators {
            lines.append("")
            lines.append("Indicator \(indicator.id): \(indicator.label)")
            if let english = indicator.labelEnglish { field("English", english) }
            field("Numerator", indicator.numerator.joined(separator: " + "))
            field("Denominator", indicator.denominator ?? "none (a count)")
            field("Target", "\(indicator.target.fileText) by \(c.end.iso)")
            if !indicator.milestones.isEmpty {
                field("Milestones", indicator.milestones.map { "\($0.day.iso) \($0.target.fileText)" }.joined(separator: ", "))
            }
            field("Roll-up", rollUpText(indicator.rollUp))
            if let assigned = c.areaTargets[indicator.id], !assigned.isEmpty {
                field("Per-area targets", areas(assigned.count))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func areas(_ n: Int) -> String { n == 1 ? "1 area" : "\(n) areas" }

    private static func rollUpText(_ mode: RollUpMode) -> String {
        switch mode {
        case .ratio: return "ratio (sum of values over sum of denominators)"
        case .mean: return "mean (the mean of the units' coverage)"
        case .all: return "all (met only when every unit meets its target)"
        }
    }
}
