import Testing
@testable import OutreachKit

@Suite("A broken quote in a roster file")
struct RosterShapeTests {
    @Test("is reported together with the bad rows before it, for teams and members alike")
    func brokenQuoteJoinsTheOtherProblems() throws {
        let members = "team,name,phone\nP06-1,,0912345678\nP06-1,\"Lê Văn A,0912345679\n"
        let rejected = try #require(throws: ImportRejected.self) { try readMembersText(members) }
        #expect(rejected.problems.map(\.line) == [2, 3])
        #expect(rejected.problems.last?.column == "name")
        #expect(rejected.problems.last?.text.contains("never closed") == true)

        let teams = "code,name,kind,area_code\nT1,Tổ 1,nope,16282\nT2,\"Tổ 2,project06,16282\n"
        let rejectedTeams = try #require(throws: ImportRejected.self) {
            try TeamFile.read(CSVReader(bytes: Array(teams.utf8), name: "teams.csv"))
        }
        #expect(rejectedTeams.problems.map(\.line) == [2, 3])
        #expect(rejectedTeams.problems.last?.column == "name")
    }
}
