import CreditFacts
import Foundation

/// A target a work plan sets for an indicator, with the plan and the clause it is read from.
public struct IndicatorTarget: Sendable, Hashable {
    /// How a value is held against the target.
    public enum Bound: Sendable, Hashable {
        /// The value must be at least this.
        case atLeast(Double)
        /// The value must be below this.
        case below(Double)
        /// At least this many per calendar month of the period (a count).
        case atLeastPerMonth(Int)
        /// The plan asks for improvement without a number: nothing to check.
        case direction
    }

    /// The target as the plan words it, e.g. `< 0.01 % (万分之一)`.
    public var text: String
    /// The plan, e.g. `《上街区社会信用体系建设2023年工作要点》`.
    public var plan: String
    /// The clause of the plan, e.g. `第14条: 重错码率要低于万分之一`.
    public var clause: String
    /// What is checked.
    public var bound: Bound

    /// Creates a target.
    public init(text: String, plan: String, clause: String, bound: Bound) {
        self.text = text
        self.plan = plan
        self.clause = clause
        self.bound = bound
    }

    /// Whether `value` (a rate or a count) meets the target in a period of `months` months; nil
    /// when the target has no number.
    public func isMet(by value: Double, months: Int) -> Bool? {
        switch bound {
        case .atLeast(let minimum): value >= minimum
        case .below(let maximum): value < maximum
        case .atLeastPerMonth(let perMonth): value >= Double(perMonth * months)
        case .direction: nil
        }
    }
}

/// The indicators the ledger computes. The identifiers are stable: documents, CSV columns, tests
/// and indicator files name them; the order is the order documents list them in.
public enum IndicatorID: String, Sendable, Hashable, CaseIterable, Comparable {
    case factsReported, publicActs, onTimeRate, lateRate, factsPerOrganisation, notificationCommitments
    case missingDocumentsCommitments, repairs, repairsDecidedOnTime, listEntries, listExits, jointMeasureCases, gradeAShare
    case taxGradeAShare, penetrationCoverage, complianceRate, codeErrorRate, duplicates

    /// Catalogue order.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One indicator's definition: its identifier, its name as the plans write it, the formula in
/// words and the targets the plans set.
public struct IndicatorDefinition: Sendable, Hashable {
    /// The identifier.
    public var indicator: IndicatorID
    /// The identifier as text (JSON and CSV key), e.g. `onTimeRate`.
    public var id: String { indicator.rawValue }
    /// The name, Chinese first, e.g. `及时率 (on-time rate)`.
    public var name: String
    /// The formula and what is counted, in words.
    public var definition: String
    /// The targets of the work plans, strictest first (the first is the one checked); empty when no plan sets one.
    public var targets: [IndicatorTarget]
    /// Whether a rate of this indicator is an average (facts per organisation) rather than a share.
    public var isAverage = false
}

/// The indicators (考核指标) with their definitions and the work plans' targets, as data: the
/// bundled `indicators-default.json`, which a district amends with its own file (the indicators it
/// names, the fields it gives), both read through ``JSONNode`` so that every problem names the
/// file and the JSON path, and unknown indicators or fields are refused.
public struct IndicatorCatalogue: Sendable, Hashable {
    /// Every indicator, in ``IndicatorID`` order.
    public private(set) var definitions: [IndicatorDefinition]
    /// The files read, bundled first (for documents: which targets a report was judged by).
    public private(set) var origins: [String]

    /// The definition of `id`.
    public subscript(_ id: IndicatorID) -> IndicatorDefinition {
        definitions[IndicatorID.allCases.firstIndex(of: id)!]
    }

    /// The bundled catalogue (`indicators-default.json`), read once.
    /// - Throws: ``RuleFileError`` if the bundled file is missing or invalid.
    public static func bundled() throws -> IndicatorCatalogue { try bundledResult.get() }

    private static let bundledResult: Result<IndicatorCatalogue, RuleFileError> = {
        let origin = "indicators-default.json"
        do throws(RuleFileError) {
            guard let url = Bundle.module.url(forResource: "Resources/indicators-default", withExtension: "json"),
                  let data = try? Data(contentsOf: url) else {
                throw RuleFileError(origin: origin, path: "", message: "missing from the bundle")
            }
            let changes = try IndicatorFileReader.changes(JSONNode.root(of: data, origin: origin), complete: true)
            var definitions: [IndicatorDefinition] = []
            for id in IndicatorID.allCases {
                let change = changes[id]!
                definitions.append(IndicatorDefinition(indicator: id, name: change.name!, definition: change.definition!,
                                                       targets: change.targets!, isAverage: change.isAverage ?? false))
            }
            return .success(IndicatorCatalogue(definitions: definitions, origins: [origin]))
        } catch {
            return .failure(error)
        }
    }()

    /// This catalogue amended by a district's indicator file (`data`, named `origin` in errors): each
    /// indicator it names takes the fields it gives (name, definition, average, targets — the
    /// targets replace the whole list).
    /// - Throws: ``RuleFileError`` naming the file and the JSON path (not JSON, unknown indicator or
    ///   field, a target with two checks, a value of the wrong kind).
    public func amended(with data: Data, origin: String) throws(RuleFileError) -> IndicatorCatalogue {
        var result = self
        for (id, change) in try IndicatorFileReader.changes(JSONNode.root(of: data, origin: origin), complete: false) {
            let index = IndicatorID.allCases.firstIndex(of: id)!
            if let name = change.name { result.definitions[index].name = name }
            if let definition = change.definition { result.definitions[index].definition = definition }
            if let targets = change.targets { result.definitions[index].targets = targets }
            if let isAverage = change.isAverage { result.definitions[index].isAverage = isAverage }
        }
        result.origins.append(origin)
        return result
    }

    /// The bundled catalogue amended by the district file at `path`.
    /// - Throws: ``RuleFileError`` naming the file (unreadable, not JSON, invalid).
    public static func load(path: String) throws -> IndicatorCatalogue {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw RuleFileError(origin: path, path: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        return try bundled().amended(with: data, origin: path)
    }
}

/// Reads an indicator file: `{"about"?, "indicators": {ID: {"name", "definition", "average"?,
/// "targets": [{"target", "plan", "clause", "atLeast" | "below" | "atLeastPerMonth"}]}}}`.
private enum IndicatorFileReader {
    /// What a file says of one indicator; nil fields are not given.
    struct Change {
        var name: String?
        var definition: String?
        var targets: [IndicatorTarget]?
        var isAverage: Bool?
    }

    /// The changes a file makes, by indicator. `complete`: the bundled file, which must define
    /// every indicator with its name, definition and targets.
    static func changes(_ root: JSONNode, complete: Bool) throws(RuleFileError) -> [IndicatorID: Change] {
        let top = try root.object(allowed: ["about", "indicators"])
        let indicators = try top.required("indicators").namedObject()
        var result: [IndicatorID: Change] = [:]
        for key in indicators.fields.keys.sorted() {
            let node = indicators.node.child(key, indicators.fields[key]!)
            guard let id = IndicatorID(rawValue: key) else {
                throw node.error("unknown indicator (allowed: \(IndicatorID.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let fields = try node.object(allowed: ["name", "definition", "average", "targets"])
            func field(_ name: String) throws(RuleFileError) -> JSONNode? {
                if complete && name != "average" { return try fields.required(name) }
                return fields.optional(name)
            }
            var change = Change()
            change.name = try field("name")?.string()
            change.definition = try field("definition")?.string()
            change.isAverage = try field("average")?.bool()
            if let targets = try field("targets") {
                change.targets = []
                for item in try targets.array() { change.targets!.append(try target(item)) }
            }
            result[id] = change
        }
        if complete, let missing = IndicatorID.allCases.first(where: { result[$0] == nil }) {
            throw top.node.child("indicators", .null).error("missing indicator \"\(missing.rawValue)\"")
        }
        return result
    }

    /// One target: its text, plan and clause, and at most one check.
    static func target(_ node: JSONNode) throws(RuleFileError) -> IndicatorTarget {
        let checks = ["atLeast", "below", "atLeastPerMonth"]
        let fields = try node.object(allowed: ["target", "plan", "clause"] + checks)
        let given = checks.filter { fields.optional($0) != nil }
        if given.count > 1 { throw node.error("a target has at most one check; found \(given.joined(separator: " and "))") }
        let bound: IndicatorTarget.Bound
        switch given.first {
        case "atLeast": bound = .atLeast(try fields.required("atLeast").number())
        case "below": bound = .below(try fields.required("below").number())
        case "atLeastPerMonth": bound = .atLeastPerMonth(try fields.required("atLeastPerMonth").positiveInt())
        default: bound = .direction
        }
        return IndicatorTarget(text: try fields.required("target").string(), plan: try fields.required("plan").string(),
                               clause: try fields.required("clause").string(), bound: bound)
    }
}
