/// A period of calendar time such as "3 months" or "1 year", written in ISO 8601 form (`P3M`, `P1Y`,
/// `P1Y6M`, `P10D`). Months are added first (clamped to the month's end), then days.
public struct CalendarPeriod: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// Whole months (a year is 12).
    public let months: Int
    /// Days added after the months.
    public let days: Int

    /// Creates a period.
    public init(months: Int = 0, days: Int = 0) {
        precondition(months >= 0 && days >= 0, "periods are not negative")
        self.months = months
        self.days = days
    }

    /// Parses `P[nY][nM][nD]`; nil when `text` is not such a period.
    public init?(parsing text: String) {
        var months = 0, days = 0, number = 0, sawDigit = false, sawUnit = false
        guard text.hasPrefix("P"), text.count > 1 else { return nil }
        for c in text.dropFirst() {
            if let d = c.wholeNumberValue, c.isASCII { number = number * 10 + d; sawDigit = true; continue }
            guard sawDigit else { return nil }
            switch c {
            case "Y": months += number * 12
            case "M": months += number
            case "D": days += number
            default: return nil
            }
            number = 0; sawDigit = false; sawUnit = true
        }
        guard sawUnit, !sawDigit else { return nil }
        self.init(months: months, days: days)
    }

    /// The date this period after `date`.
    public func after(_ date: LegalDate) -> LegalDate { date.adding(months: months).adding(days: days) }

    /// Orders by months, then days (a month is never shorter than 28 days, so this is exact whenever
    /// days < 28, which holds for every period in the rules).
    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.months, lhs.days) < (rhs.months, rhs.days) }

    /// ISO 8601 form, e.g. `P1Y6M`.
    public var description: String {
        var s = "P"
        if months >= 12 { s += "\(months / 12)Y" }
        if months % 12 != 0 { s += "\(months % 12)M" }
        if days != 0 || s == "P" { s += "\(days)D" }
        return s
    }

    /// Decodes from its ISO 8601 text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let period = CalendarPeriod(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a period like P3M or P1Y")
        }
        self = period
    }

    /// Encodes as ISO 8601 text.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension LegalDate: Codable {
    /// Decodes from `YYYY-MM-DD`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    /// Encodes as `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
