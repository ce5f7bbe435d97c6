import Foundation
import OutreachResources

/// Files `outreach serve` sends as they are.
public enum WebResources {
    /// The API's OpenAPI 3.1 document (`Resources/api/openapi.yaml`).
    public static let openAPI: String = (try? String(contentsOf: OutreachResources.file("api", "openapi.yaml"), encoding: .utf8)) ?? ""
}
