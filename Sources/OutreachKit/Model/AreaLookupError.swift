/// An area named on the command line that the workspace does not have.
public enum AreaLookupError: Error, Equatable, Sendable, UserFacingError {
    case unknownCode(String)
    case noMatch(String)

    public var message: String { text(Labels(.en)) }

    public func message(in labels: Labels) -> String? { text(labels) }

    func text(_ labels: Labels) -> String {
        switch self {
        case let .unknownCode(code): labels("areas.error.unknown_code", ["code": code])
        case let .noMatch(text): labels("areas.error.no_match", ["text": text])
        }
    }
}
