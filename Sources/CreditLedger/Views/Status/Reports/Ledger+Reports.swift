import CreditFacts
import LedgerStorage

extension Ledger {
    /// `subject`'s credit report as of `date`, as known at `knownAt` (now when nil), read from its
    /// ``Standing``; notification-and-commitment is the matcher's answer under `catalogue` and
    /// `model` (the bundled ones when nil).
    /// - Throws: ``LedgerError``, or a catalogue or model error.
    public func creditReport(for subject: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                             catalogue: MeasureCatalogue? = nil, model: GradingModel? = nil) throws -> CreditReport {
        let matcher = try matcher(catalogue: catalogue, model: model)
        return CreditReport(try standing(of: subject, asOf: date, knownAt: knownAt, policy: matcher.penetration.policy), matcher: matcher)
    }

    /// The special report replacing a no-violation certificate: `subject`'s penalties in `field`
    /// decided from `from` through `through`, as known at `knownAt` (now when nil).
    public func specialReport(for subject: SubjectCode, field: RegulatoryField, from: LegalDate, through: LegalDate,
                              knownAt: RecordedTime? = nil) throws -> SpecialReport {
        SpecialReport(try standing(of: subject, asOf: through, knownAt: knownAt), field: field, from: from)
    }
}
