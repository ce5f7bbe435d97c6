import Foundation
import Testing
@testable import OutreachKit

@Suite("A campaign-declared metric is shown by its label, never its raw code")
struct MetricLabelTests {
    static let text = campaignText("""
        indicators:
          - id: eid-l2
        """, """
        metrics:
          - code: dvc_submitted
            label: Hồ sơ DVC nộp trực tuyến
            label_en: Online dossiers filed
          - home_visits
        indicators:
          - id: dvc
            label: Hồ sơ nộp trực tuyến
            numerator: [dvc_submitted, home_visits]
            denominator: none
            target: 300
          - id: eid-l2
        """)

    @Test("metrics: takes codes and mappings with label and label_en")
    func readsLabels() throws {
        let campaign = try parseCampaign(Self.text)
        #expect(campaign.extraMetrics == ["dvc_submitted", "home_visits"])
        #expect(campaign.metricNames == ["dvc_submitted": MetricName(label: "Hồ sơ DVC nộp trực tuyến", labelEnglish: "Online dossiers filed")])
        #expect(campaign.metricName("dvc_submitted", Labels(.vi)) == "Hồ sơ DVC nộp trực tuyến")
        #expect(campaign.metricName("dvc_submitted", Labels(.en)) == "Online dossiers filed")
        #expect(campaign.metricName("home_visits", Labels(.vi)) == "home_visits")
        #expect(MetricName(label: "Lượt thăm hộ").text(.en) == "Lượt thăm hộ")
    }

    @Test("a metric mapping without a code or label, or with an unknown key, is refused with its line")
    func refusesBadMappings() throws {
        let noLabel = Self.text.replacingOccurrences(of: "    label: Hồ sơ DVC nộp trực tuyến\n", with: "")
        let error = try #require(throws: (any Error).self) { try parseCampaign(noLabel) }
        #expect("\(error)".contains("test.yaml:7: the metric has no label."), "\(error)")
        let typo = Self.text.replacingOccurrences(of: "label_en: Online", with: "labell_en: Online")
        let unknown = try #require(throws: (any Error).self) { try parseCampaign(typo) }
        #expect("\(unknown)".contains("labell_en"), "\(unknown)")
    }

    @Test("coverage shows the label in the indicator's definition, in the language of the table; CSV keeps codes")
    func coverageUsesLabels() throws {
        let campaign = try parseCampaign(Self.text)
        let tree = AreaTree(nodes: [AreaTree.Node(id: 1, code: "404", name: "Huyện Nông Cống", level: .district)])
        let report = try CoverageReport(campaign: campaign, tree: tree, ownTotals: [:], options: .init(asOf: Day(parsing: "2026-11-20")!))
        let vietnamese = try report.rendered(as: .table, labels: Labels(.vi))
        #expect(vietnamese.contains("Hồ sơ DVC nộp trực tuyến + home_visits"))
        #expect(!vietnamese.contains("dvc_submitted"))
        #expect(try report.rendered(as: .table, labels: Labels(.en)).contains("Online dossiers filed + home_visits"))
    }
}
