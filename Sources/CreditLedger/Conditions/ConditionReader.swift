import CreditFacts

/// The one reader of ``Condition``s in rule files. Each file format keeps its own spelling — the
/// kinds it allows, their names and fields, and its own checks — as a table of ``Spelling``s; the
/// reading, the refusal of unknown kinds and fields, and the errors with file and JSON path are
/// shared.
struct ConditionReader: Sendable {
    /// How one kind is spelled in a file: its name, its fields and how they make a condition.
    struct Spelling: Sendable {
        /// The kind's name in the file (`"kind": "breachWithin"`).
        var name: String
        /// The fields it takes, besides `kind`.
        var fields: [String]
        /// Makes the condition from the kind's fields (already checked against `fields`).
        var read: @Sendable (JSONFields, JSONNode) throws(GradingModelError) -> Condition
    }

    /// What the file calls a condition, in errors (`condition`, `trigger`).
    var noun: String
    /// How the file's errors name a kind it does not know (`unknown condition kind`, `unknown value`).
    var unknownKind: String
    /// The kinds the file allows, in the order errors list them.
    var spellings: [Spelling]

    /// The condition `node` spells.
    func condition(_ node: JSONNode) throws(GradingModelError) -> Condition {
        guard case .object(let raw) = node.value, let kindValue = raw["kind"] else {
            throw node.error("a \(noun) is an object with a \"kind\" (allowed: \(allowed))")
        }
        let kindNode = node.child("kind", kindValue)
        let name = try kindNode.string()
        guard let spelling = spellings.first(where: { $0.name == name }) else {
            throw kindNode.error("\(unknownKind) \"\(name)\" (allowed: \(allowed))")
        }
        return try spelling.read(try node.object(allowed: ["kind"] + spelling.fields), node)
    }

    private var allowed: String { spellings.map(\.name).joined(separator: ", ") }
}

extension ConditionReader {
    /// The grading model's spelling: rules and caps `when`.
    static let gradingModel = ConditionReader(noun: "condition", unknownKind: "unknown condition kind", spellings: [
        Spelling(name: "penaltyInPublicity", fields: ["severity"]) { fields, _ throws(GradingModelError) in
            .penaltyInPublicity(severities: try publishedSeverities(try fields.required("severity")), fields: nil)
        },
        Spelling(name: "onList", fields: ["lists"]) { fields, _ throws(GradingModelError) in
            .onList(lists: try fields.required("lists").words(ListKind.self), fields: nil)
        },
        Spelling(name: "breachWithin", fields: ["months", "breaches"]) { fields, _ throws(GradingModelError) in
            .breachedCommitment(breaches: try fields.required("breaches").words(BreachKind.self), severities: nil,
                                withinMonths: try fields.required("months").positiveInt(), untilRepaired: false)
        },
        Spelling(name: "contractDefaultWithin", fields: ["months"]) { fields, _ throws(GradingModelError) in
            .contractDefault(withinMonths: try fields.required("months").positiveInt())
        },
        Spelling(name: "honourWithin", fields: ["years", "levels"]) { fields, _ throws(GradingModelError) in
            .honour(levels: try fields.required("levels").words(HonourLevel.self), withinYears: try fields.required("years").positiveInt())
        },
        Spelling(name: "linkedSeriousDishonesty", fields: ["lists", "penaltySeverity", "bases"]) { fields, _ throws(GradingModelError) in
            .linkedSeriousDishonesty(lists: try fields.required("lists").words(ListKind.self),
                                     penaltySeverities: try publishedSeverities(try fields.required("penaltySeverity")),
                                     bases: try fields.required("bases").words(LinkBasis.self))
        },
        Spelling(name: "evaluation", fields: ["scheme", "grades"]) { fields, _ throws(GradingModelError) in try evaluation(fields) },
    ])

    /// `{"kind": "evaluation", "scheme": "tax", "grades": ["D"]}`: a department's evaluation.
    private static func evaluation(_ fields: JSONFields) throws(GradingModelError) -> Condition {
        var grades: [String] = []
        for node in try fields.required("grades").array(nonEmpty: true) {
            let grade = try node.string()
            if grades.contains(grade) { throw node.error("\"\(grade)\" is listed twice") }
            grades.append(grade)
        }
        return .evaluation(scheme: try fields.required("scheme").string(), grades: grades)
    }

    /// The measures catalogue's spelling: a measure's `triggers` and `unless`.
    static let measuresCatalogue = ConditionReader(noun: "trigger", unknownKind: "unknown value", spellings: [
        Spelling(name: "onList", fields: ["lists", "fields"]) { fields, _ throws(GradingModelError) in
            .onList(lists: try fields.required("lists").words(ListKind.self), fields: try fields.optional("fields")?.words(RegulatoryField.self))
        },
        Spelling(name: "grade", fields: ["levels"]) { fields, _ throws(GradingModelError) in
            .grade(levels: try fields.required("levels").words(GradeLevel.self))
        },
        Spelling(name: "evaluation", fields: ["scheme", "grades"]) { fields, _ throws(GradingModelError) in try evaluation(fields) },
        Spelling(name: "breachedCommitment", fields: ["breach", "severity", "withinMonths", "untilRepaired"]) { fields, node throws(GradingModelError) in
            let within = try fields.optional("withinMonths").map { (n) throws(GradingModelError) in try n.positiveInt() }
            let untilRepaired = try fields.optional("untilRepaired")?.flag() ?? false
            if within == nil && !untilRepaired {
                throw node.error("a breachedCommitment trigger needs withinMonths or untilRepaired: a measure must end")
            }
            return .breachedCommitment(breaches: try fields.required("breach").words(BreachKind.self),
                                       severities: try fields.optional("severity")?.words(Severity.self),
                                       withinMonths: within, untilRepaired: untilRepaired)
        },
        Spelling(name: "penaltyInPublicity", fields: ["severity", "fields"]) { fields, _ throws(GradingModelError) in
            .penaltyInPublicity(severities: try fields.required("severity").words(Severity.self),
                                fields: try fields.optional("fields")?.words(RegulatoryField.self))
        },
        Spelling(name: "honour", fields: ["levels", "withinYears"]) { fields, _ throws(GradingModelError) in
            .honour(levels: try fields.required("levels").words(HonourLevel.self), withinYears: try fields.required("withinYears").positiveInt())
        },
    ])

    /// Penalty classes a grading rule may name: minor penalties are never published (包容审慎), so
    /// a rule on them would never apply and is refused as a mistake.
    private static func publishedSeverities(_ node: JSONNode) throws(GradingModelError) -> [Severity] {
        let severities = try node.words(Severity.self)
        if severities.contains(.minor) { throw node.error("minor penalties are not published and never count") }
        return severities
    }
}
