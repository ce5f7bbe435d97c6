import Foundation
import Testing

@Suite("users and serve, end to end")
struct ServeCLITests {
    @Test("users add (password made, or read from standard input), list, token, disable; bad input named")
    func users() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let made = try cli.run("users", "add", "lan", "--role", "leader", "--area", "16282", "--team", "P06-16282", "--db", "w.sqlite")
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.hasPrefix("Đã thêm tài khoản lan (tổ trưởng, địa bàn 16282)."))
        #expect(made.stdout.contains("Mật khẩu: "))
        let typed = try cli.run(["users", "add", "huyen", "--role", "viewer", "--area", "404", "--password-stdin", "--db", "w.sqlite"],
                                input: "mot-mat-khau-dai\n")
        #expect(typed.status == 0, "\(typed.stderr)")
        #expect(!typed.stdout.contains("mot-mat-khau-dai"))
        let short = try cli.run(["users", "add", "mai", "--role", "viewer", "--area", "404", "--password-stdin", "--db", "w.sqlite"], input: "ngan\n")
        #expect(short.status == 1)
        #expect(short.stderr == "lỗi: mật khẩu phải có ít nhất 8 ký tự.\n")
        let nowhere = try cli.run("users", "add", "mai", "--role", "officer", "--area", "99999", "--db", "w.sqlite", "--lang", "en")
        #expect(nowhere.stderr == "error: there is no area with code \"99999\". Look it up with `outreach areas find NAME`.\n")
        let twice = try cli.run("users", "add", "lan", "--role", "officer", "--area", "16282", "--db", "w.sqlite")
        #expect(twice.stderr == "lỗi: đã có tài khoản \"lan\". Chọn tên khác.\n")
        let token = try cli.run("users", "token", "lan", "--db", "w.sqlite")
        #expect(token.stdout.hasPrefix("otk_") && token.stdout.count == 53, "\(token.stdout)")
        try #require(try cli.run("users", "disable", "huyen", "--db", "w.sqlite").status == 0)
        let list = try cli.run("users", "list", "--db", "w.sqlite", "--lang", "en")
        #expect(list.stdout.contains("huyen"))
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("huyen") && $0.contains("disabled") })
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("lan") && $0.contains("yes") })
        #expect(!list.stdout.contains("$2"))  // no bcrypt hash
        #expect(try cli.run("users", "disable", "nobody", "--db", "w.sqlite").status == 1)
    }

    @Test("serve prints its address and the one-time setup link, answers, and stops cleanly on SIGTERM")
    func serve() throws {
        let cli = try CLI(lang: "en")
        defer { cli.cleanUp() }
        try cli.importSampleDistrict()
        let port = 18_000 + Int.random(in: 0..<2000)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = try cli.databases.substituted(["serve", "--listen", "127.0.0.1:\(port)", "--db", "w.sqlite", "--lang", "en",
                                                           "--campaigns", CLI.packageRoot.appendingPathComponent("Campaigns").path])
        process.currentDirectoryURL = cli.dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var printed = ""
        let deadline = Date().addingTimeInterval(20)
        while !printed.contains("/setup?token="), Date() < deadline {
            printed += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(printed.contains("Outreach is serving "), "\(printed)")
        #expect(printed.contains("at http://127.0.0.1:\(port)"))
        #expect(printed.contains("No accounts yet: open http://127.0.0.1:\(port)/setup?token="))
        let health = try curl("http://127.0.0.1:\(port)/healthz")
        #expect(health == #"{"status":"ok"}"#)
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}

/// The body of a GET, through curl (Foundation on Linux reads no http URL synchronously).
private func curl(_ url: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = ["-s", "--max-time", "10", url]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
