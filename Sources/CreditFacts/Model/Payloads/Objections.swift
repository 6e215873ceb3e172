// Payloads of objections (异议): raised and resolved.

/// What an objection disputes: a decision, a list entry or a commitment (or its breach).
public typealias ObjectionTarget = RecordTarget

/// `objection.raised` (异议申请).
public struct ObjectionRaised: Payload {
    /// Objection number.
    public var objectionNo: ObjectionNo
    /// What is disputed.
    public var target: ObjectionTarget
    /// The claim, free text.
    public var claim: String
    /// Creates the payload.
    public init(objectionNo: ObjectionNo, target: ObjectionTarget, claim: String) {
        self.objectionNo = objectionNo; self.target = target; self.claim = claim
    }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(objectionNo: try r.field("objectionNo"), target: try r.field("target"), claim: try r.field("claim"))
    }
    func write(to w: inout some FieldWriter) {
        w.field("objectionNo", objectionNo); w.field("target", target); w.field("claim", claim)
    }
}

/// `objection.resolved`.
public struct ObjectionResolution: Payload {
    /// Objection number.
    public var objectionNo: ObjectionNo
    /// Upheld, corrected or withdrawn.
    public var outcome: ObjectionOutcome
    /// Creates the payload.
    public init(objectionNo: ObjectionNo, outcome: ObjectionOutcome) { self.objectionNo = objectionNo; self.outcome = outcome }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(objectionNo: try r.field("objectionNo"), outcome: try r.field("outcome"))
    }
    func write(to w: inout some FieldWriter) { w.field("objectionNo", objectionNo); w.field("outcome", outcome) }
}

/// `objection.accepted` (受理, 异议标注): the platform accepted an objection and marked the disputed
/// record, the first stage of the objection workflow (received → accepted → resolved).
public struct ObjectionAcceptance: Payload {
    /// Objection number.
    public var objectionNo: ObjectionNo
    /// Creates the payload.
    public init(objectionNo: ObjectionNo) { self.objectionNo = objectionNo }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self { Self(objectionNo: try r.field("objectionNo")) }
    func write(to w: inout some FieldWriter) { w.field("objectionNo", objectionNo) }
}
