import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// The holiday calendar ends (the bundled one on 2026-12-31): deadlines past it are not judged,
/// and say so; a ledger warns on open when its calendar ends within 60 days.
@Suite struct CalendarCoverageTests {
    let directory = TemporaryDirectory()

    /// A hand-made calendar of 2023 alone, with the National Day arrangement (国办发明电〔2022〕
    /// 16号: 9/29–10/6 off, Saturday 10/7 and Sunday 10/8 worked).
    static let calendar2023 = try! WorkingDayCalendar(holidayJSON: Data(#"""
        {"years":{"2023":{"off":["2023-09-29","2023-10-02","2023-10-03","2023-10-04","2023-10-05","2023-10-06"],
                          "work":["2023-10-07","2023-10-08"]}}}
        """#.utf8))

    func ledger(_ clock: SteppingClock = SteppingClock()) throws -> Ledger {
        var configuration = configuration(clock: clock)
        configuration.context = ViewContext(rules: try RuleBook.national(), calendar: Self.calendar2023)
        return try Ledger.open(directory: directory.path, configuration: configuration)
    }

    @Test func anActWhoseDeadlineFallsPastTheCalendarIsNotJudgedAndSaysWhereTheCalendarEnds() throws {
        // 国办发〔2015〕51号 (双公示): 7 working days. A penalty of 2023-12-28 has its deadline in
        // 2024, past this calendar: before, it was silently dropped from the judged figures.
        let ledger = try ledger()
        try ledger.append([
            Status.fact("penalty.decided", Status.company, on: "2023-09-27",
                        #"{"decisionNo":"D-C-1","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"general","field":"tax","legalBasis":"《税收征收管理法》"}"#,
                        reported: "2023-10-12T17:00:00+08:00"),
            Status.fact("penalty.decided", Status.company, on: "2023-12-28",
                        #"{"decisionNo":"D-C-2","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"general","field":"tax","legalBasis":"《税收征收管理法》"}"#,
                        reported: "2024-02-20T09:00:00+08:00"),
        ])
        let report = try ledger.withView(DataQuality.self) { $0.report(asOf: date("2024-06-30"), context: ledger.context) }
        #expect(report.count == 1)
        #expect(report[0].onTime == 1 && report[0].late == 0 && report[0].unjudged == 1)
        #expect(report[0].notJudged.map(\.kind) == ["calendar ends 2023-12-31"] && report[0].notJudged[0].count == 1)
    }

    @Test func aLedgerWarnsOnOpenWhenItsCalendarEndsWithinSixtyDays() throws {
        // On 2023-11-15 the calendar's last day (2023-12-31) is 46 days away.
        let warned = try ledger(SteppingClock(start: "2023-11-15T09:00:00+08:00"))
        let warning = try #require(warned.warnings.first { $0.contains("holiday calendar") })
        #expect(warning.contains("ends on 2023-12-31, in 46 day(s)") && warning.contains("--calendar FILE"))
        try warned.close()
        // On 2023-10-01 it is 91 days away: no warning.
        let quiet = try ledger(SteppingClock(start: "2023-10-01T09:00:00+08:00"))
        #expect(!quiet.warnings.contains { $0.contains("holiday calendar") })
        try quiet.close()
    }
}
