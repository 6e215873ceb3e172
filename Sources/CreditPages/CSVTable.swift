/// Tables for auditors as CSV (RFC 4180): UTF-8 with a byte-order mark (so a spreadsheet opens the
/// Chinese as Chinese), CRLF line ends, every field quoted when it holds a comma, a quote or a line
/// end. The header is the page's column labels; figures are ungrouped and shares are fractions, so
/// a spreadsheet computes with them. A text field that a spreadsheet would take for a formula
/// (starting with `=`, `+`, `-` or `@`) is led by an apostrophe; figures are never changed. Citizen
/// identity numbers are masked, as on the pages.
enum CSVTable {
    /// `table` as CSV bytes.
    static func render(_ table: PageTable) -> [UInt8] {
        var text = "\u{FEFF}" + table.columns.map { field($0.label, isNumber: false) }.joined(separator: ",") + "\r\n"
        for row in table.rows {
            text += row.cells.map { field($0.csv, isNumber: $0.isNumber) }.joined(separator: ",") + "\r\n"
        }
        return Array(PublishedText.masked(text).utf8)
    }

    /// One field, defused and quoted as needed.
    private static func field(_ value: String, isNumber: Bool) -> String {
        var value = value
        if !isNumber, let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
