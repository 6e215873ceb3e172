// Payloads of administrative penalties: the decision and what later happens to it.

/// `penalty.decided` (行政处罚决定).
public struct PenaltyDecision: Payload {
    /// Decision number.
    public var decisionNo: DecisionNo
    /// Kinds of penalty imposed (at least one).
    public var kinds: PenaltyKinds
    /// The fine, present exactly when `kinds` contains `fine`.
    public var fine: Yuan?
    /// Summary or ordinary procedure.
    public var procedure: Procedure
    /// Severity as classified by the deciding authority; `nil` means "classify by the rules".
    public var severity: Severity?
    /// Regulatory field.
    public var field: RegulatoryField
    /// Legal basis, free text.
    public var legalBasis: String
    /// Directly responsible persons named in the decision (optional).
    public var directlyResponsible: [CitizenIdentityNumber]?

    /// The age from which a person may be penalised (行政处罚法 2021 Art. 30: 不满十四周岁的未成年人
    /// 有违法行为的，不予行政处罚). A law, not a regime parameter: no regime may lower it. The ledger
    /// refuses such a penalty at append; it is not part of a fact's own validity, so a log written
    /// before the rule still reads.
    public static let minimumAgeForPenalty = 14

    /// Why this decision cannot be a penalty of `subject` on `effective`: a person under
    /// ``minimumAgeForPenalty``; nil otherwise.
    public func ageProblem(subject: SubjectCode, effective: LegalDate) -> String? {
        guard case .person(let id) = subject, id.age(on: effective) < Self.minimumAgeForPenalty else { return nil }
        return "a person under \(Self.minimumAgeForPenalty) is not given an administrative penalty (行政处罚法 Art. 30); the subject is \(id.age(on: effective)) on \(effective)"
    }

    /// Creates the payload.
    public init(decisionNo: DecisionNo, kinds: PenaltyKinds, fine: Yuan? = nil, procedure: Procedure,
                severity: Severity? = nil, field: RegulatoryField, legalBasis: String,
                directlyResponsible: [CitizenIdentityNumber]? = nil) {
        self.decisionNo = decisionNo; self.kinds = kinds; self.fine = fine; self.procedure = procedure
        self.severity = severity; self.field = field; self.legalBasis = legalBasis
        self.directlyResponsible = directlyResponsible
    }

    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(decisionNo: try r.field("decisionNo"), kinds: try r.field("kinds"), fine: try r.optionalField("fineYuan"),
             procedure: try r.field("procedure"), severity: try r.optionalField("severity"), field: try r.field("field"),
             legalBasis: try r.field("legalBasis"), directlyResponsible: try r.optionalField("directlyResponsible"))
    }

    func write(to w: inout some FieldWriter) {
        w.field("decisionNo", decisionNo); w.field("kinds", kinds); w.optionalField("fineYuan", fine)
        w.field("procedure", procedure); w.optionalField("severity", severity); w.field("field", field)
        w.field("legalBasis", legalBasis); w.optionalField("directlyResponsible", directlyResponsible)
    }

    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem? {
        if kinds.contains(.fine), fine == nil {
            return FactProblem(kind: .missingField, field: "body.fineYuan", reason: "required when kinds include fine")
        }
        if !kinds.contains(.fine), fine != nil {
            return FactProblem(kind: .invalidValue, field: "body.fineYuan", reason: "given, but kinds do not include fine")
        }
        return nil
    }
}

/// `penalty.performed`: the obligations of a penalty were performed.
public struct PenaltyPerformance: Payload {
    /// Decision number of the penalty.
    public var decisionNo: DecisionNo
    /// Creates the payload.
    public init(decisionNo: DecisionNo) { self.decisionNo = decisionNo }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self { Self(decisionNo: try r.field("decisionNo")) }
    func write(to w: inout some FieldWriter) { w.field("decisionNo", decisionNo) }
}

/// `penalty.revoked`: a penalty decision was revoked.
public struct PenaltyRevocation: Payload {
    /// Decision number of the penalty.
    public var decisionNo: DecisionNo
    /// Why.
    public var reason: RevocationReason
    /// Creates the payload.
    public init(decisionNo: DecisionNo, reason: RevocationReason) { self.decisionNo = decisionNo; self.reason = reason }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(decisionNo: try r.field("decisionNo"), reason: try r.field("reason"))
    }
    func write(to w: inout some FieldWriter) { w.field("decisionNo", decisionNo); w.field("reason", reason) }
}
