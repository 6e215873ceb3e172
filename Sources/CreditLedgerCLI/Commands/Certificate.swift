import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation
import LedgerStorage

/// `certificate CODE REPAIR-NO [--format text|json|html]`: the repair certificate (信用修复证明) of
/// an approved repair as of `--as-of`: the decision, the records it stopped, the stages with their
/// deadlines, and — as the credit report — the history it was computed from (the JSON `ledger`
/// member; on the page the certificate number, issuer, date of issue and verification reference).
/// Exit 3 when there is no such repair; exit 1 when it is not (yet) approved.
struct Certificate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The repair certificate (信用修复证明) of an approved repair: the decision, the records it stopped, and a verification reference.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var cases: CaseDeadlineOptions
    @OptionGroup var pages: PageOptions

    @Argument(help: "The applicant: a unified social credit code or citizen identity number.")
    var id: String

    @Argument(help: "The repair application's number.")
    var repairNo: String

    @Option(help: "text, json or html (a self-contained page; identity numbers masked).")
    var format: Format = .text

    @Option(help: ArgumentHelp("The issuing body (出具单位) printed on the page.", valueName: "name"))
    var issuer: String?

    @Option(help: ArgumentHelp("The date of issue printed on the page (default: today, China Standard Time).", valueName: "date"))
    var issued: String?

    func validate() throws {
        if let issued, (try? LegalDate(parsing: issued)) == nil { throw ValidationError("\(issued) is not a date YYYY-MM-DD") }
        if options.json && format == .html { throw ValidationError("--json and --format html: choose one") }
        try pages.check(writesPage: format == .html && !options.json, pageOption: "--format html")
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let format = options.json ? .json : format
            let deadlines = try cases.deadlines()
            let renderer = format == .html ? try pages.renderer() : nil
            let ledger = try options.open()
            let date = try time.date()
            // Computed from exactly the history its JSON names, as a credit report is.
            let binding = try ledger.binding(knownAt: try time.instant())
            let certificate: RepairCertificate
            do {
                certificate = try ledger.repairCertificate(of: subject, repairNo: repairNo, asOf: date, knownAt: binding.knownAt, deadlines: deadlines)
            } catch let error as RepairCertificateError {
                if case .noSuchRepair = error { throw CLIFailure(.notInLedger, "\(error)") }
                throw CLIFailure(.refused, "\(error)")
            }
            switch format {
            case .json:
                print(OfficeDocuments.certificate(certificate, knownAtText: try time.knownAtText(), binding: binding).text)
            case .html:
                let issuedOn = try issued.map { try LegalDate(parsing: $0) } ?? Timestamp(RecordedTime.now()).chinaStandardDate
                let issue = try ReportIssue.of(ledger, binding: binding, asOf: date, knownAtText: time.knownAt, ledgerPath: options.ledger,
                                               issuer: issuer, issued: issuedOn)
                FileHandle.standardOutput.write(Data(renderer!.repairCertificate(certificate, knownAt: try time.knownAtText(), issue: issue)))
            case .text:
                print(TextReports.certificate(certificate, binding: binding, wording: try pages.words.wording()))
            }
        }
    }
}
