/// `list.entered` (列入名单).
public struct ListEntry: Payload {
    /// List-entry number.
    public var listNo: ListNo
    /// Which list.
    public var list: ListKind
    /// Regulatory field.
    public var field: RegulatoryField
    /// Why, free text.
    public var reason: String
    /// Planned exit date (optional).
    public var plannedExit: LegalDate?
    /// End of a grace period (宽限期): recorded before it, published from it (optional).
    public var publishFrom: LegalDate?

    /// Creates the payload.
    public init(listNo: ListNo, list: ListKind, field: RegulatoryField, reason: String,
                plannedExit: LegalDate? = nil, publishFrom: LegalDate? = nil) {
        self.listNo = listNo; self.list = list; self.field = field; self.reason = reason
        self.plannedExit = plannedExit; self.publishFrom = publishFrom
    }

    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(listNo: try r.field("listNo"), list: try r.field("list"), field: try r.field("field"),
             reason: try r.field("reason"), plannedExit: try r.optionalField("plannedExit"),
             publishFrom: try r.optionalField("publishFrom"))
    }

    func write(to w: inout some FieldWriter) {
        w.field("listNo", listNo); w.field("list", list); w.field("field", field); w.field("reason", reason)
        w.optionalField("plannedExit", plannedExit); w.optionalField("publishFrom", publishFrom)
    }

    func problem(subject: SubjectCode, effective: LegalDate) -> FactProblem? {
        if list == .judgmentDefaulter, case .person(let id) = subject, id.isMinor(on: effective) {
            return FactProblem(kind: .invalidValue, field: "body.list",
                               reason: "minors are never put on the judgment-defaulter list (法释〔2017〕7号 Art. 4); the subject is \(id.age(on: effective)) on \(effective)")
        }
        if let plannedExit, plannedExit <= effective {
            return FactProblem(kind: .invalidValue, field: "body.plannedExit", reason: "\(plannedExit) is not after the listing date \(effective)")
        }
        if let publishFrom, publishFrom < effective {
            return FactProblem(kind: .invalidValue, field: "body.publishFrom", reason: "\(publishFrom) is before the listing date \(effective)")
        }
        return nil
    }
}

/// `list.exited` (移出名单).
public struct ListExit: Payload {
    /// List-entry number.
    public var listNo: ListNo
    /// Why.
    public var reason: ListExitReason
    /// Creates the payload.
    public init(listNo: ListNo, reason: ListExitReason) { self.listNo = listNo; self.reason = reason }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(listNo: try r.field("listNo"), reason: try r.field("reason"))
    }
    func write(to w: inout some FieldWriter) { w.field("listNo", listNo); w.field("reason", reason) }
}

/// What a repair application asks to repair.
public enum RepairTarget: Sendable, Hashable {
    /// A penalty, by decision number.
    case decision(DecisionNo)
    /// A list entry, by list number.
    case list(ListNo)
}

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

/// What an objection disputes.
public enum ObjectionTarget: Sendable, Hashable {
    /// A penalty or other decision.
    case decision(DecisionNo)
    /// A list entry.
    case list(ListNo)
    /// A commitment (or its breach).
    case commitment(CommitmentNo)
}

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

/// `honour.granted` (表彰荣誉).
public struct Honour: Payload {
    /// Title of the honour.
    public var title: String
    /// Level of the granting body.
    public var level: HonourLevel
    /// Creates the payload.
    public init(title: String, level: HonourLevel) { self.title = title; self.level = level }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(title: try r.field("title"), level: try r.field("level"))
    }
    func write(to w: inout some FieldWriter) { w.field("title", title); w.field("level", level) }
}

/// `contract.performance` (合同履约).
public struct ContractPerformance: Payload {
    /// Contract number.
    public var contractNo: ContractNo
    /// Performed or defaulted.
    public var outcome: ContractOutcome
    /// Amount (optional).
    public var amount: Yuan?
    /// Creates the payload.
    public init(contractNo: ContractNo, outcome: ContractOutcome, amount: Yuan? = nil) {
        self.contractNo = contractNo; self.outcome = outcome; self.amount = amount
    }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(contractNo: try r.field("contractNo"), outcome: try r.field("outcome"), amount: try r.optionalField("amountYuan"))
    }
    func write(to w: inout some FieldWriter) {
        w.field("contractNo", contractNo); w.field("outcome", outcome); w.optionalField("amountYuan", amount)
    }
}

/// `evaluation.published` (信用评价结果), e.g. a tax credit grade.
public struct Evaluation: Payload {
    /// Scheme, e.g. `tax`, `construction`.
    public var scheme: String
    /// Grade, e.g. `A`.
    public var grade: String
    /// Year evaluated.
    public var year: EvaluationYear
    /// Creates the payload.
    public init(scheme: String, grade: String, year: EvaluationYear) { self.scheme = scheme; self.grade = grade; self.year = year }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(scheme: try r.field("scheme"), grade: try r.field("grade"), year: try r.field("year"))
    }
    func write(to w: inout some FieldWriter) { w.field("scheme", scheme); w.field("grade", grade); w.field("year", year) }
}

/// The calendar year an evaluation covers, `1949...2999`.
public struct EvaluationYear: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year.
    public let value: Int
    /// Accepted years.
    public static let range = 1949...2999
    /// Creates a year; `nil` when out of ``range``.
    public init?(_ value: Int) {
        guard EvaluationYear.range.contains(value) else { return nil }
        self.value = value
    }
    /// The year as digits.
    public var description: String { String(value) }
    /// Orders chronologically.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// `measure.applied`: feedback on a joint reward or punishment measure (执行反馈).
public struct MeasureApplication: Payload {
    /// The measure in the catalogue.
    public var measureId: MeasureID
    /// Where it was applied.
    public var scene: MeasureScene
    /// Applied, not applicable or waived.
    public var outcome: MeasureOutcome
    /// The case it was applied in (optional).
    public var caseRef: String?
    /// Creates the payload.
    public init(measureId: MeasureID, scene: MeasureScene, outcome: MeasureOutcome, caseRef: String? = nil) {
        self.measureId = measureId; self.scene = scene; self.outcome = outcome; self.caseRef = caseRef
    }
    static func read(from r: inout some FieldReader) throws(FactProblem) -> Self {
        Self(measureId: try r.field("measureId"), scene: try r.field("scene"), outcome: try r.field("outcome"),
             caseRef: try r.optionalField("caseRef"))
    }
    func write(to w: inout some FieldWriter) {
        w.field("measureId", measureId); w.field("scene", scene); w.field("outcome", outcome)
        w.optionalField("caseRef", caseRef)
    }
}
