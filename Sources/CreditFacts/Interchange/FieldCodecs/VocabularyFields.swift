// The JSON and binary forms of closed vocabularies (by spelling and by frozen code) and of the
// penalty-kind set.

extension FieldValue where Self: VocabularyCoding {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> Self {
        try v.withStringBytes { (b) throws(FactProblem) in
            if let word = table.word(spelled: b) { return word }
            throw FactProblem(kind: .unknownValue,
                              reason: "\"\(String(decoding: b, as: UTF8.self))\" is not one of \(spellings)")
        }
    }
    func writeJSON(to out: inout JSONOutput) {
        out.bytes.append(UInt8(ascii: "\""))
        out.bytes.append(contentsOf: Self.table.spellings[Int(code)])
        out.bytes.append(UInt8(ascii: "\""))
    }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> Self {
        let code = try r.byte()
        guard let word = table.word(code: code) else { throw r.corrupt("unknown \(Self.self) code \(code)") }
        return word
    }
    func writeBinary(to w: inout BinaryWriter) { w.byte(code) }
}

extension SubjectKind: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<SubjectKind>()
}

extension Role: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<Role>()
}

extension Procedure: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<Procedure>()
}

extension Severity: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<Severity>()
}

extension PenaltyKind: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<PenaltyKind>()
}

extension RegulatoryField: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<RegulatoryField>()
}

extension RevocationReason: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<RevocationReason>()
}

extension AdministrativeAct: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<AdministrativeAct>()
}

extension CommitmentKind: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<CommitmentKind>()
}

extension BreachKind: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<BreachKind>()
}

extension ListKind: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<ListKind>()
}

extension ListExitReason: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<ListExitReason>()
}

extension RepairOutcome: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<RepairOutcome>()
}

extension ObjectionOutcome: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<ObjectionOutcome>()
}

extension HonourLevel: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<HonourLevel>()
}

extension ContractOutcome: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<ContractOutcome>()
}

extension MeasureScene: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<MeasureScene>()
}

extension MeasureOutcome: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<MeasureOutcome>()
}

extension FactType: FieldValue, VocabularyCoding {
    static let table = VocabularyTable<FactType>()
}

extension PenaltyKinds: FieldValue {
    /// A non-empty array of distinct kinds, in any order (written back in ``PenaltyKind`` order).
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> PenaltyKinds {
        guard v.lead == UInt8(ascii: "[") else { throw v.wrongType("an array of penalty kinds") }
        var set = PenaltyKinds()
        var i = v.start
        var index = 0
        try v.scanner.scanArray(&i, depth: 1) { (s, e) throws(FactProblem) in
            let kind: PenaltyKind
            do throws(FactProblem) { kind = try .fromJSON(JSONValue(scanner: v.scanner, start: s, end: e)) } catch { throw error.nested(in: String(index)) }
            guard !set.contains(kind) else {
                throw FactProblem(kind: .invalidValue, field: String(index), reason: "\(kind.rawValue) is listed twice")
            }
            set.insert(PenaltyKinds([kind]))
            index += 1
        }
        guard !set.isEmpty else { throw FactProblem(kind: .invalidValue, reason: "must name at least one kind of penalty") }
        return set
    }
    func writeJSON(to out: inout JSONOutput) {
        out.raw("[")
        for (i, kind) in kinds.enumerated() {
            if i > 0 { out.raw(",") }
            kind.writeJSON(to: &out)
        }
        out.raw("]")
    }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> PenaltyKinds {
        let bits = try r.varint()
        guard bits != 0, bits & ~UInt64(validBits) == 0 else { throw r.corrupt("bad penalty kinds \(bits)") }
        return PenaltyKinds(rawValue: UInt16(bits))
    }
    func writeBinary(to w: inout BinaryWriter) { w.varint(UInt64(rawValue)) }
}
