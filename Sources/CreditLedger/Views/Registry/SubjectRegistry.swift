import CreditFacts

/// The subject registry: every subject's registrations (names, kinds, regions over valid time),
/// deregistration, and the roles persons hold in organisations over time. The engine's first view,
/// and the base of penetration (穿透) in later views.
public struct SubjectRegistry: Projector, SnapshotState, DigestContent, SubjectPartitioned {
    public static let name = "registry"
    public static let codeVersion = 1
    /// The facts this view reads.
    public static let factTypes: FactTypeSet = [.subjectRegistered, .subjectDeregistered, .roleAssigned, .roleEnded]

    /// A registration as of its effective date.
    public struct Registration: Sendable, Hashable {
        /// When it took effect.
        public var effective: LegalDate
        /// The registered particulars.
        public var details: SubjectRegistration
    }

    /// A person's spell in a role of an organisation: `from` inclusive, `to` exclusive.
    public struct RoleSpell: Sendable, Hashable, Comparable {
        /// The person.
        public var person: CitizenIdentityNumber
        /// The role.
        public var role: Role
        /// The first day the role was held.
        public var from: LegalDate
        /// The day the role ended, if it has.
        public var to: LegalDate?

        /// Whether the role was held on `date`.
        public func isHeld(on date: LegalDate) -> Bool { from <= date && (to.map { date < $0 } ?? true) }

        public static func < (lhs: RoleSpell, rhs: RoleSpell) -> Bool {
            (lhs.from, lhs.person, lhs.role.rawValue) < (rhs.from, rhs.person, rhs.role.rawValue)
        }
    }

    /// What the registry knows of one subject.
    public struct Entry: Sendable, Hashable {
        /// Registrations in effective order (a later one renames or re-registers).
        public var registrations: [Registration] = []
        /// When the subject was deregistered, if it was.
        public var deregistered: LegalDate?
        /// Role spells in this organisation, in order of their start.
        public var roles: [RoleSpell] = []

        /// The registration in force on `date`.
        public func registration(asOf date: LegalDate) -> Registration? {
            registrations.last { $0.effective <= date }
        }
    }

    /// A subject as of a date.
    public struct Profile: Sendable, Hashable {
        /// The subject.
        public var subject: SubjectCode
        /// Its registered name, kind and region on that date.
        public var registration: SubjectRegistration?
        /// Whether it had been deregistered by that date.
        public var deregistered: LegalDate?
        /// The roles held in it on that date.
        public var roles: [RoleSpell]
    }

    private(set) var entries: [SubjectCode: Entry] = [:]
    /// For each person, the organisations they have held any role in.
    private(set) var organisationsByPerson: [CitizenIdentityNumber: [SubjectCode]] = [:]

    public init() {}

    public mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        switch fact.body {
        case .subjectRegistered(let details):
            Self.insert(Registration(effective: fact.effective, details: details), into: &entries[fact.subject, default: Entry()])
        case .subjectDeregistered:
            entries[fact.subject, default: Entry()].deregistered = fact.effective
        case .roleAssigned(let change):
            let spell = RoleSpell(person: change.person, role: change.role, from: fact.effective, to: nil)
            Self.insert(spell, into: &entries[fact.subject, default: Entry()])
            Self.note(fact.subject, in: &organisationsByPerson[change.person, default: []])
        case .roleEnded(let change):
            guard entries[fact.subject] != nil else { return }
            Self.end(change, on: fact.effective, in: &entries[fact.subject]!)
        default:
            return
        }
    }

    // Each helper mutates the entry in place inside the dictionary: copying an entry out and back
    // would copy its arrays on every fact.
    private static func insert(_ registration: Registration, into entry: inout Entry) {
        let index = entry.registrations.lastIndex { $0.effective <= registration.effective }.map { $0 + 1 } ?? 0
        entry.registrations.insert(registration, at: index)
    }

    private static func insert(_ spell: RoleSpell, into entry: inout Entry) {
        let index = entry.roles.lastIndex { $0 <= spell }.map { $0 + 1 } ?? 0
        entry.roles.insert(spell, at: index)
    }

    private static func end(_ change: RoleChange, on date: LegalDate, in entry: inout Entry) {
        guard let index = entry.roles.lastIndex(where: {
            $0.person == change.person && $0.role == change.role && $0.to == nil && $0.from <= date
        }) else { return }
        entry.roles[index].to = date
    }

    private static func note(_ organisation: SubjectCode, in organisations: inout [SubjectCode]) {
        if !organisations.contains(organisation) { organisations.append(organisation) }
    }

    public mutating func merge(_ other: SubjectRegistry) {
        entries.merge(other.entries) { mine, _ in mine }
        for (person, organisations) in other.organisationsByPerson {
            organisationsByPerson[person, default: []].append(contentsOf: organisations)
        }
    }

    // MARK: - Queries

    /// The number of subjects the registry knows.
    public var count: Int { entries.count }

    /// Everything the registry knows of `subject`, across all dates.
    public func entry(_ subject: SubjectCode) -> Entry? { entries[subject] }

    /// The subject as of `date`: registration in force, deregistration, roles held that day.
    public func profile(_ subject: SubjectCode, asOf date: LegalDate) -> Profile? {
        guard let entry = entries[subject] else { return nil }
        return Profile(
            subject: subject, registration: entry.registration(asOf: date)?.details,
            deregistered: entry.deregistered.flatMap { $0 <= date ? $0 : nil },
            roles: entry.roles.filter { $0.isHeld(on: date) })
    }

    /// The persons holding `role` in `organisation` on `date`.
    public func holders(of role: Role, in organisation: SubjectCode, on date: LegalDate) -> [CitizenIdentityNumber] {
        (entries[organisation]?.roles ?? []).filter { $0.role == role && $0.isHeld(on: date) }.map(\.person)
    }

    /// The organisations where `person` has held any role, on any date, sorted.
    public func organisations(of person: CitizenIdentityNumber) -> [SubjectCode] { (organisationsByPerson[person] ?? []).sorted() }

    /// The organisations where `person` holds a role on `date`, with the roles, sorted by code.
    public func roles(of person: CitizenIdentityNumber, on date: LegalDate) -> [(organisation: SubjectCode, spell: RoleSpell)] {
        (organisationsByPerson[person] ?? []).sorted().flatMap { organisation in
            (entries[organisation]?.roles ?? []).filter { $0.person == person && $0.isHeld(on: date) }.map { (organisation, $0) }
        }
    }

    // MARK: - Canonical state

    public func encodeState(into encoder: inout CanonicalEncoder) {
        encoder.write(entries.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.description)
            e.write(pair.value.registrations) { e, registration in
                e.write(registration.effective)
                Self.encode(registration.details, into: &e)
            }
            e.write(pair.value.deregistered) { e, date in e.write(date) }
            e.write(pair.value.roles) { e, spell in Self.encode(spell, into: &e) }
        }
    }

    public init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        let decoded = try d.readArray { (d) throws(SnapshotError) -> (SubjectCode, Entry) in
            let subject = try d.readSubject()
            var entry = Entry()
            entry.registrations = try d.readArray { (d) throws(SnapshotError) in
                Registration(effective: try d.readDate(), details: try Self.decodeRegistration(&d))
            }
            entry.deregistered = try d.readOptional { (d) throws(SnapshotError) in try d.readDate() }
            entry.roles = try d.readArray { (d) throws(SnapshotError) in try Self.decodeSpell(&d) }
            return (subject, entry)
        }
        entries.reserveCapacity(decoded.count)
        for (subject, entry) in decoded {
            entries[subject] = entry
            for spell in entry.roles where !(organisationsByPerson[spell.person]?.contains(subject) ?? false) {
                organisationsByPerson[spell.person, default: []].append(subject)
            }
        }
    }

    public func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder) {
        let known = entries.compactMap { subject, entry -> Profile? in
            let profile = profile(subject, asOf: date)
            return profile?.registration == nil && profile?.roles.isEmpty == true ? nil : profile
        }.sorted { $0.subject < $1.subject }
        encoder.write(known) { e, profile in
            e.write(profile.subject.description)
            e.write(profile.registration) { e, registration in Self.encode(registration, into: &e) }
            e.write(profile.deregistered) { e, date in e.write(date) }
            e.write(profile.roles) { e, spell in Self.encode(spell, into: &e) }
        }
    }

    private static func encode(_ r: SubjectRegistration, into e: inout CanonicalEncoder) {
        e.write(r.name)
        e.write(r.kind.rawValue)
        e.write(r.region.description)
        e.write(r.industry) { e, industry in e.write(industry) }
        e.write(r.birthDate) { e, date in e.write(date) }
    }

    private static func decodeRegistration(_ d: inout CanonicalDecoder) throws(SnapshotError) -> SubjectRegistration {
        let name = try d.readString()
        let kindText = try d.readString()
        let regionText = try d.readString()
        guard let kind = SubjectKind(rawValue: kindText) else { throw SnapshotError("bad subject kind \(kindText)") }
        let region: RegionCode
        do { region = try RegionCode(regionText) } catch { throw SnapshotError("bad region \(regionText)") }
        return SubjectRegistration(
            name: name, kind: kind, region: region,
            industry: try d.readOptional { (d) throws(SnapshotError) in try d.readString() },
            birthDate: try d.readOptional { (d) throws(SnapshotError) in try d.readDate() })
    }

    private static func encode(_ spell: RoleSpell, into e: inout CanonicalEncoder) {
        e.write(spell.person.description)
        e.write(spell.role.rawValue)
        e.write(spell.from)
        e.write(spell.to) { e, date in e.write(date) }
    }

    private static func decodeSpell(_ d: inout CanonicalDecoder) throws(SnapshotError) -> RoleSpell {
        let person = try d.readPerson()
        let roleText = try d.readString()
        guard let role = Role(rawValue: roleText) else { throw SnapshotError("bad role \(roleText)") }
        return RoleSpell(person: person, role: role, from: try d.readDate(),
                         to: try d.readOptional { (d) throws(SnapshotError) in try d.readDate() })
    }
}

extension SubjectRegistry: GrowsAhead {
    mutating func prepareTables(_ room: TableRoom) -> Bool {
        // Every table, each in turn (an array literal, not `||`, which would stop at the first).
        [entries.prepare(room), organisationsByPerson.prepare(room)].contains(true)
    }
}
