import CreditFacts
import CreditLedger
import LedgerStorage

/// The JSON documents of `match`, `grades`, `quality` and `digest --json`, and the log's head:
/// built here once so that the command line and the HTTP server print the same bytes.
public enum QueryDocuments {
    /// `match ID --scene S --json`: the measures that apply to `subject` in `scene`.
    public static func match(_ subject: SubjectCode, scene: MeasureScene, asOf date: LegalDate, knownAtText: String,
                             matches: [MeasureMatch], inLedger: Bool = true) -> JSON {
        .object([
            ("subject", .string(subject.description)), ("scene", .string(scene.rawValue)), ("asOf", .string(date.description)),
            ("knownAt", .string(knownAtText)), ("measures", .array(matches.map(RuleDocuments.match))),
        ] + NotInLedger.members(subject, inLedger: inLedger))
    }

    /// `match --json` read from `ledger`: the measures that apply in `scene`, and whether the ledger
    /// holds any fact about the subject at all (no measure applying to an unknown code proves nothing).
    public static func match(_ subject: SubjectCode, scene: MeasureScene, asOf date: LegalDate, knownAt: RecordedTime?,
                             knownAtText: String, ledger: Ledger) throws -> JSON {
        let matches = try ledger.match(subject, scene: scene, asOf: date, knownAt: knownAt)
        return match(subject, scene: scene, asOf: date, knownAtText: knownAtText, matches: matches,
                     inLedger: try ledger.holdsFacts(about: subject, knownAt: knownAt))
    }

    /// `grades --json`: the distribution per level with the model's inspection share, and the
    /// 双随机 draw when one was made.
    public static func grades(asOf date: LegalDate, knownAtText: String, distribution: GradeDistribution, model: GradingModel,
                              drawn: InspectionDraw?) -> JSON {
        .object([
            ("asOf", .string(date.description)), ("knownAt", .string(knownAtText)),
            ("model", .string(distribution.model)), ("subjects", .integer(distribution.total)),
            ("levels", .array(distribution.rows.map { row in
                var fields: [(String, JSON)] = [
                    ("level", .string(row.level.rawValue)), ("count", .integer(row.count)),
                    ("share", .number((row.share * 10_000).rounded() / 10_000)),
                    ("inspectionShare", .number(model.supervision.share(of: row.level))),
                ]
                if let level = drawn?.levels.first(where: { $0.level == row.level }) {
                    fields.append(("drawn", .integer(level.drawn.count)))
                }
                return .object(fields)
            })),
            ("draw", drawn.map { draw in
                .object([("seed", .string(String(draw.seed))),
                         ("subjects", .array(draw.subjects.map { .string($0.description) }))])
            } ?? .null),
        ])
    }

    /// `quality`: what it reports per source, the refusals by reason, and the codes reported
    /// under several names with those names.
    public struct Quality {
        /// Per source, in source order.
        public var sources: [SourceQuality]
        /// Refusals since the ledger's intake counters began, by reason, sorted by reason.
        public var byReason: [(String, Int)]
        /// Duplicates received.
        public var duplicates: Int
        /// Refusals of an invalid code (错码), all sources.
        public var codeErrors: Int
        /// The days the holiday calendar covers: deadlines past its end are not judged.
        public var calendarCoverage: ClosedRange<LegalDate>
        /// Codes reported under more than one name (重码), sorted, each with its names sorted.
        public var conflicts: [(SubjectCode, [String])]
        /// The valid-time date.
        public var asOf: LegalDate
        /// The transaction-time instant as the document shows it.
        public var knownAtText: String

        /// Reads the data-quality report of `ledger` as of `date`, as known at `knownAt`.
        public init(ledger: Ledger, asOf date: LegalDate, knownAt: RecordedTime?, knownAtText: String) throws {
            let intake = ledger.intake.counts
            sources = try ledger.withView(DataQuality.self, knownAt: knownAt) {
                $0.report(asOf: date, context: ledger.context, intake: intake)
            }
            var byReason: [String: Int] = [:]
            for kinds in intake.refusals.values { for (kind, count) in kinds { byReason[kind, default: 0] += count } }
            self.byReason = byReason.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            duplicates = intake.duplicates.values.reduce(0, +)
            codeErrors = sources.reduce(0) { $0 + $1.codeErrors }
            calendarCoverage = ledger.context.calendar.coverage
            let codes = Array(Set(sources.flatMap(\.codeConflicts))).sorted()
            conflicts = try codes.map { code in
                let names = try ledger.subjectView(SubjectRegistry.self, subject: code, knownAt: knownAt).entry(code)?
                    .registrations.map(\.details.name) ?? []
                return (code, Array(Set(names)).sorted())
            }
            asOf = date
            self.knownAtText = knownAtText
        }

        /// One source's figures; refusals of lines that named no readable source have `source` null.
        /// `notJudged` gives, by reason ("calendar ends D"), the acts whose deadline the calendar
        /// cannot give; `codeErrors` the refusals of an invalid code (错码).
        static func json(_ s: SourceQuality) -> JSON {
            .object([
                ("source", s.source == IntakeCounters.unnamedSource ? .null : .string(s.source.text)), ("facts", .integer(s.facts)),
                ("onTime", .integer(s.onTime)), ("late", .integer(s.late)), ("onTimeRate", s.onTimeRate.map(JSON.number) ?? .null),
                ("notJudged", .object(s.notJudged.map { ($0.kind, .integer($0.count)) })),
                ("duplicates", .integer(s.duplicates)), ("refused", .integer(s.refused)), ("codeErrors", .integer(s.codeErrors)),
            ])
        }

        /// `quality --json`.
        public var json: JSON {
            .object([
                ("asOf", .string(asOf.description)), ("knownAt", .string(knownAtText)),
                ("calendar", .object([("from", .string(calendarCoverage.lowerBound.description)),
                                      ("through", .string(calendarCoverage.upperBound.description))])),
                ("sources", .array(sources.map(Self.json))),
                ("duplicates", .integer(duplicates)),
                ("refused", .object([("byReason", .object(byReason.map { ($0.0, .integer($0.1)) })),
                                     ("codeErrors", .integer(codeErrors))])),
                ("codeConflicts", .array(conflicts.map { code, names in
                    .object([("code", .string(code.description)), ("names", .array(names.map(JSON.string)))])
                })),
            ])
        }
    }

    /// `digest --json`: the digest of every view as of `date`, known at the instant shown, and with
    /// a `binding` the history it was computed from.
    public static func digest(asOf date: LegalDate, knownAtText: String, digest: String, binding: HistoryBinding? = nil) -> JSON {
        .object([("asOf", .string(date.description)), ("knownAt", .string(knownAtText)), ("digest", .string(digest))]
                + HistoryDocuments.members(binding, check: HistoryDocuments.digestCheck))
    }

    /// The log's head: how many facts it holds, the chain hash that names its history, and the
    /// last recorded time.
    public static func head(_ head: LogHead) -> JSON {
        .object([
            ("records", .integer(Int(head.recordCount))), ("head", .string(head.chainHash.description)),
            ("lastRecorded", .optional(head.lastRecordedTime.map { Timestamp($0).description })),
        ])
    }
}
