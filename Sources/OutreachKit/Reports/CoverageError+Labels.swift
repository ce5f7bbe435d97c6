extension CoverageError {
    /// What went wrong and what to do, in the language of `labels`.
    public func message(in labels: Labels) -> String? {
        switch self {
        case let .unknownIndicator(campaign, indicator, known):
            labels("coverage.error.unknown_indicator", ["campaign": campaign, "indicator": indicator,
                                                        "known": known.joined(separator: ", ")])
        case let .scopeNotFound(campaign, scope):
            labels("coverage.error.scope_not_found", ["campaign": campaign, "scope": scope])
        case let .unknownArea(code):
            labels("coverage.error.unknown_area", ["code": code])
        case let .outsideScope(code, name, campaign, scope, scopeName):
            labels("coverage.error.outside_scope", ["code": code, "name": name, "campaign": campaign, "scope": scope,
                                                    "scopeName": scopeName])
        }
    }
}
