import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `feedback --from D1 --to D2`: the loop's feedback (执行反馈) per measure and department —
/// triggered cases, feedback received, feedback rate, and the cases (典型案例).
struct Feedback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Joint-measure feedback per measure and department for a period: triggered cases, feedback received, rate, cases.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var rules: RuleOptions
    @OptionGroup var words: WordingOptions

    @Option(help: "First day of the period.")
    var from: String

    @Option(help: "Last day of the period.")
    var to: String

    @Option(help: "Cases (典型案例) to print per row in text mode (all with --json).")
    var cases: Int = 3

    func validate() throws {
        for date in [from, to] where (try? LegalDate(parsing: date)) == nil { throw ValidationError("\(date) is not a date YYYY-MM-DD") }
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let wording = try words.wording()
            let ledger = try options.open()
            let report = try ledger.measureFeedback(from: try LegalDate(parsing: from), to: try LegalDate(parsing: to),
                                                    knownAt: try time.instant(), catalogue: try rules.catalogue(), model: try rules.model())
            if options.json {
                print(AnalysisDocuments.feedback(report, from: from, to: to).text)
                return
            }
            print(TextReports.feedback(report, cases: cases, wording: wording))
        }
    }
}
