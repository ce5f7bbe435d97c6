/// The campaign rules a session meets when it is logged (the web form, the API, `log`), the
/// same for both engines; an import checks them in `SessionProducer`.
extension SessionRules {
    /// Whether a session dated `day` needs the codes of its area and the units above it (a
    /// campaign with session rules covers the day and a part of the tree only).
    static func needsChain(_ day: Day) -> Bool {
        Recorder.current.sessionRules.contains { $0.applies(on: day) && !$0.coversWholeTree }
    }

    /// The warnings of the current recorder's session rules that `session` in `area` breaks;
    /// `chain` holds the codes of the area and every unit above it. Throws `RuleRefusal`
    /// naming every `error` rule broken.
    static func ruleWarnings(_ session: NewSession, area: AreaFacts, chain: [String]) throws -> [Warning] {
        let sets = Recorder.current.sessionRules
        if sets.isEmpty { return [] }
        let broken = sets.broken(day: session.day, covers: chain.contains) { session.ruleValue($0, area: area) }
        let errors = broken.filter { $0.rule.severity == .error }
        if !errors.isEmpty { throw RuleRefusal(broken: errors) }
        return broken.map { $0.warning() }
    }
}
