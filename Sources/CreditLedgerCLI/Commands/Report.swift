import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `report ID [--format text|json|html] [--out FILE]`: the credit report as of a date; with
/// `--field --from --to` the special report that replaces a no-violation certificate for that field
/// and period. The HTML page is rendered from the same typed documents, through the page templates.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A subject's credit report as of --as-of; with --field F --from D1 --to D2 the special report replacing a no-violation certificate.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var rules: RuleOptions
    @OptionGroup var pages: PageOptions

    @Argument(help: "A unified social credit code or citizen identity number.")
    var id: String

    @Option(help: "text, json, or html (a self-contained page; identity numbers masked).")
    var format: Format = .text

    @Option(help: "Write the report to FILE instead of stdout.")
    var out: String?

    @Option(help: "Special report: the regulatory field, e.g. foodSafety.")
    var field: String?

    @Option(help: "Special report: first day of the period.")
    var from: String?

    @Option(help: "Special report: last day of the period.")
    var to: String?

    func validate() throws {
        if (field != nil || from != nil || to != nil) && (field == nil || from == nil || to == nil) {
            throw ValidationError("a special report needs --field, --from and --to together")
        }
        if let field, RegulatoryField(rawValue: field) == nil {
            throw ValidationError("--field \(field): not a regulatory field (\(RegulatoryField.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        for date in [from, to].compactMap({ $0 }) where (try? LegalDate(parsing: date)) == nil {
            throw ValidationError("\(date) is not a date YYYY-MM-DD")
        }
        if options.json && format == .html {
            throw ValidationError("--json and --format \(format.rawValue): choose one")
        }
        try pages.check(writesPage: format == .html && !options.json, pageOption: "--format html")
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let format = options.json ? .json : format
            let renderer = format == .html ? try pages.renderer() : nil
            let ledger = try options.open()
            // The report is computed from exactly the history its JSON names (tree size and root).
            let binding = try ledger.binding(knownAt: try time.instant())
            if let field, let from, let to {
                let (report, name) = try Self.special(of: subject, field: RegulatoryField(rawValue: field)!, from: try LegalDate(parsing: from),
                                                      through: try LegalDate(parsing: to), ledger: ledger, binding: binding)
                let knownAtText = try time.knownAtText()
                try emit(format, json: { ReportDocuments.document(report, name: name, knownAt: knownAtText, binding: binding) },
                         page: { renderer?.specialReport(report, name: name, knownAt: knownAtText) }) { report.statement + "\n" + HistoryDocuments.line(binding) }
                return try requireInLedger(subject, report.inLedger)
            }
            let about = try Self.credit(of: subject, asOf: try time.date(), ledger: ledger, binding: binding, rules: rules)
            let knownAtText = try time.knownAtText()
            try emit(format, json: { ReportDocuments.document(about.report, about: about, knownAt: knownAtText, binding: binding) },
                     page: { renderer?.creditReport(about, knownAt: knownAtText) }) { Self.text(about, knownAt: knownAtText) + "\n" + HistoryDocuments.line(binding) }
            try requireInLedger(subject, about.inLedger)
        }
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
        case .text: try writeOutput(Array((text() + "\n").utf8), to: out)
        }
    }

    /// The credit report as text for a terminal.
    static func text(_ about: SubjectDocument, knownAt: String) -> String {
        let report = about.report
        var lines = ["信用报告 credit report — \(report.subject) \(about.profile?.registration?.name ?? "")",
                     "as of \(report.asOf), known at \(knownAt)",
                     report.inLedger ? "" : NotInLedger.notice(report.subject) + "\n",
                     "grade: \(about.grade.level.rawValue) (score \(about.grade.score), model \(about.grade.model))"]
        for reason in about.grade.reasons {
            lines.append("  \(reason.points >= 0 ? "+" : "")\(reason.points) \(reason.rule) \(reason.ref) (\(reason.date))")
        }
        lines.append("public penalties (\(report.publicPenalties.count)):")
        for p in report.publicPenalties { lines.append("  \(p.decisionNo) \(p.decided) \(p.field.rawValue) \(p.severity.rawValue), public until \(p.publicityEnd?.description ?? "-")") }
        lines.append("penalties not public (\(report.unpublishedPenalties.count)):")
        for p in report.unpublishedPenalties { lines.append("  \(p.decisionNo) \(p.decided) \(p.field.rawValue): \(p.whyNotPublic ?? p.status.rawValue)") }
        lines.append("published list entries (\(report.publishedListings.count)):")
        for l in report.publishedListings { lines.append("  \(l.list.rawValue) \(l.listNo) since \(l.entered)" + (l.plannedExpiry.map { ", planned expiry \($0)" } ?? "")) }
        lines.append("list entries not published (\(report.unpublishedListings.count)):")
        for (l, why) in report.unpublishedListings { lines.append("  \(l.list.rawValue) \(l.listNo): \(why)") }
        lines.append("commitments (\(report.commitments.count)):")
        for c in report.commitments { lines.append("  \(c.kind.rawValue) \(c.commitmentNo): \(c.status.rawValue)") }
        let eligibility = report.notificationAndCommitment
        lines.append("notification and commitment (告知承诺): " + (eligibility.isAllowed ? "allowed" : "not allowed: " + eligibility.reasons.joined(separator: "; ")))
        lines.append("measures that apply (\(about.measures.count)):")
        for match in about.measures { lines.append("  " + RuleDocuments.describe(match)) }
        for warning in about.warnings { lines.append("warning: \(warning.kind.rawValue): \(warning.detail)") }
        if report.hasOpenObjection { lines.append("\nan objection is open: the disputed records are marked (异议处理中)") }
        return lines.joined(separator: "\n")
    }
}
