import CreditFacts

/// Licences and other credit information of a subject: administrative licences (行政许可) as
/// granted, honours (荣誉表彰), contract performance (合同履约) and published evaluations of other
/// schemes (tax, construction …), with their dates. Grading counts honours as additions and
/// contract defaults as deductions; early warning counts contract defaults in a window. A
/// licence's status on a date (valid, expired, revoked, cancelled) is judged in the standing
/// (``LicenceStatus``), from the grant, the penalties and the registration, never stored.
///
/// Code version 2 added the licences: a snapshot of version 1 has none and is rebuilt from the log.
public struct ConductRecords: Projector, SnapshotState, DigestContent, SubjectPartitioned {
    public static let name = "conduct"
    public static let codeVersion = 2
    /// The facts this view reads.
    public static let factTypes: FactTypeSet = [.licenceGranted, .honourGranted, .contractPerformance, .evaluationPublished]

    /// A licence granted on a date (行政许可), by the department that reported it.
    public struct LicenceRecord: Sendable, Hashable {
        /// The source and id of the fact (`SOURCE/ID`); its source is the issuing department.
        public var fact: FactRef
        /// The date it was granted (the decision date).
        public var granted: LegalDate
        /// The decision number, licensed item and end of validity.
        public var grant: LicenceGrant
    }

    /// An honour granted on a date.
    public struct HonourRecord: Sendable, Hashable {
        /// The source and id of the fact, for reasons (`SOURCE/ID`).
        public var fact: FactRef
        /// The date it was granted.
        public var granted: LegalDate
        /// The title and level.
        public var honour: Honour
    }

    /// A contract's performance as reported on a date.
    public struct ContractRecord: Sendable, Hashable {
        /// The source and id of the fact (`SOURCE/ID`).
        public var fact: FactRef
        /// The date of the performance or default.
        public var date: LegalDate
        /// The contract and outcome.
        public var performance: ContractPerformance
    }

    /// A published evaluation of another scheme.
    public struct EvaluationRecord: Sendable, Hashable {
        /// The source and id of the fact (`SOURCE/ID`).
        public var fact: FactRef
        /// The publication date.
        public var published: LegalDate
        /// Scheme, grade and year.
        public var evaluation: Evaluation
    }

    /// What this view keeps of one subject, each list in log order.
    public struct Entry: Sendable, Hashable {
        /// Licences.
        public var licences: [LicenceRecord] = []
        /// Honours.
        public var honours: [HonourRecord] = []
        /// Contract performances and defaults.
        public var contracts: [ContractRecord] = []
        /// Evaluations.
        public var evaluations: [EvaluationRecord] = []
    }

    private(set) var entries: [SubjectCode: Entry] = [:]

    public init() {}

    public mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        switch fact.body {
        case .licenceGranted(let grant):
            entries[fact.subject, default: Entry()].licences.append(LicenceRecord(fact: fact.ref, granted: fact.effective, grant: grant))
        case .honourGranted(let honour):
            entries[fact.subject, default: Entry()].honours.append(
                HonourRecord(fact: fact.ref, granted: fact.effective, honour: honour))
        case .contractPerformance(let performance):
            entries[fact.subject, default: Entry()].contracts.append(
                ContractRecord(fact: fact.ref, date: fact.effective, performance: performance))
        case .evaluationPublished(let evaluation):
            entries[fact.subject, default: Entry()].evaluations.append(
                EvaluationRecord(fact: fact.ref, published: fact.effective, evaluation: evaluation))
        default:
            return
        }
    }

    public mutating func merge(_ other: ConductRecords) {
        entries.merge(other.entries) { mine, _ in mine }
    }

    // MARK: - Queries

    /// Everything this view holds of `subject` (every date), or an empty entry.
    public func entry(_ subject: SubjectCode) -> Entry { entries[subject] ?? Entry() }

    /// The subjects this view holds anything of, sorted.
    public var subjects: [SubjectCode] { entries.keys.sorted() }

    /// The honours of `subject` granted in the `years` years up to and including `date`.
    public func honours(of subject: SubjectCode, within years: Int, asOf date: LegalDate) -> [HonourRecord] {
        let start = date.adding(months: -12 * years)
        return (entries[subject]?.honours ?? []).filter { $0.granted > start && $0.granted <= date }
    }

    /// The contract defaults of `subject` dated on or before `date` and after `since` (when given).
    public func defaults(of subject: SubjectCode, since: LegalDate? = nil, asOf date: LegalDate) -> [ContractRecord] {
        (entries[subject]?.contracts ?? []).filter { record in
            record.performance.outcome == .defaulted && record.date <= date && (since.map { record.date > $0 } ?? true)
        }
    }

    // MARK: - Canonical state

    public func encodeState(into encoder: inout CanonicalEncoder) {
        encoder.write(entries.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.description)
            Self.encode(pair.value, into: &e)
        }
    }

    public init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        let decoded = try d.readArray { (d) throws(SnapshotError) in (try d.readSubject(), try Self.decodeEntry(&d)) }
        entries.reserveCapacity(decoded.count)
        for (subject, entry) in decoded { entries[subject] = entry }
    }

    public func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder) {
        let known = entries.compactMap { subject, entry -> (SubjectCode, Entry)? in
            let dated = Entry(licences: entry.licences.filter { $0.granted <= date },
                              honours: entry.honours.filter { $0.granted <= date },
                              contracts: entry.contracts.filter { $0.date <= date },
                              evaluations: entry.evaluations.filter { $0.published <= date })
            return dated == Entry() ? nil : (subject, dated)
        }.sorted { $0.0 < $1.0 }
        encoder.write(known) { e, pair in
            e.write(pair.0.description)
            Self.encode(pair.1, into: &e)
        }
    }

    private static func encode(_ entry: Entry, into e: inout CanonicalEncoder) {
        e.write(entry.licences) { e, l in
            e.write(l.fact)
            e.write(l.granted)
            e.write(id: l.grant.decisionNo)
            e.write(l.grant.item)
            e.write(optionalDate: l.grant.validUntil)
        }
        e.write(entry.honours) { e, h in
            e.write(h.fact)
            e.write(h.granted)
            e.write(h.honour.title)
            e.write(word: h.honour.level)
        }
        e.write(entry.contracts) { e, c in
            e.write(c.fact)
            e.write(c.date)
            e.write(id: c.performance.contractNo)
            e.write(word: c.performance.outcome)
            e.write(c.performance.amount) { e, amount in e.write(amount.fen) }
        }
        e.write(entry.evaluations) { e, v in
            e.write(v.fact)
            e.write(v.published)
            e.write(v.evaluation.scheme)
            e.write(v.evaluation.grade)
            e.write(v.evaluation.year.value)
        }
    }

    private static func decodeEntry(_ d: inout CanonicalDecoder) throws(SnapshotError) -> Entry {
        var entry = Entry()
        entry.licences = try d.readArray { (d) throws(SnapshotError) in
            LicenceRecord(fact: try d.readFactRef(), granted: try d.readDate(),
                          grant: LicenceGrant(decisionNo: try d.readID(DecisionNo.self), item: try d.readString(), validUntil: try d.readOptionalDate()))
        }
        entry.honours = try d.readArray { (d) throws(SnapshotError) in
            HonourRecord(fact: try d.readFactRef(), granted: try d.readDate(),
                         honour: Honour(title: try d.readString(), level: try d.readWord(HonourLevel.self)))
        }
        entry.contracts = try d.readArray { (d) throws(SnapshotError) in
            let fact = try d.readFactRef()
            let date = try d.readDate()
            let number = try d.readID(ContractNo.self)
            let outcome = try d.readWord(ContractOutcome.self)
            let amount = try d.readOptional { (d) throws(SnapshotError) -> Yuan in
                let fen = try d.readInt64()
                guard let yuan = Yuan(fen: fen) else { throw SnapshotError("bad contract amount \(fen)") }
                return yuan
            }
            return ContractRecord(fact: fact, date: date, performance: ContractPerformance(contractNo: number, outcome: outcome, amount: amount))
        }
        entry.evaluations = try d.readArray { (d) throws(SnapshotError) in
            let fact = try d.readFactRef()
            let published = try d.readDate()
            let scheme = try d.readString()
            let grade = try d.readString()
            let yearValue = try d.readInt()
            guard let year = EvaluationYear(yearValue) else { throw SnapshotError("bad evaluation year \(yearValue)") }
            return EvaluationRecord(fact: fact, published: published, evaluation: Evaluation(scheme: scheme, grade: grade, year: year))
        }
        return entry
    }
}

extension ConductRecords: GrowsAhead {
    mutating func prepareTables(_ room: TableRoom) -> Bool {
        entries.prepare(room)
    }
}
