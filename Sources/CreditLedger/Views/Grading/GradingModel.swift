import CreditFacts
import Foundation

/// A credit grade (信用等级) of the classified-supervision scheme (信用分级分类监管): A best, D worst,
/// and M for a subject with nothing to grade (无记载不评价). Ordered A < B < C < D < M, the order
/// distributions list them in; "at most B" means B, C or D.
public enum GradeLevel: String, Sendable, CaseIterable, Comparable {
    /// Good credit: lower inspection ratio and frequency.
    case A
    /// Normal credit.
    case B
    /// Poor credit: raised inspection.
    case C
    /// Dishonest: sharply raised inspection.
    case D
    /// Not graded: nothing but registration and roles is recorded.
    case M

    /// The position in `allCases`: 0 for A … 4 for M.
    var index: Int {
        switch self {
        case .A: 0
        case .B: 1
        case .C: 2
        case .D: 3
        case .M: 4
        }
    }

    /// Orders A < B < C < D < M.
    public static func < (lhs: GradeLevel, rhs: GradeLevel) -> Bool { lhs.index < rhs.index }
}

/// A scoring rule: a condition and the points it moves the score by, per record that meets it.
public struct GradingRule: Sendable, Hashable {
    /// A stable id, unique in the model, named in grade reasons (e.g. `deduct.penalty.serious`).
    public var id: String
    /// What the rule is, in words (in the district's language: Chinese in the bundled model).
    public var title: String
    /// What the rule is in English (`--lang en`), when the model gives it.
    public var titleEn: String?
    /// Points per record, positive; deductions subtract them, additions add them.
    public var points: Int
    /// When it applies.
    public var condition: GradingCondition

    /// Creates a rule.
    public init(id: String, title: String, titleEn: String? = nil, points: Int, condition: GradingCondition) {
        self.id = id
        self.title = title
        self.titleEn = titleEn
        self.points = points
        self.condition = condition
    }
}

/// A level cap: while its condition holds the grade is at most `maxLevel`, whatever the score —
/// `B` is a "cannot be A" condition (不得评为A级), `D` a direct-D condition (直接判为D级).
public struct LevelCap: Sendable, Hashable {
    /// A stable id, unique in the model.
    public var id: String
    /// What the cap is, in words (in the district's language: Chinese in the bundled model).
    public var title: String
    /// What the cap is in English (`--lang en`), when the model gives it.
    public var titleEn: String?
    /// The best level allowed while the condition holds (A, B, C or D).
    public var maxLevel: GradeLevel
    /// When it applies.
    public var condition: GradingCondition

    /// Creates a cap.
    public init(id: String, title: String, titleEn: String? = nil, maxLevel: GradeLevel, condition: GradingCondition) {
        self.id = id
        self.title = title
        self.titleEn = titleEn
        self.maxLevel = maxLevel
        self.condition = condition
    }
}

/// The score's bounds: where it starts, that it never exceeds `max` nor falls below `min`, and the
/// most all additions together may add.
public struct ScoreRules: Sendable, Hashable {
    /// The starting score (100).
    public var start: Int
    /// The highest score (100: additions never lift a score above it).
    public var max: Int
    /// The lowest score (0).
    public var min: Int
    /// The most the additions may add in total (5).
    public var maxAdditions: Int

    /// Creates score rules.
    public init(start: Int, max: Int, min: Int, maxAdditions: Int) {
        self.start = start
        self.max = max
        self.min = min
        self.maxAdditions = maxAdditions
    }
}

/// A level threshold: a score of at least `minScore` earns `level` (the first threshold met, from
/// the highest).
public struct LevelThreshold: Sendable, Hashable {
    /// The level.
    public var level: GradeLevel
    /// The lowest score of the level.
    public var minScore: Int

    /// Creates a threshold.
    public init(level: GradeLevel, minScore: Int) {
        self.level = level
        self.minScore = minScore
    }
}

/// The kinds of record whose presence makes a subject gradable: a subject with none of them dated
/// on or before the date (and no rule applying) is M (无记载不评价).
public enum GradableRecord: String, Sendable, Hashable, CaseIterable {
    /// Any penalty decision (any class and status).
    case penalty
    /// Any list entry (any list and status).
    case listEntry
    /// Any commitment.
    case commitment
    /// Any honour.
    case honour
    /// Any contract performance or default.
    case contract
    /// Any published evaluation of another scheme.
    case evaluation
}

/// Supervision frequency per level (双随机、一公开): the share of each level's subjects drawn for
/// random inspection.
public struct SupervisionRules: Sendable, Hashable {
    /// Where the shares come from, in words.
    public var basis: String
    /// The share (0…1) of each level, indexed by level (A, B, C, D, M).
    public var shares: [GradeLevel: Double]

    /// Creates supervision rules.
    public init(basis: String, shares: [GradeLevel: Double]) {
        self.basis = basis
        self.shares = shares
    }

    /// The share of `level` (0 when the model gives none).
    public func share(of level: GradeLevel) -> Double { shares[level] ?? 0 }
}

/// A grading model (信用分级分类监管模型) as data: the score rules, level thresholds, deductions,
/// additions, level caps ("cannot be A", direct D), what makes a subject gradable (M otherwise)
/// and the supervision shares per level. The default ships as `grading-default.json`; districts
/// and industries load their own files (``load(path:)``), each validated on load.
public struct GradingModel: Sendable, Hashable {
    /// The model's id (e.g. `default`, `district-310114`, `industry-food`), named in every grade.
    public var id: String
    /// What the model is, in words.
    public var title: String
    /// Notes: sources, and which numbers are UNCONFIRMED.
    public var notes: [String]
    /// Start, bounds and the additions cap.
    public var score: ScoreRules
    /// Thresholds from the best level down (strictly decreasing `minScore`).
    public var levels: [LevelThreshold]
    /// Rules that subtract points.
    public var deductions: [GradingRule]
    /// Rules that add points (capped by `score.maxAdditions`).
    public var additions: [GradingRule]
    /// Level caps.
    public var caps: [LevelCap]
    /// Records that make a subject gradable.
    public var gradableRecords: [GradableRecord]
    /// Inspection shares per level.
    public var supervision: SupervisionRules

    /// Creates a model from its parts (no validation: use ``init(jsonData:origin:)`` for files).
    public init(id: String, title: String, notes: [String], score: ScoreRules, levels: [LevelThreshold],
                deductions: [GradingRule], additions: [GradingRule], caps: [LevelCap],
                gradableRecords: [GradableRecord], supervision: SupervisionRules) {
        self.id = id
        self.title = title
        self.notes = notes
        self.score = score
        self.levels = levels
        self.deductions = deductions
        self.additions = additions
        self.caps = caps
        self.gradableRecords = gradableRecords
        self.supervision = supervision
    }

    /// Reads and validates a model file's contents; `origin` names the file in errors.
    /// - Throws: ``GradingModelError`` naming the file, the JSON path and the problem.
    public init(jsonData: Data, origin: String) throws(GradingModelError) {
        self = try GradingModelReader(origin: origin).model(from: jsonData)
    }

    /// Reads and validates the model file at `path`.
    /// - Throws: ``GradingModelError`` naming the file (unreadable, not JSON, invalid).
    public static func load(path: String) throws(GradingModelError) -> GradingModel {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw GradingModelError(origin: path, path: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        return try GradingModel(jsonData: data, origin: path)
    }

    /// The default model bundled with the library (`grading-default.json`), read once.
    /// - Throws: ``GradingModelError`` if the bundled file is missing or invalid.
    public static func bundledDefault() throws -> GradingModel { try bundled.get() }

    private static let bundled: Result<GradingModel, GradingModelError> = {
        do throws(GradingModelError) {
            return .success(try GradingModel(jsonData: try bundledJSON(), origin: "grading-default.json"))
        } catch {
            return .failure(error)
        }
    }()

    /// The bundled default model file's bytes.
    static func bundledJSON() throws(GradingModelError) -> Data {
        guard let url = Bundle.module.url(forResource: "Resources/grading-default", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            throw GradingModelError(origin: "grading-default.json", path: "", message: "missing from the bundle")
        }
        return data
    }

    /// The level a score earns by the thresholds alone (the lowest level for a score below all).
    public func level(forScore score: Int) -> GradeLevel {
        levels.first { score >= $0.minScore }?.level ?? levels.last?.level ?? .D
    }
}

/// A problem in a grading model file.
public typealias GradingModelError = RuleFileError
