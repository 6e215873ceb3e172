import CreditFacts

/// A condition on a subject's ``Standing`` on a date: the one vocabulary of the grading model's
/// rules and caps and of the measures catalogue's triggers and withholding conditions (rules as
/// data). Each file format spells the kinds it allows in its own way (see `ConditionReader`);
/// one evaluator (`Standing.forEachHit`) finds the records that meet a condition, and the
/// grade kind is judged by the matcher, which grades.
///
/// Repair, exit, revocation, correction on objection and expiry are in the records' statuses, so
/// a record stops meeting a condition from the date they take effect without any rule here.
public enum Condition: Sendable, Hashable {
    /// A penalty of one of `severities` (in one of `fields` when given) in publicity on the date:
    /// active (not repaired, revoked, corrected or expired) and of a published class.
    case penaltyInPublicity(severities: [Severity], fields: [RegulatoryField]?)
    /// An active entry on one of `lists` (in one of `fields` when given). An abnormal-operation
    /// entry rolled over counts as serious dishonesty from the rollover date. An entry in its grace
    /// period (宽限期, before `publishFrom`) is recorded but counts for no reading: neither grades
    /// nor measures punish before publication.
    case onList(lists: [ListKind], fields: [RegulatoryField]?)
    /// A commitment breached in one of the `breaches` ways (of one of `severities` when given) that
    /// still counts: within `withinMonths` of the breach when given and, when `untilRepaired`, until
    /// an approved repair of that commitment (a repair whose target is it) decided on or after the
    /// breach. A breach corrected on objection
    /// never counts.
    case breachedCommitment(breaches: [BreachKind], severities: [Severity]?, withinMonths: Int?, untilRepaired: Bool)
    /// A contract default dated within `withinMonths` months up to the date.
    case contractDefault(withinMonths: Int)
    /// An honour of one of `levels` granted within `withinYears` years up to the date.
    case honour(levels: [HonourLevel], withinYears: Int)
    /// Reverse penetration, persons only: an organisation record the person is linked to (by one of
    /// `bases`) that is serious dishonesty on the date — a public penalty of `penaltySeverities` or
    /// an active entry on one of `lists`. Counted once per organisation record.
    case linkedSeriousDishonesty(lists: [ListKind], penaltySeverities: [Severity], bases: [LinkBasis])
    /// The subject's grade on the date is one of `levels` (judged by the matcher, which grades).
    case grade(levels: [GradeLevel])
    /// A department's evaluation (tax A–D, construction …): the subject's latest evaluation under
    /// `scheme` published on or before the date (the latest year, then the latest publication)
    /// has one of `grades`.
    case evaluation(scheme: String, grades: [String])

    /// The condition's kind.
    public var kind: ConditionKind {
        switch self {
        case .penaltyInPublicity: .penaltyInPublicity
        case .onList: .onList
        case .breachedCommitment: .breachedCommitment
        case .contractDefault: .contractDefault
        case .honour: .honour
        case .linkedSeriousDishonesty: .linkedSeriousDishonesty
        case .grade: .grade
        case .evaluation: .evaluation
        }
    }
}

/// The kinds of ``Condition``.
public enum ConditionKind: String, Sendable, Hashable, CaseIterable {
    /// ``Condition/penaltyInPublicity(severities:fields:)``.
    case penaltyInPublicity
    /// ``Condition/onList(lists:fields:)``.
    case onList
    /// ``Condition/breachedCommitment(breaches:severities:withinMonths:untilRepaired:)``.
    case breachedCommitment
    /// ``Condition/contractDefault(withinMonths:)``.
    case contractDefault
    /// ``Condition/honour(levels:withinYears:)``.
    case honour
    /// ``Condition/linkedSeriousDishonesty(lists:penaltySeverities:bases:)``.
    case linkedSeriousDishonesty
    /// ``Condition/grade(levels:)``.
    case grade
    /// ``Condition/evaluation(scheme:grades:)``.
    case evaluation
}

/// When a grading rule or cap applies: a ``Condition``, as the grading model spells it. It holds
/// for zero or more records of a subject on a date; a deduction or an addition counts its points
/// once per record, a cap applies when there is at least one.
public typealias GradingCondition = Condition

/// A condition under which a measure applies (于法有据 as data), or under which it is withheld: a
/// ``Condition``, as the measures catalogue spells it. The matcher never matches a measure unless
/// one of its declared triggers holds on the date.
public typealias MeasureTrigger = Condition
