import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// Department evaluations (tax A–D, construction …) as conditions of grading rules and measures.
@Suite struct EvaluationConditionTests {
    let directory = TemporaryDirectory()

    /// The default model with a deduction of 40 points for a latest tax grade D.
    static func modelWithTaxD() throws -> GradingModel {
        try GradingModel(jsonData: editedModel { root in
            var deductions = root["deductions"] as! [Any]
            deductions.append(["id": "deduct.tax.D", "title": "纳税信用D级", "points": 40,
                               "when": ["kind": "evaluation", "scheme": "tax", "grades": ["D"]]] as [String: Any])
            root["deductions"] = deductions
        }, origin: "district.json")
    }

    @Test func theLatestTaxGradeDLowersTheGradeUntilABetterOneIsPublished() throws {
        let ledger = try Status.ledger(directory)
        let c = Status.company
        try ledger.append([
            Status.registered(c, name: "上海嘉定甲公司", on: "2020-01-01"),
            Status.fact("evaluation.published", c, on: "2023-04-20", #"{"scheme":"tax","grade":"D","year":2022}"#, source: "310114-SW"),
            Status.fact("evaluation.published", c, on: "2024-04-20", #"{"scheme":"tax","grade":"B","year":2023}"#, source: "310114-SW"),
            Status.fact("evaluation.published", c, on: "2023-06-01", #"{"scheme":"construction","grade":"D","year":2022}"#, source: "310114-JW"),
        ])
        let model = try Self.modelWithTaxD()
        let then = try ledger.grade(of: subject(c), asOf: date("2023-12-31"), model: model)
        #expect(then.rules.contains("deduct.tax.D"))
        #expect(then.reasons.first { $0.rule == "deduct.tax.D" }?.points == -40)
        let later = try ledger.grade(of: subject(c), asOf: date("2024-06-30"), model: model)
        #expect(!later.rules.contains("deduct.tax.D"), "the 2023 grade B replaces the 2022 D; a construction D is another scheme")
        let before = try ledger.grade(of: subject(c), asOf: date("2023-04-19"), model: model)
        #expect(!before.rules.contains("deduct.tax.D"), "not yet published")
    }

    @Test func anEvaluationConditionWithoutGradesIsRefusedNamingItsPath() {
        let data = editedModel { root in
            var deductions = root["deductions"] as! [Any]
            deductions.append(["id": "deduct.tax.D", "title": "纳税信用D级", "points": 40,
                               "when": ["kind": "evaluation", "scheme": "tax", "grades": [String]()]] as [String: Any])
            root["deductions"] = deductions
        }
        let error = modelError(data)
        #expect(error?.origin == "district.json" && error?.path.hasSuffix(".when.grades") == true, "\(String(describing: error))")
    }
}
