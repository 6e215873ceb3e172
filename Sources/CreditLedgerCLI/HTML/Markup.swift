import CreditFacts

/// A fragment of HTML that is safe to place in a page: built only from escaped text
/// (``Markup/init(text:)``) or by the page and chart builders of this folder, which escape every
/// value they are given. Keeping markup and text apart in the types is what makes a subject named
/// `<script>` harmless: a `String` never reaches a page unescaped.
struct Markup: Sendable {
    /// The HTML source.
    let html: String

    /// Escaped text, with every citizen identity number in it masked (``Markup/published(_:)``).
    init(text: String) { html = Markup.escape(Markup.published(text)) }

    /// Markup assembled by a builder from parts that are already escaped. Only the builders in
    /// this folder call it.
    init(assembled html: String) { self.html = html }

    /// An element with escaped attribute values around `content`.
    static func element(_ name: String, _ attributes: [(String, String)] = [], _ content: Markup) -> Markup {
        Markup(assembled: "<\(name)\(attributeText(attributes))>\(content.html)</\(name)>")
    }

    /// An element without attributes around `content`.
    static func element(_ name: String, _ content: Markup) -> Markup { element(name, [], content) }

    /// An element around escaped `text`.
    static func element(_ name: String, _ attributes: [(String, String)] = [], text: String) -> Markup {
        element(name, attributes, Markup(text: text))
    }

    /// `attributes` as ` name="value"` pairs, values escaped, in the order given.
    static func attributeText(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// Fragments one after another.
    static func joined(_ parts: [Markup], separator: String = "") -> Markup {
        Markup(assembled: parts.map(\.html).joined(separator: separator))
    }

    /// `text` with the five characters that HTML gives meaning replaced by references.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` as it may be published: every run of 18 ASCII letters and digits that reads as a
    /// citizen identity number (as ``SubjectCode`` classifies codes) is replaced by its masked form
    /// (`3101**********123X`). Personal-information rules forbid publishing a full number, the
    /// subject's own included, and a page must not depend on every JSON producer remembering that.
    static func published(_ text: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            if run.utf8.count == 18, case .person(let number)? = try? SubjectCode(run) {
                out += number.masked
            } else {
                out += run
            }
            run = ""
        }
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber) {
                run.append(character)
            } else {
                flush()
                out.append(character)
            }
        }
        flush()
        return out
    }
}
