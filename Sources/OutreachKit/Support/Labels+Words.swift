/// The words of the domain as people read them: kinds of area and team, statuses and roles.
/// Every word comes from the label tables (`Resources/labels/LANG/areas.json`, `teams.json`);
/// the English codes (`commune`, `project06`) stay in CSV and JSON.
extension Labels {
    /// A level of the tree: `xã`, `thôn` (vi); `commune`, `hamlet` (en).
    public func kind(_ level: AreaLevel) -> String {
        switch level {
        case .province: self["kind.province"]
        case .district: self["kind.district"]
        case .commune: self["kind.commune"]
        case .ward: self["kind.ward"]
        case .town: self["kind.town"]
        case .specialZone: self["kind.special_zone"]
        case .hamlet: self["kind.hamlet"]
        case .country: self["kind.country"]
        }
    }

    /// An area's kind with the local word its areas file used: the word itself in Vietnamese
    /// (`tổ dân phố`), the level and the word in English (`hamlet (tổ dân phố)`), but only the
    /// level when the word is the level's usual one (`hamlet` for `thôn`).
    public func kind(_ level: AreaLevel, local: String?) -> String {
        guard let local, !local.isEmpty else { return kind(level) }
        if language == .vi { return local }
        return level.isUsualWord(local) ? kind(level) : "\(kind(level)) (\(local))"
    }

    /// A kind of team, as a column shows it: `Đề án 06` (vi), `project06` (en).
    public func teamKind(_ kind: TeamKind) -> String {
        switch kind {
        case .project06: self["team.kind.project06"]
        case .digital: self["team.kind.digital"]
        case .volunteer: self["team.kind.volunteer"]
        }
    }

    /// A member's role: `tổ trưởng`, `thành viên` (vi); `leader`, `member` (en).
    public func role(_ role: MemberRole) -> String {
        switch role {
        case .leader: self["member.role.leader"]
        case .member: self["member.role.member"]
        }
    }

    /// How a coverage row stands: `đạt`, `đúng tiến độ`, `chậm`, `chưa có số liệu`, `không có
    /// mẫu số` (vi).
    public func status(_ status: CoverageReport.Status) -> String {
        switch status {
        case .met: self["coverage.status.met"]
        case .onTrack: self["coverage.status.on_track"]
        case .behind: self["coverage.status.behind"]
        case .noData: self["coverage.status.no_data"]
        case .noDenominator: self["coverage.status.no_denominator"]
        }
    }

    /// A target as people write it: a share (`50%`, `92,5%`) or a count (`6.000`).
    public func target(_ target: Target) -> String {
        switch target {
        case let .share(share): targetPercent(share)
        case let .count(count): self.count(count)
        }
    }

    /// The text of `one` when `n` is 1, else of `other`, with `{count}` filled by `n` grouped
    /// (`1.010 thành viên`) and the other placeholders by `values`. Vietnamese has one form;
    /// English says `1 member`, `2 members`. Pass the two texts as `labels["….one"]` and
    /// `labels["….other"]`, so that the label test sees both keys.
    public func counted(_ n: Int, one: String, other: String, _ values: KeyValuePairs<String, String> = [:]) -> String {
        var text = (n == 1 ? one : other).replacingOccurrences(of: "{count}", with: count(n))
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
}
