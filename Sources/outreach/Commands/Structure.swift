import ArgumentParser
import OutreachKit

extension Outreach {
    struct Structure: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Not built yet.")
    }
}
