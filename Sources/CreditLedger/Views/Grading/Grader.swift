import CreditFacts
import Foundation

/// Applies a ``GradingModel`` to the views as of a date (信用分级分类监管): a subject's grade with its
/// reasons, the distribution of grades over every subject, and the random inspection draw per
/// grade (双随机). Grades are computed when asked, from the facts the views keep, so a repair, a
/// revocation, an exit or an expiry changes a grade from its own date, and a past `knownAt` gives
/// the grade the ledger showed then. Pure queries over a subject's ``Standing`` (or, for a
/// distribution, ``StatusViews``); ``Ledger`` wraps them with the time axes.
public struct Grader: Sendable {
    /// The model applied.
    public let model: GradingModel
    /// The rules the status views judge by.
    public let context: ViewContext
    /// Reverse penetration (a person's links to organisations' records).
    let penetration: Penetration
    /// Whether any rule of the model looks at linked organisations (otherwise a distribution does
    /// not read them at all).
    let needsLinks: Bool
    /// The model's gradable record kinds as bits.
    let gradable: GradableRecords
    /// What a distribution reads of each standing beside its penalties, list entries and
    /// commitments: honours, contracts and evaluations only when a rule or the gradable kinds look
    /// at them; never the registration, licences or repairs, which no rule reads.
    let parts: Standing.Parts
    /// The kinds of the deductions', additions' and caps' conditions, in the model's order: a
    /// rule whose records a standing does not hold is skipped without reading its condition.
    let deductionKinds: [ConditionKind], additionKinds: [ConditionKind], capKinds: [ConditionKind]

    /// Creates a grader for `model` under the ledger's rules.
    public init(model: GradingModel, context: ViewContext) {
        self.model = model
        self.context = context
        penetration = Penetration(policy: .standard, context: context)
        let conditions = model.deductions.map(\.condition) + model.additions.map(\.condition) + model.caps.map(\.condition)
        gradable = GradableRecords(model.gradableRecords)
        needsLinks = conditions.contains { if case .linkedSeriousDishonesty = $0 { true } else { false } }
        let readsConduct = conditions.contains {
            switch $0 {
            case .honour, .contractDefault, .evaluation: true
            default: false
            }
        }
        deductionKinds = model.deductions.map(\.condition.kind)
        additionKinds = model.additions.map(\.condition.kind)
        capKinds = model.caps.map(\.condition.kind)
        parts = readsConduct || gradable.containsAny(of: GradableRecords([.honour, .contract, .evaluation])) ? .conduct : []
    }

    /// The grade of the subject whose standing this is, on the standing's date, with every reason.
    public func grade(_ standing: Standing) -> Grade {
        var reasons: [GradeReason] = []
        let (level, score) = evaluate(standing, reasons: &reasons, collecting: true)
        return Grade(subject: standing.subject, model: model.id, asOf: standing.asOf, level: level, score: score, reasons: reasons)
    }

    /// The level alone (no reasons: the distribution's fast path).
    public func level(_ standing: Standing) -> GradeLevel {
        var none: [GradeReason] = []
        return evaluate(standing, reasons: &none, collecting: false).0
    }

    /// Applies the model to one standing: its level and score. Reasons are appended to `reasons`
    /// only when `collecting` (the distribution's fast path builds none).
    func evaluate(_ standing: Standing, reasons: inout [GradeReason], collecting: Bool) -> (GradeLevel, Int) {
        let date = standing.asOf
        var applied = false
        var deducted = 0, added = 0
        // The rules are read in place, and only those whose records the standing holds (a
        // distribution evaluates them for every subject: copying each rule, with its texts, or
        // even its condition, cost more than judging it).
        model.deductions.withUnsafeBufferPointer { rules in
            for index in rules.indices where standing.mayMeet(deductionKinds[index]) {
                standing.forEachGradingHit(rules[index].condition) { hit in
                    deducted += rules[index].points
                    applied = true
                    if collecting { reasons.append(GradeReason(hit, rule: rules[index].id, points: -rules[index].points)) }
                }
            }
        }
        model.additions.withUnsafeBufferPointer { rules in
            for index in rules.indices where standing.mayMeet(additionKinds[index]) {
                standing.forEachGradingHit(rules[index].condition) { hit in
                    added += rules[index].points
                    applied = true
                    if collecting { reasons.append(GradeReason(hit, rule: rules[index].id, points: rules[index].points)) }
                }
            }
        }
        var level = GradeLevel.A
        model.caps.withUnsafeBufferPointer { caps in
            for index in caps.indices where standing.mayMeet(capKinds[index]) {
                standing.forEachGradingHit(caps[index].condition) { hit in
                    level = max(level, caps[index].maxLevel)
                    applied = true
                    if collecting { reasons.append(GradeReason(hit, rule: caps[index].id, points: 0)) }
                }
            }
        }
        if !applied && !standing.gradable.containsAny(of: gradable) {
            return (.M, model.score.start)
        }
        if collecting { reasons.sort { ($0.date, $0.ref, $0.rule) < ($1.date, $1.ref, $1.rule) } }
        let score = boundedScore(deducted: deducted, added: added, asOf: date, reasons: &reasons, collecting: collecting)
        return (max(level, model.level(forScore: score)), score)
    }

    /// Start − deductions + additions (at most `maxAdditions`), within [min, max]; each bound that
    /// bites is an adjustment reason, so that start + Σ reasons = score.
    private func boundedScore(deducted: Int, added: Int, asOf date: LegalDate, reasons: inout [GradeReason], collecting: Bool) -> Int {
        let rules = model.score
        let counted = min(added, rules.maxAdditions)
        if counted < added, collecting { reasons.append(.adjustment("score.maxAdditions", counted - added, date)) }
        var score = rules.start - deducted + counted
        if score > rules.max {
            if collecting { reasons.append(.adjustment("score.max", rules.max - score, date)) }
            score = rules.max
        } else if score < rules.min {
            if collecting { reasons.append(.adjustment("score.min", rules.min - score, date)) }
            score = rules.min
        }
        return score
    }
}

extension GradeReason {
    /// A reason for a record that met a rule.
    init(_ hit: GradingHit, rule: String, points: Int) {
        self.init(fact: hit.fact, ref: hit.ref, rule: rule, points: points, date: hit.date, via: hit.via)
    }

    /// A score adjustment (a bound that bites).
    static func adjustment(_ rule: String, _ points: Int, _ date: LegalDate) -> GradeReason {
        GradeReason(fact: nil, ref: "", rule: rule, points: points, date: date)
    }
}
