import CreditFacts

/// An objection (异议) against one record, as the status views keep it: the record is disputed
/// while the objection is open; `corrected` revokes the record from the resolution date, `upheld`
/// and `withdrawn` restore it.
public struct ObjectionSpell: Sendable, Hashable {
    /// The objection's number.
    public var objectionNo: ObjectionNo
    /// When it was raised.
    public var raised: LegalDate
    /// When it was resolved, if it has been.
    public var resolved: LegalDate?
    /// How it was resolved, if it has been.
    public var outcome: ObjectionOutcome?

    /// Whether the objection is open on `date`.
    public func isOpen(on date: LegalDate) -> Bool {
        raised <= date && !(resolved.map { $0 <= date } ?? false)
    }

    /// The date the objection corrected (revoked) its target, if it did by `date`.
    public func correction(by date: LegalDate) -> LegalDate? {
        guard outcome == .corrected, let resolved, resolved <= date else { return nil }
        return resolved
    }
}

/// A repair application (信用修复申请) against one record and its decision.
public struct RepairSpell: Sendable, Hashable {
    /// The application's number.
    public var repairNo: RepairNo
    /// When it was applied for: eligibility is judged on this date.
    public var applied: LegalDate
    /// The repair commitment (信用修复承诺) made with it, if any.
    public var commitmentNo: CommitmentNo?
    /// When it was decided, if it has been.
    public var decided: LegalDate?
    /// The decision, if any.
    public var outcome: RepairOutcome?

    /// The date the repair was approved, if it was by `date`.
    public func approval(by date: LegalDate) -> LegalDate? {
        guard outcome == .approved, let decided, decided <= date else { return nil }
        return decided
    }
}

extension [ObjectionSpell] {
    /// Whether any objection is open on `date`.
    func disputed(on date: LegalDate) -> Bool { contains { $0.isOpen(on: date) } }
    /// The first correction by `date`.
    func correction(by date: LegalDate) -> LegalDate? { compactMap { $0.correction(by: date) }.min() }
    /// Records the resolution of `objectionNo` if it is one of these; returns whether it was.
    mutating func resolve(_ resolution: ObjectionResolution, on date: LegalDate) -> Bool {
        guard let i = firstIndex(where: { $0.objectionNo == resolution.objectionNo && $0.resolved == nil }) else { return false }
        self[i].resolved = date
        self[i].outcome = resolution.outcome
        return true
    }
}

extension [RepairSpell] {
    /// The first approval by `date`.
    func approval(by date: LegalDate) -> LegalDate? { compactMap { $0.approval(by: date) }.min() }
    /// Records the decision of `repairNo` if it is one of these; returns whether it was.
    mutating func decide(_ decision: RepairDecision, on date: LegalDate) -> Bool {
        guard let i = firstIndex(where: { $0.repairNo == decision.repairNo && $0.decided == nil }) else { return false }
        self[i].decided = date
        self[i].outcome = decision.outcome
        return true
    }
}

/// The earliest of optional dates.
func earliest(_ dates: LegalDate?...) -> LegalDate? { dates.compactMap { $0 }.min() }

// MARK: - Canonical coding shared by the status views

extension CanonicalEncoder {
    /// Writes a vocabulary word by its spelling (stable across code changes that append cases).
    mutating func write<W: RawRepresentable>(word: W) where W.RawValue == String { write(word.rawValue) }
    /// Writes an identifier's text.
    mutating func write<I: TextIdentifier>(id: I) { write(id.text) }
    /// Writes an optional date.
    mutating func write(optionalDate: LegalDate?) { write(optionalDate) { e, d in e.write(d) } }
    /// Writes a fact reference as its text `SOURCE/ID`.
    mutating func write(_ fact: FactRef) { write(fact.description) }

    mutating func write(_ spell: ObjectionSpell) {
        write(id: spell.objectionNo)
        write(spell.raised)
        write(optionalDate: spell.resolved)
        write(spell.outcome) { e, o in e.write(word: o) }
    }

    mutating func write(_ spell: RepairSpell) {
        write(id: spell.repairNo)
        write(spell.applied)
        write(spell.commitmentNo) { e, c in e.write(id: c) }
        write(optionalDate: spell.decided)
        write(spell.outcome) { e, o in e.write(word: o) }
    }
}

extension CanonicalDecoder {
    /// Reads a vocabulary word written by `write(word:)`.
    mutating func readWord<W: RawRepresentable>(_: W.Type) throws(SnapshotError) -> W where W.RawValue == String {
        let text = try readString()
        guard let word = W(rawValue: text) else { throw SnapshotError("unknown \(W.self) \(text)") }
        return word
    }

    /// Reads an identifier written by `write(id:)`.
    mutating func readID<I: TextIdentifier>(_: I.Type) throws(SnapshotError) -> I { I(unchecked: try readString()) }

    /// Reads a fact reference written by `write(_:)`: the id is what follows the last `/` (an id
    /// has no `/`, a source may).
    mutating func readFactRef() throws(SnapshotError) -> FactRef {
        // Split on the bytes, not the characters: a snapshot holds millions of references.
        let count = Int(try readUInt32())
        let parts: Result<FactRef, SnapshotError> = try withBytes(count) { bytes in
            guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")), slash != 0, slash != bytes.count - 1 else {
                return .failure(SnapshotError("bad fact reference \(String(decoding: bytes, as: UTF8.self))"))
            }
            return .success(FactRef(source: SourceID(unchecked: String(decoding: bytes[..<slash], as: UTF8.self)),
                                    id: FactID(unchecked: String(decoding: bytes[(slash + 1)...], as: UTF8.self))))
        }
        return try parts.get()
    }

    /// Reads an optional date.
    mutating func readOptionalDate() throws(SnapshotError) -> LegalDate? {
        try readOptional { (d) throws(SnapshotError) in try d.readDate() }
    }

    mutating func readObjection() throws(SnapshotError) -> ObjectionSpell {
        ObjectionSpell(objectionNo: try readID(ObjectionNo.self), raised: try readDate(), resolved: try readOptionalDate(),
                       outcome: try readOptional { (d) throws(SnapshotError) in try d.readWord(ObjectionOutcome.self) })
    }

    mutating func readRepair() throws(SnapshotError) -> RepairSpell {
        RepairSpell(repairNo: try readID(RepairNo.self), applied: try readDate(),
                    commitmentNo: try readOptional { (d) throws(SnapshotError) in try d.readID(CommitmentNo.self) },
                    decided: try readOptionalDate(),
                    outcome: try readOptional { (d) throws(SnapshotError) in try d.readWord(RepairOutcome.self) })
    }
}

/// Mutates, in place inside a view's dictionary, the last record of a subject that `matches`:
/// the views keep each subject's records in an array, and copying it out and back would copy it
/// on every fact.
func updateLast<Record>(in records: inout [Record]?, where matches: (Record) -> Bool, _ body: (inout Record) -> Void) {
    guard records != nil, let index = records!.lastIndex(where: matches) else { return }
    body(&records![index])
}

/// Offers each record of a subject to `body`, in place, until it returns true (the record it
/// was looking for, e.g. the one a repair decision or objection outcome belongs to).
func updateFirst<Record>(in records: inout [Record]?, until body: (inout Record) -> Bool) {
    guard records != nil else { return }
    for index in records!.indices where body(&records![index]) { return }
}
