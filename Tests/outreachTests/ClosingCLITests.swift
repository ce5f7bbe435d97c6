import Foundation
import Testing

/// `approve`, `unapprove`, `approvals` and `audit`, and the lock they put on every write, run as
/// a user would on the sample district (its sessions are dated November 2026).
@Suite("Closing the month, end to end")
struct ClosingCLITests {
    private func district() throws -> CLI {
        let cli = try CLI()
        try cli.importSampleDistrict()
        return cli
    }

    private func run(_ cli: CLI, _ args: String...) throws -> CLI.Result { try cli.run(args + ["--db", "w.sqlite"]) }

    @Test("close November, a November session is refused with exit 3 naming who closed it, reopen with a reason, log again; audit shows the three steps")
    func doneMeans() throws {
        let cli = try district()
        defer { cli.cleanUp() }
        let closed = try run(cli, "approve", "--area", "16282", "--period", "2026-11", "--by", "can-bo-xa")
        #expect(closed.status == 0, "\(closed.stderr)")
        #expect(closed.stdout == "Đã chốt số liệu tháng 11/2026 của Xã Tân Phúc (16282).\n")
        let refused = try run(cli, "log", "--area", "16282-04", "--date", "20/11/2026", "--eid-l2", "3", "--by", "lan")
        #expect(refused.status == 3)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("số liệu tháng 11/2026 của Xã Tân Phúc (16282) đã được chốt bởi can-bo-xa lúc"))
        #expect(refused.stderr.contains("outreach unapprove --area 16282 --period 2026-11 --reason"))
        // The other commune, and another month, are open.
        #expect(try run(cli, "log", "--area", "16285-01", "--date", "20/11/2026", "--eid-l2", "1").status == 0)
        #expect(try run(cli, "log", "--area", "16282-04", "--date", "01/12/2026", "--eid-l2", "1").status == 0)
        let noReason = try run(cli, "unapprove", "--area", "16282", "--period", "2026-11")
        #expect(noReason.status == 1 && noReason.stderr.contains("cần có lý do"))
        let reopened = try run(cli, "unapprove", "--area", "16282", "--period", "11/2026", "--reason", "Thôn 4 báo thiếu", "--by", "can-bo-xa")
        #expect(reopened.status == 0 && reopened.stdout.contains("Đã mở lại"))
        let logged = try run(cli, "log", "--area", "16282-04", "--date", "20/11/2026", "--eid-l2", "3", "--by", "lan")
        #expect(logged.status == 0, "\(logged.stderr)")
        let audit = try run(cli, "audit", "--under", "16282", "--format", "csv")
        let lines = audit.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "at,by,action,table,key,area,before,after,reason,workspace,id")
        let steps = lines.dropFirst().map { $0.split(separator: ",").prefix(3).dropFirst().joined(separator: " ") }
        // The refused session left no row; the three steps are there, in order, with who made them.
        #expect(steps.filter { $0.hasPrefix("can-bo-xa ") || $0.hasPrefix("lan ") }
                == ["can-bo-xa approval.close", "can-bo-xa approval.reopen", "lan session.log"], "\(steps)")
        #expect(audit.stdout.contains("Thôn 4 báo thiếu"))
        let mine = try run(cli, "audit", "--by", "can-bo-xa")
        #expect(mine.stdout.contains("chốt số liệu") && mine.stdout.contains("mở lại số liệu") && !mine.stdout.contains("ghi buổi"))
        let states = try run(cli, "approvals", "--under", "404", "--period", "2026-11", "--format", "csv")
        #expect(states.stdout.contains("2026-11,16282,Xã Tân Phúc,commune,open,can-bo-xa,"))
        #expect(states.stdout.contains("2026-11,404,Huyện Nông Cống,district,open,,,"))
    }

    @Test("a sessions file with one row in a closed month is refused whole (exit 3, its line named); nothing is imported")
    func importLocked() throws {
        let cli = try district()
        defer { cli.cleanUp() }
        #expect(try run(cli, "approve", "--area", "16282", "--period", "2026-11").status == 0)
        let before = try run(cli, "sessions", "list", "--format", "csv").stdout
        let file = try cli.write("more.csv", "date,area,eid_l2\n02/12/2026,16282-01,4\n25/11/2026,16282-02,2\n")
        let refused = try run(cli, "sessions", "import", file)
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("more.csv: 1 buổi thuộc kỳ đã chốt"))
        #expect(refused.stderr.contains("dòng 3: Buổi ngày 25/11/2026 ở 16282-02"))
        #expect(try run(cli, "sessions", "list", "--format", "csv").stdout == before)
        let voided = try run(cli, "sessions", "void", try firstSession(cli, "16282-01"), "--reason", "nhầm")
        #expect(voided.status == 3)
    }

    private func firstSession(_ cli: CLI, _ area: String) throws -> String {
        let list = try run(cli, "sessions", "list", "--under", area, "--format", "csv").stdout
        return String(list.split(separator: "\n")[1].split(separator: ",")[0])
    }

    @Test("bad input: a running or future period, one outside every campaign, an unknown unit, a hamlet, accepting above open communes — each said, nothing changed")
    func badInput() throws {
        let cli = try district()
        defer { cli.cleanUp() }
        let cases: [([String], String)] = [
            (["--area", "16282", "--period", "2099-01"], "chưa kết thúc"),
            (["--area", "16282", "--period", "2020-06"], "nằm ngoài kế hoạch"),
            (["--area", "99999", "--period", "2026-11"], "99999"),
            (["--area", "16282-01", "--period", "2026-11"], "là thôn, tổ dân phố"),
            (["--area", "16282", "--period", "tháng 11"], "không phải là kỳ"),
            (["--area", "404", "--period", "2026-11"], "Xã Tân Phúc (16282)"),
        ]
        for (args, words) in cases {
            let r = try cli.run(["approve"] + args + ["--db", "w.sqlite"])
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.contains(words), "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("SQL") && !r.stderr.contains("Fatal"))
        }
        #expect(try run(cli, "approvals", "--format", "csv").stdout == "period,code,name,level,state,by,at,reason\n")
        #expect(try run(cli, "audit", "--format", "json").stdout.contains("approval") == false)
    }

    @Test("a laptop's bundle that brings a session of a month the office closed is refused whole, listing it; after reopening it merges")
    func laptopBundle() throws {
        let cli = try district()
        defer { cli.cleanUp() }
        // The laptop starts as a copy of the office.
        #expect(try cli.run("export", "--db", "w.sqlite", "--out", "office.bundle").status == 0)
        #expect(try cli.run("init", "--db", "laptop.sqlite").status == 0)
        #expect(try cli.run("merge", "office.bundle", "--db", "laptop.sqlite").status == 0)
        #expect(try cli.run("log", "--db", "laptop.sqlite", "--area", "16282-04", "--date", "21/11/2026", "--eid-l2", "6",
                            "--by", "lan").status == 0)
        #expect(try cli.run("export", "--db", "laptop.sqlite", "--out", "laptop.bundle", "--since", "2026-11-21").status == 0)
        #expect(try run(cli, "approve", "--area", "16282", "--period", "2026-11", "--by", "can-bo-xa").status == 0)
        let refused = try cli.run("merge", "laptop.bundle", "--db", "w.sqlite")
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("laptop.bundle: 1 buổi thuộc kỳ đã chốt"))
        #expect(refused.stderr.contains("Buổi ngày 21/11/2026 ở 16282-04"))
        #expect(!(try run(cli, "sessions", "list", "--under", "16282-04", "--format", "csv").stdout.contains("2026-11-21")))
        #expect(try run(cli, "unapprove", "--area", "16282", "--period", "2026-11", "--reason", "nhận gói của thôn 4").status == 0)
        let merged = try cli.run("merge", "laptop.bundle", "--db", "w.sqlite", "--by", "can-bo-xa")
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try run(cli, "sessions", "list", "--under", "16282-04", "--format", "csv").stdout.contains("2026-11-21"))
        // The laptop's audit rows came along, and the merge added its own.
        let audit = try run(cli, "audit", "--format", "csv").stdout
        #expect(audit.contains(",lan,session.log,"))
        #expect(audit.contains(",can-bo-xa,bundle.merge,bundle_merge,laptop.bundle,"))
    }
}
