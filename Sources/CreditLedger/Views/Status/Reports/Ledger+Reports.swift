import CreditFacts
import LedgerStorage

extension Ledger {
    /// `subject`'s credit report as of `date`, as known at `knownAt` (now when nil), read from its
    /// ``Standing``.
    public func creditReport(for subject: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil) throws -> CreditReport {
        CreditReport(try standing(of: subject, asOf: date, knownAt: knownAt))
    }

    /// The special report replacing a no-violation certificate: `subject`'s penalties in `field`
    /// decided from `from` through `through`, as known at `knownAt` (now when nil).
    public func specialReport(for subject: SubjectCode, field: RegulatoryField, from: LegalDate, through: LegalDate,
                              knownAt: RecordedTime? = nil) throws -> SpecialReport {
        SpecialReport(try standing(of: subject, asOf: through, knownAt: knownAt), field: field, from: from)
    }
}
