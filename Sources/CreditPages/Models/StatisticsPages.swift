import CreditDocuments
import CreditFacts
import CreditLedger

/// What the `quality` template reads: data quality per source (信息归集质量).
struct QualityPage {
    /// The fixed texts in the page's language.
    let t: [String: String]
    let asOf: String, knownAt: String
    /// The first and last day the holiday calendar covers (deadlines past it are not judged).
    let calendarFrom: String, calendarThrough: String
    /// The summary figures: facts, on-time rate over all sources, duplicates, refused lines, conflicts.
    let facts: String, onTime: String, duplicates: String, refused: String, conflictCount: String
    /// The on-time bar chart (trusted SVG markup), nil when no source had a fact judged.
    let chart: String?
    /// Whether some sources have no bar (no fact judged on time or late).
    let someWithoutBar: Bool
    let sources: PageTable, refusals: PageTable, conflicts: PageTable

    /// The page of `quality`.
    init(_ quality: QueryDocuments.Quality, wording w: Wording) {
        t = w.texts
        asOf = w.date(quality.asOf)
        knownAt = w.instant(quality.knownAtText)
        calendarFrom = quality.calendarCoverage.lowerBound.description
        calendarThrough = quality.calendarCoverage.upperBound.description
        let onTime = quality.sources.reduce(0) { $0 + $1.onTime }, judged = onTime + quality.sources.reduce(0) { $0 + $1.late }
        facts = NumberText.grouped(quality.sources.reduce(0) { $0 + $1.facts })
        self.onTime = judged == 0 ? "—" : NumberText.percent(Double(onTime) / Double(judged))
        duplicates = NumberText.grouped(quality.duplicates)
        refused = NumberText.grouped(quality.byReason.reduce(0) { $0 + $1.1 })
        conflictCount = NumberText.grouped(quality.conflicts.count)
        let bars = quality.sources.compactMap { source -> SVGChart.Bar? in
            guard let rate = source.onTimeRate else { return nil }
            return SVGChart.Bar(label: w.source(source.source), value: rate,
                                caption: NumberText.percent(rate) + "  (\(w.text("col.late")) \(NumberText.grouped(source.late)))")
        }
        chart = bars.isEmpty ? nil : SVGChart.bars(bars, maximum: 1, title: w.text("onTimeRate")) { NumberText.percent($0, decimals: 0) }
        someWithoutBar = bars.count < quality.sources.count
        sources = PageTable(quality.sources.map { s in
            [("source", s.source == IntakeCounters.unnamedSource ? .missing : .plain(w.source(s.source))),
             ("code", s.source == IntakeCounters.unnamedSource ? .missing : .text(s.source.text)), ("facts", .number(s.facts)),
             ("onTime", .number(s.onTime)), ("late", .number(s.late)), ("onTimeRate", .percent(s.onTimeRate)),
             ("notJudged", .plain(s.notJudged.map { "\($0.kind): \(NumberText.grouped($0.count))" }.joined(separator: ", "))),
             ("duplicates", .number(s.duplicates)), ("refused", .number(s.refused)), ("codeErrors", .number(s.codeErrors))]
        }, wording: w)
        refusals = PageTable(quality.byReason.map { reason, lines in [("reason", .plain(reason)), ("lines", .number(lines))] }, wording: w)
        conflicts = PageTable(quality.conflicts.map { code, names in [("code", .text(code.description)), ("names", .list(names))] }, wording: w)
        title = "\(w.text("dataQuality")) — \(asOf)"
    }

    /// The document title.
    let title: String
}

/// What the `grades` template reads: the grade distribution (信用分级分类监管) with the model's
/// inspection share per grade and the 双随机 draw when one was made.
struct GradesPage {
    /// The fixed texts in the page's language.
    let t: [String: String]
    let asOf: String, knownAt: String, model: String, subjects: String
    /// Subjects per grade as bars (trusted SVG markup), nil when there is no grade.
    let chart: String?
    let levels: PageTable
    let draw: Draw?

    /// A draw: its seed, how many subjects, and their codes (persons masked on the page).
    struct Draw {
        let seed: String, count: String
        let subjects: [String]
        let hasSubjects: Bool
    }

    /// The page of `distribution` graded by `model`, with `drawn` when a draw was made.
    init(_ distribution: GradeDistribution, model: GradingModel, drawn: InspectionDraw?, knownAt: String, wording w: Wording) {
        t = w.texts
        asOf = w.date(distribution.asOf)
        self.knownAt = w.instant(knownAt)
        self.model = distribution.model
        subjects = NumberText.grouped(distribution.total)
        let maximum = Double(distribution.rows.map(\.count).max() ?? 0)
        chart = distribution.rows.isEmpty ? nil : SVGChart.bars(distribution.rows.map { row in
            SVGChart.Bar(label: w.level(row.level), value: Double(row.count),
                         caption: NumberText.grouped(row.count) + "  (\(NumberText.percent(NumberText.documentShare(row.share))))",
                         colour: Self.colour(row.level))
        }, maximum: maximum, title: w.text("perGrade")) { NumberText.grouped(Int($0.rounded())) }
        levels = PageTable(distribution.rows.map { row in
            var cells: [(String, PageCell)] = [
                ("level", .level(row.level.rawValue, w.level(row.level))), ("count", .number(row.count)),
                ("share", .percent(NumberText.documentShare(row.share))), ("inspectionShare", .percent(model.supervision.share(of: row.level))),
            ]
            if let level = drawn?.levels.first(where: { $0.level == row.level }) { cells.append(("drawnForInspection", .number(level.drawn.count))) }
            return cells
        }, wording: w)
        draw = drawn.map { draw in
            Draw(seed: String(draw.seed), count: NumberText.grouped(draw.subjects.count), subjects: draw.subjects.map(\.description),
                 hasSubjects: !draw.subjects.isEmpty)
        }
        title = "\(w.text("gradeDistribution")) — \(asOf)"
    }

    /// The document title.
    let title: String

    /// A grade's bar colour, matching the grade box of the credit report.
    private static func colour(_ level: GradeLevel) -> String {
        switch level.rawValue {
        case "A": SVGChart.Palette.ok
        case "B": SVGChart.Palette.accent
        case "C": SVGChart.Palette.warn
        case "D": SVGChart.Palette.bad
        default: SVGChart.Palette.muted
        }
    }
}

/// What the `penetration` template reads: penetration coverage (穿透式监管) and its data gaps.
struct PenetrationPage {
    /// The fixed texts in the page's language.
    let t: [String: String]
    let asOf: String, knownAt: String
    let coverage: String, records: String, linked: String, gaps: String
    /// The coverage as a progress bar (trusted SVG markup).
    let chart: String
    let unlinked: PageTable

    /// The page of `coverage`.
    init(_ coverage: PenetrationCoverage, knownAt: String, wording w: Wording) {
        t = w.texts
        asOf = w.date(coverage.asOf)
        self.knownAt = w.instant(knownAt)
        let ratio = NumberText.documentShare(coverage.ratio)
        self.coverage = NumberText.percent(ratio)
        records = NumberText.grouped(coverage.records)
        linked = NumberText.grouped(coverage.linked)
        gaps = NumberText.grouped(coverage.unlinked.count)
        chart = SVGChart.progress(ratio, title: w.text("coverage"), caption: "\(NumberText.percent(ratio)) — \(w.text("linkedOf")) \(linked) / \(records)")
        unlinked = PageTable(coverage.unlinked.map { gap in
            [("organisation", .text(gap.record.organisation.description)), ("record", .text(gap.record.ref)),
             ("kind", .plain(w.record(gap.record.kind))), ("effective", .date(gap.record.effective)), ("reason", .text(w.explain(gap.explanation)))]
        }, wording: w)
        title = "\(w.text("penetration")) — \(asOf)"
    }

    /// The document title.
    let title: String
}
