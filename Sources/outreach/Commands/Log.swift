import ArgumentParser
import OutreachKit

extension Outreach {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Not built yet.")
    }
}
