import CreditFacts

/// The kind of an organisation's dishonesty record.
public enum DishonestyRecordKind: String, Sendable, Hashable, CaseIterable {
    /// A general or serious penalty in publicity.
    case penalty
    /// A published entry on a dishonesty list.
    case listEntry
    /// A breached commitment, within the policy's window.
    case breachedCommitment
}

/// A dishonesty record of an organisation in force on a date: what penetration links to persons.
public struct DishonestyRecord: Sendable, Hashable, Comparable {
    /// The organisation.
    public var organisation: SubjectCode
    /// What kind of record.
    public var kind: DishonestyRecordKind
    /// The decision, list or commitment number.
    public var ref: String
    /// The list it stands on (list entries; serious dishonesty after an abnormal-list rollover).
    public var list: ListKind?
    /// The class of a penalty or breach.
    public var severity: Severity?
    /// The date roles are judged on: the decision, listing or breach date.
    public var effective: LegalDate
    /// The fact that made the record (nil for a breach recorded without one).
    public var fact: FactRef?

    /// Records sort by organisation, date, kind, reference and list (a rolled-over entry is two
    /// records with one reference: its abnormal entry and its serious listing).
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.organisation, lhs.effective, lhs.kind.rawValue, lhs.ref, lhs.list?.rawValue ?? "")
            < (rhs.organisation, rhs.effective, rhs.kind.rawValue, rhs.ref, rhs.list?.rawValue ?? "")
    }
}

/// Why a person is linked to a record.
public enum LinkBasis: String, Sendable, Hashable, CaseIterable {
    /// The person held a linked role on the record's effective date (a later change does not move it).
    case roleOnEffectiveDate
    /// The decision names the person as directly responsible.
    case namedResponsible
    /// The record is on a list whose measures bind the role, and the person holds the role now.
    case currentHolder
}

/// A link from an organisation's dishonesty record to a person (穿透关联).
public struct PenetrationLink: Sendable, Hashable, Comparable {
    /// The record.
    public var record: DishonestyRecord
    /// The person reached.
    public var person: CitizenIdentityNumber
    /// The role through which (`directlyResponsible` for named persons).
    public var role: Role
    /// Why.
    public var basis: LinkBasis

    /// Links sort by record, then person, role and basis.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.record != rhs.record { return lhs.record < rhs.record }
        return (lhs.person, lhs.role.rawValue, lhs.basis.rawValue) < (rhs.person, rhs.role.rawValue, rhs.basis.rawValue)
    }
}

/// Penetration (穿透式监管) over the status views: an organisation's dishonesty records, the persons
/// each reaches and the coverage figure the seeds set at 100 %. A person's linked records are part
/// of their ``Standing``. Pure queries over ``StatusViews`` as of a date; ``Ledger`` wraps them
/// with the time axes.
public struct Penetration: Sendable {
    /// Which records count and whom they reach.
    public var policy: PenetrationPolicy
    /// The rules the status views judge by.
    public var context: ViewContext

    /// Creates the queries for a policy.
    public init(policy: PenetrationPolicy = .standard, context: ViewContext) {
        self.policy = policy
        self.context = context
    }

    /// The dishonesty records in an organisation's standing, sorted: its penalties in publicity,
    /// its published list entries (an entry in its grace period reaches nobody yet) and its
    /// breached commitments within the window, as the policy counts them. Persons have none.
    public func records(in standing: Standing) -> [DishonestyRecord] {
        let organisation = standing.subject
        guard !organisation.isPerson else { return [] }
        var result: [DishonestyRecord] = []
        for penalty in standing.penalties where penalty.status.isPublic && policy.penaltySeverities.contains(penalty.status.severity) {
            result.append(DishonestyRecord(organisation: organisation, kind: .penalty, ref: penalty.record.decisionNo.text,
                                           severity: penalty.status.severity, effective: penalty.record.decided, fact: penalty.record.fact))
        }
        for listing in standing.listings where listing.status.isPublished && policy.dishonestyLists.contains(listing.status.list) {
            result.append(DishonestyRecord(organisation: organisation, kind: .listEntry, ref: listing.record.listNo.text,
                                           list: listing.status.list, effective: listing.record.entered, fact: listing.record.fact))
        }
        let windowStart = standing.asOf.adding(months: -policy.breachedCommitmentMonths)
        for commitment in standing.commitments where commitment.isMade {
            let status = commitment.status
            guard status.status == .breached, let breached = status.breached, breached > windowStart else { continue }
            result.append(DishonestyRecord(organisation: organisation, kind: .breachedCommitment, ref: commitment.record.commitmentNo.text,
                                           severity: status.breachSeverity, effective: breached, fact: commitment.record.breachFact))
        }
        return result.sorted()
    }

    /// The dishonesty records of `organisation` in force on `date`, sorted. Persons have none.
    public func records(of organisation: SubjectCode, asOf date: LegalDate, views: StatusViews) -> [DishonestyRecord] {
        guard !organisation.isPerson else { return [] }
        return records(in: Standing(of: organisation, asOf: date, views: views, penetration: self, withOrganisations: false, parts: []))
    }

    /// The persons `record` reaches on `date`: holders of the linked roles on its effective date,
    /// persons its decision names, and — for lists whose measures bind the role — the holders on
    /// `date` not already linked. Sorted; one link per person, role and basis.
    public func links(of record: DishonestyRecord, asOf date: LegalDate, views: StatusViews) -> [PenetrationLink] {
        let registry = views.registry
        var links: Set<PenetrationLink> = []
        for role in policy.linkedRoles {
            for person in registry.holders(of: role, in: record.organisation, on: record.effective) {
                links.insert(PenetrationLink(record: record, person: person, role: role, basis: .roleOnEffectiveDate))
            }
        }
        if let decision = decision(of: record, views: views) {
            for person in decision.directlyResponsible {
                links.insert(PenetrationLink(record: record, person: person, role: .directlyResponsible, basis: .namedResponsible))
            }
        }
        if let list = record.list, policy.roleBindingLists.contains(list) {
            let linked = Set(links.map { LinkedRole(person: $0.person, role: $0.role) })
            for role in policy.linkedRoles {
                for person in registry.holders(of: role, in: record.organisation, on: date)
                where !linked.contains(LinkedRole(person: person, role: role)) {
                    links.insert(PenetrationLink(record: record, person: person, role: role, basis: .currentHolder))
                }
            }
        }
        return links.sorted()
    }

    private struct LinkedRole: Hashable { var person: CitizenIdentityNumber; var role: Role }

    /// Whether `links(of:asOf:views:)` would link `record` to a person other than as a current
    /// holder (by a role held on its effective date, or by name in its decision), without building
    /// the links: coverage asks it of every record in force.
    private func isLinkedWhenEffective(_ record: DishonestyRecord, views: StatusViews) -> Bool {
        for role in policy.linkedRoles where !views.registry.holders(of: role, in: record.organisation, on: record.effective).isEmpty {
            return true
        }
        return !(decision(of: record, views: views)?.directlyResponsible.isEmpty ?? true)
    }

    /// The penalty decision a record is, when it is one.
    private func decision(of record: DishonestyRecord, views: StatusViews) -> PenaltyPublicity.Record? {
        guard record.kind == .penalty else { return nil }
        return views.publicity.records(of: record.organisation).last { $0.decisionNo.text == record.ref }
    }

    /// Coverage on `date`: every dishonesty record of an organisation, how many are linked to at
    /// least one person (by role on the effective date or by name), and each unlinked record with
    /// the reason — the data gaps a district must fix.
    ///
    /// The organisations are judged on every core, each its own; their tallies are then added in
    /// the organisations' sorted order, so the result does not depend on the cores.
    public func coverage(asOf date: LegalDate, views: StatusViews) -> PenetrationCoverage {
        let organisations = views.subjectsWithRecords { !$0.isPerson }
        let tallies = judge(organisations, asOf: date, views: views, zero: Tally()) { tally(of: $0, views: views) }
        var coverage = PenetrationCoverage(asOf: date, records: 0, linked: 0, unlinked: [])
        for tally in tallies {
            coverage.records += tally.records
            coverage.linked += tally.linked
            coverage.unlinked += tally.unlinked
        }
        return coverage
    }

    /// One organisation's part of the coverage.
    private struct Tally: Sendable {
        var records = 0, linked = 0
        var unlinked: [UnlinkedRecord] = []
    }

    private func tally(of standing: Standing, views: StatusViews) -> Tally {
        var tally = Tally()
        for record in records(in: standing) {
            tally.records += 1
            if isLinkedWhenEffective(record, views: views) {
                tally.linked += 1
            } else {
                tally.unlinked.append(UnlinkedRecord(record: record, explanation: unlinkedReason(record)))
            }
        }
        return tally
    }

    /// How many dishonesty records in force an organisation's standing holds, and how many of
    /// them are linked to a person (coverage's counts without the unlinked records' reasons).
    func coverageCounts(in standing: Standing, views: StatusViews) -> CoverageCounts {
        var counts = CoverageCounts()
        for record in records(in: standing) {
            counts.records += 1
            if isLinkedWhenEffective(record, views: views) { counts.linked += 1 }
        }
        return counts
    }

    /// The coverage counts over `organisations` (each read on `date` on every core).
    func coverageCounts(of organisations: [SubjectCode], asOf date: LegalDate, views: StatusViews) -> CoverageCounts {
        judge(organisations, asOf: date, views: views, zero: CoverageCounts()) { coverageCounts(in: $0, views: views) }
            .reduce(into: CoverageCounts()) { $0.add($1) }
    }

    /// `judge` applied to each organisation's standing on `date`, on every core: one standing per
    /// core, read organisation after organisation with only what the records in force come from
    /// (penalties, list entries, commitments).
    private func judge<T>(_ organisations: [SubjectCode], asOf date: LegalDate, views: StatusViews, zero: T,
                          _ judge: @Sendable (Standing) -> T) -> [T] {
        Grader.concurrentMap(organisations.count, zero: zero) { range, slots in
            guard let first = range.first else { return }
            var standing = Standing(of: organisations[first], asOf: date, views: views, penetration: self, withOrganisations: false, parts: [])
            for index in range {
                if index != first {
                    standing.read(organisations[index], asOf: date, views: views, penetration: self, withOrganisations: false, parts: [])
                }
                slots[index] = judge(standing)
            }
        }
    }

    private func unlinkedReason(_ record: DishonestyRecord) -> Explanation {
        let roles = Explanation.Value.words(vocabulary: "role", codes: policy.linkedRoles.map(\.rawValue),
                                            english: policy.linkedRoles.map(\.displayName).joinedWithOr())
        return record.kind == .penalty
            ? Explanation(.noLinkedPersonNorNamed, "no {roles} known on {date} and the decision names no directly responsible person",
                          ["roles": roles, "date": .date(record.effective)])
            : Explanation(.noLinkedPerson, "no {roles} known on {date}", ["roles": roles, "date": .date(record.effective)])
    }
}

/// Dishonesty records in force and those linked to a person: coverage's counts, summed over
/// organisations in any order.
struct CoverageCounts: Sendable {
    var records = 0, linked = 0

    mutating func add(_ other: CoverageCounts) {
        records += other.records
        linked += other.linked
    }
}

/// Penetration coverage on a date (穿透覆盖率).
public struct PenetrationCoverage: Sendable, Hashable {
    /// The date.
    public var asOf: LegalDate
    /// Dishonesty records of organisations in force.
    public var records: Int
    /// Those linked to at least one person.
    public var linked: Int
    /// The others, with reasons, sorted.
    public var unlinked: [UnlinkedRecord]

    /// linked / records (1 when there are no records: nothing is missing).
    public var ratio: Double { records == 0 ? 1 : Double(linked) / Double(records) }
}

/// A dishonesty record no person could be linked to: a data gap.
public struct UnlinkedRecord: Sendable, Hashable {
    /// The record.
    public var record: DishonestyRecord
    /// Why: a code and its parameters, worded by the pages.
    public var explanation: Explanation
    /// Why, in English (e.g. "no legal representative … known on 2021-03-02"; the JSON documents' text).
    public var reason: String { explanation.text }
}

extension Role {
    /// The role in words, for reasons.
    public var displayName: String {
        switch self {
        case .legalRepresentative: "legal representative"
        case .principal: "principal"
        case .actualController: "actual controller"
        case .directlyResponsible: "directly responsible person"
        case .safetyHead: "head of safety"
        case .director: "director"
        case .supervisor: "supervisor"
        case .seniorManager: "senior manager"
        case .shareholder: "shareholder"
        }
    }
}

extension Array where Element == String {
    /// "a", "a or b", "a, b or c".
    func joinedWithOr() -> String {
        guard count > 1 else { return first ?? "" }
        return dropLast().joined(separator: ", ") + " or " + last!
    }
}
