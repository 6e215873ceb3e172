import CreditFacts
import CreditLedger
import Foundation

extension FuzzTargets {
    /// A grading model file (rules as data). Errors are the reader's job; a crash is a finding.
    static let gradingModel = FuzzTarget(name: "grading-model", summary: "GradingModel(jsonData:origin:)") { data in
        _ = try? GradingModel(jsonData: Data(data), origin: "fuzz.json")
    }

    /// A measures catalogue file (joint punishment and incentive measures, as data).
    static let measureCatalogue = FuzzTarget(name: "measure-catalogue", summary: "MeasureCatalogue(jsonData:origin:)") { data in
        _ = try? MeasureCatalogue(jsonData: Data(data), origin: "fuzz.json")
    }

    /// Rule regimes: mode 0 reads the input as the base file, any other mode as a district's
    /// override of the bundled national regimes (what a district actually supplies).
    static let ruleBook = FuzzTarget(name: "rule-book", summary: "RuleBook(json:) and RuleBook.national(districtOverrides:)") { data in
        let input = ModedInput(data)
        let json = Data(input.payload)
        if input.mode == 0 {
            _ = try? RuleBook(json: json)
        } else {
            _ = try? RuleBook.national(districtOverrides: [json])
        }
    }

    /// The working-day calendar's holiday file. Property: a calendar that builds answers for every
    /// day it claims to cover.
    static let holidayCalendar = FuzzTarget(name: "holiday-calendar", summary: "WorkingDayCalendar(holidayJSON:)") {
        (data) throws(FuzzFinding) in
        guard let calendar = try? WorkingDayCalendar(holidayJSON: Data(data)) else { return }
        for date in [calendar.coverage.lowerBound, calendar.coverage.upperBound] {
            guard (try? calendar.isWorkingDay(date)) != nil else {
                throw FuzzFinding("holiday-calendar", "\(date) is inside the coverage but has no answer")
            }
        }
    }
}
