import Foundation
import Testing
@testable import CreditFacts

/// Working days from the State Council holiday notices (bundled cn-holidays.json).
@Suite struct WorkingDayCalendarTests {
    let calendar: WorkingDayCalendar
    init() throws { calendar = try WorkingDayCalendar.chinaMainland() }

    func date(_ text: String) -> LegalDate { try! LegalDate(parsing: text) }

    @Test func nationalDay2023SeventhWorkingDayIsOctober13() throws {
        // 9/29–10/6 off; Saturday 10/7 and Sunday 10/8 are make-up working days.
        #expect(try calendar.workingDay(7, after: date("2023-09-28")) == date("2023-10-13"))
        #expect(try calendar.isWorkingDay(date("2023-10-07")))
        #expect(try !calendar.isWorkingDay(date("2023-10-06")))
    }

    @Test func workingDaysBetweenCountsAfterTheFirstDateThroughTheSecond() throws {
        #expect(try calendar.workingDays(after: date("2023-09-28"), through: date("2023-10-13")) == 7)
        #expect(try calendar.workingDays(after: date("2023-09-28"), through: date("2023-10-06")) == 0)
        #expect(try calendar.workingDays(after: date("2023-10-13"), through: date("2023-09-28")) == 0)
    }

    @Test func covid2020ExtensionMadeJanuary31OffAndCancelledTheFebruary1MakeUpDay() throws {
        #expect(try !calendar.isWorkingDay(date("2020-01-31")))
        #expect(try !calendar.isWorkingDay(date("2020-02-01")))
        #expect(try calendar.workingDay(1, after: date("2020-01-23")) == date("2020-02-03"))
        // Under the original notice the 7th working day after 2020-01-20 would have been 2020-02-04.
        #expect(try calendar.workingDay(7, after: date("2020-01-20")) == date("2020-02-06"))
    }

    @Test func from2025NewYearsEveIsAHolidayAndSunday26JanuaryAWorkingDay() throws {
        #expect(try !calendar.isWorkingDay(date("2025-01-28")))
        #expect(try calendar.isWorkingDay(date("2025-01-26")))
        #expect(try calendar.workingDay(1, after: date("2025-01-24")) == date("2025-01-26"))
    }

    @Test func from2025May2IsAStatutoryHoliday() throws {
        #expect(try !calendar.isWorkingDay(date("2025-05-02")))
    }

    @Test func nationalDay2025SeventhWorkingDayIsOctober16() throws {
        // 10/1–10/8 off; Saturday 10/11 works.
        #expect(try calendar.workingDay(7, after: date("2025-09-30")) == date("2025-10-16"))
    }

    @Test func victoryDayAnniversary2025WasAWorkingDay() throws {
        #expect(try calendar.isWorkingDay(date("2025-09-03")))
    }

    @Test func newYearsEve2024WasOnlyEncouragedLeaveSoAWorkingDay() throws {
        #expect(try calendar.isWorkingDay(date("2024-02-09")))
    }

    @Test func datesOutsideTheHolidayDataAreRefusedNotGuessed() throws {
        let coverage = calendar.coverage
        #expect(coverage == date("2019-01-01")...date("2026-12-31"))
        // The count stops at the first day it cannot judge: 2027 has no published notice yet.
        #expect(throws: WorkingDayCalendarError.outsideCoverage(date("2027-01-01"), coverage: coverage)) {
            try calendar.workingDay(7, after: date("2026-12-28"))
        }
        #expect(throws: WorkingDayCalendarError.outsideCoverage(date("2018-12-31"), coverage: coverage)) {
            try calendar.isWorkingDay(date("2018-12-31"))
        }
    }

    @Test func holidayDataListingASaturdayAsAWeekdayOffIsRejected() {
        let json = #"{"years":{"2023":{"off":["2023-10-07"],"work":[]}}}"#
        #expect(throws: WorkingDayCalendarError.invalidData("2023-10-07 is listed as a weekday off but is not")) {
            try WorkingDayCalendar(holidayJSON: Data(json.utf8))
        }
    }
}

/// Holiday files found crashing the calendar while writing the `holiday-calendar` fuzz target
/// (Fuzz/, docs/fuzzing.md), kept as bytes: each must be refused with a clear error, never trap.
@Suite struct WorkingDayCalendarFileTests {
    @Test(arguments: [#"{"years":{"999999":{"off":[],"work":[]}}}"#, #"{"years":{"-5":{"off":[],"work":[]}}}"#])
    func yearOutsideTheDatesTheLedgerHandlesIsRefusedNotATrap(_ file: String) {
        #expect(throws: WorkingDayCalendarError.self) { try WorkingDayCalendar(holidayJSON: Data(file.utf8)) }
    }
}

/// A district's own holiday calendar (the bundled one ends 2026-12-31): read from a file in the
/// format of cn-holidays.json, every error naming the file and the line.
@Suite struct DistrictCalendarTests {
    let path = NSTemporaryDirectory() + "calendar-\(UUID().uuidString.prefix(8)).json"

    func load(_ lines: [String]) throws(WorkingDayCalendarError) -> WorkingDayCalendar {
        try! lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try WorkingDayCalendar.load(path: path)
    }

    /// 2027 as a district would type it before the bundled data has it (a hand-made year: New
    /// Year's Day on Friday 2027-01-01, one make-up Saturday).
    static let year2027 = [
        #"{"years": {"#,
        #"  "2027": {"#,
        #"    "off": ["2027-01-01"],"#,
        #"    "work": ["2027-01-09"]"#,
        #"  }"#,
        #"}}"#,
    ]

    @Test func aDistrictCalendarExtendsTheDeadlinesPastTheBundledYears() throws {
        let calendar = try load(Self.year2027)
        #expect(calendar.coverage.upperBound == (try LegalDate(parsing: "2027-12-31")))
        #expect(try calendar.workingDay(1, after: LegalDate(parsing: "2026-12-31")) == (try LegalDate(parsing: "2027-01-04")))
    }

    @Test func everyErrorInADistrictCalendarNamesTheFileAndTheLine() {
        var bad = Self.year2027
        bad[3] = #"    "work": ["2027-01-11"]"#          // a Monday listed as a make-up weekend day
        #expect(throws: WorkingDayCalendarError.invalidData("\(path):4: 2027-01-11 is listed as a weekend working day but is not")) {
            try load(bad)
        }
        bad = Self.year2027
        bad[2] = #"    "off": ["2027-02-30"],"#           // no such date
        #expect(throws: WorkingDayCalendarError.invalidData("\(path):3: bad date 2027-02-30")) { try load(bad) }
        bad = Self.year2027
        bad[2] = #"    "off": ["2027-01-01" "2027-01-02"],"#   // a missing comma
        do { _ = try load(bad); Issue.record("accepted") } catch {
            #expect(error.description.hasPrefix("holiday data: \(path):3: not JSON: expected , or ] at line 3, column"), "\(error)")
        }
    }
}
