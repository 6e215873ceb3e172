/// Field types with structure: national codes, arrays, the penalty-kind set, reference targets.

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
        try r.requireCanonicalCode(b)
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
        try r.requireCanonicalCode(b)
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

/// Reads a one-member reference object such as `{"decisionNo": "…"}`.
func readReference(_ v: JSONValue, allowed: [StaticString]) throws(FactProblem) -> (Int, JSONValue) {
    let names = allowed.map { $0.description }.joined(separator: " or ")
    guard v.lead == UInt8(ascii: "{") else { throw v.wrongType("an object with \(names)") }
    var members: [JSONScanner.Member] = []
    var i = v.start
    try v.scanner.scanObject(&i, into: &members, depth: 1)
    guard members.count == 1, let which = allowed.firstIndex(where: { v.scanner.keyEquals(members[0], $0) }) else {
        throw FactProblem(kind: .invalidValue, reason: "must have exactly one member, \(names)")
    }
    return (which, JSONValue(scanner: v.scanner, start: members[0].valueStart, end: members[0].valueEnd))
}

extension RepairTarget: FieldValue {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> RepairTarget {
        let (which, value) = try readReference(v, allowed: ["decisionNo", "listNo"])
        do throws(FactProblem) { return which == 0 ? .decision(try .fromJSON(value)) : .list(try .fromJSON(value)) }
        catch { throw error.nested(in: which == 0 ? "decisionNo" : "listNo") }
    }
    func writeJSON(to out: inout JSONOutput) {
        switch self {
        case .decision(let d): out.raw("{\"decisionNo\":"); d.writeJSON(to: &out)
        case .list(let l): out.raw("{\"listNo\":"); l.writeJSON(to: &out)
        }
        out.raw("}")
    }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> RepairTarget {
        switch try r.byte() {
        case 0: return .decision(try .fromBinary(&r))
        case 1: return .list(try .fromBinary(&r))
        default: throw r.corrupt("bad repair target")
        }
    }
    func writeBinary(to w: inout BinaryWriter) {
        switch self {
        case .decision(let d): w.byte(0); d.writeBinary(to: &w)
        case .list(let l): w.byte(1); l.writeBinary(to: &w)
        }
    }
}

extension ObjectionTarget: FieldValue {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> ObjectionTarget {
        let keys: [StaticString] = ["decisionNo", "listNo", "commitmentNo"]
        let (which, value) = try readReference(v, allowed: keys)
        do throws(FactProblem) {
            switch which {
            case 0: return .decision(try .fromJSON(value))
            case 1: return .list(try .fromJSON(value))
            default: return .commitment(try .fromJSON(value))
            }
        } catch { throw error.nested(in: keys[which].description) }
    }
    func writeJSON(to out: inout JSONOutput) {
        switch self {
        case .decision(let d): out.raw("{\"decisionNo\":"); d.writeJSON(to: &out)
        case .list(let l): out.raw("{\"listNo\":"); l.writeJSON(to: &out)
        case .commitment(let c): out.raw("{\"commitmentNo\":"); c.writeJSON(to: &out)
        }
        out.raw("}")
    }
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> ObjectionTarget {
        switch try r.byte() {
        case 0: return .decision(try .fromBinary(&r))
        case 1: return .list(try .fromBinary(&r))
        case 2: return .commitment(try .fromBinary(&r))
        default: throw r.corrupt("bad objection target")
        }
    }
    func writeBinary(to w: inout BinaryWriter) {
        switch self {
        case .decision(let d): w.byte(0); d.writeBinary(to: &w)
        case .list(let l): w.byte(1); l.writeBinary(to: &w)
        case .commitment(let c): w.byte(2); c.writeBinary(to: &w)
        }
    }
}

extension BinaryReader {
    /// Refuses a national code with lower-case letters: the parsers accept a lower-case check
    /// character (people type `x`) and store it upper-case, so a record holding one would be a second
    /// encoding of the same fact, which the binary form must never have.
    func requireCanonicalCode(_ b: UnsafeBufferPointer<UInt8>) throws(FactProblem) {
        guard !b.contains(where: { (0x61...0x7A).contains($0) }) else { throw corrupt("national code not in upper case") }
    }
}
