import CreditFacts
import LedgerStorage

/// A record an approved repair stopped: what it was, and what stopped on the decision's date.
public struct StoppedRecord: Sendable, Hashable {
    /// `penalty`, `list` or `commitment`.
    public var kind: String
    /// The decision, list entry or commitment number.
    public var number: String
    /// What the record was: the penalty's field and decision date, the list and its entry date,
    /// the commitment's kind.
    public var detail: String
    /// What stopped: publicity and sharing of the penalty (终止公示), the listing (移出名单), the
    /// breach record (信用修复).
    public var effect: String
    /// From when (the repair decision's date).
    public var from: LegalDate
    /// The record's category as a vocabulary code, for words in any language: the penalty's field
    /// (`field`), the list (`list`) or the commitment's kind (`commitmentKind`); nil when the views
    /// hold no such record.
    public var category: String?
    /// The penalty's decision date or the list entry's date (nil for a commitment).
    public var recordDate: LegalDate?

    /// The vocabulary ``category`` is a code of.
    public var categoryVocabulary: String {
        switch kind {
        case "penalty": "field"
        case "list": "list"
        default: "commitmentKind"
        }
    }
}

/// The repair certificate (信用修复证明) of an approved repair: the applicant, the case with its
/// stages, the decision, the records it stopped. A face adds the verification reference (the
/// history it was computed from, ``HistoryBinding``), as the credit report does.
public struct RepairCertificate: Sendable, Hashable {
    /// The applicant.
    public var subject: SubjectCode
    /// Its registered name on the decision's date, if registered.
    public var name: String?
    /// The repair, stage by stage, as of ``asOf``.
    public var repair: OpenCase
    /// The decision's reason, if given.
    public var reason: String?
    /// The facts of the case: application, acceptance (if recorded), decision.
    public var facts: [FactRef]
    /// The records the repair stopped.
    public var stopped: [StoppedRecord]
    /// The date the certificate speaks of.
    public var asOf: LegalDate
}

/// Why a repair certificate cannot be given.
public enum RepairCertificateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The subject has no repair application of that number received by the date.
    case noSuchRepair(subject: SubjectCode, repairNo: String, asOf: LegalDate)
    /// The repair was not decided by the date.
    case notDecided(repairNo: String, stage: CaseStage, asOf: LegalDate)
    /// The repair was decided otherwise than approved.
    case notApproved(repairNo: String, outcome: String)

    public var description: String {
        switch self {
        case .noSuchRepair(let subject, let number, let date): "\(subject) has no repair application \(number) received by \(date)"
        case .notDecided(let number, let stage, let date): "repair \(number) is not decided on \(date) (stage: \(stage.rawValue)); a certificate is given for an approved repair"
        case .notApproved(let number, let outcome): "repair \(number) was \(outcome), not approved; a certificate is given for an approved repair"
        }
    }
}

extension Ledger {
    /// The repair certificate of repair `repairNo` of `subject` as of `date`, as known at `knownAt`
    /// (now when nil), with the case's stages judged under `deadlines` (the bundled default when nil).
    /// - Throws: ``RepairCertificateError`` when there is no such repair, or it was not approved by `date`.
    public func repairCertificate(of subject: SubjectCode, repairNo: String, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                                  deadlines: CaseDeadlines? = nil) throws -> RepairCertificate {
        let deadlines = try deadlines ?? CaseDeadlines.standard
        let calendar = context.calendar
        return try withViews(knownAt: knownAt) { views in
            guard let register = views.view(CaseRegister.self) else { throw LedgerError.unknownView(CaseRegister.name) }
            let status = try StatusViews(views)
            guard let c = register.cases(of: subject, asOf: date).last(where: { $0.kind == .repair && $0.number == repairNo }) else {
                throw RepairCertificateError.noSuchRepair(subject: subject, repairNo: repairNo, asOf: date)
            }
            guard let decided = c.decided, decided <= date, let outcome = c.outcome else {
                throw RepairCertificateError.notDecided(repairNo: repairNo, stage: c.stage(on: date), asOf: date)
            }
            guard outcome == RepairOutcome.approved.rawValue else { throw RepairCertificateError.notApproved(repairNo: repairNo, outcome: outcome) }
            return RepairCertificate(
                subject: subject, name: status.registry.entry(subject)?.registration(asOf: decided)?.details.name,
                repair: OpenCase(c, of: subject, asOf: date, limits: deadlines.repair, calendar: calendar), reason: c.reason, facts: c.facts,
                stopped: [Self.stopped(c.target, of: subject, on: decided, status)], asOf: date)
        }
    }

    /// What the approved repair of `target` stopped on `date`.
    private static func stopped(_ target: RecordTarget, of subject: SubjectCode, on date: LegalDate, _ views: StatusViews) -> StoppedRecord {
        switch target {
        case .decision(let number):
            let record = views.publicity.records(of: subject).first { $0.decisionNo == number }
            return StoppedRecord(kind: "penalty", number: number.text,
                                 detail: record.map { "\($0.field.rawValue), decided \($0.decided)" } ?? "",
                                 effect: "publicity and sharing ended (终止公示)", from: date,
                                 category: record?.field.rawValue, recordDate: record?.decided)
        case .list(let number):
            let record = views.lists.records(of: subject).first { $0.listNo == number }
            return StoppedRecord(kind: "list", number: number.text,
                                 detail: record.map { "\($0.list.rawValue) list, entered \($0.entered)" } ?? "",
                                 effect: "removed from the list (移出名单)", from: date,
                                 category: record?.list.rawValue, recordDate: record?.entered)
        case .commitment(let number):
            let record = views.commitments.entry(subject)?.commitments.first { $0.commitmentNo == number }
            return StoppedRecord(kind: "commitment", number: number.text, detail: record.map { "\($0.kind.rawValue) commitment" } ?? "",
                                 effect: "breach record repaired (信用修复)", from: date,
                                 category: record?.kind.rawValue, recordDate: nil)
        }
    }
}
