/// Reading a regime of the rule book from its (inherited, complete) JSON: every field required
/// unless said otherwise, unknown fields refused, each error naming the file and the path.
extension RuleRegime {
    /// The fields a regime may have.
    static let fieldNames = ["from", "instrument", "penaltyPublicity", "repair", "lists", "summaryProcedure", "severity",
                             "publicationDeadlineWorkingDays", "dishonestyRetention", "unconfirmed"]

    /// The regime at `node`, its periods checked (a published class needs minimum ≤ maximum).
    init(_ node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: Self.fieldNames)
        from = try fields.required("from").date()
        instrument = try fields.required("instrument").string()
        penaltyPublicity = try PenaltyPublicityRules(try fields.required("penaltyPublicity"))
        repair = try RepairRules(try fields.required("repair"))
        lists = try ListRules(try fields.required("lists"))
        let summary = try fields.required("summaryProcedure").object(allowed: ["personFineMaximumYuan", "organisationFineMaximumYuan"])
        summaryProcedure = SummaryProcedureThresholds(personFineMaximumYuan: try summary.required("personFineMaximumYuan").int(),
                                                      organisationFineMaximumYuan: try summary.required("organisationFineMaximumYuan").int())
        severity = try SeverityRules(try fields.required("severity"))
        publicationDeadlineWorkingDays = try fields.required("publicationDeadlineWorkingDays").int()
        dishonestyRetention = try fields.required("dishonestyRetention").period()
        unconfirmed = try (fields.optional("unconfirmed")?.array() ?? []).map { (n) throws(RuleFileError) in try n.string() }
    }
}

extension PenaltyPublicityRules {
    /// Publicity per severity.
    init(_ node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["minor", "general", "serious"])
        minor = try PublicityRule(try fields.required("minor"))
        general = try PublicityRule(try fields.required("general"))
        serious = try PublicityRule(try fields.required("serious"))
    }
}

extension PublicityRule {
    /// A class's rule; a published one needs minimum ≤ maximum.
    init(_ node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["published", "minimum", "maximum", "maximumIfPublished"])
        published = try fields.required("published").bool()
        minimum = try fields.optional("minimum")?.period()
        maximum = try fields.optional("maximum")?.period()
        maximumIfPublished = try fields.optional("maximumIfPublished")?.period()
        if published {
            guard let minimum, let maximum, minimum <= maximum else { throw node.error("needs minimum ≤ maximum") }
        }
    }
}

extension RepairRules {
    /// The conditions of repair (no kind exempt when `notRepairableKinds` is absent).
    init(_ node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["eligibleAfterMinimumPeriod", "requiresObligationsPerformed", "requiresRepairCommitment",
                                               "notRepairableKinds"])
        eligibleAfterMinimumPeriod = try fields.required("eligibleAfterMinimumPeriod").bool()
        requiresObligationsPerformed = try fields.required("requiresObligationsPerformed").bool()
        requiresRepairCommitment = try fields.required("requiresRepairCommitment").bool()
        notRepairableKinds = try (fields.optional("notRepairableKinds")?.array() ?? []).map { (n) throws(RuleFileError) in
            try n.word(PenaltyKind.self)
        }
    }
}

extension ListRules {
    /// The lists' periods (the default barring lists when `redListBarredBy` is absent).
    init(_ node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["seriousDishonesty", "abnormalOperation", "judgmentDefaulter", "keyAttention", "redListBarredBy"])
        let serious = try fields.required("seriousDishonesty").object(allowed: ["period", "earlyRemovalAfter"])
        seriousDishonesty = SeriousDishonestyListRule(period: try serious.required("period").period(),
                                                      earlyRemovalAfter: try serious.required("earlyRemovalAfter").period())
        let abnormal = try fields.required("abnormalOperation").object(allowed: ["rolloverToSeriousDishonestyAfter"])
        abnormalOperation = AbnormalOperationListRule(
            rolloverToSeriousDishonestyAfter: try abnormal.required("rolloverToSeriousDishonestyAfter").period())
        let defaulter = try fields.required("judgmentDefaulter").object(allowed: [
            "period", "extensionMinimum", "extensionMaximum", "gracePeriodMinimum", "gracePeriodMaximum", "minorsMayBeListed",
        ])
        judgmentDefaulter = JudgmentDefaulterListRule(
            period: try defaulter.required("period").period(), extensionMinimum: try defaulter.required("extensionMinimum").period(),
            extensionMaximum: try defaulter.required("extensionMaximum").period(),
            gracePeriodMinimum: try defaulter.required("gracePeriodMinimum").period(),
            gracePeriodMaximum: try defaulter.required("gracePeriodMaximum").period(),
            minorsMayBeListed: try defaulter.required("minorsMayBeListed").bool())
        let defaulterNode = try fields.required("judgmentDefaulter")
        guard judgmentDefaulter.gracePeriodMinimum <= judgmentDefaulter.gracePeriodMaximum else {
            throw defaulterNode.error("needs gracePeriodMinimum ≤ gracePeriodMaximum")
        }
        guard !judgmentDefaulter.minorsMayBeListed else {
            throw defaulterNode.error("minorsMayBeListed cannot be true: minors are never put on the judgment-defaulter list "
                + "(法释〔2017〕7号 Art. 4), and the ledger refuses them whatever a rule file says")
        }
        keyAttention = KeyAttentionListRule(period: try fields.required("keyAttention").object(allowed: ["period"]).required("period").period())
        redListBarredBy = try fields.optional("redListBarredBy")?.array().map { (n) throws(RuleFileError) in try n.word(ListKind.self) }
    }
}

extension SeverityRules {
    /// The classification rules, with a class for every kind of penalty.
    init(_ node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["warningOnlyIsMinor", "summaryProcedureIsMinor", "fineWithinSummaryThresholdIsMinor",
                                               "seriousFineFromYuan", "byKind"])
        let byKind = try fields.required("byKind")
        guard case .object(let table) = byKind.value else { throw byKind.error("expected an object, found \(byKind.value.shape)") }
        var classes: [String: Severity] = [:]
        for key in table.keys.sorted() { classes[key] = try byKind.child(key, table[key]!).word(Severity.self) }
        let warningOnly = try fields.required("warningOnlyIsMinor").bool()
        let summary = try fields.required("summaryProcedureIsMinor").bool()
        let withinThreshold = try fields.required("fineWithinSummaryThresholdIsMinor").bool()
        let seriousFine = try fields.optional("seriousFineFromYuan")?.int()
        do throws(RuleTableError) {
            try self.init(warningOnlyIsMinor: warningOnly, summaryProcedureIsMinor: summary,
                          fineWithinSummaryThresholdIsMinor: withinThreshold, seriousFineFromYuan: seriousFine, byKind: classes)
        } catch {
            throw byKind.error(error.message)
        }
    }
}
