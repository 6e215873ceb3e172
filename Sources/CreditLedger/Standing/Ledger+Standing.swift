import CreditFacts
import LedgerStorage

extension Ledger {
    /// `subject`'s standing on `date`, as known at `knownAt` (now when nil), its records judged
    /// under `policy`'s penetration rules. See ``withStatusViews(of:knownAt:_:)`` for what is read.
    /// - Throws: ``LedgerError`` (a status view the ledger does not run is ``LedgerError/unknownView(_:)``).
    public func standing(of subject: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                         policy: PenetrationPolicy = .standard) throws -> Standing {
        let penetration = Penetration(policy: policy, context: context)
        var standing = try withStatusViews(of: subject, knownAt: knownAt) { views in
            Standing(of: subject, asOf: date, views: views, penetration: penetration)
        }
        standing.inLedger = try holdsFacts(about: subject, knownAt: knownAt)
        return standing
    }

    /// Whether the ledger, as known at `knownAt` (now when nil), holds any fact about `subject`:
    /// one of its own, or, for a person, a role or decision of an organisation that names them.
    /// A valid code the ledger has never seen is not registered in this ledger: its standing is
    /// empty for want of data, not because its record is clean, and reports must say so.
    public func holdsFacts(about subject: SubjectCode, knownAt: RecordedTime? = nil) throws -> Bool {
        let end = try pastEnd(knownAt) ?? .init(UInt64.max)
        var scope = [subject]
        if case .person(let person) = subject {
            scope += try withViews { try StatusViews($0).candidateOrganisations(of: person) }
        }
        return state.withLock { state in
            let index = state.views.view(LedgerIndex.self)!
            return scope.contains { (index.positions[$0]?.first).map { $0 < end } ?? false }
        }
    }

    /// Runs `body` on the status views that answer about `subject` as known at `knownAt` — the one
    /// scope rule of every query about one subject. Now is served by the live views under the
    /// ledger's lock (keep `body` short). A past instant replays only the subject's facts and, for
    /// a person, those of the organisations whose records could reach them (where they ever held a
    /// role, or whose decisions name them), so its cost does not grow with the ledger.
    public func withStatusViews<R>(of subject: SubjectCode, knownAt: RecordedTime? = nil,
                                   _ body: (StatusViews) throws -> R) throws -> R {
        if knownAt != nil, try pastEnd(knownAt) != nil {
            var scope = [subject]
            if case .person(let person) = subject {
                scope += try withViews { try StatusViews($0).candidateOrganisations(of: person) }
            }
            return try body(try StatusViews(try subjectViews(scope, knownAt: knownAt)))
        }
        return try withViews { try body(try StatusViews($0)) }
    }

    /// Runs `body` on the status views of every subject as known at `knownAt` (now when nil): for
    /// queries over the whole district (distributions, coverage, feedback).
    public func withStatusViews<R>(knownAt: RecordedTime? = nil, _ body: (StatusViews) throws -> R) throws -> R {
        try withViews(knownAt: knownAt) { try body(try StatusViews($0)) }
    }
}
