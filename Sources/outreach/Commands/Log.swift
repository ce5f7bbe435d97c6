import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Log: AsyncParsableCommand, SpeaksLanguage, RecordsChanges {
        static let configuration = Help.command("log")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        var campaignsFolder: CampaignOptions? { campaigns }
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: Help.argument("log.area", value: "code")) var area: String
        @Option(help: Help.argument("log.date", value: "date"), transform: ArgumentValue.day) var date: Day?
        @Option(help: Help.argument("log.team", value: "code")) var team: String?
        @Option(help: Help.argument("log.logged_by")) var loggedBy: String?
        @Option(name: .customLong("eid-l2"), parsing: .unconditional, help: Help.argument("log.eid_l2", value: "n"), transform: ArgumentValue.count)
        var eidL2: Int?
        @Option(parsing: .unconditional, help: Help.argument("log.bank_account", value: "n"), transform: ArgumentValue.count)
        var bankAccount: Int?
        @Option(parsing: .unconditional, help: Help.argument("log.ewallet", value: "n"), transform: ArgumentValue.count)
        var ewallet: Int?
        @Option(parsing: .unconditional, help: Help.argument("log.leaflets", value: "n"), transform: ArgumentValue.count)
        var leaflets: Int?
        @Option(parsing: .unconditional, help: Help.argument("log.dvc_guided", value: "n"), transform: ArgumentValue.count)
        var dvcGuided: Int?
        @Option(parsing: .unconditional, help: Help.argument("log.households_visited", value: "n"), transform: ArgumentValue.count)
        var householdsVisited: Int?
        @Option(parsing: .unconditional, help: Help.argument("log.people_reached", value: "n"), transform: ArgumentValue.count)
        var peopleReached: Int?
        @Option(parsing: .unconditional, help: Help.argument("log.smartphone_setup", value: "n"), transform: ArgumentValue.count)
        var smartphoneSetup: Int?
        @Option(name: .customLong("metric"), help: ArgumentHelp(Help.text("log.metric"), valueName: "code=n"))
        var campaignMetrics: [String] = []
        @Option(help: Help.argument("log.notes")) var notes: String?
        @Option(help: Help.argument("log.replaces", value: "code")) var replaces: String?
        @Option(help: Help.argument("log.reason")) var reason: String?

        var metrics: MetricValues {
            MetricValues([.eidL2: eidL2, .bankAccount: bankAccount, .ewallet: ewallet, .leaflets: leaflets,
                          .dvcGuided: dvcGuided, .householdsVisited: householdsVisited, .peopleReached: peopleReached,
                          .smartphoneSetup: smartphoneSetup].compactMapValues { $0 })
        }

        /// The counts given with --metric, by code (nil for a malformed one).
        var campaignCounts: [String: Int]? {
            var out: [String: Int] = [:]
            for item in campaignMetrics {
                guard let eq = item.firstIndex(of: "=") else { return nil }
                let code = item[..<eq].trimmingCharacters(in: .whitespaces)
                guard !code.isEmpty, case .success(let value?) = CountParser.parse(String(item[item.index(after: eq)...])) else { return nil }
                out[code] = value
            }
            return out
        }

        func validate() throws {
            guard let counts = campaignCounts else {
                let bad = campaignMetrics.first { item in
                    guard let eq = item.firstIndex(of: "=") else { return true }
                    return item[..<eq].trimmingCharacters(in: .whitespaces).isEmpty
                        || (try? CountParser.parse(String(item[item.index(after: eq)...])).get()) ?? nil == nil
                } ?? ""
                throw ArgumentValueError(option: "--metric", value: bad, why: Phrase("cli.error.metric.form"))
            }
            if counts.count < campaignMetrics.count {
                let codes = campaignMetrics.map { $0.prefix { $0 != "=" }.trimmingCharacters(in: .whitespaces) }
                let twice = codes.first { code in codes.filter { $0 == code }.count > 1 } ?? ""
                throw ArgumentValueError(option: "--metric", value: twice, why: Phrase("cli.error.metric.twice"))
            }
            for code in counts.keys.sorted() {
                if let metric = Metric(code: code) {
                    throw ArgumentValueError(option: "--metric", value: code, why: Phrase("cli.error.metric.built_in", [
                        "code": code, "flag": metric.code.replacingOccurrences(of: "_", with: "-")]))
                }
            }
            for (name, value) in [("eid-l2", eidL2), ("bank-account", bankAccount), ("ewallet", ewallet),
                                  ("leaflets", leaflets), ("dvc-guided", dvcGuided), ("households-visited", householdsVisited),
                                  ("people-reached", peopleReached), ("smartphone-setup", smartphoneSetup)] {
                if let value, value < 0 {
                    throw ArgumentValueError(option: "--" + name, value: String(value), why: Phrase("cli.error.count.negative"))
                }
            }
            if let reason, replaces == nil {
                throw ArgumentValueError(option: "--reason", value: reason, why: Phrase("cli.error.reason_alone"))
            }
        }

        func run() async throws {
            // The label tables are read only when a warning or an error is printed: a quiet
            // `log` does not parse them (a third of its own work).
            let lang = try Language.resolve(option: language.lang, environment: ProcessInfo.processInfo.environment)
            var labels: Labels? = nil
            func l() -> Labels {
                if let labels { return labels }
                let made = Labels(lang)
                labels = made
                return made
            }
            let today = Day.today()
            let counts = campaignCounts ?? [:]
            let declared = counts.isEmpty ? (codes: [], unreadable: []) : try campaigns.declaredMetrics()
            let session = NewSession(day: date ?? today, area: area, team: team, loggedBy: loggedBy, metrics: metrics,
                                     campaignCounts: counts, notes: notes)
            let logged: LoggedSession
            do {
                // One connection, not a pool: a single write needs no reader, and opening one
                // costs a second connection and GRDB's WAL set-up transaction.
                logged = try await database.open(singleConnection: true).logSession(session, today: today, replacing: replaces,
                                                        reason: replaces == nil ? nil : (reason ?? "corrected"),
                                                        campaignMetrics: declared.codes)
            } catch let error as SessionError {
                guard case .unknownMetric = error, !declared.unreadable.isEmpty else { throw error }
                Console.failure(error, l())
                Outreach.Sessions.Import.noteUnreadable(declared.unreadable, l())
                throw ExitCode.failure
            }
            for w in logged.warnings { Console.warning(w, l()) }
            if logged.maskedNumbers > 0 {
                let labels = l()
                Console.error(labels.counted(logged.maskedNumbers, one: labels["sessions.log.masked.one"], other: labels["sessions.log.masked.other"]))
            }
            if let replaced = logged.replaced { Console.error(l()("sessions.replaced", ["id": replaced])) }
            Console.out(logged.id + "\n")
        }
    }
}
