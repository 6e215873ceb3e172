import CreditFacts
import LedgerStorage

/// A dishonesty record with the persons it reaches.
public struct LinkedDishonestyRecord: Sendable, Hashable {
    /// The record.
    public var record: DishonestyRecord
    /// Its links, sorted.
    public var links: [PenetrationLink]
}

/// What penetration shows of a person on a date: every organisation record linked to them, and
/// the roles they hold that day.
public struct PersonPenetration: Sendable, Hashable {
    /// The person.
    public var person: CitizenIdentityNumber
    /// The date.
    public var asOf: LegalDate
    /// Linked records (every basis), sorted.
    public var links: [PenetrationLink]
    /// Roles held on the date, by organisation code.
    public var roles: [HeldRole]
}

/// A role a person holds in an organisation.
public struct HeldRole: Sendable, Hashable {
    /// The organisation.
    public var organisation: SubjectCode
    /// The role and its spell.
    public var spell: SubjectRegistry.RoleSpell
}

extension Ledger {
    /// Penetration coverage as of `date`, as known at `knownAt` (now when nil).
    public func penetrationCoverage(asOf date: LegalDate, knownAt: RecordedTime? = nil,
                                    policy: PenetrationPolicy = .standard) throws -> PenetrationCoverage {
        let penetration = Penetration(policy: policy, context: context)
        return try withViews(knownAt: knownAt) { penetration.coverage(asOf: date, views: $0) }
    }

    /// The dishonesty records of `organisation` as of `date` with the persons each reaches.
    public func dishonestyRecords(of organisation: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                                  policy: PenetrationPolicy = .standard) throws -> [LinkedDishonestyRecord] {
        let penetration = Penetration(policy: policy, context: context)
        let body = { (views: ViewSet) in
            penetration.records(of: organisation, asOf: date, views: views).map {
                LinkedDishonestyRecord(record: $0, links: penetration.links(of: $0, asOf: date, views: views))
            }
        }
        if knownAt != nil, try pastEnd(knownAt) != nil { return body(try subjectViews([organisation], knownAt: knownAt)) }
        return try withViews(knownAt: nil, body)
    }

    /// Everything penetration shows of `person` as of `date`: a past `knownAt` replays only the
    /// person's facts and those of the organisations that could reach them.
    public func personPenetration(of person: CitizenIdentityNumber, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                                  policy: PenetrationPolicy = .standard) throws -> PersonPenetration {
        let penetration = Penetration(policy: policy, context: context)
        let body = { (views: ViewSet) -> PersonPenetration in
            let roles = views.view(SubjectRegistry.self)?.roles(of: person, on: date) ?? []
            return PersonPenetration(person: person, asOf: date, links: penetration.linkedRecords(of: person, asOf: date, views: views),
                                     roles: roles.map { HeldRole(organisation: $0.organisation, spell: $0.spell) })
        }
        if knownAt != nil, try pastEnd(knownAt) != nil {
            let organisations = try withViews { penetration.candidateOrganisations(of: person, views: $0) }
            return body(try subjectViews([.person(person)] + organisations, knownAt: knownAt))
        }
        return try withViews(knownAt: nil, body)
    }

    /// The early-warning signals of `subject` as of `date`.
    public func earlyWarnings(of subject: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                              policy: EarlyWarningPolicy = .standard) throws -> [EarlyWarning] {
        let warnings = EarlyWarnings(policy: policy)
        if knownAt != nil, try pastEnd(knownAt) != nil {
            return warnings.signals(of: subject, asOf: date, views: try subjectViews([subject], knownAt: knownAt))
        }
        return try withViews { warnings.signals(of: subject, asOf: date, views: $0) }
    }

    /// The early-warning signals of every subject as of `date`.
    public func earlyWarnings(asOf date: LegalDate, knownAt: RecordedTime? = nil,
                              policy: EarlyWarningPolicy = .standard) throws -> [EarlyWarning] {
        let warnings = EarlyWarnings(policy: policy)
        return try withViews(knownAt: knownAt) { warnings.signals(asOf: date, views: $0) }
    }
}
