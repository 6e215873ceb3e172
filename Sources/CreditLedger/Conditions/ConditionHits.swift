import CreditFacts

/// A record of a standing that meets a ``Condition``, with what each reading needs of it.
struct ConditionHit {
    /// The fact that made the record (nil for a breach recorded without one).
    var fact: FactRef?
    /// Decision, list, commitment or contract number, or honour title.
    var ref: String
    /// The record's date (decision, listing, breach, contract or grant).
    var recordDate: LegalDate
    /// The first day the record counts publicly (a listing's publication; else the record's date).
    var since: LegalDate
    /// The list, for list entries.
    var list: ListKind? = nil
    /// The class, for penalties and breaches.
    var severity: Severity? = nil
    /// How a commitment was breached.
    var breach: BreachKind? = nil
    /// The organisation and role, for reverse penetration.
    var via: GradeLink? = nil
    /// False for a list entry still in its grace period (宽限期).
    var isPublished = true
    /// False for a breach dated before its commitment was made.
    var isMade = true
}

extension Standing {
    /// Whether the standing holds any record a condition of `kind` reads: when it holds none, the
    /// condition has no hit (``forEachHit(_:_:)`` reads only that kind's records).
    func mayMeet(_ kind: ConditionKind) -> Bool {
        switch kind {
        case .penaltyInPublicity: !penalties.isEmpty
        case .onList: !listings.isEmpty
        case .breachedCommitment: !commitments.isEmpty
        case .contractDefault: !contracts.isEmpty
        case .honour: !honours.isEmpty
        case .linkedSeriousDishonesty: !links.isEmpty
        case .grade: false
        case .evaluation: !evaluations.isEmpty
        }
    }

    /// Calls `body` for each record that meets `condition` on the standing's date, in record
    /// order. The grade kind has no records here: the matcher judges it.
    func forEachHit(_ condition: Condition, _ body: (ConditionHit) -> Void) {
        switch condition {
        case .penaltyInPublicity(let severities, let fields):
            for penalty in penalties where penalty.status.isPublic && severities.contains(penalty.status.severity)
                && (fields?.contains(penalty.record.field) ?? true) {
                let record = penalty.record
                body(ConditionHit(fact: record.fact, ref: record.decisionNo.text, recordDate: record.decided, since: record.decided,
                                  severity: penalty.status.severity))
            }
        case .onList(let lists, let fields):
            for listing in listings where listing.status.isActive && lists.contains(listing.status.list)
                && (fields?.contains(listing.record.field) ?? true) {
                let status = listing.status
                body(ConditionHit(fact: listing.record.fact, ref: listing.record.listNo.text, recordDate: status.onListSince,
                                  since: max(status.onListSince, status.publishedFrom), list: status.list,
                                  isPublished: status.isPublished))
            }
        case .breachedCommitment(let breaches, let severities, let withinMonths, let untilRepaired):
            forEachBreach(breaches, severities, withinMonths, untilRepaired, body)
        case .contractDefault(let months):
            for contract in contracts where contract.performance.outcome == .defaulted && asOf < contract.date.adding(months: months) {
                body(ConditionHit(fact: contract.fact, ref: contract.performance.contractNo.text, recordDate: contract.date,
                                  since: contract.date))
            }
        case .honour(let levels, let years):
            for honour in honours where levels.contains(honour.honour.level) && asOf < honour.granted.adding(months: 12 * years) {
                body(ConditionHit(fact: honour.fact, ref: honour.honour.title, recordDate: honour.granted, since: honour.granted))
            }
        case .linkedSeriousDishonesty(let lists, let severities, let bases):
            forEachLinkedHit(lists: lists, severities: severities, bases: bases, body)
        case .grade:
            return
        case .evaluation(let scheme, let grades):
            guard let latest = evaluations.latest(scheme: scheme, asOf: asOf), grades.contains(latest.evaluation.grade) else { return }
            body(ConditionHit(fact: latest.fact, ref: "\(scheme) \(latest.evaluation.grade) \(latest.evaluation.year)",
                              recordDate: latest.published, since: latest.published))
        }
    }

    private func forEachBreach(_ breaches: [BreachKind], _ severities: [Severity]?, _ withinMonths: Int?, _ untilRepaired: Bool,
                               _ body: (ConditionHit) -> Void) {
        for commitment in commitments where commitment.status.status == .breached {
            let record = commitment.record
            guard let breached = commitment.status.breached, let kind = record.breach, breaches.contains(kind) else { continue }
            if let severities, !(record.breachSeverity.map { severities.contains($0) } ?? false) { continue }
            if let withinMonths, asOf >= breached.adding(months: withinMonths) { continue }
            if untilRepaired, commitment.repaired != nil { continue }
            body(ConditionHit(fact: record.breachFact, ref: record.commitmentNo.text, recordDate: breached, since: breached,
                              severity: record.breachSeverity, breach: kind, isMade: commitment.isMade))
        }
    }

    /// Linked organisation records that are serious dishonesty, once per record (the first link
    /// in the links' sorted order names the role).
    private func forEachLinkedHit(lists: [ListKind], severities: [Severity], bases: [LinkBasis], _ body: (ConditionHit) -> Void) {
        var previous: DishonestyRecord?
        for link in links where bases.contains(link.basis) && link.record != previous {
            let record = link.record
            let serious = switch record.kind {
            case .penalty: record.severity.map(severities.contains) ?? false
            case .listEntry: record.list.map(lists.contains) ?? false
            case .breachedCommitment: false
            }
            guard serious else { continue }
            previous = record
            body(ConditionHit(fact: record.fact, ref: record.ref, recordDate: record.effective, since: record.effective,
                              via: GradeLink(organisation: record.organisation, role: link.role, basis: link.basis)))
        }
    }
}
