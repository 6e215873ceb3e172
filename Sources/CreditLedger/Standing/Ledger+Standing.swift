import CreditFacts
import LedgerStorage

extension Ledger {
    /// `subject`'s standing on `date`, as known at `knownAt` (now when nil), its records judged
    /// under `policy`'s penetration rules. See ``withStatusViews(of:knownAt:_:)`` for what is read.
    /// - Throws: ``LedgerError`` (a status view the ledger does not run is ``LedgerError/unknownView(_:)``).
    public func standing(of subject: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil,
                         policy: PenetrationPolicy = .standard) throws -> Standing {
        let penetration = Penetration(policy: policy, context: context)
        // Answered live: the standing and whether the ledger holds facts about the subject in one
        // hold of the views' lock (so both describe the same facts).
        let read = try readLive(knownAt: knownAt) { state -> Standing in
            var standing = Standing(of: subject, asOf: date, views: try StatusViews(state.views), penetration: penetration)
            standing.inLedger = try Self.holds(subject, in: state.views, before: nil)
            return standing
        }
        switch read {
        case .answered(let standing): return standing
        case .past(let end):
            var standing = try pastStatusViews(of: subject, end: end) { views in
                Standing(of: subject, asOf: date, views: views, penetration: penetration)
            }
            standing.inLedger = try state.withLock { try Self.holds(subject, in: $0.views, before: end) }
            return standing
        }
    }

    /// Whether the ledger, as known at `knownAt` (now when nil), holds any fact about `subject`:
    /// one of its own, or, for a person, a role or decision of an organisation that names them.
    /// A valid code the ledger has never seen is not registered in this ledger: its standing is
    /// empty for want of data, not because its record is clean, and reports must say so.
    public func holdsFacts(about subject: SubjectCode, knownAt: RecordedTime? = nil) throws -> Bool {
        switch try readLive(knownAt: knownAt, { try Self.holds(subject, in: $0.views, before: nil) }) {
        case .answered(let held): return held
        case .past(let end): return try state.withLock { try Self.holds(subject, in: $0.views, before: end) }
        }
    }

    /// Whether the live `views` hold a fact about `subject` (for a person: or about an
    /// organisation whose records could reach them) before `end` (anywhere when nil).
    private static func holds(_ subject: SubjectCode, in views: ViewSet, before end: Position?) throws -> Bool {
        let index = views.view(LedgerIndex.self)!
        return try scope(of: subject, in: views).contains { code in
            guard let first = index.positions[code]?.first else { return false }
            return end.map { first < $0 } ?? true
        }
    }

    /// Runs `body` on the status views that answer about `subject` as known at `knownAt` — the one
    /// scope rule of every query about one subject. Now is served by the live views under the
    /// ledger's lock (keep `body` short). A past instant replays only the subject's facts and, for
    /// a person, those of the organisations whose records could reach them (where they ever held a
    /// role, or whose decisions name them), so its cost does not grow with the ledger.
    public func withStatusViews<R>(of subject: SubjectCode, knownAt: RecordedTime? = nil,
                                   _ body: (StatusViews) throws -> R) throws -> R {
        switch try readLive(knownAt: knownAt, { try body(try StatusViews($0.views)) }) {
        case .answered(let answer): return answer
        case .past(let end): return try pastStatusViews(of: subject, end: end, body)
        }
    }

    /// ``withStatusViews(of:knownAt:_:)`` for the facts before `end`, replayed.
    private func pastStatusViews<R>(of subject: SubjectCode, end: Position, _ body: (StatusViews) throws -> R) throws -> R {
        let positions = try state.withLock { state in
            Self.positions(of: try Self.scope(of: subject, in: state.views), in: state.views, before: end)
        }
        return try body(try StatusViews(try replayedViews(at: positions)))
    }

    /// The subjects whose facts a question about `subject` reads: the subject, and for a person
    /// the organisations whose records could reach them.
    private static func scope(of subject: SubjectCode, in views: ViewSet) throws -> [SubjectCode] {
        guard case .person(let person) = subject else { return [subject] }
        return [subject] + (try StatusViews(views).candidateOrganisations(of: person))
    }

    /// Runs `body` on the status views of every subject as known at `knownAt` (now when nil): for
    /// queries over the whole district (distributions, coverage, feedback).
    public func withStatusViews<R>(knownAt: RecordedTime? = nil, _ body: (StatusViews) throws -> R) throws -> R {
        try withViews(knownAt: knownAt) { try body(try StatusViews($0)) }
    }
}
