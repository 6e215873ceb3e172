/// Reading a regime from its rule-file form, through ``JSONNode`` like every rule file: a missing,
/// misspelt or mistyped field is an error naming the regime and the JSON path.

extension RuleRegime {
    /// The regime at `node`, a fully inherited regime object of `channel`.
    init(reading node: JSONNode, channel: String) throws(RuleFileError) {
        let fields = try node.object(allowed: [
            "from", "instrument", "penaltyPublicity", "repair", "lists", "summaryProcedure", "severity",
            "publicationDeadlineWorkingDays", "dishonestyRetention", "dishonestyRetentionFrom", "unconfirmed", "about",
        ])
        self.init(
            from: try fields.required("from").date(),
            instrument: try fields.required("instrument").string(),
            channel: channel,
            penaltyPublicity: try PenaltyPublicityRules(reading: try fields.required("penaltyPublicity")),
            repair: try RepairRules(reading: try fields.required("repair")),
            lists: try ListRules(reading: try fields.required("lists")),
            summaryProcedure: try SummaryProcedureThresholds(reading: try fields.required("summaryProcedure")),
            severity: try SeverityRules(reading: try fields.required("severity")),
            publicationDeadlineWorkingDays: try fields.required("publicationDeadlineWorkingDays").positiveInt(),
            dishonestyRetention: try fields.required("dishonestyRetention").period(),
            dishonestyRetentionFrom: try fields.optional("dishonestyRetentionFrom")?.word(RetentionAnchor.self),
            unconfirmed: try fields.optional("unconfirmed")?.array().map { node throws(RuleFileError) in try node.string() } ?? [])
        for severity in Severity.allCases {
            let rule = penaltyPublicity[severity]
            guard rule.published else { continue }
            guard let minimum = rule.minimum, let maximum = rule.maximum, minimum <= maximum else {
                let publicity = try fields.required("penaltyPublicity")
                throw publicity.child(severity.rawValue, .null).error("needs minimum ≤ maximum")
            }
        }
    }
}

extension PenaltyPublicityRules {
    init(reading node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["minor", "general", "serious", "unpublishedUnderAge", "shortPublicity"])
        var short: ShortPublicityRule?
        if let node = fields.optional("shortPublicity") {
            let rule = try node.object(allowed: ["kinds", "fineUpToYuan", "period"])
            short = ShortPublicityRule(
                kinds: try rule.required("kinds").words(PenaltyKind.self),
                fineUpToYuan: try rule.optional("fineUpToYuan")?.positiveInt(),
                period: try rule.required("period").period())
        }
        self.init(
            minor: try PublicityRule(reading: try fields.required("minor")),
            general: try PublicityRule(reading: try fields.required("general")),
            serious: try PublicityRule(reading: try fields.required("serious")),
            unpublishedUnderAge: try fields.optional("unpublishedUnderAge")?.positiveInt(),
            shortPublicity: short)
    }
}

extension PublicityRule {
    init(reading node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["published", "minimum", "maximum", "maximumIfPublished", "minimumByField"])
        var byField: [String: CalendarPeriod]?
        if let table = fields.optional("minimumByField") {
            let entries = try table.object(allowed: RegulatoryField.allCases.map(\.rawValue))
            byField = [:]
            for key in entries.fields.keys.sorted() { byField![key] = try entries.required(key).period() }
        }
        self.init(
            published: try fields.required("published").bool(),
            minimum: try fields.optional("minimum")?.period(),
            maximum: try fields.optional("maximum")?.period(),
            maximumIfPublished: try fields.optional("maximumIfPublished")?.period(),
            minimumByField: byField)
    }
}

extension ListRules {
    init(reading node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["seriousDishonesty", "abnormalOperation", "judgmentDefaulter", "keyAttention", "redListBarredBy"])
        let serious = try fields.required("seriousDishonesty").object(allowed: ["period", "earlyRemovalAfter"])
        let abnormal = try fields.required("abnormalOperation").object(allowed: ["rolloverToSeriousDishonestyAfter"])
        let keyAttention = try fields.required("keyAttention").object(allowed: ["period"])
        self.init(
            seriousDishonesty: SeriousDishonestyListRule(
                period: try serious.required("period").period(), earlyRemovalAfter: try serious.required("earlyRemovalAfter").period()),
            abnormalOperation: AbnormalOperationListRule(
                rolloverToSeriousDishonestyAfter: try abnormal.required("rolloverToSeriousDishonestyAfter").period()),
            judgmentDefaulter: try JudgmentDefaulterListRule(reading: try fields.required("judgmentDefaulter")),
            keyAttention: KeyAttentionListRule(period: try keyAttention.required("period").period()),
            redListBarredBy: try fields.optional("redListBarredBy")?.wordsOrNone(ListKind.self))
    }
}

extension SummaryProcedureThresholds {
    init(reading node: JSONNode) throws(RuleFileError) {
        let fields = try node.object(allowed: ["personFineMaximumYuan", "organisationFineMaximumYuan"])
        self.init(
            personFineMaximumYuan: try fields.required("personFineMaximumYuan").positiveInt(),
            organisationFineMaximumYuan: try fields.required("organisationFineMaximumYuan").positiveInt())
    }
}

extension JSONNode {
    /// An array of words of a closed vocabulary, possibly empty (a district clearing a list), without repeats.
    func wordsOrNone<W: RawRepresentable & CaseIterable & Hashable>(_ type: W.Type) throws(RuleFileError) -> [W] where W.RawValue == String {
        if case .array(let items) = value, items.isEmpty { return [] }
        return try words(type)
    }
}
