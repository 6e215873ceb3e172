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
    /// 3: the keys are stored in position order (gaps as varints, then 24 bytes a key) and the
    /// table is rebuilt at open; each subject's positions as varint gaps; every subject written once. Version 2 stored the key
    /// table's slots as they lay (32 bytes a slot, a quarter of them empty) and each position in
    /// 8 bytes; version 1 held a layout that depended on the order the keys came in. Snapshots of
    /// older versions are not used: the views are rebuilt from the log.
    static let codeVersion = 3
    static let factTypes = FactTypeSet.all

    var keys = FactKeyTable()
    /// For each subject, each number it defined and the earliest effective date it was defined on.
    var references: [SubjectCode: [ReferenceKey: LegalDate]] = [:]
    var positions: [SubjectCode: [Position]] = [:]

    init() {}

    mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        keys.insertIfAbsent(recorded.key ?? FactKey(source: fact.source, id: fact.id),
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
        // The keys in the order of their facts' positions: the gaps between positions (nearly all
        // zero: a fact's key is new) as varints, then each key and content hash, 24 bytes that do
        // not compress. Opening rebuilds the table, whose layout depends on the keys alone.
        encoder.write(UInt64(keys.count))
        let order = keys.slotsInPositionOrder()
        var next: UInt64 = 0
        encoder.writeVarints(order.lazy.map { index in
            let slot = keys.slots[index]
            defer { next = slot.positionPlusOne }
            return slot.positionPlusOne - 1 - next
        })
        var batch: [UInt64] = []
        batch.reserveCapacity(3 * 4_096)
        for slot in order.lazy.map({ keys.slots[$0] }) {
            batch.append(slot.high.littleEndian); batch.append(slot.low.littleEndian); batch.append(slot.content.littleEndian)
            if batch.count >= 3 * 4_096 {
                batch.withUnsafeBytes { encoder.write(raw: $0) }
                batch.removeAll(keepingCapacity: true)
            }
        }
        batch.withUnsafeBytes { encoder.write(raw: $0) }
        // Every subject once, in order, with the count of its positions; then the gaps of every
        // subject's positions (the first from zero, the rest from the position after the one
        // before); then the numbers subjects defined, each subject by its place in the list.
        var subjects = Array(positions.keys)
        for subject in references.keys where positions[subject] == nil { subjects.append(subject) }
        subjects.sort()
        encoder.write(subjects) { e, subject in
            e.write(subject.description)
            e.write(UInt32(positions[subject]?.count ?? 0))
        }
        encoder.writeVarints(subjects.lazy.flatMap { subject in
            let list = self.positions[subject] ?? []
            return list.indices.lazy.map { index in list[index].rawValue - (index == 0 ? 0 : list[index - 1].rawValue + 1) }
        })
        encoder.write(subjects.indices.filter { references[subjects[$0]] != nil }) { e, place in
            e.write(UInt32(place))
            e.write(references[subjects[place]]!.sorted { $0.key < $1.key }) { e, pair in
                e.write(pair.key.kind.rawValue); e.write(pair.key.text); e.write(UInt32(bitPattern: pair.value.daysSinceEpoch))
            }
        }
    }

    init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        let storedCount = try d.readUInt64()
        // Each key takes 24 bytes and a varint: a count the bytes left cannot hold is damage.
        guard storedCount <= UInt64(d.remainingBytes / 25) else { throw SnapshotError("bad key count \(storedCount)") }
        let count = Int(storedCount)
        var positionsPlusOne: [UInt64] = []
        positionsPlusOne.reserveCapacity(count)
        var next: UInt64 = 0
        try d.readVarints(count: count) { (gap) throws(SnapshotError) in
            let (position, overflow) = next.addingReportingOverflow(gap)
            guard !overflow, position < UInt64.max - 1 else { throw SnapshotError("key position out of range") }
            positionsPlusOne.append(position + 1)
            next = position + 1
        }
        let restored = try d.withBytes(count * 24) { raw in
            FactKeyTable(restoring: count) { index in
                let base = index * 24
                return FactKeyTable.Slot(high: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base, as: UInt64.self)),
                                         low: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8, as: UInt64.self)),
                                         positionPlusOne: positionsPlusOne[index],
                                         content: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 16, as: UInt64.self)))
            }
        }
        guard let restored else { throw SnapshotError("an idempotency key repeated") }
        keys = restored
        positionsPlusOne = []
        let subjects = try d.readArray { (d) throws(SnapshotError) in (try d.readSubject(), Int(try d.readUInt32())) }
        let total = subjects.reduce(0) { $0 + $1.1 }
        guard total <= d.remainingBytes else { throw SnapshotError("\(total) positions exceed the remaining bytes") }
        var all: [Position] = []
        all.reserveCapacity(total)
        var subject = 0, left = subjects.first?.1 ?? 0, after: UInt64 = 0
        try d.readVarints(count: total) { (gap) throws(SnapshotError) in
            while left == 0 { subject += 1; left = subjects[subject].1; after = 0 }
            let (position, overflow) = after.addingReportingOverflow(gap)
            guard !overflow, position < UInt64.max else { throw SnapshotError("position out of range") }
            all.append(Position(position))
            after = position + 1
            left -= 1
        }
        positions.reserveCapacity(subjects.count)
        var from = 0, previous: SubjectCode?
        for (code, listed) in subjects {
            // Written in order, each once: anything else is damage, never a merged list.
            guard previous.map({ $0 < code }) ?? true else { throw SnapshotError("subject \(code) repeated or out of order") }
            previous = code
            if listed > 0 { positions[code] = Array(all[from..<(from + listed)]) }
            from += listed
        }
        all = []
        let defined = try d.readArray { (d) throws(SnapshotError) in
            (Int(try d.readUInt32()), try d.readArray { (d) throws(SnapshotError) in
                (ReferenceKey(kind: try d.readReferenceKind(), text: try d.readString()),
                 LegalDate(daysSinceEpoch: Int32(bitPattern: try d.readUInt32())))
            })
        }
        references.reserveCapacity(defined.count)
        for (place, numbers) in defined {
            guard subjects.indices.contains(place) else { throw SnapshotError("subject number \(place) of \(subjects.count)") }
            var byKey = [ReferenceKey: LegalDate](minimumCapacity: numbers.count)
            for (key, date) in numbers {
                // The encoder writes each reference once; a repeat is damage, not a trap.
                guard byKey.updateValue(date, forKey: key) == nil else { throw SnapshotError("reference \(key.text) repeated") }
            }
            guard references.updateValue(byKey, forKey: subjects[place].0) == nil else {
                throw SnapshotError("subject \(subjects[place].0) repeated in the references")
            }
        }
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

extension LedgerIndex: GrowsAhead {
    mutating func prepareTables(_ room: TableRoom) -> Bool {
        // Every table, each in turn (an array literal, not `||`, which would stop at the first).
        [keys.prepare(room), references.prepare(room), positions.prepare(room)].contains(true)
    }
}
