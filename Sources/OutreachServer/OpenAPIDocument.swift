import OutreachKit

/// The API's OpenAPI 3.1 document, `Resources/api/openapi.yaml`, as bundled.
enum OpenAPIDocument {
    static let text: String = WebResources.openAPI
}
