import ArgumentParser
import OutreachKit

extension Outreach {
    struct Coverage: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "coverage",
            abstract: "Show a campaign's coverage per area, rolled up the tree, against its targets.",
            discussion: """
                One row per area in tree order with value, denominator, coverage, target and status \
                (met, on track, behind, no data, no denominator), and a total row. Coverage sums values and \
                denominators up the tree; it never averages percentages.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "Campaign id, as in Campaigns/<id>.yaml.") var campaign: String
        @Option(help: "Only this indicator.") var indicator: String?
        @Option(help: "Start at this area (default: the campaign's scope).") var under: String?
        @Option(help: "Only areas of this kind (commune, hamlet …) or this many levels below the start.")
        var level: String?
        @Option(help: "Count sessions up to this day (default today).") var asOf: Day?
        @Flag(help: "Only the areas that are behind, and those with no data (never logged).") var behind = false
        @Option(help: "Order of the rows: tree, coverage, name or code.") var sort: CoverageReport.Sort = .tree
        @Option(help: "Output format: table, csv, json or md.") var format: CoverageFormat = .table

        func validate() throws {
            if let level, CoverageReport.LevelFilter(parsing: level) == nil {
                throw ValidationError("--level takes a kind (province, district, commune, hamlet …) or a depth such as 2.")
            }
        }

        func run() throws {
            let labels = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            let store = try database.open()
            // CSV and JSON are machine formats: their whole-country row has one name in every language.
            let country = format == .table || format == .md ? labels["report.country"] : Campaign.wholeTreeName
            let report = try store.coverageReport(
                campaign: definition,
                options: .init(asOf: asOf ?? .today(), indicator: indicator, under: under,
                               level: level.flatMap(CoverageReport.LevelFilter.init(parsing:)), behindOnly: behind, sort: sort),
                countryName: country)
            Console.out(try report.renderedBytes(as: format, labels: labels))
        }
    }
}

extension CoverageFormat: ExpressibleByArgument {}
extension CoverageReport.Sort: ExpressibleByArgument {}
