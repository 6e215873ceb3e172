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
        /// Not computable, and why (worded in the reader's language by the pages; its English
        /// ``Explanation/text`` in the JSON).
        case notComputable(Explanation)

        /// Why the figure cannot be computed, in English; nil when it can.
        public var whyNot: String? {
            if case .notComputable(let why) = self { return why.text }
            return nil
        }

        /// The count or the rate's value; nil when not computable.
        public var number: Double? {
            switch self {
            case .count(let count): Double(count)
            case .rate(let numerator, let denominator): Double(numerator) / Double(denominator)
            case .notComputable: nil
            }
        }

        /// A rate, or not computable for `why` when the denominator is zero.
        static func ratio(_ numerator: Int, of denominator: Int, none why: @autoclosure () -> Explanation) -> Value {
            denominator == 0 ? .notComputable(why()) : .rate(numerator: numerator, denominator: denominator)
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
    /// The months of the period the figure is judged over; nil when it is not judged (a part of
    /// an indicator, e.g. one list's entries).
    var judgedMonths: Int?

    /// A figure of `id` under `key` (the id when nil), to be judged against the catalogue's first
    /// target for a period of `months` months (``judged(by:)``).
    init(_ id: IndicatorID, key: String? = nil, _ value: Value, months: Int = 1, judged: Bool = true) {
        self.key = key ?? id.rawValue
        indicator = id.rawValue
        self.value = value
        judgedMonths = judged ? months : nil
    }

    /// The figure with ``targetMet`` set from the first target `catalogue` gives its indicator.
    func judged(by catalogue: IndicatorCatalogue) -> IndicatorFigure {
        var figure = self
        if let months = judgedMonths, let id = IndicatorID(rawValue: indicator), let number = value.number {
            figure.targetMet = catalogue[id].targets.first?.isMet(by: number, months: months)
        }
        return figure
    }
}

extension [IndicatorFigure] {
    func judged(by catalogue: IndicatorCatalogue) -> [IndicatorFigure] { map { $0.judged(by: catalogue) } }
}

extension [SourceFigures] {
    func judged(by catalogue: IndicatorCatalogue) -> [SourceFigures] {
        map { SourceFigures(source: $0.source, figures: $0.figures.judged(by: catalogue)) }
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
/// district and per department (the intake figures — 合规率, 重错码率, duplicates — by the day lines
/// were received); the status on the range's last day (grades, tax grades, penetration); and the
/// intake figures of the whole range. Same log and intake counters ⇒ same report: every list is sorted.
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
    /// The intake figures of the whole range for the district (lines received from ``from``
    /// through ``through``).
    public var intake: [IndicatorFigure]
    /// The intake figures of the whole range per department, sorted by source.
    public var intakeBySource: [SourceFigures]
    /// The indicator catalogue the figures were judged by (definitions and targets).
    public var catalogue: IndicatorCatalogue
    /// The definitions of every indicator, in catalogue order.
    public var definitions: [IndicatorDefinition] { catalogue.definitions }
}

extension Ledger {
    /// The assessment indicators from `from` through `through` cut by `kind`, as known at
    /// `knownAt` (now when nil). The A-grade share is computed under `model` (the bundled default
    /// when nil); repairs are judged by `deadlines` (the bundled default regime when nil). The intake figures of a period are computable
    /// when the intake counters dated every day of it and, at a past instant, when that instant
    /// falls on a later day (refusals are counted per day, not per instant). Targets are those of
    /// `catalogue` (the bundled indicator file when nil).
    /// - Precondition: `from <= through`.
    public func indicators(from: LegalDate, through: LegalDate, by kind: IndicatorPeriodKind, knownAt: RecordedTime? = nil,
                           model: GradingModel? = nil, deadlines: CaseDeadlines? = nil,
                           catalogue: IndicatorCatalogue? = nil) throws -> IndicatorReport {
        let model = try model ?? GradingModel.bundledDefault()
        let catalogue = try catalogue ?? .bundled()
        let deadlines = try deadlines ?? .standard
        let intake = IntakeWindow(counts: self.intake.counts, knownAtDay: knownAt.map { Timestamp($0).chinaStandardDate })
        return try withViews(knownAt: knownAt) { views in
            try IndicatorReport(views: views, from: from, through: through, by: kind, context: context, model: model,
                                deadlines: deadlines, intake: intake, catalogue: catalogue)
        }
    }
}

extension IndicatorReport {
    /// Computes the report from `views` (every view the ledger runs) and the intake counters
    /// (nil at a past instant).
    init(views: ViewSet, from: LegalDate, through: LegalDate, by kind: IndicatorPeriodKind, context: ViewContext,
         model: GradingModel, deadlines: CaseDeadlines, intake: IntakeWindow, catalogue: IndicatorCatalogue) throws {
        guard let quality = views.view(DataQuality.self) else { throw LedgerError.unknownView(DataQuality.name) }
        guard let feedback = views.view(MeasureFeedback.self) else { throw LedgerError.unknownView(MeasureFeedback.name) }
        guard let register = views.view(CaseRegister.self) else { throw LedgerError.unknownView(CaseRegister.name) }
        let status = try StatusViews(views)
        let periods = IndicatorPeriod.split(from: from, through: through, by: kind)
        self.from = from
        self.through = through
        periodKind = kind
        self.model = model.id
        self.deadlines = deadlines
        self.catalogue = catalogue
        let timeliness = quality.timeliness(in: periods, context: context)
        let cases = MeasureCases(feedback, periods: periods)
        let lists = ListMovements(status.lists, periods: periods)
        let commitments = CommitmentMovements(status.commitments, cases: register, periods: periods, deadlines: deadlines, calendar: context.calendar)
        let organisationCounts = status.registry.organisationCounts(asOf: periods.map(\.through))
        let received = IntakeDays(quality: quality, counts: intake.counts, periods: periods)
        var result: [PeriodIndicators] = []
        for (index, period) in periods.enumerated() {
            var district = Timeliness()
            var sources: [SourceFigures] = []
            let why = intake.unavailable(from: period.from, through: period.through)
            for source in Set(timeliness.bySource.keys).union(cases.bySource.keys).union(received.periods[index].keys).sorted() {
                let counts = timeliness.bySource[source]?[index] ?? Timeliness()
                district.add(counts)
                sources.append(SourceFigures(source: source, figures: counts.figures(months: period.months)
                    + [IndicatorFigure(.jointMeasureCases, .count(cases.bySource[source]?[index] ?? 0), judged: false)]
                    + (received.periods[index][source] ?? IntakeTally()).figures(unavailable: why)))
            }
            let organisations = organisationCounts[index]
            var figures = district.figures(months: period.months)
            figures.append(IndicatorFigure(.factsPerOrganisation, organisations == 0
                ? .notComputable(.noOrganisationRegistered(on: period.through))
                : .rate(numerator: timeliness.factsThrough[index], denominator: organisations)))
            figures += commitments.figures(index)
            figures += lists.figures(index)
            figures.append(IndicatorFigure(.jointMeasureCases, .count(cases.district[index]), months: period.months))
            figures += received.periods[index].values.reduce(into: IntakeTally()) { $0.add($1) }.figures(unavailable: why)
            result.append(PeriodIndicators(period: period, district: figures.judged(by: catalogue), sources: sources.judged(by: catalogue)))
        }
        self.periods = result
        atEnd = Self.status(on: through, views: status, context: context, model: model).judged(by: catalogue)
        let why = intake.unavailable(from: from, through: through)
        self.intake = received.range.values.reduce(into: IntakeTally()) { $0.add($1) }.figures(unavailable: why).judged(by: catalogue)
        intakeBySource = received.range.sorted { $0.key < $1.key }
            .map { SourceFigures(source: $0.key, figures: $0.value.figures(unavailable: why)) }.judged(by: catalogue)
    }

    /// The figures on `date`: grade A share, A-grade taxpayers, penetration coverage.
    private static func status(on date: LegalDate, views: StatusViews, context: ViewContext, model: GradingModel) -> [IndicatorFigure] {
        // Grading and penetration coverage read the same standings: one pass over the graded
        // subjects gives each its level and, for an organisation, its coverage counts; the
        // organisations with records a distribution does not count (deregistered or never
        // registered) are read after. Coverage here is its counts alone, so the order it is
        // summed in does not matter.
        let penetration = Penetration(context: context)
        let graded = Grader(model: model, context: context).levels(of: views.gradedSubjects(asOf: date), asOf: date, views: views,
                                                                   zero: CoverageCounts()) { standing in
            standing.subject.isPerson ? CoverageCounts() : penetration.coverageCounts(in: standing, views: views)
        }
        let distribution = GradeDistribution(model: model.id, asOf: date, levels: graded.lazy.map(\.level))
        var coverage = graded.reduce(into: CoverageCounts()) { $0.add($1.also) }
        coverage.add(penetration.coverageCounts(of: views.subjectsWithRecords { !$0.isPerson && !views.isGraded($0, asOf: date) },
                                                asOf: date, views: views))
        let gradedCount = distribution.rows.filter { $0.level != .M }.reduce(0) { $0 + $1.count }
        let gradeA = distribution.rows.first { $0.level == .A }?.count ?? 0
        let organisations = views.registry.organisationCount(asOf: date)
        let taxA = views.conduct.countLatestGrade("A", scheme: "tax", asOf: date) { $0.isOrganisation }
        return [
            IndicatorFigure(.gradeAShare, .ratio(gradeA, of: gradedCount, none: Explanation(.noSubjectGraded, "no subject graded A to D on {date}", ["date": .date(date)]))),
            IndicatorFigure(.taxGradeAShare, .ratio(taxA, of: organisations, none: .noOrganisationRegistered(on: date))),
            IndicatorFigure(.penetrationCoverage,
                            .ratio(coverage.linked, of: coverage.records,
                                   none: Explanation(.noDishonestyRecordInForce, "no organisation's dishonesty record in force on {date}", ["date": .date(date)]))),
        ]
    }
}

/// The intake counters as a report may read them: the counts, and the day of the instant the
/// report is as known at (nil: now).
struct IntakeWindow {
    var counts: IntakeCounters.Counts
    var knownAtDay: LegalDate?

    /// Why the intake figures of `from` through `through` cannot be computed, or nil when they can:
    /// every day of it must have been counted by day, and an instant asked about must fall after it.
    func unavailable(from: LegalDate, through: LegalDate) -> Explanation? {
        guard let since = counts.datedSince, since <= from else {
            guard let since = counts.datedSince else {
                return Explanation(.intakeNotYetCounted,
                                   "refusals and duplicates are counted by the day received only since a day not yet recorded, after {from}",
                                   ["from": .date(from)])
            }
            return Explanation(.intakeCountedSince, "refusals and duplicates are counted by the day received only since {since}, after {from}",
                               ["since": .date(since), "from": .date(from)])
        }
        if let day = knownAtDay, day <= through {
            return Explanation(.intakeNotPerInstant,
                               "refusals and duplicates are counted per day, not per instant: as known on {day} the days through {through} are not complete",
                               ["day": .date(day), "through": .date(through)])
        }
        return nil
    }
}

/// The intake of each period and of the whole range, per source: facts accepted and code
/// conflicts by the day recorded (the data-quality view), refusals and duplicates by the day received
/// (the intake counters).
struct IntakeDays {
    var periods: [[SourceID: IntakeTally]]
    var range: [SourceID: IntakeTally] = [:]

    init(quality: DataQuality, counts: IntakeCounters.Counts, periods: [IndicatorPeriod]) {
        self.periods = Array(repeating: [:], count: periods.count)
        for (source, rows) in quality.received(in: periods) {
            for (index, row) in rows.enumerated() where row.accepted > 0 || row.conflicts > 0 {
                self.periods[index][source, default: IntakeTally()].accepted += row.accepted
                self.periods[index][source, default: IntakeTally()].codeErrors += row.conflicts
            }
        }
        for (day, sources) in counts.days {
            guard let index = IndicatorPeriod.index(of: day, in: periods) else { continue }
            for (source, counts) in sources {
                var tally = IntakeTally()
                tally.refused = counts.refusals.values.reduce(0, +)
                tally.codeErrors = counts.refusals[FactError.Kind.invalidCode.rawValue] ?? 0
                tally.duplicates = counts.duplicates
                self.periods[index][source, default: IntakeTally()].add(tally)
            }
        }
        for period in self.periods {
            for (source, tally) in period { range[source, default: IntakeTally()].add(tally) }
        }
    }
}

/// Accepted, refused, code errors (错码 refusals + 重码 conflicts) and duplicates of one source or the district.
struct IntakeTally {
    var accepted = 0, refused = 0, codeErrors = 0, duplicates = 0

    mutating func add(_ other: IntakeTally) {
        accepted += other.accepted; refused += other.refused; codeErrors += other.codeErrors; duplicates += other.duplicates
    }

    /// 合规率, 重错码率 and duplicates; each not computable for `unavailable` when given.
    func figures(unavailable: Explanation?) -> [IndicatorFigure] {
        if let unavailable {
            return [IndicatorID.complianceRate, .codeErrorRate, .duplicates].map { IndicatorFigure($0, .notComputable(unavailable)) }
        }
        return [
            IndicatorFigure(.complianceRate, .ratio(accepted, of: accepted + refused, none: Explanation(.noLineReceived, "no line received", [:]))),
            IndicatorFigure(.codeErrorRate, .ratio(codeErrors, of: accepted + refused, none: Explanation(.noCodeReceived, "no code received", [:]))),
            IndicatorFigure(.duplicates, .count(duplicates)),
        ]
    }
}

extension Explanation {
    /// No organisation registered on `date` (a ratio over organisations cannot be computed).
    static func noOrganisationRegistered(on date: LegalDate) -> Explanation {
        Explanation(.noOrganisationRegistered, "no organisation registered on {date}", ["date": .date(date)])
    }
}
