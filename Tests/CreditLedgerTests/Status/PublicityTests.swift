import CreditFacts
import Testing
@testable import CreditLedger

/// Penalty publicity (双公示, 信用修复) under the rule regimes of DOMAIN.md and research §1, §12.
@Suite struct PublicityTests {
    let directory = TemporaryDirectory()

    @Test func generalPenaltyStopsPublicityAfterOneYear() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.penalty("沪市监嘉处〔2023〕123号", on: "2023-06-01", severity: "general")])
        let during = try #require(try ledger.penalty("沪市监嘉处〔2023〕123号", asOf: "2024-05-31"))
        #expect(during.isPublic && during.status == .active)
        #expect(during.publicityStart == date("2023-06-01") && during.publicityEnd == date("2024-06-01"))
        #expect(during.repairEligibleFrom == date("2023-09-01"))
        let after = try #require(try ledger.penalty("沪市监嘉处〔2023〕123号", asOf: "2024-06-01"))
        #expect(!after.isPublic && after.status == .expired)
    }

    @Test func seriousPenaltyMinimumPeriodFollowsTheRegimeOfItsDecisionDate() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.penalty("D-2022-1", on: "2022-03-01", severity: "serious"),   // 527号: 6 months – 3 years
            Status.penalty("D-2023-1", on: "2023-06-01", severity: "serious"),   // Order 58: 1 – 3 years
        ])
        let old = try #require(try ledger.penalty("D-2022-1", asOf: "2022-04-01"))
        #expect(old.repairEligibleFrom == date("2022-09-01") && old.publicityEnd == date("2025-03-01"))
        #expect(old.instrument == "发改办财金〔2019〕527号")
        let new = try #require(try ledger.penalty("D-2023-1", asOf: "2023-07-01"))
        #expect(new.repairEligibleFrom == date("2024-06-01") && new.publicityEnd == date("2026-06-01"))
    }

    @Test func summaryProcedurePenaltyIsMinorAndNeverPublished() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.penalty("D-S-1", on: "2023-06-01", kinds: #"["warning"]"#, fine: nil, procedure: "summary")])
        let status = try #require(try ledger.penalty("D-S-1", asOf: "2023-06-02"))
        #expect(status.severity == .minor && status.severityReason == "decided under the summary procedure")
        #expect(!status.isPublic && status.publicityStart == nil)
        #expect(status.whyNotPublic?.contains("minor penalties are not published") == true)
    }

    @Test func severalKindsInOneDecisionTakeTheLongestPeriod() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.penalty("D-K-1", on: "2023-06-01", kinds: #"["fine","suspension"]"#)])
        let status = try #require(try ledger.penalty("D-K-1", asOf: "2023-06-02"))
        #expect(status.severity == .serious && status.severityReason == "kind suspension is serious")
        #expect(status.publicityEnd == date("2026-06-01"))
    }

    @Test func revocationStopsPublicityFromItsEffectiveDate() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.penalty("D-R-1", on: "2023-06-01", severity: "general"), Status.revoked("D-R-1", on: "2023-08-15")])
        #expect(try ledger.penalty("D-R-1", asOf: "2023-08-14")?.isPublic == true)
        let after = try #require(try ledger.penalty("D-R-1", asOf: "2023-08-15"))
        #expect(after.status == .revoked && !after.isPublic && after.publicityEnd == date("2023-08-15"))
    }

    @Test func approvedRepairStopsPublicityFromTheRepairDecision() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.penalty("D-P-1", on: "2023-06-01", severity: "general"),
            Status.performed("D-P-1", on: "2023-06-20"),
            Status.commitment("C-REP-1", on: "2023-09-05"),
            Status.repairApplied("R-1", decision: "D-P-1", commitment: "C-REP-1", on: "2023-09-05"),
            Status.repairDecided("R-1", on: "2023-09-12"),
        ])
        #expect(try ledger.penalty("D-P-1", asOf: "2023-09-11")?.isPublic == true)
        let repaired = try #require(try ledger.penalty("D-P-1", asOf: "2023-09-12"))
        #expect(repaired.status == .repaired && !repaired.isPublic && repaired.publicityEnd == date("2023-09-12"))
    }

    @Test func repairApprovalBeforeTheMinimumPeriodIsRefused() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.penalty("D-P-2", on: "2023-06-01", severity: "general"),
            Status.performed("D-P-2", on: "2023-06-20"),
            Status.commitment("C-REP-2", on: "2023-07-01"),
            Status.repairApplied("R-2", decision: "D-P-2", commitment: "C-REP-2", on: "2023-07-01"),
        ])
        let refusal = try #require(Status.refusal(appending: [Status.repairDecided("R-2", on: "2023-07-05")], to: ledger))
        #expect(refusal.kind == .repairNotAllowed && refusal.field == "body.outcome")
        #expect(refusal.reason.contains("the minimum publicity period runs until 2023-09-01 (applied on 2023-07-01)"))
        // A rejection is always allowed.
        try ledger.append([Status.repairDecided("R-2", outcome: "rejected", on: "2023-07-05")])
    }

    @Test func repairApprovalWithoutPerformanceIsRefused() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.penalty("D-P-3", on: "2023-01-10", severity: "general"),
            Status.commitment("C-REP-3", on: "2023-05-10"),
            Status.repairApplied("R-3", decision: "D-P-3", commitment: "C-REP-3", on: "2023-05-10"),
        ])
        let refusal = try #require(Status.refusal(appending: [Status.repairDecided("R-3", on: "2023-05-15")], to: ledger))
        #expect(refusal.kind == .repairNotAllowed && refusal.field == "body.outcome")
        #expect(refusal.reason.contains("the penalty's obligations were not performed by 2023-05-10"))
    }

    @Test func aRepairApplicationMustCiteACommitmentOfKindRepair() throws {
        // NDRC Order 58 (2023-05-01) and Order 36 (2025) Art. 3 (3): repair needs a public credit
        // commitment (信用修复承诺). The audited case: an application citing a 告知承诺 made for a
        // licence (kind approvalSubstitution) was accepted as the repair commitment.
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.penalty("D-P-4", on: "2023-06-01", severity: "general"),
            Status.commitment("C-LIC-4", kind: "approvalSubstitution", on: "2023-06-05"),
        ])
        let wrongKind = Status.repairApplied("R-4", decision: "D-P-4", commitment: "C-LIC-4", on: "2023-09-05")
        let refusal = try #require(Status.refusal(appending: [wrongKind], to: ledger))
        #expect(refusal.kind == .repairCommitmentRequired && refusal.field == "body.commitmentNo")
        #expect(refusal.reason.contains("commitment C-LIC-4 is of kind approvalSubstitution, not repair"))
        let none = Status.repairApplied("R-4", decision: "D-P-4", on: "2023-09-05")
        let missing = try #require(Status.refusal(appending: [none], to: ledger))
        #expect(missing.kind == .repairCommitmentRequired && missing.reason.contains("cites no commitment"))
        // A repair commitment made in the same append is cited.
        try ledger.append([
            Status.commitment("C-REP-4", on: "2023-09-05"),
            Status.repairApplied("R-4", decision: "D-P-4", commitment: "C-REP-4", on: "2023-09-05"),
        ])
    }

    @Test func aSuspensionOrRevocationCannotBeRepairedAndRunsItsFullPeriod() throws {
        // SAMR Order 45 Art. 14(3): no early stop for suspension, business restriction, trade ban,
        // qualification downgrade, licence or business-licence revocation.
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.penalty("D-P-9", on: "2022-01-10", kinds: #"["fine","suspension"]"#, fine: 200000, severity: "serious"),
            Status.performed("D-P-9", on: "2022-02-01"),
            Status.commitment("C-REP-9", on: "2023-03-01"),
            Status.repairApplied("R-9", decision: "D-P-9", commitment: "C-REP-9", on: "2023-03-01"),
        ])
        let refusal = try #require(Status.refusal(appending: [Status.repairDecided("R-9", on: "2023-03-10")], to: ledger))
        #expect(refusal.kind == .repairNotAllowed)
        #expect(refusal.reason.contains("a decision with suspension cannot be repaired"))
        #expect(try ledger.penalty("D-P-9", asOf: "2024-06-01")?.isPublic == true, "still public until its maximum")
    }

    @Test func openObjectionMarksThePenaltyDisputedAndUpheldRestoresIt() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.penalty("D-O-1", on: "2023-06-01", severity: "general"),
            Status.objection("O-1", target: #"{"decisionNo":"D-O-1"}"#, on: "2023-06-10"),
            Status.resolved("O-1", outcome: "upheld", on: "2023-06-20"),
        ])
        #expect(try ledger.penalty("D-O-1", asOf: "2023-06-15")?.disputed == true)
        let after = try #require(try ledger.penalty("D-O-1", asOf: "2023-06-20"))
        #expect(!after.disputed && after.isPublic && after.status == .active)
    }

    @Test func objectionResolvedAsCorrectedRevokesThePenalty() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.penalty("D-O-2", on: "2023-06-01", severity: "general"),
            Status.objection("O-2", target: #"{"decisionNo":"D-O-2"}"#, on: "2023-06-10"),
            Status.resolved("O-2", outcome: "corrected", on: "2023-06-20"),
        ])
        let after = try #require(try ledger.penalty("D-O-2", asOf: "2023-06-20"))
        #expect(after.status == .revoked && !after.isPublic && !after.disputed)
    }
}
