import Foundation

/// The dashboard's other tables as files (the coverage table downloads as `outreach coverage`
/// writes it): hamlets not reporting, leaflet stock, sessions. CSV and JSON carry codes, ISO
/// dates and plain numbers whatever the language, as the commands' machine formats do.
public enum DashboardTables {
    public enum Table: String, CaseIterable, Sendable {
        case quiet, leaflets, sessions
    }

    public static func csv(_ table: Table, report: DistrictReport, sessions: [SessionEntry]) -> String {
        switch table {
        case .quiet:
            return CSVWriter.render(header: ["code", "name", "within", "last_session", "team", "leader"], rows: report.quiet.map {
                [$0.code, $0.name, $0.within ?? "", $0.lastSession?.description ?? "", $0.team ?? "", $0.leader ?? ""]
            })
        case .leaflets:
            return CSVWriter.render(header: ["code", "name", "received", "handed_out", "on_hand", "over"], rows: report.leafletLines.map {
                [$0.code, $0.name, String($0.received), String($0.handedOut), String($0.onHand), $0.over ? "true" : "false"]
            })
        case .sessions:
            let metrics = Array(Set(sessions.flatMap(\.metrics.keys))).sorted()
            return CSVWriter.render(header: ["id", "date", "area", "area_name", "team", "logged_by"] + metrics + ["voided", "void_reason"],
                                    rows: sessions.map { s in
                                        [s.id, s.date.description, s.area, s.areaName, s.team ?? "", s.loggedBy ?? ""]
                                            + metrics.map { s.metrics[$0].map(String.init) ?? "" }
                                            + [s.voided?.date.description ?? "", s.voided?.reason ?? ""]
                                    })
        }
    }

    public static func json(_ table: Table, report: DistrictReport, sessions: [SessionEntry]) throws -> String {
        struct Quiet: Encodable { var code, name: String; var within: String?; var lastSession: String?; var team, leader: String? }
        struct Leaflets: Encodable { var code, name: String; var received, handedOut, onHand: Int; var over: Bool }
        switch table {
        case .quiet:
            return try JSONOutput.render(report.quiet.map {
                Quiet(code: $0.code, name: $0.name, within: $0.within, lastSession: $0.lastSession?.description, team: $0.team, leader: $0.leader)
            })
        case .leaflets:
            return try JSONOutput.render(report.leafletLines.map {
                Leaflets(code: $0.code, name: $0.name, received: $0.received, handedOut: $0.handedOut, onHand: $0.onHand, over: $0.over)
            })
        case .sessions:
            return try JSONOutput.render(sessions)
        }
    }
}
