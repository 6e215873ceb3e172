import CreditFacts
import LedgerStorage

extension Ledger {
    /// `subject`'s grade on `date` under `model` (the bundled default when nil), as known at
    /// `knownAt` (now when nil), read from its ``Standing``.
    public func grade(of subject: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                      model: GradingModel? = nil) throws -> Grade {
        let grader = Grader(model: try model ?? GradingModel.bundledDefault(), context: context)
        return grader.grade(try standing(of: subject, asOf: date, knownAt: knownAt))
    }

    /// The distribution of grades on `date` over every registered subject, under `model` (the
    /// bundled default when nil), as known at `knownAt` (now when nil; a past instant rebuilds
    /// the views). Now runs on the live views under the ledger's lock, on every core.
    public func gradeDistribution(asOf date: LegalDate, knownAt: RecordedTime? = nil,
                                  model: GradingModel? = nil) throws -> GradeDistribution {
        let grader = Grader(model: try model ?? GradingModel.bundledDefault(), context: context)
        return try withStatusViews(knownAt: knownAt) { grader.distribution(asOf: date, views: $0) }
    }

    /// The random inspection draw (双随机) on `date` for `seed` under `model` (the bundled default
    /// when nil), as known at `knownAt` (now when nil). See ``Grader/inspectionDraw(asOf:seed:views:)``.
    public func inspectionDraw(asOf date: LegalDate, seed: UInt64, knownAt: RecordedTime? = nil,
                               model: GradingModel? = nil) throws -> InspectionDraw {
        let grader = Grader(model: try model ?? GradingModel.bundledDefault(), context: context)
        return try withStatusViews(knownAt: knownAt) { grader.inspectionDraw(asOf: date, seed: seed, views: $0) }
    }
}
