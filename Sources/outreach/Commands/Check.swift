import ArgumentParser
import OutreachKit

extension Outreach {
    struct Check: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("check")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @Flag(help: Help.argument("check.repair"))
        var repair = false

        func run() async throws {
            let l = try language.labels()
            let store = try await database.open()
            var result = try await store.check()
            if repair {
                guard result.repairable else {
                    Console.out(Text.report(store.displayLocation, result, l))
                    Console.out(l["check.not_repaired"] + "\n")
                    throw ExitCode.failure
                }
                let done = try await store.repair()
                Console.out(Text.repaired(done, l))
                result = try await store.check()
            }
            Console.out(Text.report(store.displayLocation, result, l))
            if !result.passed { throw ExitCode.failure }
        }

        /// What the command prints.
        enum Text {
            static func report(_ path: String, _ r: WorkspaceCheck, _ l: Labels) -> String {
                var lines = [l("check.heading", ["path": path])]
                let marks = [l["check.mark.ok"], l["check.mark.warning"], l["check.mark.problem"]]
                let width = marks.map(\.count).max() ?? 0
                for item in r.items {
                    let mark = marks[item.status == .ok ? 0 : item.status == .warning ? 1 : 2]
                    let padded = mark + String(repeating: " ", count: width - mark.count)
                    lines.append("  \(padded)  \(name(item.name, l)): \(item.found.text(l))")
                    if item.status != .ok, let advice = item.todo {
                        lines.append(String(repeating: " ", count: width + 4) + l("check.what_to_do", ["advice": advice.text(l)]))
                    }
                }
                let problems = r.items.filter { $0.status == .problem }.count
                let warnings = r.items.filter { $0.status == .warning }.count
                let warningText = warnings == 0 ? "" : l.counted(warnings, one: l["check.summary.warnings.one"],
                                                                 other: l["check.summary.warnings.other"])
                if problems == 0 {
                    lines.append(l("check.summary.ok", ["warnings": warningText]))
                } else {
                    let fix = r.repairable ? l["check.fix.repair"] : l["check.fix.advice"]
                    lines.append(l.counted(problems, one: l["check.summary.problems.one"], other: l["check.summary.problems.other"],
                                           ["warnings": warningText, "fix": fix]))
                }
                return lines.joined(separator: "\n") + "\n"
            }

            /// A check item's name (a stable English code in the library) in the language of `l`.
            static func name(_ item: String, _ l: Labels) -> String {
                switch item {
                case "SQLite integrity": l["check.item.integrity"]
                case "references": l["check.item.references"]
                case "schema": l["check.item.schema"]
                case "sessions": l["check.item.sessions"]
                case "session counts": l["check.item.session_counts"]
                case "area tree": l["check.item.area_tree"]
                case "monthly totals": l["check.item.monthly_totals"]
                case "campaign period totals": l["check.item.period_totals"]
                case "campaign metric totals": l["check.item.metric_totals"]
                case "leaflet stock": l["check.item.leaflet_stock"]
                case "row keys": l["check.item.row_keys"]
                case "triggers": l["check.item.triggers"]
                case "voids": l["check.item.voids"]
                default: item
                }
            }

            static func repaired(_ s: RepairSummary, _ l: Labels) -> String {
                let schema = s.schemaObjects.isEmpty ? "" : l("check.repaired.schema", ["objects": s.schemaObjects.joined(separator: ", ")])
                return l("check.repaired", ["schema": schema, "count": l.count(s.totals)]) + "\n"
            }
        }
    }
}
