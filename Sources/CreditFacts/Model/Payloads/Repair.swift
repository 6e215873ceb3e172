// Payloads of credit repair (信用修复): the application and its decision.

/// The record a repair application or an objection names, by its number.
public enum RecordTarget: Sendable, Hashable {
    /// A penalty or other decision, by decision number.
    case decision(DecisionNo)
    /// A list entry, by list number.
    case list(ListNo)
    /// A commitment or its breach (for a repair: a false commitment's record, 国办发〔2020〕42号:
    /// 在信用修复前不适用告知承诺制), by commitment number.
    case commitment(CommitmentNo)
}

/// What a repair application asks to repair.
public typealias RepairTarget = RecordTarget

/// `repair.applied` (信用修复申请).
public struct RepairApplication: Payload {
    /// Repair application number.
    public var repairNo: RepairNo
    /// What is to be repaired.
    public var target: RepairTarget
    /// The repair commitment (optional).
    public var commitmentNo: CommitmentNo?
    /// Creates the payload.
    public init(repairNo: RepairNo, target: RepairTarget, commitmentNo: CommitmentNo? = nil) {
        self.repairNo = repairNo; self.target = target; self.commitmentNo = commitmentNo
    }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(repairNo: try r.field("repairNo"), target: try r.field("target"), commitmentNo: try r.optionalField("commitmentNo"))
    }
    func write(to w: inout some FieldWriter) {
        w.field("repairNo", repairNo); w.field("target", target); w.optionalField("commitmentNo", commitmentNo)
    }
}

/// `repair.decided`.
public struct RepairDecision: Payload {
    /// Repair application number.
    public var repairNo: RepairNo
    /// Approved or rejected.
    public var outcome: RepairOutcome
    /// Why (optional).
    public var reason: String?
    /// Creates the payload.
    public init(repairNo: RepairNo, outcome: RepairOutcome, reason: String? = nil) {
        self.repairNo = repairNo; self.outcome = outcome; self.reason = reason
    }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(repairNo: try r.field("repairNo"), outcome: try r.field("outcome"), reason: try r.optionalField("reason"))
    }
    func write(to w: inout some FieldWriter) {
        w.field("repairNo", repairNo); w.field("outcome", outcome); w.optionalField("reason", reason)
    }
}

/// `repair.accepted` (受理): the body handling a repair application accepted it, which starts the
/// decision stage of the repair workflow (received → accepted → decided).
public struct RepairAcceptance: Payload {
    /// Repair application number.
    public var repairNo: RepairNo
    /// Creates the payload.
    public init(repairNo: RepairNo) { self.repairNo = repairNo }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self { Self(repairNo: try r.field("repairNo")) }
    func write(to w: inout some FieldWriter) { w.field("repairNo", repairNo) }
}
