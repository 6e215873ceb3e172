// The JSON and binary forms of identifiers: source-assigned numbers and the national codes.

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

extension CitizenIdentityNumber: FieldValue {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> CitizenIdentityNumber {
        try v.withStringBytes { (b) throws(FactProblem) in
            do throws(IdentifierError) { return try CitizenIdentityNumber(utf8: b) } catch {
                throw FactProblem(kind: .invalidCode, reason: "\(String(decoding: b, as: UTF8.self)) is not a citizen identity number: \(error)")
            }
        }
    }
    func writeJSON(to out: inout JSONOutput) {
        out.bytes.append(UInt8(ascii: "\"")); storage.append(to: &out.bytes); out.bytes.append(UInt8(ascii: "\""))
    }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> CitizenIdentityNumber {
        let b = try r.bytes(18)
        do throws(IdentifierError) { return try CitizenIdentityNumber(utf8: b) } catch { throw r.corrupt("bad identity number (\(error))") }
    }
    func writeBinary(to w: inout BinaryWriter) { storage.append(to: &w.bytes) }
}

extension SubjectCode: FieldValue {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> SubjectCode {
        try v.withStringBytes { (b) throws(FactProblem) in
            do throws(IdentifierError) { return try SubjectCode(utf8: b) } catch {
                throw FactProblem(kind: .invalidCode, reason: "\(String(decoding: b, as: UTF8.self)): \(error)")
            }
        }
    }
    func writeJSON(to out: inout JSONOutput) {
        out.bytes.append(UInt8(ascii: "\"")); storage.append(to: &out.bytes); out.bytes.append(UInt8(ascii: "\""))
    }
    /// One byte (0 organisation, 1 person), then the 18 characters.
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> SubjectCode {
        let kind = try r.byte()
        let b = try r.bytes(18)
        let result: Result<SubjectCode, IdentifierError>
        switch kind {
        case 0: result = Result { () throws(IdentifierError) in .organisation(try UnifiedSocialCreditCode(utf8: b)) }
        case 1: result = Result { () throws(IdentifierError) in .person(try CitizenIdentityNumber(utf8: b)) }
        default: throw r.corrupt("subject kind \(kind)")
        }
        switch result {
        case .success(let subject): return subject
        case .failure(let error): throw r.corrupt("bad subject code (\(error))")
        }
    }
    func writeBinary(to w: inout BinaryWriter) {
        w.byte(isPerson ? 1 : 0)
        storage.append(to: &w.bytes)
    }
}

extension Array: FieldValue where Element == CitizenIdentityNumber {
    /// Most persons named in one decision.
    static var maxCount: Int { 1000 }

    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> [CitizenIdentityNumber] {
        guard v.lead == UInt8(ascii: "[") else { throw v.wrongType("an array of identity numbers") }
        var out: [CitizenIdentityNumber] = []
        var i = v.start
        var index = 0
        try v.scanner.scanArray(&i, depth: 1) { (s, e) throws(FactProblem) in
            guard out.count < maxCount else { throw FactProblem(kind: .invalidValue, reason: "more than \(maxCount) entries") }
            do throws(FactProblem) { out.append(try .fromJSON(JSONValue(scanner: v.scanner, start: s, end: e))) }
            catch { throw error.nested(in: String(index)) }
            index += 1
        }
        return out
    }
    func writeJSON(to out: inout JSONOutput) {
        out.raw("[")
        for (i, id) in enumerated() {
            if i > 0 { out.raw(",") }
            id.writeJSON(to: &out)
        }
        out.raw("]")
    }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> [CitizenIdentityNumber] {
        let n = try r.count(max: maxCount)
        var out: [CitizenIdentityNumber] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try .fromBinary(&r)) }
        return out
    }
    func writeBinary(to w: inout BinaryWriter) {
        w.varint(UInt64(count))
        for id in self { id.writeBinary(to: &w) }
    }
}
