import CreditFacts
import CreditLedger
import LedgerStorage

/// The documents of the repair and objection workflows: the worklists, the applicant's progress
/// and the repair certificate (修复证明), as JSON (the same bytes from the command line and the server).
extension OfficeDocuments {
    /// `worklist repairs|objections --json`: the open cases, most urgent first, each with the
    /// deadlines of its stages under the regime named.
    public static func worklist(_ list: CaseWorklist, knownAtText: String) -> JSON {
        .object([
            ("worklist", .string(list.kind == .repair ? "repairs" : "objections")), ("asOf", .string(list.asOf.description)),
            ("knownAt", .string(knownAtText)), ("regime", .string(list.deadlines.regime)), ("regimeTitle", .string(list.deadlines.title)),
            ("workingDays", list.workingDays.map(JSON.integer) ?? .null), ("deadlineSource", .optional(list.deadlineSource)),
            ("cases", .array(list.cases.map(caseState))),
        ])
    }

    /// `progress CODE [NUMBER] --json`: the applicant's repair applications and objections, each
    /// stage with its date and deadline.
    public static func progress(_ cases: [OpenCase], subject: SubjectCode, asOf date: LegalDate, deadlines: CaseDeadlines,
                                knownAtText: String) -> JSON {
        .object([
            ("subject", .string(subject.description)), ("asOf", .string(date.description)), ("knownAt", .string(knownAtText)),
            ("regime", .string(deadlines.regime)), ("regimeTitle", .string(deadlines.title)),
            ("cases", .array(cases.map(caseState))),
        ])
    }

    /// One case: what, against which record, its stage and dates, and each stage's deadline.
    static func caseState(_ c: OpenCase) -> JSON {
        .object([
            ("subject", .string(c.subject.description)), ("kind", .string(c.kind.rawValue)), ("number", .string(c.number)),
            ("target", .string(c.target)), ("stage", .string(c.stage.rawValue)),
            ("received", .string(c.received.description)), ("accepted", .optional(c.accepted?.description)),
            ("decided", .optional(c.decided?.description)), ("outcome", .optional(c.outcome)),
            ("acceptance", c.acceptance.map(stageDeadline) ?? .null), ("decision", c.decision.map(stageDeadline) ?? .null),
            ("due", .optional(c.due?.description)), ("workingDaysLeft", c.workingDaysLeft.map(JSON.integer) ?? .null),
            ("overdue", .bool(c.isOverdue)),
        ])
    }

    static func stageDeadline(_ d: StageDeadline) -> JSON {
        .object([
            ("workingDays", .integer(d.limit.workingDays)), ("from", .string(d.limit.from.rawValue)), ("source", .string(d.limit.source)),
            ("due", .optional(d.due?.description)), ("done", .optional(d.done?.description)),
            ("workingDaysLeft", d.workingDaysLeft.map(JSON.integer) ?? .null), ("overdue", .bool(d.isOverdue)), ("late", .bool(d.wasLate)),
        ])
    }

    /// The command that recomputes a certificate from the same history (its `ledger` member's `verify`).
    public static let certificateCheck = "credit-ledger certificate CODE REPAIR-NO --ledger LEDGER --as-of DATE --known-at KNOWN-AT --json"

    /// `certificate CODE REPAIR-NO --json`: the repair certificate — applicant, the repair stage by
    /// stage, the decision, the records it stopped — and, when given, the `ledger` member naming
    /// the history it was computed from (as the credit report's).
    public static func certificate(_ c: RepairCertificate, knownAtText: String, binding: HistoryBinding?) -> JSON {
        .object([
            ("certificate", .string("信用修复证明")), ("subject", .string(c.subject.description)), ("name", .optional(c.name)),
            ("asOf", .string(c.asOf.description)), ("knownAt", .string(knownAtText)),
            ("repair", caseState(c.repair)), ("reason", .optional(c.reason)),
            ("facts", .array(c.facts.map { .string($0.description) })),
            ("stopped", .array(c.stopped.map { s in
                .object([("kind", .string(s.kind)), ("number", .string(s.number)), ("detail", .string(s.detail)),
                         ("effect", .string(s.effect)), ("from", .string(s.from.description))])
            })),
        ] + HistoryDocuments.members(binding, check: certificateCheck))
    }
}

extension OfficeDocuments {
    /// `worklist repairs|objections --csv`: one row per case, in the worklist's order (overdue
    /// first): the case, its stage, and for acceptance and decision the last day, the day done,
    /// the working days left and whether it is overdue or was late.
    public static func worklistCSV(_ list: CaseWorklist) -> CSV {
        var table = CSV(header: ["主体 subject", "类型 kind", "编号 number", "对象 target", "环节 stage", "收到 received",
                                 "受理时限 acceptDue", "受理 accepted", "受理剩余工作日 acceptDaysLeft", "受理逾期 acceptOverdue",
                                 "办结时限 decideDue", "办结 decided", "办结剩余工作日 decideDaysLeft", "办结逾期 decideOverdue",
                                 "结果 outcome", "逾期 overdue"])
        func flag(_ value: Bool) -> String { value ? "是 yes" : "否 no" }
        func stage(_ d: StageDeadline?, done: LegalDate?) -> [String] {
            [d?.due?.description ?? "", done?.description ?? "", d?.workingDaysLeft.map(String.init) ?? "",
             d.map { flag($0.isOverdue || $0.wasLate) } ?? ""]
        }
        for c in list.cases {
            table.rows.append([c.subject.description, c.kind.rawValue, c.number, c.target, c.stage.rawValue, c.received.description]
                              + stage(c.acceptance, done: c.accepted) + stage(c.decision, done: c.decided)
                              + [c.outcome ?? "", flag(c.isOverdue)])
        }
        return table
    }
}
