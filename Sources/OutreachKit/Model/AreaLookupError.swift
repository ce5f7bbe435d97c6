/// An area named on the command line that the workspace does not have.
public enum AreaLookupError: Error, Equatable, Sendable, UserFacingError {
    case unknownCode(String)
    case noMatch(String)

    public var message: String {
        switch self {
        case let .unknownCode(code):
            return "there is no area with code \"\(code)\". Look it up with `outreach areas find NAME`, or import it with `outreach areas import`."
        case let .noMatch(text):
            return "no area matches \"\(text)\". Try fewer words, or check that the areas are imported (`outreach areas list --depth 1`)."
        }
    }
}
