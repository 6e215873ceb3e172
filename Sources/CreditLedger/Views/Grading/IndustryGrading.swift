import CreditFacts
import Foundation
import LedgerStorage

/// Which grading model grades a subject (行业分级分类): the model mapped to the industry of its
/// registration on the date, the default model when its industry has no model or it names none.
/// The mapping is data, read from a file a district writes:
///
/// ```json
/// {"defaultModel": "default", "industries": {"餐饮": "industry-food", "食品": "industry-food"}}
/// ```
public struct IndustryModelMap: Sendable {
    /// The models, one of them the default.
    public let models: GradingModels
    /// Industry (as registered, e.g. `餐饮`) → model id.
    public let byIndustry: [String: String]

    /// Maps industries to models; every id mapped must be one of `models`.
    /// - Throws: ``GradingModelError`` naming the industry whose model is missing.
    public init(models: GradingModels, byIndustry: [String: String]) throws(GradingModelError) {
        for (industry, id) in byIndustry.sorted(by: { $0.key < $1.key }) where !models.models.contains(where: { $0.id == id }) {
            throw GradingModelError(origin: "industry map", path: "industries.\(industry)",
                                    message: "no model has the id \"\(id)\" (have: \(models.models.map(\.id).sorted().joined(separator: ", ")))")
        }
        self.models = models
        self.byIndustry = byIndustry
    }

    /// Reads the mapping file `data` (from `origin`) over `models`.
    /// - Throws: ``GradingModelError`` naming the file and JSON path: not JSON, an unknown field, a
    ///   model id no model has, two models with one id.
    public init(jsonData data: Data, origin: String, models: [GradingModel]) throws(GradingModelError) {
        let root = try JSONNode.root(of: data, origin: origin).object(allowed: ["defaultModel", "industries"])
        let defaultID = try root.required("defaultModel").string()
        var byIndustry: [String: String] = [:]
        if let industries = root.optional("industries") {
            let fields = try industries.object(allowed: Array(Self.keys(of: industries)))
            for industry in fields.fields.keys.sorted() { byIndustry[industry] = try fields.required(industry).string() }
        }
        let collected: GradingModels
        do { collected = try GradingModels(models, defaultID: defaultID) } catch {
            throw GradingModelError(origin: origin, path: "defaultModel", message: error.message)
        }
        do { try self.init(models: collected, byIndustry: byIndustry) } catch {
            throw GradingModelError(origin: origin, path: error.path, message: error.message)
        }
    }

    /// The keys of an object node (any key is an industry name).
    private static func keys(of node: JSONNode) -> [String] {
        guard case .object(let fields) = node.value else { return [] }
        return Array(fields.keys)
    }

    /// The model for a subject registered in `industry` (nil: none stated).
    public func model(forIndustry industry: String?) -> GradingModel {
        let id = industry.flatMap { byIndustry[$0] } ?? models.defaultID
        return models.models.first { $0.id == id }!
    }
}

/// A grade distribution over subjects graded by several models: per model (in the map's model
/// order, models that grade nobody included) and all together per level.
public struct IndustryDistribution: Sendable, Hashable {
    /// The date.
    public var asOf: LegalDate
    /// One distribution per model.
    public var byModel: [GradeDistribution]
    /// Every subject per level, whatever model graded it (model `mixed`).
    public var overall: GradeDistribution
}

extension Ledger {
    /// The distribution of grades on `date` over every registered subject, each graded by the
    /// model `map` gives its industry, as known at `knownAt` (now when nil).
    public func gradeDistribution(asOf date: LegalDate, knownAt: RecordedTime? = nil, industries map: IndustryModelMap) throws
        -> IndustryDistribution {
        let context = self.context
        return try withStatusViews(knownAt: knownAt) { views in
            var groups: [String: [SubjectCode]] = [:]
            for subject in views.gradedSubjects(asOf: date) {
                let industry = views.registry.entry(subject)?.registration(asOf: date)?.details.industry
                groups[map.model(forIndustry: industry).id, default: []].append(subject)
            }
            var total = [Int](repeating: 0, count: GradeLevel.allCases.count)
            let byModel = map.models.models.map { model -> GradeDistribution in
                var counts = [Int](repeating: 0, count: GradeLevel.allCases.count)
                for level in Grader(model: model, context: context).levels(of: groups[model.id] ?? [], asOf: date, views: views) {
                    counts[Int(level)] += 1
                    total[Int(level)] += 1
                }
                return GradeDistribution(model: model.id, asOf: date, counts: counts)
            }
            return IndustryDistribution(asOf: date, byModel: byModel, overall: GradeDistribution(model: "mixed", asOf: date, counts: total))
        }
    }
}
