import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `progress CODE [NUMBER]`: an applicant's repair applications and objections as of `--as-of`,
/// stage by stage (received → accepted → decided), each stage with its date and its deadline in
/// working days. Exit 3 when the subject has no such case (or none numbered NUMBER).
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "An applicant's repair applications and objections, stage by stage, with each stage's deadline in working days.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var cases: CaseDeadlineOptions

    @Argument(help: "The applicant: a unified social credit code or citizen identity number.")
    var id: String

    @Argument(help: "A repair or objection number (every case of the applicant when omitted).")
    var number: String?

    @OptionGroup var words: WordingOptions

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let deadlines = try cases.deadlines()
            let ledger = try options.open()
            let date = try time.date()
            let progress = try ledger.caseProgress(of: subject, number: number, asOf: date, knownAt: try time.instant(), deadlines: deadlines)
            guard !progress.isEmpty else {
                throw CLIFailure(.notInLedger, "no repair application or objection \(number.map { "numbered \($0) " } ?? "")of \(subject) received by \(date)")
            }
            if options.json {
                print(OfficeDocuments.progress(progress, subject: subject, asOf: date, deadlines: deadlines, knownAtText: try time.knownAtText()).text)
                return
            }
            print(TextReports.progress(progress, subject: subject, asOf: date, deadlines: deadlines, wording: try words.wording()))
        }
    }
}
