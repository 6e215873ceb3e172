import Foundation
import Testing
@testable import CreditFacts

/// Rule regimes by channel (the publishing authority) as well as by date: market regulation's
/// publicity system (SAMR Order 45, Order 107) and the 信用中国 channel (the NDRC's regimes).
@Suite struct RuleChannelTests {
    let book: RuleBook
    init() throws { book = try RuleBook.national() }

    func date(_ text: String) -> LegalDate { try! LegalDate(parsing: text) }
    let company = SubjectCode.organisation(try! UnifiedSocialCreditCode("914403001922038216"))
    let samr = SourceID(unchecked: "310114-SCJG")
    let credit = SourceID(unchecked: "310114-FGW")

    @Test func marketRegulationIsJudgedBySamrsRegimesAndOtherDepartmentsByTheNationalOnes() {
        #expect(book.channel(of: samr) == "samrPublicity" && book.channel(of: credit) == RuleBook.baseChannel)
        #expect(book.regime(on: date("2021-08-31"), source: samr).instrument == "发改办财金〔2019〕527号", "before Order 45: the national regime")
        #expect(book.regime(on: date("2021-09-01"), source: samr).instrument == "市场监督管理总局令第45号")
        // The national Order 58 does not reach into SAMR's timeline where SAMR has its own rule.
        let samr2023 = book.regime(on: date("2023-06-01"), source: samr)
        #expect(samr2023.instrument == "市场监督管理总局令第45号" && samr2023.channel == "samrPublicity")
        #expect(samr2023.penaltyPublicity.serious.minimum(in: .transport) == CalendarPeriod(months: 6))
        #expect(samr2023.penaltyPublicity.serious.minimum(in: .foodSafety) == CalendarPeriod(months: 12))
        #expect(book.regime(on: date("2025-12-25"), source: samr).instrument == "市场监督管理总局令第107号")
        #expect(book.regime(on: date("2025-12-25"), source: samr).penaltyPublicity.general.minimum(in: .foodSafety) == CalendarPeriod(months: 3))
        #expect(book.regime(on: date("2023-06-01"), source: credit).instrument == "国家发展改革委令第58号")
    }

    @Test func theDepartmentIsTheLastNonEmptyPartAfterADash() {
        // The department a source's channel is looked up by: its text after the last `-` that has
        // text after it, as splitting on `-` and taking the last part gives.
        for text in ["310114-SCJG", "SCJG", "310114-SCJG-", "310114--SCJG", "a-b-c", "-SCJG", "---", "", "310114-市场监管局"] {
            let split = text.split(separator: "-").last.map(String.init) ?? text
            #expect(String(RuleBook.department(of: text)) == split, "\(text)")
        }
        #expect(book.channel(of: SourceID(unchecked: "310114-SCJG-")) == "samrPublicity")
        #expect(book.channel(of: SourceID(unchecked: "SCJG")) == "samrPublicity")
    }

    @Test func orderFortyFivesNoEarlyStopKindsAreTheSamrChannelsOnly() {
        // SAMR Order 45 Art. 14(3); Order 58 Art. 2: a right to repair unless a law forbids it.
        let kinds = PenaltyKinds([.fine, .suspension])
        #expect(book.regime(on: date("2024-07-01"), source: samr).repair.blockingKinds(kinds, field: .transport) == [.suspension])
        #expect(book.regime(on: date("2024-07-01"), source: credit).repair.blockingKinds(kinds, field: .transport).isEmpty)
        // 527号 特定严重失信行为: only in its fields.
        let regime2020 = book.regime(on: date("2020-06-01"), source: credit)
        #expect(regime2020.repair.blockingKinds(kinds, field: .workSafety) == [.suspension])
        #expect(regime2020.repair.blockingKinds(kinds, field: .transport).isEmpty)
    }

    @Test func anOrdinaryProcedureFineOfThreeThousandYuanOnACompanyIsMinorOnlyOnTheNationalChannel() {
        // SAMR Order 45 Art. 2: every ordinary-procedure penalty but a warning alone is published;
        // DOMAIN.md and Order 36's 轻微 class: a fine within the summary-procedure limit is minor.
        let fine = PenaltyDecision(decisionNo: DecisionNo(unchecked: "D"), kinds: PenaltyKinds([.fine]), fine: Yuan(yuan: 3000),
                                   procedure: .ordinary, field: .foodSafety, legalBasis: "")
        #expect(book.regime(on: date("2023-06-01"), source: samr).classify(fine, subject: company).severity == .general)
        #expect(book.regime(on: date("2023-06-01"), source: credit).classify(fine, subject: company).severity == .minor)
        let warning = PenaltyDecision(decisionNo: DecisionNo(unchecked: "W"), kinds: PenaltyKinds([.warning]), procedure: .ordinary,
                                      field: .foodSafety, legalBasis: "")
        #expect(book.regime(on: date("2023-06-01"), source: samr).classify(warning, subject: company).severity == .minor)
    }

    @Test func aDistrictMapsItsOwnSourcesAndABadMappingNamesTheFileAndPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rule-channels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("jiading-rules.json")
        try Data(#"{"channelBySource":{"sources":{"310114-JDSC":"samrPublicity"},"departments":{"SCJG":"creditChina"}}}"#.utf8).write(to: good)
        let district = try RuleBook.national(districtFiles: [good.path])
        #expect(district.channel(of: SourceID(unchecked: "310114-JDSC")) == "samrPublicity")
        #expect(district.channel(of: samr) == RuleBook.baseChannel)

        let bad = directory.appendingPathComponent("bad-rules.json")
        try Data(#"{"channelBySource":{"departments":{"SW":"taxChannel"}}}"#.utf8).write(to: bad)
        #expect(throws: RuleFileError(origin: bad.path, path: "channelBySource.departments.SW", message: "unknown channel taxChannel")) {
            try RuleBook.national(districtFiles: [bad.path])
        }
        let badRegime = directory.appendingPathComponent("bad-regime.json")
        try Data(#"{"channels":{"samrPublicity":{"regimes":[{"from":"2021-09-01","penaltyPublicity":{"general":{"minimum":"P4Y"}}}]}}}"#.utf8).write(to: badRegime)
        #expect(throws: RuleFileError(origin: "channel samrPublicity: regime from 2021-09-01", path: "penaltyPublicity.general", message: "needs minimum ≤ maximum")) {
            try RuleBook.national(districtFiles: [badRegime.path])
        }
    }
}
