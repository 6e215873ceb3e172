import CreditFacts

/// The status views every judge reads (grading, measures, penetration, early warnings, reports),
/// taken out of a ``ViewSet`` once per query. A view the ledger does not run is an error here, at
/// the start of the query, rather than an empty answer later.
public struct StatusViews: Sendable {
    /// Registrations and roles.
    public let registry: SubjectRegistry
    /// Penalties and their publicity.
    public let publicity: PenaltyPublicity
    /// List entries.
    public let lists: ListRegister
    /// Commitments and repairs.
    public let commitments: CommitmentRegister
    /// Honours, contracts and evaluations.
    public let conduct: ConductRecords

    /// The view types a ``StatusViews`` needs, for a ledger or a subscriber that builds its own.
    public static let types: [any Projector.Type] = [
        SubjectRegistry.self, PenaltyPublicity.self, ListRegister.self, CommitmentRegister.self, ConductRecords.self,
    ]

    /// Takes the status views out of `views`.
    /// - Throws: ``LedgerError/unknownView(_:)`` naming the first status view `views` lacks.
    public init(_ views: ViewSet) throws(LedgerError) {
        registry = try Self.required(views)
        publicity = try Self.required(views)
        lists = try Self.required(views)
        commitments = try Self.required(views)
        conduct = try Self.required(views)
    }

    private static func required<V: Projector>(_ views: ViewSet) throws(LedgerError) -> V {
        guard let view = views.view(V.self) else { throw .unknownView(V.name) }
        return view
    }

    /// Whether any organisation record could reach `person` (they held a role somewhere or a
    /// decision names them): most persons are neither, and skip penetration's look-ups.
    func mayBeLinked(_ person: CitizenIdentityNumber) -> Bool {
        registry.organisationsByPerson[person] != nil || publicity.subjectsNamingPerson[person] != nil
    }

    /// The organisations whose records could reach `person`: those where they ever held a role and
    /// those whose decisions name them. Sorted, without repeats. This is the one scope rule of a
    /// person's standing.
    public func candidateOrganisations(of person: CitizenIdentityNumber) -> [SubjectCode] {
        guard mayBeLinked(person) else { return [] }
        var organisations = Set(registry.organisations(of: person))
        organisations.formUnion(publicity.subjects(naming: person))
        return organisations.sorted()
    }

    /// The subjects with a penalty, a list entry or a commitment, sorted.
    var subjectsWithRecords: [SubjectCode] { subjectsWithRecords { _ in true } }

    /// The subjects with a penalty, a list entry or a commitment that `include` accepts, sorted,
    /// each once (each view's subjects taken unsorted, those accepted sorted once, repeats dropped).
    func subjectsWithRecords(where include: (SubjectCode) -> Bool) -> [SubjectCode] {
        var subjects: [SubjectCode] = []
        subjects.append(contentsOf: publicity.records.keys.lazy.filter(include))
        subjects.append(contentsOf: lists.records.keys.lazy.filter(include))
        subjects.append(contentsOf: commitments.entries.keys.lazy.filter(include))
        subjects.sort()
        var kept = 0
        for index in subjects.indices where kept == 0 || subjects[index] != subjects[kept - 1] {
            subjects[kept] = subjects[index]
            kept += 1
        }
        subjects.removeLast(subjects.count - kept)
        return subjects
    }

    /// The subjects a distribution counts on `date`: registered on or before it and not
    /// deregistered by then (a deregistered subject is no longer supervised). In the registry's
    /// storage order: counts and draws do not depend on it (a draw sorts by its own ranking).
    func gradedSubjects(asOf date: LegalDate) -> [SubjectCode] {
        var subjects: [SubjectCode] = []
        subjects.reserveCapacity(registry.entries.count)
        for (subject, entry) in registry.entries where Self.isGraded(entry, asOf: date) { subjects.append(subject) }
        return subjects
    }

    /// Whether a distribution on `date` counts `subject` (as ``gradedSubjects(asOf:)`` lists them).
    func isGraded(_ subject: SubjectCode, asOf date: LegalDate) -> Bool {
        registry.entries[subject].map { Self.isGraded($0, asOf: date) } ?? false
    }

    private static func isGraded(_ entry: SubjectRegistry.Entry, asOf date: LegalDate) -> Bool {
        guard let first = entry.registrations.first, first.effective <= date else { return false }
        if let gone = entry.deregistered, gone <= date { return false }
        return true
    }
}
