import Foundation

/// A CSV table as Excel reads it: UTF-8 with a byte-order mark (so that Chinese shows), fields
/// quoted when they hold a comma, a quote or a line break (RFC 4180), lines ended by CRLF. A text
/// field a spreadsheet would take for a formula (starting with `=`, `+`, `-` or `@`, and not a
/// number) is led by an apostrophe; numbers are never changed. The one CSV writer of the project:
/// the office documents and the pages' tables both write through it.
public struct CSV: Sendable {
    /// The header row.
    public var header: [String]
    /// The rows, in order.
    public var rows: [[String]]

    /// Creates a table.
    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The file's text, starting with the byte-order mark U+FEFF.
    public var text: String {
        var out = "\u{FEFF}"
        for row in [header] + rows { out += row.map(Self.field).joined(separator: ",") + "\r\n" }
        return out
    }

    private static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
