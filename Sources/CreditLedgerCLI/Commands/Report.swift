import ArgumentParser
import CreditFacts
import CreditLedger
import Foundation

/// `report ID [--format text|json|html] [--out FILE]`: the credit report as of a date; with
/// `--field --from --to` the special report that replaces a no-violation certificate for that field
/// and period. The HTML page is rendered from the same JSON document `--format json` prints.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A subject's credit report as of --as-of; with --field F --from D1 --to D2 the special report replacing a no-violation certificate.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var rules: RuleOptions

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
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let ledger = try options.open()
            let format = options.json ? .json : format
            let knownAt = try time.instant()
            if let field, let from, let to {
                let registry = try ledger.subjectView(SubjectRegistry.self, subject: subject, knownAt: knownAt)
                let report = try ledger.specialReport(
                    for: subject, field: RegulatoryField(rawValue: field)!, from: try LegalDate(parsing: from),
                    through: try LegalDate(parsing: to), knownAt: knownAt)
                let name = registry.profile(subject, asOf: report.through)?.registration?.name
                try emit(Self.document(report, name: name, knownAt: try time.knownAtText()), format, page: HTMLPages.specialReport) {
                    report.statement
                }
                return
            }
            let date = try time.date()
            let about = try ledger.subjectDocument(of: subject, asOf: date, knownAt: knownAt, model: try rules.model(),
                                                   catalogue: try rules.catalogue())
            let document = Self.document(about.report, about: about, knownAt: try time.knownAtText())
            try emit(document, format, page: HTMLPages.creditReport) { Self.text(about.report, document, about: about) }
        }
    }

    /// Writes the report in `format` to `--out` or stdout: the JSON document, the page rendered
    /// from it, or the text.
    private func emit(_ document: JSON, _ format: Format, page: (JSON) -> String, text: () -> String) throws {
        switch format {
        case .json: try HTMLPages.write(document.text + "\n", to: out)
        case .html: try HTMLPages.write(page(document), to: out)
        case .text: try HTMLPages.write(text() + "\n", to: out)
        }
    }

    /// The keys of the subject's document (`subject --json`) the credit report carries as they
    /// are: the grade, repairs, the roles of its persons (masked), for a person the records linked
    /// to them, the measures that apply and early warnings. Whatever fills them in for `subject`
    /// fills them in for the report and its page.
    static let subjectKeys = ["grade", "repairs", "roles", "linkedRecords", "measures", "warnings"]

    /// The credit report's JSON document: the subject (name, kind), both instants, penalties and
    /// list entries public and not (with why), commitments, notification-and-commitment
    /// eligibility, open objections, then ``subjectKeys`` from the subject's document.
    static func document(_ report: CreditReport, about: SubjectDocument, knownAt: String) -> JSON {
        let registration = about.profile?.registration, subject = about.json(knownAtText: knownAt)
        return .object([
            ("subject", .string(report.subject.description)), ("name", .optional(registration?.name)),
            ("kind", .optional(registration?.kind.rawValue ?? (report.subject.isPerson ? "naturalPerson" : nil))),
            ("asOf", .string(report.asOf.description)), ("knownAt", .string(knownAt)),
            ("publicPenalties", .array(report.publicPenalties.map(Self.penalty))),
            ("unpublishedPenalties", .array(report.unpublishedPenalties.map(Self.penalty))),
            ("publishedListings", .array(report.publishedListings.map { Self.listing($0) })),
            ("unpublishedListings", .array(report.unpublishedListings.map { Self.listing($0.status, why: $0.why) })),
            ("commitments", .array(report.commitments.map { c in
                .object([("commitmentNo", .string(c.commitmentNo.text)), ("kind", .string(c.kind.rawValue)), ("status", .string(c.status.rawValue))])
            })),
            ("notificationAndCommitment", .object([
                ("allowed", .bool(report.notificationAndCommitment.isAllowed)),
                ("reasons", .array(report.notificationAndCommitment.reasons.map(JSON.string))),
            ])),
            ("disputed", .bool(report.hasOpenObjection)),
        ] + subjectKeys.map { ($0, subject[$0] ?? .null) })
    }

    /// The special report's JSON document.
    static func document(_ report: SpecialReport, name: String?, knownAt: String) -> JSON {
        .object([
            ("subject", .string(report.subject.description)), ("name", .optional(name)), ("field", .string(report.field.rawValue)),
            ("from", .string(report.from.description)), ("to", .string(report.through.description)), ("knownAt", .string(knownAt)),
            ("clean", .bool(report.isClean)), ("penalties", .array(report.penalties.map(Self.penalty))),
            ("statement", .string(report.statement)),
        ])
    }

    /// The credit report as text for a terminal.
    static func text(_ report: CreditReport, _ document: JSON, about: SubjectDocument) -> String {
        var lines = ["信用报告 credit report — \(report.subject) \(document["name"]?.stringValue ?? "")",
                     "as of \(report.asOf), known at \(document["knownAt"]?.plainText ?? "")", "",
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

    static func penalty(_ p: PenaltyStatus) -> JSON {
        .object([("decisionNo", .string(p.decisionNo.text)), ("decided", .string(p.decided.description)), ("field", .string(p.field.rawValue)),
                 ("severity", .string(p.severity.rawValue)), ("status", .string(p.status.rawValue)), ("public", .bool(p.isPublic)),
                 ("publicUntil", .optional(p.publicityEnd?.description)), ("whyNotPublic", .optional(p.whyNotPublic)),
                 ("repairEligibleFrom", .optional(p.repairEligibleFrom?.description)), ("disputed", .bool(p.disputed))])
    }

    static func listing(_ l: ListStatus, why: String? = nil) -> JSON {
        .object([("listNo", .string(l.listNo.text)), ("list", .string(l.list.rawValue)), ("enteredOn", .string(l.entered.description)),
                 ("plannedExpiry", .optional(l.plannedExpiry?.description)), ("active", .bool(l.isActive)),
                 ("published", .bool(l.isPublished)), ("why", .optional(why))])
    }
}
