import CreditFacts

/// The trigger that made a measure apply: which record (list entry, penalty, breached
/// commitment) or grade, with its fact, so every match can be traced to the log (provenance).
public struct MeasureTriggerHit: Sendable, Hashable {
    /// The kind of trigger the catalogue declared.
    public var kind: MeasureTriggerKind
    /// The list the entry stands on (`onList`; serious dishonesty after a rollover).
    public var list: ListKind?
    /// The class of the penalty or breach.
    public var severity: Severity?
    /// How the commitment was breached.
    public var breach: BreachKind?
    /// The grade (`grade`).
    public var grade: GradeLevel?
    /// The record's number (list, decision or commitment number), or the grading model's id.
    public var ref: String
    /// The record's fact (printed `SOURCE/ID`); for a grade, the fact of its first reason; nil when
    /// there is none (printed as an empty string).
    public var fact: FactRef?
    /// The record's date: listing (the rollover date for a rolled-over abnormal entry), decision or
    /// breach; for a grade, the date graded. `maxYears` counts from here.
    public var recordDate: LegalDate
    /// The first day the trigger held: the end of a listing's grace period, else the record date.
    public var since: LegalDate

    /// A hit; the fields a trigger kind does not have stay nil.
    public init(kind: MeasureTriggerKind, list: ListKind? = nil, severity: Severity? = nil, breach: BreachKind? = nil,
                grade: GradeLevel? = nil, ref: String, fact: FactRef?, recordDate: LegalDate, since: LegalDate) {
        self.kind = kind
        self.list = list
        self.severity = severity
        self.breach = breach
        self.grade = grade
        self.ref = ref
        self.fact = fact
        self.recordDate = recordDate
        self.since = since
    }
}

/// How a measure reaches a person through an organisation's record (穿透).
public struct MeasureVia: Sendable, Hashable, Comparable {
    /// The organisation whose record triggered the measure.
    public var organisation: SubjectCode
    /// The role through which the person is reached.
    public var role: Role
    /// Why the person is linked: role on the record's date, named in the decision, or current
    /// holder of a role the measure binds.
    public var basis: LinkBasis

    /// Orders by organisation, role and basis.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.organisation, lhs.role.rawValue, lhs.basis.rawValue) < (rhs.organisation, rhs.role.rawValue, rhs.basis.rawValue)
    }
}

/// A measure that applies to a subject in a scene on a date, with its trigger, its legal basis (in
/// `measure`) and, for a person reached through an organisation, the organisation and role.
public struct MeasureMatch: Sendable, Hashable, Comparable {
    /// The measure.
    public var measure: Measure
    /// What triggered it.
    public var trigger: MeasureTriggerHit
    /// The organisation and role through which it reaches a person; nil when it reaches the
    /// subject directly.
    public var via: MeasureVia?

    /// Matches sort by measure id, trigger reference, then direct before via (by organisation, role).
    public static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.measure.id != rhs.measure.id { return lhs.measure.id < rhs.measure.id }
        if lhs.trigger.ref != rhs.trigger.ref { return lhs.trigger.ref < rhs.trigger.ref }
        if lhs.trigger.kind != rhs.trigger.kind { return lhs.trigger.kind.rawValue < rhs.trigger.kind.rawValue }
        switch (lhs.via, rhs.via) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case (let l?, let r?): return l < r
        }
    }
}
