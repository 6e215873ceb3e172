import CreditFacts
import LedgerStorage
import Testing
@testable import CreditLedger

/// Matching (联合奖惩): which measures apply to a subject in a scene on a date, and why.
@Suite struct MatchingTests {
    let directory = TemporaryDirectory()

    // MARK: - Government procurement (《政府采购法》第二十二条)

    @Test func procurementBarAppliesWhileASeriousPenaltyIsInPublicityAndNamesItsLegalBasis() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Measures.penalty("D-SP-1", on: "2023-03-01", severity: "serious"),
            Measures.penalty("D-GP-1", of: Measures.otherCompany, on: "2023-03-01", severity: "general"),
        ])
        let matches = try ledger.measures(scene: .procurement, asOf: "2023-06-01")
        #expect(matches.map(\.measure.id.text) == ["M-PROCUREMENT-BAR"])
        let match = try #require(matches.first)
        #expect(match.trigger.kind == .penaltyInPublicity && match.trigger.severity == .serious && match.trigger.ref == "D-SP-1")
        #expect(match.trigger.fact?.source.text == Status.nationalSource && match.trigger.recordDate == date("2023-03-01") && match.via == nil)
        #expect(match.measure.legalBasis.hasPrefix("《中华人民共和国政府采购法》第二十二条第一款第五项"))
        #expect(try ledger.measures(Measures.otherCompany, scene: .procurement, asOf: "2023-06-01").isEmpty,
                "a general penalty is no trigger the measure declares: no match")
        #expect(try ledger.measures(scene: .procurement, asOf: "2026-03-01").isEmpty, "publicity ends after 3 years")
    }

    @Test func procurementBarEndsThreeYearsAfterTheListingEvenWhileTheListingStands() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.listed("L-SD-1", list: "seriousDishonesty", on: "2021-02-01", plannedExit: "2026-02-01")])
        #expect(try ledger.measureIDs(scene: .procurement, asOf: "2024-01-31") == ["M-PROCUREMENT-BAR"])
        #expect(try ledger.measureIDs(scene: .procurement, asOf: "2024-02-01") == [])
        let licensing = try ledger.measures(scene: .licensing, asOf: "2024-02-01")
        #expect(licensing.map(\.measure.id.text) == ["M-NO-NOTIFICATION-COMMITMENT"], "the listing stands")
        #expect(licensing.first?.trigger.list == .seriousDishonesty && licensing.first?.trigger.ref == "L-SD-1")
    }

    @Test func approvedRepairLiftsTheProcurementBarFromTheRepairDecisionDate() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Measures.penalty("D-SP-2", on: "2022-01-10", severity: "serious"),
            Status.performed("D-SP-2", on: "2022-02-01"),
            Status.commitment("C-REP-2", on: "2022-08-01"),
            Status.repairApplied("R-2", decision: "D-SP-2", commitment: "C-REP-2", on: "2022-08-01"),
            Status.repairDecided("R-2", on: "2022-08-10"),
        ])
        #expect(try ledger.measureIDs(scene: .procurement, asOf: "2022-08-09") == ["M-PROCUREMENT-BAR"])
        #expect(try ledger.measureIDs(scene: .procurement, asOf: "2022-08-10") == [])
    }

    @Test func revokedPenaltyLiftsTheProcurementBarFromTheRevocationDate() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Measures.penalty("D-SP-3", on: "2023-03-01", severity: "serious"), Status.revoked("D-SP-3", on: "2023-05-15")])
        #expect(try ledger.measureIDs(scene: .procurement, asOf: "2023-05-14") == ["M-PROCUREMENT-BAR"])
        #expect(try ledger.measureIDs(scene: .procurement, asOf: "2023-05-15") == [])
    }

    // MARK: - Judgment defaulters (失信被执行人)

    @Test func judgmentDefaulterRestrictionsApplyInTheirScenesUntilTheExit() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Measures.defaulter("(2023)沪0114执1号", on: "2023-03-01")])
        #expect(try ledger.measureIDs(scene: .procurement, asOf: "2023-04-01") == ["M-JUDGMENT-DEFAULTER-RESTRICTIONS"])
        #expect(try ledger.measureIDs(scene: .financing, asOf: "2023-04-01") == ["M-JUDGMENT-DEFAULTER-RESTRICTIONS"])
        #expect(try ledger.measureIDs(scene: .highConsumption, asOf: "2023-04-01") == ["M-HIGH-CONSUMPTION"])
        try ledger.append([Status.fact("list.exited", Measures.company, on: "2023-09-01",
                                       #"{"listNo":"(2023)沪0114执1号","reason":"performed"}"#, source: "310114-FY")])
        #expect(try ledger.measureIDs(scene: .highConsumption, asOf: "2023-08-31") == ["M-HIGH-CONSUMPTION"])
        for scene in [MeasureScene.procurement, .financing, .highConsumption] {
            #expect(try ledger.measureIDs(scene: scene, asOf: "2023-09-01") == [], "exit lifts \(scene) from its date")
        }
    }

    @Test func highConsumptionWaitsForTheGracePeriodToEnd() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Measures.defaulter("(2023)沪0114执2号", of: Measures.debtor, on: "2023-03-01", publishFrom: "2023-05-01")])
        #expect(try ledger.measures(Measures.debtor, scene: .highConsumption, asOf: "2023-04-30").isEmpty)
        let match = try #require(try ledger.measures(Measures.debtor, scene: .highConsumption, asOf: "2023-05-01").first)
        #expect(match.measure.id.text == "M-HIGH-CONSUMPTION" && match.trigger.list == .judgmentDefaulter)
        #expect(match.trigger.since == date("2023-05-01") && match.trigger.recordDate == date("2023-03-01") && match.via == nil)
    }

    @Test func highConsumptionReachesTheDefaultersLegalRepresentativePrincipalResponsiblePersonAndActualController() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append(Measures.companyWithRoles + [Measures.defaulter("(2023)沪0114执3号", on: "2023-03-01", publishFrom: "2023-04-01")])
        let roles: [(String, Role)] = [(Measures.legalRep, .legalRepresentative), (Measures.principal, .principal),
                                       (Measures.controller, .actualController), (Measures.responsible, .directlyResponsible)]
        for (person, role) in roles {
            #expect(try ledger.measures(person, scene: .highConsumption, asOf: "2023-03-31").isEmpty, "grace period: \(role)")
            let matches = try ledger.measures(person, scene: .highConsumption, asOf: "2023-06-01")
            #expect(matches.map(\.measure.id.text) == ["M-HIGH-CONSUMPTION"], "\(role)")
            #expect(matches.first?.via == MeasureVia(organisation: subject(Measures.company), role: role, basis: .roleOnEffectiveDate))
            #expect(matches.first?.trigger.ref == "(2023)沪0114执3号")
            #expect(try ledger.measures(person, scene: .procurement, asOf: "2023-06-01").isEmpty,
                    "the defaulter restrictions of SPC Art. 8 reach no role")
        }
        #expect(try ledger.measures(Measures.bystander, scene: .highConsumption, asOf: "2023-06-01").isEmpty)
    }

    @Test func highConsumptionReachesALaterLegalRepresentativeAndKeepsTheFormerOneLinked() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Measures.registered(), Measures.assigned(Measures.legalRep, on: "2019-01-10"),
            Measures.defaulter("(2023)沪0114执4号", on: "2023-03-01"),
            Measures.ended(Measures.legalRep, on: "2023-07-01"), Measures.assigned(Measures.laterLegalRep, on: "2023-07-01"),
        ])
        let company = subject(Measures.company)
        let former = try ledger.measures(Measures.legalRep, scene: .highConsumption, asOf: "2023-08-01")
        #expect(former.map(\.via) == [MeasureVia(organisation: company, role: .legalRepresentative, basis: .roleOnEffectiveDate)])
        let later = try ledger.measures(Measures.laterLegalRep, scene: .highConsumption, asOf: "2023-08-01")
        #expect(later.map(\.via) == [MeasureVia(organisation: company, role: .legalRepresentative, basis: .currentHolder)])
        #expect(try ledger.measures(Measures.laterLegalRep, scene: .highConsumption, asOf: "2023-06-30").isEmpty,
                "not before taking up the role")
        try ledger.append([Status.fact("list.exited", Measures.company, on: "2023-10-01",
                                       #"{"listNo":"(2023)沪0114执4号","reason":"courtDeleted"}"#, source: "310114-FY")])
        for person in [Measures.legalRep, Measures.laterLegalRep] {
            #expect(try ledger.measures(person, scene: .highConsumption, asOf: "2023-10-01").isEmpty, "deletion lifts it for every person")
        }
    }

    @Test func appointmentBanReachesTheLegalRepresentativeOnTheListingDateOnlyAndEndsAfterThreeYears() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Measures.registered(), Measures.assigned(Measures.legalRep, on: "2019-01-10"),
            Status.listed("L-SD-2", list: "seriousDishonesty", on: "2021-06-01", plannedExit: "2026-06-01"),
            Measures.ended(Measures.legalRep, on: "2022-01-01"), Measures.assigned(Measures.laterLegalRep, on: "2022-01-01"),
        ])
        let ban = try ledger.measures(Measures.legalRep, scene: .marketEntry, asOf: "2023-01-01")
        #expect(ban.map(\.measure.id.text) == ["M-LR-APPOINTMENT-BAN"])
        #expect(ban.first?.via == MeasureVia(organisation: subject(Measures.company), role: .legalRepresentative, basis: .roleOnEffectiveDate))
        #expect(try ledger.measures(Measures.laterLegalRep, scene: .marketEntry, asOf: "2023-01-01").isEmpty,
                "the ban does not bind the role")
        #expect(try ledger.measures(Measures.legalRep, scene: .marketEntry, asOf: "2024-06-01").isEmpty, "three years")
        #expect(try ledger.measureIDs(scene: .marketEntry, asOf: "2023-01-01") == ["M-NO-SIMPLIFIED-DEREGISTRATION"],
                "the ban reaches persons, not the enterprise")
    }

    // MARK: - Market regulation

    @Test func noSimplifiedDeregistrationWhileOnTheAbnormalOperationListFromTheRulesInForceDate() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.listed("L-AB-1", list: "abnormalOperation", on: "2021-06-01"),
            Status.delisted("L-AB-1", reason: "performed", on: "2023-02-01"),
        ])
        #expect(try ledger.measureIDs(scene: .marketEntry, asOf: "2022-02-28") == [], "实施细则 in force from 2022-03-01")
        let match = try #require(try ledger.measures(scene: .marketEntry, asOf: "2022-03-01").first)
        #expect(match.measure.id.text == "M-NO-SIMPLIFIED-DEREGISTRATION" && match.trigger.list == .abnormalOperation)
        #expect(try ledger.measureIDs(scene: .marketEntry, asOf: "2023-02-01") == [], "exit lifts it")
    }

    @Test func biddingLandAndHonoursRestrictionsApplyToAnAbnormalOperationEnterpriseNotToPersons() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.listed("L-AB-2", list: "abnormalOperation", on: "2023-01-05"),
            Status.listed(Measures.debtor, "L-SD-3", list: "seriousDishonesty", on: "2023-01-05"),
        ])
        #expect(try ledger.measureIDs(scene: .bidding, asOf: "2023-02-01") == ["M-BIDDING-RESTRICTION"])
        #expect(try ledger.measureIDs(scene: .landSupply, asOf: "2023-02-01") == ["M-LAND-SUPPLY-RESTRICTION"])
        #expect(try ledger.measureIDs(scene: .honours, asOf: "2023-02-01") == ["M-HONOURS-RESTRICTION"])
        #expect(try ledger.measureIDs(Measures.debtor, scene: .bidding, asOf: "2023-02-01") == [], "Art. 18 names enterprises")
        #expect(try ledger.measureIDs(Measures.debtor, scene: .procurement, asOf: "2023-02-01") == ["M-PROCUREMENT-BAR"])
    }

    @Test func abnormalOperationRolledOverIntoSeriousDishonestyTriggersTheProcurementBarFromTheRollover() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.listed("L-AB-3", list: "abnormalOperation", on: "2020-07-01")])
        #expect(try ledger.measureIDs(scene: .procurement, asOf: "2023-06-30") == [])
        let bar = try #require(try ledger.measures(scene: .procurement, asOf: "2023-07-01").first)
        #expect(bar.trigger.list == .seriousDishonesty && bar.trigger.recordDate == date("2023-07-01"))
    }

    // MARK: - Commitments and supervision

    @Test func noNotificationAndCommitmentAfterAFalseCommitmentUntilRepaired() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.commitment("C-1", kind: "approvalSubstitution", on: "2023-01-10"),
            Measures.breached("C-1", breach: "false", on: "2023-03-01"),
            Measures.penalty("D-GP-2", on: "2022-12-01", severity: "general"),
            Status.performed("D-GP-2", on: "2023-01-05"),
            Status.commitment("C-REP-3", on: "2023-04-01"),
            Status.repairApplied("R-3", decision: "D-GP-2", commitment: "C-REP-3", on: "2023-04-01"),
            Status.repairDecided("R-3", on: "2023-04-10"),
            // 国办发〔2020〕42号: only the repair of the false commitment itself lifts the bar.
            Status.commitment("C-REP-4", on: "2023-04-20"),
            Status.repairApplied("R-4", commitment: "C-REP-4", on: "2023-04-20", target: "C-1"),
            Status.repairDecided("R-4", on: "2023-04-25"),
            Status.commitment(Measures.otherCompany, "C-2", kind: "approvalSubstitution", on: "2023-01-10"),
            Measures.breached("C-2", of: Measures.otherCompany, breach: "late", on: "2023-03-01"),
        ])
        let match = try #require(try ledger.measures(scene: .licensing, asOf: "2023-03-01").first)
        #expect(match.measure.id.text == "M-NO-NOTIFICATION-COMMITMENT")
        #expect(match.trigger.kind == .breachedCommitment && match.trigger.breach == .false && match.trigger.ref == "C-1")
        #expect(try ledger.measureIDs(scene: .licensing, asOf: "2023-04-24") == ["M-NO-NOTIFICATION-COMMITMENT"],
                "the repair of another record (R-3, 2023-04-10) does not repair the false commitment")
        #expect(try ledger.measureIDs(scene: .licensing, asOf: "2023-04-25") == [], "repaired")
        let register = try ledger.withView(CommitmentRegister.self) { $0 }
        #expect(!register.notificationAndCommitment(for: subject(Measures.company), asOf: date("2023-04-24")).isAllowed)
        #expect(register.notificationAndCommitment(for: subject(Measures.company), asOf: date("2023-04-25")).isAllowed)
        #expect(try ledger.measureIDs(Measures.otherCompany, scene: .licensing, asOf: "2023-03-01") == [],
                "a late breach is no declared trigger")
    }

    @Test func keySupervisionForAKeyAttentionListingLiftsWhenTheListingExpires() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.listed("L-KA-2", list: "keyAttention", on: "2022-03-01")])
        let match = try #require(try ledger.measures(scene: .inspection, asOf: "2024-02-29").first)
        #expect(match.measure.id.text == "M-KEY-SUPERVISION" && match.trigger.list == .keyAttention)
        #expect(!(try ledger.measureIDs(scene: .inspection, asOf: "2024-03-01")).contains("M-KEY-SUPERVISION"), "2 years")
    }

    @Test func keySupervisionForAGradeDSubject() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Measures.penalty("D-SP-4", on: "2023-01-10", severity: "serious"),
            Measures.penalty("D-SP-5", on: "2023-02-10", severity: "serious"),
            Measures.penalty("D-SP-6", on: "2023-03-10", severity: "serious"),
        ])
        #expect(try ledger.measureIDs(scene: .inspection, asOf: "2023-02-01") == [], "grade C after one serious penalty")
        let match = try #require(try ledger.measures(scene: .inspection, asOf: "2023-04-01").first)
        #expect(match.measure.id.text == "M-KEY-SUPERVISION" && match.trigger.kind == .grade && match.trigger.grade == .D)
        #expect(match.trigger.ref == "default" && match.trigger.fact?.source.text == Status.nationalSource)
    }

    // MARK: - Rewards (守信激励)

    @Test func redListAndGradeASubjectsGetTheFastTrackAndFewerInspections() throws {
        let ledger = try Status.ledger(directory)
        let unrated = Codes.enterprise(7003)
        try ledger.append([
            Status.listed("L-RED-1", list: "red", on: "2023-01-10"),
            Measures.honour(Measures.otherCompany, on: "2023-01-10"),
            Measures.registered(unrated),
        ])
        let fastTrack = try ledger.measures(scene: .licensing, asOf: "2023-02-01")
        #expect(fastTrack.map(\.measure.id.text) == ["R-FAST-TRACK", "R-FAST-TRACK", "R-GREEN-CHANNEL"])
        #expect(fastTrack.map(\.trigger.kind) == [.onList, .grade, .onList] && fastTrack.first?.trigger.ref == "L-RED-1")
        let inspection = try ledger.measures(Measures.otherCompany, scene: .inspection, asOf: "2023-02-01")
        #expect(inspection.map(\.measure.id.text) == ["R-REDUCED-INSPECTION"])
        #expect(inspection.first?.trigger.grade == .A && inspection.first?.measure.kind == .reward)
        #expect(try ledger.measures(unrated, scene: .licensing, asOf: "2023-02-01").isEmpty, "M (无记载不评价) earns no reward")
    }

    @Test func rewardOfARedEntryStopsForGoodOnceTheSubjectIsOnADishonestyList() throws {
        // Seed 001 (确保已被列入"黑名单"的主体不被列为"红名单"): the red entry ends on the listing
        // date and does not come back when the listing ends; a new red entry is needed.
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.listed("L-RED-2", list: "red", on: "2023-01-10"),
            Status.listed("L-AB-4", list: "abnormalOperation", on: "2023-05-01"),
            Status.delisted("L-AB-4", reason: "performed", on: "2023-08-01"),
        ])
        #expect(try ledger.measures(scene: .licensing, asOf: "2023-04-30").contains { $0.trigger.ref == "L-RED-2" })
        #expect(try ledger.measureIDs(scene: .licensing, asOf: "2023-06-01") == [])
        let back = try ledger.measures(scene: .licensing, asOf: "2023-08-01")
        #expect(!back.contains { $0.trigger.ref == "L-RED-2" })
    }

    // MARK: - Time and order

    @Test func aPastInstantMatchesOnlyWhatWasRecordedThen() throws {
        let ledger = try Status.ledger(directory, clock: SteppingClock())
        try ledger.append(Measures.companyWithRoles)
        let before = try ledger.head.lastRecordedTime!
        try ledger.append([Measures.defaulter("(2023)沪0114执5号", on: "2023-03-01")])
        #expect(try ledger.measures(Measures.legalRep, scene: .highConsumption, asOf: "2023-06-01", knownAt: before).isEmpty)
        #expect(try ledger.measures(scene: .highConsumption, asOf: "2023-06-01", knownAt: before).isEmpty)
        #expect(try ledger.measures(Measures.legalRep, scene: .highConsumption, asOf: "2023-06-01").count == 1)
    }

    @Test func matchesAreSortedByMeasureThenTrigger() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Measures.penalty("D-SP-8", on: "2023-03-01", severity: "serious"),
            Measures.penalty("D-SP-7", on: "2023-03-02", severity: "serious"),
            Status.listed("L-SD-4", list: "seriousDishonesty", on: "2023-03-03"),
        ])
        let matches = try ledger.measures(scene: .licensing, asOf: "2023-04-01")
        #expect(matches.map(\.trigger.ref) == ["D-SP-7", "D-SP-8", "L-SD-4"])
        #expect(try ledger.measures(scene: .licensing, asOf: "2023-04-01") == matches)
    }
}
