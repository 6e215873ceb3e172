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
