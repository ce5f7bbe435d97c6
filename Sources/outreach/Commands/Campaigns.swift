import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Campaigns: ParsableCommand {
        static let configuration = Help.command("campaigns", subcommands: [List.self, Show.self, Check.self])
    }
}

extension Outreach.Campaigns {
    struct List: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("campaigns.list")

        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("option.format")) var format: OutputFormat = .table

        func run() async throws {
            let l = try language.labels()
            let catalog = try campaigns.catalog()
            let (all, rejected) = try catalog.all()
            let rows = all.map { CampaignSummary($0) }
            switch format {
            case .table:
                Console.out(TextTable.render(
                    [TableColumn(l["campaigns.col.id"]), TableColumn(l["campaigns.col.name"]), TableColumn(l["campaigns.col.scope"]),
                     TableColumn(l["campaigns.col.period"]), TableColumn(l["campaigns.col.indicators"], rightAligned: true)],
                    rows.map { row in
                        [row.id, l.language == .en ? row.nameEnglish ?? row.name : row.name, row.scope,
                         l("campaigns.period", ["start": l.date(row.start), "end": l.date(row.end)]), l.count(row.indicators)]
                    }))
            case .csv:
                Console.out(CSVWriter.render(
                    header: ["id", "name", "name_en", "scope", "start", "end", "indicators"],
                    rows: rows.map { [$0.id, $0.name, $0.nameEnglish ?? "", $0.scope, $0.start.iso, $0.end.iso, String($0.indicators)] }))
            case .json:
                Console.out(try JSONOutput.render(rows))
            }
            for r in rejected {
                let text = l.counted(r.total, one: l["campaigns.list.rejected.one"], other: l["campaigns.list.rejected.other"],
                                     ["file": r.file])
                Console.error(l("cli.error", ["message": text]))
            }
            if !rejected.isEmpty { throw ExitCode(1) }
        }
    }

    struct Show: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("campaigns.show")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("campaigns.show.id")) var id: String

        func run() async throws {
            let labels = try language.labels()
            let catalog = try campaigns.catalog()
            let campaign = try catalog.campaign(id)
            Console.out(CampaignDescription.text(of: campaign, file: catalog.path(of: id), labels: labels))
            if let tree = await Check.workspaceTree(database, labels) {
                Check.warnAboutAreas(campaign, file: catalog.path(of: id), tree: tree, database: database, labels)
                // Where the scope's denominators come from, when the areas files said.
                let start = campaign.coversWholeTree ? nil : tree.index(of: campaign.scope)
                if campaign.coversWholeTree || start != nil, let sources = try? await database.open().areaSources(), !sources.isEmpty {
                    let ids = tree.preorder(from: start.map { [$0] } ?? tree.roots).filter { tree.children[$0.index].isEmpty }
                        .map { tree.nodes[$0.index].id }
                    Console.out(DenominatorSource.text(DenominatorSource.summary(ids, sources: sources), labels) + "\n")
                }
            }
        }
    }

    struct Check: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("campaigns.check")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("campaigns.check.files", value: "file"), completion: .file(extensions: ["yaml", "yml"])) var files: [String]

        func run() async throws {
            let l = try language.labels()
            let tree = await Check.workspaceTree(database, l)
            var failed = false
            for file in files {
                do {
                    let campaign = try CampaignCatalog.load(file: file)
                    Console.out(l.counted(campaign.indicators.count, one: l["campaigns.check.ok.one"],
                                          other: l["campaigns.check.ok.other"], ["file": file]) + "\n")
                    if let tree { Check.warnAboutAreas(campaign, file: file, tree: tree, database: database, l) }
                } catch let CampaignError.invalid(rejected) {
                    failed = true
                    // Problems without labels are English; then so is the count below them.
                    let speaking = rejected.isTranslated ? l : Labels(.en)
                    for line in rejected.lines(speaking) { Console.error(line) }
                    Console.error(speaking.counted(rejected.total, one: speaking["campaigns.check.problems.one"],
                                                   other: speaking["campaigns.check.problems.other"], ["file": file]))
                } catch let error as UserFacingError {
                    failed = true
                    Console.failure(error, l)
                }
            }
            if failed { throw ExitCode(1) }
        }

        /// The workspace's tree when there is a workspace; nil (after a warning if it cannot be read) otherwise.
        static func workspaceTree(_ database: DatabaseOptions, _ l: Labels) async -> AreaTree? {
            guard PostgresLocation.isURI(database.path) || FileManager.default.fileExists(atPath: database.path) else { return nil }
            do {
                return try await database.open().areaTree(addingRoot: nil)
            } catch let error as UserFacingError {
                let speaking = error.message(in: l) == nil ? Labels(.en) : l
                Console.warning(speaking("campaigns.check.not_checked", ["reason": error.message(in: l) ?? error.message]), speaking)
            } catch {
                Console.warning(l("campaigns.check.not_checked", ["reason": "\(error)"]), l)
            }
            return nil
        }

        /// Warns about the campaign's area codes the workspace does not have, and those outside its scope.
        static func warnAboutAreas(_ campaign: Campaign, file: String, tree: AreaTree, database: DatabaseOptions, _ l: Labels) {
            let unknown = campaign.unknownAreas(in: tree)
            if !unknown.isEmpty {
                Console.warning(l("campaigns.check.unknown_areas", ["file": file, "db": database.path,
                                                                   "codes": unknown.map { "\"\($0)\"" }.joined(separator: ", ")]), l)
            }
            let outside = campaign.areasOutsideScope(in: tree)
            if !outside.isEmpty {
                Console.warning(l.counted(outside.count, one: l["campaigns.check.outside.one"], other: l["campaigns.check.outside.other"],
                                          ["file": file, "codes": outside.map { "\"\($0)\"" }.joined(separator: ", "),
                                           "scope": campaign.scope]), l)
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
    static func text(of c: Campaign, file: String, labels l: Labels) -> String {
        let names = [l["campaigns.field.english"], l["campaigns.field.file"], l["campaigns.field.scope"],
                     l["campaigns.field.period"], l["campaigns.field.extra_metrics"], l["campaigns.field.area_targets"],
                     l["campaigns.field.baselines"], l["campaigns.field.numerator"], l["campaigns.field.denominator"],
                     l["campaigns.field.target"], l["campaigns.field.milestones"], l["campaigns.field.rollup"],
                     l["campaigns.field.closing"], l["campaigns.field.baseline_sources"]]
        let width = (names.map(\.count).max() ?? 0) + 2
        var lines: [String] = []
        func field(_ name: String, _ value: String) {
            let label = name + ":"
            lines.append("  " + label + String(repeating: " ", count: max(1, width - label.count)) + value)
        }
        let none = l["campaigns.none"]
        func areas(_ n: Int) -> String { l.counted(n, one: l["campaigns.areas.one"], other: l["campaigns.areas.other"]) }
        lines.append("\(c.id): \(c.name)")
        if let english = c.nameEnglish { field(names[0], english) }
        field(names[1], file)
        field(names[2], c.scope)
        let days = l.counted(c.end.number - c.start.number + 1, one: l["campaigns.days.one"], other: l["campaigns.days.other"])
        field(names[3], l("campaigns.period", ["start": l.date(c.start), "end": l.date(c.end)]) + " (\(days))")
        field(names[4], c.extraMetrics.isEmpty ? none : c.extraMetrics.map { code in
            c.metricNames[code].map { "\($0.text(l.language)) (\(code))" } ?? code
        }.joined(separator: ", "))
        let targetCount = c.areaTargets.values.reduce(0) { $0 + $1.count }
        let targetAreas = Set(c.areaTargets.values.flatMap(\.keys)).count
        field(names[5], targetCount == 0 ? none : "\(l.count(targetCount)) (\(areas(targetAreas)))")
        let baselineCount = c.baselines.values.reduce(0) { $0 + $1.count }
        field(names[6], baselineCount == 0 ? none : "\(l.count(baselineCount)) (\(areas(c.baselines.count)))")
        if baselineCount > 0 { field(names[13], BaselineSource.rows(c, l)) }
        field(names[12], c.closing.text(l))
        for indicator in c.indicators {
            lines.append("")
            lines.append(l("campaigns.indicator", ["id": indicator.id, "label": indicator.label]))
            if let english = indicator.labelEnglish { field(names[0], english) }
            field(names[7], indicator.numerator.map { c.metricName($0, l) }.joined(separator: " + "))
            field(names[8], indicator.denominator ?? l["campaigns.denominator.none"])
            field(names[9], l("campaigns.target", ["target": l.target(indicator.target), "date": l.date(c.end)]))
            if !indicator.milestones.isEmpty {
                field(names[10], indicator.milestones.map { "\(l.date($0.day)) \(l.target($0.target))" }.joined(separator: ", "))
            }
            field(names[11], rollUpText(indicator.rollUp, l))
            if let assigned = c.areaTargets[indicator.id], !assigned.isEmpty {
                field(names[5], areas(assigned.count))
            }
            // Which of the indicator's figures include a baseline, and where it came from.
            let baselines = BaselineSource.summary(c, indicators: [indicator])
            if !baselines.isEmpty { field(names[6], BaselineSource.sources(baselines, l)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func rollUpText(_ mode: RollUpMode, _ l: Labels) -> String {
        switch mode {
        case .ratio: l["campaigns.rollup.ratio"]
        case .mean: l["campaigns.rollup.mean"]
        case .all: l["campaigns.rollup.all"]
        }
    }
}
