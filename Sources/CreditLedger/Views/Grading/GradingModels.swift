/// Several grading models side by side (a district model, an industry model …), one of them the
/// default. A query names the model it wants by id, or gets the default.
public struct GradingModels: Sendable {
    /// The models, in the order given.
    public let models: [GradingModel]
    /// The id of the model a query without one gets.
    public let defaultID: String

    /// Collects models; ids must be unique and `defaultID` one of them.
    /// - Throws: ``GradingModelError`` naming the model at fault.
    public init(_ models: [GradingModel], defaultID: String) throws(GradingModelError) {
        var seen: Set<String> = []
        for (index, model) in models.enumerated() where !seen.insert(model.id).inserted {
            throw GradingModelError(origin: "models[\(index)]", path: "id", message: "two models have the id \"\(model.id)\"")
        }
        guard seen.contains(defaultID) else {
            throw GradingModelError(origin: "defaultID", path: "", message: "no model has the id \"\(defaultID)\" (have: \(Self.list(models)))")
        }
        self.models = models
        self.defaultID = defaultID
    }

    /// The bundled default model alone.
    /// - Throws: ``GradingModelError`` if the bundled file is missing or invalid.
    public static func standard() throws -> GradingModels {
        let model = try GradingModel.bundledDefault()
        return try GradingModels([model], defaultID: model.id)
    }

    /// The model with id `id`, or the default when `id` is nil.
    /// - Throws: ``GradingModelError`` when no model has that id.
    public func model(_ id: String?) throws(GradingModelError) -> GradingModel {
        let wanted = id ?? defaultID
        guard let model = models.first(where: { $0.id == wanted }) else {
            throw GradingModelError(origin: "grading models", path: "", message: "no model has the id \"\(wanted)\" (have: \(Self.list(models)))")
        }
        return model
    }

    private static func list(_ models: [GradingModel]) -> String { models.map(\.id).sorted().joined(separator: ", ") }
}
