import CreditDocuments
import CreditFacts
import CreditLedger

/// What the `credit-report` template reads: the credit report (信用报告) of a subject document,
/// its values formatted and worded, its records as tables, and when issued, the report number,
/// the issuing body and the verification reference. Stored properties only: templates read them
/// by name (`t` holds the fixed texts: `{{t.penalties}}`).
struct CreditReportPage {
    /// The fixed texts in the page's language.
    let t: [String: String]
    /// The subject code, its name and kind in words (nil when no registration is known).
    let subject: String, name: String?, kind: String?
    /// Whether the subject is a natural person (the heading says so when there is no name).
    let isPerson: Bool
    /// The date (in words) and the instant (to the second).
    let asOf: String, knownAt: String
    /// Whether an objection is open.
    let disputed: Bool
    /// The notice for a subject the ledger holds no fact about, nil otherwise.
    let notInLedger: String?
    /// The issue details, nil when the report was rendered without them.
    let issue: Issue?
    /// The grade box.
    let grade: GradeBox
    let publicPenalties: PageTable, unpublishedPenalties: PageTable
    let publishedListings: PageTable, unpublishedListings: PageTable
    let commitments: PageTable
    /// Notification and commitment (告知承诺): allowed, or the reasons it is not, joined.
    let notificationAllowed: Bool, notificationReasons: String
    let repairs: PageTable
    /// Licences with their state, honours, contract performance and department evaluations on the date.
    let licences: PageTable
    let honours: PageTable, contracts: PageTable, evaluations: PageTable
    let persons: LinkedPersons
    let measures: PageTable, warnings: PageTable

    /// Report number, issuing body, date of issue, ledger head, view digest, verification command;
    /// the history's hash algorithm, its signed checkpoint (nil when none of that size is kept) and
    /// the command that checks the report's JSON form against the ledger.
    struct Issue {
        var number: String
        let issuer: String, issued: String, records: String, headHash: String, viewDigest: String, verifyCommand: String
        let hash: String, checkpoint: String?, checkCommand: String

        /// The details of `issue` for a report about `subject` as of `asOf`, worded by `w`.
        init(_ issue: ReportIssue, subject: SubjectCode, asOf: LegalDate, _ w: Wording) {
            number = issue.number(subject: subject, asOf: asOf)
            issuer = issue.issuer ?? w.text("issuerNotSet")
            issued = w.date(issue.issued)
            records = NumberText.grouped(Int(issue.records))
            headHash = issue.headHash
            viewDigest = issue.viewDigest
            verifyCommand = issue.verifyCommand
            hash = issue.hashAlgorithm
            checkpoint = issue.checkpoint
            checkCommand = issue.checkCommand
        }
    }

    /// A grade: level (and the class that colours it), the level in words, score, model and
    /// reasons; `unrated` when M (the page explains 无记载不评价).
    struct GradeBox {
        let level: String, levelClass: String, levelWords: String, score: String, model: String, unrated: Bool
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
    init(_ document: SubjectDocument, knownAt: String, issue: ReportIssue?, wording w: Wording) {
        t = w.texts
        let report = document.report, registration = document.profile?.registration
        subject = report.subject.description
        name = registration?.name
        let kindCode: SubjectKind? = registration?.kind ?? (report.subject.isPerson ? .naturalPerson : nil)
        kind = kindCode.map(w.kind)
        isPerson = kindCode == .naturalPerson
        asOf = w.date(report.asOf)
        self.knownAt = w.instant(knownAt)
        disputed = report.hasOpenObjection
        notInLedger = report.inLedger ? nil : w.text("notInLedger", ["subject": subject])
        self.issue = issue.map { Issue($0, subject: report.subject, asOf: report.asOf, w) }
        let level = document.grade.level
        grade = GradeBox(level: level.rawValue, levelClass: "level-" + level.rawValue, levelWords: w.level(level),
                         score: NumberText.grouped(document.grade.score), model: document.grade.model, unrated: level == .M,
                         reasons: RecordTables.reasons(document.grade, w))
        publicPenalties = RecordTables.penalties(report.publicPenalties, omitting: ["public", "whyNotPublic"], w)
        unpublishedPenalties = RecordTables.penalties(report.unpublishedPenalties, omitting: ["public"], w)
        publishedListings = RecordTables.listings(report.publishedListings.map { ($0, nil) }, omitting: ["published", "why"], w)
        unpublishedListings = RecordTables.listings(report.unpublishedListings.map { ($0.status, $0.why) }, omitting: ["published"], w)
        commitments = RecordTables.commitments(report.commitments, w)
        notificationAllowed = report.notificationAndCommitment.isAllowed
        notificationReasons = w.explain(report.notificationAndCommitment.explanations)
        repairs = RecordTables.repairs(of: document, w)
        licences = PageTable(report.licences.map { l in
            [("licenceItem", .text(l.item)), ("decisionNo", .text(l.decisionNo.text)), ("issuer", .plain(w.source(l.issuer))),
             ("granted", .date(l.granted)), ("validUntil", l.validUntil.map { PageCell.date($0) } ?? PageCell.plain(w.text("noFixedTerm"))),
             ("licenceState", .plain(w.word("licenceState", l.state.rawValue) + (l.revokedBy.map { "\(w.open)\($0)\(w.close)" } ?? ""))),
             ("stateSince", .text(l.since?.description))]
        }, wording: w)
        honours = PageTable(report.honours.map { h in
            [("honourTitle", .text(h.honour.title)), ("honourLevel", .plain(w.word("honourLevel", h.honour.level.rawValue))),
             ("granted", .date(h.granted))]
        }, wording: w)
        contracts = PageTable(report.contracts.map { c in
            [("contractNo", .text(c.performance.contractNo.text)), ("contractOutcome", .plain(w.word("contractOutcome", c.performance.outcome.rawValue))),
             ("amountYuan", .text(c.performance.amount?.description)), ("date", .date(c.date))]
        }, wording: w)
        evaluations = PageTable(report.evaluations.map { e in
            [("scheme", .text(e.evaluation.scheme)), ("evaluationYear", .plain(e.evaluation.year.description)),
             ("evaluationGrade", .plain(e.evaluation.grade)), ("publishedOn", .date(e.published))]
        }, wording: w)
        persons = LinkedPersons(noneAtAll: document.roles.isEmpty && document.links.isEmpty,
                                showRoles: !document.roles.isEmpty || !isPerson, showLinked: !document.links.isEmpty || isPerson,
                                roles: RecordTables.roles(document.roles, w), linked: RecordTables.linkedRecords(document.links, w))
        measures = RecordTables.measures(document.measures, w)
        warnings = RecordTables.warnings(document.warnings, w)
        title = "\(w.text("creditReport")) — \(name ?? subject)"
    }

    /// The document title.
    let title: String
}

/// What the `special-report` template reads: the special report (专项信用报告) that replaces a
/// certificate of no violation for one field and period.
struct SpecialReportPage {
    let t: [String: String]
    let subject: String, name: String?, field: String, from: String, to: String, knownAt: String
    /// The notice for a subject the ledger holds no fact about, nil otherwise.
    let notInLedger: String?
    /// Whether the field had no penalty in the period, and the finding in words.
    let clean: Bool, statement: String
    let penalties: PageTable
    /// Report number, issuer, date of issue and verification (as of the period's last day), when issued.
    let issue: CreditReportPage.Issue?
    /// The document title.
    let title: String

    /// The page of `report` about the subject named `name` (nil when unregistered).
    init(_ report: SpecialReport, name: String?, knownAt: String, issue: ReportIssue?, wording w: Wording) {
        t = w.texts
        self.issue = issue.map { CreditReportPage.Issue($0, subject: report.subject, asOf: report.through, w) }
        subject = report.subject.description
        self.name = name
        field = w.field(report.field)
        from = w.date(report.from)
        to = w.date(report.through)
        self.knownAt = w.instant(knownAt)
        notInLedger = report.inLedger ? nil : w.text("notInLedger", ["subject": subject])
        clean = report.isClean
        let values: KeyValuePairs<String, String> = ["subject": name ?? subject, "field": field, "from": from, "to": to, "count": String(report.penalties.count)]
        statement = w.text(!report.inLedger ? "specialNotInLedger" : clean ? "specialClean" : "specialFound", values)
        penalties = RecordTables.penalties(report.penalties, w)
        title = "\(w.text("specialReport")) — \(name ?? subject) \(field)"
    }
}
