import ArgumentParser
import OutreachKit

extension Outreach {
    struct Sessions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Not built yet.")
    }
}
