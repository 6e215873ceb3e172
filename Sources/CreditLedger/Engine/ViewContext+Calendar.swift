import CreditFacts
import LedgerStorage

extension ViewContext {
    /// How many days before the holiday calendar's last day a ledger starts warning on open.
    public static let calendarWarningDays = 60

    /// The warning a ledger gives on open when the holiday calendar ends within
    /// ``calendarWarningDays`` of `today` (the ledger's clock) or has ended: from its last day on,
    /// working-day deadlines (双公示's 7 working days) can no longer be judged, and the
    /// data-quality report counts those acts as "not judged: calendar ends D" rather than on time
    /// or late. The State Council publishes each year's arrangement late in the year before, so
    /// a district supplies the next year's calendar (`--calendar FILE`, ``ViewContext/calendar``).
    public func calendarWarning(today: LegalDate) -> String? {
        let end = calendar.coverage.upperBound
        let left = today.days(until: end)
        guard left <= Self.calendarWarningDays else { return nil }
        let when = left < 0 ? "ended on \(end), \(-left) day(s) ago" : "ends on \(end), in \(left) day(s)"
        return "the holiday calendar \(when) (today \(today)): working-day deadlines after it are not judged "
            + "(quality reports them as \"not judged: calendar ends \(end)\"); supply the next year's calendar with --calendar FILE"
    }
}
