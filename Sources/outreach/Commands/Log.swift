import ArgumentParser
import OutreachKit

extension Outreach {
    struct Log: ParsableCommand, SpeaksLanguage {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "Log one outreach session and print its id.",
            discussion: "With --replaces ID the session corrects an earlier one, which is voided in the same step.")

        @OptionGroup var database: DatabaseOptions
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
        @Option(help: "Free text.") var notes: String?
        @Option(help: "The id of the session this one corrects.") var replaces: String?
        @Option(help: "Why the replaced session was wrong (with --replaces).") var reason: String?

        var metrics: MetricValues {
            MetricValues([.eidL2: eidL2, .bankAccount: bankAccount, .ewallet: ewallet, .leaflets: leaflets,
                          .dvcGuided: dvcGuided, .householdsVisited: householdsVisited, .peopleReached: peopleReached,
                          .smartphoneSetup: smartphoneSetup].compactMapValues { $0 })
        }

        func validate() throws {
            for (name, value) in [("eid-l2", eidL2), ("bank-account", bankAccount), ("ewallet", ewallet),
                                  ("leaflets", leaflets), ("dvc-guided", dvcGuided), ("households-visited", householdsVisited),
                                  ("people-reached", peopleReached), ("smartphone-setup", smartphoneSetup)] {
                if let value, value < 0 { throw ValidationError("--\(name) must be 0 or more.") }
            }
            if reason != nil && replaces == nil { throw ValidationError("--reason goes with --replaces ID.") }
        }

        func run() throws {
            let l = try language.labels()
            let today = Day.today()
            let session = NewSession(day: date ?? today, area: area, team: team, loggedBy: loggedBy, metrics: metrics, notes: notes)
            let logged = try database.open().logSession(session, today: today, replacing: replaces,
                                                        reason: replaces == nil ? nil : (reason ?? "corrected"))
            for w in logged.warnings { Console.warning(w, l) }
            if let replaced = logged.replaced { Console.error(l("sessions.replaced", ["id": replaced])) }
            Console.out(logged.id + "\n")
        }
    }
}
