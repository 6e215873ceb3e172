import CreditDocuments
import CreditFacts
import CreditLedger

/// What the `quality` template reads: data quality per source (信息归集质量).
struct QualityPage {
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
    init(_ quality: QueryDocuments.Quality) {
        asOf = quality.asOf.description
        knownAt = quality.knownAtText
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
            return SVGChart.Bar(label: source.source.text, value: rate,
                                caption: NumberText.percent(rate) + "  (\(NumberText.grouped(source.late)) late)")
        }
        chart = bars.isEmpty ? nil : SVGChart.bars(bars, maximum: 1, title: "On-time rate per source") { NumberText.percent($0, decimals: 0) }
        someWithoutBar = bars.count < quality.sources.count
        sources = PageTable(quality.sources.map { s in
            [("Source", s.source == IntakeCounters.unnamedSource ? .missing : .text(s.source.text)), ("Facts", .number(s.facts)),
             ("On time", .number(s.onTime)), ("Late", .number(s.late)), ("On-time rate", .percent(s.onTimeRate)),
             ("Not judged", .plain(s.notJudged.map { "\($0.kind): \(NumberText.grouped($0.count))" }.joined(separator: ", "))),
             ("Duplicates", .number(s.duplicates)), ("Refused", .number(s.refused)), ("Code errors", .number(s.codeErrors))]
        })
        refusals = PageTable(quality.byReason.map { reason, lines in [("Reason", .plain(reason)), ("Lines", .number(lines))] })
        conflicts = PageTable(quality.conflicts.map { code, names in [("Code", .text(code.description)), ("Names", .list(names))] })
    }

    /// The document title.
    var title: String { "数据质量 Data quality — \(asOf)" }
}

/// What the `grades` template reads: the grade distribution (信用分级分类监管) with the model's
/// inspection share per grade and the 双随机 draw when one was made.
struct GradesPage {
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
    init(_ distribution: GradeDistribution, model: GradingModel, drawn: InspectionDraw?, knownAt: String) {
        asOf = distribution.asOf.description
        self.knownAt = knownAt
        self.model = distribution.model
        subjects = NumberText.grouped(distribution.total)
        let maximum = Double(distribution.rows.map(\.count).max() ?? 0)
        chart = distribution.rows.isEmpty ? nil : SVGChart.bars(distribution.rows.map { row in
            SVGChart.Bar(label: row.level.rawValue, value: Double(row.count),
                         caption: NumberText.grouped(row.count) + "  (\(NumberText.percent(NumberText.documentShare(row.share))))",
                         colour: Self.colour(row.level))
        }, maximum: maximum, title: "Subjects per grade") { NumberText.grouped(Int($0.rounded())) }
        levels = PageTable(distribution.rows.map { row in
            var cells: [(String, PageCell)] = [
                ("Level", .level(row.level.rawValue)), ("Count", .number(row.count)),
                ("Share", .percent(NumberText.documentShare(row.share))), ("Inspection share", .percent(model.supervision.share(of: row.level))),
            ]
            if let level = drawn?.levels.first(where: { $0.level == row.level }) { cells.append(("Drawn for inspection", .number(level.drawn.count))) }
            return cells
        })
        draw = drawn.map { draw in
            Draw(seed: String(draw.seed), count: NumberText.grouped(draw.subjects.count), subjects: draw.subjects.map(\.description),
                 hasSubjects: !draw.subjects.isEmpty)
        }
    }

    /// The document title.
    var title: String { "信用等级分布 Grade distribution — \(asOf)" }

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
    let asOf: String, knownAt: String
    let coverage: String, records: String, linked: String, gaps: String
    /// The coverage as a progress bar (trusted SVG markup).
    let chart: String
    let unlinked: PageTable

    /// The page of `coverage`.
    init(_ coverage: PenetrationCoverage, knownAt: String) {
        asOf = coverage.asOf.description
        self.knownAt = knownAt
        let ratio = NumberText.documentShare(coverage.ratio)
        self.coverage = NumberText.percent(ratio)
        records = NumberText.grouped(coverage.records)
        linked = NumberText.grouped(coverage.linked)
        gaps = NumberText.grouped(coverage.unlinked.count)
        chart = SVGChart.progress(ratio, title: "Coverage", caption: "\(NumberText.percent(ratio)) — \(linked) of \(records) records linked")
        unlinked = PageTable(coverage.unlinked.map { gap in
            [("Organisation", .text(gap.record.organisation.description)), ("Record", .text(gap.record.ref)),
             ("Kind", .text(gap.record.kind.rawValue)), ("Effective", .date(gap.record.effective)), ("Reason", .text(gap.reason))]
        })
    }

    /// The document title.
    var title: String { "穿透式监管 Penetration coverage — \(asOf)" }
}
