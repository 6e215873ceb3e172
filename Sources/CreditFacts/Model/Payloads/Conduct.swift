// Payloads of conduct beyond penalties and lists: honours, contracts, evaluations.

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
