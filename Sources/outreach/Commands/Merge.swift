import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring bundles made by `outreach export` into this workspace.",
            discussion: """
                Each bundle is all or nothing, checked against its checksum first. Merging twice, or in \
                any order, gives the same workspace. A session with the same id and other figures \
                refuses the bundle (see --set-aside-conflicts); a void always wins over a live copy of \
                its session; an area, team or member changed in both copies keeps its newer version, and \
                the other goes to the merge log.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The bundle files.") var files: [String]
        @Flag(help: "Keep this workspace's version of sessions and leaflet moves that conflict with the bundle's, put the bundle's in the merge log, and merge the rest.")
        var setAsideConflicts = false

        func run() throws {
            // One connection: a big merge can then use a rollback journal, a third faster than WAL.
            let store = try Store.open(path: database.path, singleConnection: true)
            var failed = false
            for file in files {
                do {
                    let summary = try store.mergeBundle(file: file, today: .today(), now: Date(),
                                                        setAsideConflicts: setAsideConflicts)
                    for w in summary.warnings { Console.warning(w) }
                    Console.out(Text.summary(summary))
                } catch let error as UserFacingError where files.count > 1 {
                    Console.failure(error, Outreach.speaking(nil))
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }

        /// What the command prints.
        enum Text {
            static func summary(_ s: MergeSummary) -> String {
                let h = s.header
                var lines = ["\(s.file): from workspace \(h.workspace), exported \(h.exported)\(h.phones ? ", with phone numbers" : "")."]
                for (kind, count) in s.counts {
                    var parts = ["\(count.new) new", "\(count.present) already there"]
                    if count.updated > 0 { parts.append("\(count.updated) replaced by the bundle's newer version") }
                    if count.setAside > 0 { parts.append("\(count.setAside) set aside in the merge log") }
                    if count == MergeCount() && kind == "session metrics" { continue }
                    lines.append("  \(kind): \(parts.joined(separator: ", "))")
                }
                for note in s.notes { lines.append("  note: \(note)") }
                if s.noteCount > s.notes.count { lines.append("  note: … and \(s.noteCount - s.notes.count) more.") }
                let updated = s.counts.reduce(0) { $0 + $1.count.updated }
                let setAside = s.counts.reduce(0) { $0 + $1.count.setAside }
                if s.added == 0 && updated == 0 && setAside == 0 {
                    let before = s.previousMerge.map { " (it was merged on \($0))" } ?? ""
                    lines.append("Nothing new: this workspace already had everything in the bundle\(before).")
                } else {
                    var parts = ["\(s.added) new \(s.added == 1 ? "row" : "rows")"]
                    if updated > 0 { parts.append("\(updated) updated") }
                    if setAside > 0 { parts.append("\(setAside) set aside in the merge log") }
                    lines.append("Merged: \(parts.joined(separator: ", ")).")
                }
                return lines.joined(separator: "\n") + "\n"
            }
        }
    }
}
