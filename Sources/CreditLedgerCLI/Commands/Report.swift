import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation
import LedgerStorage

/// `report ID [--format text|json|html] [--out FILE]`: the credit report as of a date; with
/// `--field --from --to` the special report that replaces a no-violation certificate for that field
/// and period. The HTML page is rendered from the same typed documents, through the page templates.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A subject's credit report as of --as-of; with --field F --from D1 --to D2 the special report replacing a no-violation certificate.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html, pdf }

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var rules: RuleOptions
    @OptionGroup var pages: PageOptions

    @Argument(help: "A unified social credit code or citizen identity number.")
    var id: String

    @Option(help: "text, json, html (a self-contained page; identity numbers masked) or pdf (the page printed on A4 by headless Chromium, when installed; needs --out).")
    var format: Format = .text

    @Option(help: "Write the report to FILE instead of stdout.")
    var out: String?

    @Option(help: "Special report: the regulatory field, e.g. foodSafety.")
    var field: String?

    @Option(help: "Special report: first day of the period.")
    var from: String?

    @Option(help: "Special report: last day of the period.")
    var to: String?

    @Option(help: ArgumentHelp("The issuing body (出具单位) printed on the credit report.", valueName: "name"))
    var issuer: String?

    @Option(help: ArgumentHelp("The date of issue (出具日期) printed on the credit report (default: today, China Standard Time).", valueName: "date"))
    var issued: String?

    func validate() throws {
        if (field != nil || from != nil || to != nil) && (field == nil || from == nil || to == nil) {
            throw ValidationError("a special report needs --field, --from and --to together")
        }
        if let field, RegulatoryField(rawValue: field) == nil {
            throw ValidationError("--field \(field): not a regulatory field (\(RegulatoryField.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        for date in [from, to, issued].compactMap({ $0 }) where (try? LegalDate(parsing: date)) == nil {
            throw ValidationError("\(date) is not a date YYYY-MM-DD")
        }
        if format == .pdf && out == nil { throw ValidationError("--format pdf needs --out FILE") }
        if options.json && (format == .html || format == .pdf) {
            throw ValidationError("--json and --format \(format.rawValue): choose one")
        }
        try pages.check(writesPage: (format == .html || format == .pdf) && !options.json, pageOption: "--format html or pdf")
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let format = options.json ? .json : format
            let wording = try pages.words.wording().grading(try rules.model())
            if format == .pdf { _ = try PDFPrinter.browser() }  // before the ledger is opened: no browser, no work
            let renderer = format == .html || format == .pdf ? try pages.renderer().with(wording) : nil
            let ledger = try options.open()
            // The report is computed from exactly the history its JSON names (tree size and root).
            let binding = try ledger.binding(knownAt: try time.instant())
            if let field, let from, let to {
                let (report, name) = try Self.special(of: subject, field: RegulatoryField(rawValue: field)!, from: try LegalDate(parsing: from),
                                                      through: try LegalDate(parsing: to), ledger: ledger, binding: binding)
                let knownAtText = try time.knownAtText()
                let issue = format == .json ? nil : try self.issue(of: ledger, asOf: report.through, binding: binding)
                try emit(format, json: { ReportDocuments.document(report, name: name, knownAt: knownAtText, binding: binding) },
                         page: { renderer?.specialReport(report, name: name, knownAt: knownAtText, issue: issue) }) {
                    TextReports.specialReport(report, name: name, knownAt: knownAtText, issue: issue, wording: wording)
                        + "\n" + HistoryDocuments.line(binding)
                }
                return try requireInLedger(subject, report.inLedger)
            }
            let about = try Self.credit(of: subject, asOf: try time.date(), ledger: ledger, binding: binding, rules: rules)
            let knownAtText = try time.knownAtText()
            let issue = format == .json ? nil : try self.issue(of: ledger, asOf: try time.date(), binding: binding)
            try emit(format, json: { ReportDocuments.document(about.report, about: about, knownAt: knownAtText, binding: binding) },
                     page: { renderer?.creditReport(about, knownAt: knownAtText, issue: issue) }) {
                TextReports.creditReport(about, knownAt: knownAtText, issue: issue, wording: wording) + "\n" + HistoryDocuments.line(binding)
            }
            try requireInLedger(subject, about.inLedger)
        }
    }

    /// The issue details of a credit report (or a special report, as of its period's last day):
    /// `--issuer`, `--issued` (today by default) and the verification reference (``ReportIssue/of``).
    private func issue(of ledger: Ledger, asOf date: LegalDate, binding: HistoryBinding) throws -> ReportIssue {
        let issuedOn = try issued.map { try LegalDate(parsing: $0) } ?? Timestamp(RecordedTime.now()).chinaStandardDate
        return try ReportIssue.of(ledger, binding: binding, asOf: date, knownAtText: time.knownAt, ledgerPath: options.ledger,
                                  issuer: issuer, issued: issuedOn)
    }

    /// The special report from exactly the history `binding` names, and the subject's name.
    static func special(of subject: SubjectCode, field: RegulatoryField, from: LegalDate, through: LegalDate, ledger: Ledger,
                        binding: HistoryBinding) throws -> (SpecialReport, String?) {
        let registry = try ledger.subjectView(SubjectRegistry.self, subject: subject, knownAt: binding.knownAt)
        let report = try ledger.specialReport(for: subject, field: field, from: from, through: through, knownAt: binding.knownAt)
        return (report, registry.profile(subject, asOf: report.through)?.registration?.name)
    }

    /// The subject's document behind the credit report, from exactly the history `binding` names.
    static func credit(of subject: SubjectCode, asOf date: LegalDate, ledger: Ledger, binding: HistoryBinding,
                       rules: RuleOptions) throws -> SubjectDocument {
        try ledger.subjectDocument(of: subject, asOf: date, knownAt: binding.knownAt, model: try rules.model(), catalogue: try rules.catalogue())
    }

    /// Writes the report in `format` to `--out` or stdout: the JSON document, the page, or the text.
    private func emit(_ format: Format, json: () -> JSON, page: () -> [UInt8]?, text: () -> String) throws {
        switch format {
        case .json: try writeOutput(Array((json().text + "\n").utf8), to: out)
        case .html: try writeOutput(page() ?? [], to: out)
        case .pdf: try CLIAudit.write(file: out ?? "", binary: try PDFPrinter.print(page() ?? []))
        case .text: try writeOutput(Array((text() + "\n").utf8), to: out)
        }
    }
}
