import Foundation

/// `outreach users list`: every account, its role, scope and state (never a password or token).
public struct AccountListing: Sendable {
    public var accounts: [Account]
    public init(accounts: [Account]) { self.accounts = accounts }

    public func text(labels l: Labels) -> String {
        if accounts.isEmpty { return l["users.none"] + "\n" }
        let header = [l["web.login.name"], l["web.accounts.role"], l["web.entry.area"], l["web.entry.team"], l["web.accounts.state"], l["users.col.token"]]
        let rows = accounts.map { a in
            [a.name, l["web.role.\(a.role.rawValue)"], a.area, a.team ?? "", a.disabled ? l["web.accounts.disabled"]
                : (a.lockedUntil.flatMap(Accounts.date).map { $0 > Date() } == true ? l["users.locked"] : l["web.accounts.active"]),
             a.hasToken ? l["users.has_token"] : ""]
        }
        return TextTable.render(header.map { TableColumn($0.uppercased()) }, rows)
    }
}
