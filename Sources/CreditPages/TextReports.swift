import CreditDocuments
import CreditFacts
import CreditLedger

/// The credit report and the subject document as text for a terminal or a plain-text letter,
/// worded like the pages (Chinese first: labels from the table, departments from the source
/// directory, rule titles from the grading model, dates as dates, instants to the second).
public enum TextReports {
    /// The credit report of `document`; with `issue`, headed by the report number, issuing body and
    /// date of issue, and ended by the verification reference.
    public static func creditReport(_ document: SubjectDocument, knownAt: String, issue: ReportIssue?, wording w: Wording) -> String {
        let report = document.report
        var lines = ["\(w.text("creditReport")) — \(report.subject) \(document.profile?.registration?.name ?? "")"]
        lines += header(issue, subject: report.subject, asOf: report.asOf, w)
        lines.append("\(w.text("asOf")): \(w.date(report.asOf))    \(w.text("knownAt")): \(w.instant(knownAt))")
        if !report.inLedger { lines.append(w.text("notInLedger", ["subject": report.subject.description]) + "\n") }
        lines += grade(document.grade, w)
        section(&lines, "\(w.text("penalties")) · \(w.text("public"))", report.publicPenalties) { p in
            "\(p.decisionNo) \(p.decided) \(w.field(p.field)) \(w.severity(p.severity))\(w.comma)\(w.text("publicUntil")) \(p.publicityEnd?.description ?? "—")"
                + (p.disputed ? "\(w.open)\(w.text("disputedMark"))\(w.close)" : "")
        }
        section(&lines, "\(w.text("penalties")) · \(w.text("notPublic"))", report.unpublishedPenalties) { p in
            "\(p.decisionNo) \(p.decided) \(w.field(p.field))\(w.colon)\(p.notPublicExplanation.map(w.explain) ?? w.status(p.status))"
        }
        section(&lines, "\(w.text("lists")) · \(w.text("published"))", report.publishedListings) { l in
            "\(w.list(l.list)) \(l.listNo) \(l.entered) \(w.text("since"))" + (l.plannedExpiry.map { "\(w.comma)\(w.text("col.plannedExpiry")) \($0)" } ?? "")
        }
        section(&lines, "\(w.text("lists")) · \(w.text("notPublished"))", report.unpublishedListings) { entry in
            "\(w.list(entry.status.list)) \(entry.status.listNo)\(w.colon)\(w.explain(entry.why))"
        }
        section(&lines, w.text("commitments"), report.commitments) { c in "\(w.commitment(c.kind)) \(c.commitmentNo)\(w.colon)\(w.status(c.status))" }
        let eligibility = report.notificationAndCommitment
        lines.append("\(w.text("notification"))\(w.colon)" + (eligibility.isAllowed ? w.text("allowed") : w.text("notAllowed") + " — " + w.explain(eligibility.explanations)))
        section(&lines, w.text("reportLicences"), report.licences) { licence($0, w) }
        section(&lines, w.text("reportHonours"), report.honours) { h in
            "\(h.honour.title)\(w.open)\(w.word("honourLevel", h.honour.level.rawValue))\(w.close) \(h.granted)"
        }
        section(&lines, w.text("reportContracts"), report.contracts) { c in
            "\(c.performance.contractNo) \(w.word("contractOutcome", c.performance.outcome.rawValue)) \(c.date)"
                + (c.performance.amount.map { "\(w.comma)\(w.text("col.amountYuan")) \($0)" } ?? "")
        }
        section(&lines, w.text("reportEvaluations"), report.evaluations) { e in
            "\(e.evaluation.scheme) \(e.evaluation.year) \(e.evaluation.grade)\(w.comma)\(w.text("col.publishedOn")) \(e.published)"
        }
        section(&lines, w.text("measures"), document.measures) { measure($0, w) }
        section(&lines, w.text("warnings"), document.warnings) { "\(w.warning($0.kind))\(w.colon)\(w.explain($0.explanation))" }
        if report.hasOpenObjection { lines.append("\n" + w.text("objectionOpen")) }
        lines += verification(issue, w)
        return lines.joined(separator: "\n")
    }

    /// The special report (专项信用报告) replacing a certificate of no violation: the finding, then
    /// every penalty in the field and period.
    public static func specialReport(_ report: SpecialReport, name: String?, knownAt: String, issue: ReportIssue? = nil,
                                     wording w: Wording) -> String {
        let field = w.field(report.field), from = w.date(report.from), to = w.date(report.through)
        let values: KeyValuePairs<String, String> = ["subject": name ?? report.subject.description, "field": field, "from": from, "to": to,
                                                     "count": String(report.penalties.count)]
        var lines = ["\(w.text("specialReport"))\(w.open)\(w.text("specialReportNote"))\(w.close) — \(report.subject) \(name ?? "")",
                     ] + header(issue, subject: report.subject, asOf: report.through, w) + [
                     "\(w.text("knownAt")): \(w.instant(knownAt))",
                     w.text(!report.inLedger ? "specialNotInLedger" : report.isClean ? "specialClean" : "specialFound", values)]
        section(&lines, w.text("penaltiesInPeriod"), report.penalties) { p in
            "\(p.decisionNo) \(p.decided) \(w.severity(p.severity))\(w.comma)\(w.status(p.status))"
        }
        lines += verification(issue, w)
        return lines.joined(separator: "\n")
    }

    /// The subject document (registration, grade, roles, records, links, warnings, measures).
    public static func subject(_ document: SubjectDocument, knownAt: String, wording w: Wording) -> String {
        var lines = ["\(document.subject)  \(document.profile?.registration?.name ?? w.text("noRegistration"))",
                     "\(w.text("asOf")): \(w.date(document.asOf))    \(w.text("knownAt")): \(w.instant(knownAt))"]
        if !document.inLedger { lines.append(w.text("notInLedger", ["subject": document.subject.description])) }
        if let registration = document.profile?.registration {
            lines.append("\(w.text("kind")): \(w.kind(registration.kind))  \(w.text("region")): \(registration.region)")
        }
        lines += grade(document.grade, w)
        if let deregistered = document.profile?.deregistered { lines.append("\(w.text("deregistered")): \(deregistered)") }
        for spell in document.roles {
            lines.append("\(w.text("col.role")): \(w.role(spell.role)) \(spell.person.masked) \(spell.from)" + (spell.to.map { " – \($0)" } ?? ""))
        }
        for p in document.penalties {
            let publicity = p.isPublic ? "\(w.text("publicUntil")) \(p.publicityEnd?.description ?? "—")" : "\(w.text("col.whyNotPublic")): \(p.notPublicExplanation.map(w.explain) ?? w.status(p.status))"
            lines.append("\(w.text("penalties")): \(p.decisionNo) \(p.decided) \(w.field(p.field)) \(w.severity(p.severity))\(w.comma)\(w.status(p.status))\(w.comma)\(publicity)"
                + (p.disputed ? "\(w.comma)\(w.text("disputedMark"))" : ""))
        }
        for l in document.lists {
            lines.append("\(w.text("lists")): \(w.list(l.list)) \(l.listNo) \(l.entered) \(w.text("since"))"
                + (l.isActive ? "" : "\(w.comma)\(w.text("col.to")) \(l.ended?.description ?? "")") + (l.endExplanation.map { "\(w.open)\(w.explain($0))\(w.close)" } ?? "")
                + "\(w.comma)\(w.text("col.published")): \(w.flag(l.isPublished))")
        }
        for c in document.commitments { lines.append("\(w.text("commitments")): \(w.commitment(c.kind)) \(c.commitmentNo) \(w.status(c.status))") }
        for r in document.repairs { lines.append("\(w.text("repairs")): \(r.repairNo) \(r.applied) \(w.repairStatus(document.status(of: r)))") }
        for link in document.links {
            lines.append("\(w.text("linkedRecords")): \(link.record.organisation) \(w.record(link.record.kind)) \(link.record.ref) \(link.record.effective)\(w.colon)"
                + "\(w.role(link.role))\(w.open)\(w.basis(link.basis))\(w.close)")
        }
        for warning in document.warnings { lines.append("\(w.text("warning")): \(w.warning(warning.kind))\(w.colon)\(w.explain(warning.explanation))") }
        for match in document.measures { lines.append("\(w.text("measure")): " + measure(match, w)) }
        return lines.joined(separator: "\n")
    }

    /// The report number, issuing body and date of issue, when issued.
    private static func header(_ issue: ReportIssue?, subject: SubjectCode, asOf: LegalDate, _ w: Wording) -> [String] {
        guard let issue else { return [] }
        return ["\(w.text("reportNo")): \(issue.number(subject: subject, asOf: asOf))",
                "\(w.text("issuer")): \(issue.issuer ?? w.text("issuerNotSet"))    \(w.text("issued")): \(w.date(issue.issued))"]
    }

    /// The verification reference: ledger head, view digest, the command that prints it again.
    private static func verification(_ issue: ReportIssue?, _ w: Wording) -> [String] {
        guard let issue else { return [] }
        return ["\n\(w.text("verification")):", "  \(w.text("ledgerHead")): \(issue.records) \(w.text("records")) · \(issue.headHash)",
                "  \(w.text("viewDigest")): \(issue.viewDigest)", "  \(w.text("verifyCommand")): \(issue.verifyCommand)"]
    }

    /// The grade line (M explained) and its reasons, rules by title, facts by department.
    private static func grade(_ grade: Grade, _ w: Wording) -> [String] {
        var lines = ["\(w.text("grade")): \(w.level(grade.level))\(w.open)\(w.text("score")) \(grade.score)\(w.comma)\(w.text("model")) \(grade.model)\(w.close)"]
        if grade.level == .M { lines.append("  " + w.text("mExplained")) }
        for reason in grade.reasons {
            lines.append("  \(reason.points >= 0 ? "+" : "")\(reason.points) \(w.rule(reason.rule)) \(reason.ref) (\(reason.date))"
                + (reason.fact.map { " [\(w.fact($0))]" } ?? "")
                + (reason.via.map { " \(w.text("linkedVia")) \($0.organisation) \(w.role($0.role))" } ?? ""))
        }
        return lines
    }

    /// One measure in words: id, kind, text, trigger, path through an organisation, legal basis.
    static func measure(_ match: MeasureMatch, _ w: Wording) -> String {
        let via = match.via.map { "\(w.comma)\(w.text("linkedVia")) \($0.organisation) \(w.role($0.role))\(w.open)\(w.basis($0.basis))\(w.close)" } ?? ""
        return "\(match.measure.id) [\(w.measureKind(match.measure.kind))] \(w.measure(match.measure.measure))\n"
            + "    \(w.text("triggerText")): \(RecordTables.trigger(match.trigger, w))\(via)\n"
            + "    \(w.text("legalBasisText")): \(match.measure.legalBasis)"
    }

    /// A licence: item, number, issuing department, validity, and its state on the date.
    static func licence(_ l: LicenceStatus, _ w: Wording) -> String {
        "\(l.item) \(l.decisionNo) \(w.source(l.issuer)) \(l.granted)–\(l.validUntil?.description ?? w.text("noFixedTerm"))\(w.colon)"
            + w.word("licenceState", l.state.rawValue) + (l.since.map { " \($0)" } ?? "") + (l.revokedBy.map { "\(w.open)\($0)\(w.close)" } ?? "")
    }

    /// A heading with the count, then one indented line per item.
    static func section<Item>(_ lines: inout [String], _ title: String, _ items: [Item], _ line: (Item) -> String) {
        lines.append("\(title) (\(items.count)):")
        for item in items { lines.append("  " + line(item)) }
    }
}
