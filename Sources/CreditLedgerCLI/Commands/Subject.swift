import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `subject ID`: the subject's state as of a date, known at an instant.
struct Subject: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The subject's state as of --as-of, known at --known-at.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var rules: RuleOptions
    @OptionGroup var words: WordingOptions

    @Argument(help: "A unified social credit code or citizen identity number.")
    var id: String

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let ledger = try options.open()
            let document = try ledger.subjectDocument(of: subject, asOf: try time.date(), knownAt: try time.instant(),
                                                      model: try rules.model(), catalogue: try rules.catalogue())
            let knownAt = try time.knownAtText()
            print(options.json ? document.json(knownAtText: knownAt).text
                  : TextReports.subject(document, knownAt: knownAt, wording: try words.wording().grading(try rules.model())))
            try requireInLedger(subject, document.inLedger)
        }
    }
}
