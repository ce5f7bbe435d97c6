import ArgumentParser
import Foundation
import OutreachKit

extension Outreach {
    struct Log: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "Log one outreach session and print its id.",
            discussion: "With --replaces ID the session corrects an earlier one, which is voided in the same step.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var campaigns: CampaignOptions
        @OptionGroup var language: LanguageOptions
        @Option(help: "The area (hamlet) code.") var area: String
        @Option(help: "The day (YYYY-MM-DD or DD/MM/YYYY; default today).") var date: Day?
        @Option(help: "The team's code.") var team: String?
        @Option(help: "Who logs it.") var loggedBy: String?
        @Option(name: .customLong("eid-l2"), help: "VNeID level-2 accounts activated.") var eidL2: Int?
        @Option(help: "Bank accounts opened.") var bankAccount: Int?
        @Option(help: "E-wallets installed.") var ewallet: Int?
        @Option(help: "Leaflets handed out.") var leaflets: Int?
        @Option(help: "People guided through online public services.") var dvcGuided: Int?
        @Option(help: "Households visited.") var householdsVisited: Int?
        @Option(help: "People reached.") var peopleReached: Int?
        @Option(help: "People helped to set up a smartphone.") var smartphoneSetup: Int?
        @Option(name: .customLong("metric"), help: ArgumentHelp(
            "The count of a metric a campaign declares (metrics: in a campaign file), such as dvc_submitted=12; repeat for more.",
            valueName: "code=n"))
        var campaignMetrics: [String] = []
        @Option(help: "Free text.") var notes: String?
        @Option(help: "The id of the session this one corrects.") var replaces: String?
        @Option(help: "Why the replaced session was wrong (with --replaces).") var reason: String?

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
                throw ValidationError("--metric takes CODE=N with a count of 0 or more, such as --metric dvc_submitted=12.")
            }
            if counts.count < campaignMetrics.count { throw ValidationError("--metric names the same metric twice.") }
            for code in counts.keys.sorted() {
                if let metric = Metric(code: code) {
                    throw ValidationError("\(code) is a built-in metric: give it as --\(metric.code.replacingOccurrences(of: "_", with: "-")) N.")
                }
            }
            for (name, value) in [("eid-l2", eidL2), ("bank-account", bankAccount), ("ewallet", ewallet),
                                  ("leaflets", leaflets), ("dvc-guided", dvcGuided), ("households-visited", householdsVisited),
                                  ("people-reached", peopleReached), ("smartphone-setup", smartphoneSetup)] {
                if let value, value < 0 { throw ValidationError("--\(name) must be 0 or more.") }
            }
            if reason != nil && replaces == nil { throw ValidationError("--reason goes with --replaces ID.") }
        }

        func run() throws {
            // The label tables are read only when a warning or an error is printed: a quiet
            // `log` does not parse them (a third of its own work).
            let lang = try Language.resolve(option: language.lang, environment: ProcessInfo.processInfo.environment)
            var labels: Labels? = nil
            func l() -> Labels {
                if labels == nil { labels = Labels(lang) }
                return labels!
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
                logged = try Store.open(path: database.path, singleConnection: true).logSession(session, today: today, replacing: replaces,
                                                        reason: replaces == nil ? nil : (reason ?? "corrected"),
                                                        campaignMetrics: declared.codes)
            } catch let error as SessionError {
                guard case .unknownMetric = error, !declared.unreadable.isEmpty else { throw error }
                Console.failure(error, l())
                Outreach.Sessions.Import.noteUnreadable(declared.unreadable, l())
                throw ExitCode.failure
            }
            for w in logged.warnings { Console.warning(w, l()) }
            if let replaced = logged.replaced { Console.error(l()("sessions.replaced", ["id": replaced])) }
            Console.out(logged.id + "\n")
        }
    }
}
