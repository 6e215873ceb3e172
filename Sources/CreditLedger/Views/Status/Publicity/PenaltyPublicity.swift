import CreditFacts

/// Penalties and their publicity (双公示, 信用修复): every penalty decision of a subject with what
/// later happened to it (performance, revocation, repair applications and decisions, objections).
///
/// The state keeps facts, not judgements: severity, publicity windows and repair eligibility are
/// worked out when asked, under the ``ViewContext``'s rule regimes, so a change of rules never
/// invalidates a snapshot. Queries: ``penalties(of:asOf:context:)``, ``penalty(_:of:asOf:context:)``,
/// ``repairEligibility(_:of:context:)``. Refuses at append the approval of a repair the regime does
/// not allow (`repairNotAllowed`) and a penalty on a person under 14 (`invalidValue`, `subject`:
/// 行政处罚法 Art. 30).
public struct PenaltyPublicity: Projector, SnapshotState, DigestContent, SubjectPartitioned, AdmissionRules {
    public static let name = "publicity"
    public static let codeVersion = 3
    /// The facts this view reads.
    public static let factTypes: FactTypeSet = [
        .penaltyDecided, .penaltyPerformed, .penaltyRevoked, .repairApplied, .repairDecided, .objectionRaised, .objectionResolved,
    ]

    /// One penalty decision and what happened to it, as recorded.
    public struct Record: Sendable, Hashable {
        /// The decision's number.
        public var decisionNo: DecisionNo
        /// The decision date (publicity starts here).
        public var decided: LegalDate
        /// What was decided (the legal basis is not kept: the log has it).
        public var kinds: PenaltyKinds
        /// The fine, if any.
        public var fine: Yuan?
        /// Summary or ordinary procedure.
        public var procedure: Procedure
        /// The severity the authority stated, if it did.
        public var statedSeverity: Severity?
        /// The regulatory field.
        public var field: RegulatoryField
        /// When the obligations were performed, if they were.
        public var performed: LegalDate?
        /// When the decision was revoked and why, if it was.
        public var revoked: LegalDate?
        /// Why it was revoked.
        public var revocationReason: RevocationReason?
        /// Repair applications against it.
        public var repairs: [RepairSpell] = []
        /// Objections against it.
        public var objections: [ObjectionSpell] = []
        /// The decision fact (`SOURCE/ID`), for grade reasons.
        public var fact: FactRef
        /// The persons the decision names as directly responsible (直接责任人), for penetration.
        public var directlyResponsible: [CitizenIdentityNumber] = []

        /// The regime judging this decision on `date`: that of the channel of its source.
        func regime(on date: LegalDate, _ context: ViewContext) -> RuleRegime {
            context.rules.regime(on: date, source: fact.source)
        }

        /// The decision as CreditFacts classifies it (the legal basis is not needed to classify).
        var decision: PenaltyDecision {
            PenaltyDecision(decisionNo: decisionNo, kinds: kinds, fine: fine, procedure: procedure,
                            severity: statedSeverity, field: field, legalBasis: "")
        }
    }

    private(set) var records: [SubjectCode: [Record]] = [:]
    /// For each person named directly responsible, the subjects whose decisions name them (derived:
    /// rebuilt from the records when a snapshot is read).
    private(set) var subjectsNamingPerson: [CitizenIdentityNumber: [SubjectCode]] = [:]

    public init() {}

    public mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        switch fact.body {
        case .penaltyDecided(let p):
            let record = Record(
                decisionNo: p.decisionNo, decided: fact.effective, kinds: p.kinds, fine: p.fine, procedure: p.procedure,
                statedSeverity: p.severity, field: p.field, fact: fact.ref, directlyResponsible: p.directlyResponsible ?? [])
            records[fact.subject, default: []].append(record)
            for person in record.directlyResponsible { Self.note(fact.subject, naming: person, in: &subjectsNamingPerson) }
        case .penaltyPerformed(let p):
            Self.update(p.decisionNo, in: &records[fact.subject]) { if $0.performed == nil { $0.performed = fact.effective } }
        case .penaltyRevoked(let r):
            Self.update(r.decisionNo, in: &records[fact.subject]) {
                guard $0.revoked == nil else { return }
                $0.revoked = fact.effective
                $0.revocationReason = r.reason
            }
        case .repairApplied(let a):
            guard case .decision(let number) = a.target else { return }
            let spell = RepairSpell(repairNo: a.repairNo, applied: fact.effective, commitmentNo: a.commitmentNo)
            Self.update(number, in: &records[fact.subject]) { $0.repairs.append(spell) }
        case .repairDecided(let d):
            updateFirst(in: &records[fact.subject]) { $0.repairs.decide(d, on: fact.effective) }
        case .objectionRaised(let o):
            guard case .decision(let number) = o.target else { return }
            let spell = ObjectionSpell(objectionNo: o.objectionNo, raised: fact.effective)
            Self.update(number, in: &records[fact.subject]) { $0.objections.append(spell) }
        case .objectionResolved(let r):
            updateFirst(in: &records[fact.subject]) { $0.objections.resolve(r, on: fact.effective) }
        default:
            return
        }
    }

    // The helpers mutate the subject's array in place inside the dictionary: no copy per fact.
    private static func update(_ number: DecisionNo, in list: inout [Record]?, _ body: (inout Record) -> Void) {
        updateLast(in: &list, where: { $0.decisionNo == number }, body)
    }

    private static func note(_ subject: SubjectCode, naming person: CitizenIdentityNumber,
                             in index: inout [CitizenIdentityNumber: [SubjectCode]]) {
        if index[person]?.contains(subject) != true { index[person, default: []].append(subject) }
    }

    public mutating func merge(_ other: PenaltyPublicity) {
        records.merge(other.records) { mine, _ in mine }
        for (person, subjects) in other.subjectsNamingPerson { subjectsNamingPerson[person, default: []].append(contentsOf: subjects) }
    }

    public mutating func reserveCapacity(facts: Int) { records.reserveCapacity(records.count + facts / 40) }

    // MARK: - Queries

    /// The penalty records of `subject`, as recorded (every date).
    public func records(of subject: SubjectCode) -> [Record] { records[subject] ?? [] }

    /// The subjects whose decisions name `person` as directly responsible, sorted.
    public func subjects(naming person: CitizenIdentityNumber) -> [SubjectCode] { (subjectsNamingPerson[person] ?? []).sorted() }

    /// The subjects with penalties, sorted.
    public var subjects: [SubjectCode] { records.keys.sorted() }

    /// Every penalty of `subject` decided on or before `date`, judged as of `date`, in decision order.
    /// Penalties past the retention period are archived: left out here, kept in the log.
    public func penalties(of subject: SubjectCode, asOf date: LegalDate, context: ViewContext) -> [PenaltyStatus] {
        (records[subject] ?? []).filter { $0.decided <= date }.map { PenaltyStatus(record: $0, subject: subject, asOf: date, context: context) }
            .filter { $0.archivedFrom > date }
    }

    /// One penalty of `subject` as of `date`, if it was decided by then.
    public func penalty(_ number: DecisionNo, of subject: SubjectCode, asOf date: LegalDate, context: ViewContext) -> PenaltyStatus? {
        guard let record = records[subject]?.last(where: { $0.decisionNo == number }), record.decided <= date else { return nil }
        return PenaltyStatus(record: record, subject: subject, asOf: date, context: context)
    }

    /// Whether repair application `repairNo` of `subject` may be approved, judged on its application
    /// date; nil when this view holds no such application (it targets a list).
    public func repairEligibility(_ repairNo: RepairNo, of subject: SubjectCode, context: ViewContext) -> RepairEligibility? {
        guard let record = records[subject]?.first(where: { $0.repairs.contains { $0.repairNo == repairNo } }),
              let spell = record.repairs.first(where: { $0.repairNo == repairNo }) else { return nil }
        return RepairEligibility.of(record, subject: subject, application: spell, context: context)
    }

    /// Takes `subject`'s records from the live view (the append's scratch copy is seeded so).
    public mutating func adopt(_ subject: SubjectCode, from live: Self) { records[subject] = live.records[subject] }

    public func admissionProblem(for fact: Fact, context: ViewContext) -> AdmissionProblem? {
        if case .penaltyDecided(let penalty) = fact.body, let reason = penalty.ageProblem(subject: fact.subject, effective: fact.effective) {
            return AdmissionProblem(field: "subject", kind: .invalid(.invalidValue), reason: reason)
        }
        guard case .repairDecided(let decision) = fact.body, decision.outcome == .approved,
              let eligibility = repairEligibility(decision.repairNo, of: fact.subject, context: context),
              !eligibility.isEligible else { return nil }
        return AdmissionProblem(
            field: "body.outcome", kind: .repairNotAllowed,
            reason: "repair \(decision.repairNo) of decision \(eligibility.target) cannot be approved: "
                + eligibility.problems.joined(separator: "; "))
    }

    // MARK: - Canonical state

    public func encodeState(into encoder: inout CanonicalEncoder) {
        encoder.write(records.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.description)
            e.write(pair.value) { e, r in Self.encode(r, into: &e) }
        }
    }

    public init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        let decoded = try d.readArray { (d) throws(SnapshotError) in
            (try d.readSubject(), try d.readArray { (d) throws(SnapshotError) in try Self.decodeRecord(&d) })
        }
        records.reserveCapacity(decoded.count)
        for (subject, list) in decoded {
            records[subject] = list
            for person in list.flatMap(\.directlyResponsible) { Self.note(subject, naming: person, in: &subjectsNamingPerson) }
        }
    }

    public func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder) {
        encoder.write(subjects) { e, subject in
            e.write(subject.description)
            e.write(penalties(of: subject, asOf: date, context: context)) { e, status in status.encode(into: &e) }
        }
    }

    private static func encode(_ r: Record, into e: inout CanonicalEncoder) {
        e.write(id: r.decisionNo)
        e.write(r.decided)
        e.write(UInt32(r.kinds.rawValue))
        e.write(r.fine) { e, fine in e.write(fine.fen) }
        e.write(word: r.procedure)
        e.write(r.statedSeverity) { e, s in e.write(word: s) }
        e.write(word: r.field)
        e.write(optionalDate: r.performed)
        e.write(optionalDate: r.revoked)
        e.write(r.revocationReason) { e, reason in e.write(word: reason) }
        e.write(r.repairs) { e, spell in e.write(spell) }
        e.write(r.objections) { e, spell in e.write(spell) }
        e.write(r.directlyResponsible) { e, person in e.write(person.description) }
        e.write(r.fact)
    }

    private static func decodeRecord(_ d: inout CanonicalDecoder) throws(SnapshotError) -> Record {
        let number = try d.readID(DecisionNo.self)
        let decided = try d.readDate()
        let kinds = PenaltyKinds(rawValue: UInt16(truncatingIfNeeded: try d.readUInt32()))
        let fine = try d.readOptional { (d) throws(SnapshotError) -> Yuan in
            let fen = try d.readInt64()
            guard let yuan = Yuan(fen: fen) else { throw SnapshotError("bad fine \(fen)") }
            return yuan
        }
        let procedure = try d.readWord(Procedure.self)
        let statedSeverity = try d.readOptional { (d) throws(SnapshotError) in try d.readWord(Severity.self) }
        let field = try d.readWord(RegulatoryField.self)
        let (performed, revoked) = (try d.readOptionalDate(), try d.readOptionalDate())
        let revocationReason = try d.readOptional { (d) throws(SnapshotError) in try d.readWord(RevocationReason.self) }
        let repairs = try d.readArray { (d) throws(SnapshotError) in try d.readRepair() }
        let objections = try d.readArray { (d) throws(SnapshotError) in try d.readObjection() }
        let directlyResponsible = try d.readArray { (d) throws(SnapshotError) in try d.readPerson() }
        return Record(
            decisionNo: number, decided: decided, kinds: kinds, fine: fine, procedure: procedure, statedSeverity: statedSeverity,
            field: field, performed: performed, revoked: revoked, revocationReason: revocationReason, repairs: repairs,
            objections: objections, fact: try d.readFactRef(), directlyResponsible: directlyResponsible)
    }
}

extension PenaltyPublicity: GrowsAhead {
    mutating func prepareTables(_ room: TableRoom) -> Bool {
        // Every table, each in turn (an array literal, not `||`, which would stop at the first).
        [records.prepare(room), subjectsNamingPerson.prepare(room)].contains(true)
    }
}
