import CreditFacts
import Testing
@testable import CreditLedger

/// Each rule of the default grading model (DOMAIN.md "Default grading model"), on real dates.
@Suite struct GradingRuleTests {
    let directory = TemporaryDirectory()

    private func ledger(_ facts: [Fact]) throws -> Ledger {
        let ledger = try Status.ledger(directory)
        try ledger.append([Grading.registered()] + facts)
        return ledger
    }

    @Test func generalPenaltyDeductsTenWhilePublicAndStopsCountingAfterOneYear() throws {
        let ledger = try ledger([Status.penalty("沪市监嘉处〔2023〕123号", on: "2023-06-01", severity: "general")])
        #expect(try ledger.grade(asOf: "2023-05-31").level == .M)
        let during = try ledger.grade(asOf: "2023-06-01")
        #expect(during.score == 90 && during.level == .B)
        #expect(during.rules == ["deduct.penalty.general", "notA.penalty"])
        #expect(during.reasons[0] == GradeReason(fact: Status.penalty("沪市监嘉处〔2023〕123号", on: "2023-06-01", severity: "general").ref,
                                                 ref: "沪市监嘉处〔2023〕123号", rule: "deduct.penalty.general", points: -10,
                                                 date: date("2023-06-01")))
        #expect(try ledger.grade(asOf: "2024-05-31").score == 90)
        let after = try ledger.grade(asOf: "2024-06-01")
        #expect(after.score == 100 && after.level == .A && after.reasons.isEmpty)
    }

    @Test func approvedRepairRestoresTheGradeFromTheRepairDecision() throws {
        let ledger = try ledger([
            Status.penalty("D-P-1", on: "2023-06-01", severity: "general"),
            Status.performed("D-P-1", on: "2023-06-20"),
            Status.commitment("C-REP-1", on: "2023-09-05"),
            Status.repairApplied("R-1", decision: "D-P-1", commitment: "C-REP-1", on: "2023-09-05"),
            Status.repairDecided("R-1", on: "2023-09-12"),
        ])
        #expect(try ledger.grade(asOf: "2023-09-11").level == .B)
        let repaired = try ledger.grade(asOf: "2023-09-12")
        #expect(repaired.score == 100 && repaired.level == .A)
    }

    @Test func revocationAndCorrectionOnObjectionRestoreTheGradeFromTheirDates() throws {
        let ledger = try ledger([
            Status.penalty("D-R-1", on: "2023-06-01", severity: "general"),
            Status.revoked("D-R-1", on: "2023-08-15"),
            Status.penalty(Status.otherCompany, "D-O-1", on: "2023-06-01", severity: "general"),
            Status.objection(Status.otherCompany, "O-1", target: #"{"decisionNo":"D-O-1"}"#, on: "2023-07-01"),
            Status.resolved(Status.otherCompany, "O-1", outcome: "corrected", on: "2023-07-20"),
        ])
        #expect(try ledger.grade(asOf: "2023-08-14").score == 90)
        #expect(try ledger.grade(asOf: "2023-08-15").score == 100)
        #expect(try ledger.grade(Status.otherCompany, asOf: "2023-07-19").score == 90)
        #expect(try ledger.grade(Status.otherCompany, asOf: "2023-07-20").level == .A)
    }

    @Test func seriousPenaltyDeductsThirtyFiveWhilePublic() throws {
        let ledger = try ledger([Status.penalty("D-S-1", on: "2023-06-01", severity: "serious")])
        let grade = try ledger.grade(asOf: "2023-07-01")
        #expect(grade.score == 65 && grade.level == .C)
        #expect(grade.reasons.map(\.points) == [-35, 0])
        // Order 58: serious penalties are public for 3 years at most.
        #expect(try ledger.grade(asOf: "2026-05-31").score == 65)
        #expect(try ledger.grade(asOf: "2026-06-01").score == 100)
    }

    @Test func minorPenaltyNeverCountsButMakesTheSubjectGradable() throws {
        let ledger = try ledger([Status.penalty("D-M-1", on: "2023-06-01", kinds: #"["warning"]"#, fine: nil, procedure: "summary")])
        let grade = try ledger.grade(asOf: "2023-06-02")
        #expect(grade.score == 100 && grade.level == .A && grade.reasons.isEmpty)
    }

    @Test func falseCommitmentDeductsTwentyAndLateBreachTenForTwelveMonths() throws {
        let ledger = try ledger([
            Status.commitment("C-F-1", kind: "approvalSubstitution", on: "2023-01-10"),
            Grading.breached("C-F-1", breach: "false", on: "2023-03-10"),
            Status.commitment(Status.otherCompany, "C-L-1", kind: "missingDocuments", on: "2023-01-10"),
            Grading.breached(Status.otherCompany, "C-L-1", breach: "late", on: "2023-04-10"),
        ])
        let falseBreach = try ledger.grade(asOf: "2023-06-01")
        #expect(falseBreach.score == 80 && falseBreach.level == .B)
        #expect(falseBreach.rules == ["deduct.commitment.false", "notA.commitment"])
        let late = try ledger.grade(Status.otherCompany, asOf: "2024-04-09")
        #expect(late.score == 90 && late.level == .B)      // ≥ 90 but within 12 months of a breach
        #expect(late.rules == ["deduct.commitment.breached", "notA.commitment"])
        let afterWindow = try ledger.grade(Status.otherCompany, asOf: "2024-04-10")
        #expect(afterWindow.score == 100 && afterWindow.level == .A)
    }

    @Test func contractDefaultDeductsFiveForTwelveMonthsAndDoesNotBarA() throws {
        let ledger = try ledger([
            Grading.contract("HT-2023-1", outcome: "defaulted", on: "2023-06-01"),
            Grading.contract("HT-2023-2", outcome: "performed", on: "2023-07-01"),
        ])
        let grade = try ledger.grade(asOf: "2024-05-31")
        #expect(grade.score == 95 && grade.level == .A)
        #expect(grade.reasons == [GradeReason(fact: Grading.contract("HT-2023-1", outcome: "defaulted", on: "2023-06-01").ref,
                                              ref: "HT-2023-1", rule: "deduct.contract.default", points: -5, date: date("2023-06-01"))])
        #expect(try ledger.grade(asOf: "2024-06-01").score == 100)
    }

    @Test func openAbnormalOperationEntryDeductsTwentyAndRollsOverToDirectDAfterThreeYears() throws {
        let ledger = try ledger([Status.listed("L-AO-1", list: "abnormalOperation", on: "2023-06-01")])
        let open = try ledger.grade(asOf: "2023-06-01")
        #expect(open.score == 80 && open.level == .B)
        #expect(open.rules == ["deduct.list.abnormalOperation", "notA.list"])
        // 企业信息公示暂行条例 Art. 17: still listed after 3 years → serious-dishonesty list, while
        // the abnormal entry stays open until the duty is performed: both count.
        let rolled = try ledger.grade(asOf: "2026-06-01")
        #expect(rolled.level == .D && rolled.score == 80)
        #expect(rolled.rules == ["deduct.list.abnormalOperation", "notA.list", "directD.list", "notA.list"])
    }

    @Test func keyAttentionEntryDeductsFifteen() throws {
        let ledger = try ledger([Status.listed("L-KA-1", list: "keyAttention", on: "2023-06-01")])
        let grade = try ledger.grade(asOf: "2023-07-01")
        #expect(grade.score == 85 && grade.level == .B)
        // The regime's key-attention period is 2 years.
        #expect(try ledger.grade(asOf: "2025-06-01").score == 100)
    }

    @Test func honoursAddAtMostFiveInTotalAndTheScoreNeverExceedsOneHundred() throws {
        let ledger = try ledger([
            Grading.honour("全国守合同重信用企业", level: "national", on: "2022-05-01"),
            Grading.honour("上海市文明单位", level: "provincial", on: "2023-01-01"),
            Grading.honour(Status.otherCompany, "嘉定区诚信示范户", level: "district", on: "2023-01-01"),
            Status.penalty("D-H-1", on: "2023-06-01", severity: "general"),
        ])
        let before = try ledger.grade(asOf: "2023-05-31")
        #expect(before.score == 100 && before.level == .A)
        #expect(before.rules == ["add.honour.national", "add.honour.provincial", "score.maxAdditions", "score.max"])
        #expect(before.reasonTotal() == 100)
        // 100 − 10 + min(5 + 3, 5) = 95: at least 90, yet B while the penalty is public.
        let after = try ledger.grade(asOf: "2023-07-01")
        #expect(after.score == 95 && after.level == .B && after.reasonTotal() == 95)
        #expect(after.reasons.last == GradeReason(fact: nil, ref: "", rule: "score.maxAdditions", points: -3, date: date("2023-07-01")))
        let district = try ledger.grade(Status.otherCompany, asOf: "2023-02-01")
        #expect(district.score == 100 && district.rules == ["add.honour.district", "score.max"])
    }

    @Test func honoursCountForThreeYears() throws {
        let ledger = try ledger([
            Grading.honour("全国文明单位", level: "national", on: "2020-05-01"),
            Status.penalty("D-W-1", on: "2023-03-01", severity: "general"),
        ])
        #expect(try ledger.grade(asOf: "2023-04-30").score == 95)
        #expect(try ledger.grade(asOf: "2023-05-01").score == 90)
    }

    @Test func seriousDishonestyAndJudgmentDefaulterListsAreDirectDUntilExit() throws {
        let ledger = try ledger([
            Status.listed("L-SD-1", list: "seriousDishonesty", on: "2023-06-01"),
            Status.delisted("L-SD-1", reason: "revoked", on: "2023-10-01"),
            Status.listed(Status.otherCompany, "L-JD-1", list: "judgmentDefaulter", on: "2023-06-01"),
        ])
        let listed = try ledger.grade(asOf: "2023-06-01")
        #expect(listed.level == .D && listed.score == 100)
        #expect(listed.rules == ["directD.list", "notA.list"])
        #expect(try ledger.grade(asOf: "2023-10-01").level == .A)
        #expect(try ledger.grade(Status.otherCompany, asOf: "2024-01-01").level == .D)
    }

    @Test func approvedRepairOfASeriousDishonestyListingLiftsDirectDFromTheRepairDecision() throws {
        let ledger = try ledger([
            Status.listed("L-SD-R", list: "seriousDishonesty", on: "2023-06-01"),
            Status.commitment("C-REP-L", on: "2024-06-10"),
            Status.repairApplied("R-L-1", list: "L-SD-R", commitment: "C-REP-L", on: "2024-06-10"),
            Status.repairDecided("R-L-1", on: "2024-06-20"),
        ])
        #expect(try ledger.grade(asOf: "2024-06-19").level == .D)
        let repaired = try ledger.grade(asOf: "2024-06-20")
        #expect(repaired.level == .A && repaired.score == 100 && repaired.reasons.isEmpty)
    }

    @Test func registrationAloneIsNotGraded() throws {
        let ledger = try ledger([Grading.contract(Status.otherCompany, "HT-1", outcome: "performed", on: "2023-01-01")])
        let registered = try ledger.grade(asOf: "2023-06-01")
        #expect(registered.level == .M && registered.score == 100 && registered.reasons.isEmpty)
        #expect(try ledger.grade(Status.otherCompany, asOf: "2023-06-01").level == .A)
        #expect(try ledger.grade(Status.otherCompany, asOf: "2022-12-31").level == .M)
    }

    @Test func personLinkedToAnOrganisationsSeriousDishonestyOnItsListingDateLosesTwentyPoints() throws {
        let ledger = try ledger([
            Grading.registered(Grading.formerLR, kind: "naturalPerson"),
            Grading.registered(Grading.laterLR, kind: "naturalPerson"),
            Grading.role("assigned", person: Grading.formerLR, on: "2020-01-01"),
            Status.listed("L-SD-9", list: "seriousDishonesty", on: "2023-06-01"),
            Grading.role("ended", person: Grading.formerLR, on: "2023-09-01"),
            Grading.role("assigned", person: Grading.laterLR, on: "2023-09-01"),
        ])
        #expect(try ledger.grade(Grading.formerLR, asOf: "2023-05-31").level == .M)
        let linked = try ledger.grade(Grading.formerLR, asOf: "2023-12-01")
        #expect(linked.score == 80 && linked.level == .B)
        #expect(linked.rules == ["deduct.linked.seriousDishonesty", "notA.linked"])
        let reason = linked.reasons[0]
        #expect(reason.ref == "L-SD-9" && reason.points == -20 && reason.date == date("2023-06-01"))
        #expect(reason.via == GradeLink(organisation: subject(Grading.company), role: .legalRepresentative, basis: .roleOnEffectiveDate))
        // The legal representative appointed after the listing is not linked to it.
        let later = try ledger.grade(Grading.laterLR, asOf: "2023-12-01")
        #expect(later.level == .M && later.reasons.isEmpty)
    }

    @Test func reasonsAddUpToTheScoreInDateOrder() throws {
        let ledger = try ledger([
            Grading.contract("HT-9", outcome: "defaulted", on: "2023-02-01"),
            Status.penalty("D-A-1", on: "2023-03-01", severity: "general"),
            Status.listed("L-KA-9", list: "keyAttention", on: "2023-01-15"),
        ])
        let grade = try ledger.grade(asOf: "2023-04-01")
        #expect(grade.score == 70 && grade.level == .B && grade.reasonTotal() == 70)
        #expect(grade.reasons.map(\.date) == grade.reasons.map(\.date).sorted())
        #expect(grade.rules == ["deduct.list.keyAttention", "notA.list", "deduct.contract.default", "deduct.penalty.general", "notA.penalty"])
    }
}

extension Fact {
    /// The fact's `SOURCE/ID`, as grade reasons name it.
    var key: String { source.text + "/" + id.text }
}
