import CreditFacts

/// One table cell of a page: the text shown and how it is styled. The stored properties are what
/// the `table` template reads (`text`, `cellClass`, `badge`).
struct PageCell {
    /// The text shown (escaped by the template).
    let text: String
    /// A CSS class of the cell: `num` right-aligns figures (`num gain`, `num loss` colour them),
    /// `date` and `code` keep a date or a reference on one line, `text` gives long text a width.
    let cellClass: String?
    /// The class of a badge the text is shown in (`yes`, `no`, `warn`, `quiet`, `level level-A`).
    let badge: String?
    /// Whether the cell holds a figure: a column with one gets a right-aligned header.
    let isNumber: Bool
    /// The value in a CSV file: figures ungrouped (`300000`), shares as fractions with four
    /// decimals (`0.9833`, as the JSON documents print them), nothing for a dash.
    let csv: String

    private init(_ text: String, cellClass: String? = nil, badge: String? = nil, isNumber: Bool = false, csv: String? = nil) {
        self.text = text
        self.cellClass = cellClass
        self.badge = badge
        self.isNumber = isNumber
        self.csv = csv ?? text
    }

    /// Free text: a date stays on one line, so does a code or reference (no spaces, short: `MD-9384-9`
    /// must not break at its hyphen); long text gets a minimum width, so two long columns share the
    /// table evenly.
    static func text(_ text: String) -> PageCell {
        if (try? LegalDate(parsing: text)) != nil { return PageCell(text, cellClass: "date") }
        if text.count <= 40 && !text.contains(where: \.isWhitespace) { return PageCell(text, cellClass: "code") }
        return PageCell(text, cellClass: text.count > 40 ? "text" : nil)
    }

    /// Text that may be absent (a dash then).
    static func text(_ text: String?) -> PageCell { text.map { PageCell.text($0) } ?? .missing }

    /// A date, or a dash.
    static func date(_ date: LegalDate?) -> PageCell { date.map { PageCell($0.description, cellClass: "date") } ?? .missing }

    /// Several values in one cell, joined by semicolons (a dash when there are none), unstyled.
    static func list(_ items: [String]) -> PageCell { PageCell(items.isEmpty ? "—" : items.joined(separator: "; "), csv: items.joined(separator: "; ")) }

    /// Labelled values in one cell (`organisation: …, role: …`), unstyled; a dash when absent.
    static func pairs(_ pairs: [(String, String)]?) -> PageCell {
        pairs.map { PageCell($0.map { "\($0.0): \($0.1)" }.joined(separator: ", ")) } ?? .missing
    }

    /// A yes/no badge, worded by `wording` (是/否).
    static func flag(_ value: Bool, _ wording: Wording) -> PageCell { PageCell(wording.flag(value), badge: value ? "yes" : "no") }

    /// Whether a record is disputed: a warning when it is, quiet when not.
    static func disputed(_ value: Bool, _ wording: Wording) -> PageCell { PageCell(wording.flag(value), badge: value ? "warn" : "quiet") }

    /// A count, grouped, right-aligned; `style` replaces the plain `num` class (points by sign).
    static func number(_ value: Int, style: String = "num") -> PageCell {
        PageCell(NumberText.grouped(value), cellClass: style, isNumber: true, csv: String(value))
    }

    /// A count that may be absent.
    static func number(_ value: Int?) -> PageCell { value.map { PageCell.number($0) } ?? .missing }

    /// A share as a percentage, right-aligned (a dash when there is none).
    static func percent(_ share: Double?) -> PageCell {
        PageCell(share.map { NumberText.percent($0) } ?? "—", cellClass: "num", isNumber: share != nil,
                 csv: share.map { String(format: "%.4f", NumberText.documentShare($0)) } ?? "")
    }

    /// A grade level (its code picks the colour) as a coloured badge with its words.
    static func level(_ level: String, _ words: String) -> PageCell { PageCell(words, badge: "level level-\(level)") }

    /// A figure already in words (a percentage, an average) with its CSS class (`num`, `num gain`,
    /// `num loss`) and its value in a CSV file.
    static func figure(_ text: String, style: String = "num", csv: String) -> PageCell {
        PageCell(text, cellClass: style, isNumber: true, csv: csv)
    }

    /// Whether a figure meets its target: a green yes or a red no (达标 / 未达标).
    static func met(_ value: Bool, _ wording: Wording) -> PageCell {
        PageCell(wording.text(value ? "targetMetYes" : "targetMetNo"), badge: value ? "yes" : "bad")
    }

    /// Text in a badge of class `badge` (`bad` for an overdue date, `warn` for a late one).
    static func badge(_ text: String, _ badge: String) -> PageCell { PageCell(text, badge: badge) }

    /// Plain text without a class (a reason, a label).
    static func plain(_ text: String) -> PageCell { PageCell(text) }

    /// What a row lacks: a dash.
    static let missing = PageCell("—", csv: "")
}

/// A table of a page: column labels and rows of cells. Built from rows of labelled cells, so a
/// column shows when any row has it (in the order columns first appear) and a row without it
/// shows a dash; the `table` template renders it, or "none" when it has no rows.
struct PageTable {
    /// A column: its label, and whether it holds figures (a right-aligned header).
    struct Column {
        let label: String
        let numeric: Bool
    }

    /// One row's cells, one per column.
    struct Row {
        let cells: [PageCell]
    }

    let columns: [Column]
    let rows: [Row]
    /// Whether there is a row (the template shows "none" otherwise).
    let hasRows: Bool

    /// A table of `rows`, each a list of (column key, cell); keys in `omitting` are left out. A
    /// column is labelled by `wording`'s text `col.KEY` (the key itself when there is none).
    init(_ rows: [[(String, PageCell)]], omitting omitted: Set<String> = [], wording: Wording) {
        var labels: [String] = []
        for row in rows {
            for (label, _) in row where !omitted.contains(label) && !labels.contains(label) { labels.append(label) }
        }
        let cells = rows.map { row in labels.map { label in row.first { $0.0 == label }?.1 ?? .missing } }
        columns = labels.indices.map { index in Column(label: wording.text("col." + labels[index]), numeric: cells.contains { $0[index].isNumber }) }
        self.rows = cells.map(Row.init)
        hasRows = !rows.isEmpty
    }

    /// A table whose columns are given (label, whether it holds figures) rather than keyed: one
    /// whose columns are data (periods, figures). Each row has one cell per column.
    init(columns: [(String, Bool)], rows: [[PageCell]], wording: Wording) {
        self.columns = columns.map { Column(label: $0.0, numeric: $0.1) }
        self.rows = rows.map(Row.init)
        hasRows = !rows.isEmpty
    }
}
