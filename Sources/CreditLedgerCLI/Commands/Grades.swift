import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `grades`: the grade distribution over every subject as of a date (信用分级分类监管), with the
/// model's supervision frequency per grade; with `--draw SEED` the reproducible 双随机 draw.
struct Grades: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade distribution over all subjects as of --as-of and the supervision frequency (random-inspection share) per grade.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var rules: RuleOptions

    @Option(help: "Draw subjects for random inspection (双随机) with this seed: the same seed, date and ledger give the same draw.")
    var draw: UInt64?

    @OptionGroup var page: PageFileOptions

    func run() throws {
        try CreditLedgerCommand.run {
            let renderer = try page.renderer()
            let ledger = try options.open()
            let date = try time.date()
            let model = try rules.model()
            let distribution = try ledger.gradeDistribution(asOf: date, knownAt: try time.instant(), model: model)
            let drawn = try draw.map { try ledger.inspectionDraw(asOf: date, seed: $0, knownAt: try time.instant(), model: model) }
            let knownAtText = try time.knownAtText()
            try page.write(with: renderer, { $0.grades(distribution, model: model, drawn: drawn, knownAt: knownAtText) }, csv: { $0.gradesCSV(distribution, model: model, drawn: drawn) })
            if options.json {
                print(QueryDocuments.grades(asOf: date, knownAtText: knownAtText, distribution: distribution, model: model, drawn: drawn).text)
                return
            }
            print(TextReports.grades(distribution, model: model, drawn: drawn, knownAt: knownAtText, wording: try page.pages.words.wording()))
        }
    }
}
