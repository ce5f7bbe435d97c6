import ArgumentParser
import Foundation
import Logging
import OutreachKit
import OutreachServer

extension Outreach {
    struct Serve: AsyncParsableCommand, SpeaksLanguage {
        static let configuration = Help.command("serve")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var language: LanguageOptions
        @OptionGroup var campaigns: CampaignOptions
        @Option(help: Help.argument("serve.listen", value: "address")) var listen = "127.0.0.1:8080"
        @Flag(help: Help.argument("serve.secure_cookies")) var secureCookies = false
        @Option(help: Help.argument("serve.db_connections", value: "n"), transform: ArgumentValue.count) var dbConnections: Int = 8

        func run() async throws {
            let l = try language.labels()
            let (host, port) = try ListenAddress.parse(listen)
            // A PostgreSQL server does the most with about as many connections as it has cores to
            // spare: more only queue inside PostgreSQL (measured in Benchmarks/serve.sh).
            let store = try await database.open(connections: dbConnections)
            let setup = try await OutreachServer.setupToken(for: store)
            var logger = Logger(label: "outreach.serve")
            logger.logLevel = .info
            let server = try await OutreachServer(
                store: store, configuration: .init(host: host, port: port, campaigns: campaigns.directory, secureCookies: secureCookies),
                logger: logger, setupToken: setup)
            try await server.run { address in
                Console.out(l("serve.listening", ["address": address, "db": store.displayLocation]) + "\n")
                if let setup { Console.out(l("serve.setup", ["link": "\(address)/setup?token=\(setup)"]) + "\n") }
            }
        }
    }
}
