import CreditFacts

/// A record that meets a condition, as a reason names it.
struct GradingHit {
    /// `SOURCE/ID`.
    var fact: String
    /// Decision, list, commitment or contract number, or honour title.
    var ref: String
    /// The record's date.
    var date: LegalDate
    /// The organisation and role, for reverse penetration.
    var via: GradeLink?
}

extension Standing {
    /// The kinds of gradable record present on or before the date, one bit per kind.
    var gradable: GradableRecords {
        var present = GradableRecords()
        if !penalties.isEmpty { present.insert(.penalty) }
        if !listings.isEmpty { present.insert(.listEntry) }
        if commitments.contains(where: \.isMade) { present.insert(.commitment) }
        if !honours.isEmpty { present.insert(.honour) }
        if !contracts.isEmpty { present.insert(.contract) }
        if !evaluations.isEmpty { present.insert(.evaluation) }
        return present
    }

    /// Calls `body` for each record that meets `condition` on the standing's date.
    func forEachHit(_ condition: GradingCondition, _ body: (GradingHit) -> Void) {
        let date = asOf
        switch condition {
        case .penaltyInPublicity(let severities):
            for penalty in penalties where penalty.status.isPublic && severities.contains(penalty.status.severity) {
                body(GradingHit(fact: penalty.record.fact, ref: penalty.status.decisionNo.text, date: penalty.status.decided))
            }
        case .onList(let kinds):
            for listing in listings where listing.status.isActive && kinds.contains(listing.status.list) {
                body(GradingHit(fact: listing.record.fact, ref: listing.status.listNo.text, date: listing.status.onListSince))
            }
        case .breachWithin(let months, let kinds):
            for commitment in commitments where commitment.isMade && commitment.status.status == .breached {
                guard let breach = commitment.status.breach, kinds.contains(breach), let breached = commitment.status.breached,
                      date < breached.adding(months: months) else { continue }
                body(GradingHit(fact: commitment.record.breachFact ?? "", ref: commitment.status.commitmentNo.text, date: breached))
            }
        case .contractDefaultWithin(let months):
            for contract in contracts where contract.performance.outcome == .defaulted && date < contract.date.adding(months: months) {
                body(GradingHit(fact: contract.fact, ref: contract.performance.contractNo.text, date: contract.date))
            }
        case .honourWithin(let years, let levels):
            for honour in honours where levels.contains(honour.honour.level) && date < honour.granted.adding(months: 12 * years) {
                body(GradingHit(fact: honour.fact, ref: honour.honour.title, date: honour.granted))
            }
        case .linkedSeriousDishonesty(let lists, let severities, let bases):
            forEachLinkedHit(lists: lists, severities: severities, bases: bases, body)
        }
    }

    /// Linked organisation records that are serious dishonesty, once per record (the first link
    /// in the links' sorted order names the role).
    private func forEachLinkedHit(lists: [ListKind], severities: [Severity], bases: [LinkBasis], _ body: (GradingHit) -> Void) {
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
            body(GradingHit(fact: record.fact, ref: record.ref, date: record.effective,
                            via: GradeLink(organisation: record.organisation, role: link.role, basis: link.basis)))
        }
    }
}

/// A set of ``GradableRecord`` kinds as bits: checked for every subject of a distribution, so
/// without a `Set`'s hashing.
struct GradableRecords: Sendable, Hashable {
    private var bits: UInt8 = 0

    init() {}

    init(_ kinds: [GradableRecord]) { for kind in kinds { insert(kind) } }

    mutating func insert(_ kind: GradableRecord) { bits |= Self.bit(kind) }

    func contains(_ kind: GradableRecord) -> Bool { bits & Self.bit(kind) != 0 }

    func containsAny(of other: GradableRecords) -> Bool { bits & other.bits != 0 }

    private static func bit(_ kind: GradableRecord) -> UInt8 {
        switch kind {
        case .penalty: 1
        case .listEntry: 2
        case .commitment: 4
        case .honour: 8
        case .contract: 16
        case .evaluation: 32
        }
    }
}
