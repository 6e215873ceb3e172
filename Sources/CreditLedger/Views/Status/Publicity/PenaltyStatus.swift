import CreditFacts

/// A penalty as of a date: its severity, status, publicity and repair window, judged by the regime
/// in force on its decision date.
public struct PenaltyStatus: Sendable, Hashable {
    /// Where a penalty stands on a date.
    public enum Status: String, Sendable, Hashable {
        /// In force (published or not, depending on its class).
        case active
        /// Repaired (信用修复 approved): no longer published from the repair decision.
        case repaired
        /// Past the regime's maximum publicity period: taken down automatically.
        case expired
        /// Revoked (reconsideration, litigation, self-correction) or corrected on objection.
        case revoked
    }

    /// The decision's number.
    public var decisionNo: DecisionNo
    /// The decision date.
    public var decided: LegalDate
    /// The regulatory field.
    public var field: RegulatoryField
    /// The kinds imposed.
    public var kinds: PenaltyKinds
    /// Its class: stated by the authority, or classified by the regime.
    public var severity: Severity
    /// Why it has that class.
    public var severityReason: String
    /// The instrument of the regime that judges it (the one in force on the decision date).
    public var instrument: String
    /// Its status on the date asked about.
    public var status: Status
    /// Whether it is published on that date.
    public var isPublic: Bool
    /// Why it is not published, when it is not: a code and its parameters, worded by the pages.
    public var notPublicExplanation: Explanation?
    /// Why it is not published, in English (the JSON documents' text).
    public var whyNotPublic: String? { notPublicExplanation?.text }
    /// First day of publicity (the decision date); nil for classes that are not published.
    public var publicityStart: LegalDate?
    /// First day no longer published: the regime's maximum, or earlier on repair, revocation or
    /// correction known by the date asked about; nil for classes that are not published.
    public var publicityEnd: LegalDate?
    /// First day a repair may be applied for (the minimum period); nil when not published.
    public var repairEligibleFrom: LegalDate?
    /// Whether an objection against it is open on that date.
    public var disputed: Bool
    /// When its obligations were performed, if by that date.
    public var performed: LegalDate?
    /// From when it is archived from the views (kept in the log): the regime's dishonesty
    /// retention (5 years in Shanghai and Zhejiang) counted from its anchor — by default the
    /// decision (the finding), never before publicity ends; with `publicityEnded`, after publicity
    /// ended (after the decision for a penalty that was never public).
    public var archivedFrom: LegalDate

    init(record r: PenaltyPublicity.Record, subject: SubjectCode, asOf date: LegalDate, context: ViewContext) {
        let regime = r.regime(on: r.decided, context)
        let classification = regime.classify(r.decision, subject: subject)
        let window = regime.publicity(of: r.decision, subject: subject, decidedOn: r.decided)
        let revokedOn = earliest(r.revoked.flatMap { $0 <= date ? $0 : nil }, r.objections.correction(by: date))
        let repairedOn = r.repairs.approval(by: date)
        decisionNo = r.decisionNo
        decided = r.decided
        field = r.field
        kinds = r.kinds
        severity = classification.severity
        severityReason = classification.reason
        instrument = regime.instrument
        publicityStart = window?.start
        publicityEnd = window.map { earliest($0.end, revokedOn, repairedOn)! }
        repairEligibleFrom = window?.repairEligibleFrom
        disputed = r.objections.disputed(on: date)
        performed = r.performed.flatMap { $0 <= date ? $0 : nil }
        if let revokedOn {
            status = .revoked
            notPublicExplanation = Explanation(.penaltyRevoked, "revoked on {date}", ["date": .date(revokedOn)])
        } else if let repairedOn {
            status = .repaired
            notPublicExplanation = Explanation(.penaltyRepaired, "repaired (信用修复) on {date}", ["date": .date(repairedOn)])
        } else if let window, date >= window.end {
            status = .expired
            notPublicExplanation = Explanation(.penaltyPublicityEnded, "the maximum publicity period under {instrument} ended on {date}",
                                               ["instrument": .text(regime.instrument), "date": .date(window.end)])
        } else {
            status = .active
            notPublicExplanation = window == nil
                ? Explanation(.penaltyClassNotPublished, "{severity} penalties are not published under {instrument}",
                              ["severity": .word("severity", classification.severity.rawValue), "instrument": .text(regime.instrument)])
                : Self.underAge(subject, on: r.decided, regime)
        }
        isPublic = notPublicExplanation == nil
        archivedFrom = regime.archivedFrom(found: r.decided, ended: publicityEnd ?? r.decided)!
    }

    /// Why a penalty on a person under the regime's publication age is not published, or nil.
    private static func underAge(_ subject: SubjectCode, on decided: LegalDate, _ regime: RuleRegime) -> Explanation? {
        guard case .person(let person) = subject, let age = regime.penaltyPublicity.unpublishedUnderAge,
              person.age(on: decided) < age else { return nil }
        return Explanation(.penaltyOnMinor, "the person was under {age} on the decision date: recorded, not published (包容审慎 for minors)",
                           ["age": .number(age)])
    }

    func encode(into e: inout CanonicalEncoder) {
        e.write(id: decisionNo)
        e.write(decided)
        e.write(word: severity)
        e.write(severityReason)
        e.write(word: status)
        e.write(isPublic)
        e.write(optionalDate: publicityStart)
        e.write(optionalDate: publicityEnd)
        e.write(optionalDate: repairEligibleFrom)
        e.write(disputed)
    }
}

/// Whether a repair application may be approved, judged on its application date (信用修复条件:
/// minimum period reached, obligations performed, a repair commitment made, no blocking condition).
public struct RepairEligibility: Sendable, Hashable {
    /// The record to repair (a decision or list number).
    public var target: String
    /// The application date it is judged on.
    public var applied: LegalDate
    /// The instrument of the regime in force on the application date.
    public var instrument: String
    /// What stands in the way, in words; empty when eligible.
    public var problems: [String]

    /// Whether the repair may be approved.
    public var isEligible: Bool { problems.isEmpty }

    /// Judges a penalty repair: the minimum period comes from the regime of the decision date, the
    /// conditions from the regime of the application date, both on the channel of the decision's
    /// source (SAMR's no-early-stop kinds bind market regulation's decisions only).
    static func of(_ r: PenaltyPublicity.Record, subject: SubjectCode, application: RepairSpell, context: ViewContext) -> RepairEligibility {
        let applied = application.applied
        let conditions = r.regime(on: applied, context)
        let judging = r.regime(on: r.decided, context)
        let window = judging.publicity(of: r.decision, subject: subject, decidedOn: r.decided)
        var problems: [String] = []
        if let revoked = earliest(r.revoked, r.objections.correction(by: applied)), revoked <= applied {
            problems.append("the decision was revoked on \(revoked): nothing to repair")
        }
        if let earlier = r.repairs.first(where: { $0.repairNo != application.repairNo && $0.approval(by: applied) != nil }) {
            problems.append("already repaired under \(earlier.repairNo)")
        }
        if conditions.repair.eligibleAfterMinimumPeriod, let window, applied < window.repairEligibleFrom {
            problems.append("the minimum publicity period runs until \(window.repairEligibleFrom) (applied on \(applied))")
        }
        if conditions.repair.requiresObligationsPerformed, !(r.performed.map { $0 <= applied } ?? false) {
            problems.append("the penalty's obligations were not performed by \(applied)")
        }
        let blocking = conditions.repair.blockingKinds(r.kinds, field: r.field)
        if !blocking.isEmpty {
            problems.append("a decision with \(blocking.map(\.rawValue).joined(separator: ", ")) cannot be repaired under \(conditions.instrument): its publicity runs its full period")
        }
        if conditions.repair.requiresRepairCommitment, application.commitmentNo == nil {
            problems.append("no repair commitment (信用修复承诺) was made")
        }
        return RepairEligibility(target: r.decisionNo.text, applied: applied, instrument: conditions.instrument, problems: problems)
    }
}
