/// A calendar date in China Standard Time (UTC+08:00): the legal date of an act.
///
/// Stored as the number of days since 1970-01-01 so that comparison, hashing and day arithmetic
/// are integer operations; the civil (year, month, day) form is computed on demand with the
/// proleptic Gregorian algorithm of Howard Hinnant's `days_from_civil`.
public struct LegalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let daysSinceEpoch: Int32

    /// The earliest year a legal date may carry. Credit records predate no one alive, and the limit
    /// keeps every date printable as four digits.
    public static let yearRange: ClosedRange<Int> = 1000...9999

    /// ``yearRange`` as day numbers, so that range checks need no calendar arithmetic.
    static let daysRange: ClosedRange<Int64> =
        Int64(days(year: yearRange.lowerBound, month: 1, day: 1))...Int64(days(year: yearRange.upperBound, month: 12, day: 31))

    /// Creates a date from its day number.
    /// - Parameter daysSinceEpoch: days since 1970-01-01.
    public init(daysSinceEpoch: Int32) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Creates a date from civil fields, or `nil` when the date does not exist (e.g. 2023-02-29)
    /// or its year is outside ``yearRange``.
    public init?(year: Int, month: Int, day: Int) {
        guard LegalDate.yearRange.contains(year), (1...12).contains(month),
              day >= 1, day <= LegalDate.daysIn(month: month, year: year) else { return nil }
        daysSinceEpoch = Int32(LegalDate.days(year: year, month: month, day: day))
    }

    /// Parses `YYYY-MM-DD` exactly (ten characters, zero-padded).
    /// - Throws: ``LegalDateError`` naming what is wrong.
    public init(parsing text: some StringProtocol) throws(LegalDateError) {
        self = try withUTF8(text) { (b) throws(LegalDateError) in try LegalDate.parse(b) }
    }

    /// Parses `YYYY-MM-DD` from raw UTF-8 bytes.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) throws(LegalDateError) -> LegalDate {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-")
        else { throw .malformed(String(decoding: b, as: UTF8.self)) }
        guard let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2)
        else { throw .malformed(String(decoding: b, as: UTF8.self)) }
        guard let date = LegalDate(year: y, month: m, day: d)
        else { throw .nonexistent(String(decoding: b, as: UTF8.self)) }
        return date
    }

    /// Reads `count` ASCII digits starting at `start`.
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<(start + count) {
            let c = b[i] &- UInt8(ascii: "0")
            guard c < 10 else { return nil }
            value = value * 10 + Int(c)
        }
        return value
    }

    /// The civil fields of this date.
    public var civil: (year: Int, month: Int, day: Int) {
        // Hinnant's civil_from_days: eras of 400 years starting on 0000-03-01.
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Day of the week, ISO numbering: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (ISO 4).
        let r = (Int(daysSinceEpoch) + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = civil
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> LegalDate {
        LegalDate(daysSinceEpoch: daysSinceEpoch + Int32(days))
    }

    /// The same day `months` months later; clamped to the month's last day, so that
    /// 2023-08-31 plus 6 months is 2024-02-29 (the usual reading of "six months from").
    public func adding(months: Int) -> LegalDate {
        let (y, m, d) = civil
        let total = y * 12 + (m - 1) + months
        let ny = total / 12, nm = total % 12 + 1
        let nd = min(d, LegalDate.daysIn(month: nm, year: ny))
        return LegalDate(daysSinceEpoch: Int32(LegalDate.days(year: ny, month: nm, day: nd)))
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: LegalDate) -> Int {
        Int(other.daysSinceEpoch) - Int(daysSinceEpoch)
    }

    /// Orders dates chronologically.
    public static func < (lhs: LegalDate, rhs: LegalDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Number of days in a month.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Hinnant's days_from_civil.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Runs `body` over the UTF-8 bytes of `text` (contiguous, 0-based), keeping the typed error.
func withUTF8<R, E: Error>(_ text: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
    var s = String(text)
    let result = s.withUTF8 { b in Result { () throws(E) -> R in try body(b) } }
    return try result.get()
}

/// Zero-pads a non-negative integer to `width` digits.
func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// Why a text is not a legal date.
public enum LegalDateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not of the form `YYYY-MM-DD`.
    case malformed(String)
    /// Well formed, but no such day exists (or the year is out of range).
    case nonexistent(String)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .malformed(let t): return "\"\(t)\" is not a date of the form YYYY-MM-DD"
        case .nonexistent(let t): return "\(t) is not a date that exists"
        }
    }
}
