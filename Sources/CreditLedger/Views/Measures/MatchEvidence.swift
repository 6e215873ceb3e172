import CreditFacts

/// The records of one subject that can trigger measures on a date, read once per match from the
/// status views and judged by their rules: active and published list entries, penalties in
/// publicity, breached commitments that still count. Repair, exit, revocation, correction on
/// objection and expiry remove a record from the date they take effect, so the measures it
/// triggered lift from that date without any rule here.
struct MatchEvidence {
    /// An active, published list entry.
    struct Listing {
        var list: ListKind
        var field: RegulatoryField
        var ref: String
        var fact: String
        var recordDate: LegalDate
        var since: LegalDate
    }

    /// A penalty in publicity.
    struct Penalty {
        var severity: Severity
        var field: RegulatoryField
        var ref: String
        var fact: String
        var decided: LegalDate
    }

    /// A breached commitment (not corrected on objection).
    struct Breach {
        var breach: BreachKind
        var severity: Severity?
        var ref: String
        var fact: String
        var breached: LegalDate
        /// The first approved repair of the subject decided after the breach, by the date.
        var repaired: LegalDate?
    }

    var listings: [Listing] = []
    var penalties: [Penalty] = []
    var breaches: [Breach] = []

    /// Reads what `needs` asks for of `subject` as of `date`.
    init(_ subject: SubjectCode, asOf date: LegalDate, needs: CatalogueIndex.Needs, views: MatchViews, context: ViewContext) {
        if needs.lists != 0, let lists = views.lists { readListings(subject, date, needs, lists, context) }
        if needs.penalties, let penalties = views.penalties { readPenalties(subject, date, penalties, context) }
        if needs.commitments, let commitments = views.commitments { readBreaches(subject, date, commitments) }
    }

    private mutating func readListings(_ subject: SubjectCode, _ date: LegalDate, _ needs: CatalogueIndex.Needs,
                                       _ lists: ListRegister, _ context: ViewContext) {
        for record in lists.records(of: subject) where record.entered <= date && needs.wants(record.list) {
            let status = ListStatus(record: record, asOf: date, context: context)
            // A listing in its grace period (宽限期, before publishFrom) is recorded but not
            // published, and triggers nothing yet.
            guard status.isActive, status.isPublished, needs.wants(status.list) else { continue }
            listings.append(Listing(list: status.list, field: record.field, ref: record.listNo.text, fact: record.fact.description,
                                    recordDate: status.onListSince, since: max(status.onListSince, status.publishedFrom)))
        }
    }

    private mutating func readPenalties(_ subject: SubjectCode, _ date: LegalDate, _ view: PenaltyPublicity, _ context: ViewContext) {
        for record in view.records(of: subject) where record.decided <= date {
            let status = PenaltyStatus(record: record, subject: subject, asOf: date, context: context)
            guard status.isPublic else { continue }
            penalties.append(Penalty(severity: status.severity, field: record.field, ref: record.decisionNo.text,
                                     fact: record.fact.description, decided: record.decided))
        }
    }

    private mutating func readBreaches(_ subject: SubjectCode, _ date: LegalDate, _ view: CommitmentRegister) {
        guard let entry = view.entry(subject) else { return }
        for record in entry.commitments {
            guard let breached = record.breached, breached <= date, let kind = record.breach,
                  CommitmentStatus(record: record, asOf: date).status == .breached else { continue }
            let repaired = entry.repairs.compactMap { $0.approval(by: date) }.filter { $0 > breached }.min()
            breaches.append(Breach(breach: kind, severity: record.breachSeverity, ref: record.commitmentNo.text,
                                   fact: record.breachFact?.description ?? "", breached: breached, repaired: repaired))
        }
    }

    /// The hits of `trigger` among these records on `date` (grades are judged by the matcher).
    func hits(of trigger: MeasureTrigger, asOf date: LegalDate, into result: inout [MeasureTriggerHit]) {
        switch trigger {
        case .onList(let lists, let fields):
            for l in listings where lists.contains(l.list) && (fields?.contains(l.field) ?? true) {
                result.append(MeasureTriggerHit(kind: .onList, list: l.list, ref: l.ref, fact: l.fact,
                                                recordDate: l.recordDate, since: l.since))
            }
        case .penaltyInPublicity(let severities, let fields):
            for p in penalties where severities.contains(p.severity) && (fields?.contains(p.field) ?? true) {
                result.append(MeasureTriggerHit(kind: .penaltyInPublicity, severity: p.severity, ref: p.ref, fact: p.fact,
                                                recordDate: p.decided, since: p.decided))
            }
        case .breachedCommitment(let kinds, let severities, let withinMonths, let untilRepaired):
            for b in breaches where kinds.contains(b.breach) {
                if let severities, !(b.severity.map { severities.contains($0) } ?? false) { continue }
                if let withinMonths, date >= b.breached.adding(months: withinMonths) { continue }
                if untilRepaired, b.repaired != nil { continue }
                result.append(MeasureTriggerHit(kind: .breachedCommitment, severity: b.severity, breach: b.breach, ref: b.ref,
                                                fact: b.fact, recordDate: b.breached, since: b.breached))
            }
        case .grade:
            return
        }
    }
}

/// The status views a match reads, looked up once per match.
struct MatchViews {
    var lists: ListRegister?
    var penalties: PenaltyPublicity?
    var commitments: CommitmentRegister?

    init(_ views: ViewSet) {
        lists = views.view(ListRegister.self)
        penalties = views.view(PenaltyPublicity.self)
        commitments = views.view(CommitmentRegister.self)
    }
}
