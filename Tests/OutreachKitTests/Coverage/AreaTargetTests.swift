import Foundation
import Testing
@testable import OutreachKit

/// A campaign over Xã Tân Phúc (16282) whose file gives hamlet 16282-01 a target of 60% (the
/// indicator's is 90%), with a count indicator beside it.
private let campaign = Campaign(
    id: "tan-phuc", name: "Tân Phúc", scope: "16282", start: Day(year: 2026, month: 1, day: 1)!, end: Day(year: 2026, month: 12, day: 31)!,
    indicators: [Indicator(id: "eid", label: "eID", numerator: ["eid_l2"], denominator: "adults", target: .share(0.9)),
                 Indicator(id: "reach", label: "Tiếp cận", numerator: ["people_reached"], denominator: nil, target: .count(200))],
    areaTargets: ["eid": ["16282-01": .share(0.6)]])

@Suite("Targets set in the workspace: they override the campaign file's, which override the indicator's; audited; refused with a reason")
struct AreaTargetTests {
    func targets(_ w: ClosingWorkspace) async throws -> [String: (Target, TargetOrigin)] {
        let report = try await w.store.coverageReport(campaign: campaign, options: .init(asOf: ClosingWorkspace.today, indicator: "eid"))
        return Dictionary(uniqueKeysWithValues: report.rows.filter { !$0.isTotal }.map { ($0.code, ($0.target, $0.targetOrigin)) })
    }

    func set(_ w: ClosingWorkspace, _ area: String, _ indicator: String, _ target: Target?, reason: String? = nil) async throws -> AreaTargetChange {
        try await w.store.changeAreaTarget(AreaTargetRequest(campaign: campaign, area: area, indicator: indicator, target: target, reason: reason))
    }

    @Test("a target typed as 85%, 0,85 or 0.85 is a share; a count indicator takes 1.010; what does not fit is refused with the indicator named")
    func parsing() throws {
        for text in ["85%", "0,85", "0.85", " 85 % "] {
            #expect(try AreaTargetRules.parse(text, indicator: "eid", of: campaign) == .share(0.85), "\(text)")
        }
        #expect(try AreaTargetRules.parse("1.010", indicator: "reach", of: campaign) == .count(1010))
        #expect(throws: AreaTargetError.self) { try AreaTargetRules.parse("150%", indicator: "eid", of: campaign) }
        #expect(throws: AreaTargetError.self) { try AreaTargetRules.parse("50%", indicator: "reach", of: campaign) }
        do {
            _ = try AreaTargetRules.parse("ba", indicator: "eid", of: campaign)
            Issue.record("\"ba\" was read as a target")
        } catch let error as AreaTargetError {
            #expect(error.message(in: Labels(.vi))?.hasPrefix("chỉ tiêu của chỉ số \"eid\": ") == true, "\(error.message)")
        }
        #expect(throws: AreaTargetError.unknownIndicator(campaign: "tan-phuc", indicator: "eid2", known: ["eid", "reach"])) {
            try AreaTargetRules.parse("50%", indicator: "eid2", of: campaign)
        }
    }

    @Test("precedence: workspace over campaign file over indicator, in coverage and its JSON; clearing goes back", arguments: ClosingWorkspace.engines)
    func precedence(_ engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine)
        var t = try await targets(w)
        #expect(t["16282-01"]! == (.share(0.6), .campaignFile))
        #expect(t["16282-02"]! == (.share(0.9), .indicator))
        let change = try await recorded("chi") { try await set(w, "16282-01", "eid", .share(0.75)) }
        #expect(change.before == nil && change.after == .share(0.75) && change.origin == .workspace)
        _ = try await recorded("chi") { try await set(w, "16282-02", "eid", .share(0.5)) }
        t = try await targets(w)
        #expect(t["16282-01"]! == (.share(0.75), .workspace))
        #expect(t["16282-02"]! == (.share(0.5), .workspace))
        #expect(t["16282-03"]! == (.share(0.9), .indicator))
        let json = try await w.store.coverageReport(campaign: campaign, options: .init(asOf: ClosingWorkspace.today, indicator: "eid"))
            .rendered(as: .json, labels: Labels(.en))
        #expect(json.contains("\"target\" : 0.75,\n      \"targetOrigin\" : \"workspace\""), "\(json)")
        #expect(json.contains("\"targetOrigin\" : \"indicator\""))
        let cleared = try await recorded("chi") { try await set(w, "16282-01", "eid", nil, reason: "giao nhầm") }
        #expect(cleared.before == .share(0.75) && cleared.after == nil && cleared.effective == .share(0.6) && cleared.origin == .campaignFile)
        #expect(cleared.text(Labels(.vi)) == "Đã bỏ chỉ tiêu eid đặt riêng cho Thôn 1 (16282-01) (trước đây 75%). Chỉ tiêu đang áp dụng: 60% (bảng chỉ tiêu của kế hoạch).")
        t = try await targets(w)
        #expect(t["16282-01"]! == (.share(0.6), .campaignFile))
        let stored = try await w.store.areaTargets(campaign: "tan-phuc")
        #expect(stored.map(\.area) == ["16282-02"] && stored.first?.setBy == "chi" && stored.first?.target == .share(0.5))
        #expect(try await w.store.areaTargets(campaign: "other").isEmpty)
    }

    @Test("every change is one audit row: who, old → new, why; the same target again writes nothing", arguments: ClosingWorkspace.engines)
    func audit(_ engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine, sessions: false)
        _ = try await recorded("chi") { try await set(w, "16282-03", "reach", .count(150)) }
        _ = try await recorded("hung") { try await set(w, "16282-03", "reach", .count(180), reason: "thêm hộ") }
        let same = try await recorded("hung") { try await set(w, "16282-03", "reach", .count(180)) }
        #expect(same.text(Labels(.en)).contains("nothing changed"))
        _ = try await recorded("hung") { try await set(w, "16282-03", "reach", nil, reason: "thôn sáp nhập") }
        let rows = try await w.store.auditEntries(AuditQuery()).filter { $0.subject == "area_target" }
        #expect(rows.map(\.action) == [.targetSet, .targetSet, .targetClear])
        #expect(rows.map(\.actor) == ["chi", "hung", "hung"])
        #expect(rows.map(\.key) == Array(repeating: "tan-phuc 16282-03 reach", count: 3))
        #expect(rows.map(\.area) == Array(repeating: "16282-03", count: 3))
        #expect(rows[0].before == nil && rows[0].after == #"{"target":"150"}"#)
        #expect(rows[1].before == #"{"target":"150"}"# && rows[1].after == #"{"target":"180"}"# && rows[1].reason == "thêm hộ")
        #expect(rows[2].after == nil && rows[2].reason == "thôn sáp nhập")
        #expect(try await w.store.auditEntries(AuditQuery(under: "16282")).filter { $0.subject == "area_target" }.count == 3)
    }

    @Test("refused: an unknown area, an area outside the scope, a share for a count, a clear of nothing or without a reason", arguments: ClosingWorkspace.engines)
    func refusals(_ engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine, sessions: false)
        await #expect(throws: AreaTargetError.unknownArea("99999-01")) { try await set(w, "99999-01", "eid", .share(0.5)) }
        do {
            _ = try await set(w, "16285-01", "eid", .share(0.5))
            Issue.record("a hamlet of Tân Thọ took a target of a Tân Phúc campaign")
        } catch let error as AreaTargetError {
            guard case let .outsideScope(code, _, c, scope) = error else { Issue.record("\(error)"); return }
            #expect(code == "16285-01" && c == "tan-phuc" && scope == "16282")
        }
        await #expect(throws: AreaTargetError.self) { try await set(w, "16282-01", "reach", .share(0.5)) }
        await #expect(throws: AreaTargetError.self) { try await set(w, "16282-01", "eid", .count(5)) }
        await #expect(throws: AreaTargetError.notSet(campaign: "tan-phuc", area: "16282-01", indicator: "eid")) {
            try await set(w, "16282-01", "eid", nil, reason: "x")
        }
        _ = try await set(w, "16282-01", "eid", .share(0.7))
        await #expect(throws: AreaTargetError.emptyReason) { try await set(w, "16282-01", "eid", nil, reason: "  ") }
        #expect(try await w.store.areaTargets(campaign: nil).count == 1)
        #expect(try await w.store.auditEntries(AuditQuery()).filter { $0.subject == "area_target" }.count == 1)
    }

    @Test("a closed month does not stop a target change: closing keeps the sessions' figures, not the targets", arguments: ClosingWorkspace.engines)
    func closedPeriod(_ engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine)
        _ = try await recorded("xa") { try await w.desk().approve(code: "16282", period: "2026-11") }
        #expect(try await w.states()["16282 2026-11"] == "closed")
        let change = try await recorded("xa") { try await set(w, "16282-02", "eid", .share(0.8)) }
        #expect(change.origin == .workspace)
        #expect(try await targets(w)["16282-02"]! == (.share(0.8), .workspace))
    }

    @Test("the listing: each area with a target of its own, in tree order, with its origin, under a unit", arguments: ClosingWorkspace.engines)
    func listing(_ engine: StorageEngine) async throws {
        let w = try await ClosingWorkspace.make(engine, sessions: false)
        _ = try await recorded("chi") { try await set(w, "16282-02", "reach", .count(1010)) }
        _ = try await recorded("chi") { try await set(w, "16282-01", "eid", .share(0.8)) }
        let listing = try await w.store.targetListing(campaign: campaign, under: nil)
        #expect(listing.lines.map { "\($0.code) \($0.indicator) \($0.origin.rawValue)" } == ["16282-01 eid workspace", "16282-02 reach workspace"])
        #expect(listing.lines[0].overrides == .share(0.6) && listing.lines[0].setBy == "chi")
        let csv = try listing.rendered(as: .csv, labels: Labels(.vi))
        #expect(csv.hasPrefix("campaign,code,name,indicator,target,origin,overrides,set_by,at\ntan-phuc,16282-01,"))
        #expect(csv.contains(",eid,0.8000,workspace,0.6000,chi,"))
        #expect(try listing.rendered(as: .table, labels: Labels(.vi)).contains("1.010"))
        let cleared = try await recorded("chi") { try await set(w, "16282-01", "eid", nil, reason: "giao lại") }
        #expect(cleared.origin == .campaignFile)
        #expect(try await w.store.targetListing(campaign: campaign, under: "16282-01").lines.map(\.origin) == [.campaignFile])
        await #expect(throws: AreaLookupError.unknownCode("nowhere")) { try await w.store.targetListing(campaign: campaign, under: "nowhere") }
    }
}
