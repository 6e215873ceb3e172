import CreditFacts

/// An early-warning signal of a subject on a date (信用风险监测预警).
public struct EarlyWarning: Sendable, Hashable, Comparable {
    /// The signal kinds the seeds name.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Repeat penalties in one field within the window (屡罚屡犯).
        case repeatPenalties
        /// Several contract defaults within the window.
        case contractDefaults
        /// A commitment past its due date with no outcome.
        case overdueCommitment
    }

    /// The subject.
    public var subject: SubjectCode
    /// The signal.
    public var kind: Kind
    /// The field of repeat penalties; nil for the other kinds.
    public var field: RegulatoryField?
    /// The records behind it (decision, contract or commitment numbers), in date order.
    public var refs: [String]
    /// What it means: a code and its parameters, worded by the pages.
    public var explanation: Explanation
    /// What it means, in English (the JSON documents' text).
    public var detail: String { explanation.text }

    /// Signals sort by subject, kind, field and first reference.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.subject, lhs.kind.rawValue, lhs.field?.rawValue ?? "", lhs.refs.first ?? "")
            < (rhs.subject, rhs.kind.rawValue, rhs.field?.rawValue ?? "", rhs.refs.first ?? "")
    }
}

/// Computes early-warning signals from a subject's ``Standing``.
public struct EarlyWarnings: Sendable {
    /// The thresholds.
    public var policy: EarlyWarningPolicy

    /// Creates the signals for a policy.
    public init(policy: EarlyWarningPolicy = .standard) { self.policy = policy }

    /// The signals of a subject's standing, sorted.
    public func signals(of standing: Standing) -> [EarlyWarning] {
        let subject = standing.subject, date = standing.asOf
        var result = repeatPenalties(of: standing)
        let since = date.adding(months: -policy.contractDefaultMonths)
        let defaults = standing.contracts.filter { $0.performance.outcome == .defaulted && $0.date > since }
        if defaults.count >= policy.contractDefaultCount {
            result.append(EarlyWarning(
                subject: subject, kind: .contractDefaults, refs: defaults.map(\.performance.contractNo.text),
                explanation: Explanation(.contractDefaults, "{count} contract defaults between {from} and {to}",
                                         ["count": .number(defaults.count), "from": .date(since.adding(days: 1)), "to": .date(date)])))
        }
        for commitment in standing.commitments where commitment.isMade && commitment.status.status == .overdue {
            let status = commitment.status
            let due = standing.commitments.last { $0.record.commitmentNo == status.commitmentNo }?.record.dueDate
            result.append(EarlyWarning(
                subject: subject, kind: .overdueCommitment, refs: [status.commitmentNo.text],
                explanation: Explanation(.overdueCommitment, "commitment {commitment} ({kind}) was due on {due} with no outcome",
                                         ["commitment": .text(status.commitmentNo.text), "kind": .word("commitmentKind", status.kind.rawValue),
                                          "due": due.map(Explanation.Value.date) ?? .text("?")])))
        }
        return result.sorted()
    }

    /// 屡罚屡犯: penalties not revoked, decided within the window, grouped by field.
    private func repeatPenalties(of standing: Standing) -> [EarlyWarning] {
        let date = standing.asOf
        let since = date.adding(months: -policy.repeatPenaltyMonths)
        var byField: [RegulatoryField: [PenaltyPublicity.Record]] = [:]
        for record in standing.penalties.map(\.record) where record.decided > since {
            if let revoked = record.revoked, revoked <= date { continue }
            if record.objections.correction(by: date) != nil { continue }
            byField[record.field, default: []].append(record)
        }
        return byField.filter { $0.value.count >= policy.repeatPenaltyCount }.map { field, records in
            EarlyWarning(subject: standing.subject, kind: .repeatPenalties, field: field, refs: records.map(\.decisionNo.text),
                         explanation: Explanation(.repeatPenalties, "{count} penalties in {field} between {from} and {to}",
                                                  ["count": .number(records.count), "field": .word("field", field.rawValue),
                                                   "from": .date(since.adding(days: 1)), "to": .date(date)]))
        }
    }

    /// The signals of every subject on `date`, sorted.
    public func signals(asOf date: LegalDate, views: StatusViews, penetration: Penetration) -> [EarlyWarning] {
        var subjects = Set<SubjectCode>()
        subjects.formUnion(views.publicity.subjects)
        subjects.formUnion(views.conduct.subjects)
        subjects.formUnion(views.commitments.subjects)
        return subjects.sorted().flatMap {
            signals(of: Standing(of: $0, asOf: date, views: views, penetration: penetration, withOrganisations: false))
        }
    }
}
