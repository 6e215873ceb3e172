// The JSON and binary forms of numbers with a unit or a range: money, region codes, evaluation years.

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
