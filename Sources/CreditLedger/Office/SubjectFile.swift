import CreditFacts
import LedgerStorage

/// One recorded fact in a subject's file, with its status as of the file's date.
public struct FileEntry: Sendable, Hashable {
    /// The fact as recorded (its effective date, source, body).
    public var fact: RecordedFact
    /// What became of it by the file's date, typed (the pages word it in the reader's language).
    public var state: FileStatus
    /// What became of it by the file's date, in English words (e.g. `active, general, public until
    /// 2025-01-10`), as the JSON document writes it; `recorded` for facts without a life of their
    /// own (a registration, a fulfilment).
    public var status: String { state.text }
}

/// What became of one fact of a subject's file by the file's date.
public enum FileStatus: Sendable, Hashable {
    /// A fact without a life of its own (a registration, a fulfilment), or one whose record the
    /// views no longer hold.
    case recorded
    /// A penalty decision: its status, class, publicity and dispute.
    case penalty(PenaltyStatus)
    /// A list entry: each listing of its number (one, or two after a rollover).
    case listings([ListStatus])
    /// A licence's state (valid, expired, revoked, cancelled).
    case licence(LicenceStatus)
    /// A commitment's status.
    case commitment(CommitmentStatus.Status)
    /// A repair application: pending since `applied`, or decided (`outcome`) on `decided`.
    case repair(applied: LegalDate, outcome: RepairOutcome?, decided: LegalDate?)
    /// An objection: open since `raised`, or resolved (`outcome`) on `resolved`.
    case objection(raised: LegalDate, outcome: ObjectionOutcome?, resolved: LegalDate?)

    /// The status in English words, as `file --json` writes it.
    public var text: String {
        switch self {
        case .recorded: return "recorded"
        case .penalty(let status):
            var text = "\(status.status.rawValue), \(status.severity.rawValue)"
            if status.isPublic, let end = status.publicityEnd { text += ", public until \(end)" } else if let why = status.whyNotPublic { text += ", not public: \(why)" }
            if status.disputed { text += ", disputed" }
            return text
        case .listings(let statuses):
            return statuses.map { s in
                s.isActive ? "on the \(s.list.rawValue) list since \(s.onListSince)" + (s.isPublished ? ", published" : ", not yet published")
                    + (s.plannedExpiry.map { ", planned exit \($0)" } ?? "")
                    : "off the \(s.list.rawValue) list: \(s.endReason ?? "ended")"
            }.joined(separator: "; ")
        case .licence(let licence): return Ledger.licenceText(licence)
        case .commitment(let status): return status.rawValue
        case .repair(_, let outcome?, let decided?): return "\(outcome.rawValue) on \(decided)"
        case .repair(let applied, _, _): return "pending since \(applied)"
        case .objection(_, let outcome?, let resolved?): return "\(outcome.rawValue) on \(resolved)"
        case .objection(let raised, _, _): return "open since \(raised)"
        }
    }
}

/// A role a person holds in an organisation on the file's date (一人一档: who links to them).
public struct FileRole: Sendable, Hashable {
    /// The organisation.
    public var organisation: SubjectCode
    /// The role.
    public var role: Role
    /// Since when.
    public var from: LegalDate
}

/// The subject's credit file (信用档案, 一企一档 / 一人一档): every fact recorded about it in time
/// order (effective date, then log order), each with its status as of the date, and for a person
/// the roles they hold in organisations and the organisations whose decisions name them.
public struct SubjectFile: Sendable, Hashable {
    /// The subject.
    public var subject: SubjectCode
    /// The date statuses are judged on.
    public var asOf: LegalDate
    /// Every fact about the subject effective on or before ``asOf`` and known at the instant asked about.
    public var entries: [FileEntry]
    /// For a person: roles held on ``asOf``, sorted by organisation.
    public var roles: [FileRole]
    /// For a person: organisations whose records can reach them (roles ever held, decisions naming them), sorted.
    public var linkedOrganisations: [SubjectCode]
    /// Whether the ledger holds any fact about the subject at all.
    public var inLedger: Bool
}

extension Ledger {
    /// `subject`'s credit file as of `date`, as known at `knownAt` (now when nil).
    public func subjectFile(of subject: SubjectCode, asOf date: LegalDate, knownAt: RecordedTime? = nil) throws -> SubjectFile {
        let end = try pastEnd(knownAt) ?? Position(UInt64.max)
        let positions = state.withLock { state in
            (state.views.view(LedgerIndex.self)!.positions[subject] ?? []).filter { $0 < end }
        }
        let records: [LogRecord]
        do { records = try log.records(at: positions) } catch { throw LedgerError.log(error) }
        var facts: [RecordedFact] = []
        for record in records {
            let fact = try record.payload.withUnsafeBytes { raw in
                try Replay.decode(LogRecordView(position: record.position, recordedTime: record.recordedTime, payload: raw))
            }
            if fact.fact.effective <= date { facts.append(fact) }
        }
        facts.sort { ($0.fact.effective, $0.position) < ($1.fact.effective, $1.position) }
        let context = self.context
        return try withStatusViews(of: subject, knownAt: knownAt) { views in
            var roles: [FileRole] = [], linked: [SubjectCode] = []
            if case .person(let person) = subject {
                roles = views.registry.roles(of: person, on: date).map { FileRole(organisation: $0.organisation, role: $0.spell.role, from: $0.spell.from) }
                linked = views.candidateOrganisations(of: person)
            }
            let entries = facts.map { FileEntry(fact: $0, state: Self.fileStatus(of: $0.fact, asOf: date, views: views, context: context)) }
            return SubjectFile(subject: subject, asOf: date, entries: entries, roles: roles, linkedOrganisations: linked,
                               inLedger: !facts.isEmpty || !linked.isEmpty)
        }
    }

    /// The status of one fact of the file on `date`.
    static func fileStatus(of fact: Fact, asOf date: LegalDate, views: StatusViews, context: ViewContext) -> FileStatus {
        switch fact.body {
        case .licenceGranted:
            guard let record = views.conduct.entry(fact.subject).licences.last(where: { $0.fact == fact.ref }) else { return .recorded }
            let penalties = views.publicity.records(of: fact.subject).filter { $0.decided <= date }.map {
                Standing.Penalty(record: $0, status: PenaltyStatus(record: $0, subject: fact.subject, asOf: date, context: context))
            }
            return .licence(LicenceStatus(record: record, penalties: penalties,
                                          deregistered: views.registry.profile(fact.subject, asOf: date)?.deregistered, asOf: date))
        case .penaltyDecided(let decision):
            guard let status = views.publicity.penalty(decision.decisionNo, of: fact.subject, asOf: date, context: context) else { return .recorded }
            return .penalty(status)
        case .listEntered(let entry):
            let statuses = views.lists.listings(of: fact.subject, asOf: date, context: context).map(\.status).filter { $0.listNo == entry.listNo }
            return statuses.isEmpty ? .recorded : .listings(statuses)
        case .commitmentMade(let made):
            guard let status = views.commitments.commitments(of: fact.subject, asOf: date).last(where: { $0.commitmentNo == made.commitmentNo })
            else { return .recorded }
            return .commitment(status.status)
        case .repairApplied(let application):
            guard let spell = views.commitments.entry(fact.subject)?.repairs.last(where: { $0.repairNo == application.repairNo }) else {
                return .recorded
            }
            if let decided = spell.decided, decided <= date, let outcome = spell.outcome { return .repair(applied: spell.applied, outcome: outcome, decided: decided) }
            return .repair(applied: spell.applied, outcome: nil, decided: nil)
        case .objectionRaised(let objection):
            let spells = views.publicity.records(of: fact.subject).flatMap(\.objections) + views.lists.records(of: fact.subject).flatMap(\.objections)
                + (views.commitments.entry(fact.subject)?.commitments.flatMap(\.objections) ?? [])
            guard let spell = spells.last(where: { $0.objectionNo == objection.objectionNo }) else { return .recorded }
            if let resolved = spell.resolved, resolved <= date, let outcome = spell.outcome {
                return .objection(raised: spell.raised, outcome: outcome, resolved: resolved)
            }
            return .objection(raised: spell.raised, outcome: nil, resolved: nil)
        default:
            return .recorded
        }
    }

    /// A licence's state in the file's words.
    static func licenceText(_ licence: LicenceStatus) -> String {
        let since = licence.since?.description ?? ""
        return switch licence.state {
        case .valid: "valid" + (licence.validUntil.map { " until \($0)" } ?? ", no fixed term")
        case .expired: "expired on \(since)"
        case .revoked: "revoked on \(since) by \(licence.revokedBy?.text ?? "a penalty")"
        case .cancelled: "cancelled on \(since): the holder was deregistered"
        }
    }
}
