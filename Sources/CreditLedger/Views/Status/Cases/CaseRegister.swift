import CreditFacts

/// Repair applications and objections as cases a credit office works (信用修复, 异议处理): per
/// subject, each case with the record it is against and the dates of its stages — received
/// (`repair.applied`, `objection.raised`), accepted (`repair.accepted`, `objection.accepted`) and
/// decided (`repair.decided`, `objection.resolved`) — with the outcome and the facts behind each
/// stage. The worklists, the applicant's progress and the repair certificate read it; the status
/// views keep their own repair and objection spells for the records' status.
///
/// It shows nothing the status views do not already show as of a date, so it adds nothing to the
/// ledger's digest.
public struct CaseRegister: Projector, SnapshotState, SubjectPartitioned {
    public static let name = "cases"
    public static let codeVersion = 1
    /// The facts this view reads.
    public static let factTypes: FactTypeSet = [.repairApplied, .repairAccepted, .repairDecided, .objectionRaised, .objectionAccepted, .objectionResolved]

    /// One repair application or objection.
    public struct Case: Sendable, Hashable {
        /// Repair or objection.
        public var kind: OpenCase.Kind
        /// The repair or objection number.
        public var number: String
        /// The record it is against.
        public var target: RecordTarget
        /// The repair commitment made with a repair application, if any.
        public var commitmentNo: CommitmentNo?
        /// The objection's claim, if an objection.
        public var claim: String?
        /// When it was received (the fact's effective date).
        public var received: LegalDate
        /// When it was accepted, if it has been.
        public var accepted: LegalDate?
        /// When it was decided, if it has been.
        public var decided: LegalDate?
        /// The outcome (`approved`, `rejected`; `upheld`, `corrected`, `withdrawn`), once decided.
        public var outcome: String?
        /// The decision's reason, if given.
        public var reason: String?
        /// The facts of its stages, in log order (application, acceptance, decision).
        public var facts: [FactRef]

        /// The stage reached by `date`.
        public func stage(on date: LegalDate) -> CaseStage {
            if let decided, decided <= date { return .decided }
            if let accepted, accepted <= date { return .accepted }
            return .received
        }

        /// The date of `stage`, if reached.
        public func date(of stage: CaseStage) -> LegalDate? {
            switch stage {
            case .received: received
            case .accepted: accepted
            case .decided: decided
            }
        }

        /// The record it is against, as text: `penalty D`, `list L`, `commitment C`.
        public var targetText: String { target.englishText }
    }

    private(set) var entries: [SubjectCode: [Case]] = [:]

    public init() {}

    public mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        switch fact.body {
        case .repairApplied(let r):
            entries[fact.subject, default: []].append(Case(kind: .repair, number: r.repairNo.text, target: r.target, commitmentNo: r.commitmentNo,
                                                          received: fact.effective, facts: [fact.ref]))
        case .objectionRaised(let o):
            entries[fact.subject, default: []].append(Case(kind: .objection, number: o.objectionNo.text, target: o.target, claim: o.claim,
                                                          received: fact.effective, facts: [fact.ref]))
        case .repairAccepted(let r):
            update(fact, .repair, r.repairNo.text, reaching: .accepted) { $0.accepted = fact.effective }
        case .objectionAccepted(let o):
            update(fact, .objection, o.objectionNo.text, reaching: .accepted) { $0.accepted = fact.effective }
        case .repairDecided(let d):
            update(fact, .repair, d.repairNo.text, reaching: .decided) {
                $0.decided = fact.effective
                $0.outcome = d.outcome.rawValue
                $0.reason = d.reason
            }
        case .objectionResolved(let r):
            update(fact, .objection, r.objectionNo.text, reaching: .decided) {
                $0.decided = fact.effective
                $0.outcome = r.outcome.rawValue
            }
        default:
            return
        }
    }

    /// Applies `change` to the latest case of `kind` and `number` of the fact's subject, unless that
    /// case already reached `stage` (a second acceptance or decision changes nothing).
    private mutating func update(_ fact: Fact, _ kind: OpenCase.Kind, _ number: String, reaching stage: CaseStage,
                                 _ change: (inout Case) -> Void) {
        guard let index = entries[fact.subject]?.lastIndex(where: { $0.kind == kind && $0.number == number }),
              entries[fact.subject]![index].date(of: stage) == nil else { return }
        change(&entries[fact.subject]![index])
        entries[fact.subject]![index].facts.append(fact.ref)
    }

    public mutating func merge(_ other: CaseRegister) {
        entries.merge(other.entries) { mine, _ in mine }
    }

    // MARK: - Queries

    /// The cases of `subject` received on or before `date` (every one when nil), in log order.
    public func cases(of subject: SubjectCode, asOf date: LegalDate? = nil) -> [Case] {
        let all = entries[subject] ?? []
        guard let date else { return all }
        return all.filter { $0.received <= date }
    }

    /// The subjects with cases, sorted.
    public var subjects: [SubjectCode] { entries.keys.sorted() }

    // MARK: - Canonical state

    public func encodeState(into encoder: inout CanonicalEncoder) {
        encoder.write(entries.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.description)
            e.write(pair.value) { e, c in
                e.write(word: c.kind)
                e.write(c.number)
                switch c.target {
                case .decision(let d): e.write(0 as UInt8); e.write(d.text)
                case .list(let l): e.write(1 as UInt8); e.write(l.text)
                case .commitment(let n): e.write(2 as UInt8); e.write(n.text)
                }
                e.write(c.commitmentNo) { e, n in e.write(id: n) }
                e.write(c.claim) { e, claim in e.write(claim) }
                e.write(c.received)
                e.write(optionalDate: c.accepted)
                e.write(optionalDate: c.decided)
                e.write(c.outcome) { e, o in e.write(o) }
                e.write(c.reason) { e, r in e.write(r) }
                e.write(c.facts) { e, f in e.write(f) }
            }
        }
    }

    public init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        for (subject, cases) in try d.readArray({ (d) throws(SnapshotError) in
            (try d.readSubject(), try d.readArray { (d) throws(SnapshotError) -> Case in
                let kind = try d.readWord(OpenCase.Kind.self)
                let number = try d.readString()
                let target: RecordTarget
                switch try d.readUInt8() {
                case 0: target = .decision(try d.readID(DecisionNo.self))
                case 1: target = .list(try d.readID(ListNo.self))
                case 2: target = .commitment(try d.readID(CommitmentNo.self))
                case let other: throw SnapshotError("unknown case target kind \(other)")
                }
                var c = Case(kind: kind, number: number, target: target,
                             commitmentNo: try d.readOptional { (d) throws(SnapshotError) in try d.readID(CommitmentNo.self) },
                             claim: try d.readOptional { (d) throws(SnapshotError) in try d.readString() },
                             received: try d.readDate(), facts: [])
                c.accepted = try d.readOptional { (d) throws(SnapshotError) in try d.readDate() }
                c.decided = try d.readOptional { (d) throws(SnapshotError) in try d.readDate() }
                c.outcome = try d.readOptional { (d) throws(SnapshotError) in try d.readString() }
                c.reason = try d.readOptional { (d) throws(SnapshotError) in try d.readString() }
                c.facts = try d.readArray { (d) throws(SnapshotError) in try d.readFactRef() }
                return c
            })
        }) {
            guard entries.updateValue(cases, forKey: subject) == nil else { throw SnapshotError("cases of \(subject) written twice") }
        }
    }
}

extension RecordTarget {
    /// The record in English, as the JSON and CSV documents have it: `penalty D`, `list L`, `commitment C`.
    public var englishText: String {
        switch self {
        case .decision(let d): "penalty \(d.text)"
        case .list(let l): "list \(l.text)"
        case .commitment(let c): "commitment \(c.text)"
        }
    }
}

extension CaseRegister: GrowsAhead {
    mutating func prepareTables(_ room: TableRoom) -> Bool {
        entries.prepare(room)
    }
}
