import CreditFacts
import LedgerStorage

extension Ledger {
    /// `subject`'s credit report as of `date`, as known at `knownAt` (now when nil). Built from the
    /// subject's own facts, so its cost does not grow with the ledger.
    public func creditReport(for subject: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil) throws -> CreditReport {
        CreditReport(
            subject: subject, asOf: date,
            publicity: try subjectView(PenaltyPublicity.self, subject: subject, knownAt: knownAt),
            lists: try subjectView(ListRegister.self, subject: subject, knownAt: knownAt),
            commitments: try subjectView(CommitmentRegister.self, subject: subject, knownAt: knownAt), context: context)
    }

    /// The special report replacing a no-violation certificate: `subject`'s penalties in `field`
    /// decided from `from` through `through`, as known at `knownAt` (now when nil).
    public func specialReport(for subject: SubjectCode, field: RegulatoryField, from: LegalDate, through: LegalDate,
                              knownAt: RecordedTime? = nil) throws -> SpecialReport {
        SpecialReport(subject: subject, field: field, from: from, through: through,
                      publicity: try subjectView(PenaltyPublicity.self, subject: subject, knownAt: knownAt), context: context)
    }
}
