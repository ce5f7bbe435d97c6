import ArgumentParser
import OutreachKit

extension Outreach {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the workspace: SQLite's integrity check and Outreach's own rules.",
            discussion: """
                Checks the file's integrity and references, the schema's indexes and triggers, that every \
                session's area exists, that the area tree has no cycle, that the stored running totals \
                equal the totals of the live sessions, and that no leaflet stock is below zero unless an \
                allocation allowed it. Exits with status 1 when anything is wrong, and says what to do.
                """)

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Rebuild the running totals from the sessions and re-create missing indexes and triggers, then check again.")
        var repair = false

        func run() throws {
            let store = try database.open()
            var result = try store.check()
            if repair {
                guard result.repairable else {
                    Console.out(Text.report(store.path, result))
                    Console.out(Text.notRepairable)
                    throw ExitCode.failure
                }
                let done = try store.repair()
                Console.out(Text.repaired(done))
                result = try store.check()
            }
            Console.out(Text.report(store.path, result))
            if !result.passed { throw ExitCode.failure }
        }

        /// What the command prints.
        enum Text {
            static func report(_ path: String, _ r: WorkspaceCheck) -> String {
                var lines = ["Checking \(path):"]
                for item in r.items {
                    let mark = item.status == .ok ? "ok     " : item.status == .warning ? "warning" : "PROBLEM"
                    lines.append("  \(mark)  \(item.name): \(item.detail)")
                    if item.status != .ok, let advice = item.advice { lines.append("           what to do: \(advice)") }
                }
                let problems = r.items.filter { $0.status == .problem }.count
                let warnings = r.items.filter { $0.status == .warning }.count
                let warningText = warnings == 0 ? "" : " (\(warnings) \(warnings == 1 ? "warning" : "warnings"))"
                if problems == 0 {
                    lines.append("OK: nothing is wrong\(warningText).")
                } else {
                    let fix = r.repairable ? "Run `outreach check --repair`." : "Follow the advice above."
                    lines.append("\(problems) \(problems == 1 ? "problem" : "problems")\(warningText). \(fix)")
                }
                return lines.joined(separator: "\n") + "\n"
            }

            static func repaired(_ s: RepairSummary) -> String {
                let schema = s.schemaObjects.isEmpty ? "" : "re-created \(s.schemaObjects.joined(separator: ", ")); "
                return "Repaired: \(schema)rebuilt \(s.totals) running-total rows from the sessions.\n"
            }

            static let notRepairable = "Not repaired: `--repair` only rebuilds running totals, indexes and triggers. Follow the advice above.\n"
        }
    }
}
