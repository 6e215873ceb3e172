/// An instant with the UTC offset it was written with (RFC 3339, e.g. `2023-06-06T10:12:00+08:00`).
///
/// The offset is kept so that export writes back the same wall-clock reading the source sent.
/// Two timestamps are equal only when instant *and* offset are equal, because they print differently.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int64
    /// Nanoseconds within the second, `0..<1_000_000_000`.
    public let nanoseconds: UInt32
    /// Offset from UTC in minutes, `-1439...1439` (e.g. 480 for China Standard Time).
    public let offsetMinutes: Int16

    /// China Standard Time, UTC+08:00, in minutes.
    public static let chinaStandardTimeOffsetMinutes: Int16 = 480

    /// Creates a timestamp from its parts; `nil` when a part is out of range.
    public init?(secondsSinceEpoch: Int64, nanoseconds: UInt32 = 0, offsetMinutes: Int16) {
        guard nanoseconds < 1_000_000_000, abs(Int(offsetMinutes)) < 1440 else { return nil }
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = nanoseconds
        self.offsetMinutes = offsetMinutes
    }

    /// Parses an RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    /// - Throws: ``TimestampError`` naming what is wrong.
    public init(parsing text: some StringProtocol) throws(TimestampError) {
        self = try withUTF8(text) { (b) throws(TimestampError) in try Timestamp.parse(b) }
    }

    /// The legal (CST) calendar date on which this instant falls.
    public var chinaStandardDate: LegalDate {
        let local = secondsSinceEpoch + Int64(Timestamp.chinaStandardTimeOffsetMinutes) * 60
        return LegalDate(daysSinceEpoch: Int32(floorDiv(local, 86_400)))
    }

    /// Orders by instant, then by offset so that ordering is total and consistent with `==`.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds, lhs.offsetMinutes)
            < (rhs.secondsSinceEpoch, rhs.nanoseconds, rhs.offsetMinutes)
    }

    /// Whether two timestamps denote the same instant, whatever their offsets.
    public func isSameInstant(as other: Timestamp) -> Bool {
        secondsSinceEpoch == other.secondsSinceEpoch && nanoseconds == other.nanoseconds
    }

    /// Canonical RFC 3339 text: fraction in groups of 3 digits only when non-zero; `Z` for offset 0.
    public var description: String {
        withDescriptionUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of ``description``, written into a buffer on the stack
    /// rather than built as text piece by piece: the receipts of `POST /v1/facts` write one per
    /// fact, and building the text was half of the receipts' time under load (perf,
    /// `make bench-server`). Years outside 0…9999 take the general path.
    public func withDescriptionUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let local = secondsSinceEpoch + Int64(offsetMinutes) * 60
        let day = LegalDate(daysSinceEpoch: Int32(floorDiv(local, 86_400)))
        let (year, month, dayOfMonth) = day.civil
        guard (0...9999).contains(year) else {
            var text = generalDescription
            return try text.withUTF8(body)
        }
        let sod = Int(local - Int64(day.daysSinceEpoch) * 86_400)
        // 10 (date) + 9 (time) + 10 (fraction) + 6 (offset) bytes at most.
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            var count = 0
            func digits(_ value: Int, _ width: Int) {
                var value = value
                for index in stride(from: count + width - 1, through: count, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                count += width
            }
            func byte(_ ascii: Unicode.Scalar) {
                buffer[count] = UInt8(ascii: ascii)
                count += 1
            }
            digits(year, 4); byte("-"); digits(month, 2); byte("-"); digits(dayOfMonth, 2)
            byte("T"); digits(sod / 3600, 2); byte(":"); digits(sod / 60 % 60, 2); byte(":"); digits(sod % 60, 2)
            if nanoseconds != 0 {
                var value = Int(nanoseconds), width = 9
                while value % 1000 == 0 { value /= 1000; width -= 3 }
                byte("."); digits(value, width)
            }
            if offsetMinutes == 0 {
                byte("Z")
            } else {
                let o = abs(Int(offsetMinutes))
                byte(offsetMinutes < 0 ? "-" : "+"); digits(o / 60, 2); byte(":"); digits(o % 60, 2)
            }
            return try body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// ``description`` built as text, for any year.
    var generalDescription: String {
        let local = secondsSinceEpoch + Int64(offsetMinutes) * 60
        let day = LegalDate(daysSinceEpoch: Int32(floorDiv(local, 86_400)))
        let sod = Int(local - Int64(day.daysSinceEpoch) * 86_400)
        var s = day.description + "T" + pad(sod / 3600, 2) + ":" + pad(sod / 60 % 60, 2) + ":" + pad(sod % 60, 2)
        if nanoseconds != 0 {
            var digits = pad(Int(nanoseconds), 9)
            while digits.hasSuffix("000") { digits.removeLast(3) }
            s += "." + digits
        }
        if offsetMinutes == 0 { return s + "Z" }
        let o = abs(Int(offsetMinutes))
        return s + (offsetMinutes < 0 ? "-" : "+") + pad(o / 60, 2) + ":" + pad(o % 60, 2)
    }

    /// Parses from raw UTF-8 bytes.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) throws(TimestampError) -> Timestamp {
        let text = { String(decoding: b, as: UTF8.self) }
        guard b.count >= 19 else { throw .malformed(text()) }
        let s = 0
        let date: LegalDate
        do { date = try LegalDate.parse(UnsafeBufferPointer(rebasing: b[0..<10])) } catch { throw .malformed(text()) }
        guard b[s + 10] == UInt8(ascii: "T") || b[s + 10] == UInt8(ascii: "t"),
              b[s + 13] == UInt8(ascii: ":"), b[s + 16] == UInt8(ascii: ":"),
              let hh = LegalDate.digits(b, s + 11, 2), let mm = LegalDate.digits(b, s + 14, 2),
              let ss = LegalDate.digits(b, s + 17, 2) else { throw .malformed(text()) }
        guard hh < 24, mm < 60, ss < 60 else { throw .nonexistent(text()) }
        var i = s + 19
        let nanos = try parseFraction(b, &i, text)
        let offset = try parseOffset(b, i, text)
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hh * 3600 + mm * 60 + ss)
        return Timestamp(secondsSinceEpoch: local - Int64(offset) * 60, nanoseconds: nanos, offsetMinutes: offset)!
    }

    /// Parses an optional `.digits` fraction (1–9 digits) at `i`, advancing past it.
    private static func parseFraction(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ text: () -> String)
        throws(TimestampError) -> UInt32 {
        guard i < b.endIndex, b[i] == UInt8(ascii: ".") else { return 0 }
        i += 1
        var nanos: UInt32 = 0, count = 0
        while i < b.endIndex, case let d = b[i] &- UInt8(ascii: "0"), d < 10 {
            guard count < 9 else { throw .malformed(text()) }
            nanos = nanos * 10 + UInt32(d)
            count += 1
            i += 1
        }
        guard count > 0 else { throw .malformed(text()) }
        for _ in count..<9 { nanos *= 10 }
        return nanos
    }

    /// Parses `Z` or `±HH:MM` that must end the text at `i`.
    private static func parseOffset(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ text: () -> String)
        throws(TimestampError) -> Int16 {
        guard i < b.endIndex else { throw .missingOffset(text()) }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            guard i + 1 == b.endIndex else { throw .malformed(text()) }
            return 0
        }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { throw .missingOffset(text()) }
        guard b.endIndex - i == 6, b[i + 3] == UInt8(ascii: ":"),
              let oh = LegalDate.digits(b, i + 1, 2), let om = LegalDate.digits(b, i + 4, 2)
        else { throw .malformed(text()) }
        guard oh < 24, om < 60 else { throw .nonexistent(text()) }
        let minutes = Int16(oh * 60 + om)
        return b[i] == UInt8(ascii: "-") ? -minutes : minutes
    }
}

/// Floor division (rounds towards negative infinity), for days before 1970.
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// Why a text is not an RFC 3339 timestamp.
public enum TimestampError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not of the form `YYYY-MM-DDTHH:MM:SS[.fraction]±HH:MM`.
    case malformed(String)
    /// Well formed, but a field is out of range (hour 24, minute 60, leap second …).
    case nonexistent(String)
    /// No `Z` or `±HH:MM` offset: a local time without an offset is ambiguous.
    case missingOffset(String)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .malformed(let t): return "\"\(t)\" is not an RFC 3339 timestamp (YYYY-MM-DDTHH:MM:SS±HH:MM)"
        case .nonexistent(let t): return "\(t) is not a time that exists"
        case .missingOffset(let t): return "\(t) has no UTC offset (add +08:00 or Z)"
        }
    }
}
