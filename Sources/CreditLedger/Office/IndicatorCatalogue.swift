import CreditFacts

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
    /// The plan and clause, e.g. `《上街区社会信用体系建设2023年工作要点》第14条: 重错码率要低于万分之一`.
    public var plan: String
    /// What is checked.
    public var bound: Bound

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

/// One indicator's definition: its identifier, its name as the plans write it, the formula in
/// words and the targets the plans set.
public struct IndicatorDefinition: Sendable, Hashable {
    /// A stable identifier (JSON and CSV key), e.g. `onTimeRate`.
    public var id: String
    /// The name, Chinese first, e.g. `及时率 (on-time rate)`.
    public var name: String
    /// The formula and what is counted, in words.
    public var definition: String
    /// The targets of the work plans, strictest first; empty when no plan sets one.
    public var targets: [IndicatorTarget]
    /// Whether a rate of this indicator is an average (facts per organisation) rather than a share.
    public var isAverage = false
}

/// The plans the targets come from, by title (the district work plans, 社会信用体系建设工作要点).
enum WorkPlan {
    static let yangpu2022 = "《2022年杨浦区社会信用体系建设工作要点》"
    static let jiading2019 = "《2019年嘉定区社会信用体系建设工作要点》"
    static let shangjie2023 = "《上街区社会信用体系建设2023年工作要点》"
    static let fengxian2023 = "《2023年奉贤区社会信用体系建设工作要点》"
}

/// The indicators (考核指标) the ledger computes, with their definitions and the plans' targets.
/// Identifiers are stable: documents, CSV columns and tests name them.
public enum IndicatorCatalogue {
    /// Facts whose effective date falls in the period.
    public static let factsReported = IndicatorDefinition(
        id: "factsReported", name: "归集数量 (facts recorded)",
        definition: "facts in the ledger whose effective date (the date of the act) falls in the period, per reporting department; refused lines and duplicates are not facts",
        targets: [IndicatorTarget(text: "全量归集 (everything reported)", plan: WorkPlan.fengxian2023 + ": 进一步提升各部门信息归集数量与质量", bound: .direction)])

    /// 双公示 acts judged against the deadline.
    public static let publicActs = IndicatorDefinition(
        id: "publicActs", name: "双公示事项 (acts under the publication deadline)",
        definition: "licences, penalties and the other administrative acts of the ten (act.recorded) effective in the period: the acts the 7-working-day publication deadline applies to (国办发〔2015〕51号)",
        targets: [])

    /// 及时率.
    public static let onTimeRate = IndicatorDefinition(
        id: "onTimeRate", name: "及时率 (on-time rate)",
        definition: "acts reported within the regime's working-day deadline after their effective date (7 working days, on the holiday calendar) ÷ acts judged (on time + late); acts whose deadline the calendar cannot give are not judged. A fact without a reporting time counts from the day it was recorded",
        targets: [IndicatorTarget(text: "100 %", plan: WorkPlan.shangjie2023 + " 第7条: 上报率、合规率、及时率均达到100%", bound: .atLeast(1))])

    /// 迟报率.
    public static let lateRate = IndicatorDefinition(
        id: "lateRate", name: "迟报率 (late rate)",
        definition: "acts reported after the working-day deadline ÷ acts judged (on time + late)",
        targets: [IndicatorTarget(text: "降低 (lower)", plan: WorkPlan.yangpu2022 + ": 提升数据“合规率”,降低“迟报率”“瞒报率”", bound: .direction)])

    /// 户均归集量.
    public static let factsPerOrganisation = IndicatorDefinition(
        id: "factsPerOrganisation", name: "户均归集量 (facts per registered organisation)",
        definition: "facts effective on or before the period's last day ÷ organisations (legal persons and other organisations, not persons) registered on or before it and not deregistered by then",
        targets: [IndicatorTarget(text: "≥ 4", plan: WorkPlan.jiading2019 + ": 公示的法人和非法人组织户均信息4条以上", bound: .atLeast(4))],
        isAverage: true)

    /// 告知承诺 commitments made, fulfilled, breached.
    public static let notificationCommitments = IndicatorDefinition(
        id: "notificationCommitments", name: "告知承诺 (notification-and-commitment)",
        definition: "commitments of kind approvalSubstitution (审批替代型/告知承诺) made in the period; fulfilled and breached: fulfilments and breaches recorded in the period, whenever the commitment was made",
        targets: [IndicatorTarget(text: "全量归集上报 (all collected and reported)", plan: WorkPlan.shangjie2023 + ": 信用承诺及履约践诺全量归集上报", bound: .direction)])

    /// 容缺受理 commitments made, fulfilled, breached.
    public static let missingDocumentsCommitments = IndicatorDefinition(
        id: "missingDocumentsCommitments", name: "容缺受理 (acceptance with documents missing)",
        definition: "commitments of kind missingDocuments (容缺受理型) made in the period; fulfilled and breached as for 告知承诺",
        targets: [IndicatorTarget(text: "全量归集上报 (all collected and reported)", plan: WorkPlan.shangjie2023 + ": 信用承诺及履约践诺全量归集上报", bound: .direction)])

    /// Repairs applied, approved, rejected.
    public static let repairs = IndicatorDefinition(
        id: "repairs", name: "信用修复 (credit repairs)",
        definition: "repair applications made in the period (any target: penalty, list entry, commitment); approved and rejected: decisions recorded in the period",
        targets: [])

    /// Repairs decided within the deadline.
    public static let repairsDecidedOnTime = IndicatorDefinition(
        id: "repairsDecidedOnTime", name: "修复按时办结率 (repairs decided within the deadline)",
        definition: "repair decisions recorded in the period made within the deadline after the application (CaseDeadlines: 10 working days by default) ÷ repair decisions recorded in the period",
        targets: [])

    /// List entries.
    public static let listEntries = IndicatorDefinition(
        id: "listEntries", name: "列入名单 (list entries)",
        definition: "list entries effective in the period, per list kind (a rolled-over abnormal-operation entry is counted once, as entered)",
        targets: [IndicatorTarget(text: "每年更新红黑名单不少于2次 (lists updated at least twice a year)", plan: WorkPlan.jiading2019 + ": 每年更新红黑名单不少于2次", bound: .direction)])

    /// List exits.
    public static let listExits = IndicatorDefinition(
        id: "listExits", name: "移出名单 (list exits)",
        definition: "list exits (list.exited) effective in the period, per list kind of the entry",
        targets: [])

    /// Joint-measure cases.
    public static let jointMeasureCases = IndicatorDefinition(
        id: "jointMeasureCases", name: "联合奖惩案例 (joint-measure cases)",
        definition: "measures applied (measure.applied feedback) dated in the period, per reporting department",
        targets: [IndicatorTarget(text: "每月不少于1例 (at least one a month)", plan: WorkPlan.jiading2019 + ": 联合奖惩典型案例通过区公共信用信息平台上报,每月不少于1例", bound: .atLeastPerMonth(1))])

    /// A-grade share under the grading model.
    public static let gradeAShare = IndicatorDefinition(
        id: "gradeAShare", name: "A级主体占比 (grade A share)",
        definition: "subjects at level A under the grading model on the report's last day ÷ subjects graded A to D (registered on or before it, not deregistered; level M, nothing recorded but registration, is not a grade)",
        targets: [])

    /// A-grade taxpayers.
    public static let taxGradeAShare = IndicatorDefinition(
        id: "taxGradeAShare", name: "A级纳税人占比 (A-grade taxpayers)",
        definition: "organisations whose latest tax evaluation (evaluation.published, scheme tax) published on or before the report's last day is A ÷ organisations registered and not deregistered (存续企业) on that day",
        targets: [IndicatorTarget(text: "≥ 15 %", plan: WorkPlan.shangjie2023 + ": 提升A级纳税人企业数量占存续企业总量比例达到15%", bound: .atLeast(0.15))])

    /// Penetration coverage.
    public static let penetrationCoverage = IndicatorDefinition(
        id: "penetrationCoverage", name: "穿透关联率 (penetration coverage)",
        definition: "organisations' dishonesty records in force on the report's last day linked to at least one responsible person ÷ those records",
        targets: [IndicatorTarget(text: "100 %", plan: WorkPlan.jiading2019 + ": 将单位失信记录100%穿透关联至其主要负责人和直接责任人失信记录", bound: .atLeast(1))])

    /// 合规率.
    public static let complianceRate = IndicatorDefinition(
        id: "complianceRate", name: "合规率 (compliance rate)",
        definition: "facts accepted ÷ lines received (accepted + refused, every refusal counted: invalid code, invalid value, conflict, …), since the ledger's intake counters began; duplicates are neither",
        targets: [IndicatorTarget(text: "100 %", plan: WorkPlan.shangjie2023 + " 第7条: 上报率、合规率、及时率均达到100%", bound: .atLeast(1))])

    /// 重错码率.
    public static let codeErrorRate = IndicatorDefinition(
        id: "codeErrorRate", name: "重错码率 (code error rate)",
        definition: "(lines refused for an invalid code (错码) + codes reported under a second name (重码)) ÷ codes received (accepted + refused lines), since the intake counters began",
        targets: [
            IndicatorTarget(text: "< 0.01 % (万分之一)", plan: WorkPlan.shangjie2023 + " 第14条: 重错码率要低于万分之一", bound: .below(0.0001)),
            IndicatorTarget(text: "≤ 1 ‰", plan: WorkPlan.jiading2019 + ": 重错码率控制在1‰以内", bound: .below(0.001)),
        ])

    /// 重复报送.
    public static let duplicates = IndicatorDefinition(
        id: "duplicates", name: "重复报送 (duplicates received)",
        definition: "identical copies of facts already in the ledger received again, since the intake counters began",
        targets: [])

    /// Every indicator, in the order documents list them.
    public static let all: [IndicatorDefinition] = [
        factsReported, publicActs, onTimeRate, lateRate, factsPerOrganisation, notificationCommitments,
        missingDocumentsCommitments, repairs, repairsDecidedOnTime, listEntries, listExits, jointMeasureCases, gradeAShare,
        taxGradeAShare, penetrationCoverage, complianceRate, codeErrorRate, duplicates,
    ]
}
