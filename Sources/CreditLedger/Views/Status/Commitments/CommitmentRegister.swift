import CreditFacts

/// Commitments (信用承诺) of the six kinds: made, fulfilled (践诺), breached (违诺: late, false,
/// violated), and objections against them. As of a date a commitment is open, fulfilled, breached,
/// overdue (past its `dueDate` with no outcome) or revoked (its breach corrected on objection).
///
/// A false commitment (虚假承诺) is a negative record and disqualifies the subject from
/// notification-and-commitment (告知承诺) until *that* dishonesty is repaired (国办发〔2020〕42号:
/// 曾作出虚假承诺等情形的，在信用修复前不适用告知承诺制): only an approved repair whose target is
/// the commitment (`repair.applied` with `target.commitmentNo`) lifts the bar, never the repair of
/// some other record of the subject.
public struct CommitmentRegister: Projector, SnapshotState, DigestContent, SubjectPartitioned {
    public static let name = "commitments"
    public static let codeVersion = 3
    /// The facts this view reads.
    public static let factTypes: FactTypeSet = [
        .commitmentMade, .commitmentFulfilled, .commitmentBreached, .repairApplied, .repairDecided, .objectionRaised,
        .objectionResolved,
    ]

    /// One commitment and what happened to it, as recorded.
    public struct Record: Sendable, Hashable {
        /// The commitment's number.
        public var commitmentNo: CommitmentNo
        /// Which of the six kinds.
        public var kind: CommitmentKind
        /// When it was made.
        public var made: LegalDate
        /// When it falls due, if stated.
        public var dueDate: LegalDate?
        /// When it was fulfilled, if it was.
        public var fulfilled: LegalDate?
        /// When it was breached, if it was.
        public var breached: LegalDate?
        /// How it was breached.
        public var breach: BreachKind?
        /// The class of the breach.
        public var breachSeverity: Severity?
        /// The breach fact (`SOURCE/ID`), for grade reasons.
        public var breachFact: FactRef?
        /// Objections against it.
        public var objections: [ObjectionSpell] = []
        /// Repair applications whose target is this commitment.
        public var repairs: [RepairSpell] = []

        /// The first approved repair of this commitment decided on or after its breach, by `date`.
        public func repaired(by date: LegalDate) -> LegalDate? {
            guard let breached else { return nil }
            return repairs.compactMap { $0.approval(by: date) }.filter { $0 >= breached }.min()
        }
    }

    /// What the view keeps of one subject.
    public struct Entry: Sendable, Hashable {
        /// The subject's commitments in log order.
        public var commitments: [Record] = []
        /// Repair applications of the subject (any target), to find approvals by number.
        public var repairs: [RepairSpell] = []
    }

    private(set) var entries: [SubjectCode: Entry] = [:]

    public init() {}

    public mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        switch fact.body {
        case .commitmentMade(let m):
            entries[fact.subject, default: Entry()].commitments.append(
                Record(commitmentNo: m.commitmentNo, kind: m.kind, made: fact.effective, dueDate: m.dueDate))
        case .commitmentFulfilled(let f):
            Self.update(f.commitmentNo, in: &entries[fact.subject]) { if $0.fulfilled == nil { $0.fulfilled = fact.effective } }
        case .commitmentBreached(let b):
            Self.update(b.commitmentNo, in: &entries[fact.subject]) {
                guard $0.breached == nil else { return }
                $0.breached = fact.effective
                $0.breach = b.breach
                $0.breachSeverity = b.severity
                $0.breachFact = fact.ref
            }
        case .repairApplied(let a):
            let spell = RepairSpell(repairNo: a.repairNo, applied: fact.effective, commitmentNo: a.commitmentNo)
            entries[fact.subject, default: Entry()].repairs.append(spell)
            if case .commitment(let number) = a.target { Self.update(number, in: &entries[fact.subject]) { $0.repairs.append(spell) } }
        case .repairDecided(let d):
            guard entries[fact.subject] != nil else { return }
            _ = entries[fact.subject]!.repairs.decide(d, on: fact.effective)
            for i in entries[fact.subject]!.commitments.indices where entries[fact.subject]!.commitments[i].repairs.decide(d, on: fact.effective) {
                return
            }
        case .objectionRaised(let o):
            guard case .commitment(let number) = o.target else { return }
            let spell = ObjectionSpell(objectionNo: o.objectionNo, raised: fact.effective)
            Self.update(number, in: &entries[fact.subject]) { $0.objections.append(spell) }
        case .objectionResolved(let r):
            guard entries[fact.subject] != nil else { return }
            for i in entries[fact.subject]!.commitments.indices where entries[fact.subject]!.commitments[i].objections.resolve(r, on: fact.effective) {
                return
            }
        default:
            return
        }
    }

    private static func update(_ number: CommitmentNo, in entry: inout Entry?, _ body: (inout Record) -> Void) {
        guard entry != nil, let i = entry!.commitments.lastIndex(where: { $0.commitmentNo == number }) else { return }
        body(&entry!.commitments[i])
    }

    public mutating func merge(_ other: CommitmentRegister) {
        entries.merge(other.entries) { mine, _ in mine }
    }

    public mutating func reserveCapacity(facts: Int) { entries.reserveCapacity(entries.count + facts / 20) }

    /// Takes `subject`'s entry from the live view (the append's scratch copy is seeded so).
    public mutating func adopt(_ subject: SubjectCode, from live: Self) { entries[subject] = live.entries[subject] }

    // MARK: - Queries

    /// Everything the view keeps of `subject`.
    public func entry(_ subject: SubjectCode) -> Entry? { entries[subject] }

    /// The subjects with commitments or repairs, sorted.
    public var subjects: [SubjectCode] { entries.keys.sorted() }

    /// Every commitment of `subject` made on or before `date`, judged as of `date`.
    public func commitments(of subject: SubjectCode, asOf date: LegalDate) -> [CommitmentStatus] {
        (entries[subject]?.commitments ?? []).filter { $0.made <= date }.map { CommitmentStatus(record: $0, asOf: date) }
    }

    /// Whether `subject` may use notification-and-commitment (告知承诺) on `date`, and if not, why.
    public func notificationAndCommitment(for subject: SubjectCode, asOf date: LegalDate) -> Eligibility {
        guard let entry = entries[subject] else { return Eligibility(isAllowed: true, explanations: []) }
        // Only a repair of that very commitment lifts its bar (国办发〔2020〕42号).
        return .notificationAndCommitment(entry.commitments.filter { $0.made <= date }.map { r in
            (CommitmentStatus(record: r, asOf: date), r.repaired(by: date))
        })
    }

    /// Whether something is allowed, and the reasons it is not.
    public struct Eligibility: Sendable, Hashable {
        /// Whether it is allowed.
        public var isAllowed: Bool
        /// Why not: codes and parameters, worded by the pages (empty when allowed).
        public var explanations: [Explanation]
        /// Why not, in English (the JSON documents' text).
        public var reasons: [String] { explanations.map(\.text) }

        /// Allowed when `explanations` is empty.
        public init(isAllowed: Bool, explanations: [Explanation]) {
            self.isAllowed = isAllowed
            self.explanations = explanations
        }

        /// The rule of notification-and-commitment (告知承诺), in the one place both the register's
        /// digest and a subject's standing read it: not allowed while a false commitment breached
        /// by the date stands unrepaired. `commitments` are those made by the date, judged on it,
        /// each with the first repair approved after its breach.
        static func notificationAndCommitment(_ commitments: [(status: CommitmentStatus, repaired: LegalDate?)]) -> Eligibility {
            let reasons = commitments.compactMap { c, repaired -> Explanation? in
                guard c.status == .breached, c.breach == .false, let breached = c.breached, repaired == nil else { return nil }
                return Explanation(.falseCommitmentNotRepaired, "false commitment {commitment} ({date}) not repaired",
                                   ["commitment": .text(c.commitmentNo.text), "date": .date(breached)])
            }
            return Eligibility(isAllowed: reasons.isEmpty, explanations: reasons)
        }
    }

    // MARK: - Canonical state

    public func encodeState(into encoder: inout CanonicalEncoder) {
        encoder.write(entries.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.description)
            e.write(pair.value.commitments) { e, r in
                e.write(id: r.commitmentNo)
                e.write(word: r.kind)
                e.write(r.made)
                e.write(optionalDate: r.dueDate)
                e.write(optionalDate: r.fulfilled)
                e.write(optionalDate: r.breached)
                e.write(r.breach) { e, b in e.write(word: b) }
                e.write(r.breachSeverity) { e, s in e.write(word: s) }
                e.write(r.objections) { e, spell in e.write(spell) }
                e.write(r.breachFact) { e, key in e.write(key) }
                e.write(r.repairs) { e, spell in e.write(spell) }
            }
            e.write(pair.value.repairs) { e, spell in e.write(spell) }
        }
    }

    public init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        let decoded = try d.readArray { (d) throws(SnapshotError) -> (SubjectCode, Entry) in
            let subject = try d.readSubject()
            var entry = Entry()
            entry.commitments = try d.readArray { (d) throws(SnapshotError) -> Record in
                var r = Record(commitmentNo: try d.readID(CommitmentNo.self), kind: try d.readWord(CommitmentKind.self),
                               made: try d.readDate(), dueDate: try d.readOptionalDate())
                r.fulfilled = try d.readOptionalDate()
                r.breached = try d.readOptionalDate()
                r.breach = try d.readOptional { (d) throws(SnapshotError) in try d.readWord(BreachKind.self) }
                r.breachSeverity = try d.readOptional { (d) throws(SnapshotError) in try d.readWord(Severity.self) }
                r.objections = try d.readArray { (d) throws(SnapshotError) in try d.readObjection() }
                r.breachFact = try d.readOptional { (d) throws(SnapshotError) in try d.readFactRef() }
                r.repairs = try d.readArray { (d) throws(SnapshotError) in try d.readRepair() }
                return r
            }
            entry.repairs = try d.readArray { (d) throws(SnapshotError) in try d.readRepair() }
            return (subject, entry)
        }
        entries.reserveCapacity(decoded.count)
        for (subject, entry) in decoded { entries[subject] = entry }
    }

    public func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder) {
        encoder.write(subjects) { e, subject in
            e.write(subject.description)
            e.write(commitments(of: subject, asOf: date)) { e, c in
                e.write(id: c.commitmentNo)
                e.write(word: c.status)
                e.write(c.disputed)
            }
            e.write(notificationAndCommitment(for: subject, asOf: date).isAllowed)
        }
    }
}

/// A commitment as of a date.
public struct CommitmentStatus: Sendable, Hashable {
    /// Where a commitment stands.
    public enum Status: String, Sendable, Hashable {
        /// Made, not yet due or without a due date, no outcome.
        case open
        /// Fulfilled (践诺).
        case fulfilled
        /// Breached (违诺): a negative record.
        case breached
        /// Past its due date with no outcome.
        case overdue
        /// Its breach was corrected on objection: no longer a negative record.
        case revoked
    }

    /// The commitment's number.
    public var commitmentNo: CommitmentNo
    /// Which of the six kinds.
    public var kind: CommitmentKind
    /// When it was made.
    public var made: LegalDate
    /// Its status on the date asked about.
    public var status: Status
    /// When it was breached, if by that date.
    public var breached: LegalDate?
    /// How it was breached.
    public var breach: BreachKind?
    /// The class of the breach.
    public var breachSeverity: Severity?
    /// Whether an objection against it is open on that date.
    public var disputed: Bool

    init(record r: CommitmentRegister.Record, asOf date: LegalDate) {
        commitmentNo = r.commitmentNo
        kind = r.kind
        made = r.made
        disputed = r.objections.disputed(on: date)
        let breached = r.breached.flatMap { $0 <= date ? $0 : nil }
        self.breached = breached
        breach = breached == nil ? nil : r.breach
        breachSeverity = breached == nil ? nil : r.breachSeverity
        if r.objections.correction(by: date) != nil {
            status = .revoked
        } else if breached != nil {
            status = .breached
        } else if let fulfilled = r.fulfilled, fulfilled <= date {
            status = .fulfilled
        } else if let due = r.dueDate, date > due {
            status = .overdue
        } else {
            status = .open
        }
    }
}

extension CommitmentRegister: GrowsAhead {
    mutating func prepareTables(_ room: TableRoom) -> Bool {
        entries.prepare(room)
    }
}
