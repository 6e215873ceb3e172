import CreditFacts

/// Text as a page may publish it: HTML-escaped where a builder assembles markup itself (the
/// charts), and with every citizen identity number masked on the whole rendered page.
enum PublishedText {
    /// `text` with the five characters that HTML gives meaning replaced by references (the same
    /// five the templates' `{{ }}` escapes).
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

    /// `page` with every run of 18 ASCII letters and digits that reads as a citizen identity number
    /// (as ``SubjectCode`` classifies codes) replaced by its masked form (`3101**********123X`).
    /// Personal-information rules forbid publishing a full number, the subject's own included. The
    /// renderer applies it to the finished page, so no template, shipped or a district's, and no
    /// view-model can let one through. Escaping cannot join runs: every reference it writes starts
    /// with `&` and ends with `;`.
    static func masked(_ page: String) -> String {
        var out = ""
        out.reserveCapacity(page.utf8.count)
        var run = ""
        func flush() {
            if run.utf8.count == 18, case .person(let number)? = try? SubjectCode(run) {
                out += number.masked
            } else {
                out += run
            }
            run = ""
        }
        for character in page {
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
