import ArgumentParser
import OutreachKit

extension Outreach {
    struct Leaflets: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Not built yet.")
    }
}
