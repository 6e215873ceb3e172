import CreditFacts

/// The views grading reads, taken out of a ``ViewSet`` once per query. A view the ledger does not
/// run reads as empty.
struct GradingSources: Sendable {
    let views: ViewSet
    let registry: SubjectRegistry
    let publicity: PenaltyPublicity
    let lists: ListRegister
    let commitments: CommitmentRegister
    let conduct: ConductRecords

    init(_ views: ViewSet) {
        self.views = views
        registry = views.view(SubjectRegistry.self) ?? SubjectRegistry()
        publicity = views.view(PenaltyPublicity.self) ?? PenaltyPublicity()
        lists = views.view(ListRegister.self) ?? ListRegister()
        commitments = views.view(CommitmentRegister.self) ?? CommitmentRegister()
        conduct = views.view(ConductRecords.self) ?? ConductRecords()
    }

    /// Whether any organisation record could reach `person` (they held a role somewhere or a
    /// decision names them): most persons are neither, and skip penetration's queries.
    func mayBeLinked(_ person: CitizenIdentityNumber) -> Bool {
        registry.organisationsByPerson[person] != nil || publicity.subjectsNamingPerson[person] != nil
    }

    /// The subjects a distribution counts on `date`: registered on or before it and not
    /// deregistered by then (a deregistered subject is no longer supervised). In the registry's
    /// storage order: counts and draws do not depend on it (a draw sorts by its own ranking).
    func gradedSubjects(asOf date: LegalDate) -> [SubjectCode] {
        var subjects: [SubjectCode] = []
        subjects.reserveCapacity(registry.entries.count)
        for (subject, entry) in registry.entries {
            guard let first = entry.registrations.first, first.effective <= date else { continue }
            if let gone = entry.deregistered, gone <= date { continue }
            subjects.append(subject)
        }
        return subjects
    }
}

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

/// What one subject has on a date, gathered once for every rule of a model. One value is reused
/// subject after subject (its arrays keep their capacity), so a distribution does not allocate
/// per subject for it.
struct SubjectRecords {
    var penalties: [(status: PenaltyStatus, fact: String)] = []
    var lists: [(status: ListStatus, fact: String)] = []
    var breaches: [(status: CommitmentStatus, fact: String)] = []
    var honours: [ConductRecords.HonourRecord] = []
    var contracts: [ConductRecords.ContractRecord] = []
    var links: [PenetrationLink] = []
    /// The kinds of gradable record present on or before the date, one bit per kind.
    var present = GradableRecords()

    /// Replaces the contents with `subject`'s records on `date`.
    mutating func gather(_ subject: SubjectCode, asOf date: LegalDate, from sources: GradingSources, grader: Grader) {
        clear()
        for record in sources.publicity.records(of: subject) where record.decided <= date {
            penalties.append((PenaltyStatus(record: record, subject: subject, asOf: date, context: grader.context), record.fact.description))
        }
        if !penalties.isEmpty { present.insert(.penalty) }
        for record in sources.lists.records(of: subject) where record.entered <= date {
            lists.append((ListStatus(record: record, asOf: date, context: grader.context), record.fact.description))
        }
        if !lists.isEmpty { present.insert(.listEntry) }
        if let entry = sources.commitments.entries[subject] {
            for record in entry.commitments where record.made <= date {
                present.insert(.commitment)
                guard let breached = record.breached, breached <= date else { continue }
                breaches.append((CommitmentStatus(record: record, asOf: date), record.breachFact?.description ?? ""))
            }
        }
        if let entry = sources.conduct.entries[subject] {
            for honour in entry.honours where honour.granted <= date { honours.append(honour) }
            for contract in entry.contracts where contract.date <= date { contracts.append(contract) }
            if !honours.isEmpty { present.insert(.honour) }
            if !contracts.isEmpty { present.insert(.contract) }
            if entry.evaluations.contains(where: { $0.published <= date }) { present.insert(.evaluation) }
        }
        if grader.needsLinks, case .person(let person) = subject, sources.mayBeLinked(person) {
            links = grader.penetration.linkedRecords(of: person, asOf: date, views: sources.views)
        }
    }

    private mutating func clear() {
        penalties.removeAll(keepingCapacity: true)
        lists.removeAll(keepingCapacity: true)
        breaches.removeAll(keepingCapacity: true)
        honours.removeAll(keepingCapacity: true)
        contracts.removeAll(keepingCapacity: true)
        links.removeAll(keepingCapacity: true)
        present = GradableRecords()
    }

    /// Calls `body` for each record that meets `condition` on `date`.
    func forEachHit(_ condition: GradingCondition, asOf date: LegalDate, _ body: (GradingHit) -> Void) {
        switch condition {
        case .penaltyInPublicity(let severities):
            for (status, fact) in penalties where status.isPublic && severities.contains(status.severity) {
                body(GradingHit(fact: fact, ref: status.decisionNo.text, date: status.decided))
            }
        case .onList(let kinds):
            for (status, fact) in lists where status.isActive && kinds.contains(status.list) {
                body(GradingHit(fact: fact, ref: status.listNo.text, date: status.onListSince))
            }
        case .breachWithin(let months, let kinds):
            for (status, fact) in breaches where status.status == .breached {
                guard let breach = status.breach, kinds.contains(breach), let breached = status.breached,
                      date < breached.adding(months: months) else { continue }
                body(GradingHit(fact: fact, ref: status.commitmentNo.text, date: breached))
            }
        case .contractDefaultWithin(let months):
            for contract in contracts where contract.performance.outcome == .defaulted && date < contract.date.adding(months: months) {
                body(GradingHit(fact: contract.fact.description, ref: contract.performance.contractNo.text, date: contract.date))
            }
        case .honourWithin(let years, let levels):
            for honour in honours where levels.contains(honour.honour.level) && date < honour.granted.adding(months: 12 * years) {
                body(GradingHit(fact: honour.fact.description, ref: honour.honour.title, date: honour.granted))
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
