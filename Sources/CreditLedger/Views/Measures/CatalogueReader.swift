import CreditFacts
import Foundation

/// Reads a measures catalogue file and validates every measure, naming the file and JSON path of
/// each problem. Uses the grading model's path-aware JSON reader (`JSONNode`), so both rule files
/// report problems the same way.
struct CatalogueReader {
    /// The file, for errors.
    let origin: String

    /// The statuses a measure's research may have (research/domain-rules.md §0).
    static let statuses = ["CONFIRMED", "PARTIAL", "UNCONFIRMED"]

    func catalogue(from data: Data) throws(MeasureCatalogueError) -> MeasureCatalogue {
        do {
            return try read(data)
        } catch {
            throw MeasureCatalogueError(origin: error.origin, path: error.path, message: error.message)
        }
    }

    private func read(_ data: Data) throws(GradingModelError) -> MeasureCatalogue {
        let root = try JSONNode.root(of: data, origin: origin)
            .object(allowed: ["catalogue", "edition", "notes", "categories", "measures"])
        let categories = try root.optional("categories").map { (node) throws(GradingModelError) in try self.categories(node) } ?? []
        var measures: [Measure] = []
        for node in try root.required("measures").array(nonEmpty: true) {
            let measure = try self.measure(node, categories: categories)
            if let first = measures.first(where: { $0.id == measure.id }) {
                throw JSONNode(value: .string(measure.id.text), path: node.path + ".id", origin: origin)
                    .error("duplicate id \(measure.id) (already at \(first.originPath))")
            }
            measures.append(measure)
        }
        return MeasureCatalogue(categories: categories, measures: measures, origins: [origin])
    }

    private func categories(_ node: JSONNode) throws(GradingModelError) -> [MeasureCategory] {
        var result: [MeasureCategory] = []
        for item in try node.array(nonEmpty: true) {
            let fields = try item.object(allowed: ["number", "wording"])
            let numberNode = try fields.required("number")
            let number = try numberNode.int()
            guard (1...3).contains(number) else { throw numberNode.error("the national list has categories 1, 2 and 3") }
            if result.contains(where: { $0.number == number }) { throw numberNode.error("category \(number) is listed twice") }
            result.append(MeasureCategory(number: number, wording: try fields.required("wording").string()))
        }
        return result
    }

    private func measure(_ node: JSONNode, categories: [MeasureCategory]) throws(GradingModelError) -> Measure {
        let fields = try node.object(allowed: [
            "id", "kind", "category", "measure", "legalBasis", "implementingBodies", "scenes", "subjectKinds", "triggers",
            "unless", "reaches", "edition", "inForce", "maxYears", "status", "note",
        ])
        let idNode = try fields.required("id")
        let idText = try idNode.string()
        let id: MeasureID
        do { id = try MeasureID(validating: idText) } catch { throw idNode.error(error.reason) }
        let kind = try fields.required("kind").word(MeasureKind.self)
        let triggers = try self.triggers(fields.optional("triggers"), at: node, field: "triggers")
        guard !triggers.isEmpty else {
            throw node.child("triggers", .null).error("a measure needs at least one declared trigger (于法有据, 不得泛化)")
        }
        let reachesNode = try fields.required("reaches")
        var measure = Measure(
            id: id, kind: kind, category: try category(fields.optional("category"), kind: kind, at: node, categories: categories),
            measure: try text(fields.required("measure")), legalBasis: try legalBasis(fields.optional("legalBasis"), at: node),
            implementingBodies: try bodies(fields.required("implementingBodies")),
            scenes: try fields.required("scenes").words(MeasureScene.self),
            subjectKinds: try fields.required("subjectKinds").words(MeasureSubjectKind.self),
            triggers: triggers, unless: try self.triggers(fields.optional("unless"), at: node, field: "unless"),
            reaches: try reach(reachesNode), edition: try fields.required("edition").string(),
            inForce: try inForce(fields.required("inForce")),
            maxYears: try fields.optional("maxYears").map { (n) throws(GradingModelError) in try n.positiveInt() },
            status: try status(fields.required("status")), note: try fields.optional("note")?.string(), origin: origin)
        measure.originPath = node.path
        if measure.reaches.roles.isEmpty == false, !triggers.contains(where: { $0.kind != .grade }) {
            throw reachesNode.error("persons in linked roles are reached through an organisation's record: a grade alone reaches no role")
        }
        return measure
    }

    private func legalBasis(_ node: JSONNode?, at measure: JSONNode) throws(GradingModelError) -> String {
        let message = "a measure needs a legal basis (于法有据)"
        guard let node else { throw measure.child("legalBasis", .null).error(message) }
        guard case .string(let text) = node.value else { throw node.error("expected a string, found \(node.value.shape)") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw node.error(message) }
        return text
    }

    private func category(_ node: JSONNode?, kind: MeasureKind, at measure: JSONNode,
                          categories: [MeasureCategory]) throws(GradingModelError) -> Int? {
        guard let node else {
            if kind == .punishment { throw measure.child("category", .null).error("a punitive measure needs its category of the national list (1, 2 or 3)") }
            return nil
        }
        let number = try node.int()
        guard (1...3).contains(number) else { throw node.error("the national list has categories 1, 2 and 3") }
        if !categories.isEmpty, !categories.contains(where: { $0.number == number }) {
            throw node.error("unknown category \(number) (the file defines \(categories.map { String($0.number) }.joined(separator: ", ")))")
        }
        return number
    }

    private func text(_ node: JSONNode) throws(GradingModelError) -> MeasureText {
        let fields = try node.object(allowed: ["zh", "en"])
        return MeasureText(zh: try fields.required("zh").string(), en: try fields.required("en").string())
    }

    private func bodies(_ node: JSONNode) throws(GradingModelError) -> [ImplementingBody] {
        var result: [ImplementingBody] = []
        for item in try node.array(nonEmpty: true) {
            let fields = try item.object(allowed: ["code", "name"])
            let codeNode = try fields.required("code")
            let code = try codeNode.string()
            guard code.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
                throw codeNode.error("a department code is upper-case letters and digits, as it ends fact sources (310114-FY → FY)")
            }
            if result.contains(where: { $0.code == code }) { throw codeNode.error("department \(code) is listed twice") }
            result.append(ImplementingBody(code: code, name: try fields.required("name").string()))
        }
        return result
    }

    private func reach(_ node: JSONNode) throws(GradingModelError) -> MeasureReach {
        let fields = try node.object(allowed: ["subject", "roles", "bindsRole"])
        let roles = try fields.optional("roles").map { (n) throws(GradingModelError) -> [Role] in
            try n.array().isEmpty ? [] : try n.words(Role.self)
        } ?? []
        let reach = MeasureReach(subject: try fields.required("subject").flag(), roles: roles,
                                 bindsRole: try fields.optional("bindsRole")?.flag() ?? false)
        if !reach.subject && roles.isEmpty { throw node.error("the measure reaches nobody: set subject or roles") }
        if reach.bindsRole && roles.isEmpty { throw node.error("bindsRole needs the roles it binds") }
        return reach
    }

    private func inForce(_ node: JSONNode) throws(GradingModelError) -> MeasureInForce {
        let fields = try node.object(allowed: ["from", "to"])
        let from = try fields.required("from").legalDate()
        guard let toNode = fields.optional("to") else { return MeasureInForce(from: from, to: nil) }
        let to = try toNode.legalDate()
        guard from < to else { throw toNode.error("must be after from (\(from))") }
        return MeasureInForce(from: from, to: to)
    }

    private func status(_ node: JSONNode) throws(GradingModelError) -> String {
        let text = try node.string()
        guard Self.statuses.contains(text) else {
            throw node.error("unknown value \"\(text)\" (allowed: \(Self.statuses.joined(separator: ", ")))")
        }
        return text
    }
}

extension CatalogueReader {
    /// The triggers of an array field (absent → none), each of the closed vocabulary.
    func triggers(_ node: JSONNode?, at measure: JSONNode, field: String) throws(GradingModelError) -> [MeasureTrigger] {
        guard let node else { return [] }
        var result: [MeasureTrigger] = []
        for item in try node.array() {
            let trigger = try self.trigger(item)
            if result.contains(trigger) { throw item.error("the same trigger is declared twice") }
            result.append(trigger)
        }
        return result
    }

    /// A trigger, as the measures catalogue spells it.
    private func trigger(_ node: JSONNode) throws(GradingModelError) -> MeasureTrigger {
        try ConditionReader.measuresCatalogue.condition(node)
    }
}

extension JSONNode {
    /// A boolean.
    func flag() throws(GradingModelError) -> Bool {
        guard case .bool(let flag) = value else { throw error("expected a boolean, found \(value.shape)") }
        return flag
    }

    /// A date `YYYY-MM-DD`.
    func legalDate() throws(GradingModelError) -> LegalDate {
        let text = try string()
        do { return try LegalDate(parsing: text) } catch { throw self.error("\"\(text)\" is not a date (\(error))") }
    }
}
