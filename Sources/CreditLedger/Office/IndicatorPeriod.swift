import CreditFacts

/// How an indicator report cuts its range: by calendar month, quarter or year (the work plans ask
/// for monthly, quarterly and yearly figures).
public enum IndicatorPeriodKind: String, Sendable, Hashable, CaseIterable {
    /// Calendar months (`2024-03`).
    case month
    /// Calendar quarters (`2024-Q1`).
    case quarter
    /// Calendar years (`2024`).
    case year

    /// How many months one period spans.
    var months: Int {
        switch self {
        case .month: 1
        case .quarter: 3
        case .year: 12
        }
    }
}

/// One period of an indicator report: a calendar month, quarter or year, clipped to the report's
/// range (a report from 2024-03-15 has a first month from the 15th).
public struct IndicatorPeriod: Sendable, Hashable, Comparable {
    /// `2024-03`, `2024-Q1` or `2024`.
    public var label: String
    /// The first day counted.
    public var from: LegalDate
    /// The last day counted (inclusive).
    public var through: LegalDate
    /// How many calendar months the period touches (for targets stated per month).
    public var months: Int

    /// Orders by first day.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.from < rhs.from }

    /// Whether `date` falls in the period.
    public func contains(_ date: LegalDate) -> Bool { from <= date && date <= through }

    /// The periods of `kind` covering `from` through `through` (inclusive), in date order, the
    /// first and last clipped to the range.
    /// - Precondition: `from <= through`.
    public static func split(from: LegalDate, through: LegalDate, by kind: IndicatorPeriodKind) -> [IndicatorPeriod] {
        precondition(from <= through, "an indicator range must not end before it starts")
        var periods: [IndicatorPeriod] = []
        var start = from
        while start <= through {
            let (year, month, _) = start.civil
            let firstMonth = kind == .month ? month : kind == .quarter ? (month - 1) / 3 * 3 + 1 : 1
            let periodStart = LegalDate(year: year, month: firstMonth, day: 1)!
            let next = periodStart.adding(months: kind.months)
            let end = min(next.adding(days: -1), through)
            let label = switch kind {
            case .month: "\(year)-\(month < 10 ? "0" : "")\(month)"
            case .quarter: "\(year)-Q\((month - 1) / 3 + 1)"
            case .year: String(year)
            }
            let (endYear, endMonth, _) = end.civil
            let months = (endYear - year) * 12 + endMonth - month + 1
            periods.append(IndicatorPeriod(label: label, from: start, through: end, months: months))
            start = next
        }
        return periods
    }

    /// The index of the period in `periods` (sorted, contiguous) holding `date`, or nil.
    static func index(of date: LegalDate, in periods: [IndicatorPeriod]) -> Int? {
        guard let first = periods.first, let last = periods.last, first.from <= date, date <= last.through else { return nil }
        var (low, high) = (0, periods.count - 1)
        while low < high {
            let mid = (low + high + 1) / 2
            if periods[mid].from <= date { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
