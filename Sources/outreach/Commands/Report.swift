import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Report: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("report")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var treeOption: TreeOptions
        @Option(help: Help.argument("report.campaign", value: "id")) var campaign: String
        @Option(help: Help.argument("report.under", value: "code")) var under: String?
        @Option(help: Help.argument("report.as_of", value: "date"), transform: ArgumentValue.day) var asOf: Day?
        @Option(help: Help.argument("report.out", value: "file"), completion: .file(extensions: ["html", "md"])) var out: String
        @Option(help: Help.argument("report.issuer", value: "text")) var issuer: String?
        @Option(help: Help.argument("report.signer_title", value: "text")) var signerTitle: String?
        @Option(help: Help.argument("report.signer_name", value: "name")) var signerName: String?

        func run() async throws {
            let format = try ReportFile.format(of: out)
            let labels = try language.labels()
            let definition = try campaigns.catalog().campaign(campaign)
            var report = try await database.open().districtReport(campaign: definition, under: under, asOf: asOf ?? .today(), quality: true,
                                                                    treeDay: treeOption.tree)
            report.signature = ReportSignature(issuer: issuer, title: signerTitle, name: signerName)
            let text = format == .html ? report.html(labels: labels) : report.markdown(labels: labels)
            try ReportFile.write(text, to: out)
            Console.out(labels("report.cli.wrote", ["file": out, "area": report.place.name,
                                                    "campaign": report.campaign.id, "date": labels.date(report.asOf)]) + "\n")
        }
    }
}

/// The report file named by `--out`: its format, and writing it.
enum ReportFile {
    enum Format { case html, markdown }

    /// The format the extension names.
    static func format(of path: String) throws -> Format {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "html", "htm": return .html
        case "md", "markdown": return .markdown
        default: throw ReportFileError.unknownExtension(path)
        }
    }

    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReportFileError.cannotWrite(path, reason: FileProblem(error, creating: true))
        }
    }
}

/// A report file that cannot be written.
enum ReportFileError: Error, UserFacingError {
    case unknownExtension(String)
    case cannotWrite(String, reason: FileProblem)

    var message: String { message(in: Labels(.en))! }

    func message(in labels: Labels) -> String? {
        switch self {
        case let .unknownExtension(path):
            return labels("report.cli.error.extension", ["file": path])
        case let .cannotWrite(path, reason):
            return labels("report.cli.error.cannot_write", ["file": path, "reason": reason.text(labels)])
        }
    }
}
