import CreditFacts
import LedgerStorage

/// The deadline of one stage of a case, judged on the date asked about.
public struct StageDeadline: Sendable, Hashable {
    /// The stage (`accepted` or `decided`).
    public var stage: CaseStage
    /// The limit it is judged by (working days, counted after which stage, source).
    public var limit: StageLimit
    /// The last day to reach the stage; nil when the holiday calendar does not reach that far, or
    /// when the stage it is counted from has not been reached.
    public var due: LegalDate?
    /// When the stage was reached, if by the date asked about.
    public var done: LegalDate?
    /// While not done: working days left after the date asked about through ``due`` (0 on the last
    /// day; negative: working days overdue); nil when done or when the calendar cannot say.
    public var workingDaysLeft: Int?

    /// Whether the stage is not done and past its deadline.
    public var isOverdue: Bool { done == nil && (workingDaysLeft ?? 0) < 0 }
    /// Whether the stage was done after its deadline.
    public var wasLate: Bool { done.flatMap { done in due.map { done > $0 } } ?? false }
}

/// A repair application or objection as of a date, with its stages' deadlines: a row of a
/// clerk's worklist (open cases), or the progress an applicant asks about.
public struct OpenCase: Sendable, Hashable {
    /// Repair application or objection.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A repair application (信用修复申请).
        case repair
        /// An objection (异议).
        case objection
    }

    /// What kind of case.
    public var kind: Kind
    /// The applicant.
    public var subject: SubjectCode
    /// The repair or objection number.
    public var number: String
    /// The record it is against, typed (the pages word its kind).
    public var record: RecordTarget
    /// The record it is against in English (`penalty D`, `list L`, `commitment C`), as the JSON has it.
    public var target: String { record.englishText }
    /// When it was received.
    public var received: LegalDate
    /// The stage reached on the date asked about.
    public var stage: CaseStage
    /// When it was accepted, if by the date asked about.
    public var accepted: LegalDate?
    /// When it was decided, if by the date asked about.
    public var decided: LegalDate?
    /// The outcome, if decided by the date asked about.
    public var outcome: String?
    /// The acceptance stage's deadline; nil when the regime sets none.
    public var acceptance: StageDeadline?
    /// The decision stage's deadline; nil when the regime sets none.
    public var decision: StageDeadline?

    /// The last day to decide it (nil when the regime sets no limit, the calendar does not reach
    /// that far, or the limit counts from an acceptance not yet made).
    public var due: LegalDate? { decision?.due }
    /// Working days left to decide it (see ``StageDeadline/workingDaysLeft``).
    public var workingDaysLeft: Int? { decision?.workingDaysLeft }
    /// Whether a stage not yet reached is past its deadline.
    public var isOverdue: Bool { (acceptance?.isOverdue ?? false) || (decision?.isOverdue ?? false) }
    /// The next deadline: acceptance while not accepted, then decision.
    public var nextDue: LegalDate? {
        if accepted == nil, decided == nil, let due = acceptance?.due { return due }
        return decided == nil ? decision?.due : nil
    }

    /// The case `c` of `subject` as of `date` under `limits`, on `calendar`.
    init(_ c: CaseRegister.Case, of subject: SubjectCode, asOf date: LegalDate, limits: CaseLimits, calendar: WorkingDayCalendar) {
        kind = c.kind
        self.subject = subject
        number = c.number
        record = c.target
        received = c.received
        stage = c.stage(on: date)
        accepted = c.accepted.flatMap { $0 <= date ? $0 : nil }
        decided = c.decided.flatMap { $0 <= date ? $0 : nil }
        outcome = decided == nil ? nil : c.outcome
        let (received, accepted, decided) = (self.received, self.accepted, self.decided)
        func start(_ limit: StageLimit) -> LegalDate? { limit.from == .accepted ? accepted : received }
        // A decision also ends the acceptance stage: a case decided without an acceptance fact is not overdue to accept.
        acceptance = limits.accept.map { Self.deadline(.accepted, $0, start: start($0), done: accepted ?? decided, asOf: date, calendar) }
        decision = limits.decide.map { Self.deadline(.decided, $0, start: start($0), done: decided, asOf: date, calendar) }
    }

    private static func deadline(_ stage: CaseStage, _ limit: StageLimit, start: LegalDate?, done: LegalDate?, asOf date: LegalDate,
                                 _ calendar: WorkingDayCalendar) -> StageDeadline {
        let due = start.flatMap { CaseDeadlines.due($0, workingDays: limit.workingDays, calendar: calendar) }
        var left: Int?
        if done == nil, let due {
            left = date <= due ? try? calendar.workingDays(after: date, through: due)
                : (try? calendar.workingDays(after: due, through: date)).map { -$0 }
        }
        return StageDeadline(stage: stage, limit: limit, due: due, done: done, workingDaysLeft: left)
    }
}

/// A worklist of open cases as of a date: overdue first, then by next deadline, subject and number.
public struct CaseWorklist: Sendable, Hashable {
    /// Repairs or objections.
    public var kind: OpenCase.Kind
    /// The date.
    public var asOf: LegalDate
    /// The regime of deadlines the cases are judged by.
    public var deadlines: CaseDeadlines
    /// The open cases, most urgent first.
    public var cases: [OpenCase]

    /// The working days allowed to decide, if the regime sets a limit.
    public var workingDays: Int? { deadlines.limits(kind).decide?.workingDays }
    /// The source of that limit.
    public var deadlineSource: String? { deadlines.limits(kind).decide?.source }
}

extension Ledger {
    /// The repair applications (`.repair`) or objections (`.objection`) received on or before
    /// `date` and not decided by then, as known at `knownAt` (now when nil), each with the
    /// deadlines of its stages under `deadlines` (the bundled default regime when nil).
    public func worklist(_ kind: OpenCase.Kind, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                         deadlines: CaseDeadlines? = nil) throws -> CaseWorklist {
        let deadlines = try deadlines ?? CaseDeadlines.standard
        let calendar = context.calendar
        let cases = try withCases(knownAt: knownAt) { register in
            register.subjects.flatMap { subject in
                register.cases(of: subject, asOf: date).filter { $0.kind == kind && $0.stage(on: date) != .decided }
                    .map { OpenCase($0, of: subject, asOf: date, limits: deadlines.limits(kind), calendar: calendar) }
            }
        }
        let never = LegalDate(year: 9999, month: 12, day: 31)!
        return CaseWorklist(kind: kind, asOf: date, deadlines: deadlines, cases: cases.sorted { a, b in
            (a.isOverdue ? 0 : 1, a.nextDue ?? never, a.subject, a.number) < (b.isOverdue ? 0 : 1, b.nextDue ?? never, b.subject, b.number)
        })
    }

    /// Every repair application and objection of `subject` (the one numbered `number` when given),
    /// as of `date` and known at `knownAt`: the applicant's progress, stage by stage, with each
    /// stage's deadline under `deadlines` (the bundled default regime when nil). In the order received.
    public func caseProgress(of subject: SubjectCode, number: String? = nil, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                             deadlines: CaseDeadlines? = nil) throws -> [OpenCase] {
        let deadlines = try deadlines ?? CaseDeadlines.standard
        let calendar = context.calendar
        return try withCases(knownAt: knownAt) { register in
            register.cases(of: subject, asOf: date).filter { number == nil || $0.number == number }
                .map { OpenCase($0, of: subject, asOf: date, limits: deadlines.limits($0.kind), calendar: calendar) }
        }
    }

    /// Runs `body` on the case register as known at `knownAt`.
    func withCases<T>(knownAt: RecordedTime?, _ body: (CaseRegister) throws -> T) throws -> T {
        try withViews(knownAt: knownAt) { views in
            guard let register = views.view(CaseRegister.self) else { throw LedgerError.unknownView(CaseRegister.name) }
            return try body(register)
        }
    }
}

/// One subject on the district's risk worklist (信用风险监测预警): its early-warning signals.
public struct RiskRow: Sendable, Hashable {
    /// The subject.
    public var subject: SubjectCode
    /// Its signals, sorted.
    public var signals: [EarlyWarning]
    /// The records behind the signals, counted (the rank's second key).
    public var records: Int { signals.reduce(0) { $0 + $1.refs.count } }
}

extension Ledger {
    /// The early-warning signals across all subjects as of `date` (repeat penalties in one field,
    /// contract defaults, overdue commitments), as known at `knownAt`, one row per subject ranked
    /// by how many signals it has, then how many records stand behind them, then code.
    public func riskWorklist(asOf date: LegalDate, knownAt: RecordedTime? = nil,
                             policy: EarlyWarningPolicy = .standard) throws -> [RiskRow] {
        var bySubject: [SubjectCode: [EarlyWarning]] = [:]
        for signal in try earlyWarnings(asOf: date, knownAt: knownAt, policy: policy) { bySubject[signal.subject, default: []].append(signal) }
        return bySubject.map { RiskRow(subject: $0.key, signals: $0.value.sorted()) }.sorted { a, b in
            (-a.signals.count, -a.records, a.subject) < (-b.signals.count, -b.records, b.subject)
        }
    }
}
