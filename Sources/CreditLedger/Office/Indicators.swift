import CreditFacts
import LedgerStorage

/// One figure of an indicator report: the indicator it belongs to, its value, and whether it meets
/// the plan's first target.
public struct IndicatorFigure: Sendable, Hashable {
    /// A figure's value. A figure the ledger cannot compute says why; it is never a made-up 0.
    public enum Value: Sendable, Hashable {
        /// A count.
        case count(Int)
        /// A rate: `numerator ÷ denominator`, the denominator above zero.
        case rate(numerator: Int, denominator: Int)
        /// Not computable, and why.
        case notComputable(String)

        /// The count or the rate's value; nil when not computable.
        public var number: Double? {
            switch self {
            case .count(let count): Double(count)
            case .rate(let numerator, let denominator): Double(numerator) / Double(denominator)
            case .notComputable: nil
            }
        }

        /// A rate, or not computable naming `what` when the denominator is zero.
        static func ratio(_ numerator: Int, of denominator: Int, none what: String) -> Value {
            denominator == 0 ? .notComputable("no \(what)") : .rate(numerator: numerator, denominator: denominator)
        }
    }

    /// The figure's key, e.g. `onTimeRate`, `listEntries.red`, `notificationCommitments.made`.
    public var key: String
    /// The indicator (``IndicatorDefinition/id``) it belongs to.
    public var indicator: String
    /// The value.
    public var value: Value
    /// Whether the value meets the indicator's first target; nil without a numeric target or value.
    public var targetMet: Bool?

    /// A figure of `definition` under `key` (the definition's id when nil), judged against its
    /// first target for a period of `months` months.
    init(_ definition: IndicatorDefinition, key: String? = nil, _ value: Value, months: Int = 1, judged: Bool = true) {
        self.key = key ?? definition.id
        indicator = definition.id
        self.value = value
        targetMet = judged ? value.number.flatMap { definition.targets.first?.isMet(by: $0, months: months) } : nil
    }
}

/// The figures of one period: for the district and per reporting department.
public struct PeriodIndicators: Sendable, Hashable {
    /// The period.
    public var period: IndicatorPeriod
    /// The district's figures.
    public var district: [IndicatorFigure]
    /// Per department (source), sorted by source.
    public var sources: [SourceFigures]
}

/// One department's figures.
public struct SourceFigures: Sendable, Hashable {
    /// The reporting department.
    public var source: SourceID
    /// Its figures.
    public var figures: [IndicatorFigure]
}

/// The assessment indicators (考核指标) of a district for a range of dates: per period, for the
/// district and per department; the status on the range's last day (grades, tax grades,
/// penetration); and the intake figures (合规率, 重错码率, duplicates), which the ledger keeps since
/// its intake counters began and not per date. Same log ⇒ same report: every list is sorted.
public struct IndicatorReport: Sendable, Hashable {
    /// The first day.
    public var from: LegalDate
    /// The last day.
    public var through: LegalDate
    /// How the range is cut.
    public var periodKind: IndicatorPeriodKind
    /// The grading model the A-grade share is computed under.
    public var model: String
    /// The deadlines repairs are judged by.
    public var deadlines: CaseDeadlines
    /// Per period, in date order.
    public var periods: [PeriodIndicators]
    /// The status on ``through``.
    public var atEnd: [IndicatorFigure]
    /// The intake figures for the district.
    public var intake: [IndicatorFigure]
    /// The intake figures per department, sorted by source.
    public var intakeBySource: [SourceFigures]
    /// The definitions of every indicator, in catalogue order.
    public var definitions: [IndicatorDefinition] { IndicatorCatalogue.all }
}

extension Ledger {
    /// The assessment indicators from `from` through `through` cut by `kind`, as known at
    /// `knownAt` (now when nil). The A-grade share is computed under `model` (the bundled default
    /// when nil); repairs are judged by `deadlines`. At a past instant the intake figures are not
    /// computable (the intake counters are kept as of now only).
    /// - Precondition: `from <= through`.
    public func indicators(from: LegalDate, through: LegalDate, by kind: IndicatorPeriodKind, knownAt: RecordedTime? = nil,
                           model: GradingModel? = nil, deadlines: CaseDeadlines = .standard) throws -> IndicatorReport {
        let model = try model ?? GradingModel.bundledDefault()
        let intake = try pastEnd(knownAt) == nil ? self.intake.counts : nil
        return try withViews(knownAt: knownAt) { views in
            try IndicatorReport(views: views, from: from, through: through, by: kind, context: context, model: model,
                                deadlines: deadlines, intake: intake)
        }
    }
}

extension IndicatorReport {
    /// Computes the report from `views` (every view the ledger runs) and the intake counters
    /// (nil at a past instant).
    init(views: ViewSet, from: LegalDate, through: LegalDate, by kind: IndicatorPeriodKind, context: ViewContext,
         model: GradingModel, deadlines: CaseDeadlines, intake: IntakeCounters.Counts?) throws {
        guard let quality = views.view(DataQuality.self) else { throw LedgerError.unknownView(DataQuality.name) }
        guard let feedback = views.view(MeasureFeedback.self) else { throw LedgerError.unknownView(MeasureFeedback.name) }
        let status = try StatusViews(views)
        let periods = IndicatorPeriod.split(from: from, through: through, by: kind)
        self.from = from
        self.through = through
        periodKind = kind
        self.model = model.id
        self.deadlines = deadlines
        let timeliness = quality.timeliness(in: periods, context: context)
        let cases = MeasureCases(feedback, periods: periods)
        let lists = ListMovements(status.lists, periods: periods)
        let commitments = CommitmentMovements(status.commitments, periods: periods, deadlines: deadlines, calendar: context.calendar)
        let organisationCounts = status.registry.organisationCounts(asOf: periods.map(\.through))
        var result: [PeriodIndicators] = []
        for (index, period) in periods.enumerated() {
            var district = Timeliness()
            var sources: [SourceFigures] = []
            for source in Set(timeliness.bySource.keys).union(cases.bySource.keys).sorted() {
                let counts = timeliness.bySource[source]?[index] ?? Timeliness()
                district.add(counts)
                sources.append(SourceFigures(source: source, figures: counts.figures(months: period.months)
                    + [IndicatorFigure(IndicatorCatalogue.jointMeasureCases, .count(cases.bySource[source]?[index] ?? 0), judged: false)]))
            }
            let organisations = organisationCounts[index]
            var figures = district.figures(months: period.months)
            figures.append(IndicatorFigure(IndicatorCatalogue.factsPerOrganisation, organisations == 0
                ? .notComputable("no organisation registered on \(period.through)")
                : .rate(numerator: timeliness.factsThrough[index], denominator: organisations)))
            figures += commitments.figures(index)
            figures += lists.figures(index)
            figures.append(IndicatorFigure(IndicatorCatalogue.jointMeasureCases, .count(cases.district[index]), months: period.months))
            result.append(PeriodIndicators(period: period, district: figures, sources: sources))
        }
        self.periods = result
        atEnd = Self.status(on: through, views: status, context: context, model: model)
        (self.intake, intakeBySource) = Self.intake(intake, quality: quality, context: context)
    }

    /// The figures on `date`: grade A share, A-grade taxpayers, penetration coverage.
    private static func status(on date: LegalDate, views: StatusViews, context: ViewContext, model: GradingModel) -> [IndicatorFigure] {
        let distribution = Grader(model: model, context: context).distribution(asOf: date, views: views)
        let graded = distribution.rows.filter { $0.level != .M }.reduce(0) { $0 + $1.count }
        let gradeA = distribution.rows.first { $0.level == .A }?.count ?? 0
        let organisations = views.registry.organisationCount(asOf: date)
        let taxA = views.conduct.latestGrades(scheme: "tax", asOf: date).filter { $0.key.isOrganisation && $0.value == "A" }.count
        let coverage = Penetration(context: context).coverage(asOf: date, views: views)
        return [
            IndicatorFigure(IndicatorCatalogue.gradeAShare, .ratio(gradeA, of: graded, none: "subject graded A to D on \(date)")),
            IndicatorFigure(IndicatorCatalogue.taxGradeAShare, .ratio(taxA, of: organisations, none: "organisation registered on \(date)")),
            IndicatorFigure(IndicatorCatalogue.penetrationCoverage,
                            .ratio(coverage.linked, of: coverage.records, none: "organisation's dishonesty record in force on \(date)")),
        ]
    }

    /// 合规率, 重错码率 and duplicates from the intake counters, for the district and per source.
    private static func intake(_ counts: IntakeCounters.Counts?, quality: DataQuality, context: ViewContext) -> ([IndicatorFigure], [SourceFigures]) {
        guard let counts else {
            let why = IndicatorFigure.Value.notComputable("refusals and duplicates are counted as of now only, not at a past instant")
            return ([IndicatorCatalogue.complianceRate, IndicatorCatalogue.codeErrorRate, IndicatorCatalogue.duplicates]
                .map { IndicatorFigure($0, why) }, [])
        }
        let bySource = quality.report(asOf: LegalDate(year: 9999, month: 12, day: 31)!, context: context, intake: counts)
        var district = IntakeTally()
        var sources: [SourceFigures] = []
        for source in bySource {
            let tally = IntakeTally(source)
            district.add(tally)
            sources.append(SourceFigures(source: source.source, figures: tally.figures))
        }
        return (district.figures, sources)
    }
}

/// Accepted, refused, code errors and duplicates of one source or the district.
private struct IntakeTally {
    var accepted = 0, refused = 0, codeErrors = 0, duplicates = 0

    init() {}

    init(_ quality: SourceQuality) {
        accepted = quality.facts
        refused = quality.refused
        codeErrors = quality.codeErrors + quality.codeConflicts.count
        duplicates = quality.duplicates
    }

    mutating func add(_ other: IntakeTally) {
        accepted += other.accepted; refused += other.refused; codeErrors += other.codeErrors; duplicates += other.duplicates
    }

    var figures: [IndicatorFigure] {
        [
            IndicatorFigure(IndicatorCatalogue.complianceRate, .ratio(accepted, of: accepted + refused, none: "line received")),
            IndicatorFigure(IndicatorCatalogue.codeErrorRate, .ratio(codeErrors, of: accepted + refused, none: "code received")),
            IndicatorFigure(IndicatorCatalogue.duplicates, .count(duplicates)),
        ]
    }
}
