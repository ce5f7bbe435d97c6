import ArgumentParser
import Foundation
import OutreachKit

/// The `--campaigns` option of the commands that read campaign files.
struct CampaignOptions: ParsableArguments {
    @Option(name: .long, help: Help.argument("option.campaigns", value: "dir"), completion: .directory)
    var campaigns: String?

    /// The Campaigns folder of the package this executable was built from, so that `swift run
    /// outreach` finds the shipped campaigns from any folder on a developer's machine.
    static let packageCampaigns = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Campaigns").path

    /// The folder chosen by --campaigns, OUTREACH_CAMPAIGNS, ./Campaigns or the package's own.
    var directory: String {
        if let campaigns, !campaigns.isEmpty { return campaigns }
        return Self.defaultDirectory
    }

    /// The folder chosen without --campaigns: OUTREACH_CAMPAIGNS, ./Campaigns or the package's own.
    static var defaultDirectory: String {
        if let env = ProcessInfo.processInfo.environment["OUTREACH_CAMPAIGNS"], !env.isEmpty { return env }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: "Campaigns", isDirectory: &isFolder), isFolder.boolValue { return "Campaigns" }
        return CampaignOptions.packageCampaigns
    }

    /// The metrics the chosen folder's campaigns declare, and the campaign files that could not
    /// be read. A folder the user did not name (no --campaigns, no OUTREACH_CAMPAIGNS) that does
    /// not exist declares none: sessions with built-in metrics need no campaigns.
    func declaredMetrics() throws -> (codes: [String], unreadable: [String]) {
        let named = !(campaigns ?? "").isEmpty || !(ProcessInfo.processInfo.environment["OUTREACH_CAMPAIGNS"] ?? "").isEmpty
        var isFolder: ObjCBool = false
        if !named, !FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) || !isFolder.boolValue {
            return ([], [])
        }
        return try CampaignCatalog(directory: directory).declaredMetrics()
    }

    /// The campaigns of the chosen folder.
    func catalog() throws -> CampaignCatalog {
        let catalog = CampaignCatalog(directory: directory)
        _ = try catalog.ids()  // A missing folder is reported here, before any other work.
        return catalog
    }
}
