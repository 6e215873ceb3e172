import CreditFacts

/// A subject's standing (信用状况) on a date: each of its records judged once by the status views'
/// rules, for every judge to read — grading, measures, penetration, early warnings, the credit
/// report and the subject document. Repair, exit, revocation, correction on objection and expiry
/// are already in each status, so a judge only filters.
///
/// For a person it also holds the organisations that can reach them (where they held a role or a
/// decision names them): each organisation's own standing on the date, and the links from its
/// dishonesty records to the person (穿透关联).
public struct Standing: Sendable {
    /// A penalty decided on or before the date, with its status on the date.
    public struct Penalty: Sendable, Hashable {
        /// The record as the publicity view keeps it.
        public var record: PenaltyPublicity.Record
        /// Its status on the date.
        public var status: PenaltyStatus
    }

    /// A list entry made on or before the date, with its status on the date (a rolled-over
    /// abnormal-operation entry is two listings: the abnormal entry and its serious listing).
    public struct Listing: Sendable, Hashable {
        /// The record as the list register keeps it.
        public var record: ListRegister.Record
        /// Its status on the date.
        public var status: ListStatus
    }

    /// A commitment made or breached on or before the date, with its status on the date.
    public struct Commitment: Sendable, Hashable {
        /// The record as the commitment register keeps it.
        public var record: CommitmentRegister.Record
        /// Its status on the date.
        public var status: CommitmentStatus
        /// The first approved repair of this commitment decided on or after its breach, by the date.
        public var repaired: LegalDate?
        /// Whether the commitment had been made by the date (a breach may carry an earlier date).
        public var isMade: Bool
    }

    /// The subject.
    public private(set) var subject: SubjectCode
    /// Whether the ledger holds any fact about the subject as known then (``Ledger/holdsFacts(about:knownAt:)``);
    /// false for a valid code nobody reported: its empty record says nothing about its conduct.
    public internal(set) var inLedger = true
    /// The date the records are judged on.
    public private(set) var asOf: LegalDate
    /// Its registration on the date, if it is registered.
    public private(set) var profile: SubjectRegistry.Profile?
    /// The roles held in it (an organisation's) that began on or before the date, by start and person.
    public private(set) var roles: [SubjectRegistry.RoleSpell] = []
    /// Penalties decided on or before the date (archived ones included), in record order.
    public private(set) var penalties: [Penalty] = []
    /// List entries made on or before the date (archived ones included), in record order.
    public private(set) var listings: [Listing] = []
    /// Commitments made or breached on or before the date, in record order.
    public private(set) var commitments: [Commitment] = []
    /// The subject's repair applications made on or before the date, in record order.
    public private(set) var repairs: [RepairSpell] = []
    /// Licences granted on or before the date, each with its state on the date, in record order.
    public private(set) var licences: [LicenceStatus] = []
    /// Honours granted on or before the date.
    public private(set) var honours: [ConductRecords.HonourRecord] = []
    /// Contract performances recorded on or before the date.
    public private(set) var contracts: [ConductRecords.ContractRecord] = []
    /// Evaluations published on or before the date.
    public private(set) var evaluations: [ConductRecords.EvaluationRecord] = []
    /// A person's organisations that can reach them, each with its standing on the date, by code.
    public private(set) var organisations: [Standing] = []
    /// A person's links to the organisations' dishonesty records (every basis), sorted.
    public private(set) var links: [PenetrationLink] = []

    /// `subject`'s standing on `date` in `views`, judged under `penetration`'s rules; a person's
    /// organisations and links are read unless `withOrganisations` is false.
    public init(of subject: SubjectCode, asOf date: LegalDate, views: StatusViews, penetration: Penetration,
                withOrganisations: Bool = true) {
        self.init(of: subject, asOf: date, views: views, penetration: penetration, withOrganisations: withOrganisations, parts: .all)
    }

    /// `subject`'s standing on `date` with only `parts` beside its penalties, list entries and
    /// commitments (the parts left out stay empty).
    init(of subject: SubjectCode, asOf date: LegalDate, views: StatusViews, penetration: Penetration,
         withOrganisations: Bool, parts: Parts) {
        self.subject = subject
        self.asOf = date
        read(subject, asOf: date, views: views, penetration: penetration, withOrganisations: withOrganisations, parts: parts)
    }

    /// What a standing reads beside the penalties, list entries and commitments every judge reads:
    /// a distribution or a coverage over every subject reads only what its rules look at.
    struct Parts: OptionSet, Sendable {
        let rawValue: UInt8
        /// The registration on the date and the roles held in the subject.
        static let registry = Parts(rawValue: 1)
        /// Licences with their state (the registration is read for them too).
        static let licences = Parts(rawValue: 2)
        /// Honours, contract performances and evaluations.
        static let conduct = Parts(rawValue: 4)
        /// Repair applications.
        static let repairs = Parts(rawValue: 8)
        /// Everything.
        static let all: Parts = [.registry, .licences, .conduct, .repairs]
    }

    /// Replaces the contents with `subject`'s standing on `date`, keeping the arrays' capacity (a
    /// distribution reuses one value subject after subject).
    mutating func read(_ subject: SubjectCode, asOf date: LegalDate, views: StatusViews, penetration: Penetration,
                       withOrganisations: Bool, parts: Parts = .all) {
        clear(subject, asOf: date)
        let context = penetration.context
        if !parts.isDisjoint(with: [.registry, .licences]) { profile = views.registry.profile(subject, asOf: date) }
        if parts.contains(.registry) { readRegistry(views.registry) }
        for record in views.publicity.records(of: subject) where record.decided <= date {
            penalties.append(Penalty(record: record, status: PenaltyStatus(record: record, subject: subject, asOf: date, context: context)))
        }
        for (record, status) in views.lists.listings(of: subject, asOf: date, context: context) {
            listings.append(Listing(record: record, status: status))
        }
        readCommitments(views.commitments, repairs: parts.contains(.repairs))
        if !parts.isDisjoint(with: [.licences, .conduct]) { readConduct(views.conduct, parts: parts) }
        if withOrganisations, case .person(let person) = subject, views.mayBeLinked(person) {
            readOrganisations(of: person, views: views, penetration: penetration, parts: parts)
        }
    }

    private mutating func clear(_ subject: SubjectCode, asOf date: LegalDate) {
        self.subject = subject
        self.asOf = date
        profile = nil
        roles.removeAll(keepingCapacity: true)
        penalties.removeAll(keepingCapacity: true)
        listings.removeAll(keepingCapacity: true)
        commitments.removeAll(keepingCapacity: true)
        repairs.removeAll(keepingCapacity: true)
        licences.removeAll(keepingCapacity: true)
        honours.removeAll(keepingCapacity: true)
        contracts.removeAll(keepingCapacity: true)
        evaluations.removeAll(keepingCapacity: true)
        organisations.removeAll(keepingCapacity: true)
        links.removeAll(keepingCapacity: true)
    }

    private mutating func readRegistry(_ registry: SubjectRegistry) {
        guard let entry = registry.entries[subject], !entry.roles.isEmpty else { return }
        roles = entry.roles.filter { $0.from <= asOf }.sorted { ($0.from, $0.person) < ($1.from, $1.person) }
    }

    private mutating func readCommitments(_ register: CommitmentRegister, repairs readRepairs: Bool) {
        guard let entry = register.entry(subject) else { return }
        let date = asOf
        for record in entry.commitments {
            let breached = record.breached.flatMap { $0 <= date ? $0 : nil }
            guard record.made <= date || breached != nil else { continue }
            commitments.append(Commitment(record: record, status: CommitmentStatus(record: record, asOf: date), repaired: record.repaired(by: date),
                                          isMade: record.made <= date))
        }
        if readRepairs { repairs.append(contentsOf: entry.repairs.lazy.filter { $0.applied <= date }) }
    }

    private mutating func readConduct(_ conduct: ConductRecords, parts: Parts) {
        guard let entry = conduct.entries[subject] else { return }
        let date = asOf
        if parts.contains(.licences) {
            for record in entry.licences where record.granted <= date {
                licences.append(LicenceStatus(record: record, penalties: penalties, deregistered: profile?.deregistered, asOf: date))
            }
        }
        guard parts.contains(.conduct) else { return }
        honours.append(contentsOf: entry.honours.lazy.filter { $0.granted <= date })
        contracts.append(contentsOf: entry.contracts.lazy.filter { $0.date <= date })
        evaluations.append(contentsOf: entry.evaluations.lazy.filter { $0.published <= date })
    }

    /// Each organisation that can reach `person`, its standing (with `parts`), and the links from
    /// its dishonesty records to the person.
    private mutating func readOrganisations(of person: CitizenIdentityNumber, views: StatusViews, penetration: Penetration, parts: Parts) {
        for organisation in views.candidateOrganisations(of: person) {
            let standing = Standing(of: organisation, asOf: asOf, views: views, penetration: penetration, withOrganisations: false, parts: parts)
            for record in penetration.records(in: standing) {
                links += penetration.links(of: record, asOf: asOf, views: views).filter { $0.person == person }
            }
            organisations.append(standing)
        }
        links.sort()
    }

    /// The standing of `organisation` among a person's organisations, if it is one.
    public func organisation(_ organisation: SubjectCode) -> Standing? {
        organisations.first { $0.subject == organisation }
    }

    /// The penalties a report shows: those not yet archived on the date, in decision order.
    public var reportedPenalties: [PenaltyStatus] {
        penalties.map(\.status).filter { $0.archivedFrom > asOf }
    }

    /// The list entries a report shows: those not yet archived on the date, in entry order.
    public var reportedListings: [ListStatus] {
        listings.map(\.status).filter { $0.archivedFrom.map { $0 > asOf } ?? true }
    }

    /// The commitments made on or before the date, judged on it.
    public var madeCommitments: [CommitmentStatus] {
        commitments.filter(\.isMade).map(\.status)
    }

    /// Whether the subject may use notification-and-commitment (告知承诺) on the date: not while a
    /// false commitment breached stands unrepaired.
    public var notificationAndCommitment: CommitmentRegister.Eligibility {
        .notificationAndCommitment(commitments.filter(\.isMade).map { ($0.status, $0.repaired) })
    }
}
