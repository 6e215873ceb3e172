// Payloads of credit commitments (信用承诺): made, fulfilled, breached.

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
