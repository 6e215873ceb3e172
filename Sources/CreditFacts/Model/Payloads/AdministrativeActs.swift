// Payloads of administrative acts other than penalties: licences and the other eight acts.

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
