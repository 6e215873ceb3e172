import ArgumentParser
import CreditFacts
import CreditLedger
import Foundation

/// `report ID [--format text|json]`: the credit report as of a date; with `--field --from --to`
/// the special report that replaces a no-violation certificate for that field and period.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A subject's credit report as of --as-of; with --field F --from D1 --to D2 the special report replacing a no-violation certificate.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    @Argument(help: "A unified social credit code or citizen identity number.")
    var id: String

    @Option(help: "text or json (html is not available yet).")
    var format: Format = .text

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
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let ledger = try options.open()
            defer { try? ledger.close() }
            let json = options.json || format == .json
            if let field, let from, let to {
                let report = try ledger.specialReport(
                    for: subject, field: RegulatoryField(rawValue: field)!, from: try LegalDate(parsing: from),
                    through: try LegalDate(parsing: to), knownAt: try time.instant())
                print(json ? JSON.object([
                    ("subject", .string(subject.description)), ("field", .string(field)), ("from", .string(from)), ("to", .string(to)),
                    ("clean", .bool(report.isClean)), ("penalties", .array(report.penalties.map(Self.penalty))),
                    ("statement", .string(report.statement)),
                ]).text : report.statement)
                return
            }
            let date = try time.date()
            let report = try ledger.creditReport(for: subject, asOf: date, knownAt: try time.instant())
            let name = try ledger.subjectView(SubjectRegistry.self, subject: subject, knownAt: try time.instant())
                .profile(subject, asOf: date)?.registration?.name
            if json {
                print(JSON.object([
                    ("subject", .string(subject.description)), ("name", .optional(name)), ("asOf", .string(date.description)),
                    ("knownAt", .string(try time.knownAtText())),
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
                ]).text)
                return
            }
            print("信用报告 credit report — \(subject) \(name ?? "")")
            print("as of \(date), known at \(try time.knownAtText())\n")
            print("public penalties (\(report.publicPenalties.count)):")
            for p in report.publicPenalties { print("  \(p.decisionNo) \(p.decided) \(p.field.rawValue) \(p.severity.rawValue), public until \(p.publicityEnd?.description ?? "-")") }
            print("penalties not public (\(report.unpublishedPenalties.count)):")
            for p in report.unpublishedPenalties { print("  \(p.decisionNo) \(p.decided) \(p.field.rawValue): \(p.whyNotPublic ?? p.status.rawValue)") }
            print("published list entries (\(report.publishedListings.count)):")
            for l in report.publishedListings { print("  \(l.list.rawValue) \(l.listNo) since \(l.entered)" + (l.plannedExpiry.map { ", planned expiry \($0)" } ?? "")) }
            print("list entries not published (\(report.unpublishedListings.count)):")
            for (l, why) in report.unpublishedListings { print("  \(l.list.rawValue) \(l.listNo): \(why)") }
            print("commitments (\(report.commitments.count)):")
            for c in report.commitments { print("  \(c.kind.rawValue) \(c.commitmentNo): \(c.status.rawValue)") }
            let eligibility = report.notificationAndCommitment
            print("notification and commitment (告知承诺): " + (eligibility.isAllowed ? "allowed" : "not allowed: " + eligibility.reasons.joined(separator: "; ")))
            if report.hasOpenObjection { print("\nan objection is open: the disputed records are marked (异议处理中)") }
        }
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
