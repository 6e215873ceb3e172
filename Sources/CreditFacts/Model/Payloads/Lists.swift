// Payloads of the lists (名单): entry and exit.

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
