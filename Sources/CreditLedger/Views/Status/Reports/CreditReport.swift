import CreditFacts

/// A subject's credit report as of a date (信用报告): every penalty, list entry and commitment
/// with what is public and what is not, and why. Plain values, in record order; nothing depends on
/// dictionary order.
public struct CreditReport: Sendable, Hashable {
    /// The subject.
    public var subject: SubjectCode
    /// The date reported on.
    public var asOf: LegalDate
    /// Penalties published on that date.
    public var publicPenalties: [PenaltyStatus]
    /// Penalties recorded but not published, each with `whyNotPublic`.
    public var unpublishedPenalties: [PenaltyStatus]
    /// List entries published on that date.
    public var publishedListings: [ListStatus]
    /// List entries recorded but not published (ended, or within the grace period), each with why.
    public var unpublishedListings: [(status: ListStatus, why: Explanation)]
    /// Commitments and where they stand.
    public var commitments: [CommitmentStatus]
    /// Whether the subject may use notification-and-commitment (告知承诺) on that date: the
    /// matcher's answer (the catalogue measure ``notificationAndCommitmentMeasure``, whose triggers
    /// include the dishonesty lists and serious penalties as well as a false commitment), so the
    /// report never says "allowed" where the measure applies.
    public var notificationAndCommitment: CommitmentRegister.Eligibility
    /// Whether anything in the report is under an open objection (异议).
    public var hasOpenObjection: Bool
    /// Whether the ledger holds any fact about the subject (``Standing/inLedger``).
    public var inLedger: Bool
    /// Licences granted on or before the date (行政许可), each with its state on it, in record order.
    public var licences: [LicenceStatus]
    /// Honours granted on or before the date (荣誉表彰), in record order.
    public var honours: [ConductRecords.HonourRecord]
    /// Contract performance records dated on or before it (合同履约), in record order.
    public var contracts: [ConductRecords.ContractRecord]
    /// Department evaluations published on or before it (行业信用评价: tax A–D, construction …), in record order.
    public var evaluations: [ConductRecords.EvaluationRecord]

    /// The catalogue measure that withdraws notification-and-commitment (不适用告知承诺制).
    public static let notificationAndCommitmentMeasure = MeasureID(unchecked: "M-NO-NOTIFICATION-COMMITMENT")

    /// Builds the report from the subject's standing on the date reported on; the
    /// notification-and-commitment line from `matches` (the matcher's matches in every scene of the
    /// same standing) when `matcher`'s catalogue has the measure, else from the standing's own
    /// false-commitment rule.
    public init(_ standing: Standing, matcher: Matcher, matches: [MeasureMatch]? = nil) {
        subject = standing.subject
        inLedger = standing.inLedger
        asOf = standing.asOf
        let penalties = standing.reportedPenalties
        publicPenalties = penalties.filter(\.isPublic)
        unpublishedPenalties = penalties.filter { !$0.isPublic }
        let entries = standing.reportedListings
        publishedListings = entries.filter(\.isPublished)
        unpublishedListings = entries.filter { !$0.isPublished }.map { entry in
            (entry, entry.endExplanation
                ?? Explanation(.listingInGracePeriod, "within the grace period (宽限期) until {date}", ["date": .date(entry.publishedFrom)]))
        }
        commitments = standing.madeCommitments
        licences = standing.licences
        honours = standing.honours
        contracts = standing.contracts
        evaluations = standing.evaluations
        notificationAndCommitment = Self.eligibility(standing, matcher: matcher, matches: matches)
        hasOpenObjection = penalties.contains(where: \.disputed) || entries.contains(where: \.disputed)
            || commitments.contains(where: \.disputed)
    }

    private static func eligibility(_ standing: Standing, matcher: Matcher, matches: [MeasureMatch]?) -> CommitmentRegister.Eligibility {
        let id = notificationAndCommitmentMeasure
        guard matcher.catalogue.index.byID[id] != nil else { return standing.notificationAndCommitment }
        let reasons = (matches ?? matcher.matchEveryScene(standing)).filter { $0.measure.id == id && $0.via == nil }.map { match in
            let hit = match.trigger
            return Explanation(.measureWithdrawsNotification, "{measure}: {trigger} {ref} since {since} ({fact})",
                               ["measure": .text(id.text), "trigger": .word("triggerKind", hit.kind.rawValue), "ref": .text(hit.ref),
                                "since": .date(hit.since), "fact": .fact(hit.fact)])
        }
        return CommitmentRegister.Eligibility(isAllowed: reasons.isEmpty, explanations: reasons)
    }

    public static func == (lhs: CreditReport, rhs: CreditReport) -> Bool {
        lhs.subject == rhs.subject && lhs.asOf == rhs.asOf && lhs.publicPenalties == rhs.publicPenalties
            && lhs.unpublishedPenalties == rhs.unpublishedPenalties && lhs.publishedListings == rhs.publishedListings
            && lhs.unpublishedListings.map(\.status) == rhs.unpublishedListings.map(\.status)
            && lhs.unpublishedListings.map(\.why) == rhs.unpublishedListings.map(\.why)
            && lhs.commitments == rhs.commitments && lhs.notificationAndCommitment == rhs.notificationAndCommitment
            && lhs.hasOpenObjection == rhs.hasOpenObjection && lhs.inLedger == rhs.inLedger
            && lhs.licences == rhs.licences && lhs.honours == rhs.honours && lhs.contracts == rhs.contracts && lhs.evaluations == rhs.evaluations
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(subject)
        hasher.combine(asOf)
        hasher.combine(publicPenalties)
        hasher.combine(publishedListings)
    }
}

/// The special report that replaces a no-violation certificate (专项信用报告, 替代有无违法记录证明):
/// for one regulatory field and period, every penalty of the subject in that field decided in the
/// period, or the statement that there is none. Revoked penalties (including those corrected on
/// objection) are not violations and are left out; repaired or expired ones are listed, since the
/// question is whether a violation was recorded in the period, not whether it is still published.
public struct SpecialReport: Sendable, Hashable {
    /// The subject.
    public var subject: SubjectCode
    /// The field asked about.
    public var field: RegulatoryField
    /// First day of the period.
    public var from: LegalDate
    /// Last day of the period (also the date the penalties are judged as of).
    public var through: LegalDate
    /// The penalties in that field decided in the period, in decision order.
    public var penalties: [PenaltyStatus]
    /// Whether the ledger holds any fact about the subject: a report on a code nobody reported
    /// certifies nothing.
    public var inLedger: Bool

    /// Builds the report from the subject's standing on the last day of the period.
    public init(_ standing: Standing, field: RegulatoryField, from: LegalDate) {
        subject = standing.subject
        inLedger = standing.inLedger
        self.field = field
        self.from = from
        through = standing.asOf
        penalties = standing.reportedPenalties.filter { $0.field == field && $0.decided >= from && $0.status != .revoked }
    }

    /// Whether no penalty in the field was recorded in the period, for a subject the ledger holds
    /// facts about; never for one it does not (no record is not a clean record).
    public var isClean: Bool { inLedger && penalties.isEmpty }

    /// The report's finding in words.
    public var statement: String {
        guard inLedger else {
            return "\(subject) is not registered in this ledger: no fact about it is recorded, so no finding on penalties in the "
                + "field \(field.rawValue) from \(from) through \(through) can be stated (本台账无该主体信息)"
        }
        return isClean
            ? "\(subject): no administrative penalty in the field \(field.rawValue) from \(from) through \(through) (无行政处罚记录)"
            : "\(subject): \(penalties.count) administrative penalt\(penalties.count == 1 ? "y" : "ies") in the field \(field.rawValue) from \(from) through \(through): "
                + penalties.map { "\($0.decisionNo) (\($0.decided), \($0.severity.rawValue), \($0.status.rawValue))" }.joined(separator: ", ")
    }
}
