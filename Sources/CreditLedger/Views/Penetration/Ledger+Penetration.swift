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
        return try withStatusViews(knownAt: knownAt) { penetration.coverage(asOf: date, views: $0) }
    }

    /// The dishonesty records of `organisation` as of `date` with the persons each reaches.
    public func dishonestyRecords(of organisation: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                                  policy: PenetrationPolicy = .standard) throws -> [LinkedDishonestyRecord] {
        let penetration = Penetration(policy: policy, context: context)
        return try withStatusViews(of: organisation, knownAt: knownAt) { views in
            penetration.records(of: organisation, asOf: date, views: views).map {
                LinkedDishonestyRecord(record: $0, links: penetration.links(of: $0, asOf: date, views: views))
            }
        }
    }

    /// Everything penetration shows of `person` as of `date`: their linked records (from their
    /// ``Standing``) and the roles they hold that day.
    public func personPenetration(of person: CitizenIdentityNumber, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                                  policy: PenetrationPolicy = .standard) throws -> PersonPenetration {
        let penetration = Penetration(policy: policy, context: context)
        return try withStatusViews(of: .person(person), knownAt: knownAt) { views in
            PersonPenetration(person, standing: Standing(of: .person(person), asOf: date, views: views, penetration: penetration),
                              views: views)
        }
    }

    /// The early-warning signals of `subject` as of `date`.
    public func earlyWarnings(of subject: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                              policy: EarlyWarningPolicy = .standard) throws -> [EarlyWarning] {
        let warnings = EarlyWarnings(policy: policy)
        let penetration = Penetration(context: context)
        return try withStatusViews(of: subject, knownAt: knownAt) { views in
            warnings.signals(of: Standing(of: subject, asOf: date, views: views, penetration: penetration, withOrganisations: false))
        }
    }

    /// The early-warning signals of every subject as of `date`.
    public func earlyWarnings(asOf date: LegalDate, knownAt: RecordedTime? = nil,
                              policy: EarlyWarningPolicy = .standard) throws -> [EarlyWarning] {
        let warnings = EarlyWarnings(policy: policy)
        let penetration = Penetration(context: context)
        return try withStatusViews(knownAt: knownAt) { warnings.signals(asOf: date, views: $0, penetration: penetration) }
    }
}

extension PersonPenetration {
    /// What penetration shows of `person`, whose standing this is.
    init(_ person: CitizenIdentityNumber, standing: Standing, views: StatusViews) {
        let roles = views.registry.roles(of: person, on: standing.asOf)
        self.init(person: person, asOf: standing.asOf, links: standing.links,
                  roles: roles.map { HeldRole(organisation: $0.organisation, spell: $0.spell) })
    }
}
