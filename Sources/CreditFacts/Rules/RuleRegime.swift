/// The rules in force from one date: publicity periods, repair, lists, severity classification,
/// deadlines. Loaded from data (``RuleBook``), never spelled out in code.
public struct RuleRegime: Sendable, Hashable {
    /// First day the regime governs (by a fact's effective date).
    public var from: LegalDate
    /// The instrument that set it, e.g. `发改办财金〔2019〕527号`.
    public var instrument: String
    /// The channel (publishing authority) whose timeline it belongs to: ``RuleBook/baseChannel``
    /// for the national (信用中国) regimes, e.g. `samrPublicity` for market regulation's.
    public var channel: String
    /// Penalty publicity by severity.
    public var penaltyPublicity: PenaltyPublicityRules
    /// Repair eligibility.
    public var repair: RepairRules
    /// List periods and grace periods.
    public var lists: ListRules
    /// The fines up to which the summary procedure may be used (行政处罚法 2021 Art. 51).
    public var summaryProcedure: SummaryProcedureThresholds
    /// How penalties without a stated severity are classified.
    public var severity: SeverityRules
    /// 双公示: licences and penalties go online within this many working days of the decision.
    public var publicationDeadlineWorkingDays: Int
    /// How long dishonesty information stays queryable before it is archived from views.
    public var dishonestyRetention: CalendarPeriod
    /// From what the retention is counted (查询期限的起算). Absent in a file: ``RetentionAnchor/finding``.
    public var dishonestyRetentionFrom: RetentionAnchor?

    /// The retention anchor in force (``RetentionAnchor/finding`` when the file names none).
    public var retentionAnchor: RetentionAnchor { dishonestyRetentionFrom ?? .finding }

    /// From when a record is archived from the views: the retention counted from its anchor (the
    /// finding — a penalty's decision, a list entry's listing — or the end of its publicity), but
    /// never while it is still published or listed: the provinces extend the period until the
    /// subject leaves the list (Zhejiang Art. 16, Henan Art. 19). `ended` is nil while it stands.
    public func archivedFrom(found: LegalDate, ended: LegalDate?) -> LegalDate? {
        guard let ended else { return nil }
        switch retentionAnchor {
        case .publicityEnded: return dishonestyRetention.after(ended)
        case .finding: return max(dishonestyRetention.after(found), ended)
        }
    }
    /// Dotted names of parameters whose value was not found in an instrument (placeholders).
    public var unconfirmed: [String]
}

/// What a dishonesty record's retention (查询期限) is counted from.
public enum RetentionAnchor: String, Sendable, Hashable, CaseIterable {
    /// From the finding: a penalty's decision date, a list entry's listing date (Zhejiang Art. 16
    /// 自认定之日起; Shanghai Art. 35 counts from the end of the act or event, which the ledger does
    /// not record — the finding is the nearest recorded date after it).
    case finding
    /// From the day publicity (or the listing) ended.
    case publicityEnded
}

/// Publicity of penalty information per severity.
public struct PenaltyPublicityRules: Sendable, Hashable {
    /// 轻微.
    public var minor: PublicityRule
    /// 一般.
    public var general: PublicityRule
    /// 严重.
    public var serious: PublicityRule
    /// A penalty on a person younger than this on the decision date is recorded but not
    /// published; nil: no age rule. The bundled regimes say 18 (seed 003: 对未成年人失信行为…应宽容
    /// 审慎进行认定、记录和惩戒; 行政处罚法 Art. 30 already mitigates penalties from 14 to 18).
    public var unpublishedUnderAge: Int?
    /// A shorter publicity for decisions imposing only light penalties, whatever their class (SAMR
    /// Order 45 Art. 13: 仅受到通报批评或者较低数额罚款的, 公示期满三个月停止公示); nil: none.
    public var shortPublicity: ShortPublicityRule?

    /// The rule for `severity`.
    public subscript(severity: Severity) -> PublicityRule {
        switch severity {
        case .minor: minor
        case .general: general
        case .serious: serious
        }
    }
}

/// Publicity cut short for decisions imposing only light penalties (SAMR Order 45 Art. 13): a
/// decision whose kinds are all among `kinds`, decided under the ordinary procedure (Art. 2: only
/// those are published), and whose fine, if any, is at most `fineUpToYuan` (较低数额罚款, set by the
/// provincial market regulator; no fine qualifies when nil) is published for `period` from the
/// decision and stops then. It cannot be repaired early: it simply ends (SAMR's 2021 repair
/// measures exclude 通报批评 and 较低数额罚款 from repair).
public struct ShortPublicityRule: Sendable, Hashable {
    /// The light kinds (通报批评, 罚款).
    public var kinds: [PenaltyKind]
    /// The highest fine that counts as light; nil: a decision with a fine never qualifies.
    public var fineUpToYuan: Int?
    /// How long such a decision is published.
    public var period: CalendarPeriod

    /// Whether `decision` is light under this rule.
    public func covers(_ decision: PenaltyDecision) -> Bool {
        guard decision.procedure != .summary, decision.kinds.kinds.allSatisfy(kinds.contains) else { return false }
        guard let fine = decision.fine else { return true }
        return fineUpToYuan.map { fine <= Yuan(yuan: $0) } ?? false
    }
}

/// Whether and how long one class of information is published, counted from the decision date.
public struct PublicityRule: Sendable, Hashable {
    /// Whether it is published at all.
    public var published: Bool
    /// Shortest publicity: repair may be applied for once it has passed.
    public var minimum: CalendarPeriod?
    /// Longest publicity: publication stops automatically at its end.
    public var maximum: CalendarPeriod?
    /// For unpublished classes: the longest publicity if an authority publishes anyway (e.g. minor ≤ 3 months).
    public var maximumIfPublished: CalendarPeriod?
    /// A longer minimum in some fields, by field name (SAMR 2021 repair measures: one year for
    /// food, drugs and special equipment); `minimum` elsewhere.
    public var minimumByField: [String: CalendarPeriod]?

    /// The minimum period for a penalty in `field`.
    public func minimum(in field: RegulatoryField) -> CalendarPeriod? {
        minimumByField?[field.rawValue] ?? minimum
    }
}

/// Conditions of credit repair (信用修复).
public struct RepairRules: Sendable, Hashable {
    /// Repair may be applied for only once the minimum publicity period has passed.
    public var eligibleAfterMinimumPeriod: Bool
    /// Every obligation of the penalty must have been performed (`penalty.performed`).
    public var requiresObligationsPerformed: Bool
    /// A public repair commitment (信用修复承诺) is required.
    public var requiresRepairCommitment: Bool
    /// Penalty kinds whose publicity cannot be stopped early by repair in any field (SAMR Order 45
    /// Art. 14(3) on its channel: suspension, business restriction, trade ban, qualification
    /// downgrade, licence and business-licence revocation). Empty when absent.
    public var notRepairableKinds: [PenaltyKind]
    /// Kinds not repairable in some fields only (527号 特定严重失信行为: suspension and licence
    /// revocations in food and drugs, environment, construction, work and fire safety). Empty when absent.
    public var notRepairable: [NotRepairableRule]

    init(reading node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["eligibleAfterMinimumPeriod", "requiresObligationsPerformed", "requiresRepairCommitment",
                                                "notRepairableKinds", "notRepairable"])
        eligibleAfterMinimumPeriod = try fields.required("eligibleAfterMinimumPeriod").bool()
        requiresObligationsPerformed = try fields.required("requiresObligationsPerformed").bool()
        requiresRepairCommitment = try fields.required("requiresRepairCommitment").bool()
        notRepairableKinds = try fields.optional("notRepairableKinds").map { node throws(RuleFileError) in try node.wordsOrNone(PenaltyKind.self) } ?? []
        notRepairable = []
        for rule in try fields.optional("notRepairable")?.array() ?? [] {
            let ruleFields = try rule.object(allowed: ["kinds", "fields"])
            notRepairable.append(NotRepairableRule(
                kinds: try ruleFields.required("kinds").words(PenaltyKind.self),
                fields: try ruleFields.optional("fields").map { node throws(RuleFileError) in try node.words(RegulatoryField.self) }))
        }
    }

    /// The kinds of a decision (`kinds`, in `field`) that bar its repair under these rules, in
    /// ``PenaltyKind`` order; empty when it may be repaired.
    public func blockingKinds(_ kinds: PenaltyKinds, field: RegulatoryField) -> [PenaltyKind] {
        kinds.kinds.filter { kind in
            notRepairableKinds.contains(kind) || notRepairable.contains { $0.kinds.contains(kind) && ($0.fields?.contains(field) ?? true) }
        }
    }
}

/// Penalty kinds that cannot be repaired, in the named fields (every field when none are named).
public struct NotRepairableRule: Sendable, Hashable {
    /// The kinds.
    public var kinds: [PenaltyKind]
    /// The fields; nil: every field.
    public var fields: [RegulatoryField]?
}

/// Periods of the lists (名单).
public struct ListRules: Sendable, Hashable {
    /// 严重失信主体名单 (SAMR Order 44): period and early removal.
    public var seriousDishonesty: SeriousDishonestyListRule
    /// 经营异常名录: rollover to the serious list.
    public var abnormalOperation: AbnormalOperationListRule
    /// 失信被执行人 (法释〔2017〕7号, 法发〔2019〕35号).
    public var judgmentDefaulter: JudgmentDefaulterListRule
    /// 重点关注名单.
    public var keyAttention: KeyAttentionListRule
    /// 红黑名单交叉比对: a subject on any of these lists on a date is refused a red-list entry on that
    /// date. Absent in a file: ``defaultRedListBarredBy``.
    public var redListBarredBy: [ListKind]?

    /// The lists that bar a red-list entry when a file names none: the dishonesty lists (严重失信,
    /// 经营异常, 失信被执行人).
    public static let defaultRedListBarredBy: [ListKind] = [.seriousDishonesty, .abnormalOperation, .judgmentDefaulter]

    /// The lists that bar a red-list entry under this regime.
    public var redListBarringLists: [ListKind] { redListBarredBy ?? Self.defaultRedListBarredBy }
}

/// Serious-dishonesty list periods.
public struct SeriousDishonestyListRule: Sendable, Hashable {
    /// Listing period.
    public var period: CalendarPeriod
    /// Earliest early removal.
    public var earlyRemovalAfter: CalendarPeriod
}

/// Abnormal-operation list rollover.
public struct AbnormalOperationListRule: Sendable, Hashable {
    /// Still listed after this long → serious-dishonesty list.
    public var rolloverToSeriousDishonestyAfter: CalendarPeriod
}

/// Judgment-defaulter list periods.
public struct JudgmentDefaulterListRule: Sendable, Hashable {
    /// Listing period for grounds (2)–(6).
    public var period: CalendarPeriod
    /// Shortest extension for serious cases.
    public var extensionMinimum: CalendarPeriod
    /// Longest extension.
    public var extensionMaximum: CalendarPeriod
    /// Shortest grace period before publication (宽限期): a listing's `publishFrom` later than its
    /// date is refused before this (法发〔2019〕35号: 1 to 3 months).
    public var gracePeriodMinimum: CalendarPeriod
    /// Longest grace period: a later `publishFrom` is refused.
    public var gracePeriodMaximum: CalendarPeriod
    /// Whether minors may be listed: always false. 法释〔2017〕7号 Art. 4 forbids it and no regime
    /// changes that, so the fact's own validation refuses a minor on the list and a rule file that
    /// sets this to true is refused rather than silently ignored.
    public var minorsMayBeListed: Bool

    init(reading node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["period", "extensionMinimum", "extensionMaximum", "gracePeriodMinimum", "gracePeriodMaximum",
                                                "minorsMayBeListed"])
        period = try fields.required("period").period()
        extensionMinimum = try fields.required("extensionMinimum").period()
        extensionMaximum = try fields.required("extensionMaximum").period()
        gracePeriodMinimum = try fields.required("gracePeriodMinimum").period()
        gracePeriodMaximum = try fields.required("gracePeriodMaximum").period()
        minorsMayBeListed = try fields.required("minorsMayBeListed").bool()
        guard gracePeriodMinimum <= gracePeriodMaximum else { throw node.error("needs gracePeriodMinimum ≤ gracePeriodMaximum") }
        guard !minorsMayBeListed else {
            throw fields.optional("minorsMayBeListed")!.error("cannot be true: minors are never put on the "
                + "judgment-defaulter list (法释〔2017〕7号 Art. 4), and the ledger refuses them whatever a rule file says")
        }
    }
}

/// Key-attention list period.
public struct KeyAttentionListRule: Sendable, Hashable {
    /// Longest listing.
    public var period: CalendarPeriod
}

/// Summary-procedure fine thresholds, in yuan.
public struct SummaryProcedureThresholds: Sendable, Hashable {
    /// Highest fine for a citizen (200).
    public var personFineMaximumYuan: Int
    /// Highest fine for a legal person or other organisation (3,000).
    public var organisationFineMaximumYuan: Int

    /// The threshold that applies to `subject`.
    public func fineMaximum(for subject: SubjectCode) -> Yuan {
        Yuan(yuan: subject.isPerson ? personFineMaximumYuan : organisationFineMaximumYuan)
    }
}
