import ArgumentParser
import OutreachKit

extension Outreach {
    struct Members: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Not built yet.")
    }
}
