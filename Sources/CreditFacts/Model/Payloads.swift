/// The fields of one fact type, read and written through a field-by-field protocol so that the JSON
/// and binary codecs share one description of each type (the order of `write` calls is the canonical
/// key order of the JSON writer and the field order of the binary record).
protocol Payload: Sendable, Hashable {
    /// Reads the fields in canonical order.
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self
    /// Writes the fields in canonical order.
    func write(to w: inout some FieldWriter)
    /// A rule linking fields to each other or to the envelope that this payload breaks, or `nil`.
    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem?
}

extension Payload {
    /// Most payloads have no cross-field rule.
    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem? { nil }
}

/// `subject.registered`: a subject comes into existence in the register.
public struct SubjectRegistration: Payload {
    /// Registered name.
    public var name: String
    /// Kind of subject.
    public var kind: SubjectKind
    /// Region of registration.
    public var region: RegionCode
    /// Industry, free text (optional).
    public var industry: String?
    /// Birth date of a natural person (optional; the identity number's when absent).
    public var birthDate: LegalDate?

    /// Creates the payload.
    public init(name: String, kind: SubjectKind, region: RegionCode, industry: String? = nil, birthDate: LegalDate? = nil) {
        self.name = name; self.kind = kind; self.region = region; self.industry = industry; self.birthDate = birthDate
    }

    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(name: try r.field("name"), kind: try r.field("kind"), region: try r.field("region"),
             industry: try r.optionalField("industry"), birthDate: try r.optionalField("birthDate"))
    }

    func write(to w: inout some FieldWriter) {
        w.field("name", name); w.field("kind", kind); w.field("region", region)
        w.optionalField("industry", industry); w.optionalField("birthDate", birthDate)
    }

    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem? {
        switch (subject, kind) {
        case (.person(let id), .naturalPerson):
            if let birthDate, birthDate != id.birthDate {
                return FactProblem(kind: .invalidValue, field: "body.birthDate",
                                   reason: "\(birthDate) differs from the identity number's birth date \(id.birthDate)")
            }
            return nil
        case (.organisation, .naturalPerson):
            return FactProblem(kind: .invalidValue, field: "body.kind",
                               reason: "naturalPerson needs a citizen identity number as subject, not an organisation code")
        case (.person, _):
            return FactProblem(kind: .invalidValue, field: "body.kind",
                               reason: "\(kind.rawValue) needs a unified social credit code as subject, not an identity number")
        case (.organisation, _):
            guard birthDate == nil else {
                return FactProblem(kind: .invalidValue, field: "body.birthDate", reason: "only natural persons have a birth date")
            }
            return nil
        }
    }
}

/// `subject.deregistered`: the subject leaves the register.
public struct SubjectDeregistration: Payload {
    /// Why.
    public var reason: String
    /// Creates the payload.
    public init(reason: String) { self.reason = reason }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self { Self(reason: try r.field("reason")) }
    func write(to w: inout some FieldWriter) { w.field("reason", reason) }
}

/// `role.assigned` / `role.ended`: a person takes up or leaves a role in the subject organisation.
public struct RoleChange: Payload {
    /// The person.
    public var person: CitizenIdentityNumber
    /// The role.
    public var role: Role
    /// Creates the payload.
    public init(person: CitizenIdentityNumber, role: Role) { self.person = person; self.role = role }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(person: try r.field("person"), role: try r.field("role"))
    }
    func write(to w: inout some FieldWriter) { w.field("person", person); w.field("role", role) }
    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem? {
        subject.isPerson ? FactProblem(kind: .invalidValue, field: "subject",
                                       reason: "roles are held in organisations; the subject must be a unified social credit code") : nil
    }
}

/// `licence.granted` (行政许可).
public struct LicenceGrant: Payload {
    /// Decision number.
    public var decisionNo: DecisionNo
    /// Licensed item.
    public var item: String
    /// End of validity (optional).
    public var validUntil: LegalDate?
    /// Creates the payload.
    public init(decisionNo: DecisionNo, item: String, validUntil: LegalDate? = nil) {
        self.decisionNo = decisionNo; self.item = item; self.validUntil = validUntil
    }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(decisionNo: try r.field("decisionNo"), item: try r.field("item"), validUntil: try r.optionalField("validUntil"))
    }
    func write(to w: inout some FieldWriter) {
        w.field("decisionNo", decisionNo); w.field("item", item); w.optionalField("validUntil", validUntil)
    }
    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem? {
        guard let validUntil, validUntil < effective else { return nil }
        return FactProblem(kind: .invalidValue, field: "body.validUntil", reason: "\(validUntil) is before the grant date \(effective)")
    }
}

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

/// `act.recorded`: one of the other eight administrative acts.
public struct AdministrativeActRecord: Payload {
    /// Which act.
    public var act: AdministrativeAct
    /// Decision number.
    public var decisionNo: DecisionNo
    /// Outcome, free text.
    public var outcome: String
    /// Whether the outcome is negative for the subject (e.g. a failed inspection).
    public var negative: Bool
    /// Creates the payload.
    public init(act: AdministrativeAct, decisionNo: DecisionNo, outcome: String, negative: Bool) {
        self.act = act; self.decisionNo = decisionNo; self.outcome = outcome; self.negative = negative
    }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(act: try r.field("act"), decisionNo: try r.field("decisionNo"), outcome: try r.field("outcome"),
             negative: try r.field("negative"))
    }
    func write(to w: inout some FieldWriter) {
        w.field("act", act); w.field("decisionNo", decisionNo); w.field("outcome", outcome); w.field("negative", negative)
    }
}

/// `commitment.made` (信用承诺).
public struct CommitmentMade: Payload {
    /// Commitment number.
    public var commitmentNo: CommitmentNo
    /// Which of the six kinds.
    public var kind: CommitmentKind
    /// What is promised, free text.
    public var matter: String
    /// When it must be fulfilled (optional).
    public var dueDate: LegalDate?
    /// Creates the payload.
    public init(commitmentNo: CommitmentNo, kind: CommitmentKind, matter: String, dueDate: LegalDate? = nil) {
        self.commitmentNo = commitmentNo; self.kind = kind; self.matter = matter; self.dueDate = dueDate
    }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(commitmentNo: try r.field("commitmentNo"), kind: try r.field("kind"), matter: try r.field("matter"),
             dueDate: try r.optionalField("dueDate"))
    }
    func write(to w: inout some FieldWriter) {
        w.field("commitmentNo", commitmentNo); w.field("kind", kind); w.field("matter", matter)
        w.optionalField("dueDate", dueDate)
    }
    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem? {
        guard let dueDate, dueDate < effective else { return nil }
        return FactProblem(kind: .invalidValue, field: "body.dueDate", reason: "\(dueDate) is before the commitment date \(effective)")
    }
}

/// `commitment.fulfilled` (践诺).
public struct CommitmentFulfilment: Payload {
    /// Commitment number.
    public var commitmentNo: CommitmentNo
    /// Creates the payload.
    public init(commitmentNo: CommitmentNo) { self.commitmentNo = commitmentNo }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self { Self(commitmentNo: try r.field("commitmentNo")) }
    func write(to w: inout some FieldWriter) { w.field("commitmentNo", commitmentNo) }
}

/// `commitment.breached` (违诺).
public struct CommitmentBreach: Payload {
    /// Commitment number.
    public var commitmentNo: CommitmentNo
    /// How it was breached.
    public var breach: BreachKind
    /// Class of the breach as found by the finding body.
    public var severity: Severity
    /// Creates the payload.
    public init(commitmentNo: CommitmentNo, breach: BreachKind, severity: Severity) {
        self.commitmentNo = commitmentNo; self.breach = breach; self.severity = severity
    }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(commitmentNo: try r.field("commitmentNo"), breach: try r.field("breach"), severity: try r.field("severity"))
    }
    func write(to w: inout some FieldWriter) {
        w.field("commitmentNo", commitmentNo); w.field("breach", breach); w.field("severity", severity)
    }
}
