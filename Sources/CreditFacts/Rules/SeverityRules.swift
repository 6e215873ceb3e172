/// How a penalty without a stated severity is classified (DOMAIN.md: "Minor = summary procedure
/// (≤ 200 yuan for a person, ≤ 3,000 yuan for an organisation, or warning only) unless the authority
/// says otherwise"; several kinds in one decision: the gravest, hence the longest period, applies).
public struct SeverityRules: Sendable, Hashable {
    /// A warning and nothing else is minor.
    public var warningOnlyIsMinor: Bool
    /// A penalty decided under the summary procedure is minor.
    public var summaryProcedureIsMinor: Bool
    /// Only a warning and/or a fine within the summary-procedure threshold is minor.
    public var fineWithinSummaryThresholdIsMinor: Bool
    /// A fine of at least this many yuan is serious (巨额罚款); `nil`: no amount rule (no national
    /// figure is published, so the default is off).
    public var seriousFineFromYuan: Int?
    /// The class of each kind of penalty, by ``PenaltyKind`` binary code (nil for an unused code).
    let byKind: [Severity?]

    /// Reads the rules at `node`, requiring a class for every kind of penalty.
    init(reading node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["warningOnlyIsMinor", "summaryProcedureIsMinor", "fineWithinSummaryThresholdIsMinor",
                                                "seriousFineFromYuan", "byKind"])
        warningOnlyIsMinor = try fields.required("warningOnlyIsMinor").bool()
        summaryProcedureIsMinor = try fields.required("summaryProcedureIsMinor").bool()
        fineWithinSummaryThresholdIsMinor = try fields.required("fineWithinSummaryThresholdIsMinor").bool()
        seriousFineFromYuan = try fields.optional("seriousFineFromYuan")?.positiveInt()
        let table = try fields.required("byKind")
        let classes = try table.object(allowed: PenaltyKind.allCases.map(\.rawValue))
        var byKind: [Severity?] = []
        for kind in PenaltyKind.table.byCode {
            guard let kind else { byKind.append(nil); continue }
            guard classes.fields[kind.rawValue] != nil else { throw table.error("has no class for \(kind.rawValue)") }
            byKind.append(try classes.required(kind.rawValue).word(Severity.self))
        }
        self.byKind = byKind
    }

    /// The class of one kind of penalty.
    public func severity(of kind: PenaltyKind) -> Severity { byKind[Int(kind.code)]! }
}

/// A severity and the rule that produced it, so that every judgement can be explained.
public struct SeverityClassification: Sendable, Hashable {
    /// The class.
    public var severity: Severity
    /// Why, e.g. "stated by the deciding authority" or "kind suspension is serious".
    public var reason: String
}

extension RuleRegime {
    /// Classifies `penalty` of `subject` under this regime. The authority's own class wins; then the
    /// minor rules; then the gravest class among the kinds imposed.
    public func classify(_ penalty: PenaltyDecision, subject: SubjectCode) -> SeverityClassification {
        if let stated = penalty.severity { return .init(severity: stated, reason: "stated by the deciding authority") }
        let rules = severity
        if rules.summaryProcedureIsMinor, penalty.procedure == .summary {
            return .init(severity: .minor, reason: "decided under the summary procedure")
        }
        if rules.warningOnlyIsMinor, penalty.kinds == PenaltyKinds([.warning]) {
            return .init(severity: .minor, reason: "a warning only")
        }
        let limit = summaryProcedure.fineMaximum(for: subject)
        if rules.fineWithinSummaryThresholdIsMinor, PenaltyKinds([.warning, .fine]).isSuperset(of: penalty.kinds),
           let fine = penalty.fine, fine <= limit {
            return .init(severity: .minor, reason: "a fine of \(fine) yuan, within the summary-procedure limit of \(limit) yuan")
        }
        if let from = rules.seriousFineFromYuan, let fine = penalty.fine, fine >= Yuan(yuan: from) {
            return .init(severity: .serious, reason: "a fine of \(fine) yuan, at least \(from) yuan")
        }
        // The gravest kind decides; ties go to the first kind in PenaltyKind order, so the reason is stable.
        let gravest = penalty.kinds.kinds.max { rules.severity(of: $0) < rules.severity(of: $1) }!
        return .init(severity: rules.severity(of: gravest),
                     reason: "kind \(gravest.rawValue) is \(rules.severity(of: gravest).rawValue)")
    }

    /// When `decision` of `subject` is published, may be repaired and stops being published: the
    /// short publicity of a light decision when the regime has one (SAMR Order 45 Art. 13), else
    /// that of its class; `nil` when it is not published.
    public func publicity(of decision: PenaltyDecision, subject: SubjectCode, decidedOn decided: LegalDate) -> PublicityWindow? {
        if let short = penaltyPublicity.shortPublicity, short.covers(decision) {
            let end = short.period.after(decided)
            return PublicityWindow(start: decided, repairEligibleFrom: end, end: end)
        }
        return publicity(of: classify(decision, subject: subject).severity, decidedOn: decided, field: decision.field)
    }

    /// When a penalty of `severity` in `field` decided on `decided` is published, may be repaired
    /// and stops being published; `nil` when this class is not published.
    public func publicity(of severity: Severity, decidedOn decided: LegalDate, field: RegulatoryField = .other) -> PublicityWindow? {
        let rule = penaltyPublicity[severity]
        guard rule.published, let minimum = rule.minimum(in: field), let maximum = rule.maximum else { return nil }
        return PublicityWindow(start: decided, repairEligibleFrom: minimum.after(decided), end: maximum.after(decided))
    }
}

/// The publicity of one record.
public struct PublicityWindow: Sendable, Hashable {
    /// First day published (the decision date).
    public var start: LegalDate
    /// First day a repair may be applied for.
    public var repairEligibleFrom: LegalDate
    /// First day no longer published (automatic stop at the maximum period).
    public var end: LegalDate
}
