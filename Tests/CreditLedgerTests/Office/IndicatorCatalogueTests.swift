import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// The indicator targets are data: the bundled file, and a district's own file amending it,
/// validated like every rule file (file and JSON path in each error, unknown names refused).
@Suite struct IndicatorCatalogueTests {
    let directory = TemporaryDirectory()

    static func amend(_ json: String) throws -> IndicatorCatalogue {
        try IndicatorCatalogue.bundled().amended(with: Data(json.utf8), origin: "district-indicators.json")
    }

    @Test func theBundledFileDefinesEveryIndicatorWithItsPlansAndClauses() throws {
        let catalogue = try IndicatorCatalogue.bundled()
        #expect(catalogue.definitions.map(\.indicator) == IndicatorID.allCases)
        let codeErrors = catalogue[.codeErrorRate].targets
        #expect(codeErrors.map(\.bound) == [.below(0.0001), .below(0.001)])
        #expect(codeErrors[0].plan == "《上街区社会信用体系建设2023年工作要点》" && codeErrors[0].clause.hasPrefix("第14条"))
        #expect(catalogue[.jointMeasureCases].targets.first?.bound == .atLeastPerMonth(1))
        #expect(catalogue[.factsPerOrganisation].isAverage && !catalogue[.onTimeRate].isAverage)
        #expect(catalogue.origins == ["indicators-default.json"])
    }

    @Test func aDistrictFileReplacesTheTargetsOfTheIndicatorsItNames() throws {
        let district = try Self.amend("""
            {"indicators": {"onTimeRate": {"targets": [{"target": "≥ 50 %", "plan": "《某区2024年工作要点》", "clause": "第3条", "atLeast": 0.5}]},
                            "jointMeasureCases": {"targets": []}}}
            """)
        #expect(district[.onTimeRate].targets.map(\.bound) == [.atLeast(0.5)])
        #expect(district[.onTimeRate].name == (try IndicatorCatalogue.bundled())[.onTimeRate].name, "fields not given are kept")
        #expect(district.origins == ["indicators-default.json", "district-indicators.json"])

        // January of the hand-made quarter: one act of two on time, one joint-measure case.
        let fixture = IndicatorTests()
        defer { withExtendedLifetime(fixture) {} }
        let ledger = try fixture.quarter()
        let bundled = try ledger.indicators(from: date("2024-01-01"), through: date("2024-01-31"), by: .month).periods[0].district
        let amended = try ledger.indicators(from: date("2024-01-01"), through: date("2024-01-31"), by: .month, catalogue: district)
            .periods[0].district
        #expect(IndicatorTests.met(bundled, "onTimeRate") == false, "1/2 is below the plans' 100 %")
        #expect(IndicatorTests.met(amended, "onTimeRate") == true, "1/2 meets the district's 50 %")
        #expect(IndicatorTests.met(bundled, "jointMeasureCases") == true && IndicatorTests.met(amended, "jointMeasureCases") == nil,
                "without a target nothing is checked")
        #expect(IndicatorTests.value(amended, "onTimeRate") == IndicatorTests.value(bundled, "onTimeRate"), "targets never change values")
    }

    @Test func aBadDistrictFileIsRefusedNamingTheFileAndThePath() {
        let cases: [(String, String, String)] = [
            (#"{"indicators": {"onTimeRat": {}}}"#, "indicators.onTimeRat", "unknown indicator"),
            (#"{"indicators": {"onTimeRate": {"target": []}}}"#, "indicators.onTimeRate.target", "unknown field"),
            (#"{"indicators": {"onTimeRate": {"targets": [{"target": "x", "plan": "p", "clause": "c", "atMost": 1}]}}}"#,
             "indicators.onTimeRate.targets[0].atMost", "unknown field"),
            (#"{"indicators": {"onTimeRate": {"targets": [{"target": "x", "plan": "p", "clause": "c", "atLeast": 1, "below": 2}]}}}"#,
             "indicators.onTimeRate.targets[0]", "at most one check"),
            (#"{"indicators": {"onTimeRate": {"targets": [{"target": "x", "plan": "p", "clause": "c", "atLeast": "high"}]}}}"#,
             "indicators.onTimeRate.targets[0].atLeast", "expected a number"),
            (#"{"indicators": {"onTimeRate": {"targets": [{"target": "x", "plan": "p"}]}}}"#,
             "indicators.onTimeRate.targets[0]", "missing field \"clause\""),
            (#"{"indicator": {}}"#, "indicator", "unknown field"),
            ("not json", "", "not JSON"),
        ]
        for (json, path, message) in cases {
            do {
                _ = try Self.amend(json)
                Issue.record("accepted \(json)")
            } catch let error as RuleFileError {
                #expect(error.origin == "district-indicators.json")
                #expect(error.path == path, "\(json)")
                #expect(error.message.contains(message), "\(error)")
            } catch {
                Issue.record("\(json): \(error)")
            }
        }
    }

    @Test func anUnreadableFileIsRefusedNamingIt() {
        #expect(throws: RuleFileError.self) { try IndicatorCatalogue.load(path: directory.path + "/absent.json") }
    }
}
