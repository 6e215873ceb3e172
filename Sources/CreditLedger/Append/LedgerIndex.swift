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
struct LedgerIndex: Projector {
    static let name = "ledger.index"
    static let codeVersion = 1
    static var isPartitionedBySubject: Bool { true }

    var keys: [FactKey: KeyedFact] = [:]
    /// For each subject, each number it defined and the earliest effective date it was defined on.
    var references: [SubjectCode: [ReferenceKey: LegalDate]] = [:]
    var positions: [SubjectCode: [Position]] = [:]

    init() {}

    mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        let key = FactKey(source: fact.source, id: fact.id)
        if keys[key] == nil {
            keys[key] = KeyedFact(position: recorded.position.rawValue, content: recorded.contentHash)
        }
        if let defined = fact.body.definedReference {
            references[fact.subject, default: [:]][defined] = min(
                references[fact.subject]?[defined] ?? fact.effective, fact.effective)
        }
        positions[fact.subject, default: []].append(recorded.position)
    }

    mutating func merge(_ other: LedgerIndex) {
        keys.merge(other.keys) { mine, theirs in mine.position <= theirs.position ? mine : theirs }
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
        encoder.write(keys.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.high); e.write(pair.key.low); e.write(pair.value.position); e.write(pair.value.content)
        }
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
        for (key, value) in try d.readArray({ (d) throws(SnapshotError) in
            (FactKey(high: try d.readUInt64(), low: try d.readUInt64()),
             KeyedFact(position: try d.readUInt64(), content: try d.readUInt64()))
        }) { keys[key] = value }
        for (subject, defined) in try d.readArray({ (d) throws(SnapshotError) in
            (try d.readSubject(), try d.readArray { (d) throws(SnapshotError) in
                (ReferenceKey(kind: try d.readReferenceKind(), text: try d.readString()), try d.readDate())
            })
        }) { references[subject] = Dictionary(uniqueKeysWithValues: defined) }
        for (subject, list) in try d.readArray({ (d) throws(SnapshotError) in
            (try d.readSubject(), try d.readArray { (d) throws(SnapshotError) in Position(try d.readUInt64()) })
        }) { positions[subject] = list }
    }

    /// Internal bookkeeping shows nothing of its own in digests: the views built on it do.
    func encodeDigest(asOf date: LegalDate, into encoder: inout CanonicalEncoder) {}
}

extension CanonicalDecoder {
    /// Reads a subject code written as text.
    mutating func readSubject() throws(SnapshotError) -> SubjectCode {
        let text = try readString()
        do { return try SubjectCode(text) } catch { throw SnapshotError("bad subject code \(text): \(error)") }
    }

    fileprivate mutating func readReferenceKind() throws(SnapshotError) -> ReferenceKey.Kind {
        let raw = try readUInt8()
        guard let kind = ReferenceKey.Kind(rawValue: raw) else { throw SnapshotError("bad reference kind \(raw)") }
        return kind
    }
}
