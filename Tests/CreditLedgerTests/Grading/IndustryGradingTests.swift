import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// Industry grading (行业分级分类): each subject graded by the model of its industry, the default
/// model where its industry has none, several models in one distribution.
@Suite struct IndustryGradingTests {
    let directory = TemporaryDirectory()

    /// A catering model: the default model without deductions or caps, so that a penalty that
    /// lowers a grade under the default model leaves it alone here.
    static func cateringModel() throws -> GradingModel {
        var model = try GradingModel.bundledDefault()
        model.id = "industry-catering"
        model.deductions = []
        model.caps = []
        return model
    }

    static func map() throws -> IndustryModelMap {
        try IndustryModelMap(jsonData: Data(#"{"defaultModel":"default","industries":{"餐饮":"industry-catering"}}"#.utf8),
                             origin: "industries.json", models: [try GradingModel.bundledDefault(), try cateringModel()])
    }

    @Test func eachSubjectIsGradedByTheModelOfItsIndustry() throws {
        let ledger = try Status.ledger(directory)
        let (catering, other) = (Status.company, Status.otherCompany)
        try ledger.append([
            Status.fact("subject.registered", catering, on: "2023-01-01",
                        #"{"name":"上海嘉定餐饮公司","kind":"enterprise","region":"310114","industry":"餐饮"}"#, source: Status.samrSource),
            Status.registered(other, name: "上海嘉定乙公司", on: "2023-01-01"),
            Status.penalty(catering, "D-1", on: "2024-01-10", severity: "serious"),
            Status.penalty(other, "D-2", on: "2024-01-10", severity: "serious"),
        ])
        let asOf = date("2024-06-30")
        let mixed = try ledger.gradeDistribution(asOf: asOf, industries: try Self.map())
        #expect(mixed.byModel.map(\.model) == ["default", "industry-catering"])
        let cateringLevel = try ledger.grade(of: subject(catering), asOf: asOf, model: try Self.cateringModel()).level
        let otherLevel = try ledger.grade(of: subject(other), asOf: asOf).level
        #expect(cateringLevel != otherLevel, "the same penalty weighs differently under the two models")
        #expect(mixed.byModel[1].rows.first { $0.level == cateringLevel }?.count == 1)
        #expect(mixed.byModel[1].rows.reduce(0) { $0 + $1.count } == 1)
        #expect(mixed.byModel[0].rows.first { $0.level == otherLevel }?.count == 1)
        #expect(mixed.byModel[0].rows.reduce(0) { $0 + $1.count } == 1)
        #expect(mixed.overall.rows.map(\.count) == zip(mixed.byModel[0].rows, mixed.byModel[1].rows).map { $0.count + $1.count })
    }

    @Test func aMapNamingAModelThatDoesNotExistIsRefusedWithItsPath() throws {
        let models = [try GradingModel.bundledDefault()]
        #expect(throws: GradingModelError.self) {
            try IndustryModelMap(jsonData: Data(#"{"defaultModel":"default","industries":{"餐饮":"industry-catering"}}"#.utf8),
                                 origin: "industries.json", models: models)
        }
        do {
            _ = try IndustryModelMap(jsonData: Data(#"{"defaultModel":"default","industries":{"餐饮":"industry-catering"}}"#.utf8),
                                     origin: "industries.json", models: models)
        } catch {
            #expect(error.origin == "industries.json" && error.path == "industries.餐饮" && error.message.contains("industry-catering"))
        }
        do {
            _ = try IndustryModelMap(jsonData: Data(#"{"defaultModel":"none"}"#.utf8), origin: "industries.json", models: models)
            Issue.record("an unknown default model was accepted")
        } catch {
            #expect(error.path == "defaultModel")
        }
        do {
            _ = try IndustryModelMap(jsonData: Data(#"{"defaultModel":"default","industry":{}}"#.utf8), origin: "industries.json", models: models)
            Issue.record("a misspelt field was accepted")
        } catch {
            #expect(error.path == "industry")
        }
    }
}
