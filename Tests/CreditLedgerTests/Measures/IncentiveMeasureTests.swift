import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// The reward side of the national catalogue (守信激励): A-grade taxpayers (a department's
/// evaluation), honours and the red list trigger incentives with their legal bases — 银税互动,
/// the tax authority's own A-grade incentives, the approvals green channel and priority in fiscal
/// support — each withheld while the subject stands on a dishonesty list.
@Suite struct IncentiveMeasureTests {
    let directory = TemporaryDirectory()

    static func taxGrade(_ grade: String, year: Int, on date: String, of subject: String = Measures.company) -> Fact {
        Status.fact("evaluation.published", subject, on: date, #"{"scheme":"tax","grade":"\#(grade)","year":\#(year)}"#, source: "310114-SW")
    }

    static func honour(_ title: String, level: String, on date: String, of subject: String = Measures.company) -> Fact {
        Status.fact("honour.granted", subject, on: date, #"{"title":"\#(title)","level":"\#(level)"}"#, source: "310114-FGW")
    }

    func matches(_ ledger: Ledger, _ scene: MeasureScene, asOf day: String, subject code: String = Measures.company) throws -> [String] {
        try ledger.match(subject(code), scene: scene, asOf: date(day)).filter { $0.measure.kind == .reward }.map { match in
            "\(match.measure.id) \(match.trigger.kind.rawValue) \(match.trigger.ref)"
        }
    }

    @Test func anATaxGradeTriggersBankTaxLendingAndTheTaxIncentivesUntilALaterGradeIsNotA() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Measures.registered(), Self.taxGrade("A", year: 2023, on: "2024-04-20")])
        #expect(try matches(ledger, .financing, asOf: "2024-04-19").isEmpty, "not published yet")
        #expect(try matches(ledger, .financing, asOf: "2024-04-20") == ["R-TAX-CREDIT-LOAN evaluation tax A 2023"])
        #expect(try matches(ledger, .other, asOf: "2024-04-20") == ["R-TAX-A-INCENTIVES evaluation tax A 2023"])
        let match = try #require(try ledger.match(subject(Measures.company), scene: .financing, asOf: date("2024-05-01")).first)
        #expect(match.trigger.fact?.source.text == "310114-SW" && match.trigger.since == date("2024-04-20"))
        #expect(match.measure.legalBasis.contains("税总发〔2015〕96号") && match.measure.legalBasis.contains("国发〔2016〕33号"))
        #expect(match.measure.implementingBodies.map(\.code) == ["SW", "JRB"])

        try ledger.append([Self.taxGrade("B", year: 2024, on: "2025-04-18")])
        #expect(try matches(ledger, .financing, asOf: "2025-04-17") == ["R-TAX-CREDIT-LOAN evaluation tax A 2023"])
        #expect(try matches(ledger, .financing, asOf: "2025-04-18").isEmpty, "the latest grade is B")
        #expect(try matches(ledger, .other, asOf: "2025-04-18").isEmpty)
    }

    @Test func aDishonestyListingWithholdsBankTaxLendingButNotTheTaxAuthoritysOwnIncentive() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Measures.registered(), Self.taxGrade("A", year: 2023, on: "2024-04-20"),
                           Measures.defaulter("FY-2024-1", on: "2024-06-01")])
        #expect(try matches(ledger, .financing, asOf: "2024-06-01").isEmpty, "a judgment defaulter gets no credit loan push")
        #expect(try matches(ledger, .other, asOf: "2024-06-01") == ["R-TAX-A-INCENTIVES evaluation tax A 2023"],
                "the tax authority's incentive follows its own grade")
    }

    @Test func anHonourAtMunicipalLevelOpensTheGreenChannelForThreeYearsAndAPenaltyInPublicityClosesIt() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Measures.registered(), Measures.registered(Measures.otherCompany),
            Self.honour("上海市守合同重信用企业", level: "municipal", on: "2022-05-01"),
            Self.honour("嘉定区诚信示范户", level: "district", on: "2022-05-01", of: Measures.otherCompany),
        ])
        #expect(try matches(ledger, .licensing, asOf: "2023-01-01").contains("R-GREEN-CHANNEL honour 上海市守合同重信用企业"))
        #expect(try matches(ledger, .fiscalSupport, asOf: "2023-01-01").contains("R-FISCAL-PRIORITY honour 上海市守合同重信用企业"))
        #expect(try matches(ledger, .licensing, asOf: "2025-04-30").contains("R-GREEN-CHANNEL honour 上海市守合同重信用企业"))
        #expect(try !matches(ledger, .licensing, asOf: "2025-05-01").contains { $0.hasPrefix("R-GREEN-CHANNEL") }, "three years on")
        #expect(try !matches(ledger, .licensing, asOf: "2023-01-01", subject: Measures.otherCompany).contains { $0.hasPrefix("R-GREEN-CHANNEL") },
                "a district honour makes no exemplar")

        try ledger.append([Measures.penalty("沪市监嘉处〔2023〕5号", on: "2023-03-01", severity: "general")])
        #expect(try !matches(ledger, .licensing, asOf: "2023-03-01").contains { $0.hasPrefix("R-GREEN-CHANNEL") },
                "no green channel while a penalty is public")
    }

    @Test func theRedListTriggersPriorityInFiscalSupportWithItsBasis() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Measures.registered(), Status.listed(Measures.company, "RED-7", list: "red", on: "2024-02-01")])
        #expect(try matches(ledger, .fiscalSupport, asOf: "2024-01-31").allSatisfy { !$0.contains("onList") })
        #expect(try matches(ledger, .fiscalSupport, asOf: "2024-02-01").contains("R-FISCAL-PRIORITY onList RED-7"))
        let measure = try #require(Measures.national.measure(MeasureID(unchecked: "R-FISCAL-PRIORITY")))
        #expect(measure.legalBasis.contains("《上海市社会信用条例》第二十九条第二项") && measure.implementingBodies.map(\.code) == ["FGW", "CZJ"])
    }

    @Test func everyRewardOfTheNationalCatalogueNamesItsBasisAndIsWithheldOrSelfJudged() throws {
        let rewards = Measures.national.measures.filter { $0.kind == .reward }
        #expect(rewards.map(\.id.text) == ["R-CREDIT-FINANCING", "R-FAST-TRACK", "R-FISCAL-PRIORITY", "R-GREEN-CHANNEL", "R-REDUCED-INSPECTION",
                                           "R-TAX-A-INCENTIVES", "R-TAX-CREDIT-LOAN"])
        for reward in rewards {
            #expect(!reward.legalBasis.isEmpty && !reward.triggers.isEmpty, "\(reward.id)")
            #expect(!reward.unless.isEmpty || reward.id.text == "R-TAX-A-INCENTIVES", "\(reward.id): withheld from the dishonest")
        }
    }

    @Test func anATaxGradeIsPushedToTheTaxBureauAndTheFinanceOffice() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Measures.registered()])
        let receipts = try ledger.append([Self.taxGrade("A", year: 2023, on: "2024-04-20")])
        guard case .appended(let position, _) = try #require(receipts.last) else { Issue.record("not appended"); return }
        let recorded = try ledger.fact(at: position)
        let pushes = try ledger.notifications(for: recorded, notifier: MeasureNotifier(matcher: try ledger.matcher()))
            .map { "\($0.body) \($0.measureId) \($0.trigger.kind.rawValue) \($0.effective)" }
        #expect(pushes.contains("SW R-TAX-CREDIT-LOAN evaluation 2024-04-20") && pushes.contains("JRB R-TAX-CREDIT-LOAN evaluation 2024-04-20"))
        #expect(pushes.contains("SW R-TAX-A-INCENTIVES evaluation 2024-04-20"), "\(pushes)")
    }

    @Test func aCatalogueHonourTriggerNeedsLevelsAndYears() throws {
        let file = Measures.district([Measures.districtMeasure(["kind": #""reward""#, "category": nil,
                                                                "triggers": #"[{"kind":"honour","levels":["national"]}]"#])])
        #expect { try MeasureCatalogue(jsonData: file, origin: "district-measures.json") } throws: { error in
            "\(error)".contains("measures[0].triggers[0]") && "\(error)".contains("withinYears")
        }
    }
}
