import CreditFacts

/// Feedback on joint measures (执行反馈, the 响应 → 反馈 half of 发起 → 推送 → 响应 → 反馈): every
/// `measure.applied` fact, per subject — which measure, in which scene, with what outcome, by which
/// department (the fact's source), on which date, and the case it concerns. The feedback report
/// (``Ledger/measureFeedback(from:to:knownAt:catalogue:model:)``) sets these against the cases
/// the catalogue's triggers started in a period.
public struct MeasureFeedback: Projector, SnapshotState, DigestContent, SubjectPartitioned {
    public static let name = "measures"
    public static let codeVersion = 1
    /// The facts this view reads.
    public static let factTypes: FactTypeSet = [.measureApplied]

    /// One `measure.applied` fact.
    public struct Applied: Sendable, Hashable {
        /// The measure.
        public var measureId: MeasureID
        /// The scene it was applied in.
        public var scene: MeasureScene
        /// Applied, not applicable, or waived.
        public var outcome: MeasureOutcome
        /// The case it concerns (典型案例 reference), if given.
        public var caseRef: String?
        /// The reporting department's source (`310114-FY`).
        public var source: SourceID
        /// The date of the feedback.
        public var date: LegalDate
        /// The fact (`SOURCE/ID`).
        public var fact: FactRef

        /// The department code: the source after its last `-` (`310114-FY` → `FY`), or the whole
        /// source when it has none.
        public var department: String {
            let text = source.text
            guard let dash = text.lastIndex(of: "-") else { return text }
            return String(text[text.index(after: dash)...])
        }
    }

    private(set) var entries: [SubjectCode: [Applied]] = [:]

    public init() {}

    public mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        guard case .measureApplied(let m) = fact.body else { return }
        entries[fact.subject, default: []].append(Applied(
            measureId: m.measureId, scene: m.scene, outcome: m.outcome, caseRef: m.caseRef, source: fact.source,
            date: fact.effective, fact: fact.ref))
    }

    public mutating func merge(_ other: MeasureFeedback) {
        entries.merge(other.entries) { mine, _ in mine }
    }

    // MARK: - Queries

    /// The feedback about `subject` dated on or before `date` (every date when nil), in log order.
    public func feedback(about subject: SubjectCode, asOf date: LegalDate? = nil) -> [Applied] {
        let all = entries[subject] ?? []
        guard let date else { return all }
        return all.filter { $0.date <= date }
    }

    /// The subjects with feedback, sorted.
    public var subjects: [SubjectCode] { entries.keys.sorted() }

    // MARK: - Canonical state

    public func encodeState(into encoder: inout CanonicalEncoder) {
        encoder.write(entries.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.description)
            e.write(pair.value) { e, applied in Self.encode(applied, into: &e) }
        }
    }

    public init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        let decoded = try d.readArray { (d) throws(SnapshotError) -> (SubjectCode, [Applied]) in
            (try d.readSubject(), try d.readArray { (d) throws(SnapshotError) -> Applied in
                Applied(measureId: try d.readID(MeasureID.self), scene: try d.readWord(MeasureScene.self),
                        outcome: try d.readWord(MeasureOutcome.self),
                        caseRef: try d.readOptional { (d) throws(SnapshotError) in try d.readString() },
                        source: try d.readID(SourceID.self), date: try d.readDate(), fact: try d.readFactRef())
            })
        }
        entries.reserveCapacity(decoded.count)
        for (subject, list) in decoded { entries[subject] = list }
    }

    public func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder) {
        let known = entries.compactMap { subject, list -> (SubjectCode, [Applied])? in
            let dated = list.filter { $0.date <= date }
            return dated.isEmpty ? nil : (subject, dated)
        }.sorted { $0.0 < $1.0 }
        encoder.write(known) { e, pair in
            e.write(pair.0.description)
            e.write(pair.1) { e, applied in Self.encode(applied, into: &e) }
        }
    }

    private static func encode(_ a: Applied, into e: inout CanonicalEncoder) {
        e.write(id: a.measureId)
        e.write(word: a.scene)
        e.write(word: a.outcome)
        e.write(a.caseRef) { e, ref in e.write(ref) }
        e.write(id: a.source)
        e.write(a.date)
        e.write(a.fact)
    }
}

extension MeasureFeedback: GrowsAhead {
    mutating func prepareTables(_ room: TableRoom) -> Bool {
        entries.prepare(room)
    }
}
