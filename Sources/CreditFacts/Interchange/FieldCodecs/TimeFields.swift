// The JSON and binary forms of legal dates and timestamps, with the upcast of version 0 timestamps.

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
