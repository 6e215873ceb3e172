import CreditDocuments
import CreditFacts
import CreditLedger

/// What the `credit-report` template reads: the credit report (信用报告) of a subject document,
/// its values formatted, its records as tables. Stored properties only: templates read them by
/// name.
struct CreditReportPage {
    /// The subject code, its name and kind (nil when no registration is known).
    let subject: String, name: String?, kind: String?
    /// Whether the subject is a natural person (the heading says so when there is no name).
    let isPerson: Bool
    /// Both instants as the document shows them.
    let asOf: String, knownAt: String
    /// Whether an objection is open.
    let disputed: Bool
    /// The notice for a subject the ledger holds no fact about, nil otherwise.
    let notInLedger: String?
    /// The grade box.
    let grade: GradeBox
    let publicPenalties: PageTable, unpublishedPenalties: PageTable
    let publishedListings: PageTable, unpublishedListings: PageTable
    let commitments: PageTable
    /// Notification and commitment (告知承诺): allowed, or the reasons it is not, joined.
    let notificationAllowed: Bool, notificationReasons: String
    let repairs: PageTable
    let persons: LinkedPersons
    let measures: PageTable, warnings: PageTable

    /// A grade: level (and the class that colours it), score, model and reasons.
    struct GradeBox {
        let level: String, levelClass: String, score: String, model: String
        let reasons: PageTable
    }

    /// The roles of an organisation and, for a person, the organisations' records linked to them:
    /// the roles table shows for an organisation or when there are roles, the linked table for a
    /// person or when there are links.
    struct LinkedPersons {
        let noneAtAll: Bool, showRoles: Bool, showLinked: Bool
        let roles: PageTable, linked: PageTable
    }

    /// The page of `document` (its credit report, grade, repairs, roles, links, measures, warnings).
    init(_ document: SubjectDocument, knownAt: String) {
        let report = document.report, registration = document.profile?.registration
        subject = report.subject.description
        name = registration?.name
        kind = registration?.kind.rawValue ?? (report.subject.isPerson ? "naturalPerson" : nil)
        isPerson = kind == "naturalPerson"
        asOf = report.asOf.description
        self.knownAt = knownAt
        disputed = report.hasOpenObjection
        notInLedger = report.inLedger ? nil : NotInLedger.notice(report.subject)
        let level = document.grade.level.rawValue
        grade = GradeBox(level: level, levelClass: "level-" + (["A", "B", "C", "D"].contains(level) ? level : "M"),
                         score: NumberText.grouped(document.grade.score), model: document.grade.model,
                         reasons: RecordTables.reasons(document.grade))
        publicPenalties = RecordTables.penalties(report.publicPenalties, omitting: ["Public", "Why not public"])
        unpublishedPenalties = RecordTables.penalties(report.unpublishedPenalties, omitting: ["Public"])
        publishedListings = RecordTables.listings(report.publishedListings.map { ($0, nil) }, omitting: ["Published", "Why"])
        unpublishedListings = RecordTables.listings(report.unpublishedListings.map { ($0.status, $0.why) }, omitting: ["Published"])
        commitments = RecordTables.commitments(report.commitments)
        notificationAllowed = report.notificationAndCommitment.isAllowed
        notificationReasons = report.notificationAndCommitment.reasons.joined(separator: "; ")
        repairs = RecordTables.repairs(of: document)
        persons = LinkedPersons(noneAtAll: document.roles.isEmpty && document.links.isEmpty,
                                showRoles: !document.roles.isEmpty || !isPerson, showLinked: !document.links.isEmpty || isPerson,
                                roles: RecordTables.roles(document.roles), linked: RecordTables.linkedRecords(document.links))
        measures = RecordTables.measures(document.measures)
        warnings = RecordTables.warnings(document.warnings)
    }

    /// The document title.
    var title: String { "信用报告 Credit report — \(subject) \(name ?? "")" }
}

/// What the `special-report` template reads: the special report (专项信用报告) that replaces a
/// certificate of no violation for one field and period.
struct SpecialReportPage {
    let subject: String, name: String?, field: String, from: String, to: String, knownAt: String
    /// The notice for a subject the ledger holds no fact about, nil otherwise.
    let notInLedger: String?
    /// Whether the field had no penalty in the period, and the finding in words.
    let clean: Bool, statement: String
    let penalties: PageTable

    /// The page of `report` about the subject named `name` (nil when unregistered).
    init(_ report: SpecialReport, name: String?, knownAt: String) {
        subject = report.subject.description
        self.name = name
        field = report.field.rawValue
        from = report.from.description
        to = report.through.description
        self.knownAt = knownAt
        notInLedger = report.inLedger ? nil : NotInLedger.notice(report.subject)
        clean = report.isClean
        statement = report.statement
        penalties = RecordTables.penalties(report.penalties)
    }

    /// The document title.
    var title: String { "专项信用报告 Special credit report — \(subject) \(field)" }
}
