/// The rules in force from one date: publicity periods, repair, lists, severity classification,
/// deadlines. Loaded from data (``RuleBook``), never spelled out in code.
public struct RuleRegime: Sendable, Hashable, Decodable {
    /// First day the regime governs (by a fact's effective date).
    public var from: LegalDate
    /// The instrument that set it, e.g. `发改办财金〔2019〕527号`.
    public var instrument: String
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
    /// Dotted names of parameters whose value was not found in an instrument (placeholders).
    public var unconfirmed: [String]
}

/// Publicity of penalty information per severity.
public struct PenaltyPublicityRules: Sendable, Hashable, Decodable {
    /// 轻微.
    public var minor: PublicityRule
    /// 一般.
    public var general: PublicityRule
    /// 严重.
    public var serious: PublicityRule

    /// The rule for `severity`.
    public subscript(severity: Severity) -> PublicityRule {
        switch severity {
        case .minor: minor
        case .general: general
        case .serious: serious
        }
    }
}

/// Whether and how long one class of information is published, counted from the decision date.
public struct PublicityRule: Sendable, Hashable, Decodable {
    /// Whether it is published at all.
    public var published: Bool
    /// Shortest publicity: repair may be applied for once it has passed.
    public var minimum: CalendarPeriod?
    /// Longest publicity: publication stops automatically at its end.
    public var maximum: CalendarPeriod?
    /// For unpublished classes: the longest publicity if an authority publishes anyway (e.g. minor ≤ 3 months).
    public var maximumIfPublished: CalendarPeriod?
}

/// Conditions of credit repair (信用修复).
public struct RepairRules: Sendable, Hashable, Decodable {
    /// Repair may be applied for only once the minimum publicity period has passed.
    public var eligibleAfterMinimumPeriod: Bool
    /// Every obligation of the penalty must have been performed (`penalty.performed`).
    public var requiresObligationsPerformed: Bool
    /// A public repair commitment (信用修复承诺) is required.
    public var requiresRepairCommitment: Bool
    /// Penalty kinds whose publicity cannot be stopped early by repair: SAMR Order 45 Art. 14(3)
    /// (suspension, business restriction, trade ban, qualification downgrade, licence and business
    /// licence revocation). A decision with any of them runs its full period. Empty when absent.
    public var notRepairableKinds: [PenaltyKind]

    private enum CodingKeys: String, CodingKey {
        case eligibleAfterMinimumPeriod, requiresObligationsPerformed, requiresRepairCommitment, notRepairableKinds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        eligibleAfterMinimumPeriod = try c.decode(Bool.self, forKey: .eligibleAfterMinimumPeriod)
        requiresObligationsPerformed = try c.decode(Bool.self, forKey: .requiresObligationsPerformed)
        requiresRepairCommitment = try c.decode(Bool.self, forKey: .requiresRepairCommitment)
        notRepairableKinds = try c.decodeIfPresent([PenaltyKind].self, forKey: .notRepairableKinds) ?? []
    }
}

extension PenaltyKind: Decodable {}

/// Periods of the lists (名单).
public struct ListRules: Sendable, Hashable, Decodable {
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

extension ListKind: Decodable {}

/// Serious-dishonesty list periods.
public struct SeriousDishonestyListRule: Sendable, Hashable, Decodable {
    /// Listing period.
    public var period: CalendarPeriod
    /// Earliest early removal.
    public var earlyRemovalAfter: CalendarPeriod
}

/// Abnormal-operation list rollover.
public struct AbnormalOperationListRule: Sendable, Hashable, Decodable {
    /// Still listed after this long → serious-dishonesty list.
    public var rolloverToSeriousDishonestyAfter: CalendarPeriod
}

/// Judgment-defaulter list periods.
public struct JudgmentDefaulterListRule: Sendable, Hashable, Decodable {
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

    private enum CodingKeys: String, CodingKey {
        case period, extensionMinimum, extensionMaximum, gracePeriodMinimum, gracePeriodMaximum, minorsMayBeListed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        period = try c.decode(CalendarPeriod.self, forKey: .period)
        extensionMinimum = try c.decode(CalendarPeriod.self, forKey: .extensionMinimum)
        extensionMaximum = try c.decode(CalendarPeriod.self, forKey: .extensionMaximum)
        gracePeriodMinimum = try c.decode(CalendarPeriod.self, forKey: .gracePeriodMinimum)
        gracePeriodMaximum = try c.decode(CalendarPeriod.self, forKey: .gracePeriodMaximum)
        minorsMayBeListed = try c.decode(Bool.self, forKey: .minorsMayBeListed)
        guard gracePeriodMinimum <= gracePeriodMaximum else {
            throw RuleBookError.invalid("lists.judgmentDefaulter needs gracePeriodMinimum ≤ gracePeriodMaximum")
        }
        guard !minorsMayBeListed else {
            throw RuleBookError.invalid("lists.judgmentDefaulter.minorsMayBeListed cannot be true: minors are never put on the "
                + "judgment-defaulter list (法释〔2017〕7号 Art. 4), and the ledger refuses them whatever a rule file says")
        }
    }
}

/// Key-attention list period.
public struct KeyAttentionListRule: Sendable, Hashable, Decodable {
    /// Longest listing.
    public var period: CalendarPeriod
}

/// Summary-procedure fine thresholds, in yuan.
public struct SummaryProcedureThresholds: Sendable, Hashable, Decodable {
    /// Highest fine for a citizen (200).
    public var personFineMaximumYuan: Int
    /// Highest fine for a legal person or other organisation (3,000).
    public var organisationFineMaximumYuan: Int

    /// The threshold that applies to `subject`.
    public func fineMaximum(for subject: SubjectCode) -> Yuan {
        Yuan(yuan: subject.isPerson ? personFineMaximumYuan : organisationFineMaximumYuan)
    }
}
