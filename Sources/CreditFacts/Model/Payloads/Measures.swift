// Payloads of joint reward and punishment measures: feedback on an application.

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
