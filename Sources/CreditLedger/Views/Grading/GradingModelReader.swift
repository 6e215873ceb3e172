import CreditFacts
import Foundation

/// Reads a grading model file and validates it: every field present and of its type, known
/// condition kinds and vocabulary words, positive points and windows, unique rule ids, level
/// thresholds strictly decreasing, shares within 0…1. Each problem is a ``GradingModelError``
/// naming the file and the JSON path.
struct GradingModelReader {
    /// The file, for errors.
    let origin: String

    func model(from data: Data) throws(GradingModelError) -> GradingModel {
        let root = try JSONNode.root(of: data, origin: origin).object(allowed: [
            "id", "title", "notes", "score", "levels", "deductions", "additions", "caps", "unratedWithout", "supervision",
        ])
        let score = try scoreRules(try root.required("score"))
        let model = GradingModel(
            id: try root.required("id").string(),
            title: try root.optional("title")?.string(allowEmpty: true) ?? "",
            notes: try (root.optional("notes")?.array() ?? []).map { (node) throws(GradingModelError) in try node.string(allowEmpty: true) },
            score: score,
            levels: try levels(try root.required("levels"), score: score),
            deductions: try rules(try root.required("deductions")),
            additions: try rules(root.optional("additions") ?? JSONNode(value: .array([]), path: "additions", origin: origin)),
            caps: try caps(root.optional("caps") ?? JSONNode(value: .array([]), path: "caps", origin: origin)),
            gradableRecords: try root.required("unratedWithout").words(GradableRecord.self),
            supervision: try supervision(try root.required("supervision")))
        try checkUniqueIDs(model)
        return model
    }

    private func scoreRules(_ node: JSONNode) throws(GradingModelError) -> ScoreRules {
        let fields = try node.object(allowed: ["start", "max", "min", "maxAdditions"])
        let rules = ScoreRules(start: try fields.required("start").int(), max: try fields.required("max").int(),
                               min: try fields.required("min").int(), maxAdditions: try fields.required("maxAdditions").int())
        guard rules.min <= rules.start, rules.start <= rules.max else {
            throw node.error("min ≤ start ≤ max must hold (min \(rules.min), start \(rules.start), max \(rules.max))")
        }
        guard rules.maxAdditions >= 0 else { throw try fields.required("maxAdditions").error("must not be negative") }
        return rules
    }

    /// Thresholds: A, B, C, D at most once each (never M), `minScore` strictly decreasing, the
    /// last reaching down to the score's minimum so that every score has a level.
    private func levels(_ node: JSONNode, score: ScoreRules) throws(GradingModelError) -> [LevelThreshold] {
        var result: [LevelThreshold] = []
        for item in try node.array(nonEmpty: true) {
            let fields = try item.object(allowed: ["level", "minScore"])
            let levelNode = try fields.required("level")
            let level = try levelNode.word(GradeLevel.self)
            if level == .M { throw levelNode.error("M is not earned by a score (it means not graded)") }
            if result.contains(where: { $0.level == level }) { throw levelNode.error("level \(level.rawValue) is listed twice") }
            if let previous = result.last, level < previous.level {
                throw levelNode.error("levels must run from best to worst (\(level.rawValue) after \(previous.level.rawValue))")
            }
            let minNode = try fields.required("minScore")
            let minScore = try minNode.int()
            if let previous = result.last, minScore >= previous.minScore {
                throw minNode.error("thresholds overlap: \(minScore) is not below \(previous.level.rawValue)'s \(previous.minScore)")
            }
            result.append(LevelThreshold(level: level, minScore: minScore))
        }
        if let last = result.last, last.minScore > score.min {
            throw node.error("no level for scores below \(last.minScore): the last threshold must be at most score.min (\(score.min))")
        }
        return result
    }

    private func rules(_ node: JSONNode) throws(GradingModelError) -> [GradingRule] {
        var result: [GradingRule] = []
        for item in try node.array() {
            let fields = try item.object(allowed: ["id", "title", "titleEn", "points", "when"])
            result.append(GradingRule(
                id: try fields.required("id").string(), title: try fields.optional("title")?.string(allowEmpty: true) ?? "",
                titleEn: try fields.optional("titleEn")?.string(),
                points: try fields.required("points").positiveInt(), condition: try condition(try fields.required("when"))))
        }
        return result
    }

    private func caps(_ node: JSONNode) throws(GradingModelError) -> [LevelCap] {
        var result: [LevelCap] = []
        for item in try node.array() {
            let fields = try item.object(allowed: ["id", "title", "titleEn", "maxLevel", "when"])
            let levelNode = try fields.required("maxLevel")
            let level = try levelNode.word(GradeLevel.self)
            if level == .M { throw levelNode.error("a cap must name A, B, C or D") }
            result.append(LevelCap(
                id: try fields.required("id").string(), title: try fields.optional("title")?.string(allowEmpty: true) ?? "",
                titleEn: try fields.optional("titleEn")?.string(), maxLevel: level, condition: try condition(try fields.required("when"))))
        }
        return result
    }

    /// A condition, as the grading model spells it.
    func condition(_ node: JSONNode) throws(GradingModelError) -> GradingCondition {
        try ConditionReader.gradingModel.condition(node)
    }

    private func supervision(_ node: JSONNode) throws(GradingModelError) -> SupervisionRules {
        let fields = try node.object(allowed: ["basis", "shares"])
        var shares: [GradeLevel: Double] = [:]
        let sharesNode = try fields.required("shares")
        for item in try sharesNode.array(nonEmpty: true) {
            let share = try item.object(allowed: ["level", "share"])
            let levelNode = try share.required("level")
            let level = try levelNode.word(GradeLevel.self)
            if shares[level] != nil { throw levelNode.error("level \(level.rawValue) is listed twice") }
            let valueNode = try share.required("share")
            let value = try valueNode.number()
            guard value >= 0, value <= 1 else { throw valueNode.error("must be a share between 0 and 1 (found \(value))") }
            shares[level] = value
        }
        if let missing = GradeLevel.allCases.first(where: { shares[$0] == nil }) {
            throw sharesNode.error("no share for level \(missing.rawValue)")
        }
        return SupervisionRules(basis: try fields.optional("basis")?.string(allowEmpty: true) ?? "", shares: shares)
    }

    /// Rule and cap ids are unique across the model (a reason names its rule by id).
    private func checkUniqueIDs(_ model: GradingModel) throws(GradingModelError) {
        var seen: Set<String> = []
        let groups: [(String, [String])] = [
            ("deductions", model.deductions.map(\.id)), ("additions", model.additions.map(\.id)), ("caps", model.caps.map(\.id)),
        ]
        for (group, ids) in groups {
            for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
                throw GradingModelError(origin: origin, path: "\(group)[\(index)].id", message: "duplicate rule id \"\(id)\"")
            }
        }
    }
}
