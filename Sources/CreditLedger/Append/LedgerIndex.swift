import CreditFacts
import LedgerStorage

/// The idempotency key of a fact, `(source, id)`, as 128 bits of SHA-256 so that millions of keys
/// cost a fixed 16 bytes each.
struct FactKey: Hashable, Sendable, Comparable {
    var high: UInt64
    var low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(source: SourceID, id: FactID) {
        var bytes = Array(source.text.utf8)
        bytes.append(0)
        bytes.append(contentsOf: id.text.utf8)
        let digest = ContentHash.sha256(bytes)
        (high, low) = digest
    }

    static func < (lhs: FactKey, rhs: FactKey) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
}

/// What the ledger remembers of each fact for idempotency: where it is and a hash of its content.
struct KeyedFact: Hashable, Sendable {
    var position: UInt64
    var content: UInt64
}

/// The ledger's own derived state, kept like a view (replayed, snapshotted): idempotency keys,
/// the numbers each subject has defined (for reference checks), and each subject's positions
/// (for single-subject queries at a past instant).
struct LedgerIndex: Projector, SnapshotState, SubjectPartitioned {
    static let name = "ledger.index"
    static let codeVersion = 1
    static let factTypes = FactTypeSet.all

    var keys = FactKeyTable()
    /// For each subject, each number it defined and the earliest effective date it was defined on.
    var references: [SubjectCode: [ReferenceKey: LegalDate]] = [:]
    var positions: [SubjectCode: [Position]] = [:]

    init() {}

    mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        keys.insertIfAbsent(FactKey(source: fact.source, id: fact.id),
                            KeyedFact(position: recorded.position.rawValue, content: recorded.contentHash))
        if let defined = fact.body.definedReference {
            Self.define(defined, on: fact.effective, in: &references[fact.subject, default: [:]])
        }
        positions[fact.subject, default: []].append(recorded.position)
    }

    /// Records that a number is defined on `date`, keeping the earliest date.
    private static func define(_ key: ReferenceKey, on date: LegalDate, in defined: inout [ReferenceKey: LegalDate]) {
        if let earlier = defined[key], earlier <= date { return }
        defined[key] = date
    }

    mutating func reserveCapacity(facts: Int) {
        keys.reserveCapacity(facts)
    }

    mutating func merge(_ other: LedgerIndex) {
        keys.merge(other.keys)
        references.merge(other.references) { mine, _ in mine }
        for (subject, list) in other.positions {
            positions[subject, default: []].append(contentsOf: list)
            positions[subject]!.sort()
        }
    }

    /// The earliest effective date on which `subject` defined `key`, if it did.
    func definition(of key: ReferenceKey, for subject: SubjectCode) -> LegalDate? {
        references[subject]?[key]
    }

    func encodeState(into encoder: inout CanonicalEncoder) {
        // The slots as they are: the layout is not canonical across rebuilds, but snapshots need
        // only read back to the same lookups, and loading is then a copy.
        encoder.write(UInt64(keys.slots.count))
        keys.slots.withUnsafeBytes { encoder.write(bytes: Array($0)) }
        encoder.write(references.sorted { $0.key < $1.key }) { e, subject in
            e.write(subject.key.description)
            e.write(subject.value.sorted { $0.key < $1.key }) { e, pair in
                e.write(pair.key.kind.rawValue); e.write(pair.key.text); e.write(pair.value)
            }
        }
        encoder.write(positions.sorted { $0.key < $1.key }) { e, subject in
            e.write(subject.key.description)
            e.write(subject.value) { e, position in e.write(position.rawValue) }
        }
    }

    init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        let slotCount = Int(try d.readUInt64())
        guard slotCount >= 16, slotCount & (slotCount - 1) == 0, slotCount <= 1 << 34 else {
            throw SnapshotError("bad key table size \(slotCount)")
        }
        let slots = try d.withBytes(slotCount * MemoryLayout<FactKeyTable.Slot>.stride) { raw in
            [FactKeyTable.Slot](unsafeUninitializedCapacity: slotCount) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
                initialized = slotCount
            }
        }
        keys = FactKeyTable(slots: slots)
        let defined = try d.readArray { (d) throws(SnapshotError) in
            (try d.readSubject(), try d.readArray { (d) throws(SnapshotError) in
                (ReferenceKey(kind: try d.readReferenceKind(), text: try d.readString()), try d.readDate())
            })
        }
        references.reserveCapacity(defined.count)
        for (subject, numbers) in defined { references[subject] = Dictionary(uniqueKeysWithValues: numbers) }
        let lists = try d.readArray { (d) throws(SnapshotError) in
            (try d.readSubject(), try d.readArray { (d) throws(SnapshotError) in Position(try d.readUInt64()) })
        }
        positions.reserveCapacity(lists.count)
        for (subject, list) in lists { positions[subject] = list }
    }
}

extension CanonicalDecoder {
    /// Reads a subject code written as text.
    mutating func readSubject() throws(SnapshotError) -> SubjectCode {
        let count = Int(try readUInt32())
        let result = try withBytes(count) { raw in
            Result { () throws(IdentifierError) in try SubjectCode(utf8: raw.bindMemory(to: UInt8.self)) }
        }
        do { return try result.get() } catch { throw SnapshotError("bad subject code in snapshot: \(error)") }
    }

    /// Reads a citizen identity number written as text.
    mutating func readPerson() throws(SnapshotError) -> CitizenIdentityNumber {
        guard case .person(let person) = try readSubject() else { throw SnapshotError("expected a citizen identity number") }
        return person
    }

    fileprivate mutating func readReferenceKind() throws(SnapshotError) -> ReferenceKey.Kind {
        let raw = try readUInt8()
        guard let kind = ReferenceKey.Kind(rawValue: raw) else { throw SnapshotError("bad reference kind \(raw)") }
        return kind
    }
}
