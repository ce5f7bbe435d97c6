/// Builds HTML that is also well-formed XML: every element closed, void elements written
/// `<br/>`, attributes quoted, text escaped, no named entity but the XML ones. A page built
/// with it can be checked by an XML parser.
struct HTMLWriter {
    private(set) var text = ""

    /// `<tag attrs…>`.
    mutating func open(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += "<" + tag + HTMLWriter.attributes(attributes) + ">"
    }

    /// `</tag>`.
    mutating func close(_ tag: String) { text += "</" + tag + ">" }

    /// `<tag attrs…>text</tag>`, the text escaped.
    mutating func element(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], _ content: String) {
        open(tag, attributes)
        text += HTMLWriter.escape(content)
        close(tag)
    }

    /// `<tag>text</tag>`, the text escaped.
    mutating func element(_ tag: String, _ content: String) { element(tag, [:], content) }

    /// `<tag attrs…/>`, for void elements (`meta`, `br`, `hr`) and empty SVG shapes.
    mutating func void(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += "<" + tag + HTMLWriter.attributes(attributes) + "/>"
    }

    /// Escaped text.
    mutating func write(_ content: String) { text += HTMLWriter.escape(content) }

    /// Markup as is (already escaped).
    mutating func raw(_ markup: String) { text += markup }

    /// A line break between elements, to keep the source readable.
    mutating func newline() { text += "\n" }

    /// Text with `&`, `<`, `>` and `"` escaped, so it fits in content and in quoted attributes.
    static func escape(_ content: String) -> String {
        guard content.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" }) else { return content }
        var out = ""
        out.reserveCapacity(content.count + 8)
        for ch in content {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    private static func attributes(_ attributes: KeyValuePairs<String, String>) -> String {
        var out = ""
        for (name, value) in attributes { out += " " + name + "=\"" + escape(value) + "\"" }
        return out
    }
}
