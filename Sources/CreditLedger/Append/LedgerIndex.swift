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
    /// 2: the key table's layout is canonical (Robin Hood order, size by count); version 1
    /// snapshots held the layout of whatever order the keys came in, and are rebuilt.
    static let codeVersion = 2
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
        // The slots as they are, in their canonical layout: the same keys give the same bytes
        // however the table was built, and loading is a copy.
        let table = keys.canonical
        encoder.write(UInt64(table.slots.count))
        table.slots.withUnsafeBytes { encoder.write(raw: $0) }
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
        let storedSlotCount = try d.readUInt64()
        guard storedSlotCount >= 16, storedSlotCount & (storedSlotCount - 1) == 0, storedSlotCount <= 1 << 34 else {
            throw SnapshotError("bad key table size \(storedSlotCount)")
        }
        let slotCount = Int(storedSlotCount)
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
        for (subject, numbers) in defined {
            var byKey = [ReferenceKey: LegalDate](minimumCapacity: numbers.count)
            for (key, date) in numbers {
                // The encoder writes each reference once; a repeat is damage, not a trap.
                guard byKey.updateValue(date, forKey: key) == nil else { throw SnapshotError("reference \(key.text) repeated") }
            }
            references[subject] = byKey
        }
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
