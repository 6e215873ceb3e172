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
