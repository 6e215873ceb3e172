import CreditFacts
import CreditLedger

/// The JSON documents of `report --format json`: the credit report (信用报告) and the special
/// report that replaces a no-violation certificate for a field and period.
public enum ReportDocuments {
    /// The keys of the subject's document (`subject --json`) the credit report carries as they
    /// are: the grade, repairs, the roles of its persons (masked), for a person the records linked
    /// to them, the measures that apply and early warnings. Whatever fills them in for `subject`
    /// fills them in for the report and its page.
    public static let subjectKeys = ["grade", "repairs", "roles", "linkedRecords", "measures", "warnings"]

    /// The credit report's JSON document: the subject (name, kind), both instants, penalties and
    /// list entries public and not (with why), commitments, notification-and-commitment
    /// eligibility, open objections, licences with their state, honours, contracts and evaluations, then ``subjectKeys`` from the subject's document, and with a
    /// `binding` the history it was computed from (``HistoryDocuments``).
    public static func document(_ report: CreditReport, about: SubjectDocument, knownAt: String, binding: HistoryBinding? = nil) -> JSON {
        let registration = about.profile?.registration, subject = about.json(knownAtText: knownAt)
        return .object([
            ("subject", .string(report.subject.description)), ("name", .optional(registration?.name)),
            ("kind", .optional(registration?.kind.rawValue ?? (report.subject.isPerson ? "naturalPerson" : nil))),
            ("asOf", .string(report.asOf.description)), ("knownAt", .string(knownAt)),
            ("publicPenalties", .array(report.publicPenalties.map(Self.penalty))),
            ("unpublishedPenalties", .array(report.unpublishedPenalties.map(Self.penalty))),
            ("publishedListings", .array(report.publishedListings.map { Self.listing($0) })),
            ("unpublishedListings", .array(report.unpublishedListings.map { Self.listing($0.status, why: $0.why) })),
            ("commitments", .array(report.commitments.map { c in
                .object([("commitmentNo", .string(c.commitmentNo.text)), ("kind", .string(c.kind.rawValue)), ("status", .string(c.status.rawValue))])
            })),
            ("notificationAndCommitment", .object([
                ("allowed", .bool(report.notificationAndCommitment.isAllowed)),
                ("reasons", .array(report.notificationAndCommitment.reasons.map(JSON.string))),
                ("explanations", .array(report.notificationAndCommitment.explanations.map(JSON.explanation))),
            ])),
            ("disputed", .bool(report.hasOpenObjection)),
            ("licences", .array(report.licences.map(Self.licence))),
            ("honours", .array(report.honours.map { h in
                .object([("title", .string(h.honour.title)), ("level", .string(h.honour.level.rawValue)),
                         ("granted", .string(h.granted.description)), ("fact", .string(h.fact.description))])
            })),
            ("contracts", .array(report.contracts.map { c in
                .object([("contractNo", .string(c.performance.contractNo.text)), ("outcome", .string(c.performance.outcome.rawValue)),
                         ("amountYuan", .optional(c.performance.amount?.description)), ("date", .string(c.date.description)),
                         ("fact", .string(c.fact.description))])
            })),
            ("evaluations", .array(report.evaluations.map { e in
                .object([("scheme", .string(e.evaluation.scheme)), ("grade", .string(e.evaluation.grade)),
                         ("year", .integer(e.evaluation.year.value)), ("published", .string(e.published.description)),
                         ("fact", .string(e.fact.description))])
            })),
        ] + subjectKeys.map { ($0, subject[$0] ?? .null) } + NotInLedger.members(report.subject, inLedger: report.inLedger)
          + HistoryDocuments.members(binding, check: HistoryDocuments.reportCheck))
    }

    /// The special report's JSON document, with a `binding` the history it was computed from.
    public static func document(_ report: SpecialReport, name: String?, knownAt: String, binding: HistoryBinding? = nil) -> JSON {
        .object([
            ("subject", .string(report.subject.description)), ("name", .optional(name)), ("field", .string(report.field.rawValue)),
            ("from", .string(report.from.description)), ("to", .string(report.through.description)), ("knownAt", .string(knownAt)),
            ("clean", .bool(report.isClean)), ("penalties", .array(report.penalties.map(Self.penalty))),
            ("statement", .string(report.statement)),
        ] + NotInLedger.members(report.subject, inLedger: report.inLedger) + HistoryDocuments.members(binding, check: HistoryDocuments.reportCheck))
    }

    /// One penalty as the reports list it.
    public static func penalty(_ p: PenaltyStatus) -> JSON {
        .object([("decisionNo", .string(p.decisionNo.text)), ("decided", .string(p.decided.description)), ("field", .string(p.field.rawValue)),
                 ("severity", .string(p.severity.rawValue)), ("status", .string(p.status.rawValue)), ("public", .bool(p.isPublic)),
                 ("publicUntil", .optional(p.publicityEnd?.description)), ("whyNotPublic", .optional(p.whyNotPublic)),
                 ("repairEligibleFrom", .optional(p.repairEligibleFrom?.description)), ("disputed", .bool(p.disputed)),
                 ("whyNotPublicExplanation", .explanation(p.notPublicExplanation))])
    }

    /// One licence as the reports list it: number, item, issuing department, validity, and its
    /// state on the date with the day it began and the penalty that revoked it.
    public static func licence(_ l: LicenceStatus) -> JSON {
        .object([("decisionNo", .string(l.decisionNo.text)), ("item", .string(l.item)), ("issuer", .string(l.issuer.text)),
                 ("granted", .string(l.granted.description)), ("validUntil", .optional(l.validUntil?.description)),
                 ("state", .string(l.state.rawValue)), ("since", .optional(l.since?.description)),
                 ("revokedBy", .optional(l.revokedBy?.text)), ("fact", .string(l.fact.description))])
    }

    /// One list entry as the reports list it, with why it is not published when it is not.
    public static func listing(_ l: ListStatus, why: Explanation? = nil) -> JSON {
        .object([("listNo", .string(l.listNo.text)), ("list", .string(l.list.rawValue)), ("enteredOn", .string(l.entered.description)),
                 ("plannedExpiry", .optional(l.plannedExpiry?.description)), ("active", .bool(l.isActive)),
                 ("published", .bool(l.isPublished)), ("why", .optional(why?.text)), ("whyExplanation", .explanation(why))])
    }
}
