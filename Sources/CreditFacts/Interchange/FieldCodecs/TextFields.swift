// The JSON and binary forms of free text and booleans. Every field codec reads strictly: a value
// that would not be written back the same way (wrong JSON type, out of range) is a problem, not a guess.

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
