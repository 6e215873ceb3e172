import CreditFacts
import CreditLedger

/// The JSON documents of `penetration --json` and `feedback --json`: built here once so that the
/// command line and the HTTP server print the same bytes.
public enum AnalysisDocuments {
    /// `penetration --json`: coverage of organisations' dishonesty records by linked persons, and
    /// every unlinked record (data gap).
    public static func penetration(_ coverage: PenetrationCoverage, asOf date: LegalDate, knownAtText: String) -> JSON {
        .object([
            ("asOf", .string(date.description)), ("knownAt", .string(knownAtText)),
            ("records", .integer(coverage.records)), ("linked", .integer(coverage.linked)),
            ("coverage", .number((coverage.ratio * 10_000).rounded() / 10_000)),
            ("unlinked", .array(coverage.unlinked.map { gap in
                .object([("organisation", .string(gap.record.organisation.description)), ("ref", .string(gap.record.ref)),
                         ("kind", .string(gap.record.kind.rawValue)), ("effective", .string(gap.record.effective.description)),
                         ("reason", .string(gap.reason)), ("explanation", .explanation(gap.explanation))])
            })),
        ])
    }

    /// `penetration --subject ORGANISATION --json`: its dishonesty records in force and the persons
    /// each reaches.
    public static func organisationPenetration(_ records: [LinkedDishonestyRecord]) -> JSON {
        .array(records.map { linked in
            .object([("ref", .string(linked.record.ref)), ("kind", .string(linked.record.kind.rawValue)),
                     ("effective", .string(linked.record.effective.description)), ("fact", .string(linked.record.fact?.description ?? "")),
                     ("persons", SubjectDocument.links(linked.links))])
        })
    }

    /// `penetration --subject PERSON --json`: the organisation records linked to a person.
    public static func personPenetration(_ view: PersonPenetration) -> JSON {
        SubjectDocument.linkedRecords(view.links)
    }

    /// `feedback --from D1 --to D2 --json`: per measure and department, triggered cases, feedback
    /// received, the rate, and the cases (典型案例).
    public static func feedback(_ report: FeedbackReport, from: String, to: String) -> JSON {
        JSON.object([
            ("from", .string(from)), ("to", .string(to)),
            ("rows", .array(report.rows.map { row in
                .object([("measure", .string(row.measureId.text)), ("department", .string(row.department)),
                         ("triggered", .integer(row.triggered)), ("answered", .integer(row.answered)),
                         ("feedback", .integer(row.feedback)), ("applied", .integer(row.applied)),
                         ("notApplicable", .integer(row.notApplicable)), ("waived", .integer(row.waived)),
                         ("feedbackRate", row.feedbackRate.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .null),
                         ("cases", .array(row.cases.map { c in
                             .object([("subject", .string(c.subject.description)), ("date", .string(c.date.description)),
                                      ("scene", .string(c.scene.rawValue)), ("outcome", .string(c.outcome.rawValue)),
                                      ("caseRef", .string(c.caseRef)), ("fact", .string(c.fact.description))])
                         }))])
            })),
        ])
    }
}
