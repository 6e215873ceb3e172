import CreditDocuments
import Foundation

/// The HTML pages of the command line, each rendered from the ordered ``JSON`` document the same
/// command prints with `--json`: one source of truth, so what the JSON says the page shows.
/// Credit and special reports (`report --format html`), data quality (`quality --html`), the grade
/// distribution and penetration coverage (``HTMLPages/grades(_:)``, ``HTMLPages/penetration(_:)``).
enum HTMLPages {
    /// Writes `page` to `path`, or to stdout when there is no path.
    /// - Throws: ``CLIFailure`` (refused, exit 1) naming the file when it cannot be written.
    static func write(_ page: String, to path: String?) throws {
        guard let path else { return CLIAudit.write(page) }
        try CLIAudit.write(file: path, page)
    }

    /// Any value of a document, in a section: an array of objects as a table, an object as a
    /// table of its fields, other values as a line of text; "none" when there is nothing.
    static func value(_ value: JSON, into page: inout HTMLPage) {
        switch value {
        case .array(let values) where values.allSatisfy(\.isObject):
            page.table(.objects(values))
        case .object(let pairs):
            page.table(HTMLTable(columns: ["Field", "Value"], rows: pairs.map { key, value in
                [HTMLTable.Cell(text: Label.of(key)), HTMLTable.Cell(text: value.plainText, style: HTMLTable.defaultStyle(key, value))]
            }))
        case .null: page.none()
        case .array(let values) where values.isEmpty: page.none()
        default: page.paragraph(value.plainText)
        }
    }

    /// A section for each key of `json` not in `handled`, in document order: a field added to a
    /// command's JSON shows on its page before anyone writes a section for it.
    static func otherSections(of json: JSON, handled: Set<String>, into page: inout HTMLPage) {
        for key in json.keys where !handled.contains(key) {
            page.section(Label.of(key), id: "more-\(key)") { section in value(json[key]!, into: &section) }
        }
    }
}
