import CreditFacts
import LedgerStorage

/// Everything the ledger shows of one subject as of a date, as known at an instant: its
/// registration, records with their statuses, repairs, roles, a person's linked organisation
/// records, early warnings, grade and the measures that apply in any scene — all read from one
/// ``Standing``, so each record is judged once and the subject graded once. What
/// `credit-ledger subject` prints, for a service to embed in one call.
public struct SubjectDocument: Sendable {
    /// The subject.
    public var subject: SubjectCode
    /// Whether the ledger holds any fact about it (``Standing/inLedger``).
    public var inLedger: Bool
    /// The date of the document.
    public var asOf: LegalDate
    /// The instant the ledger's knowledge is taken at (nil: everything it holds).
    public var knownAt: RecordedTime?
    /// Its registration on the date, if any.
    public var profile: SubjectRegistry.Profile?
    /// Roles held in it (an organisation's) that began by the date, by start and person.
    public var roles: [SubjectRegistry.RoleSpell]
    /// Penalties not archived on the date, by decision date and number.
    public var penalties: [PenaltyStatus]
    /// List entries not archived on the date, by entry date and number.
    public var lists: [ListStatus]
    /// Commitments made by the date, by date and number.
    public var commitments: [CommitmentStatus]
    /// Repair applications made by the date, by date and number.
    public var repairs: [RepairSpell]
    /// A person's links to organisations' dishonesty records, sorted.
    public var links: [PenetrationLink]
    /// Early-warning signals, sorted.
    public var warnings: [EarlyWarning]
    /// The grade with its reasons.
    public var grade: Grade
    /// Measures that apply in any scene, each once (by measure, trigger and path).
    public var measures: [MeasureMatch]
    /// The credit report on the same standing.
    public var report: CreditReport

    /// The document of a standing, graded by `matcher`'s grader and matched against its catalogue.
    public init(_ standing: Standing, knownAt: RecordedTime?, matcher: Matcher, warnings policy: EarlyWarningPolicy = .standard) {
        subject = standing.subject
        inLedger = standing.inLedger
        asOf = standing.asOf
        self.knownAt = knownAt
        profile = standing.profile
        roles = standing.roles
        penalties = standing.reportedPenalties.sorted { ($0.decided, $0.decisionNo.text) < ($1.decided, $1.decisionNo.text) }
        lists = standing.reportedListings.sorted { ($0.entered, $0.listNo.text) < ($1.entered, $1.listNo.text) }
        commitments = standing.madeCommitments.sorted { ($0.made, $0.commitmentNo.text) < ($1.made, $1.commitmentNo.text) }
        repairs = standing.repairs.sorted { ($0.applied, $0.repairNo.text) < ($1.applied, $1.repairNo.text) }
        links = standing.links
        warnings = EarlyWarnings(policy: policy).signals(of: standing)
        let grade = matcher.grader.grade(standing)
        self.grade = grade
        measures = matcher.matchEveryScene(standing, grade: grade)
        report = CreditReport(standing)
    }

    /// A repair's status on the document's date: `pending` until decided, then its outcome.
    public func status(of repair: RepairSpell) -> String {
        guard let decided = repair.decided, decided <= asOf, let outcome = repair.outcome else { return "pending" }
        return outcome.rawValue
    }
}

extension Ledger {
    /// `subject`'s document as of `date`, as known at `knownAt` (now when nil), grading with
    /// `model` (the bundled default when nil) and matching `catalogue` (the bundled national one
    /// when nil).
    /// - Throws: ``LedgerError``, or a catalogue or model error.
    public func subjectDocument(of subject: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                                model: GradingModel? = nil, catalogue: MeasureCatalogue? = nil) throws -> SubjectDocument {
        let matcher = try matcher(catalogue: catalogue, model: model)
        let standing = try standing(of: subject, asOf: date, knownAt: knownAt, policy: matcher.penetration.policy)
        return SubjectDocument(standing, knownAt: knownAt, matcher: matcher)
    }
}
