import CreditDocuments

/// Tables for auditors as CSV (RFC 4180, written by ``CSV``): UTF-8 with a byte-order mark (so a spreadsheet opens the
/// Chinese as Chinese), CRLF line ends, every field quoted when it holds a comma, a quote or a line
/// end. The header is the page's column labels; figures are ungrouped and shares are fractions, so
/// a spreadsheet computes with them. A text field that a spreadsheet would take for a formula
/// (starting with `=`, `+`, `-` or `@`) is led by an apostrophe; figures are never changed. Citizen
/// identity numbers are masked, as on the pages.
enum CSVTable {
    /// `table` as CSV bytes.
    static func render(_ table: PageTable) -> [UInt8] {
        let csv = CSV(header: table.columns.map(\.label), rows: table.rows.map { $0.cells.map(\.csv) })
        return Array(PublishedText.masked(csv.text).utf8)
    }
}
