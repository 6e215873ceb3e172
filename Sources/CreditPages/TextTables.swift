import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation

/// The statistics and matches as text for a terminal, worded like the pages: the grade
/// distribution, data quality per source, penetration coverage and a subject's measures in a scene.
/// Columns of figures come first and are aligned; names of variable width (departments) come last.
extension TextReports {
    /// The grade distribution and the supervision frequency per grade; with `drawn`, how many were
    /// drawn per grade and the draw's seed.
    public static func grades(_ distribution: GradeDistribution, model: GradingModel, drawn: InspectionDraw?, knownAt: String,
                              wording w: Wording) -> String {
        var lines = ["\(w.text("gradeDistribution"))\(w.colon)\(w.text("asOf")) \(w.date(distribution.asOf))\(w.comma)"
                     + "\(w.text("knownAt")) \(w.instant(knownAt))\(w.comma)\(w.text("model")) \(distribution.model)"]
        lines.append(row([w.text("col.level"), w.text("col.count"), w.text("col.share"), w.text("col.inspectionShare")]
                         + (drawn == nil ? [] : [w.text("col.drawnForInspection")])))
        for level in distribution.rows {
            var cells = [level.level.rawValue, String(level.count), String(format: "%.2f%%", level.share * 100),
                         String(format: "%.1f%%", model.supervision.share(of: level.level) * 100)]
            if let drawn { cells.append(String(drawn.levels.first { $0.level == level.level }?.drawn.count ?? 0)) }
            lines.append(row(cells))
        }
        lines.append(row([w.text("total"), String(distribution.total)]))
        lines.append("M = \(w.level(.M))")
        if let drawn { lines.append("\(w.text("seed")) \(drawn.seed)\(w.colon)\(w.text("drawn")) \(drawn.subjects.count)\(w.open)\(w.text("drawListed"))\(w.close)") }
        return lines.joined(separator: "\n")
    }

    /// Data quality per source: code, facts, on time, late, on-time rate, then the department; the
    /// totals of duplicates, refusals by reason, code errors and conflicts.
    public static func quality(_ quality: QueryDocuments.Quality, wording w: Wording) -> String {
        var lines = ["\(w.text("dataQuality"))\(w.colon)\(w.text("asOf")) \(w.date(quality.asOf))\(w.comma)\(w.text("knownAt")) \(w.instant(quality.knownAtText))"]
        lines.append(row([w.text("col.code"), w.text("col.facts"), w.text("col.onTime"), w.text("col.late"), w.text("col.onTimeRate"), w.text("col.source")],
                         first: 16))
        for s in quality.sources {
            let unnamed = s.source == IntakeCounters.unnamedSource
            var line = row([unnamed ? "—" : s.source.text, String(s.facts), String(s.onTime), String(s.late),
                            s.onTimeRate.map { String(format: "%.2f%%", $0 * 100) } ?? "—", unnamed ? "" : w.source(s.source)], first: 16)
            line += s.notJudged.map { "  \(w.text("col.notJudged"))\(w.colon)\($0.kind) \($0.count)" }.joined()
            if s.refused > 0 { line += "  \(w.text("col.refused")) \(s.refused)\(w.comma)\(w.text("col.codeErrors")) \(s.codeErrors)" }
            lines.append(line)
        }
        lines.append("\(w.text("duplicatesReceived"))\(w.colon)\(quality.duplicates)")
        lines.append("\(w.text("refusedLines"))\(w.colon)" + (quality.byReason.isEmpty ? w.text("none") : quality.byReason.map { "\($0.0)=\($0.1)" }.joined(separator: " ")))
        lines.append("\(w.text("col.codeErrors"))\(w.colon)\(quality.codeErrors)")
        lines.append("\(w.text("conflicts"))\(w.colon)\(quality.conflicts.count)")
        for (code, names) in quality.conflicts.prefix(10) { lines.append("  \(code)\(w.colon)\(names.joined(separator: " / "))") }
        return lines.joined(separator: "\n")
    }

    /// Penetration coverage and the first `limit` data gaps with their reasons.
    public static func penetration(_ coverage: PenetrationCoverage, knownAt: String, limit: Int, wording w: Wording) -> String {
        var lines = ["\(w.text("penetration"))\(w.colon)\(w.text("asOf")) \(w.date(coverage.asOf))\(w.comma)\(w.text("knownAt")) \(w.instant(knownAt))",
                     "  \(w.text("needLink"))\(w.colon)\(coverage.records)",
                     "  \(w.text("linked"))\(w.colon)\(coverage.linked)",
                     "  \(w.text("coverage"))\(w.colon)" + String(format: "%.2f%%", coverage.ratio * 100) + "\(w.open)\(w.text("targetFull"))\(w.close)",
                     "  \(w.text("gaps"))\(w.colon)\(coverage.unlinked.count)"]
        for gap in coverage.unlinked.prefix(max(0, limit)) {
            lines.append("    \(gap.record.organisation) \(w.record(gap.record.kind)) \(gap.record.ref)\(w.colon)\(w.explain(gap.explanation))")
        }
        if coverage.unlinked.count > limit { lines.append("    " + w.text("more", ["count": String(coverage.unlinked.count - limit)])) }
        return lines.joined(separator: "\n")
    }

    /// The feedback of joint measures in a period (执行反馈): per measure and implementing
    /// department (named from the source directory), the cases triggered, the feedback received and
    /// the rate, then up to `cases` cases (典型案例) of each row with their outcome in words.
    public static func feedback(_ report: FeedbackReport, cases: Int, wording w: Wording) -> String {
        var lines = ["\(w.text("feedbackTitle"))\(w.colon)\(w.date(report.from)) – \(w.date(report.to))",
                     pad(w.text("col.measure"), 36) + pad(w.text("col.department"), 28)
                        + [w.text("col.triggered"), w.text("col.feedback"), w.text("col.feedbackRate")].map { right($0, 11) }.joined()]
        for row in report.rows {
            let rate = row.feedbackRate.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
            lines.append(pad(row.measureId.text, 36) + pad(w.source(SourceID(unchecked: row.department)), 28)
                         + [String(row.triggered), String(row.feedback), rate].map { right($0, 11) }.joined())
            for c in row.cases.prefix(max(0, cases)) {
                lines.append("    \(w.text("case")) \(c.caseRef)\(w.colon)\(c.subject) \(c.date) \(w.word("measureOutcome", c.outcome.rawValue))")
            }
        }
        if report.rows.isEmpty { lines.append(w.text("none")) }
        return lines.joined(separator: "\n")
    }

    /// `text` left-aligned in `columns` terminal columns (at least one space after it).
    private static func pad(_ text: String, _ columns: Int) -> String { text + String(repeating: " ", count: max(1, columns - width(text))) }

    /// `text` right-aligned in `columns` terminal columns (at least one space before it).
    private static func right(_ text: String, _ columns: Int) -> String { String(repeating: " ", count: max(1, columns - width(text))) + text }

    /// The measures that apply to `subject` in `scene`, each with its trigger and legal basis.
    public static func match(_ subject: SubjectCode, scene: MeasureScene, asOf: LegalDate, knownAt: String, matches: [MeasureMatch],
                             wording w: Wording) -> String {
        var lines = ["\(subject) · \(w.text("scene")) \(w.scene(scene)) · \(w.text("asOf")) \(w.date(asOf)) · \(w.text("knownAt")) \(w.instant(knownAt))\(w.colon)"
                     + (matches.isEmpty ? w.text("noMeasure") : w.text("measuresApply", ["count": String(matches.count)]))]
        for match in matches { lines.append("  " + measure(match, w)) }
        return lines.joined(separator: "\n")
    }

    /// Cells joined into a line: the first left-aligned in `first` columns, the figures right-aligned
    /// in 13, a last cell that is no figure (a name) after two spaces.
    private static func row(_ cells: [String], first: Int = 8) -> String {
        guard let head = cells.first else { return "" }
        var line = head + String(repeating: " ", count: max(1, first - width(head)))
        for (index, cell) in cells.dropFirst().enumerated() {
            let isLastName = index == cells.count - 2 && cell.first.map { !$0.isNumber && $0 != "—" } == true && cells.count > 5
            line += isLastName ? "  " + cell : String(repeating: " ", count: max(1, 13 - width(cell))) + cell
        }
        return line
    }

    /// Columns a text takes on a terminal: a CJK character takes two.
    private static func width(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) } }
}
