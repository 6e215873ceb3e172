import CreditFacts
import LedgerStorage

/// An open case on a clerk's worklist: a repair application or an objection not decided by the
/// date asked about, with its deadline in working days.
public struct OpenCase: Sendable, Hashable {
    /// Repair application or objection.
    public enum Kind: String, Sendable, Hashable {
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
    /// The record it is against (`penalty D`, `list L`, `commitment C`).
    public var target: String
    /// When it was received.
    public var received: LegalDate
    /// The last day to decide it (nil when the holiday calendar does not reach that far).
    public var due: LegalDate?
    /// Working days left after the date asked about through ``due`` (0 on the last day); negative:
    /// working days overdue; nil when the calendar cannot say.
    public var workingDaysLeft: Int?

    /// Whether it is past its deadline.
    public var isOverdue: Bool { (workingDaysLeft ?? 0) < 0 }
}

/// A worklist of open cases as of a date: overdue first, then by deadline, subject and number.
public struct CaseWorklist: Sendable, Hashable {
    /// Repairs or objections.
    public var kind: OpenCase.Kind
    /// The date.
    public var asOf: LegalDate
    /// The working days allowed and where that limit comes from.
    public var workingDays: Int
    /// The source of the limit.
    public var deadlineSource: String
    /// The open cases, most urgent first.
    public var cases: [OpenCase]
}

extension Ledger {
    /// The repair applications (`.repair`) or objections (`.objection`) open on `date`, as known at
    /// `knownAt` (now when nil), each with its deadline under `deadlines`.
    public func worklist(_ kind: OpenCase.Kind, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                         deadlines: CaseDeadlines = .standard) throws -> CaseWorklist {
        let calendar = context.calendar
        let days = kind == .repair ? deadlines.repairDecisionWorkingDays : deadlines.objectionResolutionWorkingDays
        let pending: [(SubjectCode, String, String, LegalDate)] = try withStatusViews(knownAt: knownAt) { views in
            kind == .repair ? Self.openRepairs(views, asOf: date) : Self.openObjections(views, asOf: date)
        }
        let cases = pending.map { subject, number, target, received -> OpenCase in
            let due = CaseDeadlines.due(received, workingDays: days, calendar: calendar)
            var left: Int?
            if let due, date <= due {
                left = try? calendar.workingDays(after: date, through: due)
            } else if let due {
                left = (try? calendar.workingDays(after: due, through: date)).map { -$0 }
            }
            return OpenCase(kind: kind, subject: subject, number: number, target: target, received: received, due: due, workingDaysLeft: left)
        }.sorted { a, b in
            (a.isOverdue ? 0 : 1, a.due ?? LegalDate(year: 9999, month: 12, day: 31)!, a.subject, a.number)
                < (b.isOverdue ? 0 : 1, b.due ?? LegalDate(year: 9999, month: 12, day: 31)!, b.subject, b.number)
        }
        return CaseWorklist(kind: kind, asOf: date, workingDays: days,
                            deadlineSource: kind == .repair ? deadlines.repairDecisionSource : deadlines.objectionResolutionSource, cases: cases)
    }

    /// Repair applications made on or before `date` and not decided by then: (subject, number, target, applied).
    private static func openRepairs(_ views: StatusViews, asOf date: LegalDate) -> [(SubjectCode, String, String, LegalDate)] {
        var out: [(SubjectCode, String, String, LegalDate)] = []
        for subject in views.commitments.subjects {
            for spell in views.commitments.entry(subject)?.repairs ?? [] where spell.applied <= date && !(spell.decided.map { $0 <= date } ?? false) {
                out.append((subject, spell.repairNo.text, repairTarget(spell.repairNo, of: subject, views), spell.applied))
            }
        }
        return out
    }

    /// What repair `number` of `subject` is against, from the view that holds it.
    private static func repairTarget(_ number: RepairNo, of subject: SubjectCode, _ views: StatusViews) -> String {
        if let r = views.publicity.records(of: subject).first(where: { $0.repairs.contains { $0.repairNo == number } }) {
            return "penalty \(r.decisionNo.text)"
        }
        if let r = views.lists.records(of: subject).first(where: { $0.repairs.contains { $0.repairNo == number } }) {
            return "list \(r.listNo.text)"
        }
        if let r = views.commitments.entry(subject)?.commitments.first(where: { $0.repairs.contains { $0.repairNo == number } }) {
            return "commitment \(r.commitmentNo.text)"
        }
        return "unknown record"
    }

    /// Objections open on `date` against penalties, list entries and commitments.
    private static func openObjections(_ views: StatusViews, asOf date: LegalDate) -> [(SubjectCode, String, String, LegalDate)] {
        var out: [(SubjectCode, String, String, LegalDate)] = []
        func add(_ subject: SubjectCode, _ spells: [ObjectionSpell], _ target: String) {
            for spell in spells where spell.isOpen(on: date) { out.append((subject, spell.objectionNo.text, target, spell.raised)) }
        }
        for subject in views.publicity.subjects {
            for r in views.publicity.records(of: subject) { add(subject, r.objections, "penalty \(r.decisionNo.text)") }
        }
        for subject in views.lists.subjects {
            for r in views.lists.records(of: subject) { add(subject, r.objections, "list \(r.listNo.text)") }
        }
        for subject in views.commitments.subjects {
            for r in views.commitments.entry(subject)?.commitments ?? [] { add(subject, r.objections, "commitment \(r.commitmentNo.text)") }
        }
        return out
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
