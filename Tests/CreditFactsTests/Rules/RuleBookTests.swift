import Foundation
import Testing
@testable import CreditFacts

/// Rule regimes as data: which regime governs a date, what it implies, district overrides.
@Suite struct RuleBookTests {
    let book: RuleBook
    init() throws { book = try RuleBook.national() }

    func date(_ text: String) -> LegalDate { try! LegalDate(parsing: text) }

    func penalty(_ kinds: [PenaltyKind], fine: Int? = nil, procedure: Procedure = .ordinary, severity: Severity? = nil) -> PenaltyDecision {
        PenaltyDecision(decisionNo: DecisionNo(unchecked: "D"), kinds: PenaltyKinds(kinds), fine: fine.map { Yuan(yuan: $0) },
                        procedure: procedure, severity: severity, field: .foodSafety, legalBasis: "")
    }

    let company = SubjectCode.organisation(try! UnifiedSocialCreditCode("914403001922038216"))
    let person = SubjectCode.person(try! CitizenIdentityNumber("11010519491231002X"))

    @Test func eachFactIsJudgedByTheRegimeInForceOnItsEffectiveDate() {
        #expect(book.regime(on: date("2020-01-01")).instrument == "发改办财金〔2019〕527号")
        #expect(book.regime(on: date("2023-04-30")).instrument == "发改办财金〔2019〕527号")
        #expect(book.regime(on: date("2023-05-01")).instrument == "国家发展改革委令第58号")
        #expect(book.regime(on: date("2025-06-22")).instrument == "国办发〔2025〕22号")
        #expect(book.regime(on: date("2026-04-01")).instrument == "国家发展改革委令第36号（2025）")
    }

    @Test func factsOlderThanEveryRegimeAreJudgedByTheEarliest() {
        #expect(book.regime(on: date("2017-03-01")).from == date("2019-07-01"))
    }

    @Test func seriousPenaltyIn2022IsPublicSixMonthsToThreeYears() throws {
        let window = try #require(book.regime(on: date("2022-03-15")).publicity(of: .serious, decidedOn: date("2022-03-15")))
        #expect(window == PublicityWindow(start: date("2022-03-15"), repairEligibleFrom: date("2022-09-15"), end: date("2025-03-15")))
    }

    @Test func seriousPenaltyUnderOrder58IsPublicAtLeastOneYear() throws {
        let regime = book.regime(on: date("2023-06-01"))
        #expect(regime.publicity(of: .serious, decidedOn: date("2023-06-01"))?.repairEligibleFrom == date("2024-06-01"))
        #expect(regime.unconfirmed.contains("penaltyPublicity.serious.minimum"))
    }

    @Test func generalPenaltyStopsPublicityAfterOneYearAndMayBeRepairedAfterThreeMonths() throws {
        let window = try #require(book.regime(on: date("2023-08-31")).publicity(of: .general, decidedOn: date("2023-08-31")))
        #expect(window.repairEligibleFrom == date("2023-11-30"))
        #expect(window.end == date("2024-08-31"))
    }

    @Test func minorPenaltiesAreNotPublished() {
        for regime in book.regimes { #expect(regime.publicity(of: .minor, decidedOn: date("2024-01-01")) == nil) }
        #expect(book.regime(on: date("2025-07-01")).penaltyPublicity.minor.maximumIfPublished == CalendarPeriod(months: 3))
        #expect(book.regime(on: date("2024-07-01")).penaltyPublicity.minor.maximumIfPublished == nil)
    }

    @Test func laterRegimesInheritWhatTheyDoNotChange() {
        let r2026 = book.regime(on: date("2026-05-01"))
        #expect(r2026.publicationDeadlineWorkingDays == 7)
        #expect(r2026.lists.judgmentDefaulter.gracePeriodMaximum == CalendarPeriod(months: 3))
        #expect(r2026.lists.seriousDishonesty.earlyRemovalAfter == CalendarPeriod(months: 12))
        #expect(!r2026.lists.judgmentDefaulter.minorsMayBeListed)
        #expect(r2026.summaryProcedure.personFineMaximumYuan == 200)
        #expect(r2026.dishonestyRetention == CalendarPeriod(months: 60))
    }

    @Test func statedSeverityWins() {
        let c = book.regime(on: date("2023-06-01")).classify(penalty([.suspension], severity: .general), subject: company)
        #expect(c == SeverityClassification(severity: .general, reason: "stated by the deciding authority"))
    }

    @Test func summaryProcedurePenaltyIsMinor() {
        let c = book.regime(on: date("2023-06-01")).classify(penalty([.fine], fine: 100, procedure: .summary), subject: person)
        #expect(c.severity == .minor)
        #expect(c.reason == "decided under the summary procedure")
    }

    @Test func warningOnlyIsMinor() {
        #expect(book.regime(on: date("2023-06-01")).classify(penalty([.warning]), subject: company).severity == .minor)
    }

    @Test func fineOf3000YuanToACompanyIsMinorButOf201YuanToAPersonIsGeneral() {
        let regime = book.regime(on: date("2023-06-01"))
        #expect(regime.classify(penalty([.warning, .fine], fine: 3000), subject: company).severity == .minor)
        #expect(regime.classify(penalty([.fine], fine: 3001), subject: company).severity == .general)
        #expect(regime.classify(penalty([.fine], fine: 200), subject: person).severity == .minor)
        #expect(regime.classify(penalty([.fine], fine: 201), subject: person).severity == .general)
    }

    @Test func severalKindsInOneDecisionTakeTheGravest() {
        let c = book.regime(on: date("2023-06-01")).classify(penalty([.fine, .suspension], fine: 50000), subject: company)
        #expect(c == SeverityClassification(severity: .serious, reason: "kind suspension is serious"))
    }

    @Test func districtFileOverridesOneFieldOfANamedRegimeAndItCarriesForward() throws {
        let district = #"{"regimes":[{"from":"2019-07-01","penaltyPublicity":{"general":{"minimum":"P6M"}}}]}"#
        let book = try RuleBook.national(districtOverrides: [Data(district.utf8)])
        #expect(book.regime(on: date("2020-01-01")).penaltyPublicity.general.minimum == CalendarPeriod(months: 6))
        #expect(book.regime(on: date("2026-05-01")).penaltyPublicity.general.minimum == CalendarPeriod(months: 6))
        #expect(book.regime(on: date("2020-01-01")).penaltyPublicity.general.maximum == CalendarPeriod(months: 12))
    }

    @Test func districtFileMayAddARegimeOfItsOwn() throws {
        let district = #"{"regimes":[{"from":"2024-01-01","instrument":"某区信用办通知","publicationDeadlineWorkingDays":5,"severity":{"seriousFineFromYuan":1000000}}]}"#
        let book = try RuleBook.national(districtOverrides: [Data(district.utf8)])
        #expect(book.regime(on: date("2023-12-31")).publicationDeadlineWorkingDays == 7)
        let local = book.regime(on: date("2024-06-01"))
        #expect(local.instrument == "某区信用办通知" && local.publicationDeadlineWorkingDays == 5)
        #expect(local.penaltyPublicity.serious.minimum == CalendarPeriod(months: 12))
        #expect(local.classify(penalty([.fine], fine: 1_000_000), subject: company).severity == .serious)
        #expect(book.regime(on: date("2025-07-01")).publicationDeadlineWorkingDays == 5)
    }

    @Test func overrideThatMakesMinimumExceedMaximumIsRejected() {
        let district = #"{"regimes":[{"from":"2019-07-01","penaltyPublicity":{"general":{"minimum":"P2Y"}}}]}"#
        #expect(throws: RuleFileError(origin: "regime from 2019-07-01", path: "penaltyPublicity.general", message: "needs minimum ≤ maximum")) {
            try RuleBook.national(districtOverrides: [Data(district.utf8)])
        }
    }

    @Test func aRuleFileMayNotAllowMinorsOnTheJudgmentDefaulterList() {
        // 法释〔2017〕7号 Art. 4: minors are never listed. The audited case: a district file setting
        // minorsMayBeListed to true was read and silently ignored.
        let district = #"{"regimes":[{"from":"2019-07-01","lists":{"judgmentDefaulter":{"minorsMayBeListed":true}}}]}"#
        #expect(throws: RuleFileError.self) { try RuleBook.national(districtOverrides: [Data(district.utf8)]) }
        do { _ = try RuleBook.national(districtOverrides: [Data(district.utf8)]) } catch {
            #expect("\(error)".contains("regime from 2019-07-01: lists.judgmentDefaulter.minorsMayBeListed: cannot be true"))
        }
        let inverted = #"{"regimes":[{"from":"2019-07-01","lists":{"judgmentDefaulter":{"gracePeriodMinimum":"P6M"}}}]}"#
        #expect(throws: RuleFileError(origin: "regime from 2019-07-01", path: "lists.judgmentDefaulter", message: "needs gracePeriodMinimum ≤ gracePeriodMaximum")) {
            try RuleBook.national(districtOverrides: [Data(inverted.utf8)])
        }
    }

    @Test func severityTableMissingAKindIsRejected() {
        let base = #"{"regimes":[{"from":"2019-07-01","instrument":"x","penaltyPublicity":{"minor":{"published":false},"general":{"published":false},"serious":{"published":false}},"repair":{"eligibleAfterMinimumPeriod":true,"requiresObligationsPerformed":true,"requiresRepairCommitment":true},"lists":{"seriousDishonesty":{"period":"P3Y","earlyRemovalAfter":"P1Y"},"abnormalOperation":{"rolloverToSeriousDishonestyAfter":"P3Y"},"judgmentDefaulter":{"period":"P2Y","extensionMinimum":"P1Y","extensionMaximum":"P3Y","gracePeriodMinimum":"P1M","gracePeriodMaximum":"P3M","minorsMayBeListed":false},"keyAttention":{"period":"P2Y"}},"summaryProcedure":{"personFineMaximumYuan":200,"organisationFineMaximumYuan":3000},"severity":{"warningOnlyIsMinor":true,"summaryProcedureIsMinor":true,"fineWithinSummaryThresholdIsMinor":true,"byKind":{"warning":"minor"}},"publicationDeadlineWorkingDays":7,"dishonestyRetention":"P5Y","unconfirmed":[]}]}"#
        #expect(throws: RuleFileError(origin: "regime from 2019-07-01", path: "severity.byKind", message: "has no class for criticism")) {
            try RuleBook(json: Data(base.utf8))
        }
    }

    @Test func missingFieldIsNamedWithItsRegime() {
        let base = #"{"regimes":[{"from":"2019-07-01","instrument":"x"}]}"#
        #expect(throws: RuleFileError(origin: "regime from 2019-07-01", path: "", message: #"missing field "penaltyPublicity""#)) {
            try RuleBook(json: Data(base.utf8))
        }
    }

    @Test func periodsReadAndPrintInIso8601() throws {
        #expect(CalendarPeriod(parsing: "P1Y6M") == CalendarPeriod(months: 18))
        #expect(CalendarPeriod(parsing: "P10D")?.description == "P10D")
        #expect(CalendarPeriod(months: 18).description == "P1Y6M")
        #expect(CalendarPeriod(parsing: "3 months") == nil)
        #expect(CalendarPeriod(parsing: "P") == nil && CalendarPeriod(parsing: "P3") == nil && CalendarPeriod(parsing: "PM") == nil)
    }

    @Test func aMisspeltOrMistypedFieldInADistrictFileIsRefusedNamingTheFileOrRegimeAndThePath() {
        // Read through the one rule-file reader: an unknown field is an error, not silently ignored.
        let misspelt = #"{"regimes":[{"from":"2019-07-01","penaltyPublicity":{"general":{"minimun":"P6M"}}}]}"#
        #expect(throws: RuleFileError(origin: "regime from 2019-07-01", path: "penaltyPublicity.general.minimun",
                                      message: "unknown field (allowed: published, minimum, maximum, maximumIfPublished, minimumByField)")) {
            try RuleBook.national(districtOverrides: [Data(misspelt.utf8)])
        }
        let mistyped = #"{"regimes":[{"from":"2019-07-01","publicationDeadlineWorkingDays":"seven"}]}"#
        #expect(throws: RuleFileError(origin: "regime from 2019-07-01", path: "publicationDeadlineWorkingDays", message: "must be a positive integer")) {
            try RuleBook.national(districtOverrides: [Data(mistyped.utf8)])
        }
        let undated = #"{"regimes":[{"instrument":"x"}]}"#
        #expect(throws: RuleFileError(origin: "district file 1", path: "regimes[0]", message: #"missing field "from""#)) {
            try RuleBook.national(districtOverrides: [Data(undated.utf8)])
        }
        let badDate = #"{"regimes":[{"from":"2019-13-01"}]}"#
        #expect(throws: RuleFileError(origin: "district file 1", path: "regimes[0].from", message: #""2019-13-01" is not a date YYYY-MM-DD"#)) {
            try RuleBook.national(districtOverrides: [Data(badDate.utf8)])
        }
        #expect(throws: RuleFileError.self) { try RuleBook.national(districtOverrides: [Data("{not json".utf8)]) }
    }
}
