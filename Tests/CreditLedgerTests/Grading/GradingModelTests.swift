import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// Grading models as data: the bundled default, district and industry files side by side, and
/// every problem a model file can have, named by file and JSON path.
@Suite struct GradingModelTests {
    let directory = TemporaryDirectory()

    @Test func bundledDefaultModelCarriesTheDocumentedNumbers() throws {
        let model = try GradingModel.bundledDefault()
        #expect(model.id == "default")
        #expect(model.score == ScoreRules(start: 100, max: 100, min: 0, maxAdditions: 5))
        #expect(model.levels.map(\.minScore) == [90, 70, 40, 0] && model.levels.map(\.level) == [.A, .B, .C, .D])
        let points = Dictionary(uniqueKeysWithValues: model.deductions.map { ($0.id, $0.points) })
        #expect(points == [
            "deduct.penalty.general": 10, "deduct.penalty.serious": 35, "deduct.commitment.breached": 10,
            "deduct.commitment.false": 20, "deduct.contract.default": 5, "deduct.list.abnormalOperation": 20,
            "deduct.list.keyAttention": 15, "deduct.linked.seriousDishonesty": 20,
        ])
        #expect(model.additions.map(\.points) == [5, 3, 2, 1])
        #expect(model.caps.filter { $0.maxLevel == .D }.map(\.condition) == [.onList(lists: [.seriousDishonesty, .judgmentDefaulter], fields: nil)])
        #expect(GradeLevel.allCases.map(model.supervision.share) == [0.02, 0.05, 0.10, 0.20, 0.05])
        #expect(model.notes.contains { $0.contains("UNCONFIRMED") && $0.contains("supervision") })
    }

    @Test func anIndustryModelCoexistsWithTheDefaultAndIsChosenByID() throws {
        let path = directory.path + "/industry-food.json"
        try modelWith("id", "industry-food").write(to: URL(fileURLWithPath: path))
        var industry = try GradingModel.load(path: path)
        #expect(industry.id == "industry-food")
        industry.deductions[0].points = 30   // food safety weighs general penalties three times as much
        let models = try GradingModels([try GradingModel.bundledDefault(), industry], defaultID: "default")
        #expect(try models.model(nil).id == "default")

        let ledger = try Status.ledger(directory)
        try ledger.append([Grading.registered(), Status.penalty("D-I-1", on: "2023-06-01", severity: "general")])
        let byDefault = try ledger.grade(asOf: "2023-07-01", model: try models.model(nil))
        let byIndustry = try ledger.grade(asOf: "2023-07-01", model: try models.model("industry-food"))
        #expect(byDefault.model == "default" && byDefault.score == 90 && byDefault.level == .B)
        #expect(byIndustry.model == "industry-food" && byIndustry.score == 70 && byIndustry.level == .B)
        #expect(byIndustry.reasons[0].points == -30)
    }

    @Test func askingForAModelNoOneLoadedNamesTheIDAndTheModelsThereAre() throws {
        let models = try GradingModels.standard()
        #expect(throws: GradingModelError.self) { try models.model("district-310114") }
        do { _ = try models.model("district-310114") } catch {
            #expect(error.description == #"grading models: no model has the id "district-310114" (have: default)"#)
        }
    }

    @Test func twoModelsWithOneIDOrAMissingDefaultAreRefused() throws {
        let model = try GradingModel.bundledDefault()
        do { _ = try GradingModels([model, model], defaultID: "default"); Issue.record("accepted") } catch {
            #expect(error.description == #"models[1]: id: two models have the id "default""#)
        }
        do { _ = try GradingModels([model], defaultID: "district"); Issue.record("accepted") } catch {
            #expect(error.description.contains(#"no model has the id "district""#))
        }
    }

    @Test func unknownConditionKindIsRefusedWithItsPath() {
        let error = modelError(modelWith("deductions[2].when.kind", "penaltyDecided"))
        #expect(error?.path == "deductions[2].when.kind")
        #expect(error?.description.hasPrefix(#"district.json: deductions[2].when.kind: unknown condition kind "penaltyDecided" (allowed: penaltyInPublicity, onList"#) == true)
    }

    @Test func missingFieldIsRefusedNamingTheField() {
        #expect(modelError(modelWith("deductions[0].points", nil))?.description == #"district.json: deductions[0]: missing field "points""#)
        #expect(modelError(modelWith("caps[1].when.months", nil))?.description == #"district.json: caps[1].when: missing field "months""#)
        #expect(modelError(modelWith("supervision", nil))?.description == #"district.json: missing field "supervision""#)
    }

    @Test func negativeOrZeroPointsAreRefused() {
        #expect(modelError(modelWith("deductions[2].points", -5))?.description == "district.json: deductions[2].points: must be a positive integer")
        #expect(modelError(modelWith("additions[0].points", 0))?.description == "district.json: additions[0].points: must be a positive integer")
        #expect(modelError(modelWith("additions[0].points", 2.5))?.path == "additions[0].points")
    }

    @Test func overlappingOrUnsortedLevelThresholdsAreRefused() {
        let overlap = modelError(modelWith("levels[1].minScore", 95))
        #expect(overlap?.description == "district.json: levels[1].minScore: thresholds overlap: 95 is not below A's 90")
        let unsorted = modelError(modelWith("levels[0].level", "C"))
        #expect(unsorted?.description == "district.json: levels[1].level: levels must run from best to worst (B after C)")
        #expect(modelError(modelWith("levels[1].level", "A"))?.description == "district.json: levels[1].level: level A is listed twice")
        let swapped = modelError(editedModel { root in
            var levels = root["levels"] as! [[String: Any]]
            levels.swapAt(0, 1)
            root["levels"] = levels
        })
        #expect(swapped?.description == "district.json: levels[1].level: levels must run from best to worst (A after B)")
        #expect(modelError(modelWith("levels[3].minScore", 10))?.description.contains("no level for scores below 10") == true)
        #expect(modelError(modelWith("levels[3].level", "M"))?.path == "levels[3].level")
    }

    @Test func duplicateRuleIDIsRefused() {
        let error = modelError(modelWith("additions[1].id", "deduct.penalty.general"))
        #expect(error?.description == #"district.json: additions[1].id: duplicate rule id "deduct.penalty.general""#)
    }

    @Test func sharesOutsideZeroToOneAreRefused() {
        #expect(modelError(modelWith("supervision.shares[3].share", 1.5))?.description
            == "district.json: supervision.shares[3].share: must be a share between 0 and 1 (found 1.5)")
        #expect(modelError(modelWith("supervision.shares[0].share", -0.1))?.path == "supervision.shares[0].share")
        #expect(modelError(modelWith("supervision.shares[4]", nil))?.description == "district.json: supervision.shares: no share for level M")
    }

    @Test func emptyIDIsRefused() {
        #expect(modelError(modelWith("id", ""))?.description == "district.json: id: must not be empty")
        #expect(modelError(modelWith("caps[0].id", " "))?.description == "district.json: caps[0].id: must not be empty")
    }

    @Test func misspeltFieldsUnknownWordsAndMinorPenaltiesAreRefused() {
        #expect(modelError(modelWith("deductions[0].point", 10))?.description.hasPrefix("district.json: deductions[0].point: unknown field") == true)
        #expect(modelError(modelWith("deductions[5].when.lists[0]", "blackList"))?.description.hasPrefix(
            #"district.json: deductions[5].when.lists[0]: unknown value "blackList" (allowed: seriousDishonesty"#) == true)
        #expect(modelError(modelWith("deductions[0].when.severity", ["minor"]))?.description
            == "district.json: deductions[0].when.severity: minor penalties are not published and never count")
        #expect(modelError(modelWith("caps[4].maxLevel", "M"))?.path == "caps[4].maxLevel")
        #expect(modelError(modelWith("deductions[4].when.months", "12"))?.description == "district.json: deductions[4].when.months: must be a positive integer")
    }

    @Test func aFileThatIsNotJSONOrCannotBeReadIsRefusedNamingTheFile() {
        #expect(modelError(Data("{\"id\": ".utf8))?.description.hasPrefix("district.json: not JSON") == true)
        let missing = directory.path + "/district.json"
        do { _ = try GradingModel.load(path: missing); Issue.record("loaded") } catch {
            #expect(error.origin == missing && error.description.contains("cannot read the file"))
        }
    }
}
