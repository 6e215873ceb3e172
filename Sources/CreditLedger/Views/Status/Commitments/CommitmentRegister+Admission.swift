import CreditFacts

/// What the commitments view refuses at append: a repair application that does not cite the
/// applicant's repair commitment (信用修复承诺). Every regime requires "a public credit commitment"
/// for repair (527号; NDRC Order 58; 国办发〔2025〕22号: 信用承诺书; NDRC Order 36 (2025) Art. 3
/// condition (3)); the commitment the application cites is that one, so it must be a
/// `commitment.made` of kind `repair`, not, say, a 告知承诺 made for a licence.
extension CommitmentRegister: AdmissionRules {
    public func admissionProblem(for fact: Fact, context: ViewContext) -> AdmissionProblem? {
        guard case .repairApplied(let application) = fact.body else { return nil }
        guard let number = application.commitmentNo else {
            let regime = context.rules.regime(on: fact.effective, source: fact.source)
            guard regime.repair.requiresRepairCommitment else { return nil }
            return AdmissionProblem(
                field: "body.commitmentNo", kind: .repairCommitmentRequired,
                reason: "repair application \(application.repairNo) cites no commitment: under \(regime.instrument), in force on "
                    + "\(fact.effective), repair requires a public repair commitment (信用修复承诺, a commitment of kind repair)")
        }
        // An unknown number is refused before the views are asked (a reference the subject must hold).
        guard let record = entry(fact.subject)?.commitments.last(where: { $0.commitmentNo == number }),
              record.kind != .repair else { return nil }
        return AdmissionProblem(
            field: "body.commitmentNo", kind: .repairCommitmentRequired,
            reason: "commitment \(number) is of kind \(record.kind.rawValue), not repair: a repair application cites the "
                + "applicant's repair commitment (信用修复承诺)")
    }
}
