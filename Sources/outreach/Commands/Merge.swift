import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Merge: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("merge")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var language: LanguageOptions
        @Argument(help: Help.argument("merge.files", value: "file"), completion: .file(extensions: ["outreach"])) var files: [String]
        @Flag(help: Help.argument("merge.set_aside_conflicts"))
        var setAsideConflicts = false

        func run() async throws {
            let l = try language.labels()
            // One connection: a big merge can then use a rollback journal, a third faster than WAL.
            let store = try await database.open(singleConnection: true)
            var failed = false, locked = false
            for file in files {
                do {
                    let summary = try await store.mergeBundle(file: file, name: nil, today: .today(), now: Date(),
                                                        setAsideConflicts: setAsideConflicts)
                    for w in summary.warnings { Console.warning(w, l) }
                    Console.out(Text.summary(summary, l))
                } catch let error as UserFacingError where files.count > 1 {
                    Console.failure(error, l)
                    if error is LockRefusal { locked = true } else { failed = true }
                }
            }
            // A closed period's refusal is status 3 (when nothing else failed), as for `log`.
            if failed { throw ExitCode.failure }
            if locked { throw ExitCode(3) }
        }

        /// What the command prints. The notes on versions a merge did not keep come from the
        /// library in English and are shown as they are.
        enum Text {
            static func summary(_ s: MergeSummary, _ l: Labels) -> String {
                let h = s.header
                var lines = [l("merge.from", ["file": s.file, "workspace": h.workspace, "exported": Sessions.Import.when(h.exported, l),
                                              "phones": h.phones ? l["merge.from.phones"] : ""])]
                for (kind, count) in s.counts {
                    var parts = [l("merge.count", ["new": l.count(count.new), "present": l.count(count.present)])]
                    if count.updated > 0 { parts.append(l("merge.count.updated", ["count": l.count(count.updated)])) }
                    if count.setAside > 0 { parts.append(l("merge.count.set_aside", ["count": l.count(count.setAside)])) }
                    if count == MergeCount() && kind == "session metrics" { continue }
                    lines.append("  \(name(kind, l)): \(parts.joined(separator: ", "))")
                }
                for note in s.notes { lines.append("  note: \(note)") }
                if s.noteCount > s.notes.count { lines.append("  note: … and \(s.noteCount - s.notes.count) more.") }
                let updated = s.counts.reduce(0) { $0 + $1.count.updated }
                let setAside = s.counts.reduce(0) { $0 + $1.count.setAside }
                if s.added == 0 && updated == 0 && setAside == 0 {
                    let before = s.previousMerge.map { l("merge.nothing_new.before", ["when": Sessions.Import.when($0, l)]) } ?? ""
                    lines.append(l("merge.nothing_new", ["before": before]))
                } else {
                    var parts = [l.counted(s.added, one: l["merge.merged.rows.one"], other: l["merge.merged.rows.other"])]
                    if updated > 0 { parts.append(l("merge.merged.updated", ["count": l.count(updated)])) }
                    if setAside > 0 { parts.append(l("merge.count.set_aside", ["count": l.count(setAside)])) }
                    lines.append(l("merge.merged", ["parts": parts.joined(separator: ", ")]))
                }
                return lines.joined(separator: "\n") + "\n"
            }

            /// A kind of row as `MergeSummary.counts` names it, in the language of `l`.
            static func name(_ kind: String, _ l: Labels) -> String {
                switch kind {
                case "areas": l["merge.kind.areas"]
                case "teams": l["merge.kind.teams"]
                case "members": l["merge.kind.members"]
                case "sessions": l["merge.kind.sessions"]
                case "voids": l["merge.kind.voids"]
                case "session metrics": l["merge.kind.session_metrics"]
                case "leaflet moves": l["merge.kind.leaflet_moves"]
                default: kind
                }
            }
        }
    }
}
