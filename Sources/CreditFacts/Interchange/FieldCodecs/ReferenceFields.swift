// The JSON and binary forms of what a repair or an objection refers to.

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

/// One codec for the targets of repairs and objections (the same three references, the same tags).
extension RecordTarget: FieldValue {
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> RecordTarget {
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
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> RecordTarget {
        switch try r.byte() {
        case 0: return .decision(try .fromBinary(&r))
        case 1: return .list(try .fromBinary(&r))
        case 2: return .commitment(try .fromBinary(&r))
        default: throw r.corrupt("bad record target")
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
