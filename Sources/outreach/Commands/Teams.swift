import ArgumentParser
import OutreachKit

extension Outreach {
    struct Teams: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Not built yet.")
    }
}
