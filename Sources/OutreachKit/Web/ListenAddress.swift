import Foundation

/// `--listen HOST:PORT` of `outreach serve` (`8080` alone listens on 127.0.0.1).
public enum ListenAddress {
    public struct Problem: Error, Equatable, Sendable, UserFacingError {
        public var text: String
        public init(text: String) { self.text = text }
        public var message: String { "--listen \"\(text)\": write HOST:PORT, such as 127.0.0.1:8080 or 0.0.0.0:8080." }
        public func message(in labels: Labels) -> String? { labels("serve.error.listen", ["value": text]) }
    }

    public static func parse(_ text: String) throws -> (host: String, port: Int) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var host = "127.0.0.1", portText = trimmed
        if let colon = trimmed.lastIndex(of: ":") {
            host = String(trimmed[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            portText = String(trimmed[trimmed.index(after: colon)...])
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { throw Problem(text: text) }
        return (host, port)
    }
}
