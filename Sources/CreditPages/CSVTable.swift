import CreditDocuments

/// Tables for auditors as CSV (RFC 4180, written by ``CSV``): UTF-8 with a byte-order mark (so a spreadsheet opens the
/// Chinese as Chinese), CRLF line ends, every field quoted when it holds a comma, a quote or a line
/// end. The header is the page's column labels; figures are ungrouped and shares are fractions, so
/// a spreadsheet computes with them. A text field that a spreadsheet would take for a formula
/// (starting with `=`, `+`, `-` or `@`) is led by an apostrophe; figures are never changed. Citizen
/// identity numbers are masked, as on the pages.
enum CSVTable {
    /// `table` as CSV bytes, or as a spreadsheet (``XLSX``, one sheet named `sheet`) with the
    /// same header and cells.
    static func render(_ table: PageTable, as format: TableFormat = .csv, sheet: String = "") -> [UInt8] {
        let header = table.columns.map(\.label), rows = table.rows.map { $0.cells.map(\.csv) }
        switch format {
        case .csv: return Array(PublishedText.masked(CSV(header: header, rows: rows).text).utf8)
        case .xlsx:
            return XLSX(sheet: sheet, header: header.map(PublishedText.masked), rows: rows.map { $0.map(PublishedText.masked) }).bytes
        }
    }
}

/// How a table for auditors is written: CSV (UTF-8 with BOM) or a spreadsheet (`.xlsx`).
public enum TableFormat: String, Sendable, CaseIterable {
    /// CSV, UTF-8 with a byte-order mark (``CSV``).
    case csv
    /// An Office Open XML spreadsheet (``XLSX``): figures as numbers, text as text.
    case xlsx
}
