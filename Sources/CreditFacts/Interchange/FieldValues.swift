/// The JSON and binary forms of every field type. Each reads strictly: a value that would not be
/// written back the same way (wrong JSON type, out of range) is a problem, not a guess.

extension String: FieldValue {
    /// Longest free text accepted, in UTF-8 bytes (a legal basis quotes articles, not whole laws).
    static let maxTextBytes = 4096

    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> String {
        let s = try v.string()
        guard s.utf8.count <= maxTextBytes else {
            throw FactProblem(kind: .invalidValue, reason: "is \(s.utf8.count) bytes long, at most \(maxTextBytes) allowed")
        }
        return s
    }
    func writeJSON(to out: inout JSONOutput) { out.string(self) }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> String { try r.string() }
    func writeBinary(to w: inout BinaryWriter) { w.string(self) }
}

extension Bool: FieldValue {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> Bool {
        switch v.lead {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw v.wrongType("true or false")
        }
    }
    func writeJSON(to out: inout JSONOutput) { self ? out.raw("true") : out.raw("false") }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> Bool {
        switch try r.byte() {
        case 0: return false
        case 1: return true
        default: throw r.corrupt("boolean not 0 or 1")
        }
    }
    func writeBinary(to w: inout BinaryWriter) { w.byte(self ? 1 : 0) }
}

extension LegalDate: FieldValue {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> LegalDate {
        try v.withStringBytes { (b) throws(FactProblem) in
            do throws(LegalDateError) { return try LegalDate.parse(b) } catch { throw FactProblem(kind: .invalidDate, reason: error.description) }
        }
    }
    func writeJSON(to out: inout JSONOutput) {
        let (y, m, d) = civil
        out.bytes.append(UInt8(ascii: "\""))
        out.digits(y, 4); out.bytes.append(UInt8(ascii: "-"))
        out.digits(m, 2); out.bytes.append(UInt8(ascii: "-"))
        out.digits(d, 2)
        out.bytes.append(UInt8(ascii: "\""))
    }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> LegalDate {
        let days = try r.signed()
        guard LegalDate.daysRange.contains(days) else { throw r.corrupt("date out of range") }
        return LegalDate(daysSinceEpoch: Int32(days))
    }
    func writeBinary(to w: inout BinaryWriter) { w.signed(Int64(daysSinceEpoch)) }
}

extension Timestamp: FieldValue {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> Timestamp {
        try v.withStringBytes { (b) throws(FactProblem) in
            do throws(TimestampError) { return try Timestamp.parse(b) } catch { throw FactProblem(kind: .invalidDate, reason: error.description) }
        }
    }
    /// Writes the canonical text (as ``description``) digit by digit, without building Strings.
    func writeJSON(to out: inout JSONOutput) {
        let local = secondsSinceEpoch + Int64(offsetMinutes) * 60
        let day = LegalDate(daysSinceEpoch: Int32(floorDiv(local, 86_400)))
        let sod = Int(local - Int64(day.daysSinceEpoch) * 86_400)
        day.writeJSON(to: &out)
        out.bytes.removeLast()  // reopen the date's closing quote
        out.bytes.append(UInt8(ascii: "T"))
        out.digits(sod / 3600, 2); out.bytes.append(UInt8(ascii: ":"))
        out.digits(sod / 60 % 60, 2); out.bytes.append(UInt8(ascii: ":"))
        out.digits(sod % 60, 2)
        if nanoseconds != 0 {
            var n = Int(nanoseconds), width = 9
            while n % 1000 == 0 { n /= 1000; width -= 3 }
            out.bytes.append(UInt8(ascii: ".")); out.digits(n, width)
        }
        if offsetMinutes == 0 { out.bytes.append(UInt8(ascii: "Z")) } else {
            let o = abs(Int(offsetMinutes))
            out.bytes.append(offsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            out.digits(o / 60, 2); out.bytes.append(UInt8(ascii: ":")); out.digits(o % 60, 2)
        }
        out.bytes.append(UInt8(ascii: "\""))
    }

    /// Version 0 stored whole UTC seconds only; the offset was implied to be CST (all sources of the
    /// draft were Chinese departments), so upcasting supplies +08:00 and zero nanoseconds.
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> Timestamp {
        let seconds = try r.signed()
        guard r.version >= 1 else {
            return Timestamp(secondsSinceEpoch: seconds, offsetMinutes: chinaStandardTimeOffsetMinutes)!
        }
        let nanos = try r.varint(), offset = try r.signed()
        guard nanos < 1_000_000_000, abs(offset) < 1440,
              let t = Timestamp(secondsSinceEpoch: seconds, nanoseconds: UInt32(nanos), offsetMinutes: Int16(offset))
        else { throw r.corrupt("timestamp field out of range") }
        return t
    }
    func writeBinary(to w: inout BinaryWriter) {
        w.signed(secondsSinceEpoch); w.varint(UInt64(nanoseconds)); w.signed(Int64(offsetMinutes))
    }
}

extension Yuan: FieldValue {
    /// Money is a plain JSON number with at most two decimals; exponents are refused because
    /// `5e4` cannot be written back as the source wrote it and invites rounding.
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> Yuan {
        guard v.lead != UInt8(ascii: "\""), v.typeName == "a number" else { throw v.wrongType("a number of yuan") }
        let b = v.raw
        guard b[0] != UInt8(ascii: "-") else { throw FactProblem(kind: .invalidValue, reason: "must not be negative") }
        var fen: Int64 = 0, i = 0, decimals = -1
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: ".") { decimals = 0; i += 1; continue }
            guard c &- UInt8(ascii: "0") < 10 else {
                throw FactProblem(kind: .invalidValue, reason: "write money as a plain decimal, without an exponent")
            }
            if decimals >= 0 { decimals += 1 }
            guard decimals <= 2 else { throw FactProblem(kind: .invalidValue, reason: "has more than 2 decimals") }
            fen = fen &* 10 &+ Int64(c - UInt8(ascii: "0"))
            guard fen <= Yuan.maximumFen * 100 else { throw FactProblem(kind: .invalidValue, reason: "is too large") }
            i += 1
        }
        for _ in 0..<(2 - max(decimals, 0)) { fen *= 10 }
        guard let yuan = Yuan(fen: fen) else { throw FactProblem(kind: .invalidValue, reason: "is too large") }
        return yuan
    }
    func writeJSON(to out: inout JSONOutput) { out.plain(description, quoted: false) }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> Yuan {
        let v = try r.varint()
        guard v <= UInt64(Yuan.maximumFen) else { throw r.corrupt("amount out of range") }
        return Yuan(fen: Int64(v))!
    }
    func writeBinary(to w: inout BinaryWriter) { w.varint(UInt64(fen)) }
}

extension RegionCode: FieldValue {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> RegionCode {
        try v.withStringBytes { (b) throws(FactProblem) in
            guard b.count == 6, let n = LegalDate.digits(b, 0, 6) else {
                throw FactProblem(kind: .invalidValue, reason: "\"\(String(decoding: b, as: UTF8.self))\" is not a six-digit region code (GB/T 2260)")
            }
            return RegionCode(unchecked: UInt32(n))
        }
    }
    func writeJSON(to out: inout JSONOutput) { out.plain(description, quoted: true) }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> RegionCode {
        let v = try r.varint()
        guard v <= 999_999 else { throw r.corrupt("region code out of range") }
        return RegionCode(unchecked: UInt32(v))
    }
    func writeBinary(to w: inout BinaryWriter) { w.varint(UInt64(value)) }
}

extension EvaluationYear: FieldValue {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> EvaluationYear {
        let b = v.raw
        guard v.typeName == "a number", b.count <= 4, let n = LegalDate.digits(b, 0, b.count) else {
            throw v.typeName == "a number" ? FactProblem(kind: .invalidValue, reason: "must be a whole year like 2023")
                                           : v.wrongType("a year (integer)")
        }
        guard let year = EvaluationYear(n) else {
            throw FactProblem(kind: .invalidValue, reason: "\(n) is outside \(EvaluationYear.range.lowerBound)…\(EvaluationYear.range.upperBound)")
        }
        return year
    }
    func writeJSON(to out: inout JSONOutput) { out.integer(Int64(value)) }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> EvaluationYear {
        guard let year = EvaluationYear(Int(try r.varint() & 0xFFFF)) else { throw r.corrupt("year out of range") }
        return year
    }
    func writeBinary(to w: inout BinaryWriter) { w.varint(UInt64(value)) }
}

extension FieldValue where Self: TextIdentifier {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> Self {
        try v.withStringBytes { (b) throws(FactProblem) in
            if let reason = problem(utf8: b) { throw FactProblem(kind: .invalidValue, reason: reason) }
            return Self(unchecked: String(decoding: b, as: UTF8.self))
        }
    }
    func writeJSON(to out: inout JSONOutput) { out.string(text) }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> Self {
        let b = try r.bytes(try r.count(max: String.maxTextBytes))
        if let reason = problem(utf8: b) { throw r.corrupt("identifier " + reason) }
        return Self(unchecked: try r.text(b))
    }
    func writeBinary(to w: inout BinaryWriter) { w.string(text) }
}

extension FactID: FieldValue {}
extension SourceID: FieldValue {}
extension DecisionNo: FieldValue {}
extension ListNo: FieldValue {}
extension CommitmentNo: FieldValue {}
extension RepairNo: FieldValue {}
extension ObjectionNo: FieldValue {}
extension ContractNo: FieldValue {}
extension MeasureID: FieldValue {}

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
        let code = Int(try r.byte())
        guard code < table.cases.count else { throw r.corrupt("unknown \(Self.self) code \(code)") }
        return table.cases[code]
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
